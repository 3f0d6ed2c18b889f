"""Kontakt: requests and damage reports, their conversation and their routing to a clerk."""

import logging
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tenants.assignment import AssignmentRules
from tenants.calendar import add_working_days
from tenants.cards import card_cache_bump
from tenants.errors import PortalError
from tenants.files import atomic_with_files, file_store
from tenants.models import Property, Tenant, Unit, User
from tenants.services import (
    ADDRESS_FIELDS,
    audit_log,
    email_queue,
    task_dispatch,
    tenant_address_change,
)

from .attachments import CheckedFile
from .models import (
    Attachment,
    Category,
    ContactRequest,
    Message,
    ReferenceCounter,
    ScheduledAddressChange,
    StatusChange,
)

logger = logging.getLogger(__name__)


class RequestError(PortalError):
    pass


def _next_reference() -> str:
    year = timezone.localdate().year
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"A-{year}-{counter.last:06d}"


def _store_attachments(
    *, contact_request: ContactRequest, message: Message | None, files: list[CheckedFile]
) -> None:
    for checked in files:
        upload = checked.upload
        upload.seek(0)
        data = upload.read()
        attachment = Attachment(
            request=contact_request,
            message=message,
            original_name=upload.name[:200],
            content_type=checked.content_type,
            size=len(data),
        )
        # Deleted again if the enclosing atomic_with_files() block fails.
        file_store(attachment.file, "upload", ContentFile(data))
        if checked.thumbnail is not None:
            file_store(attachment.thumbnail, "thumb", checked.thumbnail)
        attachment.save()


def request_create(
    *,
    tenant: Tenant,
    category: Category,
    message: str,
    subject: str = "",
    unit: Unit | None = None,
    details: dict | None = None,
    files: list[CheckedFile] = (),
    user: User | None = None,
    ip_address: str | None = None,
) -> ContactRequest:
    """Store the request first; routing to the clerk follows after commit (or via the sweeper)."""
    from .tasks import contact_request_route_task

    with atomic_with_files():
        contact_request = ContactRequest.objects.create(
            reference=_next_reference(),
            tenant=tenant,
            unit=unit,
            category=category,
            subject=(subject or category.localized_name())[:200],  # in the tenant's language
            details=details or {},
        )
        first = Message.objects.create(
            request=contact_request, author=user, from_tenant=True, body=message
        )
        _store_attachments(contact_request=contact_request, message=first, files=list(files))
        StatusChange.objects.create(
            request=contact_request, status=contact_request.status, changed_by=user
        )
        audit_log(
            action="request.created",
            obj=contact_request,
            actor=user,
            tenant=tenant,
            changes={"category": category.name, "attachments": len(files)},
            ip_address=ip_address,
        )
        card_cache_bump([tenant.pk], "requests")
        transaction.on_commit(lambda: task_dispatch(contact_request_route_task, contact_request.pk))
    return contact_request


class ContactRequestAssignment(AssignmentRules):
    """Kontakt goes to the clerk responsible for the category's area at the unit's property.

    Without a unit (a general question) it goes to the area's default team. Routing sets the
    answer's due date and confirms the request to the tenant.
    """

    model = ContactRequest
    audit_prefix = "request"
    received_field = "created_at"
    select_related = ("category", "unit__property", "tenant__user")

    def area_of(self, contact_request: ContactRequest) -> str:
        return contact_request.category.area

    def property_of(self, contact_request: ContactRequest) -> Property | None:
        return contact_request.unit.property if contact_request.unit_id else None

    def tenant_of(self, contact_request: ContactRequest) -> Tenant:
        return contact_request.tenant

    def is_finished(self, contact_request: ContactRequest) -> bool:
        return not contact_request.is_open

    def notify_clerk(self, contact_request: ContactRequest, *, recipient: str) -> None:
        _notify_clerk(contact_request, recipient)

    def on_routing(self, contact_request: ContactRequest) -> list[str]:
        contact_request.due_date = add_working_days(
            timezone.localdate(contact_request.created_at), contact_request.category.response_days
        )
        return ["due_date"]

    def on_routed(self, contact_request: ContactRequest) -> None:
        tenant = contact_request.tenant
        if tenant.user_id and tenant.user.email:
            with translation.override(settings.LANGUAGE_CODE):
                email_queue(
                    to=tenant.user.email,
                    template="request_received",
                    context={"tenant": tenant, "contact_request": contact_request},
                )


contact_request_assignment = ContactRequestAssignment()


def _notify_clerk(contact_request: ContactRequest, recipient: str) -> None:
    if not recipient:
        logger.error(
            "Request %s: nobody responsible for area %s",
            contact_request.pk,
            contact_request.category.area,
        )
        return
    # Reference, category and a link: no more personal data than the clerk needs to find it.
    email_queue(
        to=recipient,
        template="request_clerk_notice",
        context={
            "contact_request": contact_request,
            "admin_path": reverse(
                "admin:requests_contactrequest_change", args=[contact_request.pk]
            ),
        },
    )


def request_reply_check(*, contact_request: ContactRequest) -> None:
    """Whether the tenant may still answer: not once the request is done (RequestError)."""
    if not contact_request.is_open:
        raise RequestError(_("This request is closed. Please send us a new one."), code="closed")


def request_reply_by_tenant(
    *, contact_request: ContactRequest, tenant: Tenant, body: str, files: list[CheckedFile] = ()
) -> Message:
    with atomic_with_files():
        contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        request_reply_check(contact_request=contact_request)
        message = Message.objects.create(
            request=contact_request, author=tenant.user, from_tenant=True, body=body
        )
        _store_attachments(contact_request=contact_request, message=message, files=list(files))
        audit_log(
            action="request.replied",
            obj=contact_request,
            actor=tenant.user,
            tenant=tenant,
            changes={"message": message.pk, "attachments": len(files)},
        )
        card_cache_bump([tenant.pk], "requests")
        if contact_request.status == ContactRequest.Status.WAITING:
            _set_status(contact_request, ContactRequest.Status.IN_PROGRESS, tenant.user)
        contact_request.save(update_fields=["status", "closed_at", "updated_at"])
        recipient = (contact_request.assigned_to.email if contact_request.assigned_to else "") or (
            contact_request.assigned_team.email if contact_request.assigned_team else ""
        )
        _notify_clerk(contact_request, recipient)
    return message


def request_reply_by_clerk(
    *,
    contact_request: ContactRequest,
    clerk: User,
    body: str,
    internal: bool,
    status: str | None = None,
) -> Message:
    """A clerk's answer (the tenant is told by e-mail) or an internal note (never shown)."""
    body = body.strip()
    if not body:
        raise RequestError(_("Please write a text first."), code="empty")
    if status and status not in ContactRequest.Status.values:
        raise RequestError(_("Unknown status."), code="bad_status")
    with transaction.atomic():
        contact_request = (
            ContactRequest.objects.select_for_update(of=("self",))
            .select_related("tenant__user")
            .get(pk=contact_request.pk)
        )
        message = Message.objects.create(
            request=contact_request, author=clerk, from_tenant=False, internal=internal, body=body
        )
        if status and status != contact_request.status:
            _set_status(contact_request, status, clerk)
        elif not internal and contact_request.status == ContactRequest.Status.RECEIVED:
            _set_status(contact_request, ContactRequest.Status.IN_PROGRESS, clerk)
        contact_request.save(update_fields=["status", "closed_at", "updated_at"])
        audit_log(
            action="request.note" if internal else "request.answered",
            obj=contact_request,
            actor=clerk,
            tenant=contact_request.tenant,
        )
        card_cache_bump([contact_request.tenant_id], "requests")
        tenant = contact_request.tenant
        if not internal and tenant.user_id and tenant.user.email:
            with translation.override(settings.LANGUAGE_CODE):
                email_queue(
                    to=tenant.user.email,
                    template="request_answered",
                    context={
                        "tenant": tenant,
                        "contact_request": contact_request,
                        "message": message,
                    },
                )
    return message


def request_status_set(*, contact_request: ContactRequest, status: str, clerk: User) -> None:
    if status not in ContactRequest.Status.values:
        raise RequestError(_("Unknown status."), code="bad_status")
    with transaction.atomic():
        contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        if status != contact_request.status:
            _set_status(contact_request, status, clerk)
            contact_request.save(update_fields=["status", "closed_at", "updated_at"])


def _set_status(contact_request: ContactRequest, status: str, user: User | None) -> None:
    previous = contact_request.status
    contact_request.status = status
    contact_request.closed_at = timezone.now() if status == ContactRequest.Status.DONE else None
    StatusChange.objects.create(request=contact_request, status=status, changed_by=user)
    audit_log(
        action="request.status",
        obj=contact_request,
        actor=user,
        tenant=contact_request.tenant,
        changes={"from": previous, "to": status},
    )
    card_cache_bump([contact_request.tenant_id], "requests")


def request_apply_address(
    *, contact_request: ContactRequest, clerk: User, today: date | None = None
) -> ScheduledAddressChange | None:
    """Change of postal address: the clerk applies the tenant's new address in one step.

    An address valid from a later day is scheduled instead (`scheduled_address_changes_apply`
    sets it on that day); either way the tenant is answered and the request is done. Returns the
    scheduled change, or None when the address was changed right away.
    """
    if contact_request.category.form != Category.Form.ADDRESS:
        raise RequestError(_("This request is not a change of address."), code="not_address")
    new = {field: (contact_request.details.get(field) or "").strip() for field in ADDRESS_FIELDS}
    if not (new["street"] and new["postal_code"] and new["city"]):
        raise RequestError(
            _("The new address is incomplete; please ask the tenant."), code="incomplete"
        )
    today = today or timezone.localdate()
    try:
        valid_from = date.fromisoformat(contact_request.details.get("valid_from") or "")
    except ValueError:
        valid_from = today
    with transaction.atomic():
        contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        if not contact_request.is_open:
            raise RequestError(_("This request is already done."), code="not_open")
        scheduled = None
        if valid_from > today:
            scheduled = ScheduledAddressChange.objects.create(
                request=contact_request, address=new, apply_on=valid_from, scheduled_by=clerk
            )
            audit_log(
                action="request.address_scheduled",
                obj=contact_request,
                actor=clerk,
                tenant=contact_request.tenant,
                changes={"apply_on": valid_from.isoformat(), "to": new},
            )
            with translation.override(settings.LANGUAGE_CODE):
                body = translation.gettext(
                    "We will change your postal address as of %(date)s, as requested."
                ) % {"date": date_format(valid_from, "SHORT_DATE_FORMAT")}
        else:
            tenant_address_change(
                tenant_id=contact_request.tenant_id,
                address=new,
                by=clerk,
                reason=contact_request.reference,
            )
            with translation.override(settings.LANGUAGE_CODE):
                body = translation.gettext("We have changed your postal address as requested.")
        request_reply_by_clerk(
            contact_request=contact_request,
            clerk=clerk,
            body=body,
            internal=False,
            status=ContactRequest.Status.DONE,
        )
    return scheduled


def scheduled_address_changes_apply(*, today: date | None = None) -> int:
    """Apply every scheduled change of address that is due; returns how many were applied.

    Idempotent: each change is locked and skipped once applied, so a second run (or the
    command next to the beat task) changes nothing. A day missed is caught up on the next run.
    """
    today = today or timezone.localdate()
    due = list(
        ScheduledAddressChange.objects.filter(
            applied_at__isnull=True, apply_on__lte=today
        ).values_list("pk", flat=True)
    )
    applied = 0
    for pk in due:  # oldest date first (Meta.ordering): a later move wins
        try:
            with transaction.atomic():
                change = (
                    ScheduledAddressChange.objects.select_for_update(of=("self",))
                    .select_related("request")
                    .get(pk=pk)
                )
                if change.applied_at is not None:
                    continue
                tenant_address_change(
                    tenant_id=change.request.tenant_id,
                    address=change.address,
                    by=change.scheduled_by,
                    reason=change.request.reference,
                )
                change.applied_at = timezone.now()
                change.save(update_fields=["applied_at"])
        except Exception:
            # One broken row must not hold up the others; it stays pending for the next run.
            logger.exception("Scheduled address change %s could not be applied", pk)
            continue
        applied += 1
    return applied


def request_answer_with_document(
    *, contact_request: ContactRequest, clerk: User, content: bytes, filename: str, title: str
) -> Message:
    """ "Dokument anfordern": the clerk uploads the document; it goes into the tenant's documents,
    the tenant is told, and the request closes with a link to it."""
    from django.urls import reverse as url_for

    from documents.services import DocumentKind, document_publish_answer, period_year

    if contact_request.category.form != Category.Form.DOCUMENT:
        raise RequestError(_("This request does not ask for a document."), code="not_document")
    with transaction.atomic():
        # Locked first: a double submit or a colleague's answer must not publish twice.
        contact_request = (
            ContactRequest.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .get(pk=contact_request.pk)
        )
        if not contact_request.is_open:
            raise RequestError(_("This request is already done."), code="not_open")
        # Not a PDF: DocumentError, which says so itself.
        document = document_publish_answer(
            tenant=contact_request.tenant,
            kind=DocumentKind.SONSTIGES,
            title=title or contact_request.details.get("document") or filename,
            year=period_year(str(contact_request.details.get("year") or "")),
            content=content,
            filename=filename,
            by=clerk,
        )
        link = settings.PORTAL_BASE_URL.rstrip("/") + url_for("documents:open", args=[document.pk])
        with translation.override(settings.LANGUAGE_CODE):
            body = translation.gettext(
                "We have put the document you asked for into “My documents”: %(title)s\n%(link)s"
            ) % {"title": document.title, "link": link}
        return request_reply_by_clerk(
            contact_request=contact_request,
            clerk=clerk,
            body=body,
            internal=False,
            status=ContactRequest.Status.DONE,
        )
