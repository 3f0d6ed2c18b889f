"""Writes of notices: publishing and changing (audited), read marks, the mail to tenants."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tenants.cards import card_cache_bump
from tenants.models import Tenant, User
from tenants.selectors import tenant_for_user
from tenants.services import audit_log, email_queue, task_dispatch

from .models import Notice, NoticeMail, NoticePreference, NoticeRead
from .selectors import notice_get, notice_mail_recipients, notices_url

MAIL_BATCH = 200

AUDITED_FIELDS = (
    "property_id",
    "street",
    "kind",
    "title",
    "title_en",
    "text",
    "text_en",
    "valid_from",
    "valid_until",
    "urgent",
)


def notice_save(
    *,
    notice: Notice,
    by: User,
    changed: list[str] | tuple[str, ...] = (),
    ip_address: str | None = None,
) -> Notice:
    """Publish a new notice or store a clerk's change; the mail follows after commit.

    A new notice is published at once. Urgent notices go to every tenant in scope, others to
    those who chose e-mail for all notices; a notice made urgent later reaches the rest then.
    """
    from .tasks import notice_mail_task

    with transaction.atomic():
        created = notice.pk is None
        if created:
            notice.created_by = by
            notice.published_at = timezone.now()
        notice.mail_pending = True
        notice.save()
        changes = {
            name: str(getattr(notice, name))
            for name in AUDITED_FIELDS
            if created or name.removesuffix("_id") in changed
        }
        audit_log(
            action="notice.created" if created else "notice.changed",
            obj=notice,
            actor=by,
            changes=changes,
            ip_address=ip_address,
        )
        notice_id = notice.pk
        transaction.on_commit(lambda: task_dispatch(notice_mail_task, notice_id))
        card_cache_bump(None, "notices")  # every tenant's card: the audience may have changed
    return notice


def notice_mark_read(*, tenant: Tenant, notice: Notice) -> None:
    """Idempotent: the first opening counts."""
    if NoticeRead.objects.filter(notice=notice, user_id=tenant.user_id).exists():
        return
    try:
        with transaction.atomic():
            NoticeRead.objects.create(notice=notice, user_id=tenant.user_id)
    except IntegrityError:  # opened twice at the same moment
        pass
    card_cache_bump([tenant.pk], "notices")  # "unread"


def notice_open(*, tenant: Tenant, notice_id: int) -> Notice:
    """One notice of the tenant's (404 otherwise), marked read the first time it is opened."""
    notice = notice_get(tenant=tenant, notice_id=notice_id)
    if not notice.is_read:
        notice_mark_read(tenant=tenant, notice=notice)
    return notice


def notice_preference_set(*, user: User, notices_by_email: bool) -> None:
    with transaction.atomic():
        NoticePreference.objects.update_or_create(
            user=user, defaults={"notices_by_email": notices_by_email}
        )
        audit_log(
            action="notice.preference_changed",
            obj=user,
            actor=user,
            changes={"notices_by_email": notices_by_email},
        )
        # The profile shows the choice (tenants.views.profile keeps its content in the cache).
        tenant = tenant_for_user(user=user)
        if tenant is not None:
            card_cache_bump([tenant.pk], "profile")


def notice_mail_batch(*, notice_id: int, batch: int = MAIL_BATCH) -> int:
    """Queue the next batch of a notice's mails; returns how many. 0: the notice is done.

    One transaction per batch, so a crash loses no more than one batch's work and the next
    run continues where it stopped (NoticeMail marks who has it already).
    """
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or not notice.mail_pending:
            return 0
        if notice.published_at is None or notice.valid_until < timezone.localdate():
            notice.mail_pending = False
            notice.save(update_fields=["mail_pending"])
            return 0
        mailed = NoticeMail.objects.filter(notice=notice).values("user_id")
        recipients = list(notice_mail_recipients(notice=notice).exclude(user_id__in=mailed)[:batch])
        if not recipients:
            notice.mail_pending = False
            notice.save(update_fields=["mail_pending"])
            return 0
        url = settings.PORTAL_BASE_URL.rstrip("/") + (notices_url("detail", notice.pk) or "/")
        for tenant in recipients:
            email_queue(
                to=tenant.user.email,
                template="notice_new",
                context={"tenant": tenant, "notice": notice, "portal_url": url},
            )
        NoticeMail.objects.bulk_create(
            [NoticeMail(notice=notice, user_id=tenant.user_id) for tenant in recipients]
        )
        return len(recipients)


def notice_mail_send(*, notice_id: int) -> int:
    """All of a notice's mails, batch by batch (run by the task, never in a web request)."""
    total = 0
    while count := notice_mail_batch(notice_id=notice_id):
        total += count
    return total
