"""App API of "Kontakt": requests and damage reports (the pages of requests/views.py).

Thin: the categories and their fields come from the page's own ``RequestForm``; a new request
and an answer are validated by the page's forms (the same limits on count, size and type of
files, checked while the upload comes in by ``AttachmentUploadHandler``) and saved by the
page's services (routing task, audit row, confirmation mail). Reads go through the page's
scoped selectors, which never return internal notes; another tenant's request is 404.

Kontakt stays open after the tenancy (``tenants.tenancy_state``: "read-only, except Kontakt"),
as on the pages: the request is then about no flat.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps
from typing import Literal

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from documents.delivery import private_file_response
from documents.fields import MultipleFileField
from tenants.apikit import ApiError, NewestFirst, form_errors, problem_responses
from tenants.calendar import is_business_hours
from tenants.context_processors import branding
from tenants.http import client_ip

from .attachments import AttachmentUploadHandler, refused_uploads
from .details import detail_rows
from .forms import ReplyForm, RequestForm
from .models import Category, ContactRequest
from .selectors import (
    attachment_get,
    category_groups,
    category_list,
    request_get,
    request_list,
    request_unit_choices,
)
from .services import request_create, request_reply_by_tenant, request_reply_check

router = Router(tags=["Kontakt / Requests"])

RequestStatus = Literal["received", "in_progress", "waiting", "done"]
Group = Literal["damage", "rent", "statements", "documents", "address", "general"]
FieldKind = Literal["text", "textarea", "choice", "date", "integer", "files"]

EXCERPT_CHARS = 140  # as the start page's card shows the latest answer


# --- Schemas ---------------------------------------------------------------------------------


class Choice(Schema):
    value: str
    label: str


class FormField(Schema):
    """One field of the category's form, as the page asks it (send it under ``name``)."""

    name: str
    label: str
    kind: FieldKind
    required: bool
    help_text: str
    max_length: int | None
    choices: list[Choice]


class Emergency(Schema):
    """The emergency notice of the damage pages: what to do when a message is too slow."""

    outside_business_hours: bool
    title: str
    text: str
    phone: str
    phone_uri: str
    gas_hint: str


class AttachmentLimits(Schema):
    max_files: int
    max_file_bytes: int
    content_types: list[str]


class CategoryOut(Schema):
    id: int
    name: str
    group: Group
    hint: str
    damage: bool
    # True: show `emergency` of the answer above the form (the damage forms do).
    shows_emergency: bool
    photos_allowed: bool
    # In the page's order; the unit choice only when the tenant has several flats.
    fields: list[FormField]


class CategoryGroup(Schema):
    group: Group
    label: str
    categories: list[CategoryOut]


class Categories(Schema):
    groups: list[CategoryGroup]
    emergency: Emergency
    attachments: AttachmentLimits


class CategoryRef(Schema):
    id: int
    name: str


class RequestItem(Schema):
    reference: str
    category: CategoryRef
    subject: str
    status: RequestStatus
    status_label: str
    created_at: datetime
    answers: int
    # The latest answer of the housing company (never an internal note), shortened.
    latest_answer: str | None
    latest_answer_at: datetime | None

    # Filled from the rows of `request_list(latest_answer=True)`.
    @staticmethod
    def resolve_category(obj: ContactRequest) -> CategoryRef:
        return _category_ref(obj.category)

    @staticmethod
    def resolve_status_label(obj: ContactRequest) -> str:
        return _status_label(obj.status)

    @staticmethod
    def resolve_latest_answer(obj: ContactRequest) -> str | None:
        if obj.latest_answer is None:
            return None
        return Truncator(obj.latest_answer).chars(EXCERPT_CHARS)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    is_image: bool
    download_path: str
    thumbnail_path: str | None


class MessageOut(Schema):
    id: int
    from_tenant: bool
    author: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class StatusChangeOut(Schema):
    status: RequestStatus
    label: str
    changed_at: datetime


class DetailRow(Schema):
    label: str
    value: str


class RequestDetail(Schema):
    reference: str
    category: CategoryRef
    subject: str
    status: RequestStatus
    status_label: str
    created_at: datetime
    unit: str | None
    details: list[DetailRow]
    # False once the request is done: answers are refused (409 ``closed``).
    can_reply: bool
    shows_emergency: bool
    messages: list[MessageOut]
    status_history: list[StatusChangeOut]


class RequestIn(Schema):
    """The fields of the category's form (see ``GET /requests/categories``); others are
    ignored. Send the fields before the files."""

    category: int
    unit: int | None = None
    subject: str = ""
    message: str = ""
    location: str = ""
    since: str = ""
    getting_worse: str = ""
    access: str = ""
    street: str = ""
    address_extra: str = ""
    postal_code: str = ""
    city: str = ""
    valid_from: str = ""  # YYYY-MM-DD
    document: str = ""
    year: str = ""


class ReplyIn(Schema):
    message: str = ""


# --- Helpers ---------------------------------------------------------------------------------


def _limit_uploads(run):
    """The page's upload limits while the body streams in (requests.attachments.limit_uploads);
    no CSRF check here: the app signs in with a token, never a cookie."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, AttachmentUploadHandler(request))
        return run(request, *args, **kwargs)

    return wrapper


def _emergency() -> Emergency:
    """The texts of templates/requests/_emergency.html (the same translations)."""
    portal = branding()
    outside = not is_business_hours(timezone.now())
    if outside:
        title = _("We are outside business hours right now.")
        text = _(
            "In an emergency (burst pipe, water coming in, heating failure in winter, no "
            "electricity, smell of gas) call our emergency service now:"
        )
    else:
        title = _("Emergency?")
        text = _(
            "For urgent damage (burst pipe, water coming in, heating failure in winter, no "
            "electricity, smell of gas) please call – a message here is not fast enough:"
        )
    return Emergency(
        outside_business_hours=outside,
        title=title,
        text=text,
        phone=portal["emergency_phone"],
        phone_uri=portal["emergency_phone_uri"],
        gas_hint=_("If you smell gas: leave the flat, do not switch on lights, call 112."),
    )


def _kind(field: forms.Field) -> str:
    if isinstance(field, MultipleFileField):
        return "files"
    if isinstance(field, forms.ChoiceField):
        return "choice"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.IntegerField):
        return "integer"
    if isinstance(field.widget, forms.Textarea):
        return "textarea"
    return "text"


def _fields(form: RequestForm) -> list[FormField]:
    return [
        FormField(
            name=name,
            label=str(field.label),
            kind=_kind(field),
            required=field.required,
            help_text=str(field.help_text or ""),
            max_length=getattr(field, "max_length", None),
            choices=[
                Choice(value=str(value), label=str(label))
                for value, label in getattr(field, "choices", ())
                if value != ""
            ],
        )
        for name, field in form.fields.items()
    ]


def _category_ref(category: Category) -> CategoryRef:
    return CategoryRef(id=category.pk, name=category.display_name)


def _status_label(status: str) -> str:
    label = str(ContactRequest.Status(status).label)
    return label[:1].upper() + label[1:]  # capfirst, as the pages show it


def _attachment(contact: ContactRequest, item) -> AttachmentOut:
    path = reverse("api-v1:request_attachment", args=[contact.reference, item.pk])
    return AttachmentOut(
        id=item.pk,
        name=item.original_name,
        content_type=item.content_type,
        size=item.size,
        is_image=item.is_image,
        download_path=path,
        thumbnail_path=f"{path}?thumbnail=true" if item.thumbnail else None,
    )


def _author(message) -> str:
    if message.from_tenant:
        return _("You")
    company = settings.PORTAL_COMPANY
    return f"{company} ({message.author.first_name})" if message.author else company


def _unit(contact: ContactRequest) -> str | None:
    unit = contact.unit
    if unit is None:
        return None
    parts = [unit.get_kind_display(), unit.address_street, unit.location]
    return ", ".join(part for part in parts if part)


def _detail(contact: ContactRequest) -> RequestDetail:
    """`contact` from `request_get`: internal notes and their files are already left out."""
    by_message: dict[int | None, list] = {}
    for item in contact.visible_attachments:
        by_message.setdefault(item.message_id, []).append(item)
    return RequestDetail(
        reference=contact.reference,
        category=_category_ref(contact.category),
        subject=contact.subject,
        status=contact.status,
        status_label=_status_label(contact.status),
        created_at=contact.created_at,
        unit=_unit(contact),
        details=[
            DetailRow(label=label, value=value) for label, value in detail_rows(contact.details)
        ],
        can_reply=contact.is_open,
        shows_emergency=contact.category.is_damage and contact.is_open,
        messages=[
            MessageOut(
                id=message.pk,
                from_tenant=message.from_tenant,
                author=_author(message),
                body=message.body,
                created_at=message.created_at,
                attachments=[_attachment(contact, item) for item in by_message.get(message.pk, [])],
            )
            for message in contact.visible_messages
        ],
        status_history=[
            StatusChangeOut(
                status=change.status,
                label=_status_label(change.status),
                changed_at=change.changed_at,
            )
            for change in contact.status_changes.all()
        ],
    )


def _upload_files(attachments) -> MultiValueDict:
    return MultiValueDict({"attachments": list(attachments or [])})


# --- Endpoints -------------------------------------------------------------------------------


@router.get(
    "/categories",
    response={200: Categories, **problem_responses()},
    summary="Topics of a new request and their forms",
)
def request_category_list(request: HttpRequest):
    """The topics as the page "Neue Anfrage" lists them (groups and order), each with the
    fields its form asks, in the account's language; the emergency notice the damage forms
    show, and the limits for photos and documents."""
    units = request_unit_choices(tenant=request.tenant)
    attachments = RequestForm.base_fields["attachments"]
    groups = []
    for group, members in category_groups():
        entries = []
        for category in members:
            form = RequestForm(category=category, units=units)
            entries.append(
                CategoryOut(
                    id=category.pk,
                    name=category.display_name,
                    group=group,
                    hint=category.display_hint,
                    damage=category.is_damage,
                    shows_emergency=category.is_damage,
                    photos_allowed="attachments" in form.fields,
                    fields=_fields(form),
                )
            )
        groups.append(
            CategoryGroup(group=group, label=str(Category.Group(group).label), categories=entries)
        )
    return Categories(
        groups=groups,
        emergency=_emergency(),
        attachments=AttachmentLimits(
            max_files=settings.REQUESTS_MAX_ATTACHMENTS,
            max_file_bytes=settings.REQUESTS_MAX_ATTACHMENT_BYTES,
            content_types=attachments.widget.attrs["accept"].split(","),
        ),
    )


@router.get(
    "",
    response={200: list[RequestItem], **problem_responses()},
    summary="The tenant's requests",
    operation_id="request_list",  # the function's name is the selector's
)
@paginate(NewestFirst, ordering=("-created_at", "-id"))
def request_index(request: HttpRequest):
    """The tenant's requests, newest first, with status and the latest answer (as the page
    "Kontakt" and the start page's card)."""
    return request_list(tenant=request.tenant, latest_answer=True)


@router.post(
    "",
    response={201: RequestDetail, **problem_responses(422)},
    summary="Send a request or damage report (with photos)",
    operation_id="request_create",  # the function's name is the service's
)
@decorate_view(_limit_uploads)
def request_new(
    request: HttpRequest,
    payload: Form[RequestIn],
    attachments: File[list[UploadedFile]] = None,
):
    """A new request as on the page: validated by its form (up to 5 photos or PDFs of at most
    10 MB each, checked by their content; nothing is saved on an error), saved with a
    reference, routed to the responsible clerk and confirmed by e-mail."""
    category = category_list().filter(pk=payload.category).first()
    if category is None:
        raise ApiError.invalid([{"field": "category", "message": _("Please choose a topic.")}])
    data = payload.model_dump(exclude={"category", "unit"})
    data["unit"] = "" if payload.unit is None else str(payload.unit)
    form = RequestForm(
        data,
        _upload_files(attachments),
        category=category,
        units=request_unit_choices(tenant=request.tenant),
        refused_uploads=refused_uploads(request),
    )
    if not form.is_valid():
        raise ApiError.invalid(form_errors(form))
    created = request_create(
        tenant=request.tenant,
        category=category,
        user=request.user,
        ip_address=client_ip(request),
        **form.request_fields(),
    )
    return Status(201, _detail(request_get(tenant=request.tenant, reference=created.reference)))


@router.get(
    "/{reference}",
    response={200: RequestDetail, **problem_responses(404)},
    summary="One request with its conversation",
)
def request_detail(request: HttpRequest, reference: str):
    """As the request's page: the messages of the tenant and the housing company (never
    internal notes), their files, the status history."""
    return _detail(request_get(tenant=request.tenant, reference=reference))


@router.get(
    "/{reference}/attachments/{attachment_id}",
    response={**problem_responses(404)},
    summary="A file of a request",
    url_name="request_attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file (or its JPEG preview with `thumbnail=true`).",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def request_attachment(
    request: HttpRequest, reference: str, attachment_id: int, thumbnail: bool = False
):
    """A photo or document of the request, through the page's access check; photos also as a
    small JPEG preview."""
    item = attachment_get(tenant=request.tenant, reference=reference, pk=attachment_id)
    stored = item.thumbnail if thumbnail else item.file
    if not stored:
        raise ApiError.not_found()
    return private_file_response(
        stored,
        filename=item.original_name,
        content_type="image/jpeg" if thumbnail else item.content_type,
        inline=thumbnail or item.is_image,
    )


@router.post(
    "/{reference}/messages",
    response={201: RequestDetail, **problem_responses(404, 409, 422)},
    summary="Answer a request (with photos)",
)
@decorate_view(_limit_uploads)
def request_reply(
    request: HttpRequest,
    reference: str,
    payload: Form[ReplyIn],
    attachments: File[list[UploadedFile]] = None,
):
    """The tenant's answer, as on the request's page: refused once the request is done (409
    ``closed``); files count towards the request's limit."""
    contact = request_get(tenant=request.tenant, reference=reference)
    request_reply_check(contact_request=contact)
    form = ReplyForm(
        payload.model_dump(),
        _upload_files(attachments),
        refused_uploads=refused_uploads(request),
        contact_request=contact,
    )
    if not form.is_valid():
        raise ApiError.invalid(form_errors(form))
    request_reply_by_tenant(
        contact_request=contact,
        tenant=request.tenant,
        body=form.cleaned_data["message"],
        files=form.checked_files,
    )
    return Status(201, _detail(request_get(tenant=request.tenant, reference=reference)))
