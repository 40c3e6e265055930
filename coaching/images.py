"""Upload pipeline for coach photos: check the upload, decode it safely, strip it, resize it.

Plain Pillow so it can be tested without Django; the model and form layer only call
`clean_upload`, `refuse_too_small` and `make_renditions`, and show `ImageRejected` messages
to the coach.

A file whose contents and name disagree (a PNG called ``.jpg``) is refused rather than
silently renamed: the coach learns what the file really is, and nothing downstream ever
trusts a name that lies about its bytes.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from PIL import Image, ImageCms, ImageOps

ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
ALLOWED_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (480, 960, 1440)
# The page shows a photo across its column (at least 480 CSS px wide on most screens): a
# narrower one is shown stretched and blurred, so the smallest rendition is the least kept.
MIN_WIDTH = min(RENDITION_WIDTHS)
# WebP cannot encode a longer side, and renditions never grow a side, so this cap at upload
# time is what guarantees every rendition can be written.
MAX_SIDE = 16_383

_EXTENSION_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# Cameras save multi-picture JPEGs (stereo pairs, depth maps); Pillow calls them MPO,
# but the first picture is an ordinary JPEG and every browser shows it as one.
_FORMAT_ALIASES = {"MPO": "JPEG"}
_FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
_CONTENT_TYPES = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
# Only these decoders ever see uploaded bytes, which keeps Pillow's rarer parsers out of reach.
_DECODERS = ("JPEG", "PNG", "WEBP")
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    # method 4 rather than 6: renditions are made inside the upload request.
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "progressive": True, "optimize": True},
    "PNG": {"optimize": True},
}
_READ_CHUNK = 1024 * 1024
_SIXTEEN_BIT_GREY = {"I", "I;16", "I;16B", "I;16L", "I;16N"}
_ALPHA_MODES = {"RGBA", "RGBa", "LA", "La", "PA"}
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

_ACCEPTED = "a JPEG, PNG or WebP image"
NOT_A_PICTURE = f"This file is not a picture we can read; upload {_ACCEPTED}."
DAMAGED = "The file is incomplete or damaged; export the picture again and upload the new file."
EMPTY = f"The file is empty; upload {_ACCEPTED}."


class ImageRejected(ValueError):
    """An upload we will not keep; ``str(error)`` is a sentence to show the coach."""


@dataclass(frozen=True)
class CleanImage:
    image: Image.Image
    source_format: str
    width: int
    height: int
    has_alpha: bool


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str
    extension: str
    content_type: str
    data: bytes


def clean_upload(
    fileobj: BinaryIO,
    filename: str,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> CleanImage:
    """Check and decode an upload into upright, metadata-free RGB or RGBA pixels.

    Raises `ImageRejected`, and nothing else, for anything wrong with the upload itself.
    """
    extension = _checked_extension(filename)
    data = _read_capped(fileobj, max_bytes)
    image, source_format = _decode(data, extension, max_pixels)
    pixels = _pixels_only(image)
    return CleanImage(
        image=pixels,
        source_format=source_format,
        width=pixels.width,
        height=pixels.height,
        has_alpha=pixels.mode == "RGBA",
    )


def refuse_too_small(clean: CleanImage, min_width: int = MIN_WIDTH) -> CleanImage:
    """`clean` if it is at least `min_width` pixels wide, upright (the page's column is filled
    by the width); else `ImageRejected` naming both sizes."""
    if clean.width < min_width:
        raise ImageRejected(
            f"The picture is {clean.width} × {clean.height} pixels; it must be at least "
            f"{min_width} pixels wide, or the page shows it stretched and blurred. "
            "Upload the photo at a larger size."
        )
    return clean


def make_renditions(clean: CleanImage, widths: Sequence[int] = RENDITION_WIDTHS) -> list[Rendition]:
    """Resize to each width that fits (never upscaling), as WebP plus a JPEG or PNG fallback.

    Ordered by ascending width, WebP first at each width.
    """
    image = clean.image
    fallback = "PNG" if clean.has_alpha else "JPEG"
    renditions = []
    for width in _fitting_widths(image.width, widths):
        height = max(1, round(image.height * width / image.width))
        resized = (
            image
            if width == image.width
            # reducing_gap halves the time on big photos; Pillow documents the result as
            # indistinguishable from a full Lanczos pass "in most cases" at 3.0.
            else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        renditions.extend(_encode(resized, format_) for format_ in ("WEBP", fallback))
    return renditions


def _checked_extension(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    _, dot, suffix = name.rpartition(".")
    extension = f".{suffix.lower()}" if dot else ""
    if extension not in ALLOWED_EXTENSIONS:
        shown = name if len(name) <= 60 else f"{name[:57]}…"
        which = f"“{shown}” is not one" if shown else "this file has no name"
        raise ImageRejected(f"Upload {_ACCEPTED} (.jpg, .jpeg, .png or .webp); {which}.")
    return extension


def _read_capped(fileobj: BinaryIO, max_bytes: int) -> bytes:
    # Django's own validation may already have read the upload.
    _seek_if_possible(fileobj, 0)
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    # Loop because streams may return short reads; stop one byte past the limit so an
    # oversized upload is never pulled into memory whatever size it claims to have.
    while remaining > 0:
        chunk = fileobj.read(min(remaining, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise ImageRejected(_too_big_message(_seek_if_possible(fileobj, 0, io.SEEK_END), max_bytes))
    if not data:
        raise ImageRejected(EMPTY)
    return data


def _seek_if_possible(fileobj: BinaryIO, offset: int, whence: int = io.SEEK_SET) -> int | None:
    try:
        if fileobj.seekable():
            return fileobj.seek(offset, whence)
    except (AttributeError, OSError, ValueError):
        pass
    return None


def _decode(data: bytes, extension: str, max_pixels: int) -> tuple[Image.Image, str]:
    limit = _pixel_limit(max_pixels)
    with warnings.catch_warnings():
        # The explicit pixel check below is at least as strict as Pillow's warning and
        # names the picture's size, so the warning would only add log noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=_DECODERS)
        except Image.DecompressionBombError as error:
            raise ImageRejected(
                f"The picture has too many pixels; the limit is {_describe_pixels(limit)}."
            ) from error
        # Pillow's parsers raise many unrelated types for hostile bytes; all mean "unreadable".
        except Exception as error:
            raise ImageRejected(_unreadable_message(data)) from error

        reported = probe.format or ""
        source_format = _FORMAT_ALIASES.get(reported, reported)
        if source_format not in ALLOWED_FORMATS:
            raise ImageRejected(NOT_A_PICTURE)
        named_format = _EXTENSION_FORMATS[extension]
        if source_format != named_format:
            raise ImageRejected(
                f"This file is really a {_FORMAT_NAMES[source_format]} image, but its name "
                f"ends in {extension}; rename it to end in {ALLOWED_FORMATS[source_format]} "
                "and upload it again."
            )
        width, height = probe.size
        if width * height > limit:
            raise ImageRejected(
                f"The picture is {width} × {height} pixels; the limit is {_describe_pixels(limit)}."
            )
        if max(width, height) > MAX_SIDE:
            raise ImageRejected(
                f"The picture is {width} × {height} pixels; "
                f"each side can be at most {MAX_SIDE:,} pixels."
            )
        try:
            probe.verify()
            # verify() leaves the image unusable, so decode from a fresh parse.
            image = Image.open(io.BytesIO(data), formats=_DECODERS)
            image.load()
        except Exception as error:
            raise ImageRejected(DAMAGED) from error
    return image, source_format


def _pixel_limit(max_pixels: int) -> int:
    # Anything Pillow would warn about as a possible bomb is refused too, whatever the caller
    # allows, without touching Pillow's process-wide setting.
    if Image.MAX_IMAGE_PIXELS is None:
        return max_pixels
    return min(max_pixels, Image.MAX_IMAGE_PIXELS)


def _pixels_only(image: Image.Image) -> Image.Image:
    # In place, and no copies below unless a conversion is needed: at 40 megapixels every
    # extra copy of the picture costs over 100 MB.
    # Broken EXIF should not cost the coach the photo; the EXIF is discarded anyway.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    coloured = _to_rgb_or_rgba(_to_srgb(image))
    # A brand-new image carries nothing but pixels: no EXIF, GPS, XMP, ICC, comments or text.
    fresh = Image.new(coloured.mode, coloured.size)
    fresh.paste(coloured)
    return fresh


def _to_srgb(image: Image.Image) -> Image.Image:
    # Phone photos are often Display P3 or Adobe RGB; dropping the profile without converting
    # would wash out their colours, since browsers treat untagged pictures as sRGB.
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in {"RGB", "RGBA", "CMYK", "L"}:
        return image
    if "transparency" in image.info:
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            _SRGB,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    # A malformed or mismatched embedded profile is the uploader's metadata, not the picture.
    except Exception:
        return image


def _to_rgb_or_rgba(image: Image.Image) -> Image.Image:
    if image.mode in _SIXTEEN_BIT_GREY:
        # Pillow clips 16-bit values at 255 when converting, which would turn the photo white.
        return image.convert("I").point(lambda value: value / 256).convert("L").convert("RGB")
    if image.mode not in _ALPHA_MODES and "transparency" not in image.info:
        return image if image.mode == "RGB" else image.convert("RGB")
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    # A fully opaque alpha channel only makes files bigger and forces PNG fallbacks.
    if rgba.getextrema()[3] == (255, 255):
        return rgba.convert("RGB")
    return rgba


def _fitting_widths(image_width: int, widths: Sequence[int]) -> list[int]:
    wanted = sorted(set(widths))
    if not wanted or wanted[0] < 1:
        raise ValueError(f"Rendition widths must be positive, got {list(widths)!r}.")
    return [width for width in wanted if width <= image_width] or [image_width]


def _encode(image: Image.Image, format_: str) -> Rendition:
    buffer = io.BytesIO()
    image.save(buffer, format_, **_SAVE_OPTIONS[format_])
    return Rendition(
        width=image.width,
        height=image.height,
        format=format_,
        extension=ALLOWED_FORMATS[format_],
        content_type=_CONTENT_TYPES[format_],
        data=buffer.getvalue(),
    )


def _unreadable_message(data: bytes) -> str:
    kind = _sniff(data)
    if kind in ALLOWED_FORMATS:
        # It starts like a picture we accept, so the coach's copy is broken, not the wrong type.
        return DAMAGED
    if kind:
        return f"This file is a {kind} image, which we can't use; upload {_ACCEPTED} instead."
    return NOT_A_PICTURE


def _sniff(data: bytes) -> str | None:
    """Name a file type from its first bytes, only to word the rejection helpfully."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    # "BM" alone is too common in text; also require a known BMP header size.
    if data[:2] == b"BM" and int.from_bytes(data[14:18], "little") in _BMP_HEADER_SIZES:
        return "BMP"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in {b"avif", b"avis"}:
            return "AVIF"
        if brand in {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}:
            return "HEIC"
    return None


def _describe_bytes(count: int) -> str:
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"


def _too_big_message(total: int | None, max_bytes: int) -> str:
    limit = _describe_bytes(max_bytes)
    if total is None or _describe_bytes(total) == limit:
        return f"The file is larger than the {limit} limit."
    return f"The file is {_describe_bytes(total)}; the limit is {limit}."


def _describe_pixels(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}".removesuffix(".0") + " megapixels"
    return f"{count:,} pixels"
