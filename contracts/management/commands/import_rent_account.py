from django.core.management.base import BaseCommand, CommandError

from contracts.rent_account import REASONS, rent_account_import_file


class Command(BaseCommand):
    help = (
        "Import the rent accounts (Mietkonto: postings and balances) from the ERP's JSON Lines "
        "file (see docs/erp-interface.md). Good lines are stored even if others are refused; "
        "re-importing changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            report = rent_account_import_file(path=options["file"])
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {options['file']}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows:,} lines: postings {report.postings_created:,} new, "
                f"{report.postings_updated:,} changed, {report.postings_unchanged:,} unchanged; "
                f"{report.balances:,} balances; {report.rejected_total:,} refused."
            )
        )
        for reason, count in sorted(report.rejected.items()):
            self.stdout.write(f"  {REASONS[reason]}: {count:,}")
        for example in report.examples[:20]:
            self.stdout.write(f"    {example}")
