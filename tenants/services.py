import logging
import time
from collections.abc import Iterable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .cards import TENANCY, card_cache_bump
from .changes import change_record
from .context_processors import branding
from .errors import PortalError
from .models import AuditEntry, ChangeRecord, Contract, OutboundEmail, Tenant, User

logger = logging.getLogger(__name__)

SENSITIVE_PLACEHOLDER = "[erased after sending: contained an access link or code]"


def email_language(to: str, *, default: str | None = None) -> str:
    """The language to write to an address in: the account's language for a tenant.

    Clerks (staff accounts) are written to in German, the company's language, whatever they
    chose for their pages; an address without an account gets `default` (German if not given).
    """
    fallback = default if default in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    row = (
        User.objects.filter(email__iexact=(to or "").strip())
        .values_list("language", "is_staff")
        .first()
    )
    if row is None:
        return fallback
    language, is_staff = row
    if is_staff or language not in dict(settings.LANGUAGES):
        return settings.LANGUAGE_CODE
    return language


def email_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    reply_to: str = "",
    sensitive: bool = False,
    language: str | None = None,
) -> OutboundEmail:
    """Render templates/emails/<template>_{subject.txt,message.txt,message.html} into the outbox.

    Rendered in the recipient's language (email_language) unless `language` is given, whatever
    language the page, the clerk or the job that triggers the mail uses. The mail is delivered by
    a Celery task once the surrounding transaction commits.
    """
    ctx = {"portal": branding(), **(context or {})}
    with translation.override(language or email_language(to)):
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


# Outbox rows per insert and per after-commit dispatch callback of `email_queue_many`.
EMAIL_DISPATCH_BATCH = 500
# Mails per delivery task: they share one SMTP connection, and the tasks of a large mailing
# (10,000 statement notices) spread over the workers.
EMAIL_DELIVERY_BATCH = 25
# A batch takes no new row after this many seconds (a slow SMTP relay): the rest go to a new
# task, well inside CELERY_TASK_SOFT_TIME_LIMIT (60 s) even with one EMAIL_TIMEOUT (10 s) more.
EMAIL_BATCH_SECONDS = 30


def email_queue_many(
    *,
    template: str,
    messages: Iterable[tuple[str, dict[str, Any]]],
    reply_to: str = "",
    sensitive: bool = False,
    language: str | None = None,
) -> list[OutboundEmail]:
    """`email_queue` for many recipients of one template: one outbox row per (to, context).

    Each mail is rendered in its recipient's language as `email_queue` renders it (the
    languages of all addresses read in one query), the rows are inserted together, and after
    the commit the delivery tasks are dispatched in batches (one on-commit callback per
    `EMAIL_DISPATCH_BATCH` rows, instead of one per mail).
    """
    messages = list(messages)
    if not messages:
        return []
    languages = {} if language else email_languages([to for to, _context in messages])
    portal = branding()
    emails = []
    for to, context in messages:
        ctx = {"portal": portal, **(context or {})}
        with translation.override(language or languages[to]):
            subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
            body_text = render_to_string(f"emails/{template}_message.txt", ctx)
            body_html = render_to_string(f"emails/{template}_message.html", ctx)
        emails.append(
            OutboundEmail(
                to=to,
                from_email=settings.DEFAULT_FROM_EMAIL,
                reply_to=reply_to,
                subject=subject[:255],
                body_text=body_text,
                body_html=body_html,
                kind=template,
                sensitive=sensitive,
            )
        )
    OutboundEmail.objects.bulk_create(emails, batch_size=EMAIL_DISPATCH_BATCH)
    ids = [email.pk for email in emails]
    for start in range(0, len(ids), EMAIL_DISPATCH_BATCH):
        batch = ids[start : start + EMAIL_DISPATCH_BATCH]
        transaction.on_commit(lambda batch=batch: email_dispatch(batch))
    return emails


def email_languages(addresses: Iterable[str]) -> dict[str, str]:
    """{address: `email_language(address)`} for many addresses, in one query."""
    addresses = list(dict.fromkeys(addresses))
    wanted = {(address or "").strip().lower() for address in addresses}
    accounts: dict[str, tuple[str, bool]] = {}
    rows = (
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .order_by("pk")  # as `.first()` in email_language
        .values_list("email_lower", "language", "is_staff")
    )
    for email, language, is_staff in rows:
        accounts.setdefault(email, (language, is_staff))
    known = dict(settings.LANGUAGES)
    result = {}
    for address in addresses:
        account = accounts.get((address or "").strip().lower())
        if account is None:
            result[address] = settings.LANGUAGE_CODE
        else:
            language, is_staff = account
            result[address] = (
                settings.LANGUAGE_CODE if is_staff or language not in known else language
            )
    return result


def email_dispatch(ids: list[int]) -> None:
    """After commit: one delivery task per `EMAIL_DELIVERY_BATCH` rows (a single mail: its own
    task); if the broker is away, the sweeper sends the rest (`email_sweep`), so stop at the
    first failure instead of waiting on each."""
    from .tasks import email_send_batch_task, email_send_task

    for start in range(0, len(ids), EMAIL_DELIVERY_BATCH):
        batch = ids[start : start + EMAIL_DELIVERY_BATCH]
        if len(batch) == 1:
            dispatched = task_dispatch(email_send_task, batch[0])
        else:
            dispatched = task_dispatch(email_send_batch_task, batch)
        if not dispatched:
            break


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


def email_deliver(*, email_id: int, connection=None) -> OutboundEmail:
    """Deliver one outbox row through EMAIL_BACKEND (over `connection`, if given, an open one).

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
            connection=connection,
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except SoftTimeLimitExceeded:
            raise  # the task's time is up, not the mail's fault: no attempt is counted
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


def email_deliver_many(
    *, email_ids: list[int], seconds: float | None = None
) -> tuple[list[int], list[int]]:
    """Deliver the rows one by one over one SMTP connection: (the ids that failed, the ids not
    tried because `seconds` – EMAIL_BATCH_SECONDS by default – had passed).

    Each row is delivered and recorded as by `email_deliver` (a row already sent or gone is
    skipped). After a failure the connection is closed and each later row opens its own; if it
    cannot be opened at all, every row tries on its own and records its own failure.
    """
    failed: list[int] = []
    deadline = time.monotonic() + (EMAIL_BATCH_SECONDS if seconds is None else seconds)
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # SMTP away: each row tries on its own and records its failure
        connection = None
    try:
        for position, pk in enumerate(email_ids):
            if position and time.monotonic() > deadline:
                return failed, list(email_ids[position:])
            try:
                email_deliver(email_id=pk, connection=connection)
            except OutboundEmail.DoesNotExist:
                continue
            except EmailDeliveryError:
                failed.append(pk)
                if connection is not None:
                    connection.close()  # a broken connection is not used again
    finally:
        if connection is not None:
            connection.close()
    return failed, []


def email_retry_delay(attempts: int) -> int:
    """Seconds until the next attempt: 30 s, 1 min, 2 min, ... at most one hour.

    The first delay is PORTAL_OUTBOX_RETRY_SECONDS (30 s by default).
    """
    return min(settings.PORTAL_OUTBOX_RETRY_SECONDS * 2 ** (attempts - 1), 60 * 60)


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


def email_sweep(*, older_than_seconds: int | None = None, include_waiting: bool = False) -> int:
    """Re-dispatch mail whose attempt is overdue (broker was down, worker died).

    A mail waiting out its retry backoff is left alone until its next attempt is due plus
    `older_than_seconds` of grace for the task that should handle it; `include_waiting`
    dispatches every pending mail at once (an operator after fixing SMTP). Returns the count.
    """
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    if not include_waiting:
        if older_than_seconds is None:
            older_than_seconds = settings.PORTAL_OUTBOX_SWEEP_AFTER
        cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
        pending = pending.filter(next_attempt_at__lte=cutoff)
    ids = list(pending.order_by("next_attempt_at").values_list("pk", flat=True)[:1000])
    email_dispatch(ids)
    return len(ids)


def tenant_phone_set(
    *, tenant: Tenant, phone: str, by: User | None = None, ip_address: str | None = None
) -> Tenant:
    return _tenant_contact_set(
        tenant=tenant,
        field="phone",
        value=phone,
        kind=ChangeRecord.Kind.PHONE,
        by=by,
        ip_address=ip_address,
    )


def tenant_email_set(
    *, tenant: Tenant, email: str, by: User | None = None, ip_address: str | None = None
) -> Tenant:
    """The tenant's contact address (not the login of the portal account)."""
    return _tenant_contact_set(
        tenant=tenant,
        field="email",
        value=email,
        kind=ChangeRecord.Kind.EMAIL,
        by=by,
        ip_address=ip_address,
    )


def _tenant_contact_set(
    *, tenant: Tenant, field: str, value: str, kind: str, by: User | None, ip_address: str | None
) -> Tenant:
    """Phone or e-mail: the row locked, audit row and change record in the same transaction."""
    with transaction.atomic():
        # From the row, not the instance: a bound ModelForm has already set the new value.
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        previous = getattr(tenant, field)
        if previous == value:
            return tenant
        setattr(tenant, field, value)
        tenant.save(update_fields=[field, "updated_at"])
        audit_log(
            action=f"tenant.{field}_changed",
            obj=tenant,
            actor=by,
            tenant=tenant,
            changes={"from": previous, "to": value},
            ip_address=ip_address,
        )
        _tenant_change_record(tenant, kind, {field: value})
    return tenant


def tenant_paperless_consent_set(
    *, tenant: Tenant, consent: bool, by: User | None = None, ip_address: str | None = None
) -> Tenant:
    """Record the consent with its time; documents' proof of delivery depends on it."""
    with transaction.atomic():
        # From the row, not the instance: a bound ModelForm (the admin) has already set the value.
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if tenant.paperless_consent == consent:
            return tenant
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
        given_at = tenant.paperless_consent_at
        _tenant_change_record(
            tenant,
            ChangeRecord.Kind.PAPERLESS_CONSENT,
            {
                "paperless_consent": consent,
                "paperless_consent_at": (
                    timezone.localtime(given_at).isoformat(timespec="seconds") if given_at else None
                ),
            },
        )
    return tenant


ADDRESS_FIELDS = ("street", "address_extra", "postal_code", "city")
# The country is only ever set by a clerk; a Kontakt request's address has none.
POSTAL_ADDRESS_FIELDS = (*ADDRESS_FIELDS, "country")


def user_language_set(
    *, user: User, language: str, by: User | None = None, ip_address: str | None = None
) -> User:
    """The account's language: pages after login and every e-mail to the account use it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        previous = locked.language
        if previous != language:
            locked.language = language
            locked.save(update_fields=["language"])
            audit_log(
                action="user.language_changed",
                obj=locked,
                actor=by if by is not None else user,
                tenant=Tenant.objects.filter(user=locked).first(),
                changes={"from": previous, "to": language},
                ip_address=ip_address,
            )
    user.language = language
    return user


def tenant_address_change(
    *,
    tenant_id: int,
    address: dict[str, str],
    by: User | None,
    reason: str = "",
    ip_address: str | None = None,
) -> Tenant:
    """Set the tenant's postal address (street, supplement, postal code, city, country) with its
    audit row. A field missing from `address` keeps its value.

    `reason` says where the change came from (e.g. a Kontakt request's reference).
    """
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant_id)
        old = {field: getattr(tenant, field) for field in POSTAL_ADDRESS_FIELDS}
        new = {field: address.get(field, old[field]) for field in POSTAL_ADDRESS_FIELDS}
        for field, value in new.items():
            setattr(tenant, field, value)
        tenant.save(update_fields=[*POSTAL_ADDRESS_FIELDS, "updated_at"])
        changes = {"from": old, "to": new}
        if reason:
            changes["reason"] = reason
        audit_log(
            action="tenant.address_changed",
            obj=tenant,
            actor=by,
            tenant=tenant,
            changes=changes,
            ip_address=ip_address,
        )
        if new != old:
            _tenant_change_record(tenant, ChangeRecord.Kind.POSTAL_ADDRESS, new)
    return tenant


def _tenant_change_record(tenant: Tenant, kind: str, data: dict[str, Any]) -> None:
    """The change for the ERP's feed (tenants.changes), in the transaction of the change."""
    change_record(entity=ChangeRecord.Entity.TENANT, key=tenant.tenant_number, kind=kind, data=data)


class TenantAccountError(PortalError):
    """A login that must not act for a tenant."""


def tenant_account_check(*, user: User, tenant: Tenant | None = None) -> None:
    """Refuse a portal account for `tenant` that is staff, inactive or another tenant's.

    A clerk linked to a tenant would see the tenancy and act in the tenant's name (SEPA
    mandates, requests) with nothing in the audit trail to tell them apart.
    """
    if user.is_staff or user.is_superuser:
        raise TenantAccountError(
            _("A staff account cannot be linked to a tenant."), code="staff_account"
        )
    if not user.is_active:
        raise TenantAccountError(
            _("An inactive account cannot be linked to a tenant."), code="inactive_account"
        )
    others = Tenant.objects.filter(user=user)
    if tenant is not None and tenant.pk is not None:
        others = others.exclude(pk=tenant.pk)
    if others.exists():
        raise TenantAccountError(
            _("This account is already linked to another tenant."), code="account_taken"
        )


def tenant_account_link(
    *,
    tenant: Tenant,
    user: User | None,
    by: User | None,
    ip_address: str | None = None,
) -> Tenant:
    """Link the tenant's portal account, replace it, or remove it (`user=None`).

    The tenant is told at the new address and, when an account is replaced or removed, at the
    old one, so that a link made by mistake does not go unnoticed. The mail is in the portal's
    language whatever the clerk's admin language is.
    """
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        previous = tenant.user
        if (previous.pk if previous else None) == (user.pk if user else None):
            return tenant
        if user is not None:
            # As stored now: the account may have been made staff since the form was shown.
            user = User.objects.select_for_update().get(pk=user.pk)
            tenant_account_check(user=user, tenant=tenant)
        tenant.user = user
        tenant.save(update_fields=["user", "updated_at"])
        if previous is None:
            action = "tenant.account_linked"
        elif user is None:
            action = "tenant.account_unlinked"
        else:
            action = "tenant.account_changed"
        audit_log(
            action=action,
            obj=tenant,
            actor=by,
            tenant=tenant,
            changes={"from": _account_ref(previous), "to": _account_ref(user)},
            ip_address=ip_address,
        )
        context = {"tenant": tenant, "portal_url": settings.PORTAL_BASE_URL}
        with translation.override(settings.LANGUAGE_CODE):
            if user is not None and user.email:
                email_queue(
                    to=user.email,
                    template="tenant_account_linked",
                    context={**context, "account_email": user.email},
                )
            if previous is not None and previous.email:
                email_queue(
                    to=previous.email,
                    template="tenant_account_unlinked",
                    context={**context, "account_email": previous.email},
                )
    return tenant


def _account_ref(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "email": user.email}


CONTRACT_TERMS = (
    "contract_number",
    "unit",
    "start_date",
    "end_date",
    "grundmiete",
    "betriebskosten_vorauszahlung",
    "heizkosten_vorauszahlung",
)


def contract_state(*, contract_id: int) -> dict[str, dict[str, Any]]:
    """The contract's terms and partners as stored, as text for the audit trail; locks the row.

    Taken before a clerk's change and passed to `contract_change_record` afterwards.
    """
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("unit__property")
        .get(pk=contract_id)
    )
    terms = {}
    for field in CONTRACT_TERMS:
        value = getattr(contract, field)
        terms[field] = None if value is None else str(value)
    # Not str(unit): that names the kind in the clerk's language.
    terms["unit"] = f"{contract.unit.property.number}/{contract.unit.number}"
    partners = {str(t.pk): str(t) for t in contract.partners.order_by("tenant_number")}
    return {"terms": terms, "partners": partners}


def contract_change_record(
    *,
    contract: Contract,
    before: dict[str, dict[str, Any]] | None,
    by: User | None,
    ip_address: str | None = None,
) -> AuditEntry | None:
    """The audit row for a clerk's change of a contract's terms or partners (the admin).

    Call it in the transaction of the change, with `before` from `contract_state` (None for a
    new contract). Partners are named, so the row still says who it was about when a tenant
    record is gone. Returns None when nothing audited changed.
    """
    after = contract_state(contract_id=contract.pk)
    card_cache_bump(
        [int(pk) for state in (before, after) if state for pk in state["partners"]], TENANCY
    )
    if before is None:
        return audit_log(
            action="contract.created",
            obj=contract,
            actor=by,
            changes={"terms": after["terms"], "partners": list(after["partners"].values())},
            ip_address=ip_address,
        )
    terms = {
        field: {"from": before["terms"][field], "to": value}
        for field, value in after["terms"].items()
        if before["terms"][field] != value
    }
    added = [name for pk, name in after["partners"].items() if pk not in before["partners"]]
    removed = [name for pk, name in before["partners"].items() if pk not in after["partners"]]
    if not (terms or added or removed):
        return None
    changes: dict[str, Any] = {"terms": terms}
    if added:
        changes["partners_added"] = added
    if removed:
        changes["partners_removed"] = removed
    return audit_log(
        action="contract.changed", obj=contract, actor=by, changes=changes, ip_address=ip_address
    )


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
    entry = _audit_entry(
        action=action,
        obj=obj,
        actor=actor,
        tenant=tenant,
        changes=changes,
        ip_address=ip_address,
    )
    entry.save(force_insert=True)
    return entry


def audit_log_many(entries: Iterable[dict[str, Any]]) -> list[AuditEntry]:
    """Several steps at once (e.g. a slice of bulk publishing), in one insert. Each entry takes
    the keyword arguments of `audit_log`; call it inside the transaction that makes the change."""
    return AuditEntry.objects.bulk_create([_audit_entry(**entry) for entry in entries])


def _audit_entry(
    *,
    action: str,
    obj,
    actor: User | None = None,
    tenant: Tenant | None = None,
    changes: dict | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    return AuditEntry(
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        actor=actor if actor is not None and actor.is_authenticated else None,
        tenant=tenant,
        changes=changes or {},
        ip_address=ip_address or None,
    )
