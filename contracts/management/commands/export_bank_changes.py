import os
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from contracts.services import bank_changes_export


class Command(BaseCommand):
    help = "Export approved bank detail changes since a date as CSV for the accounting system."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD (processing date)")
        parser.add_argument("--output", required=True, help="CSV file to write (; separated)")

    def handle(self, *args, **options):
        try:
            since = date.fromisoformat(options["since"])
        except ValueError as exc:
            raise CommandError("--since must be a date like 2026-11-01") from exc
        # Full IBANs: readable by the owner only. utf-8-sig: Excel needs the BOM for umlauts.
        fd = os.open(options["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as output:
            count = bank_changes_export(since=since, output=output)
        self.stdout.write(
            self.style.SUCCESS(f"{count} approved change(s) written to {options['output']}.")
        )
