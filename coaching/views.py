from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from coaching.models import Exercise, FormError, Phase, Variation
from coaching.structured_data import guide_howto


def _featured_exercise() -> Exercise:
    exercise = Exercise.objects.featured()
    if exercise is None:
        raise Http404("No exercise has been loaded yet.")
    return exercise


def _cues_by_phase(exercise: Exercise) -> dict[str, list]:
    by_phase: dict[str, list] = {phase: [] for phase in Phase.values}
    for cue in exercise.cues.order_by("order"):
        by_phase[cue.phase].append(cue)
    return by_phase


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    exercise = _featured_exercise()
    return render(
        request,
        "coaching/home.html",
        {
            "title": f"{exercise.name}: a coached guide",
            "description": exercise.summary,
            "exercise": exercise,
            "ladder": list(exercise.variations.ladder()),
            "form_errors": list(exercise.form_errors.all()),
        },
    )


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    exercise = _featured_exercise()
    cues = _cues_by_phase(exercise)
    form_errors = list(exercise.form_errors.all())
    ladder = list(exercise.variations.ladder())
    structured = guide_howto(
        exercise, cues, form_errors, url=request.build_absolute_uri(reverse("coaching:guide"))
    )
    return render(
        request,
        "coaching/guide.html",
        {
            "title": f"How to do the {exercise.name.lower()}",
            "description": exercise.summary,
            "og_type": "article",
            "exercise": exercise,
            "cues": cues,
            "form_errors": form_errors,
            "ladder": ladder,
            "structured_data": structured,
        },
    )


@require_GET
def variation_list(request: HttpRequest) -> HttpResponse:
    exercise = _featured_exercise()
    return render(
        request,
        "coaching/variation_list.html",
        {
            "title": f"{exercise.name} ladder: easier and harder versions",
            "description": (
                f"Every step from the easiest regression to the hardest progression of the "
                f"{exercise.name.lower()}, with what to reach before you move up."
            ),
            "exercise": exercise,
            "ladder": list(exercise.variations.ladder()),
        },
    )


@require_GET
def variation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    variation = get_object_or_404(Variation.objects.select_related("exercise", "tempo"), slug=slug)
    rungs = list(
        Variation.objects.filter(exercise_id=variation.exercise_id)
        .order_by("level")
        .only("slug", "name", "level")
    )
    position = next(i for i, rung in enumerate(rungs) if rung.pk == variation.pk)
    return render(
        request,
        "coaching/variation_detail.html",
        {
            "title": variation.name,
            "description": variation.summary,
            "og_type": "article",
            "variation": variation,
            "exercise": variation.exercise,
            "ladder_size": len(rungs),
            "easier": rungs[position - 1] if position > 0 else None,
            "harder": rungs[position + 1] if position + 1 < len(rungs) else None,
        },
    )


@require_GET
def form_error_detail(request: HttpRequest, slug: str) -> HttpResponse:
    form_error = get_object_or_404(FormError.objects.select_related("exercise"), slug=slug)
    others = FormError.objects.filter(exercise_id=form_error.exercise_id).exclude(pk=form_error.pk)
    return render(
        request,
        "coaching/form_error_detail.html",
        {
            "title": f"{form_error.name}: how to fix it",
            "description": f"{form_error.fix_cue}. {form_error.why_it_matters}",
            "og_type": "article",
            "form_error": form_error,
            "exercise": form_error.exercise,
            "others": list(others),
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
