"""Belegeinsicht (§ 556 Abs. 4 BGB): the receipts behind a statement, for its recipients only."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from documents.models import Delivery, Receipt, ReceiptSet, ReceiptView
from documents.receipts import (
    RECEIPT_MAX_BYTES,
    ReceiptUpload,
    access_until,
    receipt_redact,
    receipt_set_ensure,
    receipts_add,
)
from documents.services import document_publish
from tenants.models import AuditEntry
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REDACTED = b"%PDF-1.4\n% geschwaerzt\n%%EOF\n"
KIND = "betriebskostenabrechnung"
# The account with its tenant; then the delivery, the receipt set and its receipts.
PINNED_RECEIPTS = 4
PINNED_INDEX = 2  # the receipts link rides in the deliveries query


def statement(tenant, contract, *, period="2025", kind=KIND):
    return document_publish(
        tenants=[tenant],
        kind=kind,
        title=f"Betriebskostenabrechnung {period}",
        year=int(period[:4]),
        period=period,
        content=PDF,
        filename=f"{contract.contract_number}.pdf",
        contract_number=contract.contract_number,
    )


def receipts_for(property_, *, period="2025", count=3):
    receipt_set, _ = receipt_set_ensure(property=property_, kind=KIND, period=period)
    receipts_add(
        receipt_set=receipt_set,
        uploads=[
            ReceiptUpload(f"beleg-{n}.pdf", PDF + f"% {n}".encode(), f"Beleg {n}", Decimal(n))
            for n in range(1, count + 1)
        ],
        by=None,
    )
    return receipt_set


@pytest.fixture
def maria():
    tenant = TenantFactory(first_name="Maria")
    contract = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    return tenant, contract


@pytest.fixture
def published(maria):
    tenant, contract = maria
    document = statement(tenant, contract)
    receipt_set = receipts_for(contract.unit.property)
    return tenant, document, receipt_set


def _url(name, document, receipt=None):
    args = [document.pk] + ([receipt.pk] if receipt else [])
    return reverse(f"documents:{name}", args=args)


def test_recipient_sees_the_link_the_list_and_the_sum(client, published):
    tenant, document, receipt_set = published
    client.force_login(tenant.user)

    index = client.get(reverse("documents:index")).content.decode()
    assert _url("receipts", document) in index
    html = client.get(_url("receipts", document)).content.decode()

    for receipt in receipt_set.receipts.all():
        assert receipt.title in html
        assert _url("receipt_open", document, receipt) in html
    assert "6,00 €" in html  # 1 + 2 + 3


def test_no_link_without_receipts(client, maria):
    tenant, contract = maria
    document = statement(tenant, contract)
    client.force_login(tenant.user)

    assert _url("receipts", document) not in client.get(reverse("documents:index")).content.decode()
    assert client.get(_url("receipts", document)).status_code == 404


def test_tenant_of_another_property_gets_404(client, published):
    _, document, receipt_set = published
    receipt = receipt_set.receipts.first()
    stranger = TenantFactory()
    other = ContractFactory(partners=[stranger], contract_number="2002-W01-01")
    own = statement(stranger, other)  # a statement of their own property, without receipts
    client.force_login(stranger.user)

    for url in (
        _url("receipts", document),
        _url("receipt_open", document, receipt),
        _url("receipt_download", document, receipt),
        _url("receipts", own),
        _url("receipt_open", own, receipt),  # someone else's receipt under their own statement
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert not ReceiptView.objects.exists()


def test_neighbour_without_the_statement_gets_404(client, published):
    _, document, receipt_set = published
    neighbour = TenantFactory()
    flat = UnitFactory(property=receipt_set.property)
    ContractFactory(partners=[neighbour], unit=flat, contract_number="1001-W02-01")
    client.force_login(neighbour.user)

    assert client.get(_url("receipts", document)).status_code == 404
    assert _url("receipts", document) not in client.get(reverse("documents:index")).content.decode()


def test_receipts_of_another_period_or_kind_are_not_shown(client, maria):
    tenant, contract = maria
    document = statement(tenant, contract, period="2024")
    receipts_for(contract.unit.property, period="2025")
    client.force_login(tenant.user)

    assert client.get(_url("receipts", document)).status_code == 404


def test_access_ends_after_the_objection_period(client, published):
    tenant, document, receipt_set = published
    receipt = receipt_set.receipts.first()
    # Delivered 13 months ago: the twelfth month after it has ended.
    Delivery.objects.filter(document=document).update(
        published_at=timezone.now() - timedelta(days=400)
    )
    client.force_login(tenant.user)

    page = client.get(_url("receipts", document))
    html = page.content.decode()
    assert page.status_code == 200
    assert receipt.title not in html
    assert reverse("requests:choose") in html  # ask through Kontakt
    for name in ("receipt_open", "receipt_download"):
        response = client.get(_url(name, document, receipt))
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
    assert not ReceiptView.objects.exists()


def test_access_until_end_of_the_twelfth_month():
    assert access_until(date(2025, 3, 15)) == date(2026, 3, 31)
    assert access_until(date(2025, 12, 1)) == date(2026, 12, 31)
    assert access_until(date(2024, 2, 29)) == date(2025, 2, 28)


def test_each_open_is_recorded_with_time(client, published):
    tenant, document, receipt_set = published
    receipt = receipt_set.receipts.first()
    client.force_login(tenant.user)
    before = timezone.now()

    first = client.get(_url("receipt_open", document, receipt))
    assert first.status_code == 200
    assert b"".join(first.streaming_content).startswith(b"%PDF-")
    assert first["Content-Disposition"].startswith("inline")
    client.get(_url("receipt_download", document, receipt))
    client.get(_url("receipts", document))  # the list itself is no view of a receipt

    views = list(ReceiptView.objects.order_by("viewed_at"))
    assert [(v.receipt, v.tenant, v.user, v.downloaded) for v in views] == [
        (receipt, tenant, tenant.user, False),
        (receipt, tenant, tenant.user, True),
    ]
    assert all(before <= v.viewed_at <= timezone.now() for v in views)


def test_the_tenant_only_ever_gets_the_redacted_version(client, published):
    tenant, document, receipt_set = published
    receipt = receipt_set.receipts.first()
    clerk = StaffFactory()
    receipt_redact(receipt=receipt, name="geschwaerzt.pdf", content=REDACTED, by=clerk)
    client.force_login(tenant.user)

    for name in ("receipt_open", "receipt_download"):
        body = b"".join(client.get(_url(name, document, receipt)).streaming_content)
        assert body == REDACTED
    audit = AuditEntry.objects.get(action="receipts.redacted")
    assert audit.actor == clerk
    receipt.refresh_from_db()
    assert receipt.file.read().startswith(PDF)  # the original stays for the clerks


def test_query_count_is_constant(client, published, count_queries):
    tenant, document, receipt_set = published
    client.force_login(tenant.user)
    client.get(_url("receipts", document))  # warm the session
    few = count_queries(lambda: client.get(_url("receipts", document)))
    index_few = count_queries(lambda: client.get(reverse("documents:index")))
    receipts_add(
        receipt_set=receipt_set,
        uploads=[ReceiptUpload(f"x{n}.pdf", PDF, f"X {n}", Decimal(1)) for n in range(10)],
        by=None,
    )
    statement(tenant, ContractFactory(partners=[tenant], unit__property=receipt_set.property))
    many = count_queries(lambda: client.get(_url("receipts", document)))
    index_many = count_queries(lambda: client.get(reverse("documents:index")))
    assert few == many
    assert index_few == index_many
    assert (many, index_many) == (PINNED_RECEIPTS, PINNED_INDEX), (many, index_many)


# The clerks: as their real groups, never superusers.


@pytest.fixture
def clerks():
    clerk_groups_sync()
    found = {}
    for name in ("Kundenservice", "Mietenbuchhaltung", "Technik"):
        user = StaffFactory()
        user.groups.add(Group.objects.get(name=name))
        found[name] = user
    return found


def _upload(client, property_, *files, titles=""):
    return client.post(
        reverse("admin:documents_receiptset_add"),
        {
            "property": property_.pk,
            "kind": KIND,
            "period": "2025",
            "files": list(files),
            "titles": titles,
            "receipts-TOTAL_FORMS": "0",
            "receipts-INITIAL_FORMS": "0",
        },
    )


def test_mietenbuchhaltung_uploads_several_pdfs_with_titles_and_amounts(client, clerks, maria):
    _, contract = maria
    client.force_login(clerks["Mietenbuchhaltung"])

    response = _upload(
        client,
        contract.unit.property,
        SimpleUploadedFile("hausmeister.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("Muellabfuhr_2025.pdf", PDF, "application/pdf"),
        titles="hausmeister.pdf;Hausmeisterdienst 2025;4.812,00",
    )

    assert response.status_code == 302
    receipt_set = ReceiptSet.objects.get(property=contract.unit.property, kind=KIND, period="2025")
    assert receipt_set.year == 2025 and receipt_set.created_by == clerks["Mietenbuchhaltung"]
    assert list(receipt_set.receipts.values_list("title", "amount", "order")) == [
        ("Hausmeisterdienst 2025", Decimal("4812.00"), 1),
        ("Muellabfuhr 2025", Decimal("0.00"), 2),
    ]
    assert AuditEntry.objects.filter(action="receipts.added").count() == 1
    # The clerk corrects the amount in the inline and uploads a redacted version.
    receipt = receipt_set.receipts.get(order=2)
    first = receipt_set.receipts.get(order=1)
    change = reverse("admin:documents_receiptset_change", args=[receipt_set.pk])
    response = client.post(
        change,
        {
            "receipts-TOTAL_FORMS": "2",
            "receipts-INITIAL_FORMS": "2",
            "receipts-0-id": first.pk,
            "receipts-0-receipt_set": receipt_set.pk,
            "receipts-0-title": first.title,
            "receipts-0-amount": "4812.00",
            "receipts-0-order": "1",
            "receipts-1-id": receipt.pk,
            "receipts-1-receipt_set": receipt_set.pk,
            "receipts-1-title": "Müllabfuhr 2025",
            "receipts-1-amount": "2140.80",
            "receipts-1-order": "2",
            "receipts-1-redacted_upload": SimpleUploadedFile("g.pdf", REDACTED, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    receipt.refresh_from_db()
    assert (receipt.title, receipt.amount) == ("Müllabfuhr 2025", Decimal("2140.80"))
    assert receipt.redacted_file.read() == REDACTED
    assert AuditEntry.objects.filter(action="receipts.redacted", actor=clerks["Mietenbuchhaltung"])


def test_upload_validation_errors_in_german(client, clerks, maria):
    _, contract = maria
    client.force_login(clerks["Mietenbuchhaltung"])
    big = SimpleUploadedFile("riesig.pdf", PDF + b"0" * RECEIPT_MAX_BYTES, "application/pdf")

    with translation.override("de"):
        response = _upload(
            client,
            contract.unit.property,
            SimpleUploadedFile("rechnung.pdf", b"GIF89a not a pdf", "application/pdf"),
            big,
            titles="rechnung.pdf;Rechnung;zwölf Euro",
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert "„rechnung.pdf“ ist kein PDF" in html
    assert "„riesig.pdf“ ist" in html and "höchstens 20,0" in html
    assert "Zeile 1" in html and "ist kein Betrag" in html
    assert not Receipt.objects.exists()


def test_kundenservice_may_view_but_not_add(client, clerks, published):
    _, _, receipt_set = published
    client.force_login(clerks["Kundenservice"])
    change = reverse("admin:documents_receiptset_change", args=[receipt_set.pk])
    receipt = receipt_set.receipts.first()

    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:documents_receipt_file", args=[receipt.pk])).status_code == 200
    assert client.get(reverse("admin:documents_receiptset_add")).status_code == 403
    before = Receipt.objects.count()
    response = _upload(
        client, receipt_set.property, SimpleUploadedFile("x.pdf", PDF, "application/pdf")
    )
    assert response.status_code == 403
    assert Receipt.objects.count() == before


def test_technik_sees_nothing(client, clerks, published):
    _, _, receipt_set = published
    client.force_login(clerks["Technik"])
    receipt = receipt_set.receipts.first()

    for url in (
        reverse("admin:documents_receiptset_changelist"),
        reverse("admin:documents_receiptset_change", args=[receipt_set.pk]),
        reverse("admin:documents_receipt_file", args=[receipt.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_clerk_sees_who_viewed_when(client, clerks, published):
    tenant, document, receipt_set = published
    receipt = receipt_set.receipts.first()
    client.force_login(tenant.user)
    client.get(_url("receipt_open", document, receipt))

    client.force_login(clerks["Kundenservice"])
    html = client.get(
        reverse("admin:documents_receiptset_change", args=[receipt_set.pk])
    ).content.decode()
    assert tenant.tenant_number in html and receipt.title in html
    viewed = ReceiptView.objects.get().viewed_at
    assert timezone.localtime(viewed).strftime("%d.%m.%Y %H:%M") in html


def test_command_publishes_with_a_manifest_and_reports(tmp_path, maria):
    _, contract = maria
    (tmp_path / "hausmeister.pdf").write_bytes(PDF)
    (tmp_path / "versicherung.pdf").write_bytes(PDF)
    (tmp_path / "notiz.txt").write_bytes(b"kein PDF")
    (tmp_path / "belege.csv").write_text(
        "Datei;Titel;Betrag\nhausmeister.pdf;Hausmeisterdienst 2025;4.812,00\n", encoding="utf-8"
    )
    out = io.StringIO()
    args = [str(tmp_path), "--property", contract.unit.property.number, "--kind", KIND]

    call_command("publish_receipts", *args, "--period", "2025", stdout=out)

    report = out.getvalue()
    assert "Added: 2" in report and "refused: 1" in report and "notiz.txt" in report
    assert "versicherung.pdf" in report  # not in belege.csv: named after the file
    receipt_set = ReceiptSet.objects.get()
    assert list(receipt_set.receipts.values_list("title", "amount")) == [
        ("Hausmeisterdienst 2025", Decimal("4812.00")),
        ("versicherung", Decimal("0.00")),
    ]
    again = io.StringIO()
    call_command("publish_receipts", *args, "--period", "2025", stdout=again)
    assert "Added: 0, skipped as already there: 2" in again.getvalue()
    assert receipt_set.receipts.count() == 2


def test_behind_nginx_the_redacted_file_is_sent_by_x_accel(client, settings, published):
    settings.DOCUMENTS_DELIVERY = "x-accel"
    settings.DOCUMENTS_X_ACCEL_PREFIX = "/_protected/"
    tenant, document, receipt_set = published
    receipt = receipt_set.receipts.first()
    receipt_redact(receipt=receipt, name="g.pdf", content=REDACTED, by=None)
    client.force_login(tenant.user)

    response = client.get(_url("receipt_open", document, receipt))

    assert response["X-Accel-Redirect"] == f"/_protected/{receipt.redacted_file.name}"
    assert response["Cache-Control"] == "private, no-store"
    assert ReceiptView.objects.filter(receipt=receipt, tenant=tenant).count() == 1


def test_english_page(client, settings, published):
    tenant, document, _ = published
    client.force_login(tenant.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(_url("receipts", document)).content.decode()
    index = client.get(reverse("documents:index")).content.decode()

    assert "Receipts" in html and "€6.00" in html
    assert "View receipts" in index
