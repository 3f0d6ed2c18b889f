import pytest
from django.core.management import call_command

from requests.models import ContactRequest
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Passwort-2026!"


def login(page, live_server, email):
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_load_state()
    if "/2fa/" in page.url:  # clerks: the authenticator app's code (tests/conftest.py)
        page.locator("input[name=code]").fill(totp_code())
        page.get_by_role("button", name="Anmelden", exact=True).click()


def test_tenant_reports_water_damage_with_photo_clerk_answers_tenant_reads_it(
    page, browser, live_server, tmp_path
):
    from PIL import Image

    call_command("seed_demo", verbosity=0)
    photo = tmp_path / "pfuetze.jpg"
    Image.new("RGB", (800, 600), (90, 120, 160)).save(photo, "JPEG")

    login(page, live_server, "mieterin@example.com")
    page.get_by_role("link", name="Kontakt").first.click()
    page.get_by_role("link", name="Neues Anliegen senden").click()
    page.get_by_role("link", name="Wasser/Sanitär").click()
    notice = page.locator(".notice-emergency")
    assert "040-61 32 32" in notice.inner_text()
    page.get_by_label("Um welche Wohnung").select_option(index=1)
    page.get_by_label("Wo in der Wohnung?").fill("Bad, unter dem Waschbecken")
    page.get_by_label("Seit wann?").fill("seit heute früh")
    page.get_by_label("Ihre Nachricht").fill("Unter dem Waschbecken tropft es.")
    page.get_by_label("Fotos oder Dokumente").set_input_files(str(photo))
    page.get_by_role("button", name="Anliegen senden").click()

    page.get_by_text("Unter dem Waschbecken tropft es.").wait_for()
    request = ContactRequest.objects.exclude(subject="Wasserfleck unter der Spüle").get(
        tenant__user__email="mieterin@example.com", category__name="Wasser/Sanitär"
    )
    assert page.locator(".attachments img").count() == 1
    assert request.assigned_to.email == "technik@example.com"

    clerk_context = browser.new_context(locale="de-DE")
    clerk = clerk_context.new_page()
    login(clerk, live_server, "technik@example.com")
    clerk.goto(f"{live_server.url}/admin/requests/contactrequest/{request.pk}/change/")
    clerk.get_by_label("Text").fill("Der Installateur kommt morgen um 9 Uhr.")
    clerk.get_by_role("button", name="Senden").click()
    clerk.get_by_text("Antwort an die Mieterin/den Mieter gesendet.").wait_for()
    clerk_context.close()

    page.reload()
    page.get_by_text("Der Installateur kommt morgen um 9 Uhr.").wait_for()
    assert "in bearbeitung" in page.content().lower()
    assert page.console_errors == []
