"""The coaches' admin: lists, search, filters, ordered inlines, previews and site links."""

from __future__ import annotations

import html
import io
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from coaching.forms import IllustrationForm
from coaching.models import Cue, FormError, Illustration, TempoPreset, Variation

pytestmark = pytest.mark.django_db


# Helpers.


def _photo(width=1600, height=800) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("bench.jpg", buffer.getvalue(), "image/jpeg")


def _illustration(exercise, **fields) -> Illustration:
    data = {
        "exercise": exercise.pk,
        "placement": "guide-setup",
        "order": 0,
        "alt_text": "The bench against the wall",
        "caption": "",
        **fields,
    }
    form = IllustrationForm(data=data, files={"photo": _photo()})
    assert form.is_valid(), form.errors
    return form.save()


def _add_form(data: dict, form: forms.BaseForm) -> None:
    """What a browser would submit for `form` left as the page showed it."""
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif value is not None:
            data[key] = value


def _change_form_data(response) -> dict:
    """The change page's main form and every inline formset, as POST data."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def _row(data: dict, prefix: str, pk: int) -> str:
    """The form prefix ("cues-3") of the row showing object `pk`."""
    for key, value in data.items():
        if key.startswith(f"{prefix}-") and key.endswith("-id") and str(value) == str(pk):
            return key.removesuffix("-id")
    raise AssertionError(f"no {prefix} row for {pk}")


def _exercise_change(admin_client, exercise):
    url = reverse("admin:coaching_exercise_change", args=[exercise.pk])
    return url, admin_client.get(url)


def _view_on_site(page: str) -> str:
    match = re.search(r'<a href="([^"]+)" class="viewsitelink">', page)
    assert match, "no View on site link"
    return html.unescape(match.group(1))


def _landing(admin_client, href: str) -> str:
    """Where a View on site link ends up (the admin's own links redirect first)."""
    response = admin_client.get(href)
    if response.status_code == 302:
        return response["Location"].removeprefix("http://testserver")
    assert response.status_code == 200
    return href


# Lists, search and filters.


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("exercise", ["Single leg hip thrust"]),
        ("cue", ["Lock the bench in place", "Breathe out hard on the drive"]),
        ("formerror", ["Arching the lower back at the top", "Bouncing off the floor"]),
        ("variation", ["Floor glute bridge", "Foot-elevated single leg hip thrust"]),
        ("tempopreset", ["Steady", "3-0-1-5"]),
        ("illustration", ["The bench against the wall"]),
    ],
)
def test_each_changelist_answers_and_lists_its_rows(
    admin_client, exercise, media_root, model, expected
):
    _illustration(exercise)
    response = admin_client.get(reverse(f"admin:coaching_{model}_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert html.escape(text) in page or text in page, text


@pytest.mark.parametrize(
    "model", ["exercise", "cue", "formerror", "variation", "tempopreset", "illustration"]
)
def test_each_add_page_answers(admin_client, exercise, model):
    assert admin_client.get(reverse(f"admin:coaching_{model}_add")).status_code == 200


def test_changelists_count_the_migrated_content(admin_client, exercise):
    counts = {"cue": 16, "formerror": 4, "variation": 7, "tempopreset": 4}
    for model, count in counts.items():
        response = admin_client.get(reverse(f"admin:coaching_{model}_changelist"))
        assert response.context["cl"].result_count == count, model


def test_cues_list_in_teaching_order_of_phases(admin_client, exercise):
    response = admin_client.get(reverse("admin:coaching_cue_changelist"))
    phases = [cue.phase for cue in response.context["cl"].result_list]
    assert (
        phases
        == ["setup"] * 6 + ["execution"] * 3 + ["top"] * 3 + ["descent"] * 2 + ["breathing"] * 2
    )


def test_search_finds_a_cue_and_a_variation_by_their_words(admin_client, exercise):
    cues = admin_client.get(reverse("admin:coaching_cue_changelist"), {"q": "vertical shin"})
    found = list(cues.context["cl"].result_list)
    assert "Set the foot for a vertical shin" in [cue.cue for cue in found]
    assert len(found) < 16
    assert all(
        "vertical" in f"{cue.cue} {cue.explanation}".lower()
        and "shin" in f"{cue.cue} {cue.explanation}".lower()
        for cue in found
    )
    variations = admin_client.get(reverse("admin:coaching_variation_changelist"), {"q": "banded"})
    assert [v.slug for v in variations.context["cl"].result_list] == [
        "banded-single-leg-hip-thrust"
    ]


def test_a_list_filter_narrows_the_list(admin_client, exercise):
    cues = admin_client.get(reverse("admin:coaching_cue_changelist"), {"phase__exact": "top"})
    assert {cue.phase for cue in cues.context["cl"].result_list} == {"top"}
    assert cues.context["cl"].result_count == 3

    rungs = admin_client.get(
        reverse("admin:coaching_variation_changelist"), {"kind__exact": "regression"}
    )
    assert [v.level for v in rungs.context["cl"].result_list] == [1, 2]


def test_the_tempo_list_shows_notation_and_use(admin_client, exercise):
    page = admin_client.get(reverse("admin:coaching_tempopreset_changelist")).content.decode()
    assert "3-0-1-1" in page
    assert "4 variations" in page  # Controlled is the tempo of four rungs


# The exercise page and its numbered rows.


def test_the_exercise_page_shows_its_content_as_ordered_inlines(admin_client, exercise):
    _, response = _exercise_change(admin_client, exercise)
    assert response.status_code == 200
    formsets = {
        inline.formset.prefix: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }
    assert len(formsets["cues"].forms) == 16
    assert len(formsets["form_errors"].forms) == 4
    assert len(formsets["variations"].forms) == 7
    assert [f.instance.level for f in formsets["variations"].forms] == list(range(1, 8))
    assert [f.instance.phase for f in formsets["cues"].forms][:7] == ["setup"] * 6 + ["execution"]
    page = response.content.decode()
    assert 'class="inline-description help"' in page
    assert "swapping two numbers is fine" in page
    assert "/static/admin-extra/admin.css" in page


def test_editing_a_cue_on_the_exercise_page_changes_the_guide(admin_client, client, exercise):
    url, response = _exercise_change(admin_client, exercise)
    data = _change_form_data(response)
    cue = Cue.objects.get(exercise=exercise, phase="top", order=2)
    data[f"{_row(data, 'cues', cue.pk)}-cue"] = "Knee stacked over the ankle"

    saved = admin_client.post(url, data)

    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved
    cue.refresh_from_db()
    assert cue.cue == "Knee stacked over the ankle"
    assert "Knee stacked over the ankle" in client.get(reverse("coaching:guide")).content.decode()


def test_swapping_two_variations_levels_saves_both(admin_client, exercise):
    url, response = _exercise_change(admin_client, exercise)
    data = _change_form_data(response)
    loaded = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    isometric = Variation.objects.get(slug="isometric-hold-single-leg-hip-thrust")
    data[f"{_row(data, 'variations', loaded.pk)}-level"] = 5
    data[f"{_row(data, 'variations', isometric.pk)}-level"] = 4

    saved = admin_client.post(url, data)

    assert saved.status_code == 302
    loaded.refresh_from_db()
    isometric.refresh_from_db()
    assert (loaded.level, isometric.level) == (5, 4)
    assert list(exercise.variations.values_list("level", flat=True)) == list(range(1, 8))


def test_swapping_two_cues_and_moving_one_into_a_deleted_ones_place(admin_client, exercise):
    url, response = _exercise_change(admin_client, exercise)
    data = _change_form_data(response)
    first, second = Cue.objects.filter(exercise=exercise, phase="execution").order_by("order")[:2]
    data[f"{_row(data, 'cues', first.pk)}-order"] = 2
    data[f"{_row(data, 'cues', second.pk)}-order"] = 1
    bouncing = FormError.objects.get(slug="bouncing")
    knee = FormError.objects.get(slug="knee-caving-in")
    data[f"{_row(data, 'form_errors', bouncing.pk)}-DELETE"] = "on"
    data[f"{_row(data, 'form_errors', knee.pk)}-order"] = 4

    saved = admin_client.post(url, data)

    assert saved.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (2, 1)
    assert not FormError.objects.filter(slug="bouncing").exists()
    assert FormError.objects.get(slug="knee-caving-in").order == 4


def test_two_cues_sharing_a_number_in_a_phase_are_refused_and_nothing_changes(
    admin_client, exercise
):
    before = list(Cue.objects.values_list("pk", "phase", "order", "cue"))
    url, response = _exercise_change(admin_client, exercise)
    data = _change_form_data(response)
    top = list(Cue.objects.filter(exercise=exercise, phase="top").order_by("order"))
    data[f"{_row(data, 'cues', top[2].pk)}-order"] = 1
    data[f"{_row(data, 'cues', top[0].pk)}-cue"] = "Changed along with the clash"

    refused = admin_client.post(url, data)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Two cues in the “Top position” phase have order 1" in page
    assert "Another row also has 1." in page
    assert list(Cue.objects.values_list("pk", "phase", "order", "cue")) == before


def test_two_rungs_sharing_a_level_are_refused(admin_client, exercise):
    url, response = _exercise_change(admin_client, exercise)
    data = _change_form_data(response)
    rung = Variation.objects.get(level=7)
    data[f"{_row(data, 'variations', rung.pk)}-level"] = 3

    refused = admin_client.post(url, data)

    assert refused.status_code == 200
    assert "Two variations have level 3" in refused.content.decode()
    rung.refresh_from_db()
    assert rung.level == 7


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("level", 99, "With this rung the ladder has 7: its level is from 1 to 7"),
        ("level", 0, "With this rung the ladder has 7: its level is from 1 to 7"),
        ("advance_reps_per_side", 0, "Reps per side to move up: from 1 to 50."),
        ("advance_sets", 11, "Sets to move up: from 1 to 10."),
        ("advance_hold_seconds", 601, "The hold to move up: from 0 to 600 seconds."),
    ],
)
def test_a_rung_out_of_range_is_refused_on_its_field_in_words(
    admin_client, exercise, field, value, message
):
    rung = Variation.objects.get(level=3)
    before = getattr(rung, field)
    url = reverse("admin:coaching_variation_change", args=[rung.pk])
    data = _change_form_data(admin_client.get(url))
    data[field] = value

    refused = admin_client.post(url, data)

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert "Constraint" not in refused.content.decode()
    rung.refresh_from_db()
    assert getattr(rung, field) == before


def test_the_same_number_in_different_phases_is_fine(admin_client, exercise):
    url, response = _exercise_change(admin_client, exercise)
    data = _change_form_data(response)
    cue = Cue.objects.get(exercise=exercise, phase="setup", order=6)
    data[f"{_row(data, 'cues', cue.pk)}-phase"] = "top"
    data[f"{_row(data, 'cues', cue.pk)}-order"] = 4

    assert admin_client.post(url, data).status_code == 302
    cue.refresh_from_db()
    assert (cue.phase, cue.order) == ("top", 4)


# Previews.


def test_the_variation_page_previews_its_figure_and_links_its_png(admin_client, exercise):
    variation = Variation.objects.get(slug="banded-single-leg-hip-thrust")
    page = admin_client.get(
        reverse("admin:coaching_variation_change", args=[variation.pk])
    ).content.decode()
    assert '<div class="admin-extra-figure"><svg xmlns="http://www.w3.org/2000/svg"' in page
    png = reverse("coaching:figure-image", kwargs={"key": variation.figure})
    assert f'<a href="{png}">' in page
    figure_html = page[page.index('<div class="admin-extra-figure">') :]
    figure_html = figure_html[: figure_html.index("</div>")]
    assert "style=" not in figure_html
    assert "<script" not in figure_html


def test_the_form_error_page_previews_both_panels(admin_client, exercise):
    error = FormError.objects.get(slug="arched-lower-back")
    page = admin_client.get(
        reverse("admin:coaching_formerror_change", args=[error.pk])
    ).content.decode()
    assert page.count('class="fig-svg"') == 2  # the error and its fix
    assert "/figures/error-arched-lower-back.png" in page


def test_a_rung_without_a_figure_says_so(admin_client, exercise):
    variation = Variation.objects.get(level=1)
    variation.figure = ""
    variation.save()
    page = admin_client.get(
        reverse("admin:coaching_variation_change", args=[variation.pk])
    ).content.decode()
    assert "No figure chosen." in page


def test_the_illustration_page_shows_each_rendition(admin_client, exercise, media_root):
    illustration = _illustration(exercise)
    response = admin_client.get(
        reverse("admin:coaching_illustration_change", args=[illustration.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    thumbs = re.findall(r'<img class="admin-extra-thumb" [^>]*>', page)
    assert len(thumbs) == len(illustration.renditions) == 6
    assert all(
        'loading="lazy"' in thumb and 'alt="The bench against the wall (' in thumb
        for thumb in thumbs
    )
    for rendition in illustration.renditions:
        assert f"/media/{rendition['name']}" in page
    assert "480 × 240 · WEBP" in page
    assert "1440 × 720 · JPEG" in page
    assert "1600 × 800" in page  # the original
    assert "style=" not in page[page.index("admin-extra-renditions") :].split("</ul>")[0]


def test_the_illustration_list_has_a_thumbnail(admin_client, exercise, media_root):
    illustration = _illustration(exercise)
    page = admin_client.get(reverse("admin:coaching_illustration_changelist")).content.decode()
    narrowest = min(illustration.fallback, key=lambda r: r["width"])
    assert re.search(
        rf'<img class="admin-extra-thumb-small" src="/media/{re.escape(narrowest["name"])}" '
        r'width="480" height="240" alt="The bench against the wall" loading="lazy">',
        page,
    )


def test_a_words_only_edit_in_the_admin_keeps_the_photo(admin_client, exercise, media_root):
    illustration = _illustration(exercise)
    url = reverse("admin:coaching_illustration_change", args=[illustration.pk])
    data = _change_form_data(admin_client.get(url))
    data["caption"] = "Wall behind the bench"
    data.pop("photo", None)

    assert admin_client.post(url, data).status_code == 302
    illustration.refresh_from_db()
    assert illustration.caption == "Wall behind the bench"
    assert len(illustration.renditions) == 6


def test_a_photo_escapes_its_alt_text(admin_client, exercise, media_root):
    illustration = _illustration(exercise, alt_text='A "quoted" <b>bold</b> bench')
    page = admin_client.get(
        reverse("admin:coaching_illustration_change", args=[illustration.pk])
    ).content.decode()
    assert "<b>bold</b>" not in page
    assert "A &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt; bench (480 px, WEBP)" in page


# View on site.


def test_view_on_site_links_lead_to_the_pages_each_object_changes(
    admin_client, exercise, media_root
):
    variation = Variation.objects.get(slug="single-leg-hip-thrust")
    error = FormError.objects.get(slug="bouncing")
    cue = Cue.objects.get(exercise=exercise, phase="top", order=1)
    breathing = Cue.objects.get(exercise=exercise, phase="breathing", order=1)
    on_guide = _illustration(exercise)
    on_rung = _illustration(exercise, placement="variation", variation=variation.pk)
    on_error = _illustration(exercise, placement="form-error", form_error=error.pk)
    expected = [
        ("exercise", exercise.pk, "/guide/"),
        ("variation", variation.pk, "/ladder/single-leg-hip-thrust/"),
        ("formerror", error.pk, "/form-errors/bouncing/"),
        ("cue", cue.pk, "/guide/#top-position"),
        ("cue", breathing.pk, "/guide/#descent"),
        ("illustration", on_guide.pk, "/guide/#setup"),
        ("illustration", on_rung.pk, "/ladder/single-leg-hip-thrust/"),
        ("illustration", on_error.pk, "/form-errors/bouncing/"),
    ]
    for model, pk, target in expected:
        page = admin_client.get(
            reverse(f"admin:coaching_{model}_change", args=[pk])
        ).content.decode()
        assert _landing(admin_client, _view_on_site(page)) == target, model


def test_the_cue_list_links_each_cue_to_its_guide_section(admin_client, exercise):
    page = admin_client.get(
        reverse("admin:coaching_cue_changelist"), {"phase__exact": "execution"}
    ).content.decode()
    assert page.count('<a href="/guide/#execution">Guide section</a>') == 3


def test_tempo_presets_are_listed_by_their_order(admin_client, exercise):
    response = admin_client.get(reverse("admin:coaching_tempopreset_changelist"))
    listed = list(response.context["cl"].result_list)
    assert listed == list(TempoPreset.objects.order_by("order", "name"))


def _tempo_data(preset: TempoPreset | None = None, **seconds) -> dict:
    data = {
        "name": preset.name if preset else "Very slow",
        "slug": preset.slug if preset else "very-slow",
        "order": 9,
        "description": "",
        "lowering_seconds": 3,
        "bottom_pause_seconds": 0,
        "lifting_seconds": 1,
        "top_hold_seconds": 1,
        **seconds,
    }
    return data


OUT_OF_RANGE_SECONDS = [
    ("lowering_seconds", "0", "At least 1 second"),
    ("lifting_seconds", "0", "At least 1 second"),
    ("lowering_seconds", "31", "At most 30 seconds"),
    ("top_hold_seconds", "31", "At most 30 seconds"),
    ("bottom_pause_seconds", "1e20", "whole number"),
    ("lifting_seconds", "100000000000000000000", "At most 30 seconds"),
]


@pytest.mark.parametrize(("field", "value", "message"), OUT_OF_RANGE_SECONDS)
def test_out_of_range_tempo_seconds_are_refused_on_their_field(
    admin_client, exercise, field, value, message
):
    preset = TempoPreset.objects.order_by("pk").first()
    before = TempoPreset.objects.values().get(pk=preset.pk)
    change_url = reverse("admin:coaching_tempopreset_change", args=[preset.pk])
    # What the change page was drawn with, as a browser posts it back.
    drawn = admin_client.get(change_url).context["adminform"].form["page_fingerprint"].value()
    for url, data in (
        (change_url, _tempo_data(preset, page_fingerprint=drawn, **{field: value})),
        (reverse("admin:coaching_tempopreset_add"), _tempo_data(**{field: value})),
    ):
        response = admin_client.post(url, data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == [field]
        assert message in " ".join(errors[field])
    assert not TempoPreset.objects.filter(slug="very-slow").exists()
    assert TempoPreset.objects.values().get(pk=preset.pk) == before


@pytest.mark.parametrize("seconds", [(0, 0, 1, 0), (31, 0, 1, 0), (3, 0, 1, 10**20)])
def test_a_tempo_preset_names_itself_whatever_its_seconds(seconds):
    lowering, pause, lifting, hold = seconds
    preset = TempoPreset(
        name="Odd",
        lowering_seconds=lowering,
        bottom_pause_seconds=pause,
        lifting_seconds=lifting,
        top_hold_seconds=hold,
    )
    assert str(preset) == f"Odd ({lowering}-{pause}-{lifting}-{hold})"


@pytest.mark.parametrize(
    ("model", "slug"),
    [(Variation, "single-leg-hip-thrust"), (FormError, "bouncing")],
    ids=["variation", "form-error"],
)
def test_a_saved_slug_is_shown_not_offered_for_change(admin_client, exercise, model, slug):
    # Changed, every kept address of the page (links, a prescription's timer plan, the
    # copies a device keeps offline) answered 404.
    row = model.objects.get(slug=slug)
    url = reverse(f"admin:coaching_{model._meta.model_name}_change", args=[row.pk])
    page = admin_client.get(url)
    data = {**_change_form_data(page), "slug": "Renamed"}
    assert admin_client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.slug == slug
    assert 'name="slug"' not in admin_client.get(url).content.decode()
    add = reverse(f"admin:coaching_{model._meta.model_name}_add")
    assert 'name="slug"' in admin_client.get(add).content.decode()


def test_a_saved_slug_cannot_be_changed_on_the_exercise_pages_rows(admin_client, exercise):
    # Rung 1's slug changed there broke /ladder/floor-glute-bridge/ and the timer's plan.
    rung = Variation.objects.get(exercise=exercise, level=1)
    error = FormError.objects.get(slug="bouncing")
    url, page = _exercise_change(admin_client, exercise)
    data = _change_form_data(page)
    variation_row = _row(data, "variations", rung.pk)
    error_row = _row(data, "form_errors", error.pk)
    assert page.context["inline_admin_formsets"][2].formset.forms[0].fields["slug"].disabled
    data[f"{variation_row}-slug"] = "renamed-rung"
    data[f"{error_row}-slug"] = "renamed-error"

    assert admin_client.post(url, data).status_code == 302

    rung.refresh_from_db()
    error.refresh_from_db()
    assert (rung.slug, error.slug) == ("floor-glute-bridge", "bouncing")
    assert admin_client.get(rung.get_absolute_url()).status_code == 200


def test_a_new_form_error_row_still_chooses_its_slug(admin_client, exercise):
    url, page = _exercise_change(admin_client, exercise)
    data = _change_form_data(page)
    new = int(data["form_errors-TOTAL_FORMS"])
    data["form_errors-TOTAL_FORMS"] = new + 1
    data.update(
        {
            f"form_errors-{new}-order": 99,
            f"form_errors-{new}-name": "Knee drifting out",
            f"form_errors-{new}-slug": "knee-drifting-out",
            f"form_errors-{new}-what_you_see": "The knee drifts out.",
            f"form_errors-{new}-why_it_matters": "The hip stops doing the work.",
            f"form_errors-{new}-how_to_fix": "Keep the knee over the foot.",
            f"form_errors-{new}-fix_cue": "Knee over foot",
        }
    )

    assert admin_client.post(url, data).status_code == 302

    assert FormError.objects.get(slug="knee-drifting-out").order == 99


def test_an_optional_load_on_a_body_weight_rung_is_refused_on_its_field(admin_client, exercise):
    # Saved, the rung's page said "Load: Optional: a dumbbell or kettlebell" on a floor bridge.
    rung = Variation.objects.get(slug="floor-glute-bridge")
    assert not rung.takes_external_load
    url = reverse("admin:coaching_variation_change", args=[rung.pk])
    data = _change_form_data(admin_client.get(url))
    data["load_is_optional"] = "on"

    refused = admin_client.post(url, data)

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert errors == {
        "load_is_optional": [
            "A load can be optional only on a rung that takes external load: tick "
            "“Takes external load” too, or leave this unticked."
        ]
    }
    rung.refresh_from_db()
    assert not rung.load_is_optional
    assert "Optional: a dumbbell" not in admin_client.get(rung.get_absolute_url()).content.decode()
