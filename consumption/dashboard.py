from tenants.models import Unit

from .display import SPARK_BAR, SPARK_HEIGHT, comparison_tone, spark_bars, spark_width
from .models import Kind
from .selectors import consumption_overview


def consumption_card(request, tenant) -> dict | None:
    """Per flat and kind the newest month, its trend and the year before.

    Hidden for a tenant without a flat (a parking space has no meters). The same queries as
    "Meine Verbräuche" (consumption_overview): their number does not depend on the data.
    """
    labels = dict(Kind.choices)
    flats = [e for e in consumption_overview(tenant=tenant) if e.unit.kind == Unit.Kind.FLAT]
    if not flats:
        return None
    units = []
    for entry in flats:
        kinds = [
            {
                "kind": kind,
                "label": labels[kind],
                "series": series,
                "tone": comparison_tone(series.previous_year, rated=True),
                "percent": abs(series.previous_year.percent)
                if series.previous_year and series.previous_year.percent is not None
                else None,
                "bars": spark_bars(series),
            }
            for kind, series in entry.kinds.items()
        ]
        units.append(
            {
                "entry": entry,
                "kinds": [k for k in kinds if k["series"].month is not None],
                "waiting": bool(kinds) and all(k["series"].month is None for k in kinds),
            }
        )
    months = {k["series"].month for unit in units for k in unit["kinds"]}
    return {
        "units": units,
        "several_units": len(units) > 1,
        "month": months.pop() if len(months) == 1 else None,  # one month for all: said once
        "has_values": any(unit["kinds"] for unit in units),
        "has_meters": any(unit["entry"].has_remote_meters for unit in units),
        "spark_width": spark_width(),
        "spark_height": SPARK_HEIGHT,
        "spark_bar": SPARK_BAR,
    }
