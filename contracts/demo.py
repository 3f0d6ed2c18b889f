"""Demo data of the contracts area for `manage.py seed_demo`: mandates and a bank change.

The contracts themselves (one per demo flat, plus a parking space for W01) are ERP data.
"""

from tenants.models import Contract


def seed_contracts(stdout) -> None:
    """The demo contracts come from the ERP demo files (docs/erp/examples/demo/contracts.csv),
    imported by seed_demo before the area seeders run; here they are only counted."""
    count = Contract.objects.filter(unit__property__number="1001").count()
    stdout.write(f"Contracts: {count}")


DEMO_IBANS = [
    "DE89370400440532013000",
    "DE02100100100006820101",
    "DE12500105170648489890",
    "DE75512108001245126199",
]


def seed_bank_details(stdout) -> None:
    """A mandate for every demo contract with rent, and one open change request."""
    from .banking import iban_check
    from .models import BankChangeRequest, Mandate
    from .services import bank_change_submit

    contracts = Contract.objects.filter(unit__property__number="1001").prefetch_related("partners")
    for index, contract in enumerate(contracts.order_by("contract_number")):
        partner = contract.partners.first()
        if partner is None or Mandate.objects.filter(contract=contract).exists():
            continue
        checked = iban_check(DEMO_IBANS[index % len(DEMO_IBANS)])
        Mandate.objects.create(
            contract=contract,
            reference=f"{contract.contract_number}-M01",
            signed_on=contract.start_date,
            valid_from=contract.start_date,
            holder_name=f"{partner.first_name} {partner.last_name}",
            iban=checked.iban,
            iban_last4=checked.iban[-4:],
            bic=checked.bic,
            bank_name=checked.bank_name,
        )
    flat = Contract.objects.filter(contract_number="1001-W02-01").first()
    if flat and not BankChangeRequest.objects.filter(contract=flat).exists():
        tenant = flat.partners.first()
        bank_change_submit(
            tenant=tenant,
            contract=flat,
            checked_iban=iban_check("DE02 1001 0010 0006 8201 01"),
            holder_name=tenant.full_name,
            holder_is_tenant=True,
            user=tenant.user,
        )
    stdout.write(
        f"Mandates: {Mandate.objects.count()}, open bank changes: "
        f"{BankChangeRequest.objects.filter(status='open').count()}"
    )
