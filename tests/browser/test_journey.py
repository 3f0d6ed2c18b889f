import pytest
from playwright.sync_api import expect

from tests.tenants.factories import PASSWORD, ContactPersonFactory, ContractFactory, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tenant_logs_in_sees_start_page_switches_to_english_and_logs_out(page, live_server):
    tenant = TenantFactory(
        first_name="Maria", last_name="Müller-Lüdenscheidt", user__email="maria@example.org"
    )
    contract = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    ContactPersonFactory(property=contract.unit.property, name="Sabine Sachmann")

    page.goto(live_server.url + "/")
    assert "/konto/login/" in page.url
    page.get_by_label("E-Mail-Adresse").fill("Maria@Example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()

    page.get_by_role("heading", name="Willkommen, Maria Müller-Lüdenscheidt").wait_for()
    expect(page.get_by_text("1001-W01-01")).to_be_visible()
    expect(page.get_by_text("Sabine Sachmann")).to_be_visible()
    assert page.locator("nav[aria-label] a[aria-current=page]").inner_text() == "Übersicht"

    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Welcome, Maria Müller-Lüdenscheidt").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="My contracts").first).to_be_visible()

    page.get_by_role("link", name="Maria Müller-Lüdenscheidt").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/konto/login/**")
    page.goto(live_server.url + "/")
    assert "/konto/login/" in page.url

    assert page.console_errors == []
