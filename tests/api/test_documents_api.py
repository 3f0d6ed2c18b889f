"""App API of "Meine Dokumente", the Belegeinsicht and "Formulare": what the pages show, as JSON."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Delivery, Document, ReceiptView
from documents.receipts import receipt_redact
from documents.services import document_publish
from tests.tenants.factories import ContractFactory, TenantFactory

from .access_documents import PDF, add_receipts, publish, static_form
from .kit import AppClient, problem, token_for

pytestmark = pytest.mark.django_db


def app(tenant, language: str = "de") -> AppClient:
    tenant.user.language = language
    tenant.user.save(update_fields=["language"])
    return AppClient(token_for(tenant.user))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


# Meine Dokumente.


def test_list_shows_the_pages_documents_newest_first_with_their_details(world):
    older = publish(world, period="2024")
    newer = publish(world, period="2025")
    add_receipts(world, period="2025")
    foreign = TenantFactory()
    document_publish(
        tenants=[foreign],
        kind="schreiben",
        title="Fremdes Schreiben",
        year=2025,
        content=PDF,
        filename="x.pdf",
        notify=False,
    )

    response = app(world.owner).get("documents")

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    first = body["results"][0]
    assert first == {
        "id": newer.pk,
        "title": newer.title,
        "legal_note": "",
        "kind": "betriebskostenabrechnung",
        "kind_label": "Betriebskostenabrechnung",
        "year": 2025,
        "period": "2025",
        "contract_number": world.owner_contract.contract_number,
        "published_at": first["published_at"],
        "size": newer.size,
        "new": True,
        "download_path": f"/api/v1/documents/{newer.pk}/file",
        "has_receipts": True,
        "receipts_path": f"/api/v1/documents/{newer.pk}/receipts",
    }
    assert body["results"][1]["has_receipts"] is False
    assert body["results"][1]["receipts_path"] is None
    assert "Fremdes Schreiben" not in response.content.decode()


def test_english_account_reads_english_labels_and_the_legal_note(world):
    publish(world, title="Betriebskostenabrechnung")

    (item,) = app(world.owner, "en").get("documents").json()["results"]

    assert item["kind_label"] == "Operating cost statement"
    assert item["title"] == "Betriebskostenabrechnung 2025"  # documents keep their legal name
    assert item["legal_note"] == ""  # the label already says it
    document_publish(
        tenants=[world.owner],
        kind="schreiben",
        title="Wohnungsgeberbestätigung",
        year=2025,
        content=PDF,
        filename="w.pdf",
        notify=False,
    )
    letter = app(world.owner, "en").get("documents").json()["results"][0]
    assert letter["kind_label"] == "Letter"
    assert letter["legal_note"] == "landlord's confirmation of residence"


def test_filter_by_kind_like_the_page_and_a_wrong_kind_is_refused(world):
    publish(world)
    letter = document_publish(
        tenants=[world.owner],
        kind="schreiben",
        title="Mieterhöhung",
        year=2025,
        content=PDF,
        filename="m.pdf",
        notify=False,
    )
    client = app(world.owner, "en")

    items = client.get("documents?kind=schreiben").json()["results"]
    assert [item["id"] for item in items] == [letter.pk]

    body = problem(client.get("documents?kind=brief"))
    assert body["status"] == 422 and body["errors"][0]["field"] == "kind"


def test_pagination_keeps_its_place_when_a_document_arrives_between_pages(world):
    documents = [publish(world, period=str(year)) for year in range(2019, 2024)]
    expected = [d.pk for d in reversed(documents)]
    client = app(world.owner)

    first = client.get("documents?page_size=2").json()
    assert [item["id"] for item in first["results"]] == expected[:2]
    arrived = publish(world, title="Neu eingetroffen", period="2025")

    seen = [item["id"] for item in first["results"]]
    page = first
    while page["next"]:
        page = client.get(path_of(page["next"])).json()
        seen += [item["id"] for item in page["results"]]

    assert seen == expected  # nothing shifted, nothing twice, the newcomer not mixed in
    fresh = client.get("documents?page_size=2").json()
    assert fresh["results"][0]["id"] == arrived.pk


def test_download_is_the_pages_file_and_records_the_first_opening(world):
    document = publish(world)
    client = app(world.owner)

    response = client.get(f"documents/{document.pk}/file")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Betriebskostenabrechnung-2025-'
        f'{world.owner_contract.contract_number}.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(PDF)
    delivery = Delivery.objects.get(document=document, tenant=world.owner)
    assert delivery.first_opened_by == world.owner.user
    opened = delivery.first_opened_at
    assert opened is not None
    (item,) = client.get("documents").json()["results"]
    assert item["new"] is False

    client.get(f"documents/{document.pk}/file")
    delivery.refresh_from_db()
    assert delivery.first_opened_at == opened  # the proof is the first opening only


def test_download_by_a_contract_partner_leaves_the_others_document_new(world):
    partner = TenantFactory(paperless=True)
    document = document_publish(
        tenants=[world.owner, partner],
        kind="schreiben",
        title="Brief",
        year=2025,
        content=PDF,
        filename="b.pdf",
        notify=False,
    )

    app(world.owner).get(f"documents/{document.pk}/file")

    (item,) = app(partner).get("documents").json()["results"]
    assert item["new"] is True


def test_file_name_with_umlauts_like_the_page(world, client):
    document = document_publish(
        tenants=[world.owner],
        kind="schreiben",
        title="Mieterhöhung März",
        year=2025,
        content=PDF,
        filename="scan.pdf",
        notify=False,
    )
    client.force_login(world.owner.user)
    page = client.get(reverse("documents:download", args=[document.pk]))

    response = app(world.owner).get(f"documents/{document.pk}/file")

    assert response["Content-Disposition"] == page["Content-Disposition"]
    assert (
        "filename*=utf-8''Mieterh%C3%B6hung-M%C3%A4rz-2025.pdf" in response["Content-Disposition"]
    )


def test_another_tenants_document_is_404_and_not_opened(world):
    document = publish(world)

    body = problem(app(world.other).get(f"documents/{document.pk}/file"))

    assert body["status"] == 404
    assert Delivery.objects.get(document=document).first_opened_at is None


# Belegeinsicht.


def test_receipts_list_with_amounts_total_and_period_in_both_languages(world):
    document = publish(world)
    receipts = add_receipts(world, count=2)

    german = app(world.owner).get(f"documents/{document.pk}/receipts").json()
    english = app(world.owner, "en").get(f"documents/{document.pk}/receipts").json()

    assert german["expired"] is False
    assert [r["id"] for r in german["receipts"]] == [r.pk for r in receipts]
    assert german["receipts"][0]["amount"] == "12.50" and german["total"] == "25.00"
    assert german["currency"] == "EUR"
    assert german["receipts"][0]["download_path"] == (
        f"/api/v1/documents/{document.pk}/receipts/{receipts[0].pk}/file"
    )
    assert german["notice"].startswith("Sie können sie hier bis zum")
    assert english["notice"].startswith("You may inspect them here until")


def test_receipt_download_is_recorded_and_gives_the_redacted_version(world):
    document = publish(world)
    (receipt,) = add_receipts(world)
    redacted = b"%PDF-1.4\n% geschwaerzt\n%%EOF\n"
    receipt_redact(receipt=receipt, name="r.pdf", content=redacted, by=None)

    response = app(world.owner).get(f"documents/{document.pk}/receipts/{receipt.pk}/file")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == redacted
    assert "Eigentlich-0.pdf" in response["Content-Disposition"]
    view = ReceiptView.objects.get()
    assert (view.receipt, view.tenant, view.user, view.downloaded) == (
        receipt,
        world.owner,
        world.owner.user,
        True,
    )


def test_after_twelve_months_the_receipts_are_closed_with_the_pages_explanation(world):
    document = publish(world)
    (receipt,) = add_receipts(world)
    Delivery.objects.filter(document=document).update(
        published_at=timezone.now() - timedelta(days=400)
    )
    client = app(world.owner)

    listing = client.get(f"documents/{document.pk}/receipts").json()
    assert listing["expired"] is True and listing["receipts"] == [] and listing["total"] is None
    assert "Kontakt" in listing["notice"]

    body = problem(client.get(f"documents/{document.pk}/receipts/{receipt.pk}/file"))
    assert body["status"] == 403 and body["code"] == "receipts_expired"
    assert body["detail"] == listing["notice"]
    assert not ReceiptView.objects.exists()


def test_a_statement_without_receipts_and_a_foreign_receipt_are_404(world):
    document = publish(world)
    assert problem(app(world.owner).get(f"documents/{document.pk}/receipts"))["status"] == 404
    (receipt,) = add_receipts(world)
    other_document = publish(world, period="2024")
    url = f"documents/{other_document.pk}/receipts/{receipt.pk}/file"
    assert problem(app(world.owner).get(url))["status"] == 404


# Formulare.


def test_forms_in_german_and_english(world):
    form = static_form()
    form.description, form.description_en = "Für Hunde und Katzen.", "For dogs and cats."
    form.save()

    german = app(world.owner).get("forms").json()
    english = app(world.owner, "en").get("forms").json()

    assert german["static"] == [
        {
            "id": form.pk,
            "title": "Antrag auf Tierhaltung",
            "description": "Für Hunde und Katzen.",
            "download_path": f"/api/v1/forms/static/{form.pk}/file",
        }
    ]
    assert english["static"][0]["title"] == "Pet application"
    assert english["static"][0]["description"] == "For dogs and cats."
    titles = {f["key"]: f["title"] for f in german["personal"]}
    assert titles["wohnungsgeberbestaetigung"] == "Wohnungsgeberbestätigung (§ 19 BMG)"
    assert titles["sepa-mandat"] == "SEPA-Lastschriftmandat"
    english_titles = {f["key"]: f["title"] for f in english["personal"]}
    assert english_titles["sepa-mandat"] == "SEPA direct debit mandate"
    assert [f["key"] for f in german["personal"]][:2] == [
        "wohnungsgeberbestaetigung",
        "sepa-mandat",
    ]
    assert german["personal"][0]["download_path"] == (
        "/api/v1/forms/personal/wohnungsgeberbestaetigung/file"
    )


def test_static_form_file_and_a_withdrawn_form_is_404(world):
    form = static_form()
    client = app(world.owner)

    response = client.get(f"forms/static/{form.pk}/file")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tiere.pdf"'
    assert b"".join(response.streaming_content) == PDF

    form.is_active = False
    form.save()
    assert problem(client.get(f"forms/static/{form.pk}/file"))["status"] == 404


def _pdf_text(response) -> str:
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_personal_form_is_the_pages_pdf_for_the_chosen_contract(world):
    second = ContractFactory(partners=[world.owner], contract_number="7777-W07-07")
    client = app(world.owner)

    response = client.get("forms/personal/sepa-mandat/file?contract_number=7777-W07-07")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="SEPA-Lastschriftmandat-7777-W07-07.pdf"'
    )
    assert second.contract_number in _pdf_text(response)


def test_personal_form_ignores_another_tenants_contract_number(world):
    response = app(world.owner).get(
        "forms/personal/sepa-mandat/file",
        data={"contract_number": world.other_contract.contract_number},
    )

    text = _pdf_text(response)
    assert world.owner_contract.contract_number in text
    assert world.other_contract.contract_number not in text
    assert world.other.last_name not in text


def test_unknown_form_is_404_and_a_form_that_is_no_file_is_409(world):
    client = app(world.owner)
    assert problem(client.get("forms/personal/gibt-es-nicht/file"))["status"] == 404

    body = problem(client.get("forms/personal/mietbescheinigung/file"))
    assert body["status"] == 409 and body["code"] == "form_not_a_file"


def test_documents_list_query_count_is_constant(world, count_queries):
    client = app(world.owner)
    publish(world)
    add_receipts(world)
    counts = [count_queries(lambda: client.get("documents"))]
    for period in ("2020", "2021", "2022", "2023"):
        publish(world, period=period)
        add_receipts(world, period=period)
    counts.append(count_queries(lambda: client.get("documents")))
    assert counts == [2, 2]
    assert Document.objects.count() == 5
