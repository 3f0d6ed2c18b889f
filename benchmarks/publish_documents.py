"""Benchmark: publishing 10,000 annual statements (named by contract number) with notices.

Run without settings: a throw-away SQLite database, Celery eager (the notices are delivered
in-process, inside the measured time).

Run with a real worker: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python benchmarks/publish_documents.py`. A
throw-away database `bench_publish_documents` is created on that server and the Redis database
is purged. The benchmark starts one Celery worker (`celery -A config.celery_app worker -c 1
--pool prefork`) as a subprocess, publishes, and measures the time to publish and the time
until the worker has delivered every notice (every outbox row SENT through the test
settings' locmem backend). The worker is stopped at the end.

Writes benchmarks/results/publish_documents.md.
"""

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-docs-"))
SERVER_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://"))
USE_WORKER = POSTGRES and bool(REDIS_URL)
BENCH_DB = "bench_publish_documents"


def _database_url() -> str:
    if not POSTGRES:
        return SERVER_URL or f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
    import psycopg

    parts = urlsplit(SERVER_URL)
    admin_dsn = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = _database_url()
if not USE_WORKER:
    os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.celery_app import app as celery_app  # noqa: E402
from documents.models import Delivery  # noqa: E402
from documents.services import documents_publish_files  # noqa: E402
from tenants.models import (  # noqa: E402
    Contract,
    OutboundEmail,
    Property,
    Tenant,
    Unit,
    User,
)

N = int(os.environ.get("BENCH_DOCUMENTS", "10000"))
PDF = b"%PDF-1.4\n" + b"0" * 40_000 + b"\n%%EOF\n"  # a 40 kB statement
DELIVERY_TIMEOUT = 600


def setup_data() -> None:
    call_command("migrate", verbosity=0)
    prop = Property.objects.create(
        number="B1", name="Bench", street="X 1", postal_code="20095", city="Hamburg"
    )
    units = Unit.objects.bulk_create(Unit(property=prop, number=f"W{i:05d}") for i in range(N))
    users = User.objects.bulk_create(
        User(email=f"t{i}@bench.example", password="!") for i in range(N) if i % 4
    )
    user_iter = iter(users)
    now = timezone.now()
    tenants = Tenant.objects.bulk_create(
        Tenant(
            tenant_number=f"T{i:06d}",
            first_name="Maria",
            last_name=f"Muster {i}",
            street="X 1",
            postal_code="20095",
            city="Hamburg",
            # three in four have an account and consent; the rest get paper
            user=next(user_iter) if i % 4 else None,
            paperless_consent=bool(i % 4),
            paperless_consent_at=now if i % 4 else None,
        )
        for i in range(N)
    )
    contracts = Contract.objects.bulk_create(
        Contract(contract_number=f"B-{i:06d}", unit=units[i], start_date="2020-01-01")
        for i in range(N)
    )
    Contract.partners.through.objects.bulk_create(
        Contract.partners.through(contract_id=c.pk, tenant_id=t.pk)
        for c, t in zip(contracts, tenants, strict=True)
    )


class QueryCounter:
    """Counts every SQL statement (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def counted(func):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        result = func()
    return result, counter.count


# The worker as in production: the test settings run tasks eagerly (CELERY_TASK_ALWAYS_EAGER),
# which inside the worker would deliver every mail a chunk queues inside that chunk's task
# instead of sending it through the broker. So the worker switches that off before it starts.
WORKER_MAIN = """
import sys
import django
django.setup()
from django.conf import settings
settings.CELERY_TASK_ALWAYS_EAGER = False
from config.celery_app import app
app.conf.update(task_always_eager=False)
app.worker_main(sys.argv[1:])
"""


def start_worker() -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER_MAIN,
            "worker",
            "-c",
            "1",
            "--pool",
            "prefork",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"bench-publish-{os.getpid()}@%h",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if celery_app.control.ping(timeout=0.5):
            return worker
    stop_worker(worker)
    raise RuntimeError("the Celery worker did not answer within 60 s")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)


def wait_delivered(started: float) -> tuple[float, int]:
    """Seconds from `started` until no outbox row is pending; the rows sent.

    In production beat runs `email_sweep_task` every minute; this benchmark has no beat, so if
    nothing was delivered for SWEEP_AFTER seconds, it sweeps once as beat would (and counts it).
    """
    from tenants.services import email_sweep

    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    last, quiet_since = None, time.perf_counter()
    while time.perf_counter() - started < DELIVERY_TIMEOUT:
        left = pending.count()
        if not left:
            break
        if left != last:
            last, quiet_since = left, time.perf_counter()
        elif time.perf_counter() - quiet_since > SWEEP_AFTER:
            SWEEPS.append(email_sweep(older_than_seconds=0))
            quiet_since = time.perf_counter()
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()
    return seconds, sent


SWEEP_AFTER = 20
SWEEPS: list[int] = []


def publish_as_job() -> dict:
    """The admin's way: the upload stored, a job whose chunks (CHUNK_SIZE files each, one
    transaction each, each queueing its tenants' notices) the worker runs; the notices are
    delivered by the same worker."""
    from django.core.files.base import ContentFile

    from documents.jobs import CHUNK_SIZE, documents_publish_job_start
    from tenants.models import Job

    clerk = User.objects.create_superuser("bench-clerk@example.org", password=None)
    uploads = [ContentFile(PDF, name=f"B-{i:06d}.pdf") for i in range(N)]
    mails_before = OutboundEmail.objects.count()
    started = time.perf_counter()
    job = documents_publish_job_start(
        files=uploads, kind="betriebskostenabrechnung", period="2026", by=clerk
    )
    stored = time.perf_counter() - started
    while time.perf_counter() - started < DELIVERY_TIMEOUT:
        job.refresh_from_db()
        if job.state in (Job.State.DONE, Job.State.FAILED):
            break
        time.sleep(0.1)
    done = time.perf_counter() - started
    # Reported, not asserted: a job that failed (e.g. a step over the task's time limit) is
    # a result too.
    delivered, _sent = wait_delivered(started)
    chunks = [c for c in job.chunks.all() if c.finished_at]
    chunk_seconds = [(c.finished_at - c.started_at).total_seconds() for c in chunks]
    # `finish` runs in the last chunk's task after its DONE mark: the job's end minus that mark.
    finish = (
        (job.finished_at - max(c.finished_at for c in chunks)).total_seconds()
        if chunks and job.finished_at
        else 0.0
    )
    return {
        "state": f"{job.get_state_display()} {job.error}".strip(),
        "stored": stored,
        "done": done,
        "delivered": delivered,
        "published": job.counts.get("published", 0),
        "mails": OutboundEmail.objects.count() - mails_before,
        "chunks": len(chunk_seconds),
        "longest": max(chunk_seconds, default=0.0),
        "size": CHUNK_SIZE,
        "finish": finish,
    }


def delete_documents() -> None:
    """The documents are in the test settings' MEDIA_ROOT, shared with the worker."""
    from documents.models import Document

    for document in Document.objects.iterator():
        document.file.delete(save=False)


def main() -> None:
    logging.disable(logging.INFO)  # one log line per delivered mail would dominate the run
    if not USE_WORKER:
        # With a worker, both use the test settings' MEDIA_ROOT (the worker reads the uploads
        # there); the documents are deleted at the end.
        settings.MEDIA_ROOT = WORKDIR / "media"
    setup_data()
    files = [(f"B-{i:06d}.pdf", lambda: PDF) for i in range(N)]

    def publish():
        return documents_publish_files(files=files, kind="betriebskostenabrechnung", period="2025")

    load_before = os.getloadavg()
    worker = None
    if USE_WORKER:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
        celery_app.control.purge()
        worker = start_worker()
    try:
        started = time.perf_counter()
        report, queries = counted(publish)
        seconds = time.perf_counter() - started
        delivered, sent = wait_delivered(started) if USE_WORKER else (seconds, 0)

        started = time.perf_counter()
        second, again = counted(publish)
        rerun = time.perf_counter() - started
        outbox_rows = OutboundEmail.objects.count()
        deliveries = Delivery.objects.count()

        as_job = None
        if USE_WORKER:
            try:
                as_job = publish_as_job()
            finally:
                delete_documents()
    finally:
        if worker is not None:
            stop_worker(worker)
            celery_app.control.purge()

    load_after = os.getloadavg()
    with connection.cursor() as cursor:
        cursor.execute("select version()" if POSTGRES else "select sqlite_version()")
        db_version = cursor.fetchone()[0].split(" on ")[0]
    how = (
        "delivered by one Celery worker (prefork, 1 process) on Redis"
        if USE_WORKER
        else "delivered in-process, as Celery runs eagerly here"
    )
    lines = [
        f"# Publishing benchmark ({N:,} statements, {connection.vendor})",
        "",
        f"- date: {timezone.localdate():%Y-%m-%d}; machine: {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, {db_version}",
        f"- load average (1/5/15 min) before: {' / '.join(f'{x:.1f}' for x in load_before)}, "
        f"after: {' / '.join(f'{x:.1f}' for x in load_after)}",
        f"- publish with notices: {seconds:.1f} s ({N / seconds:.0f} documents/s), "
        f"{queries:,} SQL queries in the publishing process ({queries / N:.1f} per document); "
        f"notices {how}",
    ]
    if USE_WORKER:
        lines.append(
            f"- publish → every notice delivered: **{delivered:.1f} s** "
            f"({sent:,} mails sent by the worker)"
        )
    lines += [
        f"- published {len(report.published):,}, notices queued {report.notices:,} "
        f"(outbox rows: {outbox_rows:,}), paper deliveries {report.paper:,}, "
        f"deliveries {deliveries:,}",
        f"- second run (idempotent): {rerun:.1f} s, {again:,} queries, "
        f"published {len(second.published)}, skipped {len(second.skipped):,}",
    ]
    if as_job is not None:
        lines += [
            "",
            "## The admin's way: upload, publishing job, notices (the same worker)",
            "",
            f"- upload stored and job started (in the request): {as_job['stored']:.1f} s",
            f"- upload → job done ({as_job['chunks']} chunks of up to {as_job['size']}, the "
            "longest "
            f"{as_job['longest']:.1f} s, then `finish` {as_job['finish']:.1f} s in the last "
            f"one's task): **{as_job['done']:.1f} s**, published "
            f"{as_job['published']:,}; state: {as_job['state']}",
            f"- upload → every notice delivered: **{as_job['delivered']:.1f} s** "
            f"({as_job['mails']:,} mails)",
        ]
    if SWEEPS:
        lines += [
            "",
            f"Rows left pending with no progress for {SWEEP_AFTER} s were swept as beat's "
            f"`email_sweep_task` would: {SWEEPS}.",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = os.environ.get("BENCH_OUTPUT")
    if out:
        Path(out).write_text(text)
    else:
        (ROOT / "benchmarks" / "results" / "publish_documents.md").write_text(text)


if __name__ == "__main__":
    main()
