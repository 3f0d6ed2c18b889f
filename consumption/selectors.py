"""What a tenant sees under "Meine Verbräuche": a fixed number of queries however much data."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import Http404

from tenants.models import Contract, Tenant, Unit
from tenants.selectors import UnitTenancy, unit_tenancies

from .models import Benchmark, Kind, Meter, Reading

CHART_MONTHS = 24
HISTORY_MONTHS = 36  # 24 shown, plus the year before them for the comparison line


def add_months(month: date, delta: int) -> date:
    index = month.year * 12 + month.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Comparison:
    other: Decimal | None
    difference: Decimal | None = None
    percent: Decimal | None = None

    @classmethod
    def between(cls, value: Decimal | None, other: Decimal | None) -> "Comparison":
        if value is None or other is None:
            return cls(other=other)
        difference = value - other
        # "+ 0" turns a rounded "-0" into 0
        percent = (difference / other * 100).quantize(Decimal("1")) + 0 if other else None
        return cls(other=other, difference=difference, percent=percent)


@dataclass
class KindSeries:
    kind: str
    unit_label: str  # kWh or m³
    values: dict[date, Decimal] = field(default_factory=dict)
    benchmark: dict[date, Decimal] = field(default_factory=dict)  # for this unit's size
    month: date | None = None  # the newest month with a value
    current: Decimal | None = None
    previous_month: Comparison | None = None
    previous_year: Comparison | None = None
    average_user: Comparison | None = None

    def compute(self) -> None:
        if not self.values:
            return
        self.month = max(self.values)
        self.current = self.values[self.month]
        self.previous_month = Comparison.between(
            self.current, self.values.get(add_months(self.month, -1))
        )
        self.previous_year = Comparison.between(
            self.current, self.values.get(add_months(self.month, -12))
        )
        self.average_user = Comparison.between(self.current, self.benchmark.get(self.month))

    def chart_months(self) -> list[date]:
        if self.month is None:
            return []
        return [add_months(self.month, -offset) for offset in range(CHART_MONTHS - 1, -1, -1)]

    def rows(self) -> list[tuple[date, Decimal | None, Decimal | None]]:
        """(month, value, same month a year before) for the table; None where missing."""
        return [
            (m, self.values.get(m), self.values.get(add_months(m, -12)))
            for m in self.chart_months()
        ]


@dataclass
class UnitConsumption:
    unit: Unit
    label: str
    has_remote_meters: bool
    kinds: dict[str, KindSeries] = field(default_factory=dict)
    # The tenant's own spans in the unit (oldest first, end None = open): nothing outside shows.
    periods: tuple[tuple[date, date | None], ...] = ()

    def shows(self, month: date) -> bool:
        """Whether `month` lies in the tenant's own time in the unit."""
        return _in_period(month, self.periods)


def consumption_overview(*, tenant: Tenant, today: date | None = None) -> list[UnitConsumption]:
    """All units the tenant rents, with the last three years per kind (four queries in all)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    start = add_months(today.replace(day=1), -HISTORY_MONTHS)
    tenancies = _shown_tenancies(tenant=tenant, today=today)
    periods = {t.unit.pk: t.periods for t in tenancies}
    # Only months of the tenant's own time in the unit: the previous household's consumption
    # is not theirs to see, nor the next one's after a contract has ended.
    units = [(t.unit, t.label) for t in tenancies]
    unit_ids = [unit.pk for unit, _label in units]
    meters = list(Meter.objects.filter(unit_id__in=unit_ids, remote=True))
    by_meter = {meter.pk: meter for meter in meters}
    readings = Reading.objects.filter(meter_id__in=list(by_meter), month__gte=start).values_list(
        "meter_id", "month", "value"
    )
    sums: dict[tuple[int, str], dict[date, Decimal]] = defaultdict(dict)
    reported: dict[tuple[int, str, date], int] = defaultdict(int)
    for meter_id, month, value in readings:
        meter = by_meter[meter_id]
        if not _in_period(month, periods[meter.unit_id]):
            continue
        series = sums[(meter.unit_id, meter.kind)]
        series[month] = series.get(month, Decimal(0)) + meter.to_display(value)
        reported[(meter.unit_id, meter.kind, month)] += 1
    meters_per_kind: dict[tuple[int, str], int] = defaultdict(int)
    for meter in meters:
        meters_per_kind[(meter.unit_id, meter.kind)] += 1
    for (unit_id, kind), series in sums.items():
        # A month counts only when every meter of the kind reported; a part is not the whole.
        for month in [
            m for m in series if reported[(unit_id, kind, m)] < meters_per_kind[(unit_id, kind)]
        ]:
            del series[month]
    property_ids = {unit.property_id for unit, _label in units}
    benchmarks: dict[tuple[int, str], dict[date, Decimal]] = defaultdict(dict)
    for prop, month, kind, per_m2 in Benchmark.objects.filter(
        property_id__in=property_ids, month__gte=start
    ).values_list("property_id", "month", "kind", "per_m2"):
        benchmarks[(prop, kind)][month] = per_m2
    result = []
    for unit, label in units:
        unit_meters = [m for m in meters if m.unit_id == unit.pk]
        entry = UnitConsumption(
            unit=unit,
            label=label,
            has_remote_meters=bool(unit_meters),
            periods=periods[unit.pk],
        )
        for kind, _kind_label in Kind.choices:
            if not any(m.kind == kind for m in unit_meters):
                continue
            series = KindSeries(
                kind=kind,
                unit_label="kWh" if kind == Kind.HEATING else "m³",
                values=sums.get((unit.pk, kind), {}),
            )
            if unit.living_area:
                series.benchmark = {
                    month: (per_m2 * unit.living_area).quantize(Decimal("0.1"))
                    for month, per_m2 in benchmarks.get((unit.property_id, kind), {}).items()
                }
            series.compute()
            entry.kinds[kind] = series
        result.append(entry)
    return result


def _in_period(month: date, periods: tuple[tuple[date, date | None], ...]) -> bool:
    return any(
        month >= start.replace(day=1) and (end is None or month <= end) for start, end in periods
    )


def _shown_tenancies(*, tenant: Tenant, today: date | None = None) -> list[UnitTenancy]:
    """Units whose contract has begun: current ones, and ended ones up to their end."""
    return unit_tenancies(
        tenant=tenant, phases=(Contract.Phase.CURRENT, Contract.Phase.ENDED), on=today
    )


def unit_series_get(
    *, tenant: Tenant, unit_id: int, kind: str
) -> tuple[UnitConsumption, KindSeries]:
    for entry in consumption_overview(tenant=tenant):
        if entry.unit.pk == unit_id and kind in entry.kinds:
            return entry, entry.kinds[kind]
    raise Http404


def consumption_export_rows(*, tenant: Tenant):
    """Every reading of the tenant's own tenancy in their units, for the CSV download."""
    from django.db.models import Q

    periods = {t.unit.pk: t.periods for t in _shown_tenancies(tenant=tenant)}
    if not periods:
        return Reading.objects.none()
    own = Q()
    for unit_id, spans in periods.items():
        for start, end in spans:
            condition = Q(meter__unit_id=unit_id, month__gte=start.replace(day=1))
            if end is not None:
                condition &= Q(month__lte=end)
            own |= condition
    return (
        Reading.objects.filter(own, meter__remote=True)
        .select_related("meter")
        .order_by("meter__kind", "meter__serial", "month")
    )
