"""In a real browser: the error summary takes the focus, the photo picker shows previews."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Passwort-2026!"


def open_damage_form(page, live_server):
    call_command("seed_demo", verbosity=0)
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("mieterin@example.com")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/kontakt/neu/")
    page.get_by_role("link", name="Wasser/Sanitär").click()


def test_an_empty_kontakt_form_puts_the_focus_on_the_error_summary(page, live_server):
    open_damage_form(page, live_server)

    page.get_by_role("button", name="Anliegen senden").click()
    page.locator(".error-summary").wait_for()

    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    links = page.locator(".error-summary a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["#id_unit", "#id_location", "#id_since", "#id_message"]
    for target in targets:
        assert page.locator(target).count() == 1
        assert page.locator(target).get_attribute("aria-invalid") == "true"
    # Following a link puts the cursor into that field.
    links.nth(2).click()
    assert page.evaluate("document.activeElement.id") == "id_since"
    assert page.console_errors == []


def test_chosen_photos_show_as_previews_and_can_be_removed(page, live_server, tmp_path):
    from PIL import Image

    open_damage_form(page, live_server)
    first, second = tmp_path / "fleck.jpg", tmp_path / "rohr.png"
    Image.new("RGB", (400, 300), (90, 120, 160)).save(first, "JPEG")
    Image.new("RGB", (300, 400), (200, 120, 60)).save(second, "PNG")
    picker = page.get_by_label("Fotos oder Dokumente")

    picker.set_input_files([str(first), str(second)])

    previews = page.locator(".file-preview")
    assert previews.count() == 2
    assert page.locator(".file-preview img").first.get_attribute("src").startswith("blob:")
    assert page.locator(".file-preview img").first.evaluate("img => img.naturalWidth") == 400
    assert "fleck.jpg" in previews.first.inner_text()
    page.get_by_role("button", name="fleck.jpg entfernen").click()
    assert previews.count() == 1
    assert page.evaluate("document.getElementById('id_attachments').files.length") == 1
    assert page.evaluate("document.getElementById('id_attachments').files[0].name") == "rohr.png"

    page.get_by_label("Um welche Wohnung").select_option(index=1)
    page.get_by_label("Wo in der Wohnung?").fill("Bad")
    page.get_by_label("Seit wann?").fill("heute")
    page.get_by_label("Ihre Nachricht").fill("Fleck an der Decke.")
    page.get_by_role("button", name="Anliegen senden").click()
    page.get_by_text("Fleck an der Decke.").wait_for()
    assert page.locator(".attachments img").count() == 1
    assert page.console_errors == []  # among them any CSP refusal of the blob: previews
