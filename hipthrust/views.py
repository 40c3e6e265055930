from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {
        "title": "Page not found",
        "description": "This address does not match a page on hipthrust.",
    }
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))
