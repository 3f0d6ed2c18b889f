"""A tenant's journey in English shows no German, and in German no English.

From login to the start page, the contracts, the bank change, a Kontakt request, the documents
and forms, the consumption, the profile, help, privacy and terms: every page's visible text,
its title, placeholders, aria-labels, alt texts and select options are checked against the word
lists in tests/language_words.py, and dates are written the page's way (never US dates).
"""

import os
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from ..language_words import date_leaks, english_leaks, german_leaks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Passwort-2026!"
TENANT = "mieterin@example.com"
SHOTS = (
    Path(os.environ["LANGUAGE_JOURNEY_SHOTS"]) if os.environ.get("LANGUAGE_JOURNEY_SHOTS") else None
)

# Everything a user reads or hears on a page. Text inside an element whose `lang` differs from
# the page's (the language switch) is another language on purpose and is left out. Closed
# <details> (FAQ) are opened so their text counts too.
PAGE_TEXT = """() => {
  const language = document.documentElement.lang.slice(0, 2);
  const foreign = [...document.body.querySelectorAll('[lang]')].filter(
    (el) => el.lang && el.lang.slice(0, 2) !== language);
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach((el) => { el.open = true; });
  const hidden = foreign.map((el) => [el, el.style.display]);
  hidden.forEach(([el]) => { el.style.display = 'none'; });
  const isForeign = (el) => foreign.some((f) => f.contains(el));
  const parts = [document.title, document.body.innerText];
  const labelled = '[placeholder], [aria-label], [alt], [title], option, input[type=submit]';
  for (const el of document.querySelectorAll(labelled)) {
    if (isForeign(el)) continue;
    for (const attribute of ['placeholder', 'aria-label', 'alt', 'title']) {
      const value = el.getAttribute(attribute);
      if (value) parts.push(value);
    }
    if (el.tagName === 'OPTION') parts.push(el.textContent.trim());
    if (el.tagName === 'INPUT') parts.push(el.value);
  }
  hidden.forEach(([el, display]) => { el.style.display = display; });
  closed.forEach((el) => { el.open = false; });
  return {language: document.documentElement.lang, text: parts.join('\\n')};
}"""


class Journey:
    """Visits pages and collects, per page, the words in the wrong language."""

    def __init__(self, page, live_server, language, label=None):
        self.label = label or language
        self.page = page
        self.base = live_server.url
        self.language = language
        self.problems = {}
        self.texts = {}

    def check(self, name):
        page = self.page
        page.wait_for_load_state("load")
        found = page.evaluate(PAGE_TEXT)
        text = found["text"]
        self.texts[name] = text
        if SHOTS:
            # LANGUAGE_JOURNEY_SHOTS=<dir>: each page's checked text and a screenshot, to look at.
            stem = f"{self.label}-{len(self.texts):02d}-{re.sub(r'[^a-z]+', '-', name)}"
            (SHOTS / f"{stem}.txt").write_text(text, encoding="utf-8")
            page.screenshot(path=SHOTS / f"{stem}.png", full_page=True)
        problems = []
        if not found["language"].startswith(self.language):
            problems.append(f'<html lang="{found["language"]}">, expected {self.language}')
        leaks = german_leaks(text) if self.language == "en" else english_leaks(text)
        problems += leaks + date_leaks(text, self.language)
        if problems:
            self.problems[f"{name} ({page.url.removeprefix(self.base)})"] = problems
        return text

    def visit(self, name, path, status=200):
        response = self.page.goto(self.base + path)
        assert response.status == status, f"{name}: {path} answered {response.status}"
        return self.check(name)

    def report(self):
        lines = []
        for where, problems in self.problems.items():
            lines.append(f"{where}: {len(problems)}")
            lines += [f"    {problem}" for problem in problems]
        return "\n".join(lines)


# What the tenant types into the Kontakt form, in the journey's language.
REQUEST = {
    "en": {
        "subject": "Squeaking door",
        "location": "Hallway",
        "since": "last week",
        "message": "The front door of the flat squeaks loudly.",
    },
    "de": {
        "subject": "Quietschende Tür",
        "location": "Flur",
        "since": "letzte Woche",
        "message": "Die Wohnungstür quietscht laut.",
    },
}


def switch_language(page, language):
    """The header's language button, as a visitor would use it."""
    if page.evaluate("document.documentElement.lang").startswith(language):
        return
    page.locator(f'.lang-switch button[value="{language}"]').click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang").startswith(language)


def sign_in(page):
    page.locator('input[name="login"]').fill(TENANT)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form:has(input[name="password"]) button[type="submit"]:not([form])').first.click()
    page.wait_for_url(re.compile(r"/$"))


def faq_entries_present():
    """The FAQ comes from a data migration, which an earlier transactional test may have flushed;
    the help page's questions are to be checked in both languages too."""
    from django.apps import apps

    import_module("tenants.migrations.0002_faq_entries").add_faq(apps, None)


def walk(page, live_server, language, tmp_path, switch=True):
    """The whole journey; ``switch``: choose the language with the header's button (else the
    account's own language must bring every page after login in ``language``)."""
    call_command("seed_demo", verbosity=0)
    faq_entries_present()
    journey = Journey(page, live_server, language, label=None if switch else f"{language}-account")

    page.goto(f"{live_server.url}/konto/login/")
    if switch:
        switch_language(page, language)
        journey.check("login")
        journey.visit("registration", "/registrieren/")
        journey.visit("password reset", "/konto/password/reset/")
        page.goto(f"{live_server.url}/konto/login/")
    sign_in(page)
    if switch:
        # The account carries its own language; the header's button changes it.
        switch_language(page, language)
    journey.check("start page")
    # Longer English words must still fit the phone's tab bar, side by side without overlapping.
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('.main-nav a')]"
        ".filter((a) => a.scrollWidth > a.clientWidth + 1).map((a) => a.innerText.trim())"
    )
    if overflowing:
        journey.problems["tab bar (390 px)"] = [f"label wider than its tab: {overflowing}"]

    journey.visit("contracts", "/vertraege/")
    page.locator('main a[href^="/vertraege/1001-W01"]').first.click()
    journey.check("contract detail")
    page.locator('main a[href$="/mietkonto/"]').first.click()
    journey.check("rent account")
    page.go_back()

    # The bank change: a wrong IBAN first (the error texts), then a real one, checked and sent.
    page.locator('main a[href$="/bankverbindung/"]').first.click()
    journey.check("bank change")
    page.locator('input[name="iban"]').fill("DE00 1234")
    page.locator('button[name="check"]').click()
    journey.check("bank change, wrong IBAN")
    page.locator('input[name="iban"]').fill("DE12 5001 0517 0648 4898 90")
    page.locator('button[name="check"]').click()
    page.get_by_text("ING-DiBa").first.wait_for()
    journey.check("bank change, IBAN checked")
    page.locator('input[name="consent"]').check()
    page.locator('button[name="submit"]').click()
    page.locator(".effective-month").wait_for()
    journey.check("bank change sent")

    # Kontakt: the list, the categories, an empty form (errors), then a request sent.
    journey.visit("contact", "/kontakt/")
    page.locator('main a[href^="/kontakt/"]:not([href^="/kontakt/neu"])').first.click()
    journey.check("request with answers")
    page.goto(f"{live_server.url}/kontakt/")
    journey.visit("contact categories", "/kontakt/neu/")
    page.locator('main a[href^="/kontakt/neu/"]').first.click()
    journey.check("contact form")
    page.locator("main form button[type=submit]").last.click()
    journey.check("contact form with errors")
    unit = page.locator('select[name="unit"]')
    if unit.count():
        unit.select_option(index=1)
    # A photo chosen: the previews' texts come from the page's script.
    photo = tmp_path / "door.png"
    Image.new("RGB", (40, 30), (160, 120, 90)).save(photo)
    page.locator('input[name="attachments"]').set_input_files(str(photo))
    page.locator(".file-preview").first.wait_for()
    journey.check("contact form with a photo chosen")
    for name, value in REQUEST[language].items():
        field = page.locator(f'[name="{name}"]')
        if field.count() and field.is_visible():
            field.fill(value)
    page.locator("main form button[type=submit]").last.click()
    page.get_by_text(REQUEST[language]["message"]).first.wait_for()
    journey.check("request sent")

    journey.visit("documents", "/dokumente/")
    journey.visit("forms", "/formulare/")
    journey.visit("consumption", "/verbraeuche/")
    journey.visit("profile", "/profil/")
    journey.visit("help", "/hilfe/")
    journey.visit("privacy", "/datenschutz/")
    journey.visit("terms", "/nutzungsbedingungen/")
    journey.visit("change password", "/konto/password/change/")
    journey.visit("change e-mail address", "/konto/email/")
    errors_before = len(page.console_errors)
    journey.visit("page not found", "/gibt-es-nicht/", status=404)
    del page.console_errors[errors_before:]  # the browser logs the 404 it was sent to
    journey.visit("offline page", "/offline/")
    return journey


def test_english_journey_shows_no_german_and_no_us_dates(page, live_server, tmp_path):
    journey = walk(page, live_server, "en", tmp_path)
    assert not journey.problems, "German or wrong dates on English pages:\n" + journey.report()
    # Dates are written the British way wherever the journey shows one.
    dated = " ".join(journey.texts.values())
    assert re.search(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                     r"September|October|November|December) \d{4}\b", dated), (
        "no English date such as '25 November 2026' on any page"
    )  # fmt: skip
    assert page.console_errors == []


def test_an_account_in_english_gets_every_page_in_english_without_touching_the_switch(
    page, live_server, tmp_path
):
    from tenants.models import User

    call_command("seed_demo", verbosity=0)
    User.objects.filter(email=TENANT).update(language="en")
    journey = walk(page, live_server, "en", tmp_path, switch=False)
    assert not journey.problems, "German or wrong dates on English pages:\n" + journey.report()
    assert page.console_errors == []


def test_german_journey_shows_no_english(page, live_server, tmp_path):
    journey = walk(page, live_server, "de", tmp_path)
    assert not journey.problems, "English or wrong dates on German pages:\n" + journey.report()
    dated = " ".join(journey.texts.values())
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", dated), "no German date such as 25.11.2026"
    assert page.console_errors == []
