import io
import struct
import warnings
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

from coaching.images import (
    MAX_PIXELS,
    CleanImage,
    ImageRejected,
    clean_upload,
    make_renditions,
)

GPS_IFD = 0x8825
ORIENTATION = 0x0112
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment")


def encode(image: Image.Image, format_: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format_, **params)
    return buffer.getvalue()


def photo(size=(64, 48), mode="RGB") -> Image.Image:
    """A picture with some structure, so lossy encoders have something real to compress."""
    image = Image.new("RGB", size, (200, 180, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), (30, 90, 200))
    return image.convert(mode)


def half_transparent(size=(64, 48)) -> Image.Image:
    image = Image.new("RGBA", size, (255, 0, 0, 255))
    image.paste((0, 0, 255, 0), (0, 0, size[0] // 2, size[1]))
    return image


def upload(data: bytes, filename: str, **limits) -> CleanImage:
    return clean_upload(io.BytesIO(data), filename, **limits)


def rejection(data: bytes, filename: str, **limits) -> str:
    with pytest.raises(ImageRejected) as caught:
        upload(data, filename, **limits)
    return str(caught.value)


def png_claiming(width: int, height: int) -> bytes:
    """A real one-pixel PNG whose header says it is far larger; its pixel data is never enough."""
    data = bytearray(encode(Image.new("RGB", (1, 1)), "PNG"))
    # Signature (8) + IHDR length (4) + "IHDR" (4), then width and height.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def upload_from(fileobj) -> CleanImage:
    return clean_upload(fileobj, "squat.png")


def assert_no_metadata(image: Image.Image) -> None:
    assert not image.getexif()
    assert not [key for key in METADATA_KEYS if key in image.info]


# Accepting good pictures


@pytest.mark.parametrize(
    ("format_", "filename"),
    [("JPEG", "squat.jpg"), ("JPEG", "SQUAT.JPEG"), ("PNG", "squat.png"), ("WEBP", "squat.webp")],
)
def test_it_accepts_a_good_picture_and_describes_it(format_, filename):
    clean = upload(encode(photo((64, 48)), format_), filename)

    assert clean.source_format == format_
    assert (clean.width, clean.height) == (64, 48) == clean.image.size
    assert clean.image.mode == "RGB"
    assert clean.has_alpha is False


def test_it_returns_a_fully_loaded_image():
    clean = upload(encode(photo(), "PNG"), "squat.png")

    assert clean.image.getpixel((32, 24)) == (30, 90, 200)


def test_it_keeps_the_transparency_of_an_rgba_png():
    clean = upload(encode(half_transparent(), "PNG"), "logo.png")

    assert clean.image.mode == "RGBA"
    assert clean.has_alpha is True
    assert clean.image.getpixel((0, 0)) == (0, 0, 255, 0)
    assert clean.image.getpixel((63, 0)) == (255, 0, 0, 255)


def test_it_keeps_the_transparency_of_a_webp():
    clean = upload(encode(half_transparent(), "WEBP", lossless=True), "logo.webp")

    assert clean.has_alpha is True
    assert clean.image.getpixel((63, 0)) == (255, 0, 0, 255)


def test_it_keeps_a_transparent_palette_colour_as_alpha():
    palette = half_transparent().convert("RGB").quantize(2)
    transparent_index = palette.getpixel((0, 0))

    clean = upload(encode(palette, "PNG", transparency=transparent_index), "logo.png")

    assert clean.has_alpha is True
    assert clean.image.getpixel((0, 0))[3] == 0
    assert clean.image.getpixel((63, 0))[3] == 255


def test_it_drops_an_alpha_channel_that_is_fully_opaque():
    clean = upload(encode(photo(mode="RGBA"), "PNG"), "squat.png")

    assert clean.image.mode == "RGB"
    assert clean.has_alpha is False


@pytest.mark.parametrize(
    ("mode", "format_", "filename"),
    [
        ("1", "PNG", "x.png"),
        ("L", "PNG", "x.png"),
        ("L", "JPEG", "x.jpg"),
        ("P", "PNG", "x.png"),
        ("CMYK", "JPEG", "x.jpg"),
    ],
)
def test_it_converts_other_colour_modes_to_rgb(mode, format_, filename):
    clean = upload(encode(photo(mode=mode), format_), filename)

    assert clean.image.mode == "RGB"
    assert clean.image.size == (64, 48)


def test_it_converts_greyscale_with_alpha_to_rgba():
    clean = upload(encode(half_transparent().convert("LA"), "PNG"), "x.png")

    assert clean.image.mode == "RGBA"
    assert clean.image.getpixel((0, 0))[3] == 0


def test_it_scales_16_bit_greyscale_instead_of_clipping_it_to_white():
    deep = Image.new("I;16", (2, 1))
    deep.putpixel((0, 0), 65535)
    deep.putpixel((1, 0), 32768)

    clean = upload(encode(deep, "PNG"), "scan.png")

    assert clean.image.mode == "RGB"
    assert clean.image.getpixel((0, 0)) == (255, 255, 255)
    assert clean.image.getpixel((1, 0)) == (128, 128, 128)


def test_it_accepts_a_multi_picture_jpeg_from_a_camera_as_a_jpeg():
    data = encode(photo(), "MPO", save_all=True, append_images=[photo()])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    clean = upload(data, "stereo.jpg")

    assert clean.source_format == "JPEG"
    assert clean.image.size == (64, 48)


def test_it_takes_the_first_frame_of_an_animated_png():
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    data = encode(frames[0], "PNG", save_all=True, append_images=frames[1:])

    clean = upload(data, "loop.png")

    assert clean.image.getpixel((0, 0)) == (255, 0, 0)


def test_it_reads_uploads_that_were_already_read_and_streams_that_return_short_reads():
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes):
            self._data = data

        def readable(self):
            return True

        def readinto(self, buffer):
            count = min(len(buffer), 7, len(self._data))
            buffer[:count], self._data = self._data[:count], self._data[count:]
            return count

    data = encode(photo(), "PNG")
    already_read = io.BytesIO(data)
    already_read.read()

    assert upload_from(already_read).image.size == (64, 48)
    assert upload_from(Trickle(data)).image.size == (64, 48)


# Orientation and metadata


def test_it_applies_exif_orientation():
    # Left half red, right half blue; orientation 6 means "turn 90° clockwise to view".
    sideways = Image.new("RGB", (40, 20), "blue")
    sideways.paste("red", (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = 6

    clean = upload(encode(sideways, "JPEG", exif=exif, quality=95), "sideways.jpg")

    assert clean.image.size == (20, 40)
    top, bottom = clean.image.getpixel((10, 5)), clean.image.getpixel((10, 35))
    assert top[0] > 200 > top[2]
    assert bottom[2] > 200 > bottom[0]


def exif_with_location() -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0)}
    return exif


@pytest.mark.parametrize(
    ("format_", "filename"), [("JPEG", "gym.jpg"), ("PNG", "gym.png"), ("WEBP", "gym.webp")]
)
def test_it_strips_exif_gps_and_xmp(format_, filename):
    xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/">coach at home</x:xmpmeta>'
    if format_ == "PNG":
        chunks = PngInfo()
        chunks.add_itxt("XML:com.adobe.xmp", xmp)
        carrier = {"pnginfo": chunks}
    else:
        carrier = {"xmp": xmp.encode()}
    data = encode(photo((40, 20)), format_, exif=exif_with_location(), **carrier)
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(GPS_IFD)
    assert "xmp" in original.info or "XML:com.adobe.xmp" in original.info

    clean = upload(data, filename)

    assert clean.image.size == (20, 40)
    assert_no_metadata(clean.image)
    assert not clean.image.getexif().get_ifd(GPS_IFD)
    for rendition in make_renditions(clean):
        reopened = Image.open(io.BytesIO(rendition.data))
        assert_no_metadata(reopened)
        assert not reopened.getexif().get_ifd(GPS_IFD)


def test_it_strips_png_text_chunks_and_colour_profiles():
    text = PngInfo()
    text.add_text("Comment", "shot at 12 Acacia Avenue")
    text.add_itxt("Author", "a coach")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(photo(), "PNG", pnginfo=text, icc_profile=srgb)
    assert "Comment" in Image.open(io.BytesIO(data)).info

    clean = upload(data, "gym.png")

    assert clean.image.info == {}
    for rendition in make_renditions(clean):
        assert_no_metadata(Image.open(io.BytesIO(rendition.data)))
        assert "Author" not in Image.open(io.BytesIO(rendition.data)).info


def test_it_strips_a_jpeg_comment():
    clean = upload(encode(photo(), "JPEG", comment=b"home address"), "gym.jpg")

    assert clean.image.info == {}


def test_it_converts_a_tagged_colour_profile_to_untagged_srgb_pixels():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    clean = upload(encode(photo(), "PNG", icc_profile=srgb), "gym.png")

    assert clean.image.getpixel((32, 24)) == pytest.approx((30, 90, 200), abs=2)
    assert "icc_profile" not in clean.image.info


def test_it_ignores_a_broken_colour_profile_rather_than_refusing_the_photo():
    clean = upload(encode(photo(), "PNG", icc_profile=b"not a profile"), "gym.png")

    assert clean.image.getpixel((32, 24)) == (30, 90, 200)


# Renditions


def rendition_summary(clean: CleanImage, **kwargs) -> list[tuple[int, int, str]]:
    summary = []
    for rendition in make_renditions(clean, **kwargs):
        reopened = Image.open(io.BytesIO(rendition.data))
        assert reopened.format == rendition.format
        assert reopened.size == (rendition.width, rendition.height)
        summary.append((rendition.width, rendition.height, rendition.format))
    return summary


def test_it_makes_three_widths_in_webp_and_jpeg_for_a_wide_photo():
    clean = upload(encode(photo((2000, 1000)), "JPEG"), "wide.jpg")

    assert rendition_summary(clean) == [
        (480, 240, "WEBP"),
        (480, 240, "JPEG"),
        (960, 480, "WEBP"),
        (960, 480, "JPEG"),
        (1440, 720, "WEBP"),
        (1440, 720, "JPEG"),
    ]


def test_it_labels_each_rendition_with_its_extension_and_content_type():
    renditions = make_renditions(upload(encode(photo((600, 400)), "JPEG"), "x.jpg"))
    assert [(r.extension, r.content_type) for r in renditions] == [
        (".webp", "image/webp"),
        (".jpg", "image/jpeg"),
    ]
    assert Image.open(io.BytesIO(renditions[1].data)).info.get("progressive")


def test_it_makes_one_size_at_the_photos_own_width_when_narrower_than_the_smallest():
    clean = upload(encode(photo((300, 200)), "PNG"), "small.png")

    assert rendition_summary(clean) == [(300, 200, "WEBP"), (300, 200, "JPEG")]


def test_it_never_upscales():
    clean = upload(encode(photo((1000, 500)), "JPEG"), "mid.jpg")

    assert [width for width, _, _ in rendition_summary(clean)] == [480, 480, 960, 960]


def test_it_falls_back_to_png_and_keeps_alpha_for_transparent_pictures():
    clean = upload(encode(half_transparent((600, 300)), "PNG"), "logo.png")

    renditions = make_renditions(clean)

    assert [(r.width, r.height, r.format, r.extension) for r in renditions] == [
        (480, 240, "WEBP", ".webp"),
        (480, 240, "PNG", ".png"),
    ]
    for rendition in renditions:
        reopened = Image.open(io.BytesIO(rendition.data)).convert("RGBA")
        assert reopened.getpixel((0, 0))[3] == 0
        assert reopened.getpixel((479, 0))[3] == 255


def test_it_deduplicates_and_sorts_requested_widths():
    clean = upload(encode(photo((1000, 500)), "JPEG"), "mid.jpg")

    summary = rendition_summary(clean, widths=(960, 480, 960))

    assert [width for width, _, _ in summary] == [480, 480, 960, 960]


def test_it_keeps_very_wide_renditions_at_least_one_pixel_tall():
    clean = upload(encode(photo((3000, 1)), "PNG"), "strip.png")

    assert {(width, height) for width, height, _ in rendition_summary(clean)} == {
        (480, 1),
        (960, 1),
        (1440, 1),
    }


@pytest.mark.parametrize("widths", [(), (0, 480), (-1,)])
def test_it_refuses_nonsense_widths(widths):
    clean = upload(encode(photo(), "PNG"), "x.png")

    with pytest.raises(ValueError, match="widths"):
        make_renditions(clean, widths)


# Refusing bad uploads


@pytest.mark.parametrize("filename", ["loop.gif", "setup.exe", "photo", "x.svg", "photo.jpg.exe"])
def test_it_refuses_a_name_without_a_picture_extension(filename):
    message = rejection(encode(photo(), "PNG"), filename)

    assert message == (
        f"Upload a JPEG, PNG or WebP image (.jpg, .jpeg, .png or .webp); “{filename}” is not one."
    )


def test_it_refuses_an_upload_without_a_name():
    assert "has no name" in rejection(encode(photo(), "PNG"), "")


def test_it_refuses_plain_text():
    message = rejection(b"Single leg hip thrust: 3 sets of 10.\n", "notes.png")

    assert message == "This file is not a picture we can read; upload a JPEG, PNG or WebP image."


def test_it_refuses_an_empty_file():
    assert rejection(b"", "empty.jpg") == ("The file is empty; upload a JPEG, PNG or WebP image.")


@pytest.mark.parametrize("filename", ["drawing.png", "drawing.svg"])
def test_it_refuses_an_svg_with_a_script(filename):
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )

    message = rejection(svg, filename)

    assert "not a picture we can read" in message or "is not one" in message


@pytest.mark.parametrize(
    "data",
    [b"<!doctype html><html><script>alert(1)</script></html>", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"],
)
def test_it_refuses_html_and_pdf(data):
    assert "not a picture we can read" in rejection(data, "x.jpg")


DAMAGED = "The file is incomplete or damaged; export the picture again and upload the new file."


def test_it_refuses_a_truncated_jpeg():
    data = encode(photo((400, 300)), "JPEG")

    assert rejection(data[: len(data) // 2], "cut.jpg") == DAMAGED


@pytest.mark.parametrize(("format_", "filename"), [("PNG", "cut.png"), ("WEBP", "cut.webp")])
def test_it_refuses_a_truncated_png_or_webp(format_, filename):
    data = encode(photo((400, 300)), format_)

    assert rejection(data[: len(data) // 2], filename) == DAMAGED


def test_it_refuses_a_decompression_bomb_before_decoding_it():
    message = rejection(png_claiming(10_000, 10_000), "bomb.png", max_pixels=MAX_PIXELS)

    assert message == "The picture is 10000 × 10000 pixels; the limit is 40 megapixels."


def test_it_refuses_a_bomb_too_big_for_pillow_to_open():
    message = rejection(png_claiming(30_000, 30_000), "bomb.png")

    assert message == "The picture has too many pixels; the limit is 40 megapixels."


def test_it_refuses_what_pillow_would_warn_about_even_under_a_looser_limit():
    pillows_limit = Image.MAX_IMAGE_PIXELS

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        message = rejection(png_claiming(10_000, 10_000), "bomb.png", max_pixels=10**9)

    assert "10000 × 10000 pixels" in message
    assert pillows_limit == Image.MAX_IMAGE_PIXELS


def test_it_refuses_a_side_too_long_for_webp_renditions():
    message = rejection(png_claiming(20_000, 10), "banner.png")

    assert message == "The picture is 20000 × 10 pixels; each side can be at most 16,383 pixels."


def test_it_applies_a_caller_pixel_limit():
    message = rejection(encode(photo((100, 50)), "PNG"), "x.png", max_pixels=4999)

    assert message == "The picture is 100 × 50 pixels; the limit is 4,999 pixels."


def test_it_refuses_an_oversized_file():
    data = encode(photo((200, 200)), "PNG")
    assert len(data) > 1000

    message = rejection(data, "big.png", max_bytes=1000)

    assert message.startswith("The file is ")
    assert message.endswith("; the limit is 1,000 bytes.")


def test_it_reports_the_size_in_megabytes():
    data = b"\x00" * (12 * 1024 * 1024 + 300 * 1024)

    assert rejection(data, "huge.jpg") == "The file is 12.3 MB; the limit is 10 MB."


def test_it_stops_reading_just_past_the_limit_of_an_endless_stream():
    class Endless(io.RawIOBase):
        consumed = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"\xff" * len(buffer)
            self.consumed += len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(ImageRejected, match="larger than the 1,000 bytes limit"):
        clean_upload(stream, "endless.jpg", max_bytes=1000)
    assert stream.consumed == 1001


@pytest.mark.parametrize(
    ("format_", "kind"),
    [("GIF", "GIF"), ("BMP", "BMP"), ("TIFF", "TIFF")],
)
def test_it_refuses_other_picture_types_renamed_to_png(format_, kind):
    message = rejection(encode(photo(), format_), "renamed.png")

    assert message == (
        f"This file is a {kind} image, which we can't use; "
        "upload a JPEG, PNG or WebP image instead."
    )


@pytest.mark.parametrize(
    ("format_", "filename", "expected"),
    [
        (
            "PNG",
            "mislabelled.jpg",
            "This file is really a PNG image, but its name ends in .jpg; "
            "rename it to end in .png and upload it again.",
        ),
        (
            "JPEG",
            "mislabelled.webp",
            "This file is really a JPEG image, but its name ends in .webp; "
            "rename it to end in .jpg and upload it again.",
        ),
        (
            "WEBP",
            "mislabelled.PNG",
            "This file is really a WebP image, but its name ends in .png; "
            "rename it to end in .webp and upload it again.",
        ),
    ],
)
def test_it_refuses_a_picture_whose_name_disagrees_with_its_contents(format_, filename, expected):
    assert rejection(encode(photo(), format_), filename) == expected


# Whatever the bytes


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_either_a_clean_image_or_rejected(data):
    try:
        result = upload(data, "x.png")
    except ImageRejected:
        return
    assert isinstance(result, CleanImage)


SMALL_PICTURES = {
    "x.png": encode(photo((16, 12)), "PNG"),
    "x.jpg": encode(photo((16, 12)), "JPEG"),
    "x.webp": encode(photo((16, 12)), "WEBP"),
}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(SMALL_PICTURES)),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    st.integers(min_value=0),
)
def test_damaged_pictures_are_either_a_clean_image_or_rejected(filename, flips, cut):
    data = bytearray(SMALL_PICTURES[filename])
    for position, value in flips:
        data[position % len(data)] = value
    data = data[: max(1, len(data) - cut % len(data))]

    try:
        result = upload(bytes(data), filename)
    except ImageRejected:
        return
    assert result.image.mode in {"RGB", "RGBA"}
    assert result.image.info == {}
    assert make_renditions(result)
