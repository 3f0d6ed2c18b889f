from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tenants.decorators import tenant_required

from .delivery import private_file_response
from .models import Document
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
    for delivery in delivery_list(tenant=request.tenant, kind=kind):
        years.setdefault(delivery.document.year, []).append(delivery)
    return render(
        request,
        "documents/index.html",
        {"years": years, "kinds": Document.Kind.choices, "selected_kind": kind},
    )


def _document(request: HttpRequest, document_id: int, *, inline: bool) -> HttpResponse:
    delivery = delivery_get(tenant=request.tenant, document_id=document_id)
    delivery_open(delivery=delivery, user=request.user)
    document = delivery.document
    return private_file_response(
        document.file,
        filename=document.original_name or f"{document.title}.pdf",
        content_type="application/pdf",
        inline=inline,
    )


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
