from django.core.management.base import BaseCommand

from tenants.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Apply the retention schedule (tenants/retention.py, docs/privacy.md): delete or "
        "anonymise what is no longer needed, and close the accounts of tenancies that ended "
        "15 months ago. What the daily beat task does; prints what was done and what was kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what is due; change nothing and send no e-mail.",
        )

    def handle(self, *args, **options):
        report = retention_apply(dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
