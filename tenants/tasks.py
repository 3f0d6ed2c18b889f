from celery import shared_task

from .services import (
    EmailDeliveryError,
    email_deliver,
    email_deliver_many,
    email_dispatch,
    email_retry_delay,
    email_sweep,
)


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


@shared_task(
    bind=True,
    acks_late=True,  # safe to run twice, as email_send_task
)
def email_send_batch_task(self, email_ids: list[int]) -> None:
    """Several mails of one mailing over one SMTP connection (tenants.services.email_dispatch).

    A mail that fails is recorded on its row and tried again on its own, as email_send_task
    does; the others are not held up by it. What a slow relay leaves after
    EMAIL_BATCH_SECONDS goes to a new batch task.
    """
    from .models import OutboundEmail

    failed, left = email_deliver_many(email_ids=email_ids)
    if left:
        email_dispatch(left)
    for pk in failed:
        email = OutboundEmail.objects.filter(pk=pk, status=OutboundEmail.Status.PENDING).first()
        if email is not None and not self.request.is_eager:
            email_send_task.apply_async((pk,), countdown=email_retry_delay(email.attempts))


@shared_task
def email_sweep_task() -> int:
    return email_sweep()


@shared_task(
    bind=True,
    # Safe to run twice: the chunk's work and its DONE mark commit together, and a runner
    # that finds the chunk done or locked returns.
    acks_late=True,
    max_retries=None,  # the chunk's attempt counter (JOBS_CHUNK_MAX_ATTEMPTS) decides
)
def job_chunk_task(self, chunk_id: int) -> None:
    from .jobs import job_run_chunk
    from .models import JobChunk

    try:
        job_run_chunk(chunk_id=chunk_id)
    except Exception as exc:
        chunk = JobChunk.objects.filter(pk=chunk_id).only("state", "attempts").first()
        if chunk is None or chunk.state != JobChunk.State.PENDING or self.request.is_eager:
            # Failed for good (recorded on the job), or in-process without delayed retries:
            # the row stays pending for the sweeper.
            return
        raise self.retry(exc=exc, countdown=min(10 * 2 ** (chunk.attempts - 1), 300)) from exc


@shared_task
def job_sweep_task() -> int:
    """Resume what dead workers left, and delete result files past their kind's keeping time."""
    from .jobs import job_results_purge, job_sweep

    resumed = job_sweep()
    job_results_purge()
    return resumed


@shared_task
def orphaned_files_cleanup_task() -> int:
    """Delete files no row refers to (rollbacks, killed workers); see tenants/files.py."""
    from datetime import timedelta

    from .files import orphaned_files_cleanup

    return len(orphaned_files_cleanup(older_than=timedelta(hours=1)).deleted)


@shared_task(acks_late=True)  # idempotent: a second run finds nothing due
def retention_apply_task() -> list[str]:
    """The daily retention run (tenants/retention.py); its report goes to the log and result."""
    from .retention import retention_apply

    return retention_apply().lines()
