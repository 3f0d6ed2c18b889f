import re
import unicodedata
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tenants.decorators import tenant_required

from .delivery import private_file_response
from .models import Document
from .receipts import receipt_access_get, receipt_sets_exist, receipt_view_record
from .registry import personal_form, personal_forms
from .selectors import delivery_get, delivery_list, static_form_list
from .services import delivery_open


@login_required
@tenant_required
def index(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("art") or None
    if kind not in dict(Document.Kind.choices):
        kind = None
    years: dict[int, list] = {}
    for delivery in receipt_sets_exist(delivery_list(tenant=request.tenant, kind=kind)):
        years.setdefault(delivery.document.year, []).append(delivery)
    return render(
        request,
        "documents/index.html",
        {"years": years, "kinds": Document.Kind.choices, "selected_kind": kind},
    )


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


def _document(request: HttpRequest, document_id: int, *, inline: bool) -> HttpResponse:
    delivery = delivery_get(tenant=request.tenant, document_id=document_id)
    delivery_open(delivery=delivery, user=request.user)
    document = delivery.document
    filename = document_filename(document)
    response = private_file_response(
        document.file, filename=filename, content_type="application/pdf", inline=inline
    )
    if response.has_header("Content-Disposition"):
        response["Content-Disposition"] = _content_disposition(filename, inline=inline)
    return response


@login_required
@tenant_required
def open_document(request: HttpRequest, document_id: int) -> HttpResponse:
    return _document(request, document_id, inline=True)


@login_required
@tenant_required
def download_document(request: HttpRequest, document_id: int) -> HttpResponse:
    return _document(request, document_id, inline=False)


@login_required
@tenant_required
def receipts(request: HttpRequest, document_id: int) -> HttpResponse:
    """The receipts behind a statement (Belegeinsicht, § 556 Abs. 4 BGB)."""
    access = receipt_access_get(tenant=request.tenant, document_id=document_id)
    return render(request, "documents/receipts.html", {"access": access})


def _receipt(request: HttpRequest, document_id: int, receipt_id: int, *, inline: bool):
    access = receipt_access_get(tenant=request.tenant, document_id=document_id)
    receipt = access.receipt(receipt_id)
    if access.expired:  # the page says why, and where to ask instead
        return render(request, "documents/receipts.html", {"access": access}, status=403)
    receipt_view_record(
        receipt=receipt, tenant=request.tenant, user=request.user, downloaded=not inline
    )
    filename = f"{_name_part(receipt.title) or 'Beleg'}.pdf"
    response = private_file_response(
        receipt.tenant_file, filename=filename, content_type="application/pdf", inline=inline
    )
    if response.has_header("Content-Disposition"):
        response["Content-Disposition"] = _content_disposition(filename, inline=inline)
    return response


@login_required
@tenant_required
def open_receipt(request: HttpRequest, document_id: int, receipt_id: int) -> HttpResponse:
    return _receipt(request, document_id, receipt_id, inline=True)


@login_required
@tenant_required
def download_receipt(request: HttpRequest, document_id: int, receipt_id: int) -> HttpResponse:
    return _receipt(request, document_id, receipt_id, inline=False)


@login_required
@tenant_required
def forms(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "documents/forms.html",
        {"static_forms": static_form_list(), "personal_forms": personal_forms()},
    )


@login_required
@tenant_required
def static_form(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(static_form_list(), pk=pk)
    return private_file_response(
        form.file,
        filename=form.original_name or f"{form.title}.pdf",
        content_type="application/pdf",
        inline=False,
    )


@login_required
@tenant_required
def personal_form_view(request: HttpRequest, key: str) -> HttpResponse:
    form = personal_form(key)
    if form is None:
        raise Http404(_("Unknown form"))
    result = form.render(request, request.tenant)
    if isinstance(result, HttpResponse):
        return result
    filename, pdf = result
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
