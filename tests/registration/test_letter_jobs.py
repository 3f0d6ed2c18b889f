"""Registration letters as a job: started from the admin as the clerk groups, run in parts,
resumed after a worker died with every letter exactly once, and downloaded when done."""

import io
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from itertools import chain
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from registration import jobs as letter_jobs
from registration.models import LetterBatch, RegistrationCode
from registration.services import registration_code_issue
from tenants import jobs as jobs_module
from tenants.jobs import JobError, job_run_chunk, job_start, job_sweep
from tenants.models import Job, JobChunk, Tenant
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory, UserFactory

from ..conftest import CI

pytestmark = pytest.mark.django_db

KEY = "registration_letters"


@pytest.fixture
def clerks():
    call_command("sync_clerk_groups", stdout=io.StringIO())
    made = {}
    for name in ("Kundenservice", "Mietenbuchhaltung", "Technik"):
        clerk = StaffFactory()
        clerk.groups.add(Group.objects.get(name=name))
        made[name] = clerk
    return made


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of two letters, so that a handful of tenants make several parts."""
    monkeypatch.setattr(letter_jobs, "CHUNK_SIZE", 2)


def pages(pdf_bytes: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def run_all(job: Job) -> Job:
    for chunk in job.chunks.order_by("index"):
        job_run_chunk(chunk_id=chunk.pk)
    job.refresh_from_db()
    return job


def job_url(job: Job, page: str = "change") -> str:
    return reverse(f"admin:tenants_job_{page}", args=[job.pk])


def press_letters_action(client, tenants):
    return client.post(
        reverse("admin:tenants_tenant_changelist"),
        {"action": "issue_registration_letters", "_selected_action": [t.pk for t in tenants]},
    )


def assert_exactly_once(tenants, *, older_codes: int):
    """One valid code per tenant from this job; every older code revoked, none twice issued."""
    for tenant in tenants:
        codes = list(RegistrationCode.objects.filter(tenant=tenant))
        valid = [c for c in codes if c.status == RegistrationCode.Status.VALID]
        assert len(valid) == 1, tenant
        assert len(codes) == older_codes + 1, tenant
        assert all(c.revoked_at for c in codes if c not in valid)


# From the admin


def test_the_admin_action_starts_a_job_and_shows_its_page_at_once(
    client, clerks, small_parts, django_capture_on_commit_callbacks
):
    client.force_login(clerks["Kundenservice"])
    waiting = [TenantFactory(user=None) for _ in range(3)]
    registered = TenantFactory()

    with django_capture_on_commit_callbacks(execute=False):
        response = press_letters_action(client, [*waiting, registered])

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.kind, job.state, job.created_by) == (KEY, Job.State.QUEUED, clerks["Kundenservice"])
    assert job.chunks_total == 2
    chunk_tenants = [c.payload["tenant_ids"] for c in job.chunks.order_by("index")]
    assert sorted(chain(*chunk_tenants)) == sorted(t.pk for t in waiting)
    assert not RegistrationCode.objects.exists()  # the request issued nothing itself
    with translation.override("de"):
        page = client.get(response["Location"]).content.decode()
    assert "Auftrag gestartet: Registrierungsbriefe" in page
    assert "1 Mieter/in hat bereits einen Zugang und bekam keinen Brief." in page


def test_the_job_page_shows_progress_and_the_pdf_is_downloadable_when_done(
    client, clerks, small_parts
):
    client.force_login(clerks["Kundenservice"])
    tenants = [TenantFactory(user=None, last_name=f"Brief{i}") for i in range(3)]
    press_letters_action(client, tenants)
    job = Job.objects.get()
    job_run_chunk(chunk_id=job.chunks.get(index=0).pk)

    running = client.get(job_url(job)).content.decode()
    assert '<progress max="100" value="50">' in running
    assert 'http-equiv="refresh"' in running
    assert client.get(job_url(job, "download")).status_code == 404

    job = run_all(job)
    done = client.get(job_url(job)).content.decode()
    response = client.get(job_url(job, "download"))

    assert job.state == Job.State.DONE
    assert job_url(job, "download") in done and 'http-equiv="refresh"' not in done
    assert "3 Briefe mit neuem Code." in done
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="registrierungsbriefe-')
    letters = pages(b"".join(response.streaming_content))
    assert len(letters) == 3
    assert all(any(f"Brief{i}" in text for text in letters) for i in range(3))
    batch = LetterBatch.objects.get()
    assert (batch.letter_count, batch.source, batch.created_by) == (
        3,
        LetterBatch.Source.ADMIN,
        clerks["Kundenservice"],
    )
    assert job.counts == {"letters": 3, "skipped": 0}
    # The parts held the same codes; only the one PDF remains.
    assert not any(c.result_file for c in job.chunks.all())


def test_only_the_starter_and_customer_service_download_the_letters(client, clerks):
    job = run_all(
        job_start(
            kind=KEY,
            scope="selection:x",
            params={"tenant_ids": [TenantFactory(user=None).pk]},
            by=clerks["Kundenservice"],
        )
    )
    url = job_url(job, "download")
    colleague = StaffFactory()
    colleague.groups.add(Group.objects.get(name="Kundenservice"))

    client.force_login(colleague)
    assert client.get(url).status_code == 200
    client.force_login(clerks["Technik"])
    assert client.get(url).status_code == 403
    client.force_login(clerks["Mietenbuchhaltung"])
    assert client.get(url).status_code == 404
    client.force_login(TenantFactory().user)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("group", ["Technik", "Mietenbuchhaltung"])
def test_technik_and_accounting_may_not_start_letters(client, clerks, group):
    tenant = TenantFactory(user=None)
    client.force_login(clerks[group])

    response = press_letters_action(client, [tenant])
    with pytest.raises(JobError):
        job_start(kind=KEY, scope="x", params={"tenant_ids": [tenant.pk]}, by=clerks[group])

    assert response.status_code == 200  # the action is not offered: the list again
    assert not Job.objects.exists() and not RegistrationCode.objects.exists()


def test_a_second_letters_job_for_the_same_property_is_refused_in_german(clerks):
    contract = ContractFactory(partners=[TenantFactory(user=None)])
    prop = contract.unit.property
    params = {"unregistered": True, "property_id": prop.pk}
    job_start(kind=KEY, scope=f"property:{prop.pk}", params=params, by=clerks["Kundenservice"])

    with translation.override("de"), pytest.raises(JobError) as refused:
        job_start(kind=KEY, scope=f"property:{prop.pk}", params=params, by=clerks["Kundenservice"])

    assert refused.value.message == (
        f"Ein Auftrag dieser Art (Registrierungsbriefe) läuft bereits für property:{prop.pk}. "
        "Bitte warten Sie, bis er fertig ist."
    )


def test_the_same_selection_twice_is_refused_while_the_first_runs(client, clerks):
    client.force_login(clerks["Kundenservice"])
    tenants = [TenantFactory(user=None) for _ in range(2)]
    press_letters_action(client, tenants)

    response = press_letters_action(client, tenants)

    assert Job.objects.count() == 1
    assert response.status_code == 302
    listing = client.get(response["Location"]).content.decode()
    assert "läuft bereits" in listing


def test_the_property_job_takes_the_tenants_who_need_a_letter_when_it_starts(clerks):
    needs = TenantFactory(user=None)
    contract = ContractFactory(partners=[needs])
    has_code = TenantFactory(user=None)
    ContractFactory(partners=[has_code], unit__property=contract.unit.property)
    registration_code_issue(tenant=has_code)
    registered = TenantFactory()
    ContractFactory(partners=[registered], unit__property=contract.unit.property)
    elsewhere = TenantFactory(user=None)
    ContractFactory(partners=[elsewhere])
    prop = contract.unit.property

    job = job_start(
        kind=KEY,
        scope=f"property:{prop.pk}",
        params={"unregistered": True, "property_id": prop.pk},
        by=clerks["Kundenservice"],
    )
    TenantFactory(user=None)  # arrives later: not part of this job
    job = run_all(job)

    assert [c.payload["tenant_ids"] for c in job.chunks.all()] == [[needs.pk]]
    assert job.counts == {"letters": 1, "skipped": 0}


def test_a_tenant_who_registers_meanwhile_gets_no_letter(clerks, small_parts):
    tenants = [TenantFactory(user=None) for _ in range(2)]
    job = job_start(
        kind=KEY,
        scope="s",
        params={"tenant_ids": [t.pk for t in tenants]},
        by=clerks["Kundenservice"],
    )
    Tenant.objects.filter(pk=tenants[0].pk).update(user=UserFactory())

    job = run_all(job)

    assert job.counts == {"letters": 1, "skipped": 1}
    assert "hat inzwischen einen Zugang" in job.report
    assert not RegistrationCode.objects.filter(tenant=tenants[0]).exists()


def test_nothing_to_do_is_said_and_starts_no_job(client, clerks):
    client.force_login(clerks["Kundenservice"])
    with pytest.raises(JobError) as refused:
        job_start(
            kind=KEY,
            scope="all-unregistered",
            params={"unregistered": True},
            by=clerks["Kundenservice"],
        )
    assert refused.value.code == "no_tenants"
    assert not Job.objects.exists() and not LetterBatch.objects.exists()


# A worker killed in the middle


def test_a_killed_worker_the_job_finishes_after_the_sweep_with_each_letter_once(
    clerks, small_parts, settings, monkeypatch
):
    settings.JOBS_RUN_IN_THREAD = False  # Celery, eager in tests: resumed chunks run here
    tenants = [TenantFactory(user=None) for _ in range(6)]
    for tenant in tenants:
        registration_code_issue(tenant=tenant)  # the older letter
    job = job_start(
        kind=KEY,
        scope="selection:6",
        params={"tenant_ids": [t.pk for t in tenants]},
        by=clerks["Kundenservice"],
    )
    first, second, third = job.chunks.order_by("index")
    job_run_chunk(chunk_id=first.pk)

    # The second part dies while rendering, after its codes were issued: rolled back.
    def printer_on_fire(*args, **kwargs):
        raise OSError("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr("registration.services.render_pdf_pages", printer_on_fire)
        with pytest.raises(OSError):
            job_run_chunk(chunk_id=second.pk)
    second.refresh_from_db()
    assert second.state == JobChunk.State.PENDING and second.attempts == 1
    assert not RegistrationCode.objects.filter(
        tenant__in=second.payload["tenant_ids"], batch__isnull=False
    ).exists()
    # The third was taken by a worker that was killed: RUNNING, and minutes old.
    JobChunk.objects.filter(pk=third.pk).update(state=JobChunk.State.RUNNING, attempts=1)
    old = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(created_at=old)
    JobChunk.objects.filter(job=job).update(started_at=old)
    JobChunk.objects.filter(pk=first.pk).update(finished_at=old)

    assert job_sweep() == 2

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert_exactly_once(tenants, older_codes=1)
    assert job.counts["letters"] == 6
    assert LetterBatch.objects.get().letter_count == 6
    with job.result_file.open("rb") as handle:
        assert len(pages(handle.read())) == 6
    assert job_sweep() == 0


# Embedded mode: the admin request returns, a thread writes the letters


@pytest.mark.django_db(transaction=True)
def test_embedded_the_admin_request_returns_before_the_letters_are_written(
    client, clerks, settings, monkeypatch
):
    settings.JOBS_RUN_IN_THREAD = None  # as embedded: Celery eager → a thread
    gate = threading.Event()
    issue_part = letter_jobs.registration_letters_issue_part

    def held(**kwargs):
        gate.wait(20)
        return issue_part(**kwargs)

    monkeypatch.setattr(letter_jobs, "registration_letters_issue_part", held)
    tenants = [TenantFactory(user=None) for _ in range(3)]
    client.force_login(clerks["Kundenservice"])

    response = press_letters_action(client, tenants)

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert not RegistrationCode.objects.exists()
    thread = jobs_module._threads[job.pk]
    gate.set()
    thread.join(30)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert_exactly_once(tenants, older_codes=0)
    assert client.get(job_url(job, "download")).status_code == 200


# A real worker, killed for real (needs Redis and PostgreSQL; CI has both)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL") and not CI, reason="needs REDIS_URL (CI)")
def test_a_real_worker_killed_mid_job_and_a_new_one_finish_each_letter_once(
    clerks, settings, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database: PostgreSQL")
    from config import settings as settings_package
    from config.celery_app import app as celery_app

    # Files where the worker process writes them too (config/settings/test.py).
    settings.MEDIA_ROOT = Path(settings_package.__path__[0]).parent.parent / "var" / "test-media"
    settings.JOBS_RUN_IN_THREAD = False
    monkeypatch.setattr(letter_jobs, "CHUNK_SIZE", 10)
    celery_app.conf.update(task_always_eager=False, broker_url=os.environ["REDIS_URL"])
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.control.purge()
    tenants = [TenantFactory(user=None) for _ in range(60)]
    for tenant in tenants[:30]:
        registration_code_issue(tenant=tenant)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config.celery_app",
        "worker",
        "--pool=prefork",
        "--concurrency=2",
        "--loglevel=WARNING",
        "--without-mingle",
        "--without-gossip",
    ]

    def worker():
        return subprocess.Popen(
            command, env=env, cwd=django_settings.BASE_DIR, start_new_session=True
        )

    first = worker()
    try:
        job = job_start(
            kind=KEY,
            scope="selection:worker",
            params={"tenant_ids": [t.pk for t in tenants]},
            by=clerks["Kundenservice"],
        )
        assert job.chunks_total == 6
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.chunks_done >= 2:
                break
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        job.refresh_from_db()
        assert 2 <= job.chunks_done < job.chunks_total, list(
            job.chunks.values_list("index", "state", "attempts", "error", "started_at")
        )
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)

    second = worker()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and job.state != Job.State.DONE:
            job_sweep(stale_after_seconds=1)  # as beat does every minute
            time.sleep(2)
            job.refresh_from_db()
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
        celery_app.conf.task_always_eager = True

    assert job.state == Job.State.DONE, (job.state, job.error)
    assert_exactly_once(tenants[:30], older_codes=1)
    assert_exactly_once(tenants[30:], older_codes=0)
    assert job.counts["letters"] == 60
    assert LetterBatch.objects.get().letter_count == 60
    with job.result_file.open("rb") as handle:
        assert len(pages(handle.read())) == 60
    job.result_file.delete(save=False)


def test_the_letters_pdf_is_deleted_after_its_keeping_time(
    client, clerks, small_parts, settings, django_capture_on_commit_callbacks
):
    from tenants.jobs import job_results_purge

    client.force_login(clerks["Kundenservice"])
    press_letters_action(client, [TenantFactory(user=None) for _ in range(3)])
    job = run_all(Job.objects.get())
    name = job.result_file.name
    storage = job.result_file.storage
    days = letter_jobs.LETTERS_JOB.keep_result_days
    assert days == settings.PORTAL_LETTER_RESULT_DAYS

    # Within the keeping time the file stays; after it the codes in it are gone for good.
    assert job_results_purge(now=job.finished_at + timedelta(days=days - 1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert job_results_purge(now=job.finished_at + timedelta(days=days + 1)) == 1

    job.refresh_from_db()
    assert not job.result_file and not storage.exists(name)
    with translation.override("de"):
        assert f"nach {days} Tagen gelöscht" in str(job.report)
    assert client.get(job_url(job, "download")).status_code in (403, 404)
    assert job.counts  # the row keeps what was done


def test_a_failed_letter_job_revokes_the_codes_it_printed_nowhere(
    clerks, small_parts, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Letters are printed from the whole PDF only: when a later part fails for good, the codes
    of the finished parts were never sent, so they stop working and the tenants need a letter
    again; the part PDFs with their plain codes are deleted."""
    from registration.services import tenants_needing_letters

    settings.JOBS_CHUNK_MAX_ATTEMPTS = 1
    tenants = [TenantFactory(user=None) for _ in range(4)]
    job = job_start(
        kind=KEY,
        scope="selection:4",
        params={"tenant_ids": [t.pk for t in tenants]},
        by=clerks["Kundenservice"],
    )
    first, second = job.chunks.order_by("index")
    job_run_chunk(chunk_id=first.pk)
    first.refresh_from_db()
    part, storage = first.result_file.name, first.result_file.storage
    assert storage.exists(part)

    with monkeypatch.context() as patch:
        patch.setattr(
            "registration.services.render_pdf_pages",
            lambda *a, **k: (_ for _ in ()).throw(OSError("printer on fire")),
        )
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(OSError):
            job_run_chunk(chunk_id=second.pk)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert not RegistrationCode.objects.filter(tenant__in=tenants, revoked_at__isnull=True).exists()
    assert set(tenants_needing_letters()) >= set(tenants)
    assert not storage.exists(part)
    with translation.override("de"):
        assert "2 bereits erzeugte Codes wurden zurückgezogen" in job.report
