"""How comparisons are shown: which ones may say "better" or "worse", and the start page's bars."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Kind
from .selectors import Comparison, KindSeries, add_months
from .templatetags.consumption_numbers import format_percent

NEUTRAL, BETTER, WORSE = "neutral", "better", "worse"
SPARK_MONTHS = 12
SPARK_HEIGHT = 32  # px; the card's bars are drawn in these units
SPARK_BAR, SPARK_GAP = 8, 3


def comparison_tone(comparison: Comparison | None, *, rated: bool) -> str:
    """`rated` comparisons (same month a year before, the average household) are coloured.

    From one month to the next the season decides (October heats twice as much as September),
    so that change stays neutral: a normal autumn is not an alarm.
    """
    if not rated or comparison is None or comparison.difference is None:
        return NEUTRAL
    # The rounded percentage is what the tenant reads: "0 %" is neither better nor worse.
    change = comparison.percent if comparison.percent is not None else comparison.difference
    if change < 0:
        return BETTER
    if change > 0:
        return WORSE
    return NEUTRAL


def sentence(series: KindSeries, kind_label: str) -> str:
    """A plain-language summary: "You heated 12% less than in October 2025"."""
    if series.month is None:
        return ""
    for comparison in (series.previous_year, series.previous_month):
        if comparison and comparison.percent is not None and comparison.other:
            percent = format_percent(abs(comparison.percent))
            month = date_format(
                series.month.replace(year=series.month.year - 1)
                if comparison is series.previous_year
                else add_months(series.month, -1),
                "F Y",
            )
            if series.kind == Kind.HEATING:
                if comparison.percent < 0:
                    return _("You heated %(percent)s less than in %(month)s.") % {
                        "percent": percent,
                        "month": month,
                    }
                if comparison.percent > 0:
                    return _("You heated %(percent)s more than in %(month)s.") % {
                        "percent": percent,
                        "month": month,
                    }
                return _("You heated as much as in %(month)s.") % {"month": month}
            if comparison.percent < 0:
                return _("You used %(percent)s less %(kind)s than in %(month)s.") % {
                    "percent": percent,
                    "kind": kind_label,
                    "month": month,
                }
            if comparison.percent > 0:
                return _("You used %(percent)s more %(kind)s than in %(month)s.") % {
                    "percent": percent,
                    "kind": kind_label,
                    "month": month,
                }
            return _("You used as much %(kind)s as in %(month)s.") % {
                "kind": kind_label,
                "month": month,
            }
    return ""


@dataclass(frozen=True)
class Fact:
    """One comparison of the newest month as the page lists it: label, comparison, colour."""

    key: str  # previous_month, previous_year, average_household
    label: str
    comparison: Comparison | None
    tone: str


def series_facts(series: KindSeries) -> list[Fact]:
    """The newest month against the month before, the year before and the average household."""
    if series.month is None:
        return []
    return [
        Fact(
            "previous_month",
            _("Previous month"),
            series.previous_month,
            comparison_tone(series.previous_month, rated=False),
        ),
        Fact(
            "previous_year",
            _("Same month last year"),
            series.previous_year,
            comparison_tone(series.previous_year, rated=True),
        ),
        Fact(
            "average_household",
            _("Average comparable household"),
            series.average_user,
            comparison_tone(series.average_user, rated=True),
        ),
    ]


@dataclass(frozen=True)
class TableRow:
    month: date
    value: Decimal | None
    before: Decimal | None  # the same month a year before
    change: Comparison
    tone: str


def series_table(series: KindSeries) -> list[TableRow]:
    """The page's table: the last 24 months, newest first, each against the year before."""
    rows = []
    for month, value, before in reversed(series.rows()):
        change = Comparison.between(value, before)
        rows.append(TableRow(month, value, before, change, comparison_tone(change, rated=True)))
    return rows


@dataclass(frozen=True)
class SparkBar:
    x: int
    y: float
    height: float
    latest: bool


def spark_bars(series: KindSeries, *, months: int = SPARK_MONTHS) -> list[SparkBar]:
    """The last `months` months as bars scaled to the highest; a missing month stays a gap."""
    if series.month is None:
        return []
    span = [add_months(series.month, -offset) for offset in range(months - 1, -1, -1)]
    values: list[tuple[date, Decimal | None]] = [(m, series.values.get(m)) for m in span]
    highest = max((v for _m, v in values if v is not None), default=Decimal(0))
    bars = []
    for index, (month, value) in enumerate(values):
        if value is None:
            continue
        height = float(value / highest * SPARK_HEIGHT) if highest else 0.0
        height = max(height, 1.5)  # a month with almost nothing is still a visible bar
        bars.append(
            SparkBar(
                x=index * (SPARK_BAR + SPARK_GAP),
                y=round(SPARK_HEIGHT - height, 2),
                height=round(height, 2),
                latest=month == series.month,
            )
        )
    return bars


def spark_width(months: int = SPARK_MONTHS) -> int:
    return months * (SPARK_BAR + SPARK_GAP) - SPARK_GAP
