"""Forms to print: title and description in the page's language, edited side by side by clerks."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.models import StaticForm
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def static_form(**texts):
    form = StaticForm(is_active=True, original_name="form.pdf", **texts)
    form.file.save("f", ContentFile(PDF), save=False)
    form.save()
    return form


@pytest.fixture
def tenant_client(client):
    tenant = TenantFactory()
    ContractFactory(partners=[tenant])

    def speak(language):
        tenant.user.language = language
        tenant.user.save()
        client.force_login(tenant.user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return speak


@pytest.fixture
def pet_form():
    return static_form(
        title="Antrag auf Tierhaltung",
        title_en="Application to keep a pet",
        description="Für Hunde und Katzen.",
        description_en="For dogs and cats.",
    )


def test_english_forms_page_shows_english_title_and_description(tenant_client, pet_form):
    page = tenant_client("en").get(reverse("forms:index")).content.decode()

    assert "Application to keep a pet" in page and "For dogs and cats." in page
    assert "Antrag auf Tierhaltung" not in page and "Für Hunde und Katzen." not in page


def test_german_forms_page_shows_german_title_and_description(tenant_client, pet_form):
    page = tenant_client("de").get(reverse("forms:index")).content.decode()

    assert "Antrag auf Tierhaltung" in page and "Für Hunde und Katzen." in page
    assert "Application to keep a pet" not in page


def test_a_form_without_english_text_shows_german_on_english_pages(tenant_client):
    static_form(title="Antrag auf Untervermietung", description="Zum Ausdrucken.")

    page = tenant_client("en").get(reverse("forms:index")).content.decode()

    assert "Antrag auf Untervermietung" in page and "Zum Ausdrucken." in page


def test_customer_service_edits_both_languages_and_sees_which_lack_english(client, pet_form):
    german_only = static_form(title="Antrag auf Untervermietung", description="Zum Ausdrucken.")
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)

    change = client.get(reverse("admin:documents_staticform_change", args=[german_only.pk]))
    listing = client.get(reverse("admin:documents_staticform_changelist"))
    missing = client.get(reverse("admin:documents_staticform_changelist"), {"english": "missing"})

    assert change.status_code == 200
    html = change.content.decode()
    for name in ("title", "title_en", "description", "description_en"):
        assert f'name="{name}"' in html
    assert "English pages show the German text until you fill this in" in html or (
        "Englische Seiten zeigen den deutschen Text, bis Sie dieses Feld ausfüllen" in html
    )
    assert list(listing.context["cl"].result_list) == [pet_form, german_only]
    assert 'class="column-english_complete"' in listing.content.decode()
    assert "icon-no.svg" in listing.content.decode() and "icon-yes.svg" in listing.content.decode()
    assert list(missing.context["cl"].result_list) == [german_only]
