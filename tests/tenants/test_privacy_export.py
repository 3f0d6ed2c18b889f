"""„Meine Daten“: the tenant's copy of their data (GDPR Art. 15/20), its download, erasure."""

import io
import json
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pdfplumber
import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from consumption.models import Meter, Reading
from contracts.banking import iban_check
from contracts.models import Mandate
from documents.models import Delivery
from documents.services import delivery_open, document_publish
from requests.models import Attachment, Category, ContactRequest
from requests.services import request_create, request_reply_by_clerk
from tenants.jobs import job_results_purge
from tenants.models import AuditEntry, Job, Unit
from tenants.privacy_export import JSON_NAME, PDF_NAME, privacy_export_data
from tests.tenants.factories import (
    ContractFactory,
    StaffFactory,
    TenantFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FULL_IBAN = "DE89370400440532013000"
OTHER_IBAN = "DE02120300000000202051"


def _mandate(contract, reference, iban, holder):
    checked = iban_check(iban)
    return Mandate.objects.create(
        contract=contract,
        reference=reference,
        signed_on=date(2020, 1, 1),
        valid_from=date(2020, 1, 1),
        holder_name=holder,
        iban=checked.iban,
        iban_last4=checked.iban[-4:],
        bic=checked.bic,
        bank_name=checked.bank_name,
    )


def _request(tenant, subject, body):
    category = Category.objects.get(name="Allgemeine Anfrage")
    return request_create(
        tenant=tenant, category=category, message=body, subject=subject, user=tenant.user
    )


def _attachment(contact_request, message, name, content):
    attachment = Attachment(
        request=contact_request,
        message=message,
        original_name=name,
        content_type="image/jpeg",
        size=len(content),
    )
    attachment.file.save(f"x-{name}", ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def demo(settings):
    """Like the demo's Mieterin: a flat and a parking space, a co-tenant, a mandate, a request
    with an answer and an internal note, documents, consumption – and a neighbour."""
    settings.JOBS_RUN_IN_THREAD = False
    tenant = TenantFactory(
        first_name="Mia",
        last_name="Mustermann",
        phone="040 1234567",
        paperless=True,
        user__email="mieterin@example.com",
        user__language="de",
    )
    partner = TenantFactory(first_name="Max", last_name="Mustermann", street="Geheimweg 9")
    flat = ContractFactory(partners=[tenant, partner], contract_number="1001-W01-01")
    parking = ContractFactory(
        partners=[tenant],
        contract_number="1001-S03-01",
        unit=UnitFactory(kind=Unit.Kind.PARKING, property=flat.unit.property),
    )
    _mandate(flat, "1001-W01-01-M01", FULL_IBAN, "Mia Mustermann")

    neighbour = TenantFactory(first_name="Nina", last_name="Nachbar", phone="040 999999")
    neighbour_contract = ContractFactory(partners=[neighbour], contract_number="1001-W02-01")
    _mandate(neighbour_contract, "1001-W02-01-M01", OTHER_IBAN, "Nina Nachbar")

    contact_request = _request(tenant, "Heizung klopft", "Die Heizung klopft nachts.")
    first = contact_request.messages.get()
    _attachment(contact_request, first, "heizung.jpg", b"\xff\xd8\xffPHOTO-OF-HEATING")
    clerk = StaffFactory(first_name="Klara", last_name="Kollegin")
    request_reply_by_clerk(
        contact_request=contact_request,
        clerk=clerk,
        body="Wir schicken einen Techniker.",
        internal=False,
    )
    note = request_reply_by_clerk(
        contact_request=contact_request,
        clerk=clerk,
        body="INTERN: Mieterin ruft oft an",
        internal=True,
    )
    _attachment(contact_request, note, "intern.jpg", b"\xff\xd8\xffINTERNAL-PHOTO")
    _request(neighbour, "Nachbars Anliegen", "NACHBAR-GEHEIMNIS")

    statement = document_publish(
        tenants=[tenant, partner],
        kind="betriebskostenabrechnung",
        title="Betriebskostenabrechnung 2024",
        year=2024,
        content=PDF,
        filename="bk-2024.pdf",
        contract_number=flat.contract_number,
    )
    delivery_open(
        delivery=Delivery.objects.get(document=statement, tenant=tenant), user=tenant.user
    )
    document_publish(
        tenants=[neighbour],
        kind="schreiben",
        title="Brief an Nachbarin",
        year=2024,
        content=PDF,
        filename="nachbar.pdf",
    )

    meter = Meter.objects.create(
        unit=flat.unit, kind="heating", serial="HZ-1001", measure_unit="kWh"
    )
    Reading.objects.create(meter=meter, month=date(2019, 12, 1), value=Decimal("999"))
    Reading.objects.create(meter=meter, month=date(2025, 1, 1), value=Decimal("412.5"))
    Meter.objects.create(
        unit=neighbour_contract.unit, kind="heating", serial="HZ-NACHBAR", measure_unit="kWh"
    )
    return tenant, partner, flat, parking, neighbour


def _export(client, tenant, django_capture_on_commit_callbacks):
    client.force_login(tenant.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tenants:privacy_export_request"))
    assert response.status_code == 302
    job = Job.objects.get(kind="privacy_export", created_by=tenant.user)
    assert job.state == Job.State.DONE, (job.error, list(job.chunks.values("state", "error")))
    return job


def _open_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_the_tenants_data_field_by_field(
    client, demo, django_capture_on_commit_callbacks
):
    tenant, partner, _flat, _parking, _neighbour = demo
    job = _export(client, tenant, django_capture_on_commit_callbacks)

    response = client.get(reverse("tenants:privacy_export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/zip"
    archive = _open_zip(response)
    data = json.loads(archive.read(JSON_NAME))

    assert data["schema"] == "meinthor-privacy-export" and data["schema_version"] == 1
    account = data["account"]
    assert account["email"] == "mieterin@example.com"
    assert (account["first_name"], account["last_name"]) == ("Mia", "Mustermann")
    assert account["language"] == "de"
    assert account["date_joined"] and account["is_active"] is True
    assert account["email_addresses"] == [
        {"email": "mieterin@example.com", "verified": True, "primary": True}
    ]
    assert data["tenant"]["tenant_number"] == tenant.tenant_number
    assert data["tenant"]["phone"] == "040 1234567"
    assert data["tenant"]["street"] == tenant.street
    assert data["tenant"]["paperless_consent"] is True

    contracts = {c["contract_number"]: c for c in data["contracts"]}
    assert set(contracts) == {"1001-W01-01", "1001-S03-01"}
    assert contracts["1001-W01-01"]["grundmiete"] == "612.40"
    assert contracts["1001-W01-01"]["total_rent"] == "860.00"
    assert contracts["1001-W01-01"]["start_date"] == "2020-01-01"
    assert contracts["1001-W01-01"]["partners"] == sorted(
        [
            {"name": "Mia Mustermann", "is_you": True},
            {"name": "Max Mustermann", "is_you": False},
        ],
        key=lambda p: (
            {tenant.full_name: tenant, partner.full_name: partner}[p["name"]].tenant_number
        ),
    )
    assert contracts["1001-S03-01"]["unit"]["kind"] == "parking"

    [mandate] = data["mandates"]
    assert mandate["reference"] == "1001-W01-01-M01"
    assert mandate["iban_masked"].endswith("3000") and "•" in mandate["iban_masked"]
    assert mandate["holder_name"] == "Mia Mustermann"

    [contact_request] = data["requests"]
    assert contact_request["subject"] == "Heizung klopft"
    assert contact_request["reference"].startswith("A-")
    assert [(m["from"], m["body"]) for m in contact_request["messages"]] == [
        ("you", "Die Heizung klopft nachts."),
        ("staff", "Wir schicken einen Techniker."),
    ]
    [attachment] = contact_request["attachments"]
    assert attachment["file_name"] == "heizung.jpg"
    assert archive.read(attachment["path_in_zip"]) == b"\xff\xd8\xffPHOTO-OF-HEATING"
    assert contact_request["status_history"][0]["status"] == "received"

    [document] = data["documents"]
    assert document["title"] == "Betriebskostenabrechnung 2024"
    assert document["electronic"] is True
    assert document["first_opened_at"] and document["first_opened_by_you"] is True
    assert document["contract_number"] == "1001-W01-01"

    [meter] = data["consumption"]
    assert meter["serial"] == "HZ-1001"
    # Before the tenancy began, the meter's values are someone else's.
    assert meter["readings"] == [{"month": "2025-01", "value": "412.500"}]

    assert data["consents"]["paperless_delivery"]["given"] is True
    assert data["sign_ins"]["date_joined"] == account["date_joined"]
    actions = {entry["action"] for entry in data["audit"]}
    assert {"request.created", "privacy.export_requested", "document.opened"} & actions >= {
        "request.created",
        "privacy.export_requested",
    }

    text = "".join(
        page.extract_text() for page in pdfplumber.open(io.BytesIO(archive.read(PDF_NAME))).pages
    )
    assert "Mia" in text and "1001-W01-01" in text and "Heizung klopft" in text


def test_export_has_nothing_of_another_tenant_no_internal_note_no_full_iban(
    client, demo, django_capture_on_commit_callbacks
):
    tenant, partner, _flat, _parking, neighbour = demo
    job = _export(client, tenant, django_capture_on_commit_callbacks)
    archive = _open_zip(client.get(reverse("tenants:privacy_export_download", args=[job.pk])))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    text = everything.decode("utf-8", errors="replace")

    for secret in (
        "INTERN",
        "INTERNAL-PHOTO",
        "request.note",
        "Kollegin",
        "intern.jpg",
        "Nachbar",
        "NACHBAR-GEHEIMNIS",
        "HZ-NACHBAR",
        "1001-W02-01",
        neighbour.tenant_number,
        "040 999999",
        FULL_IBAN,
        OTHER_IBAN,
        # the co-tenant by name only
        partner.tenant_number,
        "Geheimweg",
        partner.user.email,
    ):
        assert secret not in text, secret
    pdf_text = "".join(
        page.extract_text() for page in pdfplumber.open(io.BytesIO(archive.read(PDF_NAME))).pages
    )
    assert FULL_IBAN not in pdf_text.replace(" ", "") and "INTERN" not in pdf_text


def test_export_is_mailed_audited_and_listed_on_the_page(
    client, demo, django_capture_on_commit_callbacks
):
    tenant = demo[0]
    job = _export(client, tenant, django_capture_on_commit_callbacks)

    [ready] = [m for m in mail.outbox if m.to == ["mieterin@example.com"] and "Daten" in m.subject]
    assert "Meine Daten" in ready.body and reverse("tenants:privacy_data") in ready.body
    assert AuditEntry.objects.filter(
        action="privacy.export_requested", tenant=tenant, actor=tenant.user
    ).exists()
    assert AuditEntry.objects.filter(action="privacy.export_ready", object_id=str(job.pk)).exists()

    page = client.get(reverse("tenants:privacy_data"))
    assert reverse("tenants:privacy_export_download", args=[job.pk]) in page.content.decode()
    assert "10 Jahre" in page.content.decode()

    client.get(reverse("tenants:privacy_export_download", args=[job.pk]))
    assert AuditEntry.objects.filter(action="privacy.export_downloaded", tenant=tenant).exists()


def test_download_is_refused_for_another_account_and_anonymous(
    client, demo, django_capture_on_commit_callbacks
):
    tenant, partner, *_ = demo
    job = _export(client, tenant, django_capture_on_commit_callbacks)
    url = reverse("tenants:privacy_export_download", args=[job.pk])

    client.force_login(partner.user)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_download_is_refused_after_seven_days_and_the_file_is_purged(
    client, demo, django_capture_on_commit_callbacks
):
    tenant = demo[0]
    job = _export(client, tenant, django_capture_on_commit_callbacks)
    url = reverse("tenants:privacy_export_download", args=[job.pk])
    assert client.get(url).status_code == 200

    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=7, hours=1))
    assert client.get(url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert job_results_purge() == 1
    job.refresh_from_db()
    assert not job.result_file


def test_a_second_export_while_one_runs_is_refused(client, demo, settings):
    tenant = demo[0]
    client.force_login(tenant.user)
    # Not dispatched: the first export stays queued.
    client.post(reverse("tenants:privacy_export_request"))
    response = client.post(reverse("tenants:privacy_export_request"), follow=True)
    assert Job.objects.filter(kind="privacy_export").count() == 1
    assert "bereits" in response.content.decode()


def test_erasure_request_goes_to_customer_service_as_a_kontakt_request(client, demo):
    tenant = demo[0]
    client.force_login(tenant.user)
    response = client.post(
        reverse("tenants:privacy_data"),
        {"privacy-kind": "erase", "privacy-message": "Bitte meine Telefonnummer löschen."},
    )
    assert response.status_code == 302
    contact_request = ContactRequest.objects.filter(tenant=tenant).latest("created_at")
    assert contact_request.category.name == "Datenschutz"
    assert contact_request.category.area == "customer_service"
    assert contact_request.details == {"privacy_request": "erase"}
    assert contact_request.messages.get().body == "Bitte meine Telefonnummer löschen."


def test_privacy_pages_need_a_login(client):
    for name in ("tenants:privacy_data", "tenants:account_close"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_compiling_the_data_takes_the_same_queries_however_much_there_is(demo, count_queries):
    tenant, _partner, flat, *_ = demo
    data = privacy_export_data

    before = count_queries(lambda: data(tenant=tenant, user=tenant.user))
    for number in range(3):
        contact_request = _request(tenant, f"Anliegen {number}", "Text")
        _attachment(contact_request, contact_request.messages.get(), f"f{number}.jpg", b"x")
        ContractFactory(partners=[tenant, TenantFactory()], contract_number=f"1001-W9{number}-01")
        document_publish(
            tenants=[tenant],
            kind="schreiben",
            title=f"Brief {number}",
            year=2025,
            content=PDF,
            filename=f"brief{number}.pdf",
        )
        meter = Meter.objects.create(
            unit=flat.unit, kind="hot_water", serial=f"WW-{number}", measure_unit="m3"
        )
        Reading.objects.create(meter=meter, month=date(2025, 2, 1), value=Decimal("3"))

    assert count_queries(lambda: data(tenant=tenant, user=tenant.user)) == before


def test_export_lists_receipts_opened_and_notices_read_of_this_tenant_only(demo):
    from documents.models import Receipt, ReceiptSet, ReceiptView
    from notices.models import NoticeRead
    from tests.notices.factories import NoticeFactory

    tenant, _partner, flat, *_ = demo
    neighbour = TenantFactory()
    receipts = ReceiptSet.objects.create(
        property=flat.unit.property, kind="betriebskostenabrechnung", period="2025", year=2025
    )
    receipt = Receipt.objects.create(
        receipt_set=receipts, title="Hausmeisterdienst 2025", amount=Decimal("1200.00"),
        file="receipts/hausmeister.pdf",
    )  # fmt: skip
    ReceiptView.objects.create(receipt=receipt, user=tenant.user, tenant=tenant, downloaded=True)
    ReceiptView.objects.create(receipt=receipt, user=neighbour.user, tenant=neighbour)
    notice = NoticeFactory(title="Aufzug außer Betrieb")
    NoticeRead.objects.create(notice=notice, user=tenant.user)
    NoticeRead.objects.create(notice=NoticeFactory(title="Nur Nachbar"), user=neighbour.user)

    data, _files = privacy_export_data(tenant=tenant, user=tenant.user)

    [view] = data["receipt_views"]
    assert view["receipt"] == "Hausmeisterdienst 2025" and view["period"] == "2025"
    assert view["statement_kind"] == "betriebskostenabrechnung" and view["downloaded"] is True
    assert [n["notice"] for n in data["notices_read"]] == ["Aufzug außer Betrieb"]


def test_export_names_who_acted_and_never_calls_an_earlier_own_account_a_clerk(demo):
    from tenants.services import audit_log

    tenant, *_ = demo
    earlier = UserFactory(email="frueher@example.org", is_active=False)
    clerk = UserFactory(email="clerk@thor.example", is_staff=True)
    audit_log(action="tenant.phone_changed", obj=tenant, actor=earlier, tenant=tenant)
    audit_log(action="tenant.address_changed", obj=tenant, actor=clerk, tenant=tenant)

    data, _files = privacy_export_data(tenant=tenant, user=tenant.user)

    by = {entry["action"]: entry["by"] for entry in data["audit"]}
    assert by["tenant.phone_changed"] == "account"
    assert by["tenant.address_changed"] == "staff"
