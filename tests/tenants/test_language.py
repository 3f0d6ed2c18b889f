"""The tenant's language: kept on the account, used for the pages after login and every e-mail
to them, also when a clerk's action triggers the mail; dates and amounts as written in Germany
(25.11.2026, 1.234,56 €) or in Britain (25 November 2026, €1,234.56), never US dates."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from documents.pdf import render_pdf
from requests.models import Category, ContactRequest
from tenants.models import AuditEntry, OutboundEmail
from tenants.services import email_language, email_queue
from tenants.templatetags.portal import format_euro
from tests.tenants.factories import (
    PASSWORD,
    ContractFactory,
    StaffFactory,
    TenantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
BERLIN = ZoneInfo("Europe/Berlin")


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


# Dates and numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "short", "long", "amount", "negative"),
    [
        ("de", "25.11.2026", "25.11.2026", "1.234,56 €", "-83,50 €"),
        ("en", "25 November 2026", "25 November 2026", "€1,234.56", "-€83.50"),
    ],
)
def test_dates_and_amounts_are_written_as_in_the_language(language, short, long, amount, negative):
    day = date(2026, 11, 25)
    with translation.override(language):
        assert date_format(day, "SHORT_DATE_FORMAT") == short
        assert date_format(day, "DATE_FORMAT") == long
        assert format_euro(Decimal("1234.56")) == amount
        assert format_euro(Decimal("-83.5")) == negative
        rendered = Template(
            '{% load portal %}{{ day|date:"SHORT_DATE_FORMAT" }} | {{ total|euro }}'
        ).render(Context({"day": day, "total": Decimal("1234.56")}))
    assert rendered == f"{short} | {amount}"


def test_english_dates_are_never_month_first():
    moment = datetime(2026, 3, 4, 14, 30, tzinfo=BERLIN)
    with translation.override("en"):
        for name in (
            "DATE_FORMAT",
            "SHORT_DATE_FORMAT",
            "DATETIME_FORMAT",
            "SHORT_DATETIME_FORMAT",
        ):
            text = date_format(moment, name)
            assert not US_DATE.search(text), text
            assert text.startswith("4 "), text  # the day first
        assert date_format(moment, "DATETIME_FORMAT") == "4 March 2026, 14:30"


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("de", "01.12.2026"),
        ("de", "2026-12-01"),  # <input type="date"> sends ISO in every language
        ("en", "01/12/2026"),
        ("en", "01.12.2026"),  # as the German letters and our own hints write it
        ("en", "1 December 2026"),
        ("en", "2026-12-01"),
    ],
)
def test_typed_dates_are_understood_day_first_in_both_languages(language, typed):
    with translation.override(language):
        field = forms.DateField()
        assert field.clean(typed) == date(2026, 12, 1)


def test_a_page_shows_dates_in_the_language_of_the_page(client):
    tenant = TenantFactory()
    ContractFactory(partners=[tenant], start_date=date(2020, 11, 25))
    client.force_login(tenant.user)

    german = client.get(reverse("contracts:index")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("contracts:index")).content.decode()

    assert "25.11.2020" in german
    assert "25 November 2020" in english
    assert "11/25/2020" not in english and not US_DATE.search(english)


@pytest.mark.parametrize(
    ("language", "granted", "month"),
    [
        ("de", "25.11.2026, 14:30", "Dezember 2026"),
        ("en", "25 November 2026, 14:30", "December 2026"),
    ],
)
def test_the_mandate_pdf_writes_dates_in_its_language(language, granted, month):
    change = SimpleNamespace(
        mandate_reference="THOR-M-1",
        consent_at=datetime(2026, 11, 25, 14, 30, tzinfo=BERLIN),
        effective_month=date(2026, 12, 1),
        iban_masked="DE89 •••• 3000",
        holder_name="Maria Müller",
        holder_is_tenant=False,
        holder_address="Alte Straße 1, 22763 Hamburg",
        bic="COBADEFFXXX",
        bank_name="",
        status="open",
    )
    contract = SimpleNamespace(contract_number="V-000001", unit=None)
    creditor = SimpleNamespace(name="THOR Wohnen", address="Hamburg", identifier="DE98ZZZ")
    with translation.override(language), timezone.override(BERLIN):
        pdf = render_pdf(
            "pdf/sepa_mandate.html", {"contract": contract, "change": change, "creditor": creditor}
        )
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(page.extract_text() for page in document.pages)

    assert granted in text
    assert month in text
    assert not US_DATE.search(text)


# The account's language: pages -------------------------------------------------------------------


def test_signing_in_switches_the_pages_to_the_accounts_language(client):
    user = UserFactory(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"  # the login page was German
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert page_language(response) == "en"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert page_language(client.get(reverse("tenants:profile"))) == "en"


def test_a_german_account_gets_german_pages_after_an_english_login_page(client):
    user = UserFactory(language="de")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert page_language(response) == "de"
    assert page_language(client.get(reverse("tenants:profile"))) == "de"


def test_the_language_is_changed_on_the_profile_and_audited(client):
    tenant = TenantFactory()
    client.force_login(tenant.user)

    profile = client.get(reverse("tenants:profile")).content.decode()
    assert ">Sprache</legend>" in profile
    assert re.search(
        r'<input type="radio" name="language-language" value="de"[^>]*checked', profile
    )

    response = client.post(
        reverse("tenants:profile"),
        {"language-language": "en", "save_language": "1"},
        follow=True,
    )

    tenant.user.refresh_from_db()
    assert tenant.user.language == "en"
    assert page_language(response) == "en"
    assert "Your language has been saved." in response.content.decode()
    entry = AuditEntry.objects.get(action="user.language_changed")
    assert entry.changes == {"from": "de", "to": "en"}
    assert entry.actor == tenant.user and entry.tenant == tenant
    # Saving the same choice again changes nothing and records nothing.
    client.post(reverse("tenants:profile"), {"language-language": "en", "save_language": "1"})
    assert AuditEntry.objects.filter(action="user.language_changed").count() == 1


def test_an_unknown_language_is_refused(client):
    tenant = TenantFactory()
    client.force_login(tenant.user)

    response = client.post(
        reverse("tenants:profile"), {"language-language": "fr", "save_language": "1"}
    )

    assert response.status_code == 200
    tenant.user.refresh_from_db()
    assert tenant.user.language == "de"
    assert not AuditEntry.objects.filter(action="user.language_changed").exists()


def test_the_switch_in_the_header_while_signed_in_also_changes_the_account(client):
    tenant = TenantFactory()
    client.force_login(tenant.user)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    tenant.user.refresh_from_db()
    assert tenant.user.language == "en"
    assert AuditEntry.objects.filter(action="user.language_changed", tenant=tenant).exists()
    assert page_language(client.get(reverse("tenants:home"))) == "en"


def test_the_switch_without_an_account_only_sets_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not AuditEntry.objects.exists()


# The account's language: e-mails -----------------------------------------------------------------


@pytest.fixture
def clerk(client):
    """A member of the Kundenservice group (the real groups, never a superuser)."""
    call_command("sync_clerk_groups", verbosity=0)

    def login(language_cookie: str = "de"):
        user = StaffFactory(first_name="Klara", last_name="Kraft")
        user.groups.add(Group.objects.get(name="Kundenservice"))
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language_cookie
        return user

    return login


def document_request(client, tenant) -> ContactRequest:
    client.force_login(tenant.user)
    category = Category.objects.get(name="Dokument anfordern")
    response = client.post(
        reverse("requests:create", args=[category.pk]),
        {"message": "Bitte die Abrechnung", "document": "Betriebskostenabrechnung", "year": 2024},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ContactRequest.objects.filter(tenant=tenant).latest("pk")


def clerk_answers(client, contact_request, body):
    return client.post(
        reverse("admin:requests_contactrequest_change", args=[contact_request.pk]),
        {
            "status": contact_request.status,
            "assigned_to": "",
            "_reply": "1",
            "reply_body": body,
        },
    )


def tenant_speaking(language: str):
    tenant = TenantFactory(
        first_name="Maria", last_name="Müller", user__language=language, user__first_name="Maria"
    )
    ContractFactory(partners=[tenant])
    return tenant


def test_a_clerks_answer_reaches_an_english_tenant_in_english(
    client, clerk, django_capture_on_commit_callbacks
):
    tenant = tenant_speaking("en")
    contact_request = document_request(client, tenant)
    clerk("de")  # the clerk works in German

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_answers(client, contact_request, "The statement is attached.")
    assert response.status_code == 302

    message = mail.outbox[-1]
    assert message.to == [tenant.user.email]
    assert message.subject == f"New answer to your request {contact_request.reference}"
    assert "Dear Ms Müller" in message.body
    day = timezone.localtime(contact_request.created_at).date()
    with translation.override("en"):
        english_day = date_format(day, "DATE_FORMAT")
    assert f"your request of {english_day}." in message.body
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", english_day)
    assert "Sehr geehrte" not in message.body and "Anliegen" not in message.body
    assert not US_DATE.search(message.body)
    row = OutboundEmail.objects.filter(kind="request_answered").get()
    assert "your request of" in row.body_html and "Anliegen" not in row.body_html
    # The clerk's own page stays German.
    page = client.get(reverse("admin:requests_contactrequest_change", args=[contact_request.pk]))
    assert page_language(page) == "de"


def test_a_clerks_answer_reaches_a_german_tenant_in_german(
    client, clerk, django_capture_on_commit_callbacks
):
    tenant = tenant_speaking("de")
    contact_request = document_request(client, tenant)
    clerk("en")  # even when the clerk's pages are English

    with django_capture_on_commit_callbacks(execute=True):
        clerk_answers(client, contact_request, "Die Abrechnung kommt per Post.")

    message = mail.outbox[-1]
    assert message.subject == f"Neue Antwort zu Ihrem Anliegen {contact_request.reference}"
    assert "Sehr geehrte Frau Müller" in message.body
    day = timezone.localtime(contact_request.created_at).date()
    assert f"Ihr Anliegen vom {day:%d.%m.%Y}." in message.body


def test_mails_go_out_in_the_recipients_language_whatever_the_active_one(
    django_capture_on_commit_callbacks,
):
    english = tenant_speaking("en")
    german = tenant_speaking("de")
    context = {"month": date(2026, 11, 1)}

    with django_capture_on_commit_callbacks(execute=True):
        with translation.override("de"):  # e.g. a job, or a German clerk's action
            email_queue(to=english.user.email, template="consumption_new", context=context)
        with translation.override("en"):
            email_queue(to=german.user.email, template="consumption_new", context=context)

    to_english, to_german = mail.outbox[-2:]
    assert "November 2026" in to_english.subject and "Verbrauch" not in to_english.subject
    assert "November 2026" in to_german.subject and "Verbrauch" in to_german.subject


def test_clerks_and_unknown_addresses_are_written_to_in_german():
    clerk = StaffFactory(language="en")
    assert email_language(clerk.email) == "de"
    assert email_language("team@thor.example") == "de"
    assert email_language("team@thor.example", default="en") == "en"
    assert email_language(UserFactory(language="en").email.upper()) == "en"


def test_a_password_reset_mail_follows_the_accounts_language(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})

    message = mail.outbox[-1]
    assert message.to == [user.email]
    assert "Passwort" not in message.subject and "Password" in message.subject
