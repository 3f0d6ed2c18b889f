"""Demo data of the contracts area for `manage.py seed_demo`: mandates and a bank change.

The contracts themselves (one per demo flat in properties 1001 and 1002, plus parking spaces)
are ERP data.
"""

import json
from decimal import Decimal

from tenants.models import Contract

DEMO_PROPERTIES = ["1001", "1002"]


def seed_contracts(stdout) -> None:
    """The demo contracts come from the ERP demo files (docs/erp/examples/demo/contracts.csv),
    imported by seed_demo before the area seeders run; here they are only counted."""
    count = Contract.objects.filter(unit__property__number__in=DEMO_PROPERTIES).count()
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

    # Ordered by number, so 1001's contracts keep their IBANs and 1002's come after them.
    contracts = Contract.objects.filter(unit__property__number__in=DEMO_PROPERTIES)
    contracts = contracts.prefetch_related("partners")
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


def seed_rent_accounts(stdout) -> None:
    """Two years of rent accounts for three demo flats, written in the ERP's file format (JSON
    Lines) and read through its import: Maria's is balanced, Jürgen's has 83.50 € open since
    this month's due date, Nina's (property 1002) is balanced. Idempotent: the posting ids are
    the upsert's key."""
    from django.utils import timezone

    from .rent_account import months_back, rent_account_import_text

    today = timezone.localdate()
    this_due = today.replace(day=3)
    lines = []
    for number, short in (
        ("1001-W01-01", Decimal("0.00")),
        ("1001-W02-01", Decimal("83.50")),
        ("1002-W01-01", Decimal("0.00")),
    ):
        contract = Contract.objects.filter(contract_number=number).first()
        if contract is None:
            continue
        for back in range(23, -1, -1):
            due = months_back(today, back).replace(day=3)
            if due > today:
                continue
            paid = contract.total_rent - (short if due == this_due else 0)
            lines += [
                _line(
                    "posting",
                    number,
                    id=f"S-{due:%Y%m}",
                    booking_date=due,
                    kind="soll",
                    text=f"Miete {due:%m/%Y}",
                    amount=contract.total_rent,
                ),
                _line(
                    "posting",
                    number,
                    id=f"Z-{due:%Y%m}",
                    booking_date=due,
                    kind="zahlung",
                    text="Dauerauftrag",
                    amount=-paid,
                ),
            ]
        owes = short if this_due <= today else Decimal("0.00")
        extra = {"open_since": this_due} if owes else {}
        lines.append(_line("balance", number, date=today, balance=owes, **extra))
    report = rent_account_import_text(text="\n".join(lines))
    stdout.write(
        f"Rent accounts: {report.balances}, postings new {report.postings_created}, "
        f"refused {report.rejected_total}"
    )


def _line(line_type: str, contract: str, **fields) -> str:
    return json.dumps(
        {"type": line_type, "contract": contract, **{k: str(v) for k, v in fields.items()}}
    )
