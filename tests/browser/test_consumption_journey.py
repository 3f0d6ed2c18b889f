import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_tenant_sees_the_chart_and_switches_between_kinds(page, live_server):
    call_command("seed_demo", verbosity=0)

    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("mieterin@example.com")
    page.get_by_label("Passwort").fill("Demo-Passwort-2026!")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.get_by_role("link", name="Meine Verbräuche").first.click()

    loaded = "() => { const i = document.querySelector('figure.chart img');"
    loaded += " return i && i.complete && i.naturalWidth > 0; }"
    page.wait_for_function(loaded)
    assert "kWh" in page.locator(".big-number").inner_text()
    assert "geheizt" in page.locator("p.lead").inner_text()

    page.get_by_role("link", name="Warmwasser").click()
    page.wait_for_url("**art=hot_water**")
    assert "m³" in page.locator(".big-number").inner_text()
    assert page.locator("nav.tabs a[aria-current=page]").last.inner_text() == "Warmwasser"
    page.wait_for_function(loaded)

    page.get_by_text("Die Zahlen als Tabelle").click()
    assert page.locator("table.data tbody tr").count() == 24
    assert page.console_errors == []
