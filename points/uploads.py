"""The photo policy: which uploads an editor may attach to a point, and what gets stored.

A photo is accepted only if its bytes are a complete JPEG, PNG or WebP image of sensible
size with no web-page markup hidden in it, and what reaches storage is never the upload
itself but a fresh encode of its pixels under a random name. Browsers that guess a file's
type from its content (or a server that trusts the uploader's name) can then never be led
to run an uploaded file as a page.
"""

import contextlib
import io
import re
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import ImageField, ImageFieldFile
from PIL import Image, ImageOps

PHOTO_MAX_BYTES = settings.PHOTO_MAX_BYTES
PHOTO_MAX_PIXELS = 4000 * 4000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

# The extension each stored format is saved under (settings.MEDIA_CONTENT_TYPES serves it).
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ENCODE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {},
    "WEBP": {"quality": 85},
}

# Tags a browser would act on if it ever took the file for HTML or SVG. Only names of three
# letters or more: one-letter tags like "<a " turn up by chance in compressed data.
HIDDEN_MARKUP = re.compile(
    rb"<(?:!doctype|/?(?:html|head|body|script|iframe|frame|frameset|object|embed|applet"
    rb"|svg|math|style|link|meta|base|form|input|button|img|image|video|audio|title))[\s/>]",
    re.IGNORECASE,
)
# Where a JPEG's compressed scan ends: a 0xFF that is neither stuffing nor a restart marker.
JPEG_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")

MEGAPIXELS = PHOTO_MAX_PIXELS // 10**6


MESSAGES = {
    "photo_too_large": (
        "Photos may be at most %(limit)s MB and this file is %(size).1f MB. "
        "Save a smaller copy and upload that."
    ),
    "photo_markup": (
        "This file is a drawing or web page written as text (SVG, XML or HTML), not a photo. "
        "Upload a JPEG, PNG or WebP image instead."
    ),
    "photo_format": "Photos must be JPEG, PNG or WebP images, and this file is none of those.",
    "photo_unreadable": (
        "This image is damaged or incomplete (perhaps the upload was cut short), so it cannot "
        "be read. Upload it again, or save a new copy from a photo editor."
    ),
    "photo_pixel_bomb": (
        "This image claims to be far larger than %(limit)s megapixels, so it was not opened. "
        "Resize it and upload it again."
    ),
    "photo_too_many_pixels": (
        "Photos may be at most %(limit)s megapixels and this one is %(width)s × %(height)s "
        "pixels. Resize it and upload it again."
    ),
    "photo_hidden_markup": (
        "This image has web-page code (HTML or script) hidden in its metadata or after the "
        "picture. Export the photo again from a photo editor and upload that copy."
    ),
}


def refusal(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params)


def validate_photo(photo):
    """Reject anything the policy does not allow; a stored photo was checked on arrival."""
    if getattr(photo, "_committed", False):
        return
    image, _ = inspect_photo(photo)
    image.close()


def reencode(photo):
    """A checked upload as a fresh encode of its pixels, named after the stored format."""
    image, image_format = inspect_photo(photo)
    with image:
        # Turn the picture upright before the EXIF that says how is thrown away; damaged
        # EXIF only costs the orientation, as the pixels themselves decoded fine.
        with contextlib.suppress(Exception):
            ImageOps.exif_transpose(image, in_place=True)
        mode = "RGBA" if image.has_transparency_data and image_format != "JPEG" else "RGB"
        # A brand-new image carries none of the upload's metadata (EXIF, ICC, text, XMP), so
        # no Pillow version can copy any of it into the output.
        clean = Image.new(mode, image.size)
        clean.paste(image if image.mode == mode else image.convert(mode))
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format, **ENCODE_OPTIONS[image_format])
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[image_format]}")


def inspect_photo(photo):
    """The decoded image and its format, or a ValidationError saying what is wrong."""
    data = read_upload(photo)
    image_format = sniff_format(data)
    if image_format not in PHOTO_FORMATS:
        raise refusal("photo_markup" if looks_like_markup(data) else "photo_format")
    extras, complete = CONTAINER_PARTS[image_format](data)
    if not complete:
        raise refusal("photo_unreadable")
    image = decode(data, image_format)
    # zTXt and iTXt chunks are compressed, so their text is read from what Pillow unpacked.
    texts = [*image.info.values(), *getattr(image, "text", {}).values()]
    extras += [text.encode("utf-8", "replace") if isinstance(text, str) else text for text in texts]
    if any(isinstance(part, bytes) and HIDDEN_MARKUP.search(part) for part in extras):
        image.close()
        raise refusal("photo_hidden_markup")
    return image, image_format


def too_large(size):
    return refusal("photo_too_large", limit=PHOTO_MAX_BYTES // 2**20, size=size / 2**20)


def read_upload(photo):
    size = getattr(photo, "size", None) or 0
    if size > PHOTO_MAX_BYTES:
        raise too_large(size)
    photo.seek(0)
    # Bounded, so a file that misreports its size still cannot fill the memory.
    data = photo.read(PHOTO_MAX_BYTES + 1)
    photo.seek(0)
    if len(data) > PHOTO_MAX_BYTES:
        raise too_large(len(data))
    return data


def sniff_format(data):
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def looks_like_markup(data):
    """SVG, XML and HTML files start with "<", after any byte-order mark and blank space."""
    head = data[:1024].replace(b"\0", b"")  # UTF-16 text loses its zero bytes here
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(mark)
    return head.lstrip().startswith(b"<")


def decode(data, image_format):
    # Pillow warns, then refuses, past its own pixel ceiling; as a warning the image would
    # still be decoded (and pytest turns RuntimeWarnings into errors), so it is refused here.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[image_format])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise refusal("photo_pixel_bomb", limit=MEGAPIXELS) from bomb
        except Exception as unreadable:
            # Pillow's parsers raise many kinds of errors on damaged files, as Django knows.
            raise refusal("photo_unreadable") from unreadable
        # Checked before load(), which is what would allocate memory for every pixel.
        if image.width * image.height > PHOTO_MAX_PIXELS:
            image.close()
            raise refusal(
                "photo_too_many_pixels", limit=MEGAPIXELS, width=image.width, height=image.height
            )
        try:
            image.load()
        except Exception as unreadable:
            image.close()
            raise refusal("photo_unreadable") from unreadable
    return image


# Each container split into the bytes that are not compressed pixels (metadata, comments,
# anything after the end of the image) and whether the image's end was found at all.


def png_parts(data):
    extras, position = [], 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind not in (b"IDAT", b"fdAT"):
            extras.append(data[position + 8 : position + 8 + length])
        position += 12 + length
        if kind == b"IEND":
            return [*extras, data[position:]], position <= len(data)
    return [*extras, data[position:]], False


def jpeg_parts(data):
    extras, position = [], 2
    while position + 1 < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xD9:  # end of image
            return [*extras, data[position + 2 :]], True
        if marker == 0xFF:  # padding before a marker
            position += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4])
        segment = data[position + 4 : position + 2 + length]
        position += 2 + length
        if marker == 0xDA:  # start of scan: compressed data runs to the next marker
            scan_end = JPEG_SCAN_END.search(data, position)
            position = scan_end.start() if scan_end else len(data)
        else:
            extras.append(segment)
    return [*extras, data[position:]], False


def webp_parts(data):
    end = 8 + int.from_bytes(data[4:8], "little")
    extras, position = [], 12
    while position + 8 <= min(end, len(data)):
        kind = data[position : position + 4]
        length = int.from_bytes(data[position + 4 : position + 8], "little")
        if kind not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            extras.append(data[position + 8 : position + 8 + length])
        position += 8 + length + length % 2
    return [*extras, data[end:]], end <= len(data)


CONTAINER_PARTS = {"JPEG": jpeg_parts, "PNG": png_parts, "WEBP": webp_parts}


# The model field. Re-encoding lives in the FieldFile's save() because every way a photo
# reaches storage goes through it: FileField.pre_save calls it for a newly assigned upload
# (the admin's form and model code alike), and code may call point.photo.save() directly. A
# photo already in storage is "committed" and never saved again, so editing anything else on
# a point does not re-encode it. The validator runs in full_clean() (and so in every model
# form), where it can report the reason to the editor before anything is written.


class PhotoFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # The uploader's name is dropped with the uploader's bytes.
        photo = reencode(content)
        super().save(photo.name, photo, save)


class PhotoFormField(forms.ImageField):
    # The upload's name says nothing; its content is judged by the model field's validator.
    default_validators = []

    def to_python(self, data):
        # Django's own Pillow check would answer first, with a vaguer message than
        # validate_photo's, which every model form runs through full_clean().
        return forms.FileField.to_python(self, data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp"
        return attrs


class PhotoField(ImageField):
    attr_class = PhotoFieldFile
    default_validators = [validate_photo]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})
