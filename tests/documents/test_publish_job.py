"""Bulk publishing from the admin as a job (documents/jobs.py), as the real clerk groups.

Tests run Celery eagerly and keep everything in one transaction, so the job's chunks never run
on their own here: the after-commit dispatch is not executed unless a test asks for it. The
tests drive the runner themselves (`job_run_chunk`, `job_sweep`) and run the on-commit
callbacks (mail) with `django_capture_on_commit_callbacks`.
"""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents import jobs as publish_jobs
from documents.models import Delivery, Document, PublishBatch
from tenants.jobs import job_list_for, job_run_chunk, job_sweep
from tenants.models import Job, JobChunk, OutboundEmail
from tenants.registry import job_kind
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UPLOAD_URL = "admin:documents_document_upload"
# Two files per chunk: six files make three chunks. Maria's flat and garage are the first and
# the fourth file; the plan puts them into one chunk, which sends her one notice for both.
FILES = [
    ("1001-W01-01.pdf", PDF),  # Maria and Hans
    ("1001-W02-01.pdf", PDF),  # Paula, no account: paper
    ("1001-W03-01.pdf", PDF),  # Fritz
    ("1001-G01-01.pdf", PDF),  # Maria's garage
    ("9999-X-01.pdf", PDF),  # no such contract
    ("1001-W04-01.pdf", b"no pdf at all"),  # Wilma's file is broken
]


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    monkeypatch.setattr(publish_jobs, "CHUNK_SIZE", 2)


@pytest.fixture
def clerk():
    call_command("sync_clerk_groups", stdout=io.StringIO())

    def make(group: str):
        user = StaffFactory()
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def tenants():
    maria = TenantFactory(paperless=True, first_name="Maria")
    hans = TenantFactory(first_name="Hans")  # an account, but no paperless consent
    paula = TenantFactory(user=None, first_name="Paula")
    fritz = TenantFactory(paperless=True, first_name="Fritz")
    wilma = TenantFactory(paperless=True, first_name="Wilma")
    ContractFactory(partners=[maria, hans], contract_number="1001-W01-01")
    ContractFactory(partners=[paula], contract_number="1001-W02-01")
    ContractFactory(partners=[fritz], contract_number="1001-W03-01")
    ContractFactory(partners=[maria], contract_number="1001-G01-01")
    ContractFactory(partners=[wilma], contract_number="1001-W04-01")
    return {"maria": maria, "hans": hans, "paula": paula, "fritz": fritz, "wilma": wilma}


def _upload(client, files=FILES, **data):
    return client.post(
        reverse(UPLOAD_URL),
        {
            "kind": "betriebskostenabrechnung",
            "period": "2025",
            "title": "",
            "files": [SimpleUploadedFile(name, content) for name, content in files],
            **data,
        },
    )


def _uploads_on_disk(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / publish_jobs.UPLOAD_DIR
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _run(job: Job, django_capture_on_commit_callbacks) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        for chunk in job.chunks.order_by("index"):
            job_run_chunk(chunk_id=chunk.pk)
    job.refresh_from_db()
    return job


def test_bulk_upload_starts_a_job_and_returns_at_once(client, clerk, tenants, settings):
    client.force_login(clerk("Mietenbuchhaltung"))

    response = _upload(client)

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tenants_job_change", args=[job.pk])
    assert job.kind == "publish_documents" and job.state == Job.State.QUEUED
    assert job.scope == "publish:betriebskostenabrechnung:2025"
    assert job.chunks.count() == 3
    # Nothing is published inside the request; the files wait in private storage under
    # random names, their own names are in the job.
    assert Document.objects.count() == 0 and mail.outbox == []
    assert [entry["filename"] for entry in job.params["files"]] == [n for n, _ in FILES]
    stored = _uploads_on_disk(settings)
    assert len(stored) == len(FILES)
    assert not any(path.name.endswith(".pdf") for path in stored)


def test_publish_job_delivers_reports_problems_and_notifies_each_tenant_once(
    client, clerk, tenants, settings, django_capture_on_commit_callbacks
):
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)

    job = _run(Job.objects.get(), django_capture_on_commit_callbacks)

    assert job.state == Job.State.DONE and job.progress_percent == 100
    assert job.counts == {
        "published": 4,
        "already_published": 0,
        "unknown_contract_number": 1,
        "not_a_pdf": 1,
    }
    # Every contract partner has the statement of their contract.
    maria, hans, paula = tenants["maria"], tenants["hans"], tenants["paula"]
    assert set(maria.deliveries.values_list("document__contract_number", flat=True)) == {
        "1001-W01-01",
        "1001-G01-01",
    }
    assert hans.deliveries.get().document.contract_number == "1001-W01-01"
    assert paula.deliveries.get().electronic is False
    assert not tenants["wilma"].deliveries.exists()
    # One notice per tenant for the whole upload, for both of Maria's documents.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [maria.user.email, tenants["fritz"].user.email]
    )
    maria_mail = next(m for m in mail.outbox if m.to == [maria.user.email])
    assert "2 neue Dokumente" in maria_mail.subject
    # The report names the problems; the download lists every file.
    assert "9999-X-01.pdf: unbekannte Vertragsnummer" in job.report
    assert "1001-W04-01.pdf: kein PDF" in job.report
    assert "Veröffentlicht: 4" in job.report
    assert "per E-Mail: 2" in job.report and "auf Papier zu senden: 2" in job.report
    with job.result_file.open("rb") as result:
        rows = list(csv.reader(io.StringIO(result.read().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + len(FILES)
    assert ["9999-X-01.pdf", "unbekannte Vertragsnummer"] in rows
    batch = PublishBatch.objects.get()
    assert (batch.source, batch.published, batch.skipped, batch.unmatched) == ("admin", 4, 0, 2)
    assert set(Document.objects.values_list("batch_id", flat=True)) == {batch.pk}
    # The uploaded files and the parts' reports are gone once the report is written.
    assert _uploads_on_disk(settings) == []
    assert not JobChunk.objects.filter(job=job).exclude(result_file="").exists()


def test_a_restarted_worker_publishes_nothing_twice_and_sends_no_second_notice(
    client, clerk, tenants, django_capture_on_commit_callbacks
):
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)
    job = Job.objects.get()
    first, second, _third = job.chunks.order_by("index")

    with django_capture_on_commit_callbacks(execute=True):
        job_run_chunk(chunk_id=first.pk)
        # The worker on the second part died in the middle: its transaction was rolled
        # back, so nothing of it is published, and the part still says RUNNING.
        JobChunk.objects.filter(pk=second.pk).update(
            state=JobChunk.State.RUNNING,
            attempts=1,
            started_at=timezone.now() - timedelta(minutes=10),
        )
        # The broker hands the first part out again (acks_late): it is done, nothing happens.
        job_run_chunk(chunk_id=first.pk)
        assert Document.objects.count() == 2  # the first part: Maria's W01 and G01
        # The sweeper resumes the job.
        assert job_sweep(stale_after_seconds=60) >= 1

    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert job.counts["published"] == 4 and job.chunks_done == 3
    assert JobChunk.objects.get(pk=second.pk).attempts == 2
    assert Document.objects.count() == 4
    assert Delivery.objects.count() == 5
    sent = sorted(m.to[0] for m in mail.outbox)
    assert sent == sorted([tenants["maria"].user.email, tenants["fritz"].user.email])

    # The kind's own chunk work is idempotent too: run again, it finds everything there.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        counts = job_kind("publish_documents").run_chunk(job, first)
    assert counts["published"] == 0 and counts["already_published"] == 2
    assert Document.objects.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sent


def test_second_upload_of_the_same_kind_and_period_waits_for_the_first(
    client, clerk, tenants, settings
):
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)
    colleague = clerk("Kundenservice")
    client.force_login(colleague)

    response = _upload(client, files=FILES[:1], title="Betriebskosten 2025")

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("läuft bereits" in m or "already running" in m for m in messages), messages
    # The form keeps what she typed (the browser cannot keep the files).
    form = response.context["form"]
    assert form["period"].value() == "2025" and form["title"].value() == "Betriebskosten 2025"
    assert Job.objects.count() == 1
    assert len(_uploads_on_disk(settings)) == len(FILES)  # hers were removed again


def test_another_period_may_run_at_the_same_time(client, clerk, tenants):
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)

    response = _upload(client, period="2024")

    assert response.status_code == 302
    assert Job.objects.filter(state=Job.State.QUEUED).count() == 2


def test_technik_can_neither_start_nor_see_a_publish_job(client, clerk, tenants, settings):
    technik = clerk("Technik")
    client.force_login(technik)

    assert _upload(client).status_code == 403
    assert not Job.objects.exists() and _uploads_on_disk(settings) == []

    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)
    job = Job.objects.get()
    client.force_login(technik)
    assert not job_list_for(user=technik).exists()
    assert client.get(reverse("admin:tenants_job_change", args=[job.pk])).status_code == 403
    assert client.get(reverse("admin:tenants_job_changelist")).status_code == 403


def test_kundenservice_sees_the_job_and_report_of_her_colleague(
    client, clerk, tenants, django_capture_on_commit_callbacks
):
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)
    job = _run(Job.objects.get(), django_capture_on_commit_callbacks)
    kundenservice = clerk("Kundenservice")
    client.force_login(kundenservice)

    assert list(job_list_for(user=kundenservice)) == [job]
    page = client.get(reverse("admin:tenants_job_change", args=[job.pk]))
    assert page.status_code == 200
    assert "9999-X-01.pdf" in page.content.decode()
    download = client.get(reverse("admin:tenants_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"1001-W04-01.pdf" in b"".join(download.streaming_content)


def test_the_tenant_finds_the_statement_in_meine_dokumente(
    client, clerk, tenants, django_capture_on_commit_callbacks
):
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)
    _run(Job.objects.get(), django_capture_on_commit_callbacks)
    client.force_login(tenants["fritz"].user)

    html = client.get(reverse("documents:index")).content.decode()

    document = Document.objects.get(contract_number="1001-W03-01")
    assert document.title in html
    assert client.get(reverse("documents:open", args=[document.pk])).status_code == 200


def test_upload_for_one_tenant_is_published_at_once_and_limited_to_a_few_files(
    client, clerk, tenants, django_capture_on_commit_callbacks
):
    client.force_login(clerk("Kundenservice"))
    maria = tenants["maria"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            client, files=[("brief.pdf", PDF)], kind="schreiben", tenant_number=maria.tenant_number
        )

    assert response.status_code == 302 and not Job.objects.exists()
    assert maria.deliveries.get().document.original_name == "brief.pdf"
    too_many = [(f"brief-{n}.pdf", PDF) for n in range(21)]
    response = _upload(client, files=too_many, kind="schreiben", tenant_number=maria.tenant_number)
    assert response.status_code == 200 and response.context["form"].errors["files"]
    assert maria.deliveries.count() == 1


def test_a_failed_publish_job_announces_what_it_published_and_says_the_rest_was_not(
    client, clerk, tenants, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.JOBS_CHUNK_MAX_ATTEMPTS = 1
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)
    job = Job.objects.get()
    first, second, _third = job.chunks.order_by("index")
    with django_capture_on_commit_callbacks(execute=True):
        job_run_chunk(chunk_id=first.pk)  # Maria's flat and garage (Hans: paper)

    def storage_gone(*args, **kwargs):
        raise OSError("storage unreachable")

    monkeypatch.setattr(publish_jobs, "documents_publish_by_contract_number", storage_gone)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OSError):
        job_run_chunk(chunk_id=second.pk)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    # Maria and Hans were told about what did reach them; the report says what to do.
    assert tenants["maria"].user.email in [m.to[0] for m in mail.outbox]
    assert "Laden Sie die Dateien erneut hoch" in job.report
    assert "Veröffentlicht: 2" in job.report
    assert _uploads_on_disk(settings) == []


def test_each_chunk_notifies_its_tenants_so_that_the_last_step_sends_nothing(
    client, clerk, tenants, django_capture_on_commit_callbacks
):
    client.force_login(clerk("Mietenbuchhaltung"))
    _upload(client)
    job = Job.objects.get()
    first, second, third = job.chunks.order_by("index")
    assert [entry["filename"] for entry in first.payload["files"]] == [
        "1001-W01-01.pdf",
        "1001-G01-01.pdf",
    ]
    maria, fritz = tenants["maria"].user.email, tenants["fritz"].user.email

    with django_capture_on_commit_callbacks(execute=True):
        job_run_chunk(chunk_id=first.pk)
    # Sent as soon as Maria's part is published, not after the whole upload.
    assert [m.to for m in mail.outbox] == [[maria]]
    assert "2 neue Dokumente" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        job_run_chunk(chunk_id=second.pk)
    assert [m.to for m in mail.outbox] == [[maria], [fritz]]

    queued = OutboundEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job_run_chunk(chunk_id=third.pk)  # the last part, then `finish`

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert OutboundEmail.objects.count() == queued and len(mail.outbox) == 2
    assert "per E-Mail: 2" in job.report and "auf Papier zu senden: 2" in job.report
