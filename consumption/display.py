"""How comparisons are shown: which ones may say "better" or "worse", and the start page's bars."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .selectors import Comparison, KindSeries, add_months

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
