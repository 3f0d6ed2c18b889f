"""How the tenant sees bank details: the upcoming account, the open change, grouped IBANs."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.banking import iban_check
from contracts.models import BankChangeRequest
from contracts.services import bank_change_approve
from tests.contracts.test_bank_change import NEW_IBAN, open_request, setup, url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_after_approval_the_contract_shows_the_upcoming_account_beside_the_current_one(
    client,
    setup,  # noqa: F811
):
    tenant, contract, clerk = setup
    change = open_request(tenant, contract)
    december = date(timezone.localdate().year + 1, 12, 1)
    BankChangeRequest.objects.filter(pk=change.pk).update(effective_month=december)
    change.refresh_from_db()
    bank_change_approve(bank_change=change, clerk=clerk)
    client.force_login(tenant.user)

    html = client.get(reverse("contracts:detail", args=[contract.contract_number])).content.decode()

    bank = iban_check(NEW_IBAN).bank_name
    assert f"Ab Dezember {december.year}: {bank} •••• 0101" in html
    assert "•••• 3000" in html  # the current account is still shown
    assert f"01.12.{december.year}" in html
    assert NEW_IBAN not in html and "1001 0010" not in html


def test_an_open_change_is_information_not_an_error(client, setup):  # noqa: F811
    tenant, contract, _ = setup
    open_request(tenant, contract)
    client.force_login(tenant.user)

    for page in (url(contract), reverse("contracts:detail", args=[contract.contract_number])):
        html = client.get(page).content.decode()
        notice = html[html.index("•••• 0101") - 400 : html.index("•••• 0101")]
        assert 'class="notice-info"' in notice
        assert "form-error" not in html


def test_the_checked_iban_is_shown_upper_case_in_groups_of_four(client, setup):  # noqa: F811
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    html = client.post(
        url(contract), {"iban": "de02100100100006820101", "holder_name": "M", "check": ""}
    ).content.decode()

    assert 'value="DE02 1001 0010 0006 8201 01"' in html
    assert '<span class="iban">DE02 1001 0010 0006 8201 01</span>' in html


def test_an_invalid_iban_is_shown_back_as_typed(client, setup):  # noqa: F811
    tenant, contract, _ = setup
    client.force_login(tenant.user)

    html = client.post(
        url(contract), {"iban": "de02 1001 0010 0006 8201 02", "holder_name": "M", "check": ""}
    ).content.decode()

    assert 'value="de02 1001 0010 0006 8201 02"' in html
    assert '<a href="#id_iban">' in html
