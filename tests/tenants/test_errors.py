"""Refusals reach tenants and clerks as translated messages, never as codes or a 500."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from contracts.banking import iban_check
from contracts.services import bank_change_submit
from requests.models import Category
from requests.services import RequestError, request_create
from tenants.errors import PortalError
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

GENERIC_DE = "Das hat leider nicht geklappt. Bitte versuchen Sie es noch einmal"


@pytest.fixture
def clerk_client(client):
    def login(group: str):
        clerk_groups_sync()
        user = StaffFactory()
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return user

    return login


@pytest.fixture
def contract():
    return ContractFactory(partners=[TenantFactory()])


def contact_request_in(contract, category_name: str):
    return request_create(
        tenant=contract.partners.get(),
        category=Category.objects.get(name=category_name),
        message="Bitte",
        unit=contract.unit,
    )


def change_page(contact_request) -> str:
    return reverse("admin:requests_contactrequest_change", args=[contact_request.pk])


def test_an_error_without_a_message_has_the_generic_one():
    error = PortalError(code="brand_new")

    with translation.override("de"):
        assert error.message.startswith(GENERIC_DE)
        assert str(error) == error.message
    assert error.code == "brand_new"


def test_a_new_error_code_shows_the_generic_german_text_to_the_clerk(
    client, contract, clerk_client, monkeypatch
):
    contact_request = contact_request_in(contract, "Wasser/Sanitär")
    clerk_client("Technik")

    def refuse(**kwargs):
        raise RequestError(code="brand_new")

    monkeypatch.setattr("requests.admin.request_reply_by_clerk", refuse)
    response = client.post(
        change_page(contact_request),
        {"status": "received", "assigned_to": "", "reply_body": "Hallo", "_reply": "Senden"},
        follow=True,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_DE in html and "brand_new" not in html


def test_contact_admin_says_in_german_that_an_answer_needs_a_text(client, contract, clerk_client):
    contact_request = contact_request_in(contract, "Wasser/Sanitär")
    clerk_client("Technik")

    response = client.post(
        change_page(contact_request),
        {"status": "received", "assigned_to": "", "reply_body": " ", "_reply": "Senden"},
        follow=True,
    )

    assert "Bitte schreiben Sie zuerst einen Text." in response.content.decode()


def test_answering_with_a_non_pdf_shows_the_documents_german_message(
    client, contract, clerk_client
):
    contact_request = contact_request_in(contract, "Dokument anfordern")
    clerk_client("Kundenservice")

    response = client.post(
        change_page(contact_request),
        {
            "status": "received",
            "assigned_to": "",
            "document_title": "Mietbescheinigung",
            "document_file": SimpleUploadedFile("brief.pdf", b"not a pdf"),
            "_send_document": "1",
        },
        follow=True,
    )

    assert "Das Dokument muss ein PDF sein." in response.content.decode()
    contact_request.refresh_from_db()
    assert contact_request.is_open


def test_bank_change_admin_asks_in_german_for_a_rejection_reason(client, contract, clerk_client):
    change = bank_change_submit(
        tenant=contract.partners.get(),
        contract=contract,
        checked_iban=iban_check("DE02100100100006820101"),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )
    clerk_client("Mietenbuchhaltung")

    response = client.post(
        reverse("admin:contracts_bankchangerequest_change", args=[change.pk]),
        {"assigned_to": "", "decision_reason": "", "_reject": "Ablehnen"},
        follow=True,
    )

    assert "einen Grund für die Ablehnung an" in response.content.decode()


def test_a_new_error_code_shows_the_generic_german_text_to_the_tenant(
    client, contract, monkeypatch
):
    tenant = contract.partners.get()
    change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check("DE02100100100006820101"),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )

    def refuse(**kwargs):
        raise PortalError(code="brand_new")

    monkeypatch.setattr("contracts.views.bank_change_withdraw", refuse)
    client.force_login(tenant.user)
    response = client.post(
        reverse("contracts:bank_change_withdraw", args=[contract.contract_number, change.pk]),
        follow=True,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_DE in html and "brand_new" not in html
