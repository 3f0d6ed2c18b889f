"""The app's "Meine Verträge": the same contracts, bank details and bank change as the pages."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from contracts.banking import effective_month
from contracts.models import BankChangeRequest, Mandate, RentAccount
from contracts.services import bank_change_approve
from documents.models import Delivery
from tenants.models import AuditEntry, OutboundEmail, Unit
from tests.tenants.factories import (
    ContactPersonFactory,
    ContractFactory,
    TenantFactory,
    UnitFactory,
)

from .access_contracts import NEW_IBAN, OLD_IBAN, _mandate, _open_change
from .kit import AppClient, problem, token_for

pytestmark = pytest.mark.django_db

WRONG_IBAN = "DE02 1001 0010 0006 8201 02"  # one digit off: the check digits do not fit


def _full_ibans(*ibans: str) -> list[str]:
    """Every way a full IBAN could appear: compact, in groups, lower case."""
    shown = []
    for iban in ibans:
        grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        shown += [iban, grouped, iban.lower(), iban[4:12]]
    return shown


def _app(tenant, language: str = "de") -> AppClient:
    tenant.user.language = language
    tenant.user.save(update_fields=["language"])
    return AppClient(token_for(tenant.user))


def _base(contract) -> str:
    return f"contracts/{contract.contract_number}"


def _send(**extra) -> dict:
    return {"iban": NEW_IBAN, "holder_name": "Eva Eigentlich", "consent": True, **extra}


@pytest.fixture
def owner(world):
    _mandate(world.owner_contract)
    return world.owner


# The contracts ------------------------------------------------------------------------------


def test_list_shows_every_contract_of_the_tenant_with_state_and_rent(world):
    owner = world.owner
    parking = ContractFactory(
        partners=[owner],
        unit=UnitFactory(kind=Unit.Kind.PARKING, street="Hofweg 3"),
        start_date=date(2099, 1, 1),
        grundmiete=Decimal("45.00"),
        betriebskosten_vorauszahlung=Decimal("0.00"),
        heizkosten_vorauszahlung=Decimal("0.00"),
    )
    ended = ContractFactory(
        partners=[owner], start_date=date(2015, 1, 1), end_date=date(2019, 12, 31)
    )

    response = _app(owner).get("contracts")

    assert response.status_code == 200
    rows = {row["contract_number"]: row for row in response.json()["results"]}
    assert set(rows) == {
        world.owner_contract.contract_number,
        parking.contract_number,
        ended.contract_number,
    }
    flat = rows[world.owner_contract.contract_number]
    assert flat["state"] == "current" and flat["state_label"] == "laufend"
    assert flat["label"] == f"Wohnung · {world.owner_contract.unit.address_street}"
    assert flat["rent"] == {
        "base_rent": "612.40",
        "operating_costs_advance": "155.00",
        "heating_costs_advance": "92.60",
        "total": "860.00",
        "currency": "EUR",
    }
    assert flat["start_date"] == "2020-01-01" and flat["end_date"] is None
    assert rows[parking.contract_number]["state"] == "upcoming"
    assert rows[parking.contract_number]["unit"]["kind"] == "parking"
    assert rows[parking.contract_number]["label"] == "Stellplatz · Hofweg 3"
    assert rows[parking.contract_number]["rent"]["total"] == "45.00"
    assert rows[ended.contract_number]["state"] == "ended"
    assert rows[ended.contract_number]["end_date"] == "2019-12-31"
    assert world.other_contract.contract_number not in response.content.decode()


def test_detail_shows_rent_partners_contacts_and_masked_bank_details(owner, world):
    contract = world.owner_contract
    partner = TenantFactory(first_name="Paul", last_name="Partner", user=None)
    contract.partners.add(partner)
    ContactPersonFactory(
        name="Frau Kontakt",
        property=contract.unit.property,
        role="Kundenbetreuung",
        role_en="Customer care",
        office_hours="Mo–Fr 9–15 Uhr",
        office_hours_en="Mon–Fri 9am–3pm",
    )
    ContactPersonFactory(name="Nicht hier")  # another property's contact person

    german = _app(owner).get(_base(contract))

    assert german.status_code == 200
    body = german.json()
    assert body["contract_number"] == contract.contract_number
    assert body["rent"]["total"] == "860.00"
    assert {p["name"] for p in body["partners"]} == {owner.full_name, "Paul Partner"}
    assert [c["name"] for c in body["contact_persons"]] == ["Frau Kontakt"]
    contact = body["contact_persons"][0]
    assert contact["role"] == "Kundenbetreuung" and contact["office_hours"] == "Mo–Fr 9–15 Uhr"
    assert contact["phone"] and contact["email"]
    bank = body["bank_details"]
    assert bank["current"]["holder_name"] == "Eva Eigentlich"
    assert bank["current"]["iban_masked"] == "•••• •••• •••• •••• 3000"
    assert bank["current"]["bank_name"] == "Commerzbank"
    assert bank["current"]["mandate_reference"] == f"{contract.contract_number}-M01"
    assert bank["upcoming"] is None and bank["open_change"] is None
    assert bank["can_change"] is True and bank["cannot_change_reason"] == ""
    for full in _full_ibans(OLD_IBAN):
        assert full not in german.content.decode()

    english = _app(owner, "en").get(_base(contract)).json()
    assert english["contact_persons"][0]["role"] == "Customer care"
    assert english["contact_persons"][0]["office_hours"] == "Mon–Fri 9am–3pm"
    assert english["state_label"] == "current"


def test_detail_shows_an_approved_account_from_its_month_and_an_open_change(owner, world):
    contract = world.owner_contract
    upcoming = _mandate(contract, n=2, valid_from=date(2099, 1, 1))
    upcoming.bank_name, upcoming.iban_last4 = "Postbank", "0101"
    upcoming.save()
    change = _open_change(owner, contract)
    RentAccount.objects.create(
        contract=contract,
        balance=Decimal("83.50"),
        balance_date=date(2026, 11, 20),
        open_since=date(2026, 11, 3),
        imported_at=timezone.now(),
    )

    body = _app(owner).get(_base(contract)).json()

    bank = body["bank_details"]
    assert bank["upcoming"]["summary"] == "Ab Januar 2099: Postbank •••• 0101"
    assert bank["upcoming"]["valid_from"] == "2099-01-01"
    assert bank["open_change"]["id"] == change.pk
    assert "wird bearbeitet" in bank["open_change"]["notice"]
    assert body["rent_account"]["balance"] == "83.50"
    assert body["rent_account"]["currency"] == "EUR"
    assert body["rent_account"]["sentence"].startswith("Offen:")


def test_another_tenants_contract_is_not_found(owner, world):
    response = _app(world.other).get(_base(world.owner_contract))

    assert response.status_code == 404
    assert problem(response)["code"] == "not_found"


# Checking an IBAN ---------------------------------------------------------------------------


def test_check_gives_the_iban_in_groups_with_bank_and_the_mandate_to_grant(owner, world):
    response = _app(owner).post(
        f"{_base(world.owner_contract)}/bank-change/check",
        json_body={"iban": "de02 1001 0010 0006 8201 01"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["iban"] == "DE02 1001 0010 0006 8201 01"
    assert body["bic"] == "PBNKDEFFXXX" and "Postbank" in body["bank_name"]
    assert body["mandate_reference"] == f"{world.owner_contract.contract_number}-M02"
    assert body["creditor"]["identifier"] == "DE98ZZZ09999999999"
    assert body["replaces_notice"] == ""
    assert not BankChangeRequest.objects.exists()


def test_check_says_a_new_change_replaces_the_open_one(owner, world):
    _open_change(owner, world.owner_contract)

    body = (
        _app(owner)
        .post(f"{_base(world.owner_contract)}/bank-change/check", json_body={"iban": NEW_IBAN})
        .json()
    )

    assert "ersetzt diese den bisherigen Antrag" in body["replaces_notice"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("de", "Tippfehler (die Prüfziffern passen nicht)"), ("en", "typing error")],
)
def test_a_wrong_iban_is_explained_in_the_accounts_language(owner, world, language, words):
    app = _app(owner, language)

    checked = app.post(
        f"{_base(world.owner_contract)}/bank-change/check", json_body={"iban": WRONG_IBAN}
    )
    sent = app.post(f"{_base(world.owner_contract)}/bank-changes", json_body=_send(iban=WRONG_IBAN))

    for response in (checked, sent):
        assert response.status_code == 422
        body = problem(response)
        assert body["code"] == "invalid"
        assert [error["field"] for error in body["errors"]] == ["iban"]
        assert words in body["errors"][0]["message"]
    assert not BankChangeRequest.objects.exists()


# Sending a change ---------------------------------------------------------------------------


def test_a_change_is_stored_with_its_month_audited_filed_and_confirmed(owner, world):
    contract = world.owner_contract
    before = timezone.now()

    response = _app(owner).post(
        f"{_base(contract)}/bank-changes",
        json_body=_send(reference=f"{contract.contract_number}-M02"),
    )

    assert response.status_code == 201
    body = response.json()
    change = BankChangeRequest.objects.get()
    assert body["id"] == change.pk and body["status"] == "open"
    assert body["status_label"] == "Offen"
    month = effective_month(before)
    assert body["effective_month"] == month.isoformat()
    with translation.override("de"):
        assert body["effective_month_label"] == date_format(month, "F Y")
        assert body["summary"].startswith(f"Ab {date_format(month, 'F Y')}: ")
    assert body["summary"].endswith("•••• 0101")
    assert body["due_date"] == change.due_date.isoformat()
    assert body["iban_masked"] == "•••• •••• •••• •••• 0101"
    assert body["mandate_reference"] == f"{contract.contract_number}-M02"
    assert body["can_withdraw"] is True
    assert change.iban == NEW_IBAN and change.submitted_by == owner
    assert change.ip_address == "127.0.0.1"
    audit = AuditEntry.objects.get(action="bank_change.submitted")
    assert audit.actor == owner.user and audit.tenant == owner
    assert Delivery.objects.filter(tenant=owner).count() == 1  # the mandate copy
    assert OutboundEmail.objects.filter(to=owner.user.email).exists()


def test_the_page_forms_rules_apply_with_field_names(owner, world):
    app = _app(owner)
    url = f"{_base(world.owner_contract)}/bank-changes"

    no_consent = app.post(url, json_body=_send(consent=False))
    other_holder = app.post(url, json_body=_send(holder_is_other=True, holder_postal_code="123"))

    assert no_consent.status_code == 422
    assert problem(no_consent)["errors"] == [
        {
            "field": "consent",
            "message": "Bitte erteilen Sie das SEPA-Mandat – ohne Mandat können wir die Miete "
            "nicht einziehen.",
        }
    ]
    fields = {error["field"] for error in problem(other_holder)["errors"]}
    assert fields == {"holder_street", "holder_postal_code", "holder_city"}
    assert not BankChangeRequest.objects.exists()


def test_an_other_holder_with_address_is_kept(owner, world):
    response = _app(owner).post(
        f"{_base(world.owner_contract)}/bank-changes",
        json_body=_send(
            holder_name="Franz Huber",
            holder_is_other=True,
            holder_street="Ringstraße 1",
            holder_postal_code="1010",
            holder_city="Wien",
            holder_country="AT",
        ),
    )

    assert response.status_code == 201
    assert response.json()["holder_is_tenant"] is False
    assert response.json()["holder_address"] == "Ringstraße 1, 1010 Wien, AT"


def test_a_new_change_replaces_the_open_one_and_the_same_form_is_stored_once(owner, world):
    app = _app(owner)
    url = f"{_base(world.owner_contract)}/bank-changes"

    first = app.post(url, json_body=_send(submission="form-1")).json()
    again = app.post(url, json_body=_send(submission="form-1")).json()
    second = app.post(url, json_body=_send(iban="DE12500105170648489890")).json()

    assert again["id"] == first["id"]
    assert app.get(f"{url}/{first['id']}").json()["status"] == "replaced"
    assert second["status"] == "open" and second["id"] != first["id"]
    assert BankChangeRequest.objects.count() == 2


def test_a_partners_change_since_the_check_asks_for_consent_again(owner, world):
    contract = world.owner_contract
    seen = f"{contract.contract_number}-M02"
    partner = TenantFactory()
    contract.partners.add(partner)
    _open_change(partner, contract)  # the partner was quicker and took M02

    response = _app(owner).post(f"{_base(contract)}/bank-changes", json_body=_send(reference=seen))

    assert response.status_code == 409
    body = problem(response)
    assert body["code"] == "reference_changed" and "Mandatsreferenz" in body["detail"]
    assert not BankChangeRequest.objects.filter(submitted_by=owner).exists()


def test_after_the_tenancy_bank_details_are_read_only(owner, world):
    contract = world.owner_contract
    contract.end_date = date(2021, 12, 31)
    contract.save()
    app = _app(owner)

    checked = app.post(f"{_base(contract)}/bank-change/check", json_body={"iban": NEW_IBAN})
    sent = app.post(f"{_base(contract)}/bank-changes", json_body=_send())
    detail = app.get(_base(contract)).json()

    for response in (checked, sent):
        assert response.status_code == 403
        body = problem(response)
        assert body["code"] == "read_only"
        assert body["detail"].startswith("Ihr Mietverhältnis ist beendet.")
        assert "31.03.2023" in body["detail"]  # open for reading 15 months after the end
    assert detail["bank_details"]["can_change"] is False
    assert detail["bank_details"]["cannot_change_reason"] == problem(sent)["detail"]
    assert not BankChangeRequest.objects.exists()


def test_an_ended_contract_beside_a_current_one_takes_no_change(owner, world):
    ended = ContractFactory(
        partners=[owner], start_date=date(2015, 1, 1), end_date=date(2019, 12, 31)
    )

    response = _app(owner).post(f"{_base(ended)}/bank-changes", json_body=_send())

    assert response.status_code == 409
    body = problem(response)
    assert body["code"] == "contract_ended"
    assert body["detail"] == (
        "Dieser Vertrag ist beendet. Bei Fragen zu Zahlungen wenden Sie sich bitte an uns."
    )


# State and withdrawal -----------------------------------------------------------------------


def test_the_tenant_sees_the_state_and_can_withdraw_until_processed(owner, world):
    contract = world.owner_contract
    app = _app(owner)
    change = _open_change(owner, contract)
    url = f"{_base(contract)}/bank-changes/{change.pk}"

    assert app.get(url).json()["status"] == "open"
    withdrawn = app.post(f"{url}/withdraw")

    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["status_label"] == "Von der Mieterin/dem Mieter zurückgezogen"
    assert withdrawn.json()["can_withdraw"] is False and withdrawn.json()["due_date"] is None
    audit = AuditEntry.objects.get(action="bank_change.withdrawn")
    assert audit.tenant == owner and audit.ip_address == "127.0.0.1"

    again = app.post(f"{url}/withdraw")
    assert again.status_code == 409
    assert problem(again)["code"] == "not_open"
    assert "nicht mehr zurückgezogen" in problem(again)["detail"]


def test_an_approved_change_cannot_be_withdrawn(owner, world):
    change = _open_change(owner, world.owner_contract)
    bank_change_approve(bank_change=change, clerk=world.clerk)
    url = f"{_base(world.owner_contract)}/bank-changes/{change.pk}"

    response = _app(owner, "en").post(f"{url}/withdraw")

    assert response.status_code == 409
    assert problem(response)["detail"] == (
        "This request has already been processed and can no longer be withdrawn."
    )
    assert _app(owner, "en").get(url).json()["status_label"] == "Approved"


def test_a_change_of_another_contract_is_not_found_under_ones_own(owner, world):
    theirs = _open_change(world.other, world.other_contract)
    app = _app(owner)

    for response in (
        app.get(f"{_base(world.owner_contract)}/bank-changes/{theirs.pk}"),
        app.post(f"{_base(world.owner_contract)}/bank-changes/{theirs.pk}/withdraw"),
    ):
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == BankChangeRequest.Status.OPEN


def test_no_answer_contains_a_full_iban(owner, world):
    contract = world.owner_contract
    app = _app(owner)
    upcoming = Mandate.objects.create(
        contract=contract,
        reference="X-M09",
        signed_on=date(2020, 1, 1),
        valid_from=date(2099, 1, 1),
        holder_name="Eva Eigentlich",
        iban=NEW_IBAN,
        iban_last4=NEW_IBAN[-4:],
    )
    assert upcoming.iban == NEW_IBAN

    sent = app.post(f"{_base(contract)}/bank-changes", json_body=_send())
    url = f"{_base(contract)}/bank-changes/{sent.json()['id']}"
    answers = [
        sent,
        app.get("contracts"),
        app.get(_base(contract)),
        app.get(url),
        app.post(f"{url}/withdraw"),
    ]

    for response in answers:
        assert response.status_code in (200, 201)
        text = json.dumps(response.json(), ensure_ascii=False)
        for full in _full_ibans(NEW_IBAN, OLD_IBAN):
            assert full not in text
