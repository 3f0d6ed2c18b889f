"""The installable portal in a real Chromium: manifest, service worker, offline page."""

import io
import json

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.tenants.factories import PASSWORD, ContractFactory, TenantFactory

from .conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A function, not an expression: Playwright polls expressions with eval(), which the CSP forbids.
WORKER_CONTROLS_PAGE = "() => navigator.serviceWorker.controller !== null"

# Everything in the Cache Storage of the portal's origin: URL, content type and body text.
CACHED_ENTRIES = """async () => {
  const entries = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      entries.push({
        url: new URL(request.url).pathname,
        type: response.headers.get("content-type") || "",
        body: await response.clone().text(),
      });
    }
  }
  return entries;
}"""


def _sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + reverse("account_login"))
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.get_by_role("heading", name="Willkommen", exact=False).wait_for()


@pytest.fixture
def installed_context(browser, live_server, tmp_path):
    """Chromium never offers to install from an incognito profile, which every new_context() is:
    installability needs a browser with a profile on disk."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        locale="de-DE",
        viewport={"width": 390, "height": 844},
    )
    yield context
    context.close()


def test_chromium_reports_the_portal_installable(installed_context, live_server):
    page = installed_context.pages[0] if installed_context.pages else installed_context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + reverse("account_login"))
    state = page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)")
    page.wait_for_function(WORKER_CONTROLS_PAGE, timeout=30_000)  # installing under load

    assert state in {"activating", "activated"}
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    cdp = installed_context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    app_manifest = cdp.send("Page.getAppManifest")
    assert app_manifest["url"] == live_server.url + reverse("tenants:web_manifest")
    assert app_manifest["errors"] == []
    assert errors == []


def test_manifest_and_its_icons_as_the_browser_fetches_them(page, live_server):
    page.goto(live_server.url + reverse("account_login"))
    href = page.locator("link[rel=manifest]").get_attribute("href")

    response = page.request.get(live_server.url + href)

    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == manifest["scope"] == "/"
    assert (
        page.locator("meta[name=theme-color]").get_attribute("content") == (manifest["theme_color"])
    )
    purposes = set()
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(page.request.get(live_server.url + icon["src"]).body()))
        assert image.format == "PNG"
        assert "{}x{}".format(*image.size) == icon["sizes"]
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_offline_a_personal_page_shows_the_offline_page_never_a_stored_copy(page, live_server):
    tenant = TenantFactory(
        first_name="Maria", last_name="Müller-Lüdenscheidt", user__email="maria@example.org"
    )
    ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    personal = [tenant.last_name, "1001-W01-01", "maria@example.org"]
    contracts_url = live_server.url + reverse("contracts:index")
    # Installing the worker and switching the network take longer on a busy machine.
    page.set_default_timeout(30_000)

    _sign_in(page, live_server.url, "maria@example.org")
    page.wait_for_function(WORKER_CONTROLS_PAGE, timeout=30_000)  # installing under load
    # Online, through the worker: the personal pages and a download.
    page.goto(contracts_url)
    assert "1001-W01-01" in page.inner_text("main")
    page.goto(live_server.url + reverse("tenants:profile"))
    csv_url = reverse("contracts:rent_account_csv", args=["1001-W01-01"])
    assert page.evaluate("(url) => fetch(url).then((r) => r.status)", csv_url) == 200

    page.context.set_offline(True)
    for url in (contracts_url, live_server.url + "/"):
        page.goto(url)
        page.get_by_role("heading", name="Sie sind offline", exact=True).wait_for()
        assert page.url == url
        content = page.content()
        assert not [word for word in personal if word in content]
        expect(page.get_by_role("link", name="040-61 32 32").first).to_be_visible()

    cached = page.evaluate(CACHED_ENTRIES)
    html = [entry["url"] for entry in cached if "html" in entry["type"]]
    assert html == [reverse("tenants:offline")]
    assert all(
        entry["url"] == reverse("tenants:offline") or entry["url"].startswith("/static/")
        for entry in cached
    )
    assert not [word for entry in cached for word in personal if word in entry["body"]]

    # Back online, "Erneut versuchen" loads the real page in place of the offline page.
    page.context.set_offline(False)
    page.get_by_role("link", name="Erneut versuchen").click()
    page.get_by_role("heading", name="Willkommen, Maria Müller-Lüdenscheidt").wait_for()
