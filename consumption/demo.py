"""Demo: three years of plausible monthly values (seasonal heating curve) for the demo flats.

Property 1001's meters are HZ-/WW-/KW-W<nn>; property 1002's (the second demo house, where
nachbarin@example.com lives) are HZ-/WW-/KW-1002-W<nn>, seeded with their own random sequence so
that 1001's demo numbers stay exactly as they were."""

import math
import random
from decimal import Decimal

from django.utils import timezone

from tenants.models import Unit

from .models import Meter, Reading
from .selectors import add_months
from .services import consumption_import_text

# Share of the yearly heating energy per calendar month (January first), roughly as in Hamburg.
HEATING_SHARE = [0.17, 0.15, 0.12, 0.08, 0.04, 0.01, 0.01, 0.01, 0.03, 0.08, 0.13, 0.17]


def seed_consumption(stdout) -> None:
    _seed_elbblick(stdout)
    _seed_altona(stdout)


def _seed_elbblick(stdout) -> None:
    flats = Unit.objects.filter(property__number="1001", kind=Unit.Kind.FLAT).order_by("number")
    for index, unit in enumerate(flats):
        number = unit.number
        remote = number != "W18"  # one flat with old meters: the page explains why it is empty
        Meter.objects.get_or_create(
            serial=f"HZ-{number}",
            defaults={
                "unit": unit,
                "kind": "heating",
                "remote": remote,
                "measure_unit": "HKV" if index % 3 == 0 else "kWh",
                "kwh_factor": Decimal("7.5") if index % 3 == 0 else Decimal("1"),
            },
        )
        Meter.objects.get_or_create(
            serial=f"WW-{number}",
            defaults={"unit": unit, "kind": "hot_water", "remote": remote, "measure_unit": "m3"},
        )
        Meter.objects.get_or_create(
            serial=f"KW-{number}",
            defaults={"unit": unit, "kind": "cold_water", "remote": remote, "measure_unit": "m3"},
        )
    if Reading.objects.filter(meter__serial__startswith="HZ-W").exists():
        return
    rng = random.Random(2026)
    last = add_months(timezone.localdate().replace(day=1), -1)
    lines = ["meter;month;value;unit"]
    for meter in Meter.objects.filter(serial__regex=r"^(HZ|WW|KW)-W").select_related("unit"):
        area = float(meter.unit.living_area or 60)
        thrift = rng.uniform(0.75, 1.3)  # some households heat more than others
        for offset in range(36):
            month = add_months(last, -offset)
            if meter.unit.number == "W01" and offset == 14:
                continue  # a month the provider never sent: shown as missing, not as zero
            if meter.kind == "heating":
                kwh = area * 110 * HEATING_SHARE[month.month - 1] * thrift * rng.uniform(0.9, 1.1)
                value = kwh / float(meter.kwh_factor)
                unit = meter.measure_unit
            elif meter.kind == "hot_water":
                value = area / 60 * 2.2 * thrift * rng.uniform(0.85, 1.15)
                unit = "m3"
            else:
                value = (
                    area / 60 * 4.5 * (1 + 0.1 * math.sin(month.month)) * rng.uniform(0.85, 1.15)
                )
                unit = "m3"
            lines.append(f"{meter.serial};{month:%Y-%m};{value:.3f};{unit}")
    report = consumption_import_text(text="\n".join(lines), file_name="demo.csv")
    stdout.write(f"Consumption: {report.accepted} monthly values, {report.notices} notice(s)")


def _seed_altona(stdout) -> None:
    """Property 1002: every flat remote-read, heating in kWh, 36 months."""
    flats = Unit.objects.filter(property__number="1002", kind=Unit.Kind.FLAT).order_by("number")
    for unit in flats:
        for prefix, kind, measure_unit in [
            ("HZ", "heating", "kWh"),
            ("WW", "hot_water", "m3"),
            ("KW", "cold_water", "m3"),
        ]:
            Meter.objects.get_or_create(
                serial=f"{prefix}-1002-{unit.number}",
                defaults={"unit": unit, "kind": kind, "remote": True, "measure_unit": measure_unit},
            )
    if Reading.objects.filter(meter__serial__startswith="HZ-1002-").exists():
        return
    rng = random.Random(1002)
    last = add_months(timezone.localdate().replace(day=1), -1)
    lines = ["meter;month;value;unit"]
    for meter in Meter.objects.filter(serial__regex=r"^(HZ|WW|KW)-1002-").select_related("unit"):
        area = float(meter.unit.living_area or 60)
        thrift = rng.uniform(0.8, 1.2)
        for offset in range(36):
            month = add_months(last, -offset)
            if meter.kind == "heating":
                value = area * 105 * HEATING_SHARE[month.month - 1] * thrift * rng.uniform(0.9, 1.1)
            elif meter.kind == "hot_water":
                value = area / 60 * 2.0 * thrift * rng.uniform(0.85, 1.15)
            else:
                value = (
                    area / 60 * 4.2 * (1 + 0.1 * math.sin(month.month)) * rng.uniform(0.85, 1.15)
                )
            lines.append(f"{meter.serial};{month:%Y-%m};{value:.3f};{meter.measure_unit}")
    report = consumption_import_text(text="\n".join(lines), file_name="demo-1002.csv")
    stdout.write(f"Consumption 1002: {report.accepted} monthly values, {report.notices} notice(s)")
