"""Benchmark: 1,000 registration letters started from the admin as a job.

Measures, in one run on one machine:

- the old way as the baseline: the letters rendered inside the admin request
  (`registration_letters_issue`, what the action did before it became a job);
- the admin POST of the action until its response (the job is only planned and queued);
- the job from that POST until DONE with 1 and with 2 Celery worker processes, and in
  embedded mode (a thread of the web process).

Run: `DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python benchmarks/letters_job.py`
(a throw-away database `bench_letters_job` is created on that PostgreSQL server; Redis gets its
queue purged). Without them only the baseline and embedded mode are measured (SQLite, no
broker). Writes benchmarks/results/letters_job.md (or BENCH_OUTPUT). Compare ratios, not
seconds: the machine and the worker count decide the seconds. BENCH_LETTERS sets the number of
letters, BENCH_WORKERS_ONLY=1 measures only the workers. For each run it reports the peak RSS
(VmHWM) of the worker processes, which render the parts and the last of which joins them.
"""

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
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-letters-job-"))
SERVER_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
USE_WORKERS = SERVER_URL.startswith(("postgres://", "postgresql://")) and bool(REDIS_URL)


def _database_url() -> str:
    if not USE_WORKERS:
        return f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
    import psycopg

    parts = urlsplit(SERVER_URL)
    admin_dsn = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_letters_job")
        conn.execute("CREATE DATABASE bench_letters_job")
    return urlunsplit(parts._replace(path="/bench_letters_job"))


os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = _database_url()
if not USE_WORKERS:
    os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

import io  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from config.celery_app import app as celery_app  # noqa: E402
from registration.services import registration_letters_issue  # noqa: E402
from tenants import jobs as jobs_module  # noqa: E402
from tenants.models import Job, Tenant, User  # noqa: E402

N = int(os.environ.get("BENCH_LETTERS", "1000"))
# BENCH_WORKERS_ONLY=1: only 1 and 2 worker processes (no baseline, no embedded run).
WORKERS_ONLY = USE_WORKERS and os.environ.get("BENCH_WORKERS_ONLY") == "1"
SOFT_LIMIT = settings.CELERY_TASK_SOFT_TIME_LIMIT


def setup() -> tuple[Client, list[int]]:
    call_command("migrate", verbosity=0)
    call_command("sync_clerk_groups", stdout=io.StringIO())
    Tenant.objects.bulk_create(
        Tenant(
            tenant_number=f"B{i:06d}",
            salutation=Tenant.Salutation.MS if i % 2 else Tenant.Salutation.MR,
            first_name="Maria",
            last_name=f"Müller-Lüdenscheidt {i}",
            street=f"Elbchaussee {i % 300 + 1}",
            postal_code="22763",
            city="Hamburg",
        )
        for i in range(N)
    )
    clerk = User.objects.create_user("kundenservice@example.org", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    # Clerks must have a second factor (PORTAL_STAFF_MFA_REQUIRED), or the admin sends them
    # to set one up; a fixed secret as in the tests.
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(clerk, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(clerk)
    return client, list(Tenant.objects.values_list("pk", flat=True))


def baseline() -> float:
    """What the admin action did before: all letters inside the request."""
    started = time.perf_counter()
    registration_letters_issue(tenants=Tenant.objects.iterator(), output=io.BytesIO())
    return time.perf_counter() - started


def press(client: Client, tenant_ids: list[int]) -> tuple[float, Job]:
    started = time.perf_counter()
    # "Select all 1,000" in the change list: more ticked boxes than Django accepts fields.
    response = client.post(
        reverse("admin:tenants_tenant_changelist"),
        {
            "action": "issue_registration_letters",
            "select_across": "1",
            "index": "0",
            "_selected_action": tenant_ids[:1],
        },
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return seconds, Job.objects.latest("pk")


def wait_done(job: Job, started: float, timeout: float = 600) -> float:
    while time.perf_counter() - started < timeout:
        job.refresh_from_db()
        if job.state in (Job.State.DONE, Job.State.FAILED):
            break
        time.sleep(0.05)
    assert job.state == Job.State.DONE, (job.state, job.error)
    assert job.counts["letters"] == N, job.counts
    return time.perf_counter() - started


def chunk_seconds(job: Job) -> tuple[int, float]:
    durations = [
        (c.finished_at - c.started_at).total_seconds()
        for c in job.chunks.all()
        if c.started_at and c.finished_at
    ]
    return len(durations), max(durations)


def start_workers(count: int) -> list[subprocess.Popen]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config.celery_app",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "--loglevel=WARNING",
        "--without-mingle",
        "--without-gossip",
    ]
    workers = [
        subprocess.Popen(
            [*command, "-n", f"bench{i}@%h"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(count)
    ]
    # Ready when each answers a ping.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(celery_app.control.ping(timeout=0.5) or []) >= count:
            break
    return workers


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def _peak_rss_mb(pid: int) -> float:
    """The process's highest RSS so far (VmHWM), in MB; 0 if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_peak_rss(workers: list[subprocess.Popen]) -> float:
    """The highest peak RSS of the pool processes that ran the chunks (and the finish)."""
    peaks = [_peak_rss_mb(child) for worker in workers for child in _children(worker.pid)]
    return max(peaks, default=0.0)


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(30)


def run_with_workers(client: Client, tenant_ids: list[int], count: int) -> dict:
    settings.JOBS_RUN_IN_THREAD = False
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    celery_app.control.purge()
    workers = start_workers(count)
    try:
        started = time.perf_counter()
        post_seconds, job = press(client, tenant_ids)
        total = wait_done(job, started)
        rss = workers_peak_rss(workers)
    finally:
        stop_workers(workers)
    chunks, longest = chunk_seconds(job)
    size = job.result_file.size
    job.result_file.delete(save=False)  # the workers' MEDIA_ROOT (config/settings/test.py)
    return {
        "post": post_seconds,
        "total": total,
        "chunks": chunks,
        "longest": longest,
        "rss": rss,
        "size": size,
    }


def run_embedded(client: Client, tenant_ids: list[int]) -> dict:
    settings.JOBS_RUN_IN_THREAD = True
    celery_app.conf.task_always_eager = True
    started = time.perf_counter()
    post_seconds, job = press(client, tenant_ids)
    total = wait_done(job, started)
    thread = jobs_module._threads.get(job.pk)
    if thread is not None:
        thread.join(10)
    chunks, longest = chunk_seconds(job)
    size = job.result_file.size
    job.result_file.delete(save=False)
    return {
        "post": post_seconds,
        "total": total,
        "chunks": chunks,
        "longest": longest,
        "rss": None,  # this process ran the baseline too
        "size": size,
    }


def main() -> None:
    client, tenant_ids = setup()
    base = None if WORKERS_ONLY else baseline()
    runs = {}
    if USE_WORKERS:
        runs["1 worker process"] = run_with_workers(client, tenant_ids, 1)
        runs["2 worker processes"] = run_with_workers(client, tenant_ids, 2)
    if not WORKERS_ONLY:
        runs["embedded (thread)"] = run_embedded(client, tenant_ids)

    database = "PostgreSQL + Redis" if USE_WORKERS else "SQLite, no broker"
    lines = [
        f"# Registration letters as a job ({N} letters, started from the admin)",
        "",
        f"- date: {time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, {database}; load average at the end: "
        f"{os.getloadavg()[0]:.1f}",
        f"- baseline, letters inside the admin request (the action before): {base:.1f} s "
        f"(gunicorn's timeout: 30 s; one task's soft time limit: {SOFT_LIMIT} s)"
        if base
        else f"- baseline not measured (BENCH_WORKERS_ONLY); soft time limit: {SOFT_LIMIT} s",
        "",
        "| run | admin POST → response | POST → job done | vs. baseline | parts | longest part "
        "| peak RSS of a worker process | PDF |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, run in runs.items():
        rss = "–" if run["rss"] is None else f"{run['rss']:.0f} MB"
        share = f" ({run['post'] / base * 100:.2f} % of the baseline)" if base else ""
        ratio = f"{run['total'] / base:.2f}×" if base else "–"
        lines.append(
            f"| {name} | {run['post'] * 1000:.0f} ms{share} | {run['total']:.1f} s | {ratio} | "
            f"{run['chunks']} | "
            f"{run['longest']:.1f} s ({run['longest'] / SOFT_LIMIT * 100:.0f} % of the limit) | "
            f"{rss} | "
            f"{run['size'] / 1e6:.1f} MB |"
        )
    if USE_WORKERS:
        one, two = runs["1 worker process"], runs["2 worker processes"]
        lines += [
            "",
            f"- 2 worker processes vs 1: {one['total'] / two['total']:.2f}× as fast "
            f"({os.cpu_count()} cores)",
        ]
    else:
        lines += ["", "- workers not measured: set DATABASE_URL (PostgreSQL) and REDIS_URL"]
    report = "\n".join(lines) + "\n"
    output = os.environ.get("BENCH_OUTPUT") or ROOT / "benchmarks" / "results" / "letters_job.md"
    Path(output).write_text(report)
    print(report)


if __name__ == "__main__":
    main()
