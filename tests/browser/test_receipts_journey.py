"""Belegeinsicht in the browser: the tenant opens a receipt from her statement, the clerk sees it.

The demo data (`seed_demo`) holds the 2025 Betriebskostenabrechnung of Maria's property 1001
with its receipts, delivered to her.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from documents.models import ReceiptSet, ReceiptView
from tests.browser.test_clerk_journeys import PDF, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tenant_opens_a_receipt_and_the_clerk_sees_the_view(page, live_server):
    call_command("seed_demo", verbosity=0)
    receipt_set = ReceiptSet.objects.get(property__number="1001", period="2025")

    log_in(page, live_server, "mieterin@example.com")
    page.goto(f"{live_server.url}{reverse('documents:index')}")
    statement = page.locator("li", has_text="Betriebskostenabrechnung 2025")
    statement.get_by_role("link", name="Belege ansehen").click()
    expect(page.get_by_role("heading", name="Belege")).to_be_visible()
    expect(page.get_by_text("Summe der Belege: 12.198,20 €")).to_be_visible()
    # The receipt opens in a new tab, as a PDF from the access-checked delivery.
    link = page.get_by_role("link", name="Hausmeisterdienst 2025", exact=True)
    with page.context.expect_page() as opened:
        link.click()
    pdf = opened.value
    pdf.wait_for_load_state()
    assert "/dokumente/" in pdf.url and "/belege/" in pdf.url
    pdf.close()
    view = ReceiptView.objects.get()
    assert (view.receipt.title, view.tenant.user.email) == (
        "Hausmeisterdienst 2025",
        "mieterin@example.com",
    )
    assert page.console_errors == []

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "buchhaltung@example.com")
    page.goto(
        f"{live_server.url}{reverse('admin:documents_receiptset_change', args=[receipt_set.pk])}"
    )
    views = page.locator("table.receipt-views")
    expect(views).to_contain_text("Hausmeisterdienst 2025")
    expect(views).to_contain_text(view.tenant.tenant_number)
    expect(views).to_contain_text("geöffnet")


def test_mietenbuchhaltung_adds_several_receipts_at_once(page, live_server, tmp_path):
    call_command("seed_demo", verbosity=0)
    receipt_set = ReceiptSet.objects.get(property__number="1001", period="2025")
    before = receipt_set.receipts.count()
    files = []
    for name in ("strom-allgemein.pdf", "gartenpflege.pdf"):
        path = tmp_path / name
        path.write_bytes(PDF)
        files.append(str(path))

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "buchhaltung@example.com")
    page.goto(
        f"{live_server.url}{reverse('admin:documents_receiptset_change', args=[receipt_set.pk])}"
    )
    page.get_by_label("Belege hinzufügen (PDF)").set_input_files(files)
    page.get_by_label("Titel und Beträge (optional)").fill(
        "gartenpflege.pdf;Gartenpflege 2025;1.250,00"
    )
    page.locator("input[name='_continue']").click()
    page.wait_for_load_state()

    expect(page.get_by_text("2 Beleg(e) hinzugefügt")).to_be_visible()
    assert receipt_set.receipts.count() == before + 2
    added = receipt_set.receipts.get(original_name="gartenpflege.pdf")
    assert (added.title, str(added.amount)) == ("Gartenpflege 2025", "1250.00")
    expect(page.locator("input[value='strom-allgemein']")).to_be_visible()  # title to correct
    assert page.console_errors == []
