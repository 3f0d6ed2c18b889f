"""Backup and restore: proof of delivery must survive ten years, with every file it refers to."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from documents.models import Delivery, Document
from documents.services import document_publish
from requests.attachments import check_uploads
from requests.defaults import categories_ensure
from requests.models import Attachment, Category
from requests.services import request_create
from tenants.models import ChangeRecord, Tenant, User
from tests.tenants.factories import ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IBAN = "DE89370400440532013000"


def sha256(name: str) -> str:
    with default_storage.open(name, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def portal_data():
    """Two contract partners with a statement (one opened it) and a Kontakt request with a photo."""
    categories_ensure(Category)  # seeded by a migration; a transactional test may have flushed it
    first, second = TenantFactory(), TenantFactory()
    ContractFactory(partners=[first, second], contract_number="1001-W01-01")
    document = document_publish(
        tenants=[first, second],
        kind="betriebskostenabrechnung",
        title="Betriebskostenabrechnung 2025",
        year=2025,
        period="2025",
        content=PDF,
        filename="1001-W01-01.pdf",
        contract_number="1001-W01-01",
        notify=False,
    )
    Delivery.objects.filter(document=document, tenant=first).update(
        first_opened_at=timezone.now(), first_opened_by=first.user
    )
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    photo = SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")
    request_create(
        tenant=first,
        category=Category.objects.get(name="Wasser/Sanitär"),
        message="Wasser unter der Spüle",
        files=check_uploads([photo]),
        user=first.user,
    )
    ChangeRecord.objects.create(entity="tenant", key="900001", kind="bank_details", iban=IBAN)
    return document


def snapshot() -> dict:
    return {
        "documents": {d.pk: (d.file.name, sha256(d.file.name)) for d in Document.objects.all()},
        "deliveries": sorted(
            Delivery.objects.values_list(
                "pk",
                "document_id",
                "tenant_id",
                "published_at",
                "first_opened_at",
                "first_opened_by_id",
                "paper_sent_at",
            )
        ),
        "attachments": {
            a.pk: (a.file.name, sha256(a.file.name), a.thumbnail.name, sha256(a.thumbnail.name))
            for a in Attachment.objects.all()
        },
        "tenants": sorted(Tenant.objects.values_list("pk", "tenant_number", "user__email")),
        "ibans": [c.iban for c in ChangeRecord.objects.all()],
    }


def test_a_backup_restores_into_an_empty_database_and_media_with_equal_checksums(
    settings, tmp_path, capsys
):
    portal_data()
    before = snapshot()
    assert len(before["deliveries"]) == 2 and len(before["attachments"]) == 1
    assert any(row[4] for row in before["deliveries"])  # one delivery was opened

    backup = tmp_path / "backup"
    call_command("backup_portal", "--output", str(backup))

    manifest = json.loads((backup / "manifest.json").read_text())
    assert len(manifest["files"]) == 3 and manifest["missing"] == []
    assert all(entry["status"] == "ok" for entry in manifest["files"])
    assert all(IBAN.encode() not in p.read_bytes() for p in backup.rglob("*") if p.is_file())

    # A fresh server: empty database (as migrated) and an empty media folder.
    call_command("flush", interactive=False)
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    [(document_file, _checksum)] = before["documents"].values()
    assert not Document.objects.exists() and not default_storage.exists(document_file)

    call_command("restore_portal", str(backup))

    assert "Restored" in capsys.readouterr().out
    assert snapshot() == before
    assert User.objects.filter(pk=Tenant.objects.first().user_id).exists()

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_portal", str(backup))


def test_a_file_missing_from_storage_is_reported_and_fails_the_backup(tmp_path, capsys):
    document = portal_data()
    default_storage.delete(document.file.name)

    with pytest.raises(CommandError, match="missing"):
        call_command("backup_portal", "--output", str(tmp_path / "backup"))

    assert f"missing: {document.file.name}" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["missing"] == [document.file.name]
    (entry,) = [e for e in manifest["files"] if e["name"] == document.file.name]
    assert entry["status"] == "missing"
    assert entry["references"] == [f"documents.document.file:{document.pk}"]

    call_command("backup_portal", "--output", str(tmp_path / "accepted"), "--allow-missing")
    assert Path(tmp_path / "accepted" / "manifest.json").exists()


def test_a_damaged_copy_in_the_backup_is_reported_and_fails_the_restore(settings, tmp_path, capsys):
    document = portal_data()
    backup = tmp_path / "backup"
    call_command("backup_portal", "--output", str(backup))
    (backup / "files" / document.file.name).write_bytes(PDF + b"changed")
    call_command("flush", interactive=False)
    settings.MEDIA_ROOT = tmp_path / "fresh-media"

    with pytest.raises(CommandError, match="incomplete"):
        call_command("restore_portal", str(backup))

    assert f"checksum mismatch: {document.file.name}" in capsys.readouterr().out
    assert not default_storage.exists(document.file.name)
    assert Attachment.objects.count() == 1
