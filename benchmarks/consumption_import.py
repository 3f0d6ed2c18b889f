"""Benchmark: importing 1,000,000 monthly values on PostgreSQL, and one unit's page with
10,000,000 rows in the table.

Run: `.venv/bin/python benchmarks/consumption_import.py` (uses the PostgreSQL database in
BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench, created if missing
and overwritten). Writes benchmarks/results/consumption.md.
"""

import logging
import os
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
from django.db import connection  # noqa: E402
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
    path = Path(tempfile.mkdtemp()) / "consumption.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("meter;month;value;unit\n")
        for serial, unit in serials:
            for month in months:
                spread = 900 if unit == "kWh" else 300  # plausible: ≤ 90 kWh, ≤ 30 m³
                value = (hash((serial, month)) % spread) / 10 + 1
                handle.write(f"{serial};{month};{value};{unit}\n")
    rows = len(serials) * len(months)

    started = time.perf_counter()
    report = consumption_import_file(path=path, notify=False)
    ours = time.perf_counter() - started

    started = time.perf_counter()
    again = consumption_import_file(path=path, notify=False)
    rerun = time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_plain (meter text, month text, value text, unit text)"
        )
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy(
                "COPY bench_plain FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        plain = time.perf_counter() - started

    # Fill the table up to BIG rows with SQL, then time one unit's page.
    started = time.perf_counter()
    extra_months = max(0, -(-BIG // max(Meter.objects.count(), 1)) - 12)  # round up
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO consumption_reading (meter_id, month, value, imported_at) "
            "SELECT m.id, (DATE '2023-12-01' - (s * INTERVAL '1 month'))::date, 42, now() "
            "FROM consumption_meter m CROSS JOIN generate_series(0, %s - 1) s",
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
    contract = Contract.objects.create(
        contract_number="B-1", unit=units[0], start_date="2020-01-01"
    )
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

    text = "\n".join(
        [
            f"# Consumption benchmark (PostgreSQL {connection.pg_version // 10000}, "
            f"{os.cpu_count()} cores)",
            "",
            f"- import of {rows:,} rows (validation + COPY to staging + one upsert + "
            f"benchmarks): {ours:.1f} s = {rows / ours:,.0f} rows/s; accepted "
            f"{report.accepted:,}, refused {report.rejected_total:,}",
            f"- the same file again (idempotent): {rerun:.1f} s = {rows / rerun:,.0f} rows/s, "
            f"accepted {again.accepted:,}",
            f"- plain `COPY` of the same file into an unlogged text table: {plain:.1f} s = "
            f"{rows / plain:,.0f} rows/s (our import takes {ours / plain:.1f}× as long)",
            f"- filled the table to {total:,} rows in {fill:.0f} s; one unit's page "
            f"`/verbraeuche/` (median of 5): {page_ms:.0f} ms",
        ]
    )
    (ROOT / "benchmarks" / "results" / "consumption.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
