"""Access-table rows of "Meine Verträge" (contracts/api.py)."""

from datetime import date

from django.utils import timezone

from contracts.banking import iban_check
from contracts.models import Mandate, RentAccount
from contracts.services import bank_change_submit
from tests.tenants.factories import ContactPersonFactory, ContractFactory, TenantFactory

from .kit import Call, Route

OLD_IBAN = "DE89370400440532013000"
NEW_IBAN = "DE02100100100006820101"


def _mandate(contract, *, n: int = 1, valid_from=date(2020, 1, 1)) -> Mandate:
    checked = iban_check(OLD_IBAN)
    return Mandate.objects.create(
        contract=contract,
        reference=f"{contract.contract_number}-M{n:02d}",
        signed_on=valid_from,
        valid_from=valid_from,
        holder_name="Eva Eigentlich",
        iban=checked.iban,
        iban_last4=checked.iban[-4:],
        bic=checked.bic,
        bank_name=checked.bank_name,
    )


def _open_change(tenant, contract):
    return bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name=tenant.full_name,
        holder_is_tenant=True,
    )


def _secrets(world) -> list[str]:
    return [world.owner.last_name, world.owner_contract.contract_number]


def _more_contracts(world) -> None:
    """Two more contracts of the owner, with mandates, an open change, contacts, a partner."""
    for _ in range(2):
        contract = ContractFactory(partners=[world.owner, TenantFactory(user=None)])
        _mandate(contract)
        _open_change(world.owner, contract)
        ContactPersonFactory(property=contract.unit.property)
    _more_of_the_contract(world)


def _more_of_the_contract(world) -> None:
    """More on the owner's contract: contact persons, a partner, mandates, a change, balance."""
    contract = world.owner_contract
    property_ = contract.unit.property
    ContactPersonFactory.create_batch(3, property=property_, role_en="Customer care")
    ContactPersonFactory(property=None)
    contract.partners.add(TenantFactory(user=None))
    _mandate(contract, n=1)
    _mandate(contract, n=2, valid_from=date(2099, 1, 1))
    if not contract.bank_change_requests.filter(status="open").exists():
        _open_change(world.owner, contract)
    RentAccount.objects.update_or_create(
        contract=contract,
        defaults={
            "balance": "83.50",
            "balance_date": date(2026, 11, 20),
            "open_since": date(2026, 11, 3),
            "imported_at": timezone.now(),
        },
    )


def _list(world) -> Call:
    return Call("contracts", scoped=False, secrets=_secrets(world))


def _detail(world) -> Call:
    return Call(f"contracts/{world.owner_contract.contract_number}", secrets=_secrets(world))


def _check(world) -> Call:
    return Call(
        f"contracts/{world.owner_contract.contract_number}/bank-change/check",
        json={"iban": "de02 1001 0010 0006 8201 01"},
        secrets=_secrets(world),
    )


def _submit(world) -> Call:
    return Call(
        f"contracts/{world.owner_contract.contract_number}/bank-changes",
        json={"iban": NEW_IBAN, "holder_name": "Eva Eigentlich", "consent": True},
        owner_status=201,
        secrets=[*_secrets(world), NEW_IBAN],
    )


def _change(world) -> Call:
    change = _open_change(world.owner, world.owner_contract)
    return Call(
        f"contracts/{world.owner_contract.contract_number}/bank-changes/{change.pk}",
        secrets=[*_secrets(world), change.mandate_reference],
    )


def _more_changes(world) -> None:
    """Older requests of the contract (replaced, withdrawn) and of other contracts."""
    _open_change(world.owner, world.owner_contract)
    _more_contracts(world)


def _withdraw(world) -> Call:
    change = _open_change(world.owner, world.owner_contract)
    return Call(
        f"contracts/{world.owner_contract.contract_number}/bank-changes/{change.pk}/withdraw",
        secrets=[*_secrets(world), change.mandate_reference],
    )


ROUTES = [
    Route("GET", "/api/v1/contracts", _list, queries=6, more=_more_contracts),
    Route(
        "GET",
        "/api/v1/contracts/{contract_number}",
        _detail,
        queries=9,
        more=_more_of_the_contract,
    ),
    Route("POST", "/api/v1/contracts/{contract_number}/bank-change/check", _check, queries=9),
    Route("POST", "/api/v1/contracts/{contract_number}/bank-changes", _submit, queries=24),
    Route(
        "GET",
        "/api/v1/contracts/{contract_number}/bank-changes/{bank_change_id}",
        _change,
        queries=7,
        more=_more_changes,
    ),
    Route(
        "POST",
        "/api/v1/contracts/{contract_number}/bank-changes/{bank_change_id}/withdraw",
        _withdraw,
        queries=13,
    ),
]
