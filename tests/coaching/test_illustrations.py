"""Coach-uploaded photos: cleaned, stored with renditions, refused clearly, never half-saved."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from coaching.forms import IllustrationForm
from coaching.models import Illustration

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def _jpeg(width=2000, height=1000, *, gps=True) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _png(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def _files(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    )


def _form(exercise, upload, **fields) -> IllustrationForm:
    data = {
        "exercise": exercise.pk,
        "placement": "guide-top",
        "order": 0,
        "alt_text": "A person at the top of the thrust",
        "caption": "",
        **fields,
    }
    files = {"photo": upload} if upload is not None else {}
    return IllustrationForm(data=data, files=files)


def test_a_photo_is_stored_without_metadata_and_with_its_renditions(exercise, media_root):
    form = _form(exercise, SimpleUploadedFile("My Photo.JPG", _jpeg(), "image/jpeg"))
    assert form.is_valid(), form.errors
    illustration = form.save()

    illustration.refresh_from_db()
    assert (illustration.width, illustration.height) == (2000, 1000)
    stored = Image.open(default_storage.open(illustration.image.name))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    sizes = [(r["width"], r["height"], r["content_type"]) for r in illustration.renditions]
    assert sizes == [
        (480, 240, "image/webp"),
        (480, 240, "image/jpeg"),
        (960, 480, "image/webp"),
        (960, 480, "image/jpeg"),
        (1440, 720, "image/webp"),
        (1440, 720, "image/jpeg"),
    ]
    for rendition in illustration.renditions:
        with default_storage.open(rendition["name"]) as handle:
            opened = Image.open(handle)
            assert opened.size == (rendition["width"], rendition["height"])
            assert dict(opened.getexif()) == {}
    assert len(_files(media_root)) == 7


def _noise_png(width: int, height: int) -> bytes:
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    return _png(image, compress_level=0)


def _bomb_png() -> bytes:
    return _png(Image.new("1", (10_000, 10_000)))


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (20, 20)).save(buffer, "GIF")
    return buffer.getvalue()


BAD_UPLOADS = {
    "not an image": ("notes.png", b"just some text, not a picture", "not a picture"),
    "truncated": ("cut.jpg", _jpeg(400, 300, gps=False)[:1500], "incomplete or damaged"),
    "svg with script": (
        "drawing.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "not a picture",
    ),
    "svg by name": ("drawing.svg", b"<svg></svg>", "JPEG, PNG or WebP"),
    "decompression bomb": ("bomb.png", _bomb_png(), "megapixels"),
    "wrong extension": ("photo.gif", _gif(), "JPEG, PNG or WebP"),
    "gif renamed": ("photo.png", _gif(), "GIF"),
    "png named jpg": ("photo.jpg", _png(Image.new("RGB", (30, 30))), "really a PNG"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_is_refused_on_the_field_and_leaves_nothing(exercise, media_root, case):
    name, content, message = BAD_UPLOADS[case]
    form = _form(exercise, SimpleUploadedFile(name, content))
    assert not form.is_valid()
    assert list(form.errors) == ["photo"]
    assert message in form.errors["photo"][0]
    assert Illustration.objects.count() == 0
    assert _files(media_root) == []


def test_an_oversized_file_is_refused_before_it_is_decoded(exercise, media_root):
    form = _form(exercise, SimpleUploadedFile("big.png", _noise_png(2000, 1800)))
    assert not form.is_valid()
    assert "the limit is 10 MB" in form.errors["photo"][0]
    assert _files(media_root) == []


def test_a_storage_failure_midway_leaves_no_files_and_no_row(exercise, media_root, monkeypatch):
    form = _form(exercise, SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg"))
    assert form.is_valid(), form.errors
    real_save = default_storage.save
    calls = []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 4:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        form.save()
    assert len(calls) == 4
    assert Illustration.objects.count() == 0
    assert _files(media_root) == []


def test_a_database_failure_removes_the_files_it_wrote(exercise, media_root, monkeypatch):
    form = _form(exercise, SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg"))
    assert form.is_valid()

    def refuse(*args, **kwargs):
        raise IntegrityError("refused")

    monkeypatch.setattr(Illustration, "save", refuse)
    with pytest.raises(IntegrityError):
        form.save()
    assert _files(media_root) == []


def test_deleting_a_photo_removes_its_files(
    exercise, media_root, django_capture_on_commit_callbacks
):
    form = _form(exercise, SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg"))
    assert form.is_valid()
    illustration = form.save()
    with django_capture_on_commit_callbacks(execute=True):
        illustration.delete()
    assert _files(media_root) == []


def test_replacing_a_photo_removes_the_old_files_once_saved(
    exercise, media_root, django_capture_on_commit_callbacks
):
    first = _form(exercise, SimpleUploadedFile("one.jpg", _jpeg(), "image/jpeg"))
    assert first.is_valid()
    illustration = first.save()
    old = set(illustration.stored_names())

    second = IllustrationForm(
        data={
            "exercise": exercise.pk,
            "placement": "guide-top",
            "order": 0,
            "alt_text": "New photo",
        },
        files={"photo": SimpleUploadedFile("two.png", _png(Image.new("RGBA", (600, 400))))},
        instance=illustration,
    )
    assert second.is_valid(), second.errors
    with django_capture_on_commit_callbacks(execute=True):
        second.save()
    remaining = set(_files(media_root))
    assert not old & remaining
    assert len(remaining) == 3  # the PNG original, one WebP and one PNG rendition at 600 px


def test_editing_only_the_words_keeps_the_photo(exercise, media_root):
    form = _form(exercise, SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg"))
    assert form.is_valid()
    illustration = form.save()
    edit = IllustrationForm(
        data={
            "exercise": exercise.pk,
            "placement": "guide-top",
            "order": 1,
            "alt_text": "Better words",
        },
        instance=illustration,
    )
    assert edit.is_valid(), edit.errors
    edit.save()
    illustration.refresh_from_db()
    assert illustration.alt_text == "Better words"
    assert len(_files(media_root)) == 7


def test_alt_text_is_required(exercise, media_root):
    form = _form(exercise, SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg"), alt_text="   ")
    assert not form.is_valid()
    assert "alt_text" in form.errors
    assert _files(media_root) == []


def test_the_database_refuses_a_photo_without_alt_text_or_with_a_mismatched_target(exercise):
    variation = exercise.variations.first()
    fields = {"exercise": exercise, "image": "x.jpg", "width": 1, "height": 1}
    for bad in (
        {"placement": "guide-top", "alt_text": ""},
        {"placement": "variation", "alt_text": "a"},
        {"placement": "guide-top", "alt_text": "a", "variation": variation},
        {"placement": "somewhere", "alt_text": "a"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Illustration.objects.create(**fields, **bad)


def test_the_form_asks_for_the_target_its_placement_needs(exercise, media_root):
    form = _form(
        exercise, SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg"), placement="variation"
    )
    assert not form.is_valid()
    assert form.errors["variation"] == ["Choose the variation this photo shows."]
    assert _files(media_root) == []


def test_pages_show_photos_with_srcset_sizes_dimensions_and_lazy_loading(
    client, exercise, media_root
):
    variation = exercise.variations.get(slug="banded-single-leg-hip-thrust")
    form = _form(
        exercise,
        SimpleUploadedFile("band.jpg", _jpeg(), "image/jpeg"),
        placement="variation",
        variation=variation.pk,
        alt_text="The band sits just above both knees",
    )
    assert form.is_valid(), form.errors
    illustration = form.save()
    html = client.get(variation.get_absolute_url()).content.decode()
    webp = [r for r in illustration.renditions if r["content_type"] == "image/webp"]
    assert '<source type="image/webp" srcset="' in html
    assert f"/media/{webp[0]['name']} 480w" in html
    assert 'sizes="(min-width: 66rem) 62rem, calc(100vw - 2rem)"' in html
    assert 'width="1440" height="720"' in html
    assert 'alt="The band sits just above both knees"' in html
    assert 'loading="lazy"' in html


def _admin_photo_fields(exercise) -> dict:
    """The admin's photo form but the photo: one for the guide's setup."""
    return {
        "exercise": exercise.pk,
        "placement": "guide-setup",
        "order": 0,
        "alt_text": "Setting up against the bench",
        "caption": "",
    }


def test_a_coach_uploads_a_photo_in_the_admin_and_a_bad_one_is_refused_there(
    admin_client, exercise, media_root
):
    url = reverse("admin:coaching_illustration_add")
    fields = _admin_photo_fields(exercise)
    bad = admin_client.post(url, {**fields, "photo": SimpleUploadedFile("x.png", b"nope")})
    assert bad.status_code == 200
    assert "not a picture we can read" in bad.content.decode()
    assert Illustration.objects.count() == 0

    good = admin_client.post(
        url, {**fields, "photo": SimpleUploadedFile("setup.jpg", _jpeg(), "image/jpeg")}
    )
    assert good.status_code == 302
    illustration = Illustration.objects.get()
    assert illustration.alt_text == "Setting up against the bench"
    assert len(_files(media_root)) == 7


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [
        ("dot.png", _png(Image.new("RGB", (1, 1))), "1 × 1"),
        ("strip.jpg", _jpeg(479, 2000, gps=False), "479 × 2000"),
        # Upright it is 300 wide: the camera's orientation tag turns 2000 × 300 on its side.
        ("sideways.jpg", None, "300 × 2000"),
    ],
    ids=["one pixel", "479 wide", "narrow once upright"],
)
def test_a_photo_narrower_than_the_smallest_rendition_is_refused_on_its_field(
    admin_client, exercise, media_root, name, content, size
):
    if content is None:
        buffer = io.BytesIO()
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90° to show upright
        Image.new("RGB", (2000, 300), (200, 120, 40)).save(buffer, "JPEG", exif=exif)
        content = buffer.getvalue()
    url = reverse("admin:coaching_illustration_add")
    fields = _admin_photo_fields(exercise)
    response = admin_client.post(url, {**fields, "photo": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["photo"]
    assert form.errors["photo"] == [
        f"The picture is {size} pixels; it must be at least 480 pixels wide, or the page "
        "shows it stretched and blurred. Upload the photo at a larger size."
    ]
    assert Illustration.objects.count() == 0
    assert _files(media_root) == []


def test_a_photo_as_wide_as_the_smallest_rendition_is_kept(exercise, media_root):
    form = _form(exercise, SimpleUploadedFile("narrow.jpg", _jpeg(480, 200), "image/jpeg"))
    assert form.is_valid(), form.errors
    illustration = form.save()
    assert (illustration.width, illustration.height) == (480, 200)
    assert [r["width"] for r in illustration.renditions] == [480, 480]
