"""Uploaded files: checked by their content, stored under random names, thumbnails for photos."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# File signatures; the name and the browser's claimed type are never trusted.
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    return None


@dataclass
class CheckedFile:
    upload: object
    content_type: str
    thumbnail: ContentFile | None = None


def check_uploads(files: list, *, already: int = 0) -> list[CheckedFile]:
    """Validate a batch of uploads; raises ValidationError with every problem, in German."""
    errors = []
    limit = settings.REQUESTS_MAX_ATTACHMENTS
    if already + len(files) > limit:
        errors.append(
            ValidationError(
                _("At most %(count)d files per request, please.") % {"count": limit},
                code="too_many",
            )
        )
    checked = []
    for upload in files:
        if upload.size > settings.REQUESTS_MAX_ATTACHMENT_BYTES:
            errors.append(
                ValidationError(
                    _("“%(name)s” is %(size)s; at most %(limit)s per file, please.")
                    % {
                        "name": upload.name,
                        "size": filesizeformat(upload.size),
                        "limit": filesizeformat(settings.REQUESTS_MAX_ATTACHMENT_BYTES),
                    },
                    code="too_large",
                )
            )
            continue
        upload.seek(0)
        head = upload.read(32)
        upload.seek(0)
        content_type = sniff(head)
        if content_type is None:
            errors.append(
                ValidationError(
                    _(
                        "“%(name)s” is not a photo (JPEG, PNG, HEIC) or a PDF, whatever its "
                        "name says."
                    )
                    % {"name": upload.name},
                    code="wrong_type",
                )
            )
            continue
        checked.append(CheckedFile(upload=upload, content_type=content_type))
    if errors:
        raise ValidationError(errors)
    for item in checked:
        # Made here, before any database lock is taken (decoding photos takes a moment).
        if item.content_type.startswith("image/"):
            item.upload.seek(0)
            item.thumbnail = make_thumbnail(item.upload.read())
            item.upload.seek(0)
    return checked


MAX_PIXELS = 60_000_000  # a 60-megapixel phone photo; anything larger is not a photo


def make_thumbnail(data: bytes) -> ContentFile | None:
    """A small JPEG preview of a photo, or None if the image cannot be read or is absurdly big."""
    from PIL import Image, ImageOps, UnidentifiedImageError
    from pillow_heif import register_heif_opener

    register_heif_opener()
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            image.draft("RGB", (640, 640))  # JPEG: decode at reduced size, cheaply
            image = ImageOps.exif_transpose(image)
            image.thumbnail((320, 320))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return ContentFile(buffer.getvalue(), name="thumbnail.jpg")
