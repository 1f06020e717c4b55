"""References, tracking tokens and photo cleaning."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reporting import ids
from reporting.photos import PhotoError, clean_photo

REFERENCE_RE = re.compile(r"^ASB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_references_are_random_crockford_base32():
    references = {ids.new_reference() for _ in range(500)}
    assert len(references) == 500
    assert all(REFERENCE_RE.match(ref) for ref in references)


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("asb-7k3m-9qx2", "ASB-7K3M-9QX2"),
        (" ASB 7K3M 9QX2 ", "ASB-7K3M-9QX2"),
        ("7K3M9QX2", "ASB-7K3M-9QX2"),
        ("ASB-OIL0-0000", "ASB-0110-0000"),
        ("ASB-7K3M-9QX", ""),
        ("ASB-7K3M-9QXU", ""),
        ("", ""),
    ],
)
def test_references_are_normalised_from_what_people_type(typed, expected):
    assert ids.normalise_reference(typed) == expected


def test_tracking_tokens_are_derived_secret_and_only_hashed():
    nonce = ids.new_nonce()
    token = ids.tracking_token(nonce)
    assert len(token) >= 43
    assert token == ids.tracking_token(nonce)
    assert token != ids.tracking_token(ids.new_nonce())
    hashed = ids.hash_token(token)
    assert token not in hashed
    assert ids.token_matches(token, hashed)
    assert not ids.token_matches(token[:-1] + "x", hashed)


def image_bytes(fmt="JPEG", size=(64, 48), exif=True, mode="RGB") -> bytes:
    image = Image.new(mode, size, "red")
    buffer = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        data[0x0132] = "2026:01:01 10:00:00"  # DateTime
        data[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS info
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def test_photos_are_re_encoded_without_metadata():
    upload = SimpleUploadedFile("p.jpg", image_bytes(), content_type="image/jpeg")
    assert b"SpyCam" in upload.read()
    clean = clean_photo(upload)
    data = clean.content.read()
    assert b"SpyCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert (image.width, image.height) == (64, 48) == (clean.width, clean.height)


def test_png_with_transparency_becomes_jpeg():
    upload = SimpleUploadedFile("p.png", image_bytes("PNG", mode="RGBA"), content_type="image/png")
    clean = clean_photo(upload)
    assert clean.content.name.endswith(".jpg")


def test_huge_photos_are_scaled_down():
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", size=(4000, 1000), exif=False))
    clean = clean_photo(upload)
    assert (clean.width, clean.height) == (2560, 640)


def test_non_images_are_refused():
    upload = SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(PhotoError, match="must be a JPG, PNG, WebP or HEIC photo"):
        clean_photo(upload)


def test_other_image_formats_are_refused():
    upload = SimpleUploadedFile("a.gif", image_bytes("GIF", exif=False), content_type="image/gif")
    with pytest.raises(PhotoError, match="must be a JPG"):
        clean_photo(upload)


def test_oversized_files_are_refused(settings):
    settings.REPORTING_PHOTO_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("p.jpg", b"x" * (1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(PhotoError, match="smaller than 1 MB"):
        clean_photo(upload)
