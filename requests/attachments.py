"""Uploaded files: checked by their content, stored under random names, thumbnails for photos."""

import io
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

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
        if content_type.startswith("image/") and (size := too_big_to_decode(upload)):
            errors.append(
                ValidationError(
                    _(
                        "“%(name)s” has %(width)d × %(height)d pixels, too many for us to "
                        "show. Please send a smaller photo (e.g. a screenshot or your phone "
                        "camera's normal setting)."
                    )
                    % {"name": upload.name, "width": size[0], "height": size[1]},
                    code="too_many_pixels",
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
            item.thumbnail = make_thumbnail(item.upload)
            item.upload.seek(0)
    return checked


MAX_PIXELS = 60_000_000  # decoded pixels (after JPEG's reduced decoding); resizing costs per pixel
# Bytes of the decoded image: a 233 KB PNG can unpack to 240 MB. Pillow keeps RGB, RGBA, I and F
# in 4 bytes a pixel, 16-bit grey in 2, 1-bit, grey and palette in 1.
MAX_DECODED_BYTES = 100 * 2**20
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}


def _open_reduced(source):
    """Open lazily (only the header is read) and ask JPEG to decode at 1/2 … 1/8 size."""
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    image = Image.open(source)
    image.draft("RGB", (640, 640))  # JPEG only; other formats ignore it
    return image


def too_big_to_decode(upload) -> tuple[int, int] | None:
    """The image's (width, height) if decoding it would take too much memory, else None.

    Reads only the header. An unreadable image is not refused here: it just gets no thumbnail.
    """
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with _open_reduced(upload) as image:
            width, height = image.size
            decoded = width * height * _PIXEL_BYTES.get(image.mode, 4)
            if width * height > MAX_PIXELS or decoded > MAX_DECODED_BYTES:
                with Image.open(upload) as original:  # the size the tenant knows
                    return original.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return None


def make_thumbnail(source) -> ContentFile | None:
    """A small JPEG preview of a photo (bytes or a file), or None if it cannot be read or is
    too big to decode (check_uploads refuses those first)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    if too_big_to_decode(source):
        return None
    try:
        with _open_reduced(source) as image:
            # Shrink first, turn upright afterwards: exif_transpose copies the whole image.
            image.thumbnail((320, 320))
            image = ImageOps.exif_transpose(image)
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return ContentFile(buffer.getvalue(), name="thumbnail.jpg")


class AttachmentUploadHandler(FileUploadHandler):
    """Stops attachments that are too big while the request body streams in.

    Django would otherwise store any size on disk before the form can say no. A file above the
    per-file limit is skipped (its remaining bytes are read and dropped); once all files together
    pass count × limit, the rest of the upload is dropped. What was refused is kept in
    `refused_uploads(request)` for the form to show.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.refused: list[ValidationError] = []
        self.file_limit = settings.REQUESTS_MAX_ATTACHMENT_BYTES
        self.total_limit = settings.REQUESTS_MAX_ATTACHMENTS * self.file_limit
        self.total = 0
        self.body_too_large = False

    def handle_raw_input(self, input_data, meta, content_length, boundary, encoding=None):
        # Text fields may add up to DATA_UPLOAD_MAX_MEMORY_SIZE on top of the files.
        self.body_too_large = content_length > (
            self.total_limit + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        )

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.body_too_large:  # stop before the first file; fields sent before it are kept
            self._refuse_total()

    def _refuse_total(self):
        self.refused.append(
            ValidationError(
                _(
                    "Your files together are larger than %(limit)s; please send fewer or "
                    "smaller files."
                )
                % {"limit": filesizeformat(self.total_limit)},
                code="too_large_total",
            )
        )
        # The rest of the body is read and dropped, so the browser gets the page with the error.
        raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.total += len(raw_data)
        if self.total > self.total_limit:
            self._refuse_total()
        if self.received > self.file_limit:
            self.refused.append(
                ValidationError(
                    _("“%(name)s” is larger than %(limit)s; please send a smaller file.")
                    % {"name": self.file_name, "limit": filesizeformat(self.file_limit)},
                    code="too_large",
                )
            )
            self.total -= self.received  # a skipped file does not count towards the total
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


def refused_uploads(request) -> list[ValidationError]:
    return [
        error
        for handler in request.upload_handlers
        if isinstance(handler, AttachmentUploadHandler)
        for error in handler.refused
    ]


def limit_uploads(view):
    """Put AttachmentUploadHandler in front of the view's upload handlers.

    The handlers must be set before anything reads request.POST, and the CSRF check reads it:
    so the CSRF check runs here, after the handler is in place (as Django's docs describe).
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, AttachmentUploadHandler(request))
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)
