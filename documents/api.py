"""App API: "Meine Dokumente" (with the Belegeinsicht) and "Formulare".

Thin: the same scoped selectors as the pages (documents/views.py), the same access-checked file
answers (documents/delivery.py: the proof of first opening, the receipt views, the file names),
the same localised texts. Another tenant's document is 404.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tenants.apikit import ApiError, NewestFirst, problem_responses
from tenants.i18n import localized
from tenants.templatetags.glossary import legal_explanation

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

router = Router(tags=["Dokumente und Formulare / Documents and forms"])

DocumentKind = Literal[tuple(Document.Kind.values)]  # type: ignore[valid-type]
CURRENCY = "EUR"


def _pdf(description: str, *, redirect: bool = True) -> dict:
    """The OpenAPI of a file answer: the PDF itself (or, with signed URLs, a redirect to it)."""
    responses = {
        200: {
            "description": description,
            "headers": {
                "Content-Disposition": {
                    "description": "attachment; the file name the page gives it",
                    "schema": {"type": "string"},
                }
            },
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
    if redirect:
        responses[302] = {
            "description": "Storage with signed URLs: a short-lived URL of the same file",
            "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
        }
    return {"responses": responses}


# Documents.


class DocumentOut(Schema):
    """One document provided to the tenant (read from the tenant's delivery of it)."""

    id: int = Field(description="The document's id (the same for every partner of a contract)")
    title: str
    legal_note: str = Field(
        description="On English accounts: what the German legal term in the title means"
    )
    kind: DocumentKind
    kind_label: str
    year: int
    period: str
    contract_number: str
    published_at: datetime = Field(description="When it was provided to the tenant")
    size: int = Field(description="Bytes")
    new: bool = Field(description="Not opened yet (the page's “new”)")
    download_path: str
    has_receipts: bool = Field(description="The receipts behind the statement can be inspected")
    receipts_path: str | None

    @staticmethod
    def resolve_id(delivery) -> int:
        return delivery.document_id

    @staticmethod
    def resolve_title(delivery) -> str:
        return delivery.document.title

    @staticmethod
    def resolve_legal_note(delivery) -> str:
        document = delivery.document
        return legal_explanation(document.title, str(document.get_kind_display()))

    @staticmethod
    def resolve_kind(delivery) -> str:
        return delivery.document.kind

    @staticmethod
    def resolve_kind_label(delivery) -> str:
        return str(delivery.document.get_kind_display())

    @staticmethod
    def resolve_year(delivery) -> int:
        return delivery.document.year

    @staticmethod
    def resolve_period(delivery) -> str:
        return delivery.document.period

    @staticmethod
    def resolve_contract_number(delivery) -> str:
        return delivery.document.contract_number

    @staticmethod
    def resolve_size(delivery) -> int:
        return delivery.document.size

    @staticmethod
    def resolve_new(delivery) -> bool:
        return delivery.is_new

    @staticmethod
    def resolve_download_path(delivery) -> str:
        return reverse("api-v1:documents_file", args=[delivery.document_id])

    @staticmethod
    def resolve_receipts_path(delivery) -> str | None:
        if not delivery.has_receipts:
            return None
        return reverse("api-v1:documents_receipts", args=[delivery.document_id])


class DocumentFilter(Schema):
    kind: DocumentKind | None = Field(None, description="Only documents of this kind")


@router.get(
    "/documents",
    response={200: list[DocumentOut], **problem_responses(422)},
    summary="My documents",
    url_name="documents_list",
)
@paginate(NewestFirst)
def document_list(request: HttpRequest, filters: Query[DocumentFilter]):
    """The documents provided to the tenant, newest first, like the page "Meine Dokumente".

    ``new`` is true until the document was opened once (in the portal or the app). Stable
    cursors: a document provided while paging appears on a fresh first page, never twice.
    """
    return receipt_sets_exist(delivery_list(tenant=request.tenant, kind=filters.kind))


@router.get(
    "/documents/{document_id}/file",
    response={200: None, 302: None, **problem_responses(404)},
    summary="Download a document",
    url_name="documents_file",
    openapi_extra=_pdf("The document as PDF"),
)
def document_file(request: HttpRequest, document_id: int):
    """The PDF, through the same access check as the page. The first download is recorded as
    the proof of delivery (first opened, by whom); the document is no longer ``new``."""
    return document_file_response(
        tenant=request.tenant, user=request.user, document_id=document_id, inline=False
    )


# Belegeinsicht.


class ReceiptOut(Schema):
    id: int
    title: str
    amount: str = Field(description='e.g. "612.40"')
    currency: Literal["EUR"]
    download_path: str


class ReceiptsOut(Schema):
    document_id: int
    document_title: str
    until: date = Field(description="The last day the receipts can be inspected online")
    expired: bool
    notice: str = Field(description="What the page says about the inspection period")
    receipts: list[ReceiptOut] = Field(description="Empty once the period has ended")
    total: str | None = Field(description="Sum of the receipts; none once the period has ended")
    currency: Literal["EUR"]


@router.get(
    "/documents/{document_id}/receipts",
    response={200: ReceiptsOut, **problem_responses(404)},
    summary="Receipts behind a statement",
    url_name="documents_receipts",
)
def receipt_list(request: HttpRequest, document_id: int):
    """The receipts behind an operating or heating cost statement (Belegeinsicht, § 556
    Abs. 4 BGB), until the end of the twelfth month after the statement was provided. After
    that the list is empty and ``notice`` says where to ask instead. 404 for a document without
    receipts or not provided to the tenant."""
    access = receipt_access_get(tenant=request.tenant, document_id=document_id)
    document = access.delivery.document
    until = access.until
    if access.expired:
        notice = ReceiptsExpiredError.for_access(access).message
        receipts, total = [], None
    else:
        notice = _(
            "You may inspect them here until %(date)s. Each time you open or download a "
            "receipt, we note it."
        ) % {"date": date_format(until, "SHORT_DATE_FORMAT")}
        receipts = [
            {
                "id": receipt.pk,
                "title": receipt.title,
                "amount": str(receipt.amount),
                "currency": CURRENCY,
                "download_path": reverse(
                    "api-v1:documents_receipt_file", args=[document.pk, receipt.pk]
                ),
            }
            for receipt in access.receipts
        ]
        total = str(access.total)
    return {
        "document_id": document.pk,
        "document_title": document.title,
        "until": until,
        "expired": access.expired,
        "notice": notice,
        "receipts": receipts,
        "total": total,
        "currency": CURRENCY,
    }


@router.get(
    "/documents/{document_id}/receipts/{receipt_id}/file",
    response={200: None, 302: None, **problem_responses(403, 404)},
    summary="Download a receipt",
    url_name="documents_receipt_file",
    openapi_extra=_pdf("The receipt as PDF (the redacted version where there is one)"),
)
def receipt_file(request: HttpRequest, document_id: int, receipt_id: int):
    """One receipt, recorded as viewed like on the page. After the inspection period: 403
    ``receipts_expired`` with the page's explanation."""
    access = receipt_access_get(tenant=request.tenant, document_id=document_id)
    try:
        return receipt_file_response(
            access=access,
            receipt_id=receipt_id,
            tenant=request.tenant,
            user=request.user,
            inline=False,
        )
    except ReceiptsExpiredError as error:
        raise ApiError.from_portal_error(error, status=403) from None


# Forms.


class StaticFormOut(Schema):
    id: int
    title: str
    description: str
    download_path: str


class PersonalFormOut(Schema):
    key: str
    title: str
    description: str
    download_path: str


class FormsOut(Schema):
    personal: list[PersonalFormOut] = Field(description="Filled in with the tenant's data")
    static: list[StaticFormOut] = Field(description="Forms to print")


@router.get(
    "/forms",
    response={200: FormsOut, **problem_responses()},
    summary="Forms",
    url_name="forms_list",
)
def form_list(request: HttpRequest):
    """The page "Formulare": forms filled in with the tenant's data and forms to print, with
    titles and descriptions in the account's language."""
    return {
        "personal": [
            {
                "key": form.key,
                "title": str(form.title),
                "description": str(form.description),
                "download_path": reverse("api-v1:forms_personal_file", args=[form.key]),
            }
            for form in personal_forms()
        ],
        "static": [
            {
                "id": form.pk,
                "title": localized(form, "title"),
                "description": localized(form, "description"),
                "download_path": reverse("api-v1:forms_static_file", args=[form.pk]),
            }
            for form in static_form_list()
        ],
    }


@router.get(
    "/forms/static/{form_id}/file",
    response={200: None, 302: None, **problem_responses(404)},
    summary="Download a form to print",
    url_name="forms_static_file",
    openapi_extra=_pdf("The form as PDF"),
)
def form_static_file(request: HttpRequest, form_id: int):
    """A form on offer on the page "Formulare"; one taken off the list is 404."""
    return static_form_file_response(static_form_get(pk=form_id))


class PersonalFormQuery(Schema):
    contract_number: str | None = Field(
        None,
        max_length=30,
        description="Which of the tenant's contracts the form is for (default: the flat's); "
        "a number that is not the tenant's is ignored, as on the page",
    )


@router.get(
    "/forms/personal/{key}/file",
    response={200: None, **problem_responses(404, 409)},
    summary="Download a form filled in with my data",
    url_name="forms_personal_file",
    openapi_extra=_pdf("The form, filled in for the tenant's contract", redirect=False),
)
def form_personal_file(request: HttpRequest, key: str, query: Query[PersonalFormQuery]):
    """The same PDF the page renders. A form that is not a file (e.g. the rent certificate,
    which is requested under "Kontakt") or that needs a contract the tenant has not got
    answers 409 ``form_not_a_file``."""
    form = personal_form(key)
    if form is None:
        raise ApiError.not_found()
    if query.contract_number:
        # The page's parameter, which the area rendering the form reads.
        request.GET = request.GET.copy()
        request.GET["vertrag"] = query.contract_number
    result = form.render(request, request.tenant)
    if isinstance(result, HttpResponse):
        raise ApiError(
            409,
            "form_not_a_file",
            _("This form is not available as a file. Please open it on the page “Forms”."),
        )
    filename, pdf = result
    return pdf_bytes_response(pdf, filename=filename)
