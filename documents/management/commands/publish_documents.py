import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.models import Document, PublishBatch
from documents.services import documents_publish_files


class Command(BaseCommand):
    help = (
        "Publish the PDFs in DIR (named by contract number, e.g. 1001-W01-01.pdf) to every "
        "contract partner. Re-running publishes nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--kind", required=True, choices=[k for k, _ in Document.Kind.choices])
        parser.add_argument("--period", required=True, help="e.g. 2025")
        parser.add_argument("--title", help="default: kind and period")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        paths = sorted(p for p in directory.iterdir() if p.is_file())
        total = len(paths)
        started = time.monotonic()

        def progress(done: int) -> None:
            # Called once per slice (a transaction of about 500 files).
            self.stdout.write(f"\r{done}/{total} files", ending="")
            sys.stdout.flush()

        report = documents_publish_files(
            files=[(p.name, p.read_bytes) for p in paths],
            kind=options["kind"],
            period=options["period"],
            title=options["title"],
            source=PublishBatch.Source.COMMAND,
            progress=progress,
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Published: {len(report.published)}, skipped as already published: "
                f"{len(report.skipped)}, unmatched: {len(report.unmatched)}, not a PDF: "
                f"{len(report.invalid)} ({time.monotonic() - started:.1f} s)."
            )
        )
        self.stdout.write(
            f"Notices e-mailed: {report.notices}; to send on paper: {report.paper} "
            "(admin: Zustellnachweise, filter 'noch auf Papier zu senden')."
        )
        for name in report.unmatched:
            self.stdout.write(f"  unmatched: {name}")
        for name in report.invalid:
            self.stdout.write(f"  not a PDF: {name}")
