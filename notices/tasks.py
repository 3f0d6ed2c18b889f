from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from tenants.services import task_dispatch

from .models import Notice
from .services import notice_mail_send


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def notice_mail_task(notice_id: int) -> int:
    """Idempotent: who already has the notice's mail is skipped."""
    return notice_mail_send(notice_id=notice_id)


@shared_task
def notices_mail_pending_task(older_than_seconds: int = 120) -> int:
    """Re-dispatch notices whose mails are still pending (the broker was down)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = Notice.objects.filter(mail_pending=True, published_at__lt=cutoff).values_list(
        "pk", flat=True
    )
    count = 0
    for notice_id in pending:
        if not task_dispatch(notice_mail_task, notice_id):
            break
        count += 1
    return count
