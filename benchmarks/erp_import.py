"""Benchmark: the ERP master data import with 100,000 tenants, 120,000 units and 130,000
contracts on PostgreSQL; first import, the same files again, and a plain COPY as baseline.

Run: `.venv/bin/python benchmarks/erp_import.py` (uses the PostgreSQL database in
BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/erp_bench, created if missing
and overwritten; the files go to a temporary directory). Writes benchmarks/results/erp_import.md.
"""

import csv
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/erp_bench")
TENANTS = int(os.environ.get("BENCH_TENANTS", "100000"))
UNITS = int(os.environ.get("BENCH_UNITS", "120000"))
CONTRACTS = int(os.environ.get("BENCH_CONTRACTS", "130000"))
UNITS_PER_PROPERTY = 60


def reset_database() -> None:
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

from tenants.erp.format import ENTITIES  # noqa: E402
from tenants.erp.importer import erp_import  # noqa: E402


def write(directory: Path, entity: str, rows) -> None:
    with open(directory / f"{entity}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow([f.name for f in ENTITIES[entity]])
        writer.writerows(rows)


def generate(directory: Path) -> None:
    (directory / "manifest.json").write_text(
        json.dumps({"format_version": 1, "mode": "full", "exported_at": "2026-11-01T06:00:00Z"})
    )
    properties = UNITS // UNITS_PER_PROPERTY + 1
    write(
        directory,
        "properties",
        (
            [f"P{p:05d}", f"Wohnanlage {p}", f"Elbchaussee {p}", "22763", "Hamburg"]
            for p in range(properties)
        ),
    )

    def unit_key(u):
        return f"P{u // UNITS_PER_PROPERTY:05d}", f"W{u % UNITS_PER_PROPERTY:03d}"

    write(
        directory,
        "units",
        (
            [*unit_key(u), "flat" if u % 10 else "parking", "", f"{u % 7}. OG", "3.0", "72.50"]
            for u in range(UNITS)
        ),
    )
    write(
        directory,
        "tenants",
        (
            [
                f"T{t:07d}",
                "ms" if t % 2 else "mr",
                "",
                f"Vorname{t}",
                f"Nachname-{t}",
                f"Elbchaussee {t % 500}",
                "",
                "22763",
                "Hamburg",
                "DE",
                f"040 {t:07d}",
                f"t{t}@example.org",
                "",
            ]
            for t in range(TENANTS)
        ),
    )
    write(
        directory,
        "contracts",
        (
            [
                f"V{c:07d}",
                *unit_key(c % UNITS),
                f"T{c % TENANTS:07d}" + (f",T{(c + 1) % TENANTS:07d}" if c % 5 == 0 else ""),
                f"{2000 + c % 24}-{c % 12 + 1:02d}-01",
                "",
                "612.40",
                "180.00",
                "95.50",
            ]
            for c in range(CONTRACTS)
        ),
    )


def timed(label: str, directory: Path):
    start = time.perf_counter()
    report = erp_import(directory=directory, notify=False)
    seconds = time.perf_counter() - start
    print(label, f"{seconds:.1f} s", report.counts(), flush=True)
    return seconds, report


def baseline(directory: Path) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE bench_copy (line text)")
        for entity in ("tenants", "units", "contracts"):
            with (
                open(directory / f"{entity}.csv", encoding="utf-8") as handle,
                cursor.cursor.copy("COPY bench_copy (line) FROM STDIN") as copy,
            ):
                for line in handle:
                    copy.write_row((line.rstrip("\n"),))
        cursor.execute("DROP TABLE bench_copy")
    return time.perf_counter() - start


def main() -> None:
    logging.disable(logging.INFO)
    reset_database()
    call_command("migrate", verbosity=0)
    rows = TENANTS + UNITS + CONTRACTS
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        start = time.perf_counter()
        generate(directory)
        print(f"generated in {time.perf_counter() - start:.1f} s", flush=True)
        first, report1 = timed("first import", directory)
        again, report2 = timed("re-import", directory)
        copy_seconds = baseline(directory)
    ok = first < 120 and again < 30
    lines = [
        "# ERP master data import benchmark (PostgreSQL, 2 cores)",
        "",
        f"Files: {TENANTS:,} tenants, {UNITS:,} units, {CONTRACTS:,} contracts "
        f"({CONTRACTS // 5:,} with two partners), {UNITS // UNITS_PER_PROPERTY + 1:,} properties; "
        "CSV, full mode. Run: `.venv/bin/python benchmarks/erp_import.py`.",
        "",
        "| run | time | rows/s | result |",
        "| --- | --- | --- | --- |",
        f"| first import (validate + bulk create) | {first:.1f} s | {rows / first:,.0f} | "
        f"{_summary(report1)} |",
        f"| same files again (idempotent) | {again:.1f} s | {rows / again:,.0f} | "
        f"{_summary(report2)} |",
        f"| baseline: plain `COPY` of the three files into an unlogged text table | "
        f"{copy_seconds:.1f} s | {rows / copy_seconds:,.0f} | first import takes "
        f"{first / copy_seconds:.0f}× as long, re-import {again / copy_seconds:.0f}× |",
        "",
        f"Goals: first import < 120 s, re-import < 30 s: {'met' if ok else 'NOT met'}.",
        "",
    ]
    (ROOT / "benchmarks" / "results" / "erp_import.md").write_text("\n".join(lines))
    print("\n".join(lines))


def _summary(report) -> str:
    counts = report.counts()
    parts = []
    for entity in ("tenants", "units", "contracts"):
        c = counts[entity]
        parts.append(
            f"{entity}: {c['created']:,} new, {c['changed']:,} changed, "
            f"{c['unchanged']:,} unchanged, {c['refused']:,} refused"
        )
    return "; ".join(parts)


if __name__ == "__main__":
    main()
