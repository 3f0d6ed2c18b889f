import sys
import time

from django.core.management.base import BaseCommand, CommandError

from consumption.services import REASONS, ConsumptionImportError, consumption_import_file


class Command(BaseCommand):
    help = (
        "Import monthly consumption from a CSV file (meter;month;value;unit, see "
        "consumption/services.py). Good rows are stored even if others are refused; "
        "re-importing changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--no-notice", action="store_true", help="do not e-mail tenants")

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(rows: int) -> None:
            self.stdout.write(f"\r{rows:,} rows checked", ending="")
            sys.stdout.flush()

        try:
            report = consumption_import_file(
                path=options["file"], progress=progress, notify=not options["no_notice"]
            )
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {options['file']}") from exc
        except ConsumptionImportError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows:,} rows: {report.accepted:,} accepted, "
                f"{report.rejected_total:,} refused ({seconds:.1f} s, "
                f"{report.rows / max(seconds, 1e-6):,.0f} rows/s)."
            )
        )
        for reason, count in sorted(report.rejected.items()):
            self.stdout.write(f"  {REASONS[reason]}: {count:,}")
        for example in report.examples[:20]:
            self.stdout.write(f"    {example}")
        self.stdout.write(f"Notices e-mailed: {report.notices:,}")
