"""Demo contracts for `manage.py seed_demo`: one per demo flat, plus a parking space for W01."""

import random
from datetime import date
from decimal import Decimal

from tenants.models import Property, Tenant, Unit

from .models import Contract


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
