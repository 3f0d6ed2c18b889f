"""Benchmark: 1,000 registration letters into one PDF.

Compares the portal's path (issue code + render in chunks + concatenate) with WeasyPrint
rendering the same single-letter HTML in a plain loop. Run: `.venv/bin/python benchmarks/letters.py`
(uses a throw-away SQLite database; writes benchmarks/results/letters.md).
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-letters-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from documents.pdf import html_to_pdf  # noqa: E402
from registration import codes  # noqa: E402
from registration.letters import letter_context  # noqa: E402
from registration.services import registration_letters_issue  # noqa: E402
from tenants.context_processors import branding  # noqa: E402
from tenants.models import Tenant  # noqa: E402

N = int(os.environ.get("BENCH_LETTERS", "1000"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    call_command("migrate", verbosity=0)
    Tenant.objects.bulk_create(
        Tenant(
            tenant_number=f"B{i:06d}",
            salutation=Tenant.Salutation.MS if i % 2 else Tenant.Salutation.MR,
            first_name="Maria",
            last_name=f"Müller-Lüdenscheidt {i}",
            street=f"Elbchaussee {i % 300 + 1}",
            postal_code="22763",
            city="Hamburg",
        )
        for i in range(N)
    )
    rss_before = peak_rss_mb()
    output = WORKDIR / "letters.pdf"
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, open(output, "wb") as handle:
        batch = registration_letters_issue(tenants=Tenant.objects.iterator(), output=handle)
    portal_seconds = time.perf_counter() - started
    portal_peak = peak_rss_mb()

    # Baseline: the same letter HTML, rendered one by one with WeasyPrint and nothing else.
    tenant = Tenant.objects.first()
    context = letter_context(tenant=tenant, code=codes.generate(), expires_at=batch.created_at)
    html = render_to_string(
        "pdf/registration_letter.html", {"portal": branding(), "items": [context]}
    )
    started = time.perf_counter()
    for _ in range(N):
        html_to_pdf(html)
    loop_seconds = time.perf_counter() - started

    lines = [
        f"# Registration letters benchmark ({N} letters)",
        "",
        f"- machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}",
        f"- portal path (codes + chunked render + one PDF): {portal_seconds:.1f} s, "
        f"{N / portal_seconds:.0f} letters/s, {len(queries)} SQL queries, "
        f"PDF {output.stat().st_size / 1e6:.1f} MB",
        f"- peak RSS: {rss_before:.0f} MB before, {portal_peak:.0f} MB after the run",
        f"- WeasyPrint alone, same letter in a loop: {loop_seconds:.1f} s, "
        f"{N / loop_seconds:.0f} letters/s",
        f"- overhead of the portal path: {(portal_seconds / loop_seconds - 1) * 100:+.0f} %",
    ]
    report = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results" / "letters.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
