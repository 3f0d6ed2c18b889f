"""Server-rendered SVG charts (pygal): no JavaScript, readable on a phone."""

import re

import pygal
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pygal.style import Style

from .selectors import KindSeries

_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)

PORTAL_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b2733",
    foreground_strong="#1b2733",
    foreground_subtle="#4a5866",
    colors=("#0b5394", "#a8b4c0"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    # Large on purpose: the image is scaled down to a phone's width.
    label_font_size=20,
    major_label_font_size=20,
    legend_font_size=20,
    value_font_size=18,
    title_font_size=22,
)


def consumption_chart(series: KindSeries, *, title: str) -> bytes:
    """24 months as bars, the same months a year earlier as a line beside them."""
    months = series.chart_months()
    chart = pygal.Bar(
        style=PORTAL_STYLE,
        width=720,
        height=440,
        js=[],  # no script: the chart is an image
        show_minor_x_labels=False,
        x_label_rotation=0,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        print_values=False,
        include_x_axis=True,
        explicit_size=False,
        title=title,
        y_title=series.unit_label,
        margin=12,
        spacing=6,
        truncate_label=-1,
    )
    chart.x_labels = [date_format(m, "M y") for m in months]
    chart.x_labels_major = [date_format(m, "M y") for m in months if m.month in (1, 7)]

    def as_float(value):
        return float(value) if value is not None else None  # missing months stay gaps

    chart.add(_("Consumption"), [as_float(series.values.get(m)) for m in months])
    chart.add(_("Same month a year before"), [as_float(row[2]) for row in series.rows()])
    svg = chart.render(is_unicode=True)
    # pygal always embeds a small config script; an image needs none (and CSP forbids it).
    return _SCRIPT.sub("", svg).encode()
