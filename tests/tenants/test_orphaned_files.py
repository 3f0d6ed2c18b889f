"""No stored file without a row: rollbacks delete what they stored, the cleanup the rest."""

import io
import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from PIL import Image

from documents.models import Document
from documents.services import document_publish
from requests.attachments import CheckedFile, make_thumbnail
from requests.models import Attachment, Category
from requests.services import request_create
from tenants.models import Job
from tests.tenants.factories import ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def statement(tenant, number="1001-W01-01"):
    return document_publish(
        tenants=[tenant],
        kind="betriebskostenabrechnung",
        title="Betriebskostenabrechnung 2025",
        year=2025,
        period="2025",
        content=PDF,
        filename=f"{number}.pdf",
        contract_number=number,
        notify=False,
    )


def make_old(path: Path, hours: float = 2) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_statement_a_parallel_run_published_first_leaves_no_file(settings):
    tenant = TenantFactory()
    statement(tenant)
    assert len(stored_files(settings)) == 1

    with pytest.raises(IntegrityError):
        statement(tenant)  # the unique constraint decides: the other run was first

    assert Document.objects.count() == 1
    assert stored_files(settings) == [Path(settings.MEDIA_ROOT) / Document.objects.get().file.name]


def test_a_publication_that_fails_after_storing_leaves_no_file(settings):
    tenant = TenantFactory()
    with (
        mock.patch("documents.services.audit_log", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        statement(tenant)

    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_request_that_fails_after_storing_attachments_leaves_no_file(settings):
    tenant = TenantFactory()
    ContractFactory(partners=[tenant])
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    photo = SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")
    checked = CheckedFile(
        upload=photo, content_type="image/jpeg", thumbnail=make_thumbnail(buffer.getvalue())
    )
    assert checked.thumbnail is not None
    with (
        mock.patch("requests.services.audit_log", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        request_create(
            tenant=tenant,
            category=Category.objects.get(name="Wasser/Sanitär"),
            message="Wasser unter der Spüle",
            files=[checked],
            user=tenant.user,
        )

    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.fixture
def media(settings):
    """A referenced document, an old orphan, a young orphan and an old job part file."""
    tenant = TenantFactory()
    document = statement(tenant)
    root = Path(settings.MEDIA_ROOT)
    referenced = root / document.file.name
    orphan = root / "documents/2026/01/0123456789abcdef"
    young = root / "requests/2026/11/fedcba9876543210"
    job_orphan = root / "jobs/2026/01/parts/letters.pdf"
    for path in (orphan, young, job_orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
    for path in (referenced, orphan, job_orphan):
        make_old(path)
    return referenced, orphan, young, job_orphan


def test_cleanup_dry_run_lists_orphans_and_deletes_nothing(media, capsys):
    referenced, _orphan, young, _job_orphan = media

    call_command("cleanup_orphaned_files", "--dry-run")

    out = capsys.readouterr().out
    assert "documents/2026/01/0123456789abcdef" in out
    assert "jobs/2026/01/parts/letters.pdf" in out
    assert str(young.name) not in out and referenced.name not in out
    assert all(p.exists() for p in media)


def test_cleanup_deletes_old_orphans_and_keeps_referenced_and_young_files(media, capsys):
    referenced, orphan, young, job_orphan = media

    call_command("cleanup_orphaned_files")

    assert not orphan.exists() and not job_orphan.exists()
    assert referenced.exists() and young.exists()
    assert "2 orphaned file(s) deleted" in capsys.readouterr().out


def test_cleanup_keeps_a_job_result_file_a_row_refers_to(media, settings):
    job_orphan = media[3]
    job = Job.objects.create(kind="registration_letters", scope="test")
    job.result_file.save("result.pdf", ContentFile(PDF), save=True)
    result = Path(settings.MEDIA_ROOT) / job.result_file.name
    make_old(result)

    call_command("cleanup_orphaned_files")

    assert result.exists() and not job_orphan.exists()


def test_cleanup_runs_daily_from_the_beat(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "tenants.tasks.orphaned_files_cleanup_task" in entries
