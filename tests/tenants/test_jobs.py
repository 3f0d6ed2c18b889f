"""Long jobs (tenants/jobs.py) with a kind of their own: chunks, exactly once, the sweeper,
the admin's job page and download, and who sees whose jobs. The registration letters as a
job are in tests/registration/test_letter_jobs.py."""

import io
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from tenants import jobs as jobs_module
from tenants import registry
from tenants.jobs import (
    JobError,
    job_list_for,
    job_run_chunk,
    job_start,
    job_sweep,
)
from tenants.models import AuditEntry, Job, JobChunk
from tenants.registry import JobKind
from tests.tenants.factories import StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

KIND = "test_items"
# Any permission customer service has and the other groups lack.
PERMISSION = "tenants.change_tenant"


def _plan(job):
    items = list(range(job.params["items"]))
    size = job.params.get("size", 2)
    return [{"items": items[i : i + size]} for i in range(0, len(items), size)]


# Set by a test to hold a chunk in the middle of its work (the embedded thread).
GATE: dict[str, threading.Event] = {}


def _run_chunk(job, chunk):
    if "gate" in GATE:
        GATE["gate"].wait(10)
    if chunk.index in job.params.get("fail", []):
        # Work done before the error must vanish with the rollback.
        AuditEntry.objects.create(action="test.item", object_type="test", object_id="lost")
        raise RuntimeError("Drucker kaputt")
    for item in chunk.payload["items"]:
        AuditEntry.objects.create(
            action="test.item", object_type="test", object_id=f"{job.pk}:{item}"
        )
    chunk.result_file.save(
        f"part-{chunk.index}.txt",
        ContentFile(",".join(map(str, chunk.payload["items"])).encode()),
        save=False,
    )
    return {"items": len(chunk.payload["items"])}


def _finish(job):
    parts = []
    for chunk in job.chunks.order_by("index"):
        with chunk.result_file.open("rb") as handle:
            parts.append(handle.read())
    job.result_file.save("ergebnis.txt", ContentFile(b"\n".join(parts)), save=False)
    job.report = f"{job.counts['items']} Posten"


@pytest.fixture(autouse=True)
def items_kind(monkeypatch):
    monkeypatch.setattr(registry, "_job_kinds", list(registry._job_kinds))
    kind = JobKind(
        key=KIND,
        label="Testposten",
        permission=PERMISSION,
        plan=_plan,
        run_chunk=_run_chunk,
        finish=_finish,
        chunk_size=2,
    )
    registry.register_job_kind(kind)
    GATE.clear()
    return kind


@pytest.fixture
def clerks():
    call_command("sync_clerk_groups", stdout=io.StringIO())
    made = {}
    for name in ("Kundenservice", "Mietenbuchhaltung", "Technik"):
        clerk = StaffFactory()
        clerk.groups.add(Group.objects.get(name=name))
        made[name] = clerk
    return made


def _start(by, *, items=5, scope="all", **params):
    return job_start(kind=KIND, scope=scope, params={"items": items, **params}, by=by)


def _run_all(job):
    for chunk in job.chunks.order_by("index"):
        job_run_chunk(chunk_id=chunk.pk)
    job.refresh_from_db()
    return job


def _items(job):
    return sorted(
        AuditEntry.objects.filter(
            action="test.item", object_id__startswith=f"{job.pk}:"
        ).values_list("object_id", flat=True)
    )


# Starting


def test_job_start_creates_the_job_and_its_chunks_and_returns_before_they_run(
    clerks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _start(clerks["Kundenservice"], items=5)

    assert job.state == Job.State.QUEUED
    assert job.chunks_total == 3
    assert [c.payload["items"] for c in job.chunks.order_by("index")] == [[0, 1], [2, 3], [4]]
    assert set(job.chunks.values_list("state", flat=True)) == {JobChunk.State.PENDING}
    assert len(callbacks) == 1  # the dispatch waits for the commit
    assert not _items(job)
    started = AuditEntry.objects.get(action="job.started")
    assert started.actor == clerks["Kundenservice"] and started.object_id == str(job.pk)


def test_job_start_dispatches_one_task_per_chunk_to_the_workers(
    clerks, settings, django_capture_on_commit_callbacks
):
    from tenants.tasks import job_chunk_task

    settings.JOBS_RUN_IN_THREAD = False
    with (
        mock.patch.object(job_chunk_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = _start(clerks["Kundenservice"], items=5)

    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(
        job.chunks.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("group", ["Technik", "Mietenbuchhaltung"])
def test_only_clerks_with_the_kinds_permission_may_start_it(clerks, group):
    with pytest.raises(JobError) as refused:
        _start(clerks[group])

    assert refused.value.code == "forbidden"
    assert not Job.objects.exists()


def test_a_second_job_of_the_kind_for_the_same_scope_is_refused_in_german(clerks):
    first = _start(clerks["Kundenservice"], scope="property:7")

    with translation.override("de"), pytest.raises(JobError) as refused:
        _start(clerks["Kundenservice"], scope="property:7")

    assert refused.value.code == "already_running"
    assert "läuft bereits für property:7" in refused.value.message
    assert Job.objects.count() == 1
    _start(clerks["Kundenservice"], scope="property:8")  # another scope may run alongside
    _run_all(first)
    _start(clerks["Kundenservice"], scope="property:7")  # and the same once the first is done


def test_the_database_refuses_a_second_running_job_even_past_the_check(clerks):
    from django.db import IntegrityError, transaction

    _start(clerks["Kundenservice"], scope="property:7")

    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=KIND, scope="property:7", state=Job.State.RUNNING)


# Running


def test_every_chunk_runs_once_and_the_last_one_finishes_the_job(clerks):
    job = _start(clerks["Kundenservice"], items=5)

    job = _run_all(job)
    for chunk in job.chunks.all():  # a message delivered twice, a sweep too many
        job_run_chunk(chunk_id=chunk.pk)

    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.finished_at
    assert (job.chunks_done, job.progress_percent) == (3, 100)
    assert job.counts == {"items": 5}
    assert job.report == "5 Posten"
    assert job.result_file.read() == b"0,1\n2,3\n4"
    assert _items(job) == [f"{job.pk}:{i}" for i in range(5)]
    assert set(job.chunks.values_list("attempts", flat=True)) == {1}


def test_progress_counts_the_finished_chunks(clerks):
    job = _start(clerks["Kundenservice"], items=8)
    first = job.chunks.get(index=0)

    job_run_chunk(chunk_id=first.pk)

    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and job.started_at
    assert (job.chunks_done, job.chunks_total, job.progress_percent) == (1, 4, 25)


def test_a_failing_chunk_is_rolled_back_retried_and_finally_fails_the_job(clerks, settings):
    settings.JOBS_CHUNK_MAX_ATTEMPTS = 2
    job = _start(clerks["Kundenservice"], items=4, fail=[1])
    bad = job.chunks.get(index=1)

    with pytest.raises(RuntimeError):
        job_run_chunk(chunk_id=bad.pk)
    bad.refresh_from_db()
    assert bad.state == JobChunk.State.PENDING  # the next attempt may work
    assert bad.error == "RuntimeError: Drucker kaputt"
    assert not AuditEntry.objects.filter(object_id="lost").exists()

    with pytest.raises(RuntimeError):
        job_run_chunk(chunk_id=bad.pk)
    job_run_chunk(chunk_id=job.chunks.get(index=0).pk)

    bad.refresh_from_db()
    job.refresh_from_db()
    assert bad.state == JobChunk.State.FAILED and bad.attempts == 2
    assert job.state == Job.State.FAILED
    assert job.error == "2: RuntimeError: Drucker kaputt"
    assert _items(job) == []  # a failed job runs no further chunk
    _start(clerks["Kundenservice"], items=4)  # and no longer blocks its scope


# A worker that died


def _age(queryset, **fields):
    old = timezone.now() - timedelta(minutes=10)
    queryset.update(**dict.fromkeys(fields, old))


def test_the_sweeper_resumes_the_chunks_of_dead_workers_and_leaves_live_ones(clerks, settings):
    settings.JOBS_RUN_IN_THREAD = False  # Celery, eager in tests: the sweep runs them here
    job = _start(clerks["Kundenservice"], items=6)
    first, second, _third = job.chunks.order_by("index")
    job_run_chunk(chunk_id=first.pk)
    # A worker died after taking the second chunk; the third never reached a worker.
    JobChunk.objects.filter(pk=second.pk).update(state=JobChunk.State.RUNNING, attempts=1)
    _age(Job.objects.filter(pk=job.pk), created_at=True)
    _age(JobChunk.objects.filter(job=job), started_at=True, finished_at=True)
    # Another job, just started: its chunks wait in the queue and are left alone.
    fresh = _start(clerks["Kundenservice"], items=2, scope="other")

    resumed = job_sweep(stale_after_seconds=120)

    assert resumed == 2
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert _items(job) == [f"{job.pk}:{i}" for i in range(6)]
    assert dict(job.chunks.values_list("index", "attempts")) == {0: 1, 1: 2, 2: 1}
    assert fresh.chunks.get().state == JobChunk.State.PENDING
    assert job_sweep(stale_after_seconds=120) == 0


def test_the_sweeper_leaves_a_chunk_a_worker_is_still_on(clerks, settings):
    settings.JOBS_RUN_IN_THREAD = False
    job = _start(clerks["Kundenservice"], items=2)
    JobChunk.objects.filter(job=job).update(
        state=JobChunk.State.RUNNING, started_at=timezone.now(), attempts=1
    )

    assert job_sweep(stale_after_seconds=120) == 0


def test_a_chunk_that_kills_every_worker_fails_the_job(clerks, settings):
    settings.JOBS_CHUNK_MAX_ATTEMPTS = 3
    job = _start(clerks["Kundenservice"], items=2)
    JobChunk.objects.filter(job=job).update(state=JobChunk.State.RUNNING, attempts=3)
    _age(JobChunk.objects.filter(job=job), started_at=True)

    assert job_sweep(stale_after_seconds=120) == 0

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "the worker stopped during every attempt" in job.error


# Embedded mode: a thread of the same process


@pytest.mark.django_db(transaction=True)
def test_embedded_job_start_returns_at_once_and_a_thread_finishes_the_job(clerks, settings):
    settings.JOBS_RUN_IN_THREAD = None  # as embedded: Celery eager → thread
    GATE["gate"] = threading.Event()

    job = _start(clerks["Kundenservice"], items=4)

    thread = jobs_module._threads[job.pk]
    assert thread.is_alive()  # held at the first chunk: job_start did not wait for it
    assert _items(job) == []
    GATE["gate"].set()
    thread.join(20)
    assert not thread.is_alive()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert _items(job) == [f"{job.pk}:{i}" for i in range(4)]
    assert job.pk not in jobs_module._threads


# The admin: the job's page, the download, who sees whose jobs


def _job_url(job, page="change"):
    return reverse(f"admin:tenants_job_{page}", args=[job.pk])


def test_the_job_page_shows_progress_and_refreshes_while_running(client, clerks):
    job = _start(clerks["Kundenservice"], items=4)
    job_run_chunk(chunk_id=job.chunks.get(index=0).pk)
    client.force_login(clerks["Kundenservice"])

    html = client.get(_job_url(job)).content.decode()

    assert '<progress max="100" value="50">' in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "1 von 2 Teilen fertig" in html
    assert _job_url(job, "download") not in html


def test_a_finished_job_shows_its_counts_report_and_download(client, clerks):
    job = _run_all(_start(clerks["Kundenservice"], items=3))
    client.force_login(clerks["Kundenservice"])

    html = client.get(_job_url(job)).content.decode()

    assert 'http-equiv="refresh"' not in html
    assert "items: 3" in html and "3 Posten" in html
    assert _job_url(job, "download") in html


def test_the_starter_downloads_the_result_as_an_attachment(client, clerks):
    job = _run_all(_start(clerks["Kundenservice"], items=3))
    client.force_login(clerks["Kundenservice"])

    response = client.get(_job_url(job, "download"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"0,1\n2"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    from tenants.models import AuditEntry

    taken = AuditEntry.objects.get(action="job.result_downloaded")
    assert (taken.actor, taken.object_id) == (clerks["Kundenservice"], str(job.pk))


def test_no_download_before_the_job_is_done(client, clerks):
    job = _start(clerks["Kundenservice"], items=3)
    client.force_login(clerks["Kundenservice"])

    assert client.get(_job_url(job, "download")).status_code == 404


def test_technik_and_tenants_cannot_open_a_job_or_its_result(client, clerks):
    job = _run_all(_start(clerks["Kundenservice"], items=3))
    client.force_login(clerks["Technik"])
    assert client.get(_job_url(job, "download")).status_code == 403
    assert client.get(_job_url(job)).status_code == 403
    assert client.get(reverse("admin:tenants_job_changelist")).status_code == 403

    client.force_login(TenantFactory().user)
    response = client.get(_job_url(job, "download"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_clerk_without_the_kind_does_not_see_a_colleagues_job(client, clerks):
    job = _run_all(_start(clerks["Kundenservice"], items=3))
    client.force_login(clerks["Mietenbuchhaltung"])

    assert client.get(_job_url(job, "download")).status_code == 404
    assert client.get(_job_url(job)).status_code == 302  # "does not exist"
    listing = client.get(reverse("admin:tenants_job_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []


def test_who_sees_which_jobs(clerks):
    service, accounting = clerks["Kundenservice"], clerks["Mietenbuchhaltung"]
    colleague = StaffFactory()
    colleague.groups.add(Group.objects.get(name="Kundenservice"))
    mine = _start(service, scope="a")
    theirs = _start(colleague, scope="b")
    # Started by accounting while it could (e.g. before a change of groups).
    own = Job.objects.create(kind=KIND, scope="c", created_by=accounting)
    other_kind = Job.objects.create(kind="unknown_kind", scope="d", created_by=colleague)
    boss = StaffFactory(is_superuser=True)

    assert set(job_list_for(user=service)) == {mine, theirs, own}
    assert set(job_list_for(user=accounting)) == {own}
    assert set(job_list_for(user=clerks["Technik"])) == set()
    assert set(job_list_for(user=boss)) == {mine, theirs, own, other_kind}
    assert set(job_list_for(user=TenantFactory().user)) == set()


def test_the_job_list_shows_kind_scope_starter_state_and_progress(client, clerks):
    job = _start(clerks["Kundenservice"], items=4, scope="property:1001")
    job_run_chunk(chunk_id=job.chunks.get(index=0).pk)
    client.force_login(clerks["Kundenservice"])

    html = client.get(reverse("admin:tenants_job_changelist")).content.decode()

    assert "Testposten" in html and "property:1001" in html
    assert "Läuft" in html and "50 % (1/2)" in html


def test_job_started_response_says_so_and_shows_the_job(rf, clerks):
    from django.contrib.messages.storage.fallback import FallbackStorage

    job = _start(clerks["Kundenservice"])
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    with translation.override("de"):
        response = jobs_module.job_started_response(request, job)

    assert response.status_code == 302 and response["Location"] == _job_url(job)
    assert [str(m) for m in request._messages] == [
        "Auftrag gestartet: Testposten. Diese Seite zeigt den Fortschritt."
    ]


def test_resume_jobs_runs_what_a_restart_left_behind(clerks, django_capture_on_commit_callbacks):
    # Embedded: the process that ran the thread was restarted before the job finished.
    with django_capture_on_commit_callbacks(execute=False):
        job = _start(clerks["Kundenservice"], items=3)
    JobChunk.objects.filter(job=job, index=0).update(
        state=JobChunk.State.RUNNING, started_at=timezone.now(), attempts=1
    )
    out = io.StringIO()

    call_command("resume_jobs", "--stale-after", "0", stdout=out)

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert _items(job) == [f"{job.pk}:{i}" for i in range(3)]
    assert out.getvalue().startswith("2 part(s)")
