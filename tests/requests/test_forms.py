"""Kontakt forms as a tenant meets them after a mistake: a summary, specific messages, no unit
question for the postal address, a photo picker that works without script."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from requests.models import Category, ContactRequest
from tenants.roles import clerk_groups_sync
from tests.requests.test_requests import report_damage, water, world  # noqa: F401
from tests.tenants.factories import ContractFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db

GENERIC = "Dieses Feld ist zwingend erforderlich"
# What a browser sends for a form left empty.
EMPTY = {"subject": "", "message": ""}


def summary_links(html: str) -> list[tuple[str, str]]:
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</ul>", html.index('class="error-summary"')
        )
    ]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def test_an_empty_damage_report_lists_every_error_as_a_link_to_its_field(client, world):  # noqa: F811
    tenant, _, _ = world
    client.force_login(tenant.user)

    response = client.post(reverse("requests:create", args=[water().pk]), EMPTY)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" tabindex="-1"' in html
    assert "Bitte korrigieren Sie Folgendes:" in html
    # In the order of the page, each with the field's own message.
    assert summary_links(html) == [
        ("id_location", "Bitte geben Sie an, wo in der Wohnung der Schaden ist."),
        ("id_since", "Bitte geben Sie an, seit wann Sie den Schaden bemerkt haben."),
        ("id_message", "Bitte beschreiben Sie Ihr Anliegen."),
    ]
    # The messages also stay next to their fields, tied to the inputs.
    assert re.search(
        r'<textarea[^>]*aria-invalid="true"[^>]*aria-describedby="id_message_error"', html
    ) or re.search(
        r'<textarea[^>]*aria-describedby="id_message_error"[^>]*aria-invalid="true"', html
    )
    assert 'id="id_message_error"' in html
    assert GENERIC not in html
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (
            "Änderung der Postanschrift",
            [
                "Bitte geben Sie die neue Straße und Hausnummer ein.",
                "Bitte geben Sie die Postleitzahl der neuen Anschrift ein.",
                "Bitte geben Sie den Ort der neuen Anschrift ein.",
            ],
        ),
        (
            "Dokument anfordern",
            [
                "Bitte geben Sie an, welches Dokument Sie benötigen.",
                "Bitte beschreiben Sie Ihr Anliegen.",
            ],
        ),
        ("Allgemeine Anfrage", ["Bitte beschreiben Sie Ihr Anliegen."]),
    ],
)
def test_every_required_field_says_what_is_missing(client, world, category, expected):  # noqa: F811
    tenant, _, _ = world
    client.force_login(tenant.user)
    pk = Category.objects.get(name=category).pk

    html = client.post(reverse("requests:create", args=[pk]), EMPTY).content.decode()

    assert [message for _field, message in summary_links(html)] == expected


def test_no_kontakt_form_falls_back_to_the_generic_message(client, world):  # noqa: F811
    tenant, contract, _ = world
    ContractFactory(partners=[tenant], unit=UnitFactory(property=contract.unit.property))
    client.force_login(tenant.user)

    for category in Category.objects.all():
        html = client.post(reverse("requests:create", args=[category.pk]), EMPTY).content.decode()
        assert "error-summary" in html, category
        assert GENERIC not in html, category


def test_an_empty_answer_is_explained_at_the_top_of_the_form(client, world):  # noqa: F811
    tenant, _, _ = world
    client.force_login(tenant.user)
    report_damage(client)
    reference = ContactRequest.objects.get().reference

    html = client.post(
        reverse("requests:detail", args=[reference]), {"message": ""}
    ).content.decode()

    assert summary_links(html) == [("id_message", "Bitte schreiben Sie Ihre Antwort.")]


def test_the_address_change_asks_for_no_flat_or_parking_space(
    client,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    tenant, contract, _ = world
    ContractFactory(partners=[tenant], unit=UnitFactory(property=contract.unit.property))
    client.force_login(tenant.user)
    category = Category.objects.get(name="Änderung der Postanschrift")

    page = client.get(reverse("requests:create", args=[category.pk])).content.decode()
    assert "Wohnung oder Stellplatz" not in page and 'name="unit"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("requests:create", args=[category.pk]),
            {"street": "Neue Straße 5", "postal_code": "20095", "city": "Hamburg"},
        )

    request = ContactRequest.objects.get()
    assert response.status_code == 302
    assert request.unit is None and request.details["street"] == "Neue Straße 5"
    # The clerk still sees whose address it is.
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)
    admin_page = client.get(
        reverse("admin:requests_contactrequest_change", args=[request.pk])
    ).content.decode()
    assert tenant.last_name in admin_page and tenant.tenant_number in admin_page


def test_the_photo_picker_is_a_labelled_file_input_that_works_without_script(client, world):  # noqa: F811
    tenant, _, _ = world
    client.force_login(tenant.user)

    html = client.get(reverse("requests:create", args=[water().pk])).content.decode()

    field = html[html.index('class="field file-field"') :]
    field = field[: field.index("</ul>")]
    assert '<label class="file-drop" for="id_attachments">' in field
    assert re.search(
        r'<input type="file" name="attachments"[^>]*multiple[^>]*id="id_attachments"', field
    )
    assert "Fotos oder Dokumente" in field
    assert 'accept="image/jpeg,image/png,image/heic,application/pdf"' in field
    assert "<script" not in field and "style=" not in field
