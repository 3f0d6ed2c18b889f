"""Benchmark: publishing 10,000 annual statements (named by contract number) with notices.

Run: `.venv/bin/python benchmarks/publish_documents.py` (throw-away SQLite database and media
folder; set DATABASE_URL to a PostgreSQL database to measure there). Writes
benchmarks/results/publish_documents.md.
"""

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-docs-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from documents.models import Delivery  # noqa: E402
from documents.services import documents_publish_files  # noqa: E402
from tenants.models import (  # noqa: E402
    Contract,
    OutboundEmail,
    Property,
    Tenant,
    Unit,
    User,
)

N = int(os.environ.get("BENCH_DOCUMENTS", "10000"))
PDF = b"%PDF-1.4\n" + b"0" * 40_000 + b"\n%%EOF\n"  # a 40 kB statement


def setup_data() -> None:
    call_command("migrate", verbosity=0)
    prop = Property.objects.create(
        number="B1", name="Bench", street="X 1", postal_code="20095", city="Hamburg"
    )
    units = Unit.objects.bulk_create(Unit(property=prop, number=f"W{i:05d}") for i in range(N))
    users = User.objects.bulk_create(
        User(email=f"t{i}@bench.example", password="!") for i in range(N) if i % 4
    )
    user_iter = iter(users)
    now = timezone.now()
    tenants = Tenant.objects.bulk_create(
        Tenant(
            tenant_number=f"T{i:06d}",
            first_name="Maria",
            last_name=f"Muster {i}",
            street="X 1",
            postal_code="20095",
            city="Hamburg",
            # three in four have an account and consent; the rest get paper
            user=next(user_iter) if i % 4 else None,
            paperless_consent=bool(i % 4),
            paperless_consent_at=now if i % 4 else None,
        )
        for i in range(N)
    )
    contracts = Contract.objects.bulk_create(
        Contract(contract_number=f"B-{i:06d}", unit=units[i], start_date="2020-01-01")
        for i in range(N)
    )
    Contract.partners.through.objects.bulk_create(
        Contract.partners.through(contract_id=c.pk, tenant_id=t.pk)
        for c, t in zip(contracts, tenants, strict=True)
    )


class QueryCounter:
    """Counts every SQL statement (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def counted(func):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        result = func()
    return result, counter.count


def main() -> None:
    logging.disable(logging.INFO)  # one log line per delivered mail would dominate the run
    settings.MEDIA_ROOT = WORKDIR / "media"
    setup_data()
    files = [(f"B-{i:06d}.pdf", lambda: PDF) for i in range(N)]

    def publish():
        return documents_publish_files(files=files, kind="betriebskostenabrechnung", period="2025")

    started = time.perf_counter()
    report, queries = counted(publish)
    seconds = time.perf_counter() - started

    started = time.perf_counter()
    second, again = counted(publish)
    rerun = time.perf_counter() - started

    lines = [
        f"# Publishing benchmark ({N:,} statements, {connection.vendor})",
        "",
        f"- publish with notices: {seconds:.1f} s ({N / seconds:.0f} documents/s), "
        f"{queries:,} SQL queries ({queries / N:.1f} per document; includes delivering the "
        f"notices in-process, as Celery runs eagerly here)",
        f"- published {len(report.published):,}, notices queued {report.notices:,} "
        f"(outbox rows: {OutboundEmail.objects.count():,}), paper deliveries {report.paper:,}, "
        f"deliveries {Delivery.objects.count():,}",
        f"- second run (idempotent): {rerun:.1f} s, {again:,} queries, "
        f"published {len(second.published)}, skipped {len(second.skipped):,}",
    ]
    text = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results" / "publish_documents.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
