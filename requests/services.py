"""Kontakt: requests and damage reports, their conversation and their routing to a clerk."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from tenants.calendar import add_working_days
from tenants.models import Tenant, Unit, User
from tenants.selectors import responsible_for
from tenants.services import audit_log, email_queue, task_dispatch

from .attachments import CheckedFile
from .models import Attachment, Category, ContactRequest, Message, ReferenceCounter, StatusChange

logger = logging.getLogger(__name__)


class RequestError(Exception):
    pass


def _next_reference() -> str:
    year = timezone.localdate().year
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"A-{year}-{counter.last:06d}"


def _store_attachments(
    *, request: ContactRequest, message: Message | None, files: list[CheckedFile]
) -> None:
    for checked in files:
        upload = checked.upload
        upload.seek(0)
        data = upload.read()
        attachment = Attachment(
            request=request,
            message=message,
            original_name=upload.name[:200],
            content_type=checked.content_type,
            size=len(data),
        )
        attachment.file.save("upload", ContentFile(data), save=False)
        if checked.thumbnail is not None:
            attachment.thumbnail.save("thumb", checked.thumbnail, save=False)
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
    from .tasks import request_route

    with transaction.atomic():
        request = ContactRequest.objects.create(
            reference=_next_reference(),
            tenant=tenant,
            unit=unit,
            category=category,
            subject=(subject or category.name)[:200],
            details=details or {},
        )
        first = Message.objects.create(request=request, author=user, from_tenant=True, body=message)
        _store_attachments(request=request, message=first, files=list(files))
        StatusChange.objects.create(request=request, status=request.status, changed_by=user)
        audit_log(
            action="request.created",
            obj=request,
            actor=user,
            tenant=tenant,
            changes={"category": category.name, "attachments": len(files)},
            ip_address=ip_address,
        )
        transaction.on_commit(lambda: task_dispatch(request_route, request.pk))
    return request


def request_route(*, request_id: int) -> ContactRequest | None:
    """Assign to the responsible clerk of the unit's property and notify. Runs once per request."""
    with transaction.atomic():
        request = (
            ContactRequest.objects.select_for_update(of=("self",))
            .select_related("category", "unit__property", "tenant__user")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.routed_at is not None:
            return request
        clerk, team = (None, None)
        if request.unit is not None:
            clerk, team = responsible_for(
                property=request.unit.property, area=request.category.area
            )
        if clerk is None and team is None:
            from tenants.models import Team

            team = Team.objects.filter(area=request.category.area, is_default=True).first()
        if clerk is None and team is None and request.assigned_to is None:
            # Left unrouted: the sweeper tries again every minute and logs until someone is set
            # up as responsible. Nothing disappears from every queue.
            logger.error(
                "Request %s: nobody responsible for area %s", request.pk, request.category.area
            )
            return request
        if request.assigned_to is None:  # a clerk may have taken it over already
            request.assigned_to = clerk
        request.assigned_team = team
        request.routed_at = timezone.now()
        request.due_date = add_working_days(
            timezone.localdate(request.created_at), request.category.response_days
        )
        request.save(update_fields=["assigned_to", "assigned_team", "routed_at", "due_date"])
        audit_log(
            action="request.routed",
            obj=request,
            tenant=request.tenant,
            changes={
                "assigned_to": clerk.email if clerk else None,
                "assigned_team": team.name if team else None,
            },
        )
        _notify_clerk(request, clerk.email if clerk else (team.email if team else ""))
        tenant = request.tenant
        if tenant.user_id and tenant.user.email:
            with translation.override(settings.LANGUAGE_CODE):
                email_queue(
                    to=tenant.user.email,
                    template="request_received",
                    context={"tenant": tenant, "request": request},
                )
    return request


def _notify_clerk(request: ContactRequest, to: str) -> None:
    if not to:
        logger.error(
            "Request %s: nobody responsible for area %s", request.pk, request.category.area
        )
        return
    # Reference, category and a link: no more personal data than the clerk needs to find it.
    email_queue(
        to=to,
        template="request_clerk_notice",
        context={
            "request": request,
            "admin_path": reverse("admin:requests_contactrequest_change", args=[request.pk]),
        },
    )


def request_route_pending(*, older_than_minutes: int = 2) -> int:
    """Dispatch routing for requests stored while the broker was down."""
    from .tasks import request_route as route_task

    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    ids = list(
        ContactRequest.objects.filter(routed_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        task_dispatch(route_task, pk)
    return len(ids)


def request_reply_by_tenant(
    *, request: ContactRequest, tenant: Tenant, body: str, files: list[CheckedFile] = ()
) -> Message:
    with transaction.atomic():
        request = ContactRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise RequestError("closed")
        message = Message.objects.create(
            request=request, author=tenant.user, from_tenant=True, body=body
        )
        _store_attachments(request=request, message=message, files=list(files))
        if request.status == ContactRequest.Status.WAITING:
            _set_status(request, ContactRequest.Status.IN_PROGRESS, tenant.user)
        request.save(update_fields=["status", "closed_at", "updated_at"])
        recipient = (request.assigned_to.email if request.assigned_to else "") or (
            request.assigned_team.email if request.assigned_team else ""
        )
        _notify_clerk(request, recipient)
    return message


def request_reply_by_clerk(
    *, request: ContactRequest, clerk: User, body: str, internal: bool, status: str | None = None
) -> Message:
    """A clerk's answer (the tenant is told by e-mail) or an internal note (never shown)."""
    body = body.strip()
    if not body:
        raise RequestError("empty")
    if status and status not in ContactRequest.Status.values:
        raise RequestError("bad_status")
    with transaction.atomic():
        request = (
            ContactRequest.objects.select_for_update(of=("self",))
            .select_related("tenant__user")
            .get(pk=request.pk)
        )
        message = Message.objects.create(
            request=request, author=clerk, from_tenant=False, internal=internal, body=body
        )
        if status and status != request.status:
            _set_status(request, status, clerk)
        elif not internal and request.status == ContactRequest.Status.RECEIVED:
            _set_status(request, ContactRequest.Status.IN_PROGRESS, clerk)
        request.save(update_fields=["status", "closed_at", "updated_at"])
        audit_log(
            action="request.note" if internal else "request.answered",
            obj=request,
            actor=clerk,
            tenant=request.tenant,
        )
        tenant = request.tenant
        if not internal and tenant.user_id and tenant.user.email:
            with translation.override(settings.LANGUAGE_CODE):
                email_queue(
                    to=tenant.user.email,
                    template="request_answered",
                    context={"tenant": tenant, "request": request, "message": message},
                )
    return message


def request_status_set(*, request: ContactRequest, status: str, clerk: User) -> None:
    if status not in ContactRequest.Status.values:
        raise RequestError("bad_status")
    with transaction.atomic():
        request = ContactRequest.objects.select_for_update().get(pk=request.pk)
        if status != request.status:
            _set_status(request, status, clerk)
            request.save(update_fields=["status", "closed_at", "updated_at"])


def _set_status(request: ContactRequest, status: str, user: User | None) -> None:
    previous = request.status
    request.status = status
    request.closed_at = timezone.now() if status == ContactRequest.Status.DONE else None
    StatusChange.objects.create(request=request, status=status, changed_by=user)
    audit_log(
        action="request.status",
        obj=request,
        actor=user,
        tenant=request.tenant,
        changes={"from": previous, "to": status},
    )


def request_reassign(*, request: ContactRequest, clerk: User | None, by: User) -> None:
    with transaction.atomic():
        previous = request.assigned_to
        request.assigned_to = clerk
        request.save(update_fields=["assigned_to", "updated_at"])
        audit_log(
            action="request.reassigned",
            obj=request,
            actor=by,
            tenant=request.tenant,
            changes={
                "from": previous.email if previous else None,
                "to": clerk.email if clerk else None,
            },
        )
        if clerk is not None:
            _notify_clerk(request, clerk.email)


ADDRESS_FIELDS = ("street", "address_extra", "postal_code", "city")


def request_apply_address(*, request: ContactRequest, clerk: User) -> Tenant:
    """Change of postal address: the clerk applies the tenant's new address in one step."""
    if request.category.form != Category.Form.ADDRESS:
        raise RequestError("not_address")
    new = {field: (request.details.get(field) or "").strip() for field in ADDRESS_FIELDS}
    if not (new["street"] and new["postal_code"] and new["city"]):
        raise RequestError("incomplete")
    valid_from = request.details.get("valid_from")
    if valid_from and valid_from > timezone.localdate().isoformat():
        raise RequestError("future")
    with transaction.atomic():
        request = ContactRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise RequestError("not_open")
        tenant = Tenant.objects.select_for_update().get(pk=request.tenant_id)
        old = {field: getattr(tenant, field) for field in ADDRESS_FIELDS}
        for field, value in new.items():
            setattr(tenant, field, value)
        tenant.save(update_fields=[*ADDRESS_FIELDS, "updated_at"])
        audit_log(
            action="tenant.address_changed",
            obj=tenant,
            actor=clerk,
            tenant=tenant,
            changes={"from": old, "to": new, "request": request.reference},
        )
        request_reply_by_clerk(
            request=request,
            clerk=clerk,
            body=translation.gettext("We have changed your postal address as requested."),
            internal=False,
            status=ContactRequest.Status.DONE,
        )
    return tenant


def request_answer_with_document(
    *, request: ContactRequest, clerk: User, content: bytes, filename: str, title: str
) -> Message:
    """ "Dokument anfordern": the clerk uploads the document; it goes into the tenant's documents,
    the tenant is told, and the request closes with a link to it."""
    from django.urls import reverse as url_for

    from documents.models import Delivery, Document, PublishBatch
    from documents.services import DocumentError, document_publish, period_year

    if request.category.form != Category.Form.DOCUMENT:
        raise RequestError("not_document")
    with transaction.atomic():
        batch = PublishBatch.objects.create(
            created_by=clerk, source=PublishBatch.Source.REQUEST, published=1
        )
        try:
            document = document_publish(
                tenants=[request.tenant],
                batch=batch,
                kind=Document.Kind.SONSTIGES,
                title=title or request.details.get("document") or filename,
                year=period_year(str(request.details.get("year") or "")),
                content=content,
                filename=filename,
                by=clerk,
                notify=False,  # the answer below tells the tenant, with the link
            )
        except DocumentError as error:
            raise RequestError("not_pdf") from error
        # The tenant asked online and gets the answer by e-mail: that is the notice (and it is
        # electronic delivery, whatever the general paperless consent says).
        Delivery.objects.filter(document=document).update(
            notified_at=timezone.now(), electronic=bool(request.tenant.user_id)
        )
        link = settings.PORTAL_BASE_URL.rstrip("/") + url_for("documents:open", args=[document.pk])
        with translation.override(settings.LANGUAGE_CODE):
            body = translation.gettext(
                "We have put the document you asked for into “My documents”: %(title)s\n%(link)s"
            ) % {"title": document.title, "link": link}
        return request_reply_by_clerk(
            request=request,
            clerk=clerk,
            body=body,
            internal=False,
            status=ContactRequest.Status.DONE,
        )
