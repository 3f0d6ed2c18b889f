"""App API of "Meine Verträge": the contracts, their bank details, the change of bank details.

A thin layer over the pages (contracts.views): the same scoped selectors (another tenant's
contract or request answers 404), the page's ``BankChangeForm`` for validation (its German or
English messages), the page's services for every change (they write the audit rows) and the
same refusals (``bank_change_check_allowed``). IBANs leave only masked, as on the pages; only
the IBAN check gives back the IBAN the tenant just typed, in groups of four.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from ninja import Router, Schema
from ninja.responses import Status

from tenants.apikit import ApiError, form_errors, problem_responses
from tenants.http import client_ip
from tenants.i18n import localized
from tenants.models import ContactPerson, Contract
from tenants.selectors import contact_person_list

from .banking import sepa_creditor
from .forms import BankChangeForm
from .models import BankChangeRequest, Mandate, RentAccount
from .rent_account import rent_account_of, rent_account_sentence
from .selectors import BankDetails, bank_change_get, contract_bank_details, contract_get
from .selectors import contract_list as contract_list_selector
from .services import (
    BankChangeNotAllowedError,
    bank_change_check_allowed,
    bank_change_submit,
    bank_change_withdraw,
    mandate_reference_next,
)

router = Router(tags=["Verträge / Contracts"])

ContractState = Literal["current", "upcoming", "ended"]
UnitKind = Literal["flat", "parking", "commercial"]
BankChangeStatus = Literal["open", "approved", "rejected", "withdrawn", "replaced"]


# Schemas ------------------------------------------------------------------------------------


class UnitOut(Schema):
    number: str
    kind: UnitKind
    kind_label: str
    location: str
    street: str
    postal_code: str
    city: str
    living_area: Decimal | None  # m²


class RentOut(Schema):
    """The monthly rent as agreed in the contract."""

    base_rent: Decimal  # Grundmiete
    operating_costs_advance: Decimal  # Betriebskostenvorauszahlung
    heating_costs_advance: Decimal  # Heizkostenvorauszahlung
    total: Decimal
    currency: Literal["EUR"] = "EUR"


class ContractSummary(Schema):
    contract_number: str
    label: str  # "Wohnung · Hafenstraße 5", as the pages title the contract
    unit: UnitOut
    start_date: date
    end_date: date | None  # the last day of the tenancy (inclusive)
    state: ContractState
    state_label: str
    rent: RentOut


class ContractList(Schema):
    """All the tenant's contracts (a few at most), in the order of the page."""

    results: list[ContractSummary]


class PartnerOut(Schema):
    name: str


class ContactPersonOut(Schema):
    name: str
    role: str  # in the account's language (German where no English text exists)
    area_label: str
    phone: str
    email: str
    office_hours: str


class MandateOut(Schema):
    """Bank details the rent is collected from; the IBAN masked (last four characters)."""

    holder_name: str
    iban_masked: str
    bank_name: str
    bic: str
    mandate_reference: str
    valid_from: date


class UpcomingMandateOut(MandateOut):
    summary: str  # "Ab Dezember 2026: Postbank •••• 0101"
    notice: str


class OpenChangeOut(Schema):
    id: int
    received_at: datetime
    iban_masked: str
    effective_month: date
    notice: str  # "Ihre Änderung vom … auf das Konto … wird bearbeitet."


class BankDetailsOut(Schema):
    current: MandateOut | None  # None: the tenant transfers the rent
    current_notice: str  # the page's sentence where there is no mandate
    upcoming: UpcomingMandateOut | None
    open_change: OpenChangeOut | None
    can_change: bool
    cannot_change_reason: str  # why not (ended contract, after the tenancy), else ""


class RentAccountOut(Schema):
    """The balance as the accounting last reported it (positive: the tenant owes it)."""

    balance: Decimal
    currency: Literal["EUR"] = "EUR"
    balance_date: date
    open_since: date | None
    sentence: str


class ContractDetail(ContractSummary):
    partners: list[PartnerOut]
    contact_persons: list[ContactPersonOut]
    bank_details: BankDetailsOut
    rent_account: RentAccountOut | None


class IbanIn(Schema):
    iban: str


class CreditorOut(Schema):
    name: str
    address: str
    identifier: str


class IbanChecked(Schema):
    """The IBAN as checked, and the mandate the tenant will grant with it."""

    iban: str  # the IBAN just typed, upper case in groups of four
    bic: str
    bank_name: str
    mandate_reference: str  # send it back as `reference` with the change
    creditor: CreditorOut
    replaces_notice: str  # set when a change is still open: a new one replaces it


class BankChangeIn(Schema):
    """The fields of the page's form "Bankverbindung ändern"."""

    iban: str
    holder_name: str
    holder_is_other: bool = False  # the holder is not a tenant of this contract
    holder_street: str = ""
    holder_postal_code: str = ""
    holder_city: str = ""
    holder_country: str = "DE"
    consent: bool = False  # grants the SEPA mandate shown by the check
    # The mandate reference the tenant consented to (from the check); a newer one gives 409.
    reference: str = ""
    # A random token per form shown: the same change sent twice is stored once.
    submission: str = ""


class BankChangeOut(Schema):
    id: int
    contract_number: str
    status: BankChangeStatus
    status_label: str
    received_at: datetime
    effective_month: date  # the first day of the month the new account is used from
    effective_month_label: str  # "Dezember 2026"
    summary: str  # "Ab Dezember 2026: Postbank •••• 0101"
    due_date: date | None  # expected processing date while it is open
    holder_name: str
    holder_is_tenant: bool
    holder_address: str
    iban_masked: str
    bank_name: str
    bic: str
    mandate_reference: str
    rejection_reason: str
    can_withdraw: bool


# Building the answers -----------------------------------------------------------------------


def _month(day: date) -> str:
    return date_format(day, "F Y")


def _account_summary(*, month: date, bank_name: str, bic: str, last4: str) -> str:
    # The page's sentence for an approved account that takes effect later (_bank_details.html).
    return _("From %(month)s: %(bank)s •••• %(last4)s") % {
        "month": _month(month),
        "bank": bank_name or bic,
        "last4": last4,
    }


def _unit(contract: Contract) -> dict:
    unit = contract.unit
    return {
        "number": unit.number,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "location": unit.location,
        "street": unit.address_street,
        "postal_code": unit.property.postal_code,
        "city": unit.property.city,
        "living_area": unit.living_area,
    }


def _summary(contract: Contract) -> dict:
    return {
        "contract_number": contract.contract_number,
        "label": f"{contract.unit.get_kind_display()} · {contract.unit.address_street}",
        "unit": _unit(contract),
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "state": contract.phase(),
        "state_label": str(contract.phase_label()),
        "rent": {
            "base_rent": contract.grundmiete,
            "operating_costs_advance": contract.betriebskosten_vorauszahlung,
            "heating_costs_advance": contract.heizkosten_vorauszahlung,
            "total": contract.total_rent,
        },
    }


def _mandate(mandate: Mandate) -> dict:
    return {
        "holder_name": mandate.holder_name,
        "iban_masked": mandate.iban_masked,
        "bank_name": mandate.bank_name,
        "bic": mandate.bic,
        "mandate_reference": mandate.reference,
        "valid_from": mandate.valid_from,
    }


def _bank_details(bank: BankDetails, *, refusal: str) -> dict:
    upcoming = None
    if bank.next_mandate is not None:
        mandate = bank.next_mandate
        upcoming = {
            **_mandate(mandate),
            "summary": _account_summary(
                month=mandate.valid_from,
                bank_name=mandate.bank_name,
                bic=mandate.bic,
                last4=mandate.iban_last4,
            ),
            "notice": _(
                "We collect the rent from this new account from %(date)s; until then from the "
                "current one."
            )
            % {"date": date_format(mandate.valid_from, "SHORT_DATE_FORMAT")},
        }
    open_change = None
    if bank.open_change is not None:
        change = bank.open_change
        open_change = {
            "id": change.pk,
            "received_at": change.received_at,
            "iban_masked": change.iban_masked,
            "effective_month": change.effective_month,
            "notice": _("Your change of %(date)s to the account %(iban)s is being processed.")
            % {
                "date": date_format(change.received_at, "SHORT_DATE_FORMAT"),
                "iban": change.iban_masked,
            },
        }
    return {
        "current": _mandate(bank.mandate) if bank.mandate else None,
        "current_notice": ""
        if bank.mandate
        else _(
            "We have no direct debit mandate for this contract: you transfer the rent yourself."
        ),
        "upcoming": upcoming,
        "open_change": open_change,
        "can_change": not refusal,
        "cannot_change_reason": refusal,
    }


def _contact(person: ContactPerson) -> dict:
    return {
        "name": person.name,
        "role": localized(person, "role"),
        "area_label": person.get_area_display(),
        "phone": person.phone,
        "email": person.email,
        "office_hours": localized(person, "office_hours"),
    }


def _rent_account(account: RentAccount | None) -> dict | None:
    if account is None:
        return None
    return {
        "balance": account.balance,
        "balance_date": account.balance_date,
        "open_since": account.open_since,
        "sentence": rent_account_sentence(account),
    }


def _bank_change(change: BankChangeRequest) -> dict:
    return {
        "id": change.pk,
        "contract_number": change.contract.contract_number,
        "status": change.status,
        "status_label": capfirst(change.get_status_display()),
        "received_at": change.received_at,
        "effective_month": change.effective_month,
        "effective_month_label": _month(change.effective_month),
        "summary": _account_summary(
            month=change.effective_month,
            bank_name=change.bank_name,
            bic=change.bic,
            last4=change.iban_last4,
        ),
        "due_date": change.due_date if change.is_open else None,
        "holder_name": change.holder_name,
        "holder_is_tenant": change.holder_is_tenant,
        "holder_address": "" if change.holder_is_tenant else change.holder_address,
        "iban_masked": change.iban_masked,
        "bank_name": change.bank_name,
        "bic": change.bic,
        "mandate_reference": change.mandate_reference,
        "rejection_reason": change.rejection_reason,
        "can_withdraw": change.is_open,
    }


def _allowed(request: HttpRequest, contract: Contract) -> None:
    """The page's refusals: 403 ``read_only`` after the tenancy, 409 for an ended contract."""
    try:
        bank_change_check_allowed(tenant=request.tenant, contract=contract)
    except BankChangeNotAllowedError as error:
        status = 403 if error.code == "read_only" else 409
        raise ApiError(status, error.code, error.message) from error


# Endpoints ----------------------------------------------------------------------------------


@router.get(
    "",
    response={200: ContractList, **problem_responses()},
    summary="My contracts",
)
def contract_list(request: HttpRequest):
    """The tenant's contracts as on "Meine Verträge": current, upcoming and ended ones, with
    unit, dates and the monthly rent."""
    return {"results": [_summary(c) for c in contract_list_selector(tenant=request.tenant)]}


@router.get(
    "/{contract_number}",
    response={200: ContractDetail, **problem_responses(404)},
    summary="One contract",
)
def contract_detail(request: HttpRequest, contract_number: str):
    """The contract page: rent, contract partners, bank details (IBAN masked) with an approved
    or pending change, the rent account's balance and the contact persons of the property."""
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    try:
        bank_change_check_allowed(tenant=request.tenant, contract=contract)
    except BankChangeNotAllowedError as error:
        refusal = error.message
    else:
        refusal = ""
    contacts = contact_person_list(property_ids=[contract.unit.property_id])
    return {
        **_summary(contract),
        "partners": [{"name": partner.full_name} for partner in contract.partners.all()],
        "contact_persons": [_contact(person) for person in contacts],
        "bank_details": _bank_details(contract_bank_details(contract=contract), refusal=refusal),
        "rent_account": _rent_account(rent_account_of(contract=contract)),
    }


@router.post(
    "/{contract_number}/bank-change/check",
    response={200: IbanChecked, **problem_responses(404, 409, 422)},
    summary="Check an IBAN before changing the bank details",
)
@sensitive_variables("payload", "form")
def bank_change_check(request: HttpRequest, contract_number: str, payload: IbanIn):
    """The page's "Check IBAN" button: the IBAN in groups of four with BIC and bank, and the
    SEPA mandate (creditor, mandate reference) the change will grant. A wrong IBAN is 422 with
    the page's message for the field ``iban``. Nothing is stored."""
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    _allowed(request, contract)
    form = BankChangeForm(data={"iban": payload.iban}, require_consent=False)
    form.is_valid()
    if form.checked_iban is None:
        raise ApiError.invalid([e for e in form_errors(form) if e["field"] == "iban"])
    checked = form.checked_iban
    open_change = contract_bank_details(contract=contract).open_change
    creditor = sepa_creditor()
    return {
        "iban": checked.formatted,
        "bic": checked.bic,
        "bank_name": checked.bank_name,
        "mandate_reference": mandate_reference_next(contract=contract),
        "creditor": creditor,
        "replaces_notice": _(
            "You already sent us a change on %(date)s (account %(iban)s). If you send a new "
            "one, it replaces that request."
        )
        % {
            "date": date_format(open_change.received_at, "SHORT_DATE_FORMAT"),
            "iban": open_change.iban_masked,
        }
        if open_change
        else "",
    }


@router.post(
    "/{contract_number}/bank-changes",
    response={201: BankChangeOut, **problem_responses(404, 409, 422)},
    summary="Change the bank details (new SEPA mandate)",
)
@sensitive_variables("payload", "form", "data")
def bank_change_create(request: HttpRequest, contract_number: str, payload: BankChangeIn):
    """Send new bank details with the consent to the SEPA mandate, as the page's form does.

    A change still open is replaced by the new one (as on the page). Refused after the
    tenancy (403 ``read_only``) and for an ended contract (409 ``contract_ended``); 409
    ``reference_changed`` when a contract partner sent a change since the check (check again,
    consent again). The mandate copy goes into "Meine Dokumente" and a confirmation e-mail is
    sent. The answer names the month the new account takes effect."""
    tenant = request.tenant
    contract = contract_get(tenant=tenant, contract_number=contract_number)
    _allowed(request, contract)
    form = BankChangeForm(data=payload.model_dump())
    if not form.is_valid():
        raise ApiError.invalid(form_errors(form))
    change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        ip_address=client_ip(request) or None,
        user=request.user,
        **form.submit_arguments(),
    )
    change.contract = contract
    return Status(201, _bank_change(change))


@router.get(
    "/{contract_number}/bank-changes/{bank_change_id}",
    response={200: BankChangeOut, **problem_responses(404)},
    summary="One change of bank details",
)
def bank_change_detail(request: HttpRequest, contract_number: str, bank_change_id: int):
    """Its state (open, approved, rejected with the reason, withdrawn, replaced), the month it
    takes effect and the expected processing date while it is open."""
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    change = bank_change_get(tenant=request.tenant, contract=contract, pk=bank_change_id)
    return _bank_change(change)


@router.post(
    "/{contract_number}/bank-changes/{bank_change_id}/withdraw",
    response={200: BankChangeOut, **problem_responses(404, 409)},
    summary="Withdraw a change of bank details",
    operation_id="bank_change_withdraw",  # the function's name is the service's
)
def bank_change_withdraw_endpoint(request: HttpRequest, contract_number: str, bank_change_id: int):
    """Until it is processed, as on the page; nothing changes then. 409 ``not_open`` once it
    has been processed."""
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    change = bank_change_get(tenant=request.tenant, contract=contract, pk=bank_change_id)
    change = bank_change_withdraw(
        tenant=request.tenant, bank_change=change, ip_address=client_ip(request) or None
    )
    change.contract = contract
    return _bank_change(change)
