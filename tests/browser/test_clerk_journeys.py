"""Each clerk group does its half of a workflow in the admin, as itself; the tenant sees the result.

The demo data (`seed_demo`) has the clerks in their groups, a damage report with a photo and an
open bank change, as `make run` shows them.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import BankChangeRequest
from requests.models import Category, ContactRequest
from requests.services import request_create
from tenants.models import AuditEntry, Tenant
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Passwort-2026!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_load_state()
    if "/2fa/" in page.url:  # clerks: the authenticator app's code (tests/conftest.py)
        page.locator("input[name=code]").fill(totp_code())
        page.get_by_role("button", name="Anmelden", exact=True).click()
        page.wait_for_load_state()


@pytest.fixture
def wide(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_technik_reads_the_damage_report_with_its_photo_and_answers(wide, live_server):
    page = wide
    call_command("seed_demo", verbosity=0)
    damage = ContactRequest.objects.get(subject="Wasserfleck unter der Spüle")

    log_in(page, live_server, "technik@example.com")
    page.goto(f"{live_server.url}{reverse('admin:requests_contactrequest_changelist')}")
    page.get_by_role("link", name=damage.reference).click()

    page.get_by_text("Unter der Küchenspüle ist seit gestern eine Pfütze").wait_for()
    expect(page.get_by_text("Küche, unter der Spüle")).to_be_visible()  # details in words
    photo = page.locator("img[src*='vorschau']").first
    assert photo.evaluate("img => img.naturalWidth") > 0  # the thumbnail really loads
    expect(page.get_by_text("Interne Notiz").first).to_be_visible()
    # Technik may not change tenants or publish documents: those buttons are not offered.
    assert page.locator("input[name='_apply_address']").count() == 0
    assert page.locator("input[name='_send_document']").count() == 0

    page.locator("textarea[name='reply_body']").fill("Der Installateur war da, alles trocken.")
    page.locator("input[name='_reply']").click()
    page.get_by_text("Der Installateur war da, alles trocken.").first.wait_for()

    log_in(page, live_server, "mieterin@example.com")
    page.goto(f"{live_server.url}{reverse('requests:detail', args=[damage.reference])}")
    expect(page.get_by_text("Der Installateur war da, alles trocken.")).to_be_visible()
    assert "Klempner-Nord" not in page.content()  # the internal note stays internal
    assert page.console_errors == []


def test_kundenservice_applies_an_address_and_answers_with_a_pdf(wide, live_server, tmp_path):
    page = wide
    call_command("seed_demo", verbosity=0)
    maria = Tenant.objects.get(user__email="mieterin@example.com")
    moving = request_create(
        tenant=maria,
        category=Category.objects.get(form=Category.Form.ADDRESS),
        message="Wir ziehen um.",
        details={"street": "Elbchaussee 1", "postal_code": "22763", "city": "Hamburg"},
        user=maria.user,
    )
    asking = request_create(
        tenant=maria,
        category=Category.objects.get(form=Category.Form.DOCUMENT),
        message="Bitte die Vorauszahlungsbescheinigung.",
        details={"document": "Vorauszahlungsbescheinigung", "year": "2025"},
        user=maria.user,
    )
    pdf = tmp_path / "bescheinigung.pdf"
    pdf.write_bytes(PDF)

    log_in(page, live_server, "sachbearbeitung@example.com")
    change = "admin:requests_contactrequest_change"
    page.goto(f"{live_server.url}{reverse(change, args=[moving.pk])}")
    page.locator("input[name='_apply_address']").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{reverse(change, args=[asking.pk])}")
    page.locator("input[type='file']").set_input_files(str(pdf))
    page.locator("input[name='_send_document']").click()
    page.wait_for_load_state()

    maria.refresh_from_db()
    assert maria.street == "Elbchaussee 1"
    assert AuditEntry.objects.filter(action="tenant.address_changed", tenant=maria).exists()
    log_in(page, live_server, "mieterin@example.com")
    page.goto(f"{live_server.url}{reverse('documents:index')}")
    expect(page.get_by_text("Vorauszahlungsbescheinigung").first).to_be_visible()
    page.goto(f"{live_server.url}{reverse('tenants:profile')}")
    assert "Elbchaussee 1" in page.content()
    assert page.console_errors == []


def test_mietenbuchhaltung_approves_the_bank_change_and_the_tenant_sees_it(wide, live_server):
    page = wide
    call_command("seed_demo", verbosity=0)
    change = BankChangeRequest.objects.get(status="open")

    log_in(page, live_server, "buchhaltung@example.com")
    page.goto(
        f"{live_server.url}{reverse('admin:contracts_bankchangerequest_change', args=[change.pk])}"
    )
    # Accounting sees the full IBAN it has to enter into the ERP.
    assert "DE02 1001 0010 0006 8201 01" in page.content()
    page.locator("input[name='_approve']").click()
    page.wait_for_load_state()

    change.refresh_from_db()
    assert change.status == BankChangeRequest.Status.APPROVED
    log_in(page, live_server, "mieter@example.com")
    contract = change.contract.contract_number
    page.goto(f"{live_server.url}{reverse('contracts:detail', args=[contract])}")
    # The new account takes effect with a later month; the tenant is told from when.
    notice = page.locator(".notice-inline", has_text="0101")
    assert change.mandate.valid_from.strftime("%d.%m.%Y") in notice.inner_text()
    assert "1001 0010" not in page.content()
    assert page.console_errors == []
