"""Photos from residents: images only, size-limited, re-encoded so no metadata survives.

Every accepted photo is decoded with Pillow, turned upright from its EXIF orientation and
saved again as a fresh JPEG: location (GPS), camera serial numbers, dates and any other
metadata in the original file are dropped, as is anything that is not an image.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF photos from iPhones; pillow-heif comes with Wagtail.
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - optional
    pass

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
MAX_SIDE_PX = 2560
MAX_PIXELS = 60_000_000
MAX_PHOTOS = 3


class PhotoError(ValueError):
    """A file that cannot be accepted, with a message a resident can act on."""


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def max_megabytes() -> int:
    return max(1, settings.REPORTING_PHOTO_MAX_BYTES // (1024 * 1024))


def clean_photo(upload) -> CleanPhoto:
    """Check one uploaded file and return it re-encoded as a metadata-free JPEG."""
    name = getattr(upload, "name", "photo")
    if upload.size > settings.REPORTING_PHOTO_MAX_BYTES:
        raise PhotoError(f"{name} must be smaller than {max_megabytes()} MB")
    if upload.size == 0:
        raise PhotoError(f"{name} is empty")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoError(f"{name} must be a JPG, PNG, WebP or HEIC photo")
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(f"{name} is too large a picture")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise PhotoError(f"{name} must be a JPG, PNG, WebP or HEIC photo") from error
    if upright.mode not in ("RGB", "L"):
        background = Image.new("RGB", upright.size, "white")
        rgba = upright.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        upright = background
    upright.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    # A new image from the pixels alone: no EXIF, XMP, ICC or comments carried over.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    filename = f"{secrets.token_hex(12)}.jpg"
    return CleanPhoto(ContentFile(buffer.getvalue(), name=filename), clean.width, clean.height)
