"""Request categories and their hints in the page's language; German where English is missing."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from requests.models import Category, ContactRequest
from tenants.i18n import english_missing, localized
from tests.tenants.factories import ContractFactory, TeamFactory, TenantFactory

pytestmark = pytest.mark.django_db


def speak(client, user, language):
    """The tenant uses the portal in `language` (the account's language and the cookie)."""
    user.language = language
    user.save()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


@pytest.fixture
def tenant():
    tenant = TenantFactory()
    ContractFactory(partners=[tenant])
    TeamFactory(area="technical", name="Team Technik", email="technik@thor.example")
    TeamFactory(area="customer_service", name="Team Kundenservice", email="ks@thor.example")
    return tenant


def heating():
    return Category.objects.get(name="Heizung")


def water():
    return Category.objects.get(name="Wasser/Sanitär")


def test_localized_takes_english_where_it_exists_and_german_otherwise():
    both = SimpleNamespace(role="Kundenbetreuerin", role_en="Customer adviser")
    german_only = SimpleNamespace(role="Kundenbetreuerin", role_en="  ")

    assert localized(both, "role", "en") == "Customer adviser"
    assert localized(both, "role", "en-gb") == "Customer adviser"
    assert localized(both, "role", "de") == "Kundenbetreuerin"
    assert localized(german_only, "role", "en") == "Kundenbetreuerin"
    assert english_missing(german_only, ["role"]) and not english_missing(both, ["role"])


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("en", ["Heating", "Water/plumbing", "Rent certificate"], ["Heizung", "Wasser/Sanitär"]),
        ("de", ["Heizung", "Wasser/Sanitär", "Mietbescheinigung"], ["Heating", "Water/plumbing"]),
    ],
)
def test_choosing_a_topic_lists_the_categories_in_the_page_language(
    client, tenant, language, shown, hidden
):
    speak(client, tenant.user, language)

    page = client.get(reverse("requests:choose")).content.decode()

    for name in shown:
        assert name in page
    for name in hidden:
        assert name not in page


@pytest.mark.parametrize(
    ("language", "title", "hint"),
    [
        ("en", "Heating", "Please tell us the room"),
        ("de", "Heizung", "Bitte nennen Sie den Raum"),
    ],
)
def test_the_form_shows_the_category_and_its_hint_in_the_page_language(
    client, tenant, language, title, hint
):
    speak(client, tenant.user, language)

    page = client.get(reverse("requests:create", args=[heating().pk])).content.decode()

    assert f"<h1>{title}</h1>" in page
    assert hint in page


def test_a_category_without_english_shows_german_on_english_pages(client, tenant):
    Category.objects.filter(pk=heating().pk).update(name_en="", hint_en="")
    speak(client, tenant.user, "en")

    page = client.get(reverse("requests:create", args=[heating().pk])).content.decode()

    assert "<h1>Heizung</h1>" in page and "Bitte nennen Sie den Raum" in page


@pytest.mark.parametrize(
    ("language", "topic", "other"),
    [("en", "Water/plumbing", "Wasser/Sanitär"), ("de", "Wasser/Sanitär", "Water/plumbing")],
)
def test_list_detail_and_confirmation_mail_name_the_topic_in_the_tenants_language(
    client, tenant, language, topic, other, django_capture_on_commit_callbacks
):
    speak(client, tenant.user, language)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("requests:create", args=[water().pk]),
            {"message": "Puddle", "location": "Kitchen", "since": "today", "subject": "Leak"},
        )
    request = ContactRequest.objects.get()

    listing = client.get(reverse("requests:index")).content.decode()
    detail = client.get(reverse("requests:detail", args=[request.reference])).content.decode()

    assert topic in listing and other not in listing
    assert f"<dd>{topic}</dd>" in detail and other not in detail
    confirmation = next(m for m in mail.outbox if m.to == [tenant.user.email])
    assert topic in confirmation.body and other not in confirmation.body
