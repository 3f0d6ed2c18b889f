"""The language is chosen at registration and kept on the account; the letter stays German."""

import io
import re

import pdfplumber
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from registration.services import registration_letters_issue
from tenants.models import AuditEntry, User
from tests.tenants.factories import TenantFactory

from .factories import tenant_with_code

pytestmark = pytest.mark.django_db

PASSWORD = "Balkon-Blume-2026!"


def step1(client, code, last_name):
    return client.post(reverse("registration:start"), {"code": code, "last_name": last_name})


def step2(client, **extra):
    data = {
        "email": "zoe@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
        **extra,
    }
    return client.post(reverse("registration:account"), data)


def checked_language(html: str) -> str:
    return re.search(r'name="language" value="(\w+)"[^>]*checked', html).group(1)


@pytest.mark.parametrize("page_language", ["de", "en"])
def test_the_choice_starts_with_the_language_of_the_page(client, page_language):
    _, _, plain = tenant_with_code(last_name="Meier")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page_language
    step1(client, plain, "Meier")

    page = client.get(reverse("registration:account")).content.decode()

    assert checked_language(page) == page_language
    assert '<label class="check" for="id_language_1" lang="en">' in page
    assert "<span>English</span>" in page and "<span>Deutsch</span>" in page


def test_english_chosen_on_a_german_page_is_kept_and_used_after_confirming(
    client, django_capture_on_commit_callbacks
):
    tenant, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")  # German pages
    with django_capture_on_commit_callbacks(execute=True):
        response = step2(client, language="en")
    assert response.url == reverse("registration:confirm")
    user = User.objects.get(email="zoe@example.org")
    assert user.language == "en"
    assert not AuditEntry.objects.filter(action="user.language_changed").exists()

    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registration:confirm"), {"confirmation_code": code}, follow=True
        )

    assert '<html lang="en">' in response.content.decode()
    assert "Welcome! Your access is ready." in response.content.decode()
    welcome = mail.outbox[-1]
    assert welcome.to == ["zoe@example.org"]
    assert "Willkommen" not in welcome.subject
    tenant.refresh_from_db()
    assert tenant.user == user


def test_without_a_choice_the_language_of_the_page_is_kept(
    client, django_capture_on_commit_callbacks
):
    _, _, plain = tenant_with_code(last_name="Meier")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)

    assert User.objects.get(email="zoe@example.org").language == "en"


def test_german_chosen_on_an_english_page(client, django_capture_on_commit_callbacks):
    _, _, plain = tenant_with_code(last_name="Meier")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client, language="de")

    assert User.objects.get(email="zoe@example.org").language == "de"


def test_the_letter_stays_german_with_one_english_line():
    tenant = TenantFactory(user=None, last_name="Meier")
    buffer = io.BytesIO()
    registration_letters_issue(tenants=[tenant], output=buffer)

    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        assert len(pdf.pages) == 1
        text = " ".join(pdf.pages[0].extract_text().split())
        words = pdf.pages[0].extract_words()

    assert "Ihr persönlicher Zugang zum Mieterportal" in text
    assert "English: Your personal code for the" in text
    assert "the portal is also available in English" in text
    assert re.search(r"Datum \d{2}\.\d{2}\.\d{4}", text)
    # The line stays clear of the footer (company address at the bottom of the page).
    start = next(i for i, w in enumerate(words) if w["text"] == "English:")
    end = next(i for i, w in enumerate(words) if i > start and w["text"] == "English.")
    english = words[start]
    assert {round(w["top"]) for w in words[start : end + 1]} == {round(english["top"])}  # one line
    footer_top = max(w["top"] for w in words)  # the footer is the lowest line
    assert english["bottom"] < footer_top


def test_the_confirmation_mail_is_written_in_the_chosen_language(
    client, django_capture_on_commit_callbacks
):
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")  # German pages
    with django_capture_on_commit_callbacks(execute=True):
        step2(client, language="en")

    confirmation = mail.outbox[-1]
    assert confirmation.to == ["zoe@example.org"]
    assert "E-Mail-Adresse" not in confirmation.body and "e-mail address" in confirmation.body
