"""Handing a private file to the browser after the access check.

PORTAL_DOCUMENTS_DELIVERY:
- "stream" (default): Django streams the file from the storage.
- "x-accel": nginx sends it from an internal location (PORTAL_DOCUMENTS_X_ACCEL_PREFIX).
- "signed-url": redirect to a short-lived signed URL of S3-compatible storage (django-storages'
  S3Storage with a private bucket and querystring auth); the URL expires after
  PORTAL_DOCUMENTS_SIGNED_URL_SECONDS and carries the download name.
"""

import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant, User

from .models import Document, Receipt, StaticForm
from .receipts import ReceiptAccess, ReceiptError, receipt_view_record
from .selectors import delivery_get
from .services import delivery_open


def private_file_response(fieldfile, *, filename: str, content_type: str, inline: bool):
    """Only call this after the access check. Never a public URL."""
    disposition = content_disposition_header(not inline, filename)
    mode = settings.DOCUMENTS_DELIVERY
    if mode == "signed-url":
        url = fieldfile.storage.url(
            fieldfile.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            expire=settings.DOCUMENTS_SIGNED_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    prefix = settings.DOCUMENTS_X_ACCEL_PREFIX
    if mode == "x-accel" or prefix:
        # nginx serves the bytes from an `internal` location; Django only decided who may.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(fieldfile.name)
    else:
        response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The file names a tenant gets, and the access-checked answers the pages and the app API share.

# The file name says what the document is, for which period and which contract, e.g.
# "Betriebskostenabrechnung-2025-1001-W01-01.pdf": two statements of one year no longer both
# arrive as "1001-W01-01.pdf". German domain words, in either portal language.
_KIND_WORDS = {
    Document.Kind.BETRIEBSKOSTEN: "Betriebskostenabrechnung",
    Document.Kind.HEIZKOSTEN: "Heizkostenabrechnung",
    Document.Kind.MIETVERTRAG: "Mietvertrag",
}
_UNSAFE = re.compile(r"[^\w.-]+")
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def _name_part(text: str) -> str:
    """Words joined by hyphens; nothing a file system or a header could trip over."""
    return _UNSAFE.sub("-", text.strip()).strip("-.")


def document_filename(document: Document) -> str:
    kind = _KIND_WORDS.get(document.kind) or _name_part(document.title) or "Dokument"
    period = _name_part(document.period) if document.period else str(document.year or "")
    parts = [kind, period, _name_part(document.contract_number)]
    return "-".join(p for p in parts if p) + ".pdf"


def receipt_filename(receipt: Receipt) -> str:
    return f"{_name_part(receipt.title) or 'Beleg'}.pdf"


def static_form_filename(form: StaticForm) -> str:
    return form.original_name or f"{form.title}.pdf"


def ascii_filename(filename: str) -> str:
    spelt_out = unicodedata.normalize("NFKD", filename.translate(_UMLAUTS))
    return re.sub(r"-{2,}", "-", _UNSAFE.sub("-", spelt_out.encode("ascii", "ignore").decode()))


def _content_disposition(filename: str, *, inline: bool) -> str:
    """An ASCII name for every client, and the exact name (RFC 6266) for those that read it."""
    fallback = ascii_filename(filename)
    header = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=utf-8''{quote(filename)}"
    return header


def _named_pdf_response(fieldfile, *, filename: str, inline: bool):
    response = private_file_response(
        fieldfile, filename=filename, content_type="application/pdf", inline=inline
    )
    if response.has_header("Content-Disposition"):
        response["Content-Disposition"] = _content_disposition(filename, inline=inline)
    return response


def document_file_response(*, tenant: Tenant, user: User, document_id: int, inline: bool):
    """A document delivered to the tenant, with the proof of its first opening; 404 otherwise."""
    delivery = delivery_get(tenant=tenant, document_id=document_id)
    delivery_open(delivery=delivery, user=user)
    document = delivery.document
    return _named_pdf_response(document.file, filename=document_filename(document), inline=inline)


class ReceiptsExpiredError(ReceiptError):
    """The objection period is over: the page explains it, the app API answers 403."""

    code = "receipts_expired"

    @classmethod
    def for_access(cls, access: ReceiptAccess) -> "ReceiptsExpiredError":
        return cls(
            _(
                "You could inspect these receipts online until %(date)s: up to the end of the "
                "twelfth month after you received the statement. If you still need a receipt, "
                "please ask us through “Contact”."
            ),
            params={"date": date_format(access.until, "SHORT_DATE_FORMAT")},
        )


def receipt_file_response(
    *, access: ReceiptAccess, receipt_id: int, tenant: Tenant, user: User, inline: bool
):
    """One receipt of a statement inside its inspection period, recorded as viewed.

    An unknown receipt is 404; after the period :class:`ReceiptsExpiredError` (nothing recorded).
    """
    receipt = access.receipt(receipt_id)
    if access.expired:
        raise ReceiptsExpiredError.for_access(access)
    receipt_view_record(receipt=receipt, tenant=tenant, user=user, downloaded=not inline)
    return _named_pdf_response(
        receipt.tenant_file, filename=receipt_filename(receipt), inline=inline
    )


def static_form_file_response(form: StaticForm):
    return private_file_response(
        form.file,
        filename=static_form_filename(form),
        content_type="application/pdf",
        inline=False,
    )


def pdf_bytes_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """A PDF rendered for this request (a personalised form), as a download."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
