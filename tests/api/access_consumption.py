"""Access rows of "Meine Verbräuche": the owner's figures never reach another tenant."""

from decimal import Decimal

from django.utils import timezone

from consumption.models import Benchmark, Meter, Reading
from consumption.selectors import add_months

from .kit import Call, Route

LAST = add_months(timezone.localdate().replace(day=1), -1)


def _meters(world):
    unit = world.owner_contract.unit
    if not Meter.objects.filter(unit=unit).exists():
        for kind, measure in (("heating", "kWh"), ("hot_water", "m3")):
            meter = Meter.objects.create(
                unit=unit, kind=kind, serial=f"{kind}-{unit.pk}", measure_unit=measure
            )
            Reading.objects.bulk_create(
                Reading(meter=meter, month=add_months(LAST, -i), value=Decimal("4242.5") + i)
                for i in range(3)
            )
        Benchmark.objects.create(
            property=unit.property, month=LAST, kind="heating", per_m2=Decimal("1.5")
        )
    return unit


def _more(world):
    """Three more years for every meter, a cold-water meter and the benchmarks."""
    unit = world.owner_contract.unit
    Meter.objects.create(unit=unit, kind="cold_water", serial=f"cw-{unit.pk}", measure_unit="m3")
    Reading.objects.bulk_create(
        Reading(meter=meter, month=add_months(LAST, -i), value=Decimal(i + 7))
        for meter in Meter.objects.filter(unit=unit)
        for i in range(3 if meter.kind != "cold_water" else 0, 72)
    )
    Benchmark.objects.bulk_create(
        Benchmark(property=unit.property, month=add_months(LAST, -i), kind=kind, per_m2=1)
        for kind in ("hot_water", "cold_water")
        for i in range(36)
    )


def _overview(world) -> Call:
    _meters(world)
    return Call(
        "consumption",
        scoped=False,
        secrets=["4242", world.owner_contract.contract_number],
    )


def _one_unit(world) -> Call:
    unit = _meters(world)
    return Call(
        f"consumption?unit={unit.pk}&kind=heating",
        secrets=["4242", world.owner_contract.contract_number],
    )


ROUTES = [
    Route("GET", "/api/v1/consumption", _overview, queries=5, more=_more),
    # The same endpoint for one unit: another tenant's unit answers 404.
    Route("GET", "/api/v1/consumption", _one_unit, queries=5, more=_more),
]
