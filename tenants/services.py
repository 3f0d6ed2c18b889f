import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .context_processors import branding
from .models import AuditEntry, OutboundEmail, Tenant, User

logger = logging.getLogger(__name__)

SENSITIVE_PLACEHOLDER = "[erased after sending: contained an access link or code]"


def email_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    reply_to: str = "",
    sensitive: bool = False,
) -> OutboundEmail:
    """Render templates/emails/<template>_{subject.txt,message.txt,message.html} into the outbox.

    The mail is delivered by a Celery task once the surrounding transaction commits.
    """
    ctx = {"portal": branding(), **(context or {})}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
    body_text = render_to_string(f"emails/{template}_message.txt", ctx)
    body_html = render_to_string(f"emails/{template}_message.html", ctx)
    return _outbox_add(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=template,
        reply_to=reply_to,
        sensitive=sensitive,
    )


def email_queue_message(
    *, message: EmailMessage, kind: str = "", sensitive: bool = False
) -> list[OutboundEmail]:
    """Put an already rendered EmailMessage (e.g. from django-allauth) into the outbox.

    One row per recipient, so that one bad address does not hold back the others. A mail without
    an HTML part gets the branded HTML frame around its text.
    """
    body_html = ""
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                body_html = content
    if not body_html:
        body_html = render_to_string(
            "emails/base_message.html",
            {"portal": branding(), "subject": message.subject, "text": message.body},
        )
    return [
        _outbox_add(
            to=recipient,
            subject=message.subject,
            body_text=message.body,
            body_html=body_html,
            kind=kind,
            reply_to=", ".join(message.reply_to),
            from_email=message.from_email,
            sensitive=sensitive,
        )
        for recipient in message.to
    ]


def _outbox_add(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str,
    kind: str,
    reply_to: str = "",
    from_email: str | None = None,
    sensitive: bool = False,
) -> OutboundEmail:
    from .tasks import email_send_task

    email = OutboundEmail.objects.create(
        to=to,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        reply_to=reply_to,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        sensitive=sensitive,
    )
    transaction.on_commit(lambda: task_dispatch(email_send_task, email.pk))
    return email


def task_dispatch(task, *args) -> bool:
    """Enqueue a task; if the broker is unreachable, log and leave the work to the sweeper.

    The state that matters is already committed, so a failed publish loses nothing.
    """
    try:
        task.delay(*args)
    except Exception:  # kombu raises several unrelated types when Redis is away
        logger.warning("Could not enqueue %s%r; the sweeper will retry.", task.name, args)
        return False
    return True


def email_deliver(*, email_id: int) -> OutboundEmail:
    """Deliver one outbox row through EMAIL_BACKEND.

    At least once, and once in all ordinary cases: the row lock makes a concurrent delivery
    (sweeper and retry) wait and then see SENT. Only a crash between the SMTP hand-over and the
    commit can send a mail twice. A failure is recorded on the row, with the time of the next
    attempt, before EmailDeliveryError is raised.
    """
    error = ""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status != OutboundEmail.Status.PENDING:
            return email
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=email.from_email,
            to=[email.to],
            reply_to=[r.strip() for r in email.reply_to.split(",") if r.strip()],
            headers={"X-Portal-Outbox-Id": str(email.pk)},
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # any transport error: SMTP, DNS, TLS, timeouts
            error = f"{type(exc).__name__}: {exc}"
            email.last_error = error
            if email.attempts >= settings.PORTAL_OUTBOX_MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
            email.next_attempt_at = timezone.now() + timezone.timedelta(
                seconds=email_retry_delay(email.attempts)
            )
            email.save(
                update_fields=["status", "attempts", "last_error", "next_attempt_at", "updated_at"]
            )
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            fields = ["status", "sent_at", "attempts", "last_error", "updated_at"]
            if email.sensitive:
                # Nobody, clerks included, may reuse a sign-in link or code from the outbox.
                email.body_text = email.body_html = SENSITIVE_PLACEHOLDER
                fields += ["body_text", "body_html"]
            email.save(update_fields=fields)
            return email
    raise EmailDeliveryError(error)


def email_retry_delay(attempts: int) -> int:
    """Seconds until the next attempt: 30 s, 1 min, 2 min, ... at most one hour."""
    return min(30 * 2 ** (attempts - 1), 60 * 60)


class EmailDeliveryError(Exception):
    pass


def email_requeue(*, email: OutboundEmail) -> None:
    """A clerk sends a failed mail again (admin action)."""
    from .tasks import email_send_task

    email.status = OutboundEmail.Status.PENDING
    email.attempts = 0
    email.next_attempt_at = timezone.now()
    email.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    transaction.on_commit(lambda: task_dispatch(email_send_task, email.pk))


def email_sweep(*, older_than_seconds: int | None = None) -> int:
    """Re-dispatch mail whose attempt is overdue (broker was down, worker died).

    A mail waiting out its retry backoff is left alone until its next attempt is due plus
    `older_than_seconds` of grace for the task that should handle it. Returns the count.
    """
    from .tasks import email_send_task

    if older_than_seconds is None:
        older_than_seconds = settings.PORTAL_OUTBOX_SWEEP_AFTER
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.PENDING, next_attempt_at__lte=cutoff
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        if not task_dispatch(email_send_task, pk):
            break
    return len(ids)


def tenant_phone_set(
    *, tenant: Tenant, phone: str, by: User | None = None, ip_address: str | None = None
) -> Tenant:
    with transaction.atomic():
        # From the row, not the instance: a bound ModelForm has already set the new number.
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        previous = tenant.phone
        if previous == phone:
            return tenant
        tenant.phone = phone
        tenant.save(update_fields=["phone", "updated_at"])
        audit_log(
            action="tenant.phone_changed",
            obj=tenant,
            actor=by,
            tenant=tenant,
            changes={"from": previous, "to": phone},
            ip_address=ip_address,
        )
    return tenant


def tenant_paperless_consent_set(
    *, tenant: Tenant, consent: bool, by: User | None = None, ip_address: str | None = None
) -> Tenant:
    """Record the consent with its time; documents' proof of delivery depends on it."""
    if tenant.paperless_consent == consent:
        return tenant
    with transaction.atomic():
        tenant.paperless_consent = consent
        tenant.paperless_consent_at = timezone.now() if consent else None
        tenant.save(update_fields=["paperless_consent", "paperless_consent_at", "updated_at"])
        audit_log(
            action="tenant.paperless_consent" if consent else "tenant.paperless_withdrawn",
            obj=tenant,
            actor=by,
            tenant=tenant,
            changes={"paperless_consent": consent},
            ip_address=ip_address,
        )
    return tenant


ADDRESS_FIELDS = ("street", "address_extra", "postal_code", "city")


def tenant_address_change(
    *, tenant_id: int, address: dict[str, str], by: User | None, reason: str = ""
) -> Tenant:
    """Set the tenant's postal address (street, supplement, postal code, city) with its audit row.

    `reason` says where the change came from (e.g. a Kontakt request's reference).
    """
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant_id)
        old = {field: getattr(tenant, field) for field in ADDRESS_FIELDS}
        new = {field: address.get(field, old[field]) for field in ADDRESS_FIELDS}
        for field, value in new.items():
            setattr(tenant, field, value)
        tenant.save(update_fields=[*ADDRESS_FIELDS, "updated_at"])
        changes = {"from": old, "to": new}
        if reason:
            changes["reason"] = reason
        audit_log(
            action="tenant.address_changed", obj=tenant, actor=by, tenant=tenant, changes=changes
        )
    return tenant


def audit_log(
    *,
    action: str,
    obj,
    actor: User | None = None,
    tenant: Tenant | None = None,
    changes: dict | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Record one step. Call it inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        actor=actor if actor is not None and actor.is_authenticated else None,
        tenant=tenant,
        changes=changes or {},
        ip_address=ip_address or None,
    )
