import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from contracts.models import BankChangeRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_tenant_changes_bank_account_for_another_holder_and_sees_the_effective_month(
    page, live_server
):
    call_command("seed_demo", verbosity=0)

    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("mieterin@example.com")
    page.get_by_label("Passwort").fill("Demo-Passwort-2026!")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.get_by_role("link", name="Meine Verträge").first.click()
    page.get_by_role("link", name="Wohnung", exact=False).first.click()
    page.get_by_role("link", name="Bankverbindung ändern").click()

    page.get_by_label("IBAN").fill("de12 5001 0517 0648 4898 90")
    page.get_by_role("button", name="IBAN prüfen").click()
    page.get_by_text("ING-DiBa").wait_for()
    page.get_by_label("Kontoinhaber/in", exact=True).fill("Hans Müller")
    page.get_by_label("Kontoinhaber/in ist nicht Mieter/in dieses Vertrags").check()
    page.get_by_role("button", name="Änderung senden").click()
    # The holder's address is required for a different account holder; nothing typed is lost.
    page.get_by_text("Straße und Hausnummer des Kontoinhabers").first.wait_for()
    # The checked IBAN comes back upper case in groups of four.
    assert page.get_by_label("IBAN").input_value() == "DE12 5001 0517 0648 4898 90"
    page.get_by_label("Straße und Hausnummer").fill("Hafenstraße 5")
    page.get_by_label("Postleitzahl").fill("20459")
    page.get_by_label("Ort").fill("Hamburg")
    page.get_by_label("Ich erteile das oben stehende SEPA-Lastschriftmandat").check()
    page.get_by_role("button", name="Änderung senden").click()

    page.get_by_role("heading", name="Änderung der Bankverbindung").wait_for()
    change = BankChangeRequest.objects.get(contract__contract_number="1001-W01-01", status="open")
    effective = page.locator(".effective-month").inner_text()
    with translation.override("de"):
        assert effective == date_format(change.effective_month, "F Y")
    assert "•••• 9890" in page.content() and "5001 0517" not in page.content()
    assert not change.holder_is_tenant and change.holder_city == "Hamburg"
    assert page.console_errors == []
