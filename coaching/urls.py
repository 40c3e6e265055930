from django.urls import path
from django.views.generic import RedirectView

from coaching import views
from coaching.caching import cached_public_page as cached
from coaching.forms import TIMER_FIELDS

app_name = "coaching"

urlpatterns = [
    path("", cached(views.home), name="home"),
    path("guide/", cached(views.guide), name="guide"),
    path("ladder/", cached(views.variation_list), name="variation-list"),
    path("ladder/<slug:slug>/", cached(views.variation_detail), name="variation-detail"),
    path(
        "ladder/<slug:slug>/keyframes.json", views.variation_keyframes, name="variation-keyframes"
    ),
    path("form-errors/<slug:slug>/", cached(views.form_error_detail), name="form-error-detail"),
    path("guide/sheet.pdf", views.guide_sheet, name="guide-sheet"),
    # The sheet was also a picture once; old links and bookmarks get the PDF.
    path(
        "guide/sheet.png",
        RedirectView.as_view(pattern_name="coaching:guide-sheet", permanent=True),
        name="guide-sheet-png",
    ),
    path("figures/<slug:key>.png", views.figure_image, name="figure-image"),
    path(
        "timer/",
        cached(views.timer, params=TIMER_FIELDS, shareable=views.is_linked_plan),
        name="timer",
    ),
]
