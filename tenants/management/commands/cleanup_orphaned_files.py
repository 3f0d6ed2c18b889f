from datetime import timedelta

from django.core.management.base import BaseCommand

from tenants.files import orphaned_files_cleanup


class Command(BaseCommand):
    help = (
        "Delete stored files that no row refers to (left by a rollback or a killed worker), "
        "in the folders of every FileField. What the daily beat task does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the files that would be deleted."
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            help="Minutes a file must be old before it counts as orphaned (default 60), so "
            "uploads in flight are left alone.",
        )

    def handle(self, *args, **options):
        report = orphaned_files_cleanup(
            older_than=timedelta(minutes=options["min_age"]), dry_run=options["dry_run"]
        )
        for name in report.orphaned:
            self.stdout.write(f"{'orphaned' if options['dry_run'] else 'deleted'}: {name}")
        self.stdout.write(
            f"Folders checked: {', '.join(report.folders) or '-'}. "
            f"{len(report.orphaned)} orphaned file(s)"
            f"{' (dry run, nothing deleted)' if options['dry_run'] else ' deleted'}, "
            f"{report.referenced} in use, {report.kept_young} too young to judge."
        )
