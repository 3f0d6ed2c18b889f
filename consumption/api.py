"""App API: "Meine Verbräuche" (monthly consumption, Heizkostenverordnung § 6a).

Thin: the figures are the page's (``consumption_overview``: only months of the tenant's own time
in a unit, a month only when every meter reported, the building's average for the flat's size),
the comparisons, colours and the plain sentence are the page's (``consumption.display``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from tenants.apikit import ApiError, problem_responses
from tenants.models import Unit

from .display import Fact, sentence, series_facts, series_table
from .models import Kind
from .selectors import Comparison, KindSeries, UnitConsumption, consumption_overview
from .templatetags.consumption_numbers import format_percent

router = Router(tags=["Verbräuche / Consumption"])

KindKey = Literal["heating", "hot_water", "cold_water"]
Tone = Literal["neutral", "better", "worse"]
AMOUNT = Decimal("0.001")


def _amount(value: Decimal | None) -> str | None:
    """Consumption as a string with three decimals ("312.500"), like the CSV download."""
    return None if value is None else str(value.quantize(AMOUNT))


class ComparisonOut(Schema):
    other: str | None  # the value compared with; None: no value recorded for it
    difference: str | None
    percent: int | None  # rounded as the page shows it; None where the other value is 0
    percent_text: str  # "+12 %" / "+12%" in the account's language, "" without a percentage
    tone: Tone  # only rated comparisons say better or worse; month to month stays neutral


class FactOut(ComparisonOut):
    key: Literal["previous_month", "previous_year", "average_household"]
    label: str
    explanation: str


class MonthOut(Schema):
    month: date  # first day of the month
    value: str | None  # None: missing
    previous_year: str | None
    change_percent: int | None
    change_text: str
    tone: Tone


class KindOut(Schema):
    kind: KindKey
    label: str
    unit: Literal["kWh", "m³"]
    month: date | None  # the newest month with a value; None: no values yet
    current: str | None
    sentence: str
    waiting_message: str  # while no value is recorded yet, else ""
    comparisons: list[FactOut]
    months: list[MonthOut]  # the page's table: up to 24 months, newest first


class PeriodOut(Schema):
    start: date
    end: date | None  # None: open-ended


class UnitOut(Schema):
    unit_id: int
    label: str
    periods: list[PeriodOut]  # the tenant's own time in the unit; nothing outside is shown
    has_remote_meters: bool
    no_remote_meters_notice: str
    kinds: list[KindOut]


class ConsumptionOut(Schema):
    units: list[UnitOut]
    empty_message: str  # when no unit with consumption data is found, else ""
    legal_notice: str


class ConsumptionFilter(Schema):
    unit: int | None = None
    kind: KindKey | None = None


def _comparison(comparison: Comparison | None, tone: str) -> dict:
    comparison = comparison or Comparison(other=None)
    percent = comparison.percent
    return {
        "other": _amount(comparison.other),
        "difference": _amount(comparison.difference),
        "percent": None if percent is None else int(percent),
        "percent_text": format_percent(percent, signed=True) if percent is not None else "",
        "tone": tone,
    }


def _fact(fact: Fact) -> dict:
    explanation = ""
    if fact.key == "average_household":
        explanation = _("Average of the building per m², for the size of your flat.")
    return {
        **_comparison(fact.comparison, fact.tone),
        "key": fact.key,
        "label": str(fact.label),
        "explanation": explanation,
    }


def _kind(series: KindSeries, entry: UnitConsumption) -> dict:
    label = str(dict(Kind.choices)[series.kind])
    months = [
        {
            "month": row.month,
            "value": _amount(row.value),
            "previous_year": _amount(row.before),
            "change_percent": None if row.change.percent is None else int(row.change.percent),
            "change_text": format_percent(row.change.percent, signed=True)
            if row.change.percent is not None
            else "",
            "tone": row.tone,
        }
        for row in series_table(series)
        if entry.shows(row.month)  # never a month before the tenancy or after its end
    ]
    return {
        "kind": series.kind,
        "label": label,
        "unit": series.unit_label,
        "month": series.month,
        "current": _amount(series.current),
        "sentence": sentence(series, label),
        "waiting_message": ""
        if series.month
        else _("No values recorded yet. They usually arrive by the middle of the following month."),
        "comparisons": [_fact(fact) for fact in series_facts(series)],
        "months": months,
    }


def _unit(entry: UnitConsumption, kind: str | None) -> dict:
    notice = ""
    if not entry.has_remote_meters and entry.unit.kind != Unit.Kind.PARKING:
        notice = _(
            "%(unit)s: this unit has no remotely readable meters. Your consumption appears in "
            "the annual heating cost statement; monthly figures are only possible with remote "
            "meters."
        ) % {"unit": entry.label}
    return {
        "unit_id": entry.unit.pk,
        "label": entry.label,
        "periods": [{"start": start, "end": end} for start, end in entry.periods],
        "has_remote_meters": entry.has_remote_meters,
        "no_remote_meters_notice": notice,
        "kinds": [
            _kind(series, entry)
            for key, series in entry.kinds.items()
            if kind is None or key == kind
        ],
    }


@router.get(
    "",
    response={200: ConsumptionOut, **problem_responses(404, 422)},
    summary="Monthly consumption per unit and kind",
    operation_id="consumption_overview",  # the function's name is the selector's
)
def consumption(request: HttpRequest, filters: Query[ConsumptionFilter]):
    """What "Meine Verbräuche" shows, for every unit the tenant rents or rented (or one:
    ``unit``) and every kind of meter (or one: ``kind``): the newest month, its comparisons with
    the month before, the same month a year before and the average comparable household, the
    plain sentence, and the last 24 months. Only months of the tenant's own time in the unit;
    another unit answers 404. Amounts are strings with three decimals, in kWh or m³."""
    overview = consumption_overview(tenant=request.tenant)
    if filters.unit is not None:
        overview = [entry for entry in overview if entry.unit.pk == filters.unit]
        if not overview:
            raise ApiError.not_found()
    return {
        "units": [_unit(entry, filters.kind) for entry in overview],
        "empty_message": ""
        if overview
        else _("We find no flat in your name with consumption data."),
        "legal_notice": _(
            "Values from remotely readable meters, as sent by the metering provider "
            "(Heizkostenverordnung § 6a). Prefer paper? Tell us through “Contact”."
        ),
    }
