from django.core.management.base import BaseCommand, CommandError

from tenants.erp.format import FormatError
from tenants.erp.importer import erp_import


class Command(BaseCommand):
    help = (
        "Import master data exported by the ERP from DIR (manifest.json plus one file per entity, "
        "see docs/erp-interface.md). Validates everything first, then applies."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--check", action="store_true", help="Validate and report only; change nothing."
        )
        parser.add_argument(
            "--no-notify", action="store_true", help="Do not e-mail the report to customer service."
        )

    def handle(self, *args, directory, check, no_notify, **options):
        try:
            report = erp_import(directory=directory, dry_run=check, notify=not no_notify)
        except FormatError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.text())
