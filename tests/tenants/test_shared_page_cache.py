"""Pages that are the same for every visitor, kept once per language (tenants.cards), and the
page frame's fragments (base.html): what a clerk changes shows at once, nothing mixes up.

Clerks as customer service (the group that maintains the FAQ and the forms), never superusers.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from documents.models import StaticForm
from tenants.models import FaqEntry
from tests.tenants.factories import ContractFactory, TenantFactory, clerk_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clerk(client):
    client.force_login(clerk_in("Kundenservice"))
    return client


@pytest.fixture
def tenant_client():
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    ContractFactory(partners=[tenant])
    client = Client()
    client.force_login(tenant.user)
    return client


def test_a_clerks_faq_edit_in_the_admin_shows_on_the_help_page_at_once(clerk):
    visitor = Client()
    entry = FaqEntry.objects.create(
        topic="Anmeldung", question="Wie melde ich mich an?", answer="So."
    )
    assert "Wie melde ich mich an?" in visitor.get(reverse("tenants:help")).content.decode()

    response = clerk.post(
        reverse("admin:tenants_faqentry_change", args=[entry.pk]),
        {
            "topic": "Anmeldung",
            "topic_en": "Sign-in",
            "question": "Wie melde ich mich mit dem Code an?",
            "question_en": "How do I sign in with the code?",
            "answer": "Mit dem Brief.",
            "answer_en": "With the letter.",
            "order": 0,
            "is_published": "on",
        },
    )
    assert response.status_code == 302

    html = visitor.get(reverse("tenants:help")).content.decode()
    assert "Wie melde ich mich mit dem Code an?" in html
    assert "Wie melde ich mich an?" not in html

    response = clerk.post(
        reverse("admin:tenants_faqentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert (
        "Wie melde ich mich mit dem Code an?"
        not in visitor.get(reverse("tenants:help")).content.decode()
    )


def test_the_help_page_is_kept_per_language():
    german, english = Client(), Client()
    english.cookies["django_language"] = "en"

    assert (
        "Wie registriere ich mich im Portal?"
        in german.get(reverse("tenants:help")).content.decode()
    )
    html = english.get(reverse("tenants:help")).content.decode()
    assert "How do I register for the portal?" in html
    assert "Wie registriere ich mich im Portal?" not in html
    assert (
        "Wie registriere ich mich im Portal?"
        in german.get(reverse("tenants:help")).content.decode()
    )


def test_the_help_page_offers_the_request_form_only_to_signed_in_visitors(tenant_client):
    contact = reverse("requests:index")
    anonymous = Client()
    anonymous.get(reverse("tenants:help"))  # the shared part is cached by now

    assert f'href="{contact}"' not in anonymous.get(reverse("tenants:help")).content.decode()
    assert f'href="{contact}"' in tenant_client.get(reverse("tenants:help")).content.decode()


def test_a_new_or_withdrawn_form_shows_on_the_forms_page_at_once(tenant_client):
    page = reverse("forms:index")
    assert "Antrag auf Tierhaltung" not in tenant_client.get(page).content.decode()

    form = StaticForm(title="Antrag auf Tierhaltung", is_active=True, original_name="Tiere.pdf")
    form.file.save("tiere.pdf", ContentFile(PDF), save=False)
    form.save()
    assert "Antrag auf Tierhaltung" in tenant_client.get(page).content.decode()

    form.is_active = False
    form.save()
    assert "Antrag auf Tierhaltung" not in tenant_client.get(page).content.decode()


def test_the_frame_marks_the_current_area_and_follows_the_language(tenant_client):
    def current(html):
        return html.split('aria-current="page"')[0].rsplit("<li", 1)[1]

    assert "nav-contracts" in current(
        tenant_client.get(reverse("contracts:index")).content.decode()
    )
    assert "nav-documents" in current(
        tenant_client.get(reverse("documents:index")).content.decode()
    )
    html = tenant_client.get(reverse("contracts:index")).content.decode()
    assert html.count('aria-current="page"') == 1
    assert "nav-contracts" in current(html)
    assert "Meine Verträge" in html

    tenant_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = tenant_client.get(reverse("contracts:index")).content.decode()
    assert "My contracts" in html and "Meine Verträge" not in html
    assert "Deutsch" in html  # the switch offers the other language
    assert "Emergency service" in html
