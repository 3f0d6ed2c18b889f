"""Demo contracts for `manage.py seed_demo`: one per demo flat, plus a parking space for W01."""

import random
from datetime import date
from decimal import Decimal

from tenants.models import Contract, Property, Tenant, Unit


def seed_contracts(stdout) -> None:
    rng = random.Random(4711)
    prop = Property.objects.get(number="1001")
    tenants = {t.tenant_number: t for t in Tenant.objects.all()}
    for unit in Unit.objects.filter(property=prop, kind=Unit.Kind.FLAT).order_by("number"):
        tenant = tenants.get(f"1{int(unit.number[1:]):05d}")
        start = date(rng.randrange(2004, 2025), rng.randrange(1, 13), 1)
        if tenant is None:
            continue
        area = unit.living_area or Decimal("60")
        _contract(
            tenant,
            unit,
            start,
            grundmiete=area * Decimal("9.20"),
            betriebskosten=area * Decimal("2.35"),
            heizkosten=area * Decimal("1.40"),
        )
    maria = tenants.get("100001")
    if maria is not None:
        parking = Unit.objects.get(property=prop, number="S01")
        _contract(
            maria,
            parking,
            date(2021, 4, 1),
            grundmiete=Decimal("75.00"),
            betriebskosten=Decimal("8.50"),
            heizkosten=Decimal("0.00"),
        )
    stdout.write(f"Contracts: {Contract.objects.filter(unit__property=prop).count()}")


def _contract(tenant, unit, start, *, grundmiete, betriebskosten, heizkosten) -> None:
    cent = Decimal("0.01")
    contract, created = Contract.objects.get_or_create(
        contract_number=f"{unit.property.number}-{unit.number}-01",
        defaults={
            "unit": unit,
            "start_date": start,
            "grundmiete": grundmiete.quantize(cent),
            "betriebskosten_vorauszahlung": betriebskosten.quantize(cent),
            "heizkosten_vorauszahlung": heizkosten.quantize(cent),
        },
    )
    if created:
        contract.partners.add(tenant)


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
