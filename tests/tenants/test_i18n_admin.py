"""Clerks edit German and English side by side; a missing English text is marked in the list.

Always as a clerk of customer service (the group that maintains these texts), never a superuser.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from requests.models import Category
from tenants.models import Area, ContactPerson, FaqEntry
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    clerk_groups_sync()
    user = StaffFactory()
    user.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(user)
    return client


def person(**texts):
    return ContactPerson.objects.create(
        name=texts.pop("name", "Sabine Sachmann"),
        area=Area.CUSTOMER_SERVICE,
        phone="040 1",
        email="s@thor.example",
        **texts,
    )


def faq(**texts):
    return FaqEntry.objects.create(topic="Anmeldung", question="Wie?", answer="So.", **texts)


def objects(response):
    return list(response.context["cl"].result_list)


CASES = {
    "contact persons": (
        "tenants_contactperson",
        lambda: person(role="Kundenbetreuerin", role_en="Adviser", office_hours="Mo 9–12 Uhr"),
        lambda: person(
            name="Bernd Buchholz",
            role="Mietenbuchhaltung",
            role_en="Rent accounting",
            office_hours="Mo 9–12 Uhr",
            office_hours_en="Mon 9 am–12 noon",
        ),
        [("role", "role_en"), ("office_hours", "office_hours_en")],
    ),
    "FAQ": (
        "tenants_faqentry",
        lambda: faq(topic_en="Login", question_en="How?"),
        lambda: faq(topic_en="Login", question_en="How?", answer_en="Like this."),
        [("topic", "topic_en"), ("question", "question_en"), ("answer", "answer_en")],
    ),
    "request categories": (
        "requests_category",
        lambda: (
            Category.objects.filter(name="Heizung").update(name_en=""),
            Category.objects.get(name="Heizung"),
        )[1],
        None,
        [("name", "name_en"), ("hint", "hint_en")],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_change_form_shows_german_and_english_side_by_side(clerk, case):
    model, incomplete, _complete, pairs = CASES[case]
    obj = incomplete()

    response = clerk.get(reverse(f"admin:{model}_change", args=[obj.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    for german, english in pairs:
        # One form row holding both fields: Django puts them next to each other.
        assert f'class="form-row field-{german} field-{english}"' in html
    assert "Texte (Deutsch | Englisch)" in html
    # The empty English field tells the clerk what tenants see meanwhile.
    assert "Englisch fehlt: Englische Seiten zeigen den deutschen Text" in html


@pytest.mark.parametrize("case", ["contact persons", "FAQ"])
def test_list_marks_entries_without_english_and_filters_them(clerk, case):
    model, incomplete, complete, _pairs = CASES[case]
    missing, done = incomplete(), complete()
    url = reverse(f"admin:{model}_changelist")

    listing = clerk.get(url)
    only_missing = clerk.get(url, {"english": "missing"})
    only_complete = clerk.get(url, {"english": "complete"})

    html = listing.content.decode()
    assert "Englischer Text" in html  # the column and the filter
    assert html.count('<img src="/static/admin/img/icon-no.svg" alt="False">') == 1
    assert html.count('<img src="/static/admin/img/icon-yes.svg" alt="True">') >= 1
    assert objects(only_missing) == [missing]
    assert done in objects(only_complete) and missing not in objects(only_complete)


def test_categories_without_english_name_are_marked(clerk):
    Category.objects.filter(name="Heizung").update(name_en="")
    url = reverse("admin:requests_category_changelist")

    missing = objects(clerk.get(url, {"english": "missing"}))

    assert [c.name for c in missing] == ["Heizung"]


def test_clerk_saves_both_languages_from_one_form(clerk):
    entry = faq()

    response = clerk.post(
        reverse("admin:tenants_faqentry_change", args=[entry.pk]),
        {
            "topic": "Anmeldung",
            "topic_en": "Login",
            "question": "Wie?",
            "question_en": "How?",
            "answer": "So.",
            "answer_en": "Like this.",
            "order": 0,
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.localized("en") == ("Login", "How?", "Like this.")
    assert entry.localized("de") == ("Anmeldung", "Wie?", "So.")
