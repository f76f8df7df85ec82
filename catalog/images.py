"""Uploaded pictures: checked and cleaned with Pillow, stored with responsive renditions.

Every image that reaches storage through `ResponsiveImageField` (posters,
people's photos, stills) goes through `sanitize()` first: it must be a JPEG,
PNG or WebP within the size and pixel limits in settings, decode completely,
and is re-encoded from its pixels after EXIF orientation is applied, so no
metadata (GPS position above all) survives. The same save then writes a few
narrower renditions in WebP and JPEG next to it, once, through the storage API.

Rendition names and sizes follow from the original's name and the width and
height stored on the row, so pages build `srcset`s without a query or a
storage round trip per image.
"""

import posixpath
import struct
import warnings
from dataclasses import dataclass
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name, the extension stored files get, and how to encode it.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ENCODE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 88, "method": 4},
}
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
RENDITION_FOLDER = "renditions"

NOT_AN_ALLOWED_IMAGE = (
    "Upload a JPEG, PNG or WebP image. This file is not one: it may be another "
    "format, a damaged image or not an image at all, whatever its name says."
)


class SanitizedImage(ContentFile):
    """Image bytes re-encoded by `sanitize()`, so saving them needs no second pass."""

    def __init__(self, data, name, width, height):
        super().__init__(data, name=name)
        self.width = width
        self.height = height


def _open_checked(content):
    """Open and fully decode an upload, or raise ValidationError saying why not."""
    max_pixels = settings.IMAGE_MAX_PIXELS
    too_many_pixels = ValidationError(
        "This image has too many pixels (at most %(max)s million are accepted). "
        "Scale it down before uploading.",
        code="too_many_pixels",
        params={"max": f"{max_pixels / 1_000_000:g}"},
    )
    content.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice that; refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(content, formats=list(ALLOWED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(NOT_AN_ALLOWED_IMAGE, code="not_an_image") from None
        # The header gives the size; check it before decoding allocates memory.
        width, height = image.size
        if width < 1 or height < 1:
            raise ValidationError(NOT_AN_ALLOWED_IMAGE, code="not_an_image")
        if width * height > max_pixels:
            raise too_many_pixels
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
            raise ValidationError(
                "This image is damaged or incomplete (perhaps cut off while uploading). "
                "Try saving it again from the original.",
                code="damaged_image",
            ) from None
    return image


def _clean_mode(image, fmt):
    """A mode the target format writes faithfully; alpha only where it can be kept."""
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        # 16-bit greyscale (scans): scale to 8 bits rather than clip to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if has_alpha and fmt != "JPEG":
        target = "RGBA"
    else:
        target = "L" if image.mode in ("1", "L") else "RGB"
    # No copy when the mode is already right: a 50-megapixel image is 150 MB.
    return image if image.mode == target else image.convert(target)


def sanitize(content, name=""):
    """Check an uploaded image and return it re-encoded without metadata.

    Raises ValidationError with a message meant for the person uploading when
    the file is too big, has too many pixels, is damaged, or is not a JPEG, PNG
    or WebP image (whatever its name claims). Nothing is written anywhere.
    """
    if isinstance(content, SanitizedImage):
        return content
    max_bytes = settings.IMAGE_MAX_UPLOAD_BYTES
    size = getattr(content, "size", None)
    if size is None or size > max_bytes:
        raise ValidationError(
            "This file is too big (%(size)s). Images may be at most %(max)s.",
            code="file_too_big",
            params={"size": filesizeformat(size or 0), "max": filesizeformat(max_bytes)},
        )
    image = _open_checked(content)
    fmt = image.format
    icc_profile = image.info.get("icc_profile")
    # Turn the pixels the way the camera said to, before the EXIF saying so is dropped.
    ImageOps.exif_transpose(image, in_place=True)
    clean = _clean_mode(image, fmt)
    # A fresh info dict: no EXIF, XMP, comments or text chunks are carried over.
    clean.info = {}
    options = dict(ENCODE_OPTIONS[fmt])
    if icc_profile:
        options["icc_profile"] = icc_profile  # colours, not personal data
    buffer = BytesIO()
    clean.save(buffer, fmt, **options)
    stem = posixpath.splitext(posixpath.basename(name or getattr(content, "name", "") or ""))[0]
    filename = f"{stem or 'image'}.{ALLOWED_FORMATS[fmt]}"
    return SanitizedImage(buffer.getvalue(), filename, clean.width, clean.height)


# --- Renditions ---------------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


def rendition_widths(width):
    """The widths made for an image `width` pixels wide: never wider than it."""
    return sorted({min(w, width) for w in settings.IMAGE_RENDITION_WIDTHS})


def rendition_height(width, height, target_width):
    return max(1, round(height * target_width / width))


def rendition_name(name, target_width, extension):
    """Where the rendition of stored image `name` lives; derived, never looked up."""
    stem = posixpath.splitext(name)[0]
    return f"{RENDITION_FOLDER}/{stem}-{target_width}w.{extension}"


def rendition_names(name, width):
    return [
        rendition_name(name, w, extension)
        for w in rendition_widths(width)
        for extension in RENDITION_FORMATS
    ]


def make_renditions(storage, name, content):
    """Write every rendition of the image stored as `name`, from its bytes.

    If any write fails, the renditions already written are removed again and
    the error is raised, so storage never holds half a set.
    """
    content.seek(0)
    image = Image.open(content)
    width, height = image.size
    widths = rendition_widths(width)
    # JPEG can decode at 1/2, 1/4 or 1/8 scale: far faster and smaller than
    # decoding every pixel of a large photo only to shrink it.
    image.draft(image.mode, (widths[-1], rendition_height(width, height, widths[-1])))
    image.load()
    written = []
    try:
        for target_width in widths:
            size = (target_width, rendition_height(width, height, target_width))
            resized = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            for extension, (fmt, options) in RENDITION_FORMATS.items():
                if fmt == "JPEG" and resized.mode in ("RGBA", "LA"):
                    # JPEG has no transparency: lay the picture on white.
                    flat = Image.new("RGB", resized.size, "white")
                    flat.paste(resized, mask=resized.getchannel("A"))
                    encoded = flat
                else:
                    encoded = resized.convert("RGBA" if resized.mode == "RGBA" else "RGB")
                buffer = BytesIO()
                encoded.save(buffer, fmt, **options)
                target = rendition_name(name, target_width, extension)
                # A leftover from an earlier image of the same name must not
                # push ours to a different, unpredictable name.
                if storage.exists(target):
                    storage.delete(target)
                saved = storage.save(target, ContentFile(buffer.getvalue()))
                written.append(saved)
                if saved != target:
                    raise OSError(f"Storage saved rendition {target!r} as {saved!r}.")
    except BaseException:
        for saved in written:
            storage.delete(saved)
        raise
    return written


@dataclass(frozen=True)
class Picture:
    """What a template needs to draw one image: fallback `<img>` plus WebP sources."""

    webp: list
    jpeg: list
    fallback: Rendition

    @property
    def webp_srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.webp)

    @property
    def jpeg_srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.jpeg)


def picture_for(field_file, fallback_width=640):
    """The renditions of a stored image, from its name and stored size only.

    Returns None when there is no image or its size was never recorded
    (run `manage.py make_renditions` for such images).
    """
    if not field_file:
        return None
    field = field_file.field
    width = getattr(field_file.instance, field.width_field, None)
    height = getattr(field_file.instance, field.height_field, None)
    if not width or not height:
        return None
    storage = field_file.storage
    renditions = {extension: [] for extension in RENDITION_FORMATS}
    for target_width in rendition_widths(width):
        target_height = rendition_height(width, height, target_width)
        for extension in RENDITION_FORMATS:
            url = storage.url(rendition_name(field_file.name, target_width, extension))
            renditions[extension].append(Rendition(url, target_width, target_height))
    jpeg = renditions["jpg"]
    fallback = next((r for r in jpeg if r.width >= fallback_width), jpeg[-1])
    return Picture(webp=renditions["webp"], jpeg=jpeg, fallback=fallback)


def share_url(field_file):
    """The image link previews and search engines get: the largest JPEG rendition
    (every consumer reads JPEG; originals can be far bigger), else the original."""
    picture = picture_for(field_file)
    return picture.jpeg[-1].url if picture else field_file.url


def image_fields():
    """(model, field) for every ResponsiveImageField in the project."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, ResponsiveImageField)
    ]


def files_in_use():
    """Every stored name a row points at: originals and their renditions."""
    names = set()
    for model, field in image_fields():
        rows = model._default_manager.exclude(**{field.name: ""}).values_list(
            field.name, field.width_field
        )
        for name, width in rows.iterator():
            names.add(name)
            if width:
                names.update(rendition_names(name, width))
    return names


# --- Fields -------------------------------------------------------------------


class SafeImageFormField(forms.ImageField):
    """An image upload that is checked and cleaned before the form is valid."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return sanitize(upload, upload.name)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp"
        return attrs


class ResponsiveImageFieldFile(models.fields.files.ImageFieldFile):
    def save(self, name, content, save=True):
        # Every way into storage (forms, the shell, scripts) is cleaned, not only the admin's.
        clean = sanitize(content, name)
        super().save(clean.name, clean, save=False)
        try:
            make_renditions(self.storage, self.name, clean)
        except BaseException:
            self.storage.delete(self.name)
            raise
        if save:
            self.instance.save()

    save.alters_data = True


class ResponsiveImageField(models.ImageField):
    """An ImageField whose files are sanitized and get renditions when saved.

    Needs `width_field` and `height_field`: the stored size is what lets pages
    name the renditions without asking storage.
    """

    attr_class = ResponsiveImageFieldFile

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # Django fills a missing size on loading a row by opening the file: a
        # storage round trip per row, and a crash if the file is gone. Sizes
        # are recorded on assignment instead (`force`), and `make_renditions`
        # records those of older files.
        if force:
            super().update_dimension_fields(instance, force, *args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})
