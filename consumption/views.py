from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tenants.cards import TENANCY, cached_page_part
from tenants.csv_export import csv_writer
from tenants.decorators import tenant_required

from .charts import CHART_SIZES, DEFAULT_SIZE, consumption_chart
from .display import sentence, series_facts, series_table
from .models import Kind
from .selectors import (
    consumption_export_rows,
    consumption_overview,
    unit_series_get,
)


@login_required
@tenant_required
def index(request: HttpRequest) -> HttpResponse:
    content = cached_page_part(
        request,
        request.tenant,
        name="consumption",
        template="consumption/_index.html",
        areas=("consumption", TENANCY),
        # Only well-formed values make keys of their own: a made-up one shows the default page.
        vary=(_digits(request.GET.get("einheit")), _known_kind(request.GET.get("art"))),
        context=lambda: _index_context(request),
    )
    return render(request, "consumption/index.html", {"content": content})


def _digits(value: str | None) -> str | None:
    return value if value and value.isdigit() and len(value) <= 10 else None


def _known_kind(value: str | None) -> str | None:
    return value if value in Kind.values else None


def _index_context(request: HttpRequest) -> dict:
    overview = consumption_overview(tenant=request.tenant)
    selected_unit = next(
        (e for e in overview if str(e.unit.pk) == request.GET.get("einheit")), None
    )
    selected_unit = selected_unit or next((e for e in overview if e.kinds), None)
    selected_kind = None
    series = None
    if selected_unit is not None and selected_unit.kinds:
        selected_kind = request.GET.get("art")
        if selected_kind not in selected_unit.kinds:
            selected_kind = next(iter(selected_unit.kinds))
        series = selected_unit.kinds[selected_kind]
    kind_labels = dict(Kind.choices)
    facts, table, average_tone = [], [], ""
    if series is not None and series.month is not None:
        *rated, average = series_facts(series)
        facts = [(fact.label, fact.comparison, fact.tone) for fact in rated]
        average_tone = average.tone
        table = [
            (row.month, row.value, row.before, row.change, row.tone) for row in series_table(series)
        ]
    return {
        "overview": overview,
        "selected_unit": selected_unit,
        "selected_kind": selected_kind,
        "series": series,
        "kind_labels": kind_labels,
        "facts": facts,
        "average_tone": average_tone,
        "table": table,
        "chart_sizes": [(key, shape, key == DEFAULT_SIZE) for key, shape in CHART_SIZES.items()],
        "sentence": sentence(series, str(kind_labels[selected_kind])) if series else "",
    }


@login_required
@tenant_required
@csp_update({"style-src": ["'unsafe-inline'"]})  # pygal styles its SVG inline; no script runs
def chart(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    size = request.GET.get("size", DEFAULT_SIZE)
    if size not in CHART_SIZES:
        raise Http404
    _entry, series = unit_series_get(tenant=request.tenant, unit_id=unit_id, kind=kind)
    response = HttpResponse(consumption_chart(series, size=size), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@tenant_required
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meine-verbraeuche.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow([_("month"), _("kind"), _("meter"), _("consumption"), _("unit")])
    kinds = dict(Kind.choices)
    for reading in consumption_export_rows(tenant=request.tenant).iterator(chunk_size=2000):
        meter = reading.meter
        value = meter.to_display(reading.value)
        writer.writerow(
            [
                f"{reading.month:%Y-%m}",
                kinds[meter.kind],
                meter.serial,
                f"{value:.3f}".replace(".", ","),
                "kWh" if meter.kind == Kind.HEATING else "m³",
            ]
        )
    return response
