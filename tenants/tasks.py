from celery import shared_task

from .services import EmailDeliveryError, email_deliver, email_retry_delay, email_sweep


@shared_task(
    bind=True,
    # Safe to run twice: email_deliver returns early once the row is no longer pending.
    acks_late=True,
    max_retries=None,  # the row's attempt counter (PORTAL_OUTBOX_MAX_ATTEMPTS) decides
)
def email_send_task(self, email_id: int) -> None:
    from .models import OutboundEmail

    try:
        email_deliver(email_id=email_id)
    except OutboundEmail.DoesNotExist:
        return
    except EmailDeliveryError as exc:
        email = OutboundEmail.objects.get(pk=email_id)
        if email.status != OutboundEmail.Status.PENDING or self.request.is_eager:
            # In-process (embedded) mode has no delayed retries; the row stays pending for
            # the sweeper (`manage.py send_pending_mail`).
            return
        raise self.retry(exc=exc, countdown=email_retry_delay(email.attempts)) from exc


@shared_task
def email_sweep_task() -> int:
    return email_sweep()
