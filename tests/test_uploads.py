"""The photo policy (points/uploads.py) and how photos are served (points/media.py).

Every hostile file is made here, with Pillow and plain bytes, so each test shows exactly
what it sends.
"""

import io
import random
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import ExifTags, Image, PngImagePlugin

from points.models import Point
from points.uploads import PHOTO_MAX_BYTES
from tests.factories import build_point, make_point, png_bytes
from tests.pages import change_form_data

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/>' + SCRIPT + b"</svg>"
)
STORED_NAME = re.compile(r"points/[0-9a-f]{32}\.(jpg|png|webp)")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root):
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


def image_bytes(image_format, size=(32, 24), mode="RGB", **options):
    colours = {"RGB": (200, 120, 80), "RGBA": (200, 120, 80, 128), "L": 150, "P": 3}
    buffer = io.BytesIO()
    Image.new(mode, size, color=colours[mode]).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def noisy_image(size):
    """Pixels no encoder can squeeze, so the file is as large as the picture."""
    width, height = size
    return Image.frombytes("RGB", size, random.Random(4).randbytes(width * height * 3))


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width, height):
    """A tiny, well-formed PNG whose header claims the given size."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + png_chunk(b"IEND", b"")
    )


def png_with_text(text, *, compressed=False):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text, zip=compressed)
    return image_bytes("PNG", pnginfo=info)


def truncated(image_format):
    buffer = io.BytesIO()
    noisy_image((64, 64)).save(buffer, format=image_format)
    whole = buffer.getvalue()
    return whole[: len(whole) // 2]


def jpeg_with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Snoopy Camera Co"
    # Rotated a quarter turn: the stored copy must be upright without the tag.
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    return image_bytes("JPEG", size=(40, 20), exif=exif)


def upload(content, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(content, name="photo.png"):
    point = build_point(photo=upload(content, name), photo_credit="Photo: Test Studio")
    with pytest.raises(ValidationError) as refused:
        point.full_clean()
    return refused.value.error_dict["photo"][0]


# What the policy refuses, and why.

HOSTILE_FILES = {
    "svg with a script": (SVG_WITH_SCRIPT, "drawing.svg", "photo_markup"),
    "svg renamed .png": (SVG_WITH_SCRIPT, "photo.png", "photo_markup"),
    "utf-16 svg": (
        "\ufeff" + SVG_WITH_SCRIPT.decode().replace("UTF-8", "UTF-16"),
        "photo.png",
        "photo_markup",
    ),
    "html page renamed .jpg": (b"\n <!DOCTYPE html><html>" + SCRIPT, "photo.jpg", "photo_markup"),
    "html after the png's IEND": (
        png_bytes() + b"<html><body>" + SCRIPT + b"</body></html>",
        "photo.png",
        "photo_hidden_markup",
    ),
    "html after the jpeg's end": (
        image_bytes("JPEG") + b"<html>" + SCRIPT,
        "photo.jpg",
        "photo_hidden_markup",
    ),
    "html in a png tEXt chunk": (
        png_with_text("<html>" + SCRIPT.decode()),
        "photo.png",
        "photo_hidden_markup",
    ),
    "html in a compressed png zTXt chunk": (
        png_with_text(SCRIPT.decode(), compressed=True),
        "photo.png",
        "photo_hidden_markup",
    ),
    "html in a jpeg comment": (
        image_bytes("JPEG", comment=b"<html>" + SCRIPT),
        "photo.jpg",
        "photo_hidden_markup",
    ),
    "html in webp metadata": (
        image_bytes("WEBP", xmp=b"<x:xmpmeta><iframe src='https://example.com'></x:xmpmeta>"),
        "photo.webp",
        "photo_hidden_markup",
    ),
    "truncated png": (truncated("PNG"), "photo.png", "photo_unreadable"),
    "truncated jpeg": (truncated("JPEG"), "photo.jpg", "photo_unreadable"),
    "png with a broken image stream": (
        png_declaring(50, 50),
        "photo.png",
        "photo_unreadable",
    ),
    "gif": (image_bytes("GIF"), "photo.gif", "photo_format"),
    "gif renamed .jpg": (image_bytes("GIF"), "photo.jpg", "photo_format"),
    "bmp": (image_bytes("BMP"), "photo.bmp", "photo_format"),
    "plain text": (b"just some notes", "photo.png", "photo_format"),
    "empty file": (b"", "photo.png", "photo_format"),
}


@pytest.mark.parametrize(
    ("content", "name", "code"), HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys()
)
def test_hostile_file_is_refused_with_its_reason(content, name, code):
    content = content.encode("utf-16-le") if isinstance(content, str) else content
    assert refusal(content, name).code == code


@pytest.mark.parametrize(
    ("side", "code"),
    [
        (5000, "photo_too_many_pixels"),  # past our limit, below Pillow's
        (10_000, "photo_pixel_bomb"),  # past Pillow's warning limit: a RuntimeWarning
        (100_000, "photo_pixel_bomb"),  # past Pillow's hard limit
    ],
)
def test_decompression_bomb_is_refused_before_decoding(side, code):
    bomb = png_declaring(side, side)
    assert len(bomb) < 100
    error = refusal(bomb)
    assert error.code == code
    assert "16 megapixels" in error.messages[0]


def test_bomb_below_pillows_limit_names_its_size():
    error = refusal(png_declaring(5000, 5000))
    assert error.messages == [
        "Photos may be at most 16 megapixels and this one is 5000 × 5000 pixels. "
        "Resize it and upload it again."
    ]


def test_genuinely_oversized_photo_is_refused_by_size():
    buffer = io.BytesIO()
    noisy_image((1300, 1300)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) > PHOTO_MAX_BYTES
    error = refusal(buffer.getvalue())
    assert error.code == "photo_too_large"
    assert error.messages[0].startswith("Photos may be at most 4 MB and this file is 4.")


def test_messages_are_sentences_an_editor_can_act_on():
    error = refusal(SVG_WITH_SCRIPT, "drawing.svg")
    assert error.messages == [
        "This file is a drawing or web page written as text (SVG, XML or HTML), not a photo. "
        "Upload a JPEG, PNG or WebP image instead."
    ]


def test_innocent_metadata_and_trailing_bytes_are_allowed_and_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Test Studio <studio@example.com>")
    content = image_bytes("PNG", pnginfo=info) + b"\0\0 trailing bytes from an old tool"
    point = make_point(photo=upload(content), photo_credit="Photo: Test Studio")

    stored = point.photo.read()
    assert b"Test Studio" not in stored
    assert b"trailing bytes" not in stored
    assert stored.endswith(png_chunk(b"IEND", b""))


XMP_PACKET = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt>'
    b'<rdf:li xml:lang="x-default">Thumb web</rdf:li></rdf:Alt></dc:title>'
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


@pytest.mark.parametrize(
    "options",
    [{"xmp": XMP_PACKET}, {"progressive": True}, {"restart_marker_rows": 1, "quality": 95}],
    ids=["xmp", "progressive", "restart markers"],
)
def test_ordinary_camera_and_editor_jpegs_are_accepted(options):
    # Photo editors write XMP (which is XML) into JPEGs; that alone is no reason to refuse.
    buffer = io.BytesIO()
    noisy_image((120, 90)).save(buffer, format="JPEG", **options)
    point = make_point(photo=upload(buffer.getvalue(), "x.jpg"), photo_credit="Photo: Test")
    assert b"xmpmeta" not in point.photo.read()


# What gets stored.


def test_good_jpeg_is_stored_upright_without_its_exif(media_root):
    content = jpeg_with_gps()
    with Image.open(io.BytesIO(content)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test sends GPS data
        assert original.size == (40, 20)

    point = make_point(photo=upload(content, "holiday.jpg", "image/jpeg"), photo_credit="Me")

    assert STORED_NAME.fullmatch(point.photo.name)
    assert point.photo.name.endswith(".jpg")
    [path] = stored_files(media_root)
    stored = path.read_bytes()
    assert stored != content
    assert b"Snoopy" not in stored
    with Image.open(io.BytesIO(stored)) as photo:
        assert photo.format == "JPEG"
        assert "exif" not in photo.info
        assert not photo.getexif()
        assert photo.size == (20, 40)


def test_stored_extension_follows_the_content_not_the_name():
    content = image_bytes("JPEG")
    point = make_point(photo=upload(content, "bl40.png"), photo_credit="Photo: Test Studio")
    assert point.photo.name.endswith(".jpg")
    assert "bl40" not in point.photo.name


@pytest.mark.parametrize(
    ("image_format", "mode", "extension"),
    [
        ("PNG", "RGBA", ".png"),
        ("PNG", "P", ".png"),
        ("WEBP", "RGBA", ".webp"),
        ("JPEG", "L", ".jpg"),
    ],
)
def test_each_allowed_format_is_stored_as_itself(image_format, mode, extension):
    content = image_bytes(image_format, mode=mode)
    point = make_point(photo=upload(content, "x"), photo_credit="Photo: Test Studio")
    assert point.photo.name.endswith(extension)
    with Image.open(point.photo) as photo:
        assert photo.format == image_format
        assert photo.size == (32, 24)


def test_saving_a_point_again_does_not_re_encode_its_photo(media_root):
    point = make_point(photo=upload(png_bytes()), photo_credit="Photo: Test Studio")
    name = point.photo.name
    [path] = stored_files(media_root)
    written = path.stat().st_mtime_ns

    point = Point.objects.get(pk=point.pk)
    point.summary = "Edited without touching the photo."
    point.full_clean()
    point.save()

    point.refresh_from_db()
    assert point.photo.name == name
    assert stored_files(media_root) == [path]
    assert path.stat().st_mtime_ns == written


def test_model_code_saving_a_hostile_file_is_refused_and_writes_nothing(media_root):
    point = build_point(photo=upload(SVG_WITH_SCRIPT), photo_credit="Photo: Test Studio")
    with pytest.raises(ValidationError), transaction.atomic():
        point.save()
    assert stored_files(media_root) == []
    assert not Point.objects.filter(code=point.code).exists()


def test_photo_saved_directly_on_the_field_is_re_encoded_too(media_root):
    point = make_point(photo_credit="Photo: Test Studio")
    polyglot = png_bytes() + b"<html>" + SCRIPT
    with pytest.raises(ValidationError):
        point.photo.save("evil.png", ContentFile(polyglot))
    assert stored_files(media_root) == []

    good = png_with_text("Scanned by Test Studio")
    point.photo.save("good.png", ContentFile(good))
    point.refresh_from_db()
    assert STORED_NAME.fullmatch(point.photo.name)
    stored = point.photo.read()
    assert stored != good
    assert b"Test Studio" not in stored
    assert stored_files(media_root) == [Path(point.photo.path)]


# Through the admin.


def post_photo(client, point, photo):
    change_url = reverse("admin:points_point_change", args=[point.pk])
    data = change_form_data(client.get(change_url))
    data.update(photo=photo, photo_credit="Photo: Test Studio", _save="Save")
    return client.post(change_url, data)


@pytest.mark.usefixtures("editor")
def test_editor_uploading_a_polyglot_gets_the_form_back_and_nothing_is_saved(client, media_root):
    point = Point.objects.get(code="BL40")
    polyglot = png_bytes() + b"<html><body>" + SCRIPT + b"</body></html>"

    response = post_photo(client, point, upload(polyglot, "bl40.png"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["photo"] == [
        "This image has web-page code (HTML or script) hidden in its metadata or after the "
        "picture. Export the photo again from a photo editor and upload that copy."
    ]
    assert "hidden in its metadata" in response.content.decode()
    point.refresh_from_db()
    assert not point.photo
    assert point.photo_credit == ""
    assert stored_files(media_root) == []


@pytest.mark.usefixtures("editor")
def test_editor_uploading_an_svg_sees_why_it_was_refused(client, media_root):
    point = Point.objects.get(code="BL40")
    response = post_photo(client, point, upload(SVG_WITH_SCRIPT, "bl40.svg", "image/svg+xml"))
    assert response.status_code == 200
    assert "not a photo" in response.context["adminform"].form.errors["photo"][0]
    assert stored_files(media_root) == []


@pytest.mark.usefixtures("editor")
def test_editor_uploading_a_good_photo_stores_a_re_encoded_copy(client, media_root):
    point = Point.objects.get(code="BL40")
    content = jpeg_with_gps()

    response = post_photo(client, point, upload(content, "bl40 photo.JPG", "image/jpeg"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    point.refresh_from_db()
    assert STORED_NAME.fullmatch(point.photo.name)
    [path] = stored_files(media_root)
    assert path.read_bytes() != content
    with Image.open(path) as photo:
        assert not photo.getexif()
    page = client.get(point.get_absolute_url()).content.decode()
    assert point.photo.url in page


@pytest.mark.usefixtures("editor")
def test_admin_file_input_offers_only_the_allowed_formats(client):
    point = Point.objects.get(code="BL40")
    page = client.get(reverse("admin:points_point_change", args=[point.pk])).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp"' in page


# Serving media.


def put_media(media_root, name, content):
    path = Path(media_root) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("points/a.png", "image/png"), ("points/b.JPG", "image/jpeg"), ("c.webp", "image/webp")],
)
def test_media_photo_is_served_with_safe_headers(client, media_root, name, content_type):
    content = png_bytes()
    put_media(media_root, name, content)

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == "inline"


@pytest.mark.parametrize(
    "name", ["points/page.html", "points/drawing.svg", "points/notes.txt", "points/noextension"]
)
def test_media_that_is_not_a_photo_is_not_found(client, media_root, name):
    put_media(media_root, name, SVG_WITH_SCRIPT)
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/media/../secret.png",
        "/media/points/../../secret.png",
        "/media/%2e%2e/secret.png",
        "/media/points/%2e%2e%2f%2e%2e%2fsecret.png",
    ],
)
def test_media_outside_media_root_is_not_found(client, media_root, url):
    put_media(Path(media_root).parent, "secret.png", png_bytes())
    assert client.get(url).status_code == 404


def test_missing_media_is_not_found(client):
    assert client.get("/media/points/missing.png").status_code == 404


def test_media_answers_not_modified_to_a_fresh_copy(client, media_root):
    put_media(media_root, "points/a.png", png_bytes())
    first = client.get("/media/points/a.png")
    again = client.get("/media/points/a.png", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
