from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tenants.cards import TENANCY, cached_page_part
from tenants.decorators import tenant_required

from .delivery import (
    ReceiptsExpiredError,
    document_file_response,
    pdf_bytes_response,
    receipt_file_response,
    static_form_file_response,
)
from .models import Document
from .receipts import receipt_access_get, receipt_sets_exist
from .registry import personal_form, personal_forms
from .selectors import delivery_list, static_form_get, static_form_list


@login_required
@tenant_required
def index(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("art") or None
    if kind not in dict(Document.Kind.choices):
        kind = None
    content = cached_page_part(
        request,
        request.tenant,
        name="documents",
        template="documents/_index.html",
        areas=("documents", TENANCY),
        vary=(kind,),
        context=lambda: _index_context(request, kind),
    )
    return render(request, "documents/index.html", {"content": content})


def _index_context(request: HttpRequest, kind: str | None) -> dict:
    years: dict[int, list] = {}
    for delivery in receipt_sets_exist(delivery_list(tenant=request.tenant, kind=kind)):
        years.setdefault(delivery.document.year, []).append(delivery)
    return {"years": years, "kinds": Document.Kind.choices, "selected_kind": kind}


@login_required
@tenant_required
def open_document(request: HttpRequest, document_id: int) -> HttpResponse:
    return document_file_response(
        tenant=request.tenant, user=request.user, document_id=document_id, inline=True
    )


@login_required
@tenant_required
def download_document(request: HttpRequest, document_id: int) -> HttpResponse:
    return document_file_response(
        tenant=request.tenant, user=request.user, document_id=document_id, inline=False
    )


@login_required
@tenant_required
def receipts(request: HttpRequest, document_id: int) -> HttpResponse:
    """The receipts behind a statement (Belegeinsicht, § 556 Abs. 4 BGB)."""
    access = receipt_access_get(tenant=request.tenant, document_id=document_id)
    return render(request, "documents/receipts.html", {"access": access})


def _receipt(request: HttpRequest, document_id: int, receipt_id: int, *, inline: bool):
    access = receipt_access_get(tenant=request.tenant, document_id=document_id)
    try:
        return receipt_file_response(
            access=access,
            receipt_id=receipt_id,
            tenant=request.tenant,
            user=request.user,
            inline=inline,
        )
    except ReceiptsExpiredError:  # the page says why, and where to ask instead
        return render(request, "documents/receipts.html", {"access": access}, status=403)


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
    """The same for every tenant: kept per language, renewed when a clerk edits a form."""
    content = cached_page_part(
        request,
        None,
        name="forms",
        template="documents/_forms.html",
        areas=("forms",),
        context=lambda: {"static_forms": static_form_list(), "personal_forms": personal_forms()},
    )
    return render(request, "documents/forms.html", {"content": content})


@login_required
@tenant_required
def static_form(request: HttpRequest, pk: int) -> HttpResponse:
    return static_form_file_response(static_form_get(pk=pk))


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
    return pdf_bytes_response(pdf, filename=filename)
