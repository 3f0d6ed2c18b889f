import csv
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from contracts.banking import iban_check
from contracts.services import bank_change_approve, bank_change_submit
from tenants.changes import changes_export
from tenants.models import ChangeExport, ChangeRecord
from tenants.services import (
    tenant_address_change,
    tenant_email_set,
    tenant_paperless_consent_set,
    tenant_phone_set,
)
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

NEW_IBAN = "DE02100100100006820101"


@pytest.fixture
def tenant():
    return TenantFactory(tenant_number="100001", country="DE")


def approved_bank_change(tenant, holder_name="Maria Müller"):
    contract = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name=holder_name,
        holder_is_tenant=holder_name == "Maria Müller",
        holder_street="Hauptstraße 1",
        holder_postal_code="20095",
        holder_city="Hamburg",
    )
    bank_change_approve(bank_change=change, clerk=StaffFactory(email="buchhaltung@thor.example"))
    return change


def export(tmp_path, name="changes.csv", *args):
    output = tmp_path / name
    call_command("export_changes", "--output", str(output), *args, stdout=io.StringIO())
    return output


def csv_rows(path):
    return list(csv.DictReader(path.open(encoding="utf-8-sig"), delimiter=";"))


def jsonl_rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_kind_of_change_records_one_change_with_the_new_values(tenant):
    tenant_address_change(
        tenant_id=tenant.pk,
        address={"street": "Neue Straße 5", "postal_code": "22041", "city": "Hamburg"},
        by=None,
    )
    tenant_phone_set(tenant=tenant, phone="040 123456")
    tenant_email_set(tenant=tenant, email="neu@example.org")
    tenant_paperless_consent_set(tenant=tenant, consent=True)
    approved_bank_change(tenant)

    records = {r.kind: r for r in ChangeRecord.objects.all()}

    assert ChangeRecord.objects.count() == 5
    assert records["postal_address"].data == {
        "street": "Neue Straße 5",
        "address_extra": tenant.address_extra,
        "postal_code": "22041",
        "city": "Hamburg",
        "country": "DE",
    }
    assert records["phone"].data == {"phone": "040 123456"}
    assert records["email"].data == {"email": "neu@example.org"}
    assert records["paperless_consent"].data["paperless_consent"] is True
    assert {r.key for r in records.values() if r.entity == "tenant"} == {"100001"}
    bank = records["bank_details"]
    assert (bank.entity, bank.key, bank.iban) == ("contract", "1001-W01-01", NEW_IBAN)
    assert bank.data["mandatsreferenz"] == "1001-W01-01-M01"
    assert "iban" not in bank.data
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM tenants_changerecord WHERE id = %s", [bank.pk])
        assert NEW_IBAN not in cursor.fetchone()[0]  # encrypted at rest


def test_no_change_and_a_rolled_back_change_record_nothing(tenant):
    tenant_phone_set(tenant=tenant, phone=tenant.phone)
    tenant_address_change(tenant_id=tenant.pk, address={}, by=None)
    with pytest.raises(RuntimeError), transaction.atomic():
        tenant_email_set(tenant=tenant, email="neu@example.org")
        raise RuntimeError

    assert not ChangeRecord.objects.exists()


def test_export_writes_csv_and_jsonl_with_change_ids_formula_safe(tenant, tmp_path):
    tenant_phone_set(tenant=tenant, phone="+49 40 123456")
    approved_bank_change(tenant, holder_name='=HYPERLINK("http://x","y")')
    phone, bank = ChangeRecord.objects.order_by("pk")

    rows = csv_rows(export(tmp_path))

    assert [r["change_id"] for r in rows] == [str(phone.pk), str(bank.pk)]
    assert rows[0]["phone"] == "'+49 40 123456"
    assert rows[1]["kontoinhaber"] == '\'=HYPERLINK("http://x","y")'
    assert rows[1]["iban"] == NEW_IBAN and rows[1]["vertragsnummer"] == "1001-W01-01"

    call_command(
        "export_changes", "--ack", str(ChangeExport.objects.get().pk), stdout=io.StringIO()
    )
    tenant_email_set(tenant=tenant, email="neu@example.org")
    (line,) = jsonl_rows(export(tmp_path, "changes.jsonl"))
    assert line["kind"] == "email" and line["key"] == "100001"
    assert line["data"] == {"email": "neu@example.org"}
    assert line["change_id"] == ChangeRecord.objects.get(kind="email").pk


def test_a_second_export_writes_nothing_new(tenant, tmp_path):
    tenant_phone_set(tenant=tenant, phone="040 1")
    assert len(csv_rows(export(tmp_path, "first.csv"))) == 1

    assert csv_rows(export(tmp_path, "second.csv")) == []
    assert ChangeExport.objects.count() == 1


def test_the_export_cursor_neither_loses_nor_repeats_a_change_made_during_an_export(
    tenant, tmp_path
):
    tenant_phone_set(tenant=tenant, phone="040 1")

    class ChangeWhileWriting(io.StringIO):
        """The tenant changes the e-mail after the export claimed its changes, before it commits."""

        changed = False

        def write(self, text):
            if not self.changed:
                self.changed = True
                tenant_email_set(tenant=tenant, email="during@example.org")
            return super().write(text)

    output = ChangeWhileWriting()
    first = changes_export(output=output, fmt="jsonl")

    assert [json.loads(line)["kind"] for line in output.getvalue().splitlines()] == ["phone"]
    assert ChangeRecord.objects.get(kind="email").export is None
    (line,) = jsonl_rows(export(tmp_path, "next.jsonl"))
    assert line["data"] == {"email": "during@example.org"}
    assert ChangeRecord.objects.get(kind="phone").export == first
    assert ChangeRecord.objects.get(kind="email").export.pk != first.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a second connection that writes concurrently"
)
def test_a_change_that_commits_after_a_later_one_is_exported_is_not_lost(tenant, tmp_path):
    """Ids are taken at insert, not at commit: "id > last exported" would skip the slow change."""
    inserted, release = threading.Event(), threading.Event()

    def slow_change():
        try:
            with transaction.atomic():
                tenant_phone_set(tenant=tenant, phone="040 slow")
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=slow_change)
    worker.start()
    inserted.wait(10)
    other = TenantFactory()
    tenant_email_set(tenant=other, email="fast@example.org")  # a higher id, committed first

    first = csv_rows(export(tmp_path, "first.csv"))
    release.set()
    worker.join()
    second = csv_rows(export(tmp_path, "second.csv"))

    assert [r["kind"] for r in first] == ["email"]
    assert [r["kind"] for r in second] == ["phone"]
    assert int(second[0]["change_id"]) < int(first[0]["change_id"])


def test_repeat_writes_a_batch_again_and_ack_confirms_it(tenant, tmp_path):
    tenant_phone_set(tenant=tenant, phone="040 1")
    first = csv_rows(export(tmp_path, "first.csv"))
    batch = ChangeExport.objects.get()
    tenant_phone_set(tenant=tenant, phone="040 2")

    again = csv_rows(export(tmp_path, "again.csv", "--repeat", str(batch.pk)))
    call_command("export_changes", "--ack", str(batch.pk), stdout=io.StringIO())

    assert again == first
    batch.refresh_from_db()
    assert batch.acknowledged_at is not None
    assert [r["phone"] for r in csv_rows(export(tmp_path, "next.csv"))] == ["040 2"]
    with pytest.raises(CommandError):
        call_command("export_changes", "--ack", "999", stdout=io.StringIO())


def test_export_file_is_readable_by_its_owner_only(tenant, tmp_path):
    approved_bank_change(tenant)

    (tmp_path / "out").mkdir()
    output = export(tmp_path / "out")

    assert output.stat().st_mode & 0o777 == 0o600
    assert list((tmp_path / "out").iterdir()) == [output]  # no temporary file left behind


def test_bank_change_export_has_the_feeds_columns(tenant, tmp_path):
    approved_bank_change(tenant)
    output = tmp_path / "bank.csv"

    call_command(
        "export_bank_changes",
        "--since",
        "2020-01-01",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )

    (bank_row,) = csv_rows(output)
    (feed_row,) = csv_rows(export(tmp_path))
    assert bank_row == {column: feed_row[column] for column in bank_row}
