from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.models import ReceiptSet
from documents.receipts import ReceiptError, receipts_publish_directory
from tenants.templatetags.portal import euro


class Command(BaseCommand):
    help = (
        "Add the PDFs in DIR as the receipts of a property's statement (Belegeinsicht). Titles "
        "and amounts from DIR/belege.csv (lines 'file name;title;amount'), else the file name. "
        "Re-running adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--property", required=True, help="property number, e.g. 1001")
        parser.add_argument("--kind", required=True, choices=ReceiptSet.Kind.values)
        parser.add_argument("--period", required=True, help="e.g. 2025")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        try:
            report = receipts_publish_directory(
                directory=directory,
                property_number=options["property"],
                kind=options["kind"],
                period=options["period"],
            )
        except ReceiptError as error:
            raise CommandError(error.message) from None
        receipt_set = report.receipt_set
        self.stdout.write(
            f"{receipt_set} ({'new' if report.created_set else 'existing'}): "
            f"{receipt_set.receipts.count()} receipt(s)."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added: {len(report.added)}, skipped as already there: {len(report.skipped)}, "
                f"refused: {len(report.invalid)}."
            )
        )
        for receipt in report.added:
            self.stdout.write(
                f"  added: {receipt.original_name} – {receipt.title}, {euro(receipt.amount)}"
            )
        for name in report.skipped:
            self.stdout.write(f"  already there: {name}")
        for name, reason in report.invalid:
            self.stdout.write(f"  refused: {name}: {reason}")
        if report.without_manifest:
            self.stdout.write(
                "Not in belege.csv (title from the file name, amount 0 – correct in the admin): "
                + ", ".join(report.without_manifest)
            )
