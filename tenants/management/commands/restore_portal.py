from django.core.management.base import BaseCommand, CommandError

from tenants.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_portal into a freshly migrated, empty database and "
        "media storage, and check every file against the manifest's SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup folder.")
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="Accept files the manifest recorded as missing when the backup was taken.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            report = backup_restore(options["source"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in report.missing_at_backup:
            self.stdout.write(f"missing (already when the backup was taken): {name}")
        for name in report.missing:
            self.stdout.write(f"missing from the backup: {name}")
        for name in report.mismatched:
            self.stdout.write(f"checksum mismatch: {name}")
        self.stdout.write(
            f"Restored {report.objects} rows and {report.restored} file(s) "
            f"({report.already_there} already in place); "
            f"{len(report.missing_at_backup) + len(report.missing)} missing, "
            f"{len(report.mismatched)} mismatched."
        )
        if report.failed(allow_missing=options["allow_missing"]):
            raise CommandError("The restore is incomplete; see the files listed above.")
