"""Signed-in devices: "sign out everywhere else" ends another browser's session."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_tenant_pages import AXE_RUN
from tests.tenants.factories import PASSWORD, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"


def open_browser(browser, axe_path, user_agent, viewport):
    context = browser.new_context(locale="de-DE", user_agent=user_agent, viewport=viewport)
    context.add_init_script(path=str(axe_path))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on(
        "console",
        lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    return context, page


def sign_in(page, base, email):
    page.goto(f"{base}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_sign_out_everywhere_else_sends_the_other_browser_to_the_login(
    browser, live_server, axe_path
):
    TenantFactory(first_name="Maria", last_name="Müller", user__email="maria@example.org")
    base = live_server.url
    laptop_context, laptop = open_browser(
        browser, axe_path, WINDOWS_FIREFOX, {"width": 1280, "height": 900}
    )
    phone_context, phone = open_browser(
        browser, axe_path, PHONE_SAFARI, {"width": 390, "height": 844}
    )
    sign_in(laptop, base, "maria@example.org")
    sign_in(phone, base, "maria@example.org")

    phone.goto(f"{base}/profil/")
    phone.get_by_role("link", name="Angemeldete Geräte ansehen und überall sonst abmelden").click()
    phone.get_by_role("heading", level=1, name="Angemeldete Geräte").wait_for()
    devices = phone.locator("ul.sessions > li")
    expect(devices).to_have_count(2)
    expect(phone.get_by_role("heading", name="Firefox unter Windows")).to_be_visible()
    expect(phone.get_by_role("heading", name="Safari unter iOS Dieses Gerät")).to_be_visible()
    assert phone.evaluate(AXE_RUN) == []

    phone.get_by_role("button", name="Überall sonst abmelden").click()
    expect(phone.get_by_text("Sie wurden auf allen anderen Geräten abgemeldet.")).to_be_visible()
    expect(devices).to_have_count(1)
    expect(phone.get_by_text("Sie sind auf keinem anderen Gerät angemeldet.")).to_be_visible()
    assert phone.evaluate(AXE_RUN) == []

    laptop.goto(f"{base}/vertraege/")
    assert "/konto/login/" in laptop.url
    phone.goto(f"{base}/vertraege/")
    assert "/konto/login/" not in phone.url

    assert laptop.console_errors == [] and phone.console_errors == []
    laptop_context.close()
    phone_context.close()
