"""Benchmark: importing 1,000,000 monthly values on PostgreSQL, side by side with a plain COPY
and a bare SQL upsert of the same file, and one unit's page with 10,000,000 rows in the table.

Run: `.venv/bin/python benchmarks/consumption_import.py` (uses the PostgreSQL database in
BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench, created if missing
and overwritten). Writes benchmarks/results/consumption.md.

In one run, from the same starting state each time (readings table empty, then: loaded with the
same file), it measures BENCH_RUNS times (default 5: shared machines are noisy) and reports the
median of:

- (a) `COPY` of the file into an unlogged text table (the floor: reading the bytes);
- (b) a bare SQL upsert: `COPY` into a typed temp table, then one `INSERT … ON CONFLICT (meter,
  month) DO UPDATE` into a copy of the readings table with the same indexes, constraints and
  foreign key, joined to the meters by serial (the least any import of this file must do);
- (c) our import (`consumption_import_file`, notify off) into the real table: checks, refusal
  report, upsert, benchmarks refresh, `ImportRun`.

The ratios are (b)/(c) and (a)/(c): 1.0 would mean "as fast as the bare upsert / COPY". The peak
memory (RSS) of the import is measured in a fresh process for 200,000 and 1,000,000 rows.
BENCH_BIG_ROWS=0 skips the 10-million-row page measurement.
"""

import datetime
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
BIG = int(os.environ.get("BENCH_BIG_ROWS", "10000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CHILD = len(sys.argv) > 1 and sys.argv[1] == "--rss"

if not CHILD:
    admin_url, dbname = URL.rsplit("/", 1)
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        admin.execute(f'CREATE DATABASE "{dbname}"')

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = URL
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from consumption.models import Meter  # noqa: E402
from consumption.services import consumption_import_file  # noqa: E402
from tenants.models import (  # noqa: E402
    Contract,
    Property,
    Tenant,
    Unit,
    User,
)

BARE_TABLE = "bench_reading"
CSV = "WITH (FORMAT csv, DELIMITER ';', HEADER true)"


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child_rss(path: str) -> None:
    """In a fresh process: import the file, print RSS before and the peak (kB)."""
    logging.disable(logging.INFO)
    connection.ensure_connection()
    before = _rss_kb("VmRSS")
    consumption_import_file(path=path, notify=False)
    print(before, _rss_kb("VmHWM"))


def write_file(path: Path, serials, months, limit: int | None = None) -> int:
    rows = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("meter;month;value;unit\n")
        for serial, unit in serials:
            for month in months:
                if limit is not None and rows >= limit:
                    return rows
                spread = 900 if unit == "kWh" else 300  # plausible: ≤ 90 kWh, ≤ 30 m³
                value = (hash((serial, month)) % spread) / 10 + 1
                handle.write(f"{serial};{month};{value};{unit}\n")
                rows += 1
    return rows


def reset(*, empty: bool) -> None:
    """The starting state: both reading tables empty, or both already holding the file."""
    with connection.cursor() as cursor:
        if empty:
            cursor.execute(
                "TRUNCATE consumption_reading, consumption_benchmark, consumption_importrun"
            )
            cursor.execute(f"TRUNCATE {BARE_TABLE}")
        cursor.execute(f"VACUUM ANALYZE consumption_reading, {BARE_TABLE}")


def copy_file(cursor, path: Path, copy_sql: str) -> None:
    with path.open("rb") as handle, cursor.cursor.copy(copy_sql) as copy:
        while chunk := handle.read(1 << 20):
            copy.write(chunk)


def plain_copy(path: Path) -> float:
    """(a) COPY into an unlogged text table."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_plain (meter text, month text, value text, unit text)"
        )
        started = time.perf_counter()
        copy_file(cursor, path, f"COPY bench_plain FROM STDIN {CSV}")
        return time.perf_counter() - started


def bare_upsert(path: Path) -> float:
    """(b) COPY into a typed temp table + one INSERT … ON CONFLICT, committed."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_typed (meter text, month text, value numeric, unit text) "
            "ON COMMIT DROP"
        )
        copy_file(cursor, path, f"COPY bench_typed FROM STDIN {CSV}")
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (meter_id, month, value, imported_at) "  # noqa: S608
            "SELECT m.id, to_date(t.month, 'YYYY-MM'), t.value, now() "
            "FROM bench_typed t JOIN consumption_meter m ON m.serial = t.meter "
            "ON CONFLICT (meter_id, month) DO UPDATE "
            "SET value = EXCLUDED.value, imported_at = EXCLUDED.imported_at "
            f"WHERE {BARE_TABLE}.value IS DISTINCT FROM EXCLUDED.value"
        )
    return time.perf_counter() - started


def ours(path: Path):
    started = time.perf_counter()
    report = consumption_import_file(path=path, notify=False)
    return time.perf_counter() - started, report


def measure(path: Path, *, empty: bool) -> dict:
    """RUNS rounds of (a), (b), (c) from the same starting state; medians and ratios."""
    times: dict[str, list[float]] = {"copy": [], "bare": [], "ours": []}
    report = None
    for round_ in range(RUNS):
        # Alternate the order, so that neither always runs on a warmer cache.
        order = ["copy", "bare", "ours"] if round_ % 2 == 0 else ["ours", "bare", "copy"]
        for name in order:
            reset(empty=empty)
            if name == "copy":
                times["copy"].append(plain_copy(path))
            elif name == "bare":
                times["bare"].append(bare_upsert(path))
            else:
                seconds, report = ours(path)
                times["ours"].append(seconds)
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "times": times,
        "median": medians,
        "bare_ratio": medians["bare"] / medians["ours"],
        "copy_ratio": medians["copy"] / medians["ours"],
        "report": report,
    }


def peak_rss(path: Path) -> tuple[int, int]:
    reset(empty=True)
    out = subprocess.run(
        [sys.executable, __file__, "--rss", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_DATABASE_URL": URL},
        timeout=600,
    ).stdout.split()
    return int(out[-2]) // 1024, int(out[-1]) // 1024


def main() -> None:
    logging.disable(logging.INFO)
    call_command("migrate", verbosity=0)
    months = [f"{2024 + (m // 12)}-{m % 12 + 1:02d}" for m in range(12)]
    meters_needed = ROWS // len(months)
    units_needed = meters_needed // 3 + 1
    prop = Property.objects.create(
        number="B1", name="Bench", street="X 1", postal_code="20095", city="Hamburg"
    )
    units = Unit.objects.bulk_create(
        Unit(property=prop, number=f"W{i:06d}", living_area=60) for i in range(units_needed)
    )
    kinds = [("heating", "kWh", "HZ"), ("hot_water", "m3", "WW"), ("cold_water", "m3", "KW")]
    Meter.objects.bulk_create(
        Meter(unit=u, kind=k, measure_unit=mu, serial=f"{p}-{u.number}")
        for u in units
        for k, mu, p in kinds
    )
    serials = list(Meter.objects.order_by("pk").values_list("serial", "measure_unit"))[
        :meters_needed
    ]
    folder = Path(tempfile.mkdtemp())
    path = folder / "consumption.csv"
    rows = write_file(path, serials, months)
    small_rows = min(200_000, rows)
    small = folder / "consumption-200k.csv"
    write_file(small, serials, months, limit=small_rows)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {BARE_TABLE} (LIKE consumption_reading INCLUDING ALL)")
        cursor.execute(
            f"ALTER TABLE {BARE_TABLE} ADD FOREIGN KEY (meter_id) "
            "REFERENCES consumption_meter (id) DEFERRABLE INITIALLY DEFERRED"
        )
        # Statistics as autovacuum would have them for a portal in use (the planner of the
        # benchmarks refresh picks a sort of every reading without those of the units).
        cursor.execute("ANALYZE tenants_unit, consumption_meter")
        # Both (b) and (c) stage a million rows in a temporary table: both get the same room
        # for it (our import asks for it, but only a session's first temporary table can).
        cursor.execute("SET temp_buffers = '256MB'")

    first = measure(path, empty=True)
    again = measure(path, empty=False)  # the same file again: every row already there
    rss_small = peak_rss(small)
    rss_big = peak_rss(path)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]

    page_line = "- one unit's page: not measured in this run (BENCH_BIG_ROWS=0)"
    if BIG:
        page_line = page_benchmark(units[0])

    def line(label: str, result: dict) -> list[str]:
        m, t = result["median"], result["times"]
        return [
            f"| {label} | (a) COPY | {m['copy']:.2f} s | {rows / m['copy']:,.0f} | "
            f"{', '.join(f'{x:.2f}' for x in t['copy'])} |",
            f"| {label} | (b) bare upsert | {m['bare']:.2f} s | {rows / m['bare']:,.0f} | "
            f"{', '.join(f'{x:.2f}' for x in t['bare'])} |",
            f"| {label} | (c) our import | {m['ours']:.2f} s | {rows / m['ours']:,.0f} | "
            f"{', '.join(f'{x:.2f}' for x in t['ours'])} |",
            f"| {label} | **(b)/(c)** | **{result['bare_ratio']:.2f}** | | |",
            f"| {label} | (a)/(c) | {result['copy_ratio']:.3f} | | |",
        ]

    report = first["report"]
    text = "\n".join(
        [
            "# Consumption benchmark",
            "",
            f"{datetime.date.today():%Y-%m-%d}; {os.cpu_count()} cores "
            f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
            f"PostgreSQL {pg_version}; shared machine, median of {RUNS} runs, measured side by "
            "side in one run (`benchmarks/consumption_import.py`).",
            "",
            f"File: {rows:,} rows (`meter;month;value;unit`, {rows // 12:,} meters × 12 months). "
            f"Our import: accepted {report.accepted:,}, refused {report.rejected_total:,}.",
            "",
            "| starting state | what | median | rows/s | runs |",
            "| --- | --- | --- | --- | --- |",
            *line("empty table", first),
            *line("file already imported", again),
            "",
            "(a) `COPY` into an unlogged text table. (b) `COPY` into a typed temp table + one "
            "`INSERT … ON CONFLICT (meter, month) DO UPDATE … WHERE value IS DISTINCT FROM` into "
            "a copy of the readings table (same indexes, constraints, deferred foreign key), "
            "joined to the meters by serial, committed. (c) `consumption_import_file` "
            "(notify off): checks, refusal report, upsert, benchmarks refresh, `ImportRun`, "
            "committed.",
            "",
            f"Peak memory (RSS) of the import in a fresh process: {small_rows:,} rows "
            f"{rss_small[1]} MB ({rss_small[1] - rss_small[0]:+} MB over the "
            f"{rss_small[0]} MB after start-up); {rows:,} rows {rss_big[1]} MB "
            f"({rss_big[1] - rss_big[0]:+} MB over {rss_big[0]} MB).",
            "",
            page_line,
        ]
    )
    (ROOT / "benchmarks" / "results" / "consumption.md").write_text(text + "\n")
    print(text)


def page_benchmark(unit) -> str:
    """Fill the table up to BIG rows with SQL, then time one unit's page."""
    started = time.perf_counter()
    extra_months = max(0, -(-BIG // max(Meter.objects.count(), 1)) - 12)  # round up
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
        cursor.execute(
            "INSERT INTO consumption_reading (meter_id, month, value, imported_at) "
            "SELECT m.id, (DATE '2023-12-01' - (s * INTERVAL '1 month'))::date, 42, now() "
            "FROM consumption_meter m CROSS JOIN generate_series(0, %s - 1) s "
            "ON CONFLICT DO NOTHING",
            [extra_months],
        )
        cursor.execute("ANALYZE consumption_reading")
        cursor.execute("SELECT count(*) FROM consumption_reading")
        total = cursor.fetchone()[0]
    fill = time.perf_counter() - started
    tenant = Tenant.objects.create(
        tenant_number="B-1",
        first_name="Bench",
        last_name="Tenant",
        street="X 1",
        postal_code="20095",
        city="Hamburg",
        user=User.objects.create_user("bench@example.org", "x"),
    )
    contract = Contract.objects.create(contract_number="B-1", unit=unit, start_date="2020-01-01")
    contract.partners.add(tenant)
    client = Client()
    client.force_login(tenant.user)
    client.get("/verbraeuche/")  # warm up
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get("/verbraeuche/").status_code == 200
        timings.append(time.perf_counter() - started)
    page_ms = sorted(timings)[2] * 1000
    return (
        f"- filled the table to {total:,} rows in {fill:.0f} s; one unit's page "
        f"`/verbraeuche/` (median of 5): {page_ms:.0f} ms"
    )


if __name__ == "__main__":
    if CHILD:
        child_rss(sys.argv[2])
    else:
        main()
