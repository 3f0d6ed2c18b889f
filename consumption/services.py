"""Importing monthly consumption, computing the average comparable user, and the HKVO notice.

The CSV format (UTF-8, `;`-separated, header line):

    meter;month;value;unit
    HZ-100234;2026-10;412.5;kWh
    WW-100234;2026-10;2,31;m3

`meter` is the meter's serial number, `month` YYYY-MM, `value` the consumption of that month
(decimal point or comma), `unit` one of kWh, HKV (heat cost allocator units), m3. Re-importing a
file changes nothing; a corrected value replaces the old one.
"""

import csv
import io
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, DecimalField, F, Max, Sum, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tenants.cards import card_cache_bump
from tenants.errors import PortalError
from tenants.models import Tenant
from tenants.selectors import tenant_ids_by_unit
from tenants.services import email_queue

from .models import Benchmark, ImportRun, Meter, MonthlyNotice, Reading

logger = logging.getLogger(__name__)

UNIT_ALIASES = {"kwh": "kWh", "hkv": "HKV", "m3": "m3", "m³": "m3"}
REASONS = {
    "format": "line not in the format meter;month;value;unit",
    "unknown_meter": "unknown meter",
    "negative": "negative value",
    "implausible": "implausibly high value",
    "duplicate": "meter and month twice in the file",
    "wrong_unit": "unit does not match the meter",
    "future": "month not over yet",
    "too_old": "month before 2000",
}
FIRST_MONTH = date(2000, 1, 1)  # readings older than this are typos (0001-01), not history
MAX_LINE = 1000  # a real row is ~40 characters; csv refuses fields above 128 KB with an error
EXAMPLE_CHARS = 200  # the report is stored in ImportRun: a huge line must not go in whole


class ConsumptionImportError(PortalError):
    code = "consumption_import"


@dataclass
class ImportReport:
    rows: int = 0
    accepted: int = 0
    rejected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    notices: int = 0

    def reject(self, line: int, reason: str, text: str) -> None:
        self.rejected[reason] += 1
        self.example(line, reason, text)

    def example(self, line: int, reason: str, text: str) -> None:
        if len(self.examples) < 50:
            text = text.strip()
            if len(text) > EXAMPLE_CHARS:
                text = f"{text[:EXAMPLE_CHARS]}…"
            self.examples.append(f"line {line}: {REASONS[reason]}: {text}")

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


def _parse_month(text: str) -> date | None:
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except (ValueError, TypeError, OverflowError):  # OverflowError: a month of 20 digits
        return None


def _parse_value(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
        if not value.is_finite():  # NaN, Infinity
            return None
        # Stored with three decimals on every database, so both give the same numbers.
        # 1e30 or 26 digits cannot be quantized (InvalidOperation): refused, not a crash.
        return value.quantize(Decimal("0.001"))
    except (InvalidOperation, AttributeError):
        return None


def _split(line: str) -> list[str] | None:
    """One physical line as fields, or None if it is far too long to be a row or no CSV at all.

    Each line is parsed on its own: a stray quote cannot swallow the lines after it.
    """
    line = line.rstrip("\r\n")
    if len(line) > MAX_LINE:
        return None
    if '"' not in line:
        return line.split(";")
    try:
        return next(csv.reader((line,), delimiter=";"), [])
    except csv.Error:  # e.g. a CR inside the line after a quoted field
        return None


def _is_header(first: str) -> bool:
    header = _split(first)
    return bool(header) and header[0].strip().lower() in {"meter", "zaehler", "zähler"}


def _parse_row(line: str) -> tuple[str | None, str, tuple[str, date, Decimal, str] | None]:
    """One line as (refusal reason or None, its text for the report, (serial, month, value, unit)).

    Both import paths use it: SQLite for every line, PostgreSQL for the lines its SQL does not
    parse itself (quotes, odd spacing or digits, over-long lines) and for the report's texts.
    """
    row = _split(line)
    if row is None or len(row) != 4:
        return "format", line, None
    text = ";".join(row)
    serial, month_text, value_text, unit_text = (part.strip() for part in row)
    month, value = _parse_month(month_text), _parse_value(value_text)
    unit = UNIT_ALIASES.get(unit_text.lower())
    if month is None or value is None or unit is None:
        return "format", text, None
    return None, text, (serial, month, value, unit)


def _normalised(lines: Iterable[str]) -> Iterable[str]:
    """A NUL cannot be stored in PostgreSQL (text, jsonb): both paths read it as U+FFFD."""
    for line in lines:
        yield line.replace("\x00", "\ufffd") if "\x00" in line else line


def consumption_validate(
    lines: Iterable[str], report: ImportReport, progress: Callable[[int], None] | None = None
) -> dict[tuple[int, date], Decimal]:
    """Check every row; return the good ones as {(meter id, month): value}. Bad rows are reported.

    Good rows are kept even when others in the same file are refused. This is the path for
    SQLite; PostgreSQL checks the same rules in SQL (consumption/importing.py).
    """
    meters = {
        serial: (pk, kind, unit, factor)
        for pk, serial, kind, unit, factor in Meter.objects.values_list(
            "pk", "serial", "kind", "measure_unit", "kwh_factor"
        )
    }
    limits = settings.CONSUMPTION_PLAUSIBLE_MAX
    this_month = timezone.localdate().replace(day=1)
    good: dict[tuple[int, date], Decimal] = {}
    lines = iter(_normalised(lines))
    first = next(lines, None)
    start = 2
    if first is not None and not _is_header(first):
        lines, start = _prepend(first, lines), 1
    for number, line in enumerate(lines, start=start):
        report.rows += 1
        if progress is not None and report.rows % 100_000 == 0:
            progress(report.rows)
        reason, text, parsed = _parse_row(line)
        if parsed is None:
            report.reject(number, reason, text)
            continue
        serial, month, value, unit = parsed
        meter = meters.get(serial)
        if meter is None:
            report.reject(number, "unknown_meter", text)
            continue
        pk, kind, meter_unit, factor = meter
        if unit != meter_unit:
            report.reject(number, "wrong_unit", text)
        elif value < 0:
            report.reject(number, "negative", text)
        elif month >= this_month:  # a month is reported once it is over
            report.reject(number, "future", text)
        elif month < FIRST_MONTH:
            report.reject(number, "too_old", text)
        elif (value * factor if unit == "HKV" else value) > limits[kind]:
            report.reject(number, "implausible", text)
        elif (pk, month) in good:
            report.reject(number, "duplicate", text)
        else:
            good[(pk, month)] = value
    report.accepted = len(good)
    return good


def _prepend(first: str, lines: Iterable[str]):
    yield first
    yield from lines


def _upsert(good: dict[tuple[int, date], Decimal]) -> None:
    """SQLite: one upsert in batches (PostgreSQL upserts from SQL, see consumption/importing.py)."""
    now = timezone.now()
    rows = [
        Reading(meter_id=meter_id, month=month, value=value, imported_at=now)
        for (meter_id, month), value in good.items()
    ]
    Reading.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["meter", "month"],
        update_fields=["value", "imported_at"],
    )


def _finish(
    *,
    report: ImportReport,
    file_name: str,
    months: list[date],
    meter_ids: set[int],
    notify: bool,
    property_meters: set[int] | None = None,
) -> None:
    """Inside the import's transaction: benchmarks, the ImportRun record, the cached consumption
    cards and pages (every tenant's: the benchmarks of a building change too), the notices.

    `property_meters` (one meter per property touched) gives benchmarks_refresh the same
    properties as all `meter_ids` do, in a much shorter query.
    """
    benchmarks_refresh(
        months=months, meter_ids=meter_ids if property_meters is None else property_meters
    )
    ImportRun.objects.create(
        file_name=file_name[:200],
        rows=report.rows,
        accepted=report.accepted,
        rejected=report.rejected_total,
        report={"rejected": dict(report.rejected), "examples": report.examples},
    )
    card_cache_bump(None, "consumption")
    if notify and report.accepted:
        report.notices = consumption_notify(meter_ids=meter_ids)


def consumption_import(
    *,
    lines: Iterable[str],
    file_name: str,
    progress: Callable[[int], None] | None = None,
    notify: bool = True,
) -> ImportReport:
    """Validate, upsert the good rows, refresh benchmarks, and tell tenants (once a month)."""
    if connection.vendor == "postgresql":
        from .importing import text_chunks

        return _import_postgresql(
            chunks=text_chunks(lines), file_name=file_name, progress=progress, notify=notify
        )
    report = ImportReport()
    good = consumption_validate(lines, report, progress)
    with transaction.atomic():
        if good:
            _upsert(good)
        months = sorted({month for _meter, month in good})
        meter_ids = {meter for meter, _month in good}
        _finish(
            report=report, file_name=file_name, months=months, meter_ids=meter_ids, notify=notify
        )
    return report


def _import_postgresql(
    *,
    chunks: Iterable[tuple[bytes, int]],
    file_name: str,
    progress: Callable[[int], None] | None = None,
    notify: bool = True,
) -> ImportReport:
    """COPY the raw lines into a staging table, check them in SQL, upsert once: one transaction.

    A file that is not UTF-8 raises ConsumptionImportError during the COPY: nothing is stored.
    """
    from .importing import import_staged

    report = ImportReport()
    with transaction.atomic():
        months, property_meters, meter_ids = import_staged(
            chunks=chunks, report=report, progress=progress, all_meters=notify
        )
        _finish(
            report=report,
            file_name=file_name,
            months=months,
            meter_ids=meter_ids,
            notify=notify,
            property_meters=property_meters,
        )
    return report


def _not_utf8(line: int) -> ConsumptionImportError:
    return ConsumptionImportError(
        _(
            "The file is not UTF-8 (line %(line)d). Please save it as “CSV UTF-8” "
            "and import it again; nothing was imported."
        ),
        code="not_utf8",
        params={"line": line},
    )


def _decoded_lines(handle) -> Iterable[str]:
    """The file's lines as text; a line that is not UTF-8 stops the import with one error."""
    for number, raw in enumerate(handle, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(number) from exc
        yield line.removeprefix("\ufeff") if number == 1 else line


def consumption_import_file(*, path, **kwargs) -> ImportReport:
    """Raises ConsumptionImportError (nothing stored) if the file is not UTF-8."""
    with open(path, "rb") as handle:
        if connection.vendor == "postgresql":
            from .importing import file_chunks

            return _import_postgresql(chunks=file_chunks(handle), file_name=str(path), **kwargs)
        return consumption_import(lines=_decoded_lines(handle), file_name=str(path), **kwargs)


def consumption_import_text(*, text: str, file_name: str = "upload.csv", **kwargs):
    return consumption_import(lines=io.StringIO(text), file_name=file_name, **kwargs)


def _kwh_expression():
    """The reading in display units: allocator units × factor, everything else as is."""
    return Case(
        When(meter__measure_unit=Meter.MeasureUnit.HCA, then=F("value") * F("meter__kwh_factor")),
        default=F("value"),
        output_field=DecimalField(max_digits=20, decimal_places=5),
    )


def benchmarks_refresh(*, months: list[date], meter_ids: set[int]) -> int:
    """Average per m² for every property, month and kind the import touched (unless imported)."""
    if not months or not meter_ids:
        return 0
    properties = set(
        Meter.objects.filter(pk__in=meter_ids).values_list("unit__property_id", flat=True)
    )
    per_unit = (
        Reading.objects.filter(month__in=months, meter__unit__property_id__in=properties)
        .filter(meter__unit__living_area__isnull=False, meter__remote=True)
        .values(
            "meter__unit_id",
            "meter__unit__property_id",
            "meter__unit__living_area",
            "month",
            "meter__kind",
        )
        .annotate(total=Sum(_kwh_expression()))
    )
    sums: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    if connection.vendor == "postgresql":
        # The same sums, added up per property in the database (a few rows, not a million).
        two_meters_of_a_kind = (
            Meter.objects.filter(
                remote=True, unit__property_id__in=properties, unit__living_area__isnull=False
            )
            .values("unit_id", "kind")
            .annotate(meters=Count("pk"))
            .filter(meters__gt=1)
            .exists()
        )
        if two_meters_of_a_kind:  # a unit's area must count once: sum per unit first
            sql, params = per_unit.query.sql_with_params()
            sql = (
                "SELECT meter__unit__property_id, month, meter__kind, "  # noqa: S608
                "sum(total), sum(meter__unit__living_area) "
                f"FROM ({sql}) per_unit GROUP BY 1, 2, 3"
            )
        else:  # one reading per unit, month and kind: one level is enough
            sql, params = (
                Reading.objects.filter(month__in=months, meter__unit__property_id__in=properties)
                .filter(meter__unit__living_area__isnull=False, meter__remote=True)
                .values("meter__unit__property_id", "month", "meter__kind")
                .annotate(total=Sum(_kwh_expression()), area=Sum("meter__unit__living_area"))
                .values_list("meter__unit__property_id", "month", "meter__kind", "total", "area")
                .query.sql_with_params()
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for prop, month, kind, total, area in cursor.fetchall():
                sums[(prop, month, kind)] = [total or Decimal(0), area]
        per_unit = per_unit.none()
    for row in per_unit.iterator(chunk_size=5000):
        key = (row["meter__unit__property_id"], row["month"], row["meter__kind"])
        sums[key][0] += row["total"] or 0
        sums[key][1] += row["meter__unit__living_area"]
    imported = set(
        Benchmark.objects.filter(
            property_id__in=properties, month__in=months, source=Benchmark.Source.IMPORTED
        ).values_list("property_id", "month", "kind")
    )
    rows = [
        Benchmark(
            property_id=prop,
            month=month,
            kind=kind,
            per_m2=(total / area).quantize(Decimal("0.00001")),
        )
        for (prop, month, kind), (total, area) in sums.items()
        if area and (prop, month, kind) not in imported
    ]
    Benchmark.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["property", "month", "kind"],
        update_fields=["per_m2"],
    )
    return len(rows)


def consumption_notify(*, meter_ids: set[int]) -> int:
    """One e-mail per registered tenant for the newest month of new data, never twice a month."""
    latest: dict[int, date] = dict(
        Reading.objects.filter(meter_id__in=meter_ids)
        .values("meter__unit_id")
        .annotate(latest=Max("month"))
        .values_list("meter__unit_id", "latest")
    )
    tenants_by_unit = tenant_ids_by_unit(unit_ids=list(latest))
    wanted: dict[int, date] = {}
    for unit_id, month in latest.items():
        for tenant_id in tenants_by_unit.get(unit_id, []):
            if month > wanted.get(tenant_id, date.min):
                wanted[tenant_id] = month
    if not wanted:
        return 0
    already = set(
        MonthlyNotice.objects.filter(tenant_id__in=list(wanted)).values_list("tenant_id", "month")
    )
    tenants = Tenant.objects.filter(pk__in=list(wanted), user__isnull=False).select_related("user")
    sent = 0
    for tenant in tenants.iterator(chunk_size=1000):
        month = wanted[tenant.pk]
        if (tenant.pk, month) in already:
            continue
        MonthlyNotice.objects.create(tenant=tenant, month=month)
        with translation.override(settings.LANGUAGE_CODE):
            email_queue(
                to=tenant.user.email,
                template="consumption_new",
                context={"tenant": tenant, "month": month, "portal_url": settings.PORTAL_BASE_URL},
            )
        sent += 1
    return sent
