import re

import pytest
from django.core import mail

from registration import codes
from tests.registration.factories import tenant_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_with_letter_code_confirm_from_the_mail_and_land_on_the_start_page(
    page, live_server
):
    tenant, _, plain = tenant_with_code(first_name="Zoë", last_name="Núñez-Straßburger")

    # The QR code on the letter opens the form with the code filled in.
    page.goto(f"{live_server.url}/registrieren/?code={codes.display(plain)}")
    assert page.get_by_label("Registrierungscode").input_value() == codes.display(plain)
    page.get_by_label("Nachname").fill("nunez strassburger")
    page.get_by_role("button", name="Weiter").click()

    page.get_by_text("Sie registrieren sich als Zoë Núñez-Straßburger").wait_for()
    page.get_by_label("E-Mail-Adresse").fill("zoe@example.org")
    page.get_by_label("Passwort", exact=True).fill("Elbe-Hafen-2026!")
    page.get_by_label("Passwort wiederholen").fill("Elbe-Hafen-2026!")
    page.get_by_label("Ich akzeptiere").check()
    page.get_by_role("button", name="Zugang anlegen").click()

    page.get_by_role("heading", name="Bitte bestätigen Sie Ihre E-Mail-Adresse").wait_for()
    link = re.search(r"https?://\S+/registrieren/bestaetigen/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()

    page.get_by_role("heading", name="Willkommen, Zoë Núñez-Straßburger").wait_for()
    assert page.url == live_server.url + "/"
    tenant.refresh_from_db()
    assert tenant.user.email == "zoe@example.org"
    assert page.console_errors == []
