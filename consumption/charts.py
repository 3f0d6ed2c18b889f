"""Server-rendered SVG charts (pygal): no JavaScript, an image the page shows in one of three sizes.

An SVG image scales its text with its width. So the page picks the size drawn for the space it
has (`<picture>` with media queries): each is shown at most at its own width, and at the narrowest
width it is picked for, its text still renders at 12 px or more. The title, the unit and the
legend are HTML beside the image, where they wrap instead of being cut off.
"""

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pygal
from django.utils.formats import date_format, number_format
from pygal.style import Style

from .selectors import KindSeries

_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)

# The legend in the page (consumption.css, .swatch-*) repeats these two colours.
COLOUR_CONSUMPTION = "#0b5394"  # the portal's primary blue, 7.8:1 on white
COLOUR_PREVIOUS_YEAR = "#7d8a97"  # 3.5:1 on white: a graphic's minimum is 3:1
GUIDE_COLOUR = "#d3dbe3"  # quiet lines behind the bars


@dataclass(frozen=True)
class ChartSize:
    width: int
    height: int
    font_size: int  # px in the drawing's own units, every text of the chart
    media: str  # the media query that picks this size; "" for the default
    min_viewport: int  # px: the narrowest viewport that gets this size (phones from 360 px)
    gutter: int  # px the page takes from the viewport beside the image (margins, card padding)
    label_months: tuple[int, ...]  # the calendar months labelled on the x axis


# Picked from the narrowest: "s" up to 40 rem (phones), "m" up to 62 rem, "l" above. Measured in
# Chromium, the smallest text renders at 12.1 px (360 px viewport), 13.4 px (390), 12.6 px (640),
# 12.2 px (992) and 15 px (1280): never below 12 px (smallest_text_px), never the huge default.
CHART_SIZES: dict[str, ChartSize] = {
    "s": ChartSize(340, 270, 14, "(max-width: 39.99rem)", 360, 65, (1, 7)),
    "m": ChartSize(640, 320, 14, "(max-width: 61.99rem)", 640, 65, (1, 4, 7, 10)),
    "l": ChartSize(1120, 380, 15, "", 992, 85, (1, 4, 7, 10)),
}
DEFAULT_SIZE = "l"


def smallest_text_px(size: str) -> float:
    """The rendered text size at the narrowest viewport that shows this size of the chart."""
    shape = CHART_SIZES[size]
    shown = min(shape.width, shape.min_viewport - shape.gutter)  # never shown wider than drawn
    return shape.font_size * shown / shape.width


def chart_style(font_size: int) -> Style:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1b2733",
        foreground_strong="#1b2733",
        foreground_subtle=GUIDE_COLOUR,
        guide_stroke_color=GUIDE_COLOUR,
        major_guide_stroke_color=GUIDE_COLOUR,
        guide_stroke_dasharray="none",
        major_guide_stroke_dasharray="none",
        colors=(COLOUR_CONSUMPTION, COLOUR_PREVIOUS_YEAR),
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        label_font_size=font_size,
        major_label_font_size=font_size,
        legend_font_size=font_size,
        value_font_size=font_size,
        value_label_font_size=font_size,
        tooltip_font_size=font_size,
        title_font_size=font_size,
        no_data_font_size=font_size,
        opacity="1",
        opacity_hover="1",
        transition="0ms",
    )


def axis_ticks(highest: float, *, count: int = 4) -> list[float]:
    """Round steps (1, 2, 2.5 or 5 times a power of ten) from 0 to at least `highest`."""
    if highest <= 0:
        return [0.0, 1.0]
    raw = highest / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * f for f in (1, 2, 2.5, 5, 10) if power * f >= raw)
    steps = math.ceil(highest / step - 1e-9)
    return [round(step * i, 6) for i in range(steps + 1)]


def _axis_label(value: float, step: float) -> str:
    decimals = 0 if float(step).is_integer() else 1
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def consumption_chart(series: KindSeries, *, size: str = DEFAULT_SIZE) -> bytes:
    """24 months as bars, each beside the same month a year earlier."""
    shape = CHART_SIZES[size]
    months = series.chart_months()
    current = [_as_float(series.values.get(m)) for m in months]
    before = [_as_float(row[2]) for row in series.rows()]
    ticks = axis_ticks(max([v for v in current + before if v is not None], default=0))
    step = ticks[1] - ticks[0]
    chart = pygal.Bar(
        style=chart_style(shape.font_size),
        width=shape.width,
        height=shape.height,
        explicit_size=True,  # width and height in the file: its text is sized for this width
        js=[],  # no script: the chart is an image
        show_legend=False,  # the legend is HTML beside the image
        show_minor_x_labels=False,
        show_x_guides=False,
        x_label_rotation=0,
        truncate_label=-1,
        print_values=False,
        include_x_axis=True,
        range=(0, ticks[-1]),
        y_labels=ticks,
        value_formatter=lambda value: _axis_label(value, step),
        margin=6,
        margin_right=12,
        spacing=8,
        tooltip_border_radius=0,
    )
    labels = [_month_label(m) for m in months]
    chart.x_labels = labels
    chart.x_labels_major = [
        label for m, label in zip(months, labels, strict=True) if m.month in shape.label_months
    ]
    # Translated names would only feed pygal's tooltips, which an image never shows.
    chart.add("current", current)
    chart.add("previous_year", before)
    svg = chart.render(is_unicode=True)
    # pygal always embeds a small config script; an image needs none (and CSP forbids it).
    return _SCRIPT.sub("", svg).encode()


def _month_label(month: date) -> str:
    return date_format(month, "M y").replace(".", "")


def _as_float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None  # missing months stay gaps
