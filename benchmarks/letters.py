"""Benchmark: 1,000 registration letters into one PDF.

Compares the portal's path (issue code + render in chunks + concatenate) with WeasyPrint
rendering the same single-letter HTML in a plain loop. Run: `.venv/bin/python benchmarks/letters.py`
(uses a throw-away SQLite database; writes benchmarks/results/letters.md and
letters_finish.md; `--finish-only` measures only the finishing step).

It also measures the letter job's finishing step on its own (joining the parts of 50 letters
into one PDF) for 200, 1,000 and 10,000 letters, each in a fresh process so that its peak RSS
is the step's own: the streaming `concatenate_pdfs` (part files read one at a time, the PDF
written to a file) against what the step did before (every part read into memory, pypdf's
`PdfWriter` holding all pages, the PDF built in memory).
"""

import io
import os
import resource
import subprocess
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
PART_LETTERS = 50  # registration/jobs.py CHUNK_SIZE
FINISH_SIZES = (200, 1000, 10000)
FINISH_REPEAT = 3


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def proc_rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB. Unlike ru_maxrss, the peak starts
    afresh with the program: ru_maxrss keeps the parent's peak across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def finish_before(part_files: list[Path], output: Path) -> int:
    """The finishing step as it was: all parts into one PdfWriter, the PDF built in memory."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for path in part_files:
        writer.append(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    writer.write(buffer)
    output.write_bytes(buffer.getvalue())
    return len(writer.pages)


def finish_streaming(part_files: list[Path], output: Path) -> int:
    """The finishing step now: one part file open at a time, the PDF written to a file."""
    from documents.pdf import concatenate_pdfs

    def parts():
        for path in part_files:
            with open(path, "rb") as handle:
                yield handle

    with open(output, "wb") as handle:
        return concatenate_pdfs(parts(), handle)


def finish_child(way: str, part: str, count: int) -> None:
    """In a fresh process: join `count` copies of the part file; print seconds, pages, RSS."""
    import pypdf  # noqa: F401 - loaded before "RSS before", as in a worker

    rss_before = proc_rss_mb("VmRSS")
    output = WORKDIR / f"joined-{way}.pdf"
    started = time.perf_counter()
    step = finish_before if way == "before" else finish_streaming
    pages = step([Path(part)] * count, output)
    seconds = time.perf_counter() - started
    print(seconds, pages, rss_before, proc_rss_mb("VmHWM"), output.stat().st_size)
    output.unlink()


def write_finish_report(rows: list[str]) -> None:
    lines = [
        f"# The letter job's finishing step (parts of {PART_LETTERS} letters into one PDF)",
        "",
        f"- date: {time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}; load average at the end: {os.getloadavg()[0]:.1f}",
        "- before: every part read into memory, pypdf's PdfWriter holding all pages, the PDF "
        "built in memory; streaming: `documents.pdf.concatenate_pdfs`, one part file open at a "
        "time, the PDF written to a file",
        f"- each in a fresh process (median of {FINISH_REPEAT}); RSS before = the process with "
        "Django and pypdf loaded; peak = its highest RSS (VmHWM) during the step",
        "",
        "| letters | way | time | pages | RSS before | peak RSS | PDF |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *rows,
    ]
    report = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results" / "letters_finish.md").write_text(report)
    print(report)


def finish_only() -> None:
    """Only the finishing step (`letters.py --finish-only`): one part rendered, joined."""
    call_command("migrate", verbosity=0)
    Tenant.objects.bulk_create(
        Tenant(
            tenant_number=f"B{i:06d}",
            first_name="Maria",
            last_name=f"Müller-Lüdenscheidt {i}",
            street=f"Elbchaussee {i % 300 + 1}",
            postal_code="22763",
            city="Hamburg",
        )
        for i in range(PART_LETTERS)
    )
    part = WORKDIR / "part.pdf"
    with open(part, "wb") as handle:
        registration_letters_issue(tenants=Tenant.objects.all(), output=handle)
    write_finish_report(measure_finish(part))


def measure_finish(part: Path) -> list[str]:
    rows = []
    for letters in FINISH_SIZES:
        for way in ("before", "streaming"):
            runs = []
            for _ in range(FINISH_REPEAT):
                result = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--finish",
                        way,
                        str(part),
                        str(letters // PART_LETTERS),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=600,
                )
                runs.append([float(v) for v in result.stdout.split()[-5:]])
            runs.sort(key=lambda run: run[0])
            seconds, pages, before, _peak, size = runs[len(runs) // 2]
            peaks = sorted(run[3] for run in runs)
            rows.append(
                f"| {letters:,} | {way} | {seconds:.2f} s | {int(pages):,} | {before:.0f} MB | "
                f"**{peaks[len(peaks) // 2]:.0f} MB** (+{peaks[len(peaks) // 2] - before:.0f}) | "
                f"{size / 1e6:.1f} MB |"
            )
    return rows


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

    # One part as the letter job renders it (50 letters), joined 4, 20 and 200 times.
    part = WORKDIR / "part.pdf"
    with open(part, "wb") as handle:
        registration_letters_issue(tenants=Tenant.objects.all()[:PART_LETTERS], output=handle)
    write_finish_report(measure_finish(part))

    lines = [
        f"# Registration letters benchmark ({N} letters)",
        "",
        f"- date: {time.strftime('%Y-%m-%d')}; machine: {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, SQLite; load average at the end: "
        f"{os.getloadavg()[0]:.1f}",
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
    if sys.argv[1:2] == ["--finish"]:
        finish_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1:2] == ["--finish-only"]:
        finish_only()
    else:
        main()
