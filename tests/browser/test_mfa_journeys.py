"""Two-factor sign-in and passkeys in a real browser.

A clerk without a second factor is led from the admin to set up an authenticator app, then the
admin opens, and the next sign-in asks for the app's code. A tenant adds a passkey with
Chromium's virtual authenticator (the DevTools WebAuthn domain) and signs in with it instead of
the password. WebAuthn refuses an IP address as the site's name, so the pages are opened on
`localhost`. Every page on the way passes axe-core and logs nothing to the console.
PORTAL_SCREENSHOTS=<folder> saves the pages at 390 and 1280 px.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import totp_code
from tests.tenants.factories import PASSWORD, StaffFactory, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS")

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')));
}"""


@pytest.fixture
def base_url(live_server):
    """The live server under the name `localhost` (a passkey is never bound to an IP)."""
    parts = urlsplit(live_server.url)
    return f"{parts.scheme}://localhost:{parts.port}"


@pytest.fixture
def mfa_page(browser, axe_path):
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    context.add_init_script(path=str(axe_path))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on(
        "console",
        lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    yield page
    context.close()


def check(page, name):
    """No axe violation, nothing in the console; a screenshot at both widths on request."""
    page.wait_for_load_state()
    assert page.evaluate(AXE_RUN) == [], name
    assert page.console_errors == [], name
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        for width, height in ((390, 844), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size(size)


def log_in_with_password(page, base_url, email, password=PASSWORD):
    page.goto(f"{base_url}{reverse('account_login')}")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_load_state()


def confirm_password(page, password=PASSWORD):
    expect(page.get_by_role("heading", name="Bestätigen Sie, dass Sie es sind")).to_be_visible()
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Bestätigen").click()


def keep_recovery_codes(page):
    codes = page.get_by_label("Ihre Wiederherstellungscodes").input_value().split()
    assert len(codes) == 10
    page.get_by_label("Ich habe meine Wiederherstellungscodes gesichert").check()
    return codes


def test_clerk_is_led_from_the_admin_to_the_app_and_uses_it_at_the_next_login(
    mfa_page, base_url, clerks_have_second_factor
):
    page = mfa_page
    clerks_have_second_factor.enabled = False
    call_command("sync_clerk_groups")
    clerk = StaffFactory(email="sachbearbeitung@thor.example")
    clerk.groups.add(Group.objects.get(name="Kundenservice"))

    log_in_with_password(page, base_url, clerk.email)
    # No admin page opens: each leads to the set-up with the reason in German.
    for name in ("admin:index", "admin:tenants_tenant_changelist", "admin:auth_group_changelist"):
        page.goto(f"{base_url}{reverse(name)}")
        assert page.url == f"{base_url}{reverse('mfa_index')}"
        expect(page.get_by_text("reicht ein Passwort allein nicht").first).to_be_visible()
    check(page, "mfa-index-clerk")

    page.get_by_role("link", name="Authenticator-App einrichten").click()
    check(page, "reauthenticate")
    confirm_password(page)
    expect(page.get_by_role("heading", name="Authenticator-App einrichten")).to_be_visible()
    check(page, "totp-activate")
    secret = page.get_by_label("Oder tippen Sie diesen Schlüssel in die App").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivieren").click()

    expect(page.get_by_role("heading", name="Wiederherstellungscodes")).to_be_visible()
    check(page, "recovery-codes")
    keep_recovery_codes(page)
    page.goto(f"{base_url}{reverse('admin:tenants_tenant_changelist')}")
    assert page.url == f"{base_url}{reverse('admin:tenants_tenant_changelist')}"

    # The next sign-in: the password alone is not enough.
    page.context.clear_cookies()
    log_in_with_password(page, base_url, clerk.email)
    expect(page.get_by_role("heading", name="Zweiter Schritt: Ihr Code")).to_be_visible()
    check(page, "mfa-authenticate")
    page.goto(f"{base_url}{reverse('admin:index')}")
    assert page.url == f"{base_url}{reverse('mfa_authenticate')}"  # still the second step
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{base_url}{reverse('admin:index')}")
    assert page.url == f"{base_url}{reverse('admin:index')}"


def test_tenant_adds_a_passkey_and_signs_in_with_it_instead_of_the_password(mfa_page, base_url):
    page = mfa_page
    tenant = TenantFactory(user__email="passkey@example.org")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator_id = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    log_in_with_password(page, base_url, tenant.user.email)
    page.goto(f"{base_url}{reverse('tenants:profile')}")
    check(page, "profile")
    page.get_by_role("link", name="Zwei-Faktor-Anmeldung und Passkeys").click()
    check(page, "mfa-index")
    page.get_by_role("link", name="Passkey hinzufügen").click()
    confirm_password(page)
    expect(page.get_by_role("heading", name="Passkey hinzufügen")).to_be_visible()
    expect(page.get_by_label("Mit diesem Passkey ohne Passwort anmelden")).to_be_checked()
    check(page, "passkey-add")
    page.get_by_label("Name des Passkeys").fill("Mein Handy")
    page.get_by_role("button", name="Passkey hinzufügen").click()

    # The first factor brings recovery codes, shown once.
    expect(page.get_by_role("heading", name="Wiederherstellungscodes")).to_be_visible()
    keep_recovery_codes(page)
    passkey = Authenticator.objects.get(user=tenant.user, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().is_passwordless is True
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1

    # Signed out, the passkey alone signs in: no e-mail address, no password typed.
    page.context.clear_cookies()
    page.goto(f"{base_url}{reverse('account_login')}")
    check(page, "login")
    page.get_by_role("button", name="Passkey verwenden").click()
    page.wait_for_url(f"{base_url}{reverse('tenants:home')}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{base_url}{reverse('tenants:profile')}")
    expect(page.get_by_text(tenant.user.email)).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    assert page.console_errors == []
