"""Long jobs started by clerks (registration letters, publishing documents), split into chunks.

A job is a row (`tenants.models.Job`) with its chunks (`JobChunk`); the broker only carries
chunk ids. The guarantees:

- Each chunk's work and its DONE mark are committed in one transaction, which the runner
  opens around `JobKind.run_chunk`. A worker killed in the middle leaves nothing half done,
  and a chunk is never done twice: a re-run finds it DONE and returns.
- Chunks are separate Celery tasks, so several workers run one job in parallel, and each one
  finishes well inside the task time limit (`JobKind.chunk_size`).
- The sweeper (`job_sweep`, a beat task every minute) re-dispatches chunks whose worker died
  (RUNNING for longer than JOBS_STALE_AFTER) and chunks that were never enqueued (broker down).
  A chunk a live worker is still on is locked, so a second runner skips it.
- One queued or running job per kind and scope (a partial unique constraint).
- Embedded mode (Celery runs tasks eagerly, no broker): the chunks run one after the other in
  a daemon thread of the same process, so the request that starts a job returns at once.

Base layer: areas plug their kinds in through `tenants.registry.register_job_kind`.
"""

import logging
import threading
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import PortalError
from .models import Job, JobChunk, User
from .registry import JobKind, job_kind, job_kinds
from .services import audit_log, task_dispatch

logger = logging.getLogger(__name__)

ACTIVE = (Job.State.QUEUED, Job.State.RUNNING)


class JobError(PortalError):
    code = "job"


# Starting a job
# ------------------------------------------------------------------------------


def job_start(*, kind: str, scope: str, params: dict, by: User) -> Job:
    """Create the job and its chunks (`kind.plan`) and dispatch the chunks after commit.

    Returns at once; the work runs in Celery workers (or, embedded, in a background thread).
    Refuses a user without the kind's permission and a second queued or running job of the
    same kind and scope.
    """
    job_type = job_kind(kind)
    if by is None or not by.is_active or not by.has_perm(job_type.permission):
        raise JobError(_("You may not start this job."), code="forbidden")
    with transaction.atomic():
        if Job.objects.filter(kind=kind, scope=scope, state__in=ACTIVE).exists():
            raise _already_running(job_type, scope)
        try:
            with transaction.atomic():
                job = Job.objects.create(kind=kind, scope=scope, params=params, created_by=by)
        except IntegrityError:  # started by someone else a moment ago
            raise _already_running(job_type, scope) from None
        payloads = job_type.plan(job)
        chunks = JobChunk.objects.bulk_create(
            JobChunk(job=job, index=index, payload=payload)
            for index, payload in enumerate(payloads)
        )
        job.chunks_total = len(chunks)
        fields = ["chunks_total"]
        if not chunks:
            job_type.finish(job)
            job.state, job.started_at = Job.State.DONE, timezone.now()
            job.finished_at = job.started_at
            fields += ["state", "started_at", "finished_at", "result_file", "report", "counts"]
        job.save(update_fields=fields)
        audit_log(
            action="job.started",
            obj=job,
            actor=by,
            changes={"kind": kind, "scope": scope, "chunks": job.chunks_total},
        )
        if chunks:
            chunk_ids = [chunk.pk for chunk in chunks]
            transaction.on_commit(lambda: _dispatch(job.pk, chunk_ids))
    return job


def _already_running(job_type: JobKind, scope: str) -> JobError:
    return JobError(
        _(
            "A job of this kind (%(kind)s) is already running for %(scope)s. Please wait "
            "until it has finished."
        ),
        code="already_running",
        params={"kind": job_type.label, "scope": scope},
    )


def _run_in_thread() -> bool:
    """Embedded mode: no broker, so the chunks run in a thread of this process."""
    flag = getattr(settings, "JOBS_RUN_IN_THREAD", None)
    if flag is None:
        flag = settings.CELERY_TASK_ALWAYS_EAGER
    return bool(flag)


def _dispatch(job_id: int, chunk_ids: list[int]) -> None:
    from .tasks import job_chunk_task

    if _run_in_thread():
        _thread_start(job_id)
        return
    for chunk_id in chunk_ids:
        if not task_dispatch(job_chunk_task, chunk_id):
            break  # the broker is away; the sweeper dispatches the rest


# Embedded mode: one thread per job
# ------------------------------------------------------------------------------

_threads: dict[int, threading.Thread] = {}
_threads_lock = threading.Lock()


def _thread_start(job_id: int) -> None:
    if connection.in_atomic_block:
        # The job is not committed yet (a test's transaction around everything): another
        # thread's connection could not see it, so run it here.
        job_run_all(job_id=job_id)
        return
    with _threads_lock:
        running = _threads.get(job_id)
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(
            target=_thread_main, args=(job_id,), name=f"portal-job-{job_id}", daemon=True
        )
        _threads[job_id] = thread
    thread.start()


def _thread_main(job_id: int) -> None:
    try:
        job_run_all(job_id=job_id)
    except Exception:
        logger.exception("Job %s stopped in its background thread", job_id)
    finally:
        connection.close()  # the thread's own connection
        with _threads_lock:
            if _threads.get(job_id) is threading.current_thread():
                del _threads[job_id]


def job_threads_join(timeout: float | None = None) -> None:
    """Wait for this process's job threads (a command that resumed jobs must not exit first)."""
    with _threads_lock:
        threads = list(_threads.values())
    for thread in threads:
        thread.join(timeout)


def job_run_all(*, job_id: int) -> Job:
    """Run the job's unfinished chunks one after the other, here (embedded mode, tests).

    A failing chunk is tried up to JOBS_CHUNK_MAX_ATTEMPTS times before the job fails.
    """
    chunk_ids = list(
        JobChunk.objects.filter(job_id=job_id)
        .exclude(state__in=[JobChunk.State.DONE, JobChunk.State.FAILED])
        .order_by("index")
        .values_list("pk", flat=True)
    )
    for chunk_id in chunk_ids:
        for _attempt in range(settings.JOBS_CHUNK_MAX_ATTEMPTS):
            try:
                job_run_chunk(chunk_id=chunk_id)
            except Exception:
                logger.warning("Job %s: chunk %s failed", job_id, chunk_id, exc_info=True)
            state = JobChunk.objects.filter(pk=chunk_id).values_list("state", flat=True).first()
            if state != JobChunk.State.PENDING:
                break
        if Job.objects.filter(pk=job_id, state=Job.State.FAILED).exists():
            break
    return Job.objects.get(pk=job_id)


# Running a chunk
# ------------------------------------------------------------------------------


def job_run_chunk(*, chunk_id: int) -> None:
    """Run one chunk, exactly once.

    First the chunk is marked RUNNING (committed: the page shows it, the sweeper sees its
    age). Then, in one transaction with the chunk row locked: the kind's work, the chunk DONE,
    the job's counters and, after the last chunk, the kind's `finish` and the job DONE. A
    runner that finds the chunk locked (another worker is on it) or finished returns.

    On an error the transaction is rolled back, the error is recorded on the chunk, and the
    exception propagates (the task retries). After JOBS_CHUNK_MAX_ATTEMPTS attempts, or at
    once for a PortalError (a refusal does not go away by retrying), the chunk and the job
    are FAILED.
    """
    now = timezone.now()
    with transaction.atomic():
        chunk = _chunk_locked(chunk_id, skip_locked=True)
        if chunk is None or chunk.state in (JobChunk.State.DONE, JobChunk.State.FAILED):
            return
        if not Job.objects.filter(pk=chunk.job_id, state__in=ACTIVE).exists():
            return
        chunk.state, chunk.started_at = JobChunk.State.RUNNING, now
        chunk.attempts += 1
        chunk.save(update_fields=["state", "started_at", "attempts"])
        Job.objects.filter(pk=chunk.job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=now
        )
    try:
        with transaction.atomic():
            chunk = _chunk_locked(chunk_id, skip_locked=True)
            if chunk is None or chunk.state != JobChunk.State.RUNNING:
                return  # taken over by another runner meanwhile
            job = Job.objects.get(pk=chunk.job_id)
            if job.state != Job.State.RUNNING:
                return
            job_type = job_kind(job.kind)
            counts = job_type.run_chunk(job, chunk) or {}
            chunk.state, chunk.finished_at = JobChunk.State.DONE, timezone.now()
            chunk.counts, chunk.error = counts, ""
            chunk.save(update_fields=["state", "finished_at", "counts", "error", "result_file"])
            _job_count_chunk(job_id=job.pk, job_type=job_type, counts=counts)
    except Exception as exc:
        _chunk_failed(chunk_id=chunk_id, exc=exc)
        raise


def _chunk_locked(chunk_id: int, *, skip_locked: bool = False) -> JobChunk | None:
    """The chunk's row, locked; None if it is gone or (skip_locked) another runner has it.

    Only the chunk's row: locking the job's too would let one chunk hold up all the others.
    """
    return (
        JobChunk.objects.select_for_update(skip_locked=skip_locked, of=("self",))
        .filter(pk=chunk_id)
        .order_by()
        .first()
    )


def _job_count_chunk(*, job_id: int, job_type: JobKind, counts: dict[str, Any]) -> None:
    """Add a finished chunk to its job; after the last one, finish the job (row locked)."""
    job = Job.objects.select_for_update().get(pk=job_id)
    job.chunks_done += 1
    merged = dict(job.counts)
    for key, value in counts.items():
        merged[key] = merged.get(key, 0) + value
    job.counts = merged
    fields = ["chunks_done", "counts"]
    if job.chunks_done >= job.chunks_total and job.state == Job.State.RUNNING:
        job_type.finish(job)
        job.state, job.finished_at = Job.State.DONE, timezone.now()
        fields += ["state", "finished_at", "result_file", "report", "counts"]
    job.save(update_fields=list(dict.fromkeys(fields)))


def _chunk_failed(*, chunk_id: int, exc: Exception) -> None:
    error = exc.message if isinstance(exc, PortalError) else f"{type(exc).__name__}: {exc}"
    now = timezone.now()
    with transaction.atomic():
        chunk = _chunk_locked(chunk_id)
        if chunk is None or chunk.state != JobChunk.State.RUNNING:
            return
        chunk.error = error[:2000]
        final = isinstance(exc, PortalError) or chunk.attempts >= settings.JOBS_CHUNK_MAX_ATTEMPTS
        if final:
            chunk.state, chunk.finished_at = JobChunk.State.FAILED, now
            _job_fail(job_id=chunk.job_id, error=f"{chunk.index + 1}: {chunk.error}", now=now)
        else:
            chunk.state = JobChunk.State.PENDING
        chunk.save(update_fields=["state", "finished_at", "error"])


def _job_fail(*, job_id: int, error: str, now) -> None:
    failed = Job.objects.filter(pk=job_id, state__in=ACTIVE).update(
        state=Job.State.FAILED, error=error, finished_at=now
    )
    if not failed:
        return
    job = Job.objects.get(pk=job_id)
    kind = job_kind(job.kind)
    if kind.on_fail is None:
        return
    try:
        with transaction.atomic():
            kind.on_fail(job)
    except Exception:
        # The job is failed either way; what the hook could not clean up is in the log.
        logger.exception("Job %s (%s): cleaning up after the failure failed", job.pk, job.kind)


# The sweeper
# ------------------------------------------------------------------------------


def job_sweep(*, stale_after_seconds: int | None = None) -> int:
    """Resume unfinished jobs: re-dispatch the chunks no worker is on. Returns the count.

    - RUNNING chunks older than the limit: their worker died (a live worker holds the row
      lock, so a second runner would skip the chunk anyway). One that has used up its
      attempts fails the job instead of killing worker after worker.
    - PENDING chunks of a job nothing has happened to for the same time: never enqueued
      (broker down), or lost with a worker. Chunks merely waiting in the queue behind others
      of a job that is making progress are left alone.
    """
    if stale_after_seconds is None:
        stale_after_seconds = settings.JOBS_STALE_AFTER
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=stale_after_seconds)
    unfinished = JobChunk.objects.filter(job__state__in=ACTIVE)
    stale_running = unfinished.filter(state=JobChunk.State.RUNNING, started_at__lt=cutoff)
    for chunk in stale_running.filter(attempts__gte=settings.JOBS_CHUNK_MAX_ATTEMPTS):
        with transaction.atomic():
            updated = JobChunk.objects.filter(
                pk=chunk.pk, state=JobChunk.State.RUNNING, started_at=chunk.started_at
            ).update(
                state=JobChunk.State.FAILED,
                finished_at=now,
                error="The worker stopped during every attempt.",
            )
            if updated:
                _job_fail(
                    job_id=chunk.job_id,
                    error=f"{chunk.index + 1}: the worker stopped during every attempt.",
                    now=now,
                )
    recent = JobChunk.objects.filter(
        Q(started_at__gte=cutoff) | Q(finished_at__gte=cutoff), job__state__in=ACTIVE
    ).values("job_id")
    idle_pending = unfinished.filter(
        state=JobChunk.State.PENDING, job__created_at__lt=cutoff
    ).exclude(job_id__in=recent)
    todo = [
        *stale_running.filter(attempts__lt=settings.JOBS_CHUNK_MAX_ATTEMPTS).values_list(
            "job_id", "pk"
        ),
        *idle_pending.values_list("job_id", "pk"),
    ]
    if not todo:
        return 0
    by_job: dict[int, list[int]] = {}
    for job_id, chunk_id in sorted(todo):
        by_job.setdefault(job_id, []).append(chunk_id)
    for job_id, chunk_ids in by_job.items():
        logger.info("Job %s: resuming %d chunk(s)", job_id, len(chunk_ids))
        _dispatch(job_id, chunk_ids)
    return len(todo)


# Selectors and the view helper
# ------------------------------------------------------------------------------


def job_list_for(*, user: User) -> QuerySet[Job]:
    """The jobs a user may see: a superuser all; a clerk their own and every job of a kind
    whose permission they have (a colleague's letters, for example)."""
    jobs = Job.objects.select_related("created_by")
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return jobs.none()
    if user.is_superuser:
        return jobs
    kinds = [kind.key for kind in job_kinds() if user.has_perm(kind.permission)]
    return jobs.filter(Q(created_by=user) | Q(kind__in=kinds))


def job_get(*, user: User, job_id: int | str) -> Job:
    """One job the user may see; any other answers 404."""
    return get_object_or_404(job_list_for(user=user), pk=job_id)


def job_started_response(request: HttpRequest, job: Job) -> HttpResponseRedirect:
    """After job_start in an admin view: say so and show the job's page (its progress)."""
    messages.success(
        request,
        _("Job started: %(kind)s. This page shows its progress.")
        % {"kind": job_kind(job.kind).label},
    )
    return HttpResponseRedirect(reverse("admin:tenants_job_change", args=[job.pk]))


def job_results_purge(*, now=None) -> int:
    """Delete the result files of finished jobs whose kind keeps them only for some days.

    The job row stays (who, when, counts, report); its report says that the file was deleted.
    Returns how many files were deleted.
    """
    now = now or timezone.now()
    purged = 0
    for kind in job_kinds():
        if kind.keep_result_days is None:
            continue
        cutoff = now - timezone.timedelta(days=kind.keep_result_days)
        expired = Job.objects.filter(kind=kind.key, finished_at__lt=cutoff).exclude(result_file="")
        for job in expired:
            with transaction.atomic():
                job = Job.objects.select_for_update().get(pk=job.pk)
                if not job.result_file:
                    continue
                name = job.result_file.name
                job.result_file = ""
                note = _("The result file was deleted after %(days)d days.") % {
                    "days": kind.keep_result_days
                }
                job.report = f"{job.report}\n{note}".strip()
                job.save(update_fields=["result_file", "report"])
                audit_log(action="job.result_deleted", obj=job, changes={"file": name})
                storage = Job._meta.get_field("result_file").storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            purged += 1
    return purged
