from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from functools import lru_cache, partial
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_safe

from coaching import printing, raster
from coaching import timer as timer_plan
from coaching.caching import CONTENT, ladder
from coaching.figures import BUILDERS, figure, keyframes_for
from coaching.forms import plan_form
from coaching.models import (
    Cue,
    Exercise,
    FormError,
    Phase,
    TempoPreset,
    Variation,
    VariationKind,
)
from coaching.structured_data import guide_howto
from core.caching import LIFETIME
from core.site import absolute_url, shared_origin

GUIDE_FIGURES = {
    "setup": "guide-setup",
    "execution": "guide-execution",
    "top": "guide-top",
    "descent": "guide-descent",
}


def _figure_url(key: str) -> str | None:
    return reverse("coaching:figure-image", kwargs={"key": key}) if key in BUILDERS else None


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


# What base.html reads of a public page's own context (the guide's structured data goes in
# its head); the rest of the page is the template's body partial.
PAGE_FRAME = ("title", "description", "og_image", "og_type", "structured_data")


def _frame_of(context: dict) -> dict:
    return {name: context.get(name) for name in PAGE_FRAME}


def _public_page(
    request: HttpRequest, template: str, build: Callable[[HttpRequest], dict]
) -> HttpResponse:
    """`template`'s body, drawn without the request (nothing of the visitor can enter it) and
    kept under the content generation, inside base.html drawn for this visitor. A signed-in
    learner's guide is then made of what everyone's is; a visitor without a session gets the
    whole page kept besides (cached_page)."""

    def draw() -> dict:
        context = build(request)
        body = render_to_string(f"{template}#body", context)
        return {**_frame_of(context), "body": body}

    # By path alone: none of these pages reads the query.
    parts = CONTENT.remember(draw, "coaching:page-parts", shared_origin(request), request.path)
    return render(request, "coaching/public_page.html", parts)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _public_page(request, "coaching/home.html", lambda _: _home_context())


def _home_context() -> dict:
    exercise = _featured_exercise()
    return {
        "title": f"{exercise.name}: a coached guide",
        "og_image": _figure_url("guide-top"),
        "description": exercise.summary,
        "exercise": exercise,
        "ladder": list(exercise.variations.ladder()),
        "form_errors": list(exercise.form_errors.all()),
    }


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    return _public_page(request, "coaching/guide.html", _guide_context)


def _guide_context(request: HttpRequest) -> dict:
    exercise = _featured_exercise()
    cues = _cues_by_phase(exercise)
    form_errors = list(exercise.form_errors.prefetch_related("illustrations"))
    ladder = list(exercise.variations.ladder())
    photos = {
        placement.removeprefix("guide-"): found
        for placement, found in exercise.illustrations.for_guide().items()
    }
    structured = guide_howto(
        exercise, cues, form_errors, url=shared_origin(request) + reverse("coaching:guide")
    )
    return {
        "title": f"How to do the {exercise.name.lower()}",
        "og_image": _figure_url("guide-top"),
        "description": exercise.summary,
        "og_type": "article",
        "exercise": exercise,
        "cues": cues,
        "form_errors": form_errors,
        "ladder": ladder,
        "photos": photos,
        "structured_data": structured,
    }


@require_safe
def variation_list(request: HttpRequest) -> HttpResponse:
    return _public_page(
        request,
        "coaching/variation_list.html",
        lambda _: _variation_list_context(),
    )


def _variation_list_context() -> dict:
    exercise = _featured_exercise()
    return {
        "title": f"{exercise.name} ladder: easier and harder versions",
        "og_image": _figure_url("variation-two-up-one-down-hip-thrust"),
        "description": (
            f"The easier and harder versions of the {exercise.name.lower()}, in hipthrust's "
            "order, with what to reach before you move up."
        ),
        "exercise": exercise,
        "ladder": list(exercise.variations.ladder()),
    }


@require_safe
def variation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _public_page(
        request,
        "coaching/variation_detail.html",
        lambda _: _variation_detail_context(slug),
    )


def _variation_detail_context(slug: str) -> dict:
    variation = get_object_or_404(Variation.objects.select_related("exercise", "tempo"), slug=slug)
    rungs = list(
        Variation.objects.filter(exercise_id=variation.exercise_id)
        .order_by("level")
        .only("slug", "name", "level")
    )
    position = next(i for i, rung in enumerate(rungs) if rung.pk == variation.pk)
    return {
        "title": variation.name,
        "og_image": _figure_url(variation.figure),
        "description": variation.summary,
        "og_type": "article",
        "variation": variation,
        "exercise": variation.exercise,
        "ladder_size": len(rungs),
        "easier": rungs[position - 1] if position > 0 else None,
        "harder": rungs[position + 1] if position + 1 < len(rungs) else None,
        "photos": list(variation.illustrations.all()),
    }


@require_safe
def form_error_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _public_page(
        request,
        "coaching/form_error_detail.html",
        lambda _: _form_error_context(slug),
    )


def _form_error_context(slug: str) -> dict:
    form_error = get_object_or_404(FormError.objects.select_related("exercise"), slug=slug)
    others = FormError.objects.filter(exercise_id=form_error.exercise_id).exclude(pk=form_error.pk)
    return {
        "title": f"{form_error.name}: how to fix it",
        "og_image": _figure_url(form_error.figure),
        "description": f"{form_error.fix_cue}. {form_error.why_it_matters}",
        "og_type": "article",
        "form_error": form_error,
        "exercise": form_error.exercise,
        "others": list(others),
        "photos": list(form_error.illustrations.all()),
    }


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(request, reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@lru_cache(maxsize=32)
def _preview_png(key: str) -> bytes:
    drawn = figure(key)
    return raster.png(raster.social_preview(drawn, drawn.title))


def _preview_etag(request: HttpRequest, key: str) -> str | None:
    if key not in BUILDERS:
        return None
    return hashlib.sha256(_preview_png(key)).hexdigest()[:32]


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
@etag(_preview_etag)
def figure_image(request: HttpRequest, key: str) -> HttpResponse:
    """A figure as a 1200 x 630 PNG, for social previews (og:image)."""
    if key not in BUILDERS:
        raise Http404("No figure has that name.")
    return HttpResponse(_preview_png(key), content_type="image/png")


# The sheet's sections, in the guide's order: heading, figure (GUIDE_FIGURES) and cue phases.
SHEET_SECTIONS = [
    ("Setup", "setup", ["setup"]),
    ("Execution", "execution", ["execution"]),
    ("Top position", "top", ["top"]),
    ("Descent and breathing", "descent", ["descent", "breathing"]),
]


@require_safe
@cache_control(public=True, max_age=LIFETIME)
def guide_sheet(request: HttpRequest) -> HttpResponse:
    """The guide on one A4 page, as a PDF: each phase with its figure and cues, and the fixes.

    Laying it out takes WeasyPrint a second or more, so the bytes are kept per content
    generation; they hold nothing of the visitor (the guide's address is the site's own).
    A browser keeps them a minute, as the guide's pages, then asks again with their ETag:
    a coach's edit reaches a printed sheet as soon as it reaches the guide.
    """
    exercise = _featured_exercise()
    guide_url = shared_origin(request) + reverse("coaching:guide")
    pdf = CONTENT.remember(
        lambda: printing.guide_pdf(_sheet_context(exercise, guide_url)), "coaching:sheet", guide_url
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exercise.slug}-sheet.pdf"'
    response["ETag"] = f'"{hashlib.sha256(pdf).hexdigest()[:32]}"'
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _sheet_context(exercise: Exercise, guide_url: str) -> dict:
    cues = _cues_by_phase(exercise)
    return {
        "title": f"How to do the {exercise.name.lower()}",
        "description": exercise.summary,
        "sections": [
            {
                "heading": heading,
                "figure": GUIDE_FIGURES[key],
                # The legend of the figure's numbered callouts.
                "notes": figure(GUIDE_FIGURES[key]).panels[0].notes,
                "cues": [cue for phase in phases for cue in cues[phase]],
            }
            for heading, key, phases in SHEET_SECTIONS
        ],
        "form_errors": list(exercise.form_errors.all()),
        "guide_url": guide_url,
    }


@require_safe
def variation_keyframes(request: HttpRequest, slug: str) -> JsonResponse:
    """Joint positions at the bottom, midway and the top, for the tempo timer's figure."""
    variation = get_object_or_404(Variation.objects.only("slug", "figure"), slug=slug)
    return JsonResponse({"variation": variation.slug, **keyframes_for(variation.figure)})


def is_linked_plan(request: HttpRequest) -> bool:
    """The plans the site itself links to: the default one and each rung's own.

    Only these are kept in the page cache; any other plan a query spells out is rendered
    for its request alone, so a stranger cannot fill the cache with plans.
    """
    return set(request.GET) <= {"variation"}


@require_safe
def timer(request: HttpRequest) -> HttpResponse:
    """The tempo timer: the plan from the query string, checked, shown and run in the page.

    A signed-in trainee gets a "log these sets" form. A query naming no rung of the
    ladder answers 404, with the form's message and a way back.
    """
    slug = request.GET.get("variation", "").strip()
    variation, unknown = _rung_for_timer(request, slug)
    draw = partial(_timer_parts, request, variation, unknown)
    # The plans the site links to are drawn once for everyone, as the other public pages.
    if is_linked_plan(request) and not unknown:
        parts = CONTENT.remember(draw, "coaching:timer-parts", shared_origin(request), slug)
    else:
        parts = draw()
    return render(
        request,
        "coaching/timer.html",
        # A fresh id per page, so a double-clicked "log these sets" logs them once. A visitor
        # is offered to sign up and keep the sets: the plan goes along in the query.
        {
            **parts,
            "log_submission_id": uuid.uuid4(),
            "log_query": urlencode(parts["log"]) if parts["log"] else "",
        },
        status=parts["status"],
    )


def _timer_parts(request: HttpRequest, variation: Variation | None, unknown: bool) -> dict:
    """The timer page around its log form: drawn without the request, as `_public_page`."""
    context = _timer_context(request, variation, unknown)
    return {
        **_frame_of(context),
        "top": render_to_string("coaching/timer.html#top", context),
        "bottom": render_to_string("coaching/timer.html#bottom", context),
        "log": context["log"],
        "status": context["status"],
    }


def _rung_for_timer(request: HttpRequest, slug: str) -> tuple[Variation | None, bool]:
    """The rung a timer query names (the ladder's standard rung when it names none), and
    whether the name was unknown: from the ladder kept for the request, or, for a name it does
    not hold (unknown, or a rung added within the kept ladder's lifetime), the database."""
    rungs = ladder(request)
    if not slug:
        return next((rung for rung in rungs if rung.kind == VariationKind.STANDARD), None), False
    named = next((rung for rung in rungs if rung.slug == slug), None)
    if named is None:
        named = Variation.objects.select_related("tempo").filter(slug=slug).first()
    return named, named is None


def _timer_context(request: HttpRequest, variation: Variation | None, unknown: bool) -> dict:
    """The plan of the query for `variation` (`_rung_for_timer`): with the kept ladder, or
    the rung it does not hold, three queries at most whatever the plan: the presets, that
    rung, its exercise's cues.

    A plan with errors re-renders the form with them and no timer.
    """
    presets = list(TempoPreset.objects.all())
    form = plan_form(request.GET, variation=variation, presets=presets, unknown_variation=unknown)
    context = {}
    log = None
    if form.is_valid():
        cleaned = form.cleaned_data
        cues = list(Cue.objects.filter(exercise_id=variation.exercise_id)) if variation else []
        context = timer_plan.page_context(cleaned, variation=variation, cues=cues)
        if variation:
            # A set's hold is the hold of every rep (the log's time held is reps x hold):
            # the tempo's. The long hold is the last rep's alone, and goes apart.
            log = {
                "variation": variation.slug,
                "tempo": cleaned["tempo_value"].notation,
                "sets": cleaned["sets"],
                "reps": cleaned["reps"],
                "sides": cleaned["sides"],
                "hold_seconds": cleaned["tempo_value"].top_hold,
                "last_hold": cleaned["last_hold"],
            }
    name = variation.name if variation else "single leg hip thrust"
    context.update(
        {
            "title": f"Tempo timer: {name}",
            "description": (
                f"A tempo timer for the {name.lower()}: it counts every lift, hold and lowering "
                "per leg, with tones, optional spoken cues and a figure that moves in time."
            ),
            "og_image": _figure_url(variation.figure) if variation else None,
            "form": form,
            "variation": variation,
        }
    )
    return {**context, "log": log, "status": 404 if unknown else 200}
