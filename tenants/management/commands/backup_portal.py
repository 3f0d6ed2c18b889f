from django.core.management.base import BaseCommand, CommandError

from tenants.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file its rows refer to, from one snapshot: "
        "an encrypted dump, the files and a manifest with each file's size and SHA-256. "
        "Fails if a referenced file is missing from the storage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="Folder to write (created; must be empty)."
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="Succeed even if referenced files are missing (they stay listed as missing).",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            report = backup_create(options["output"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in report.missing:
            self.stdout.write(f"missing: {name}")
        self.stdout.write(
            f"Backup in {report.path}: {sum(report.models.values())} rows, "
            f"{report.files} file(s), {report.bytes} bytes, {len(report.missing)} missing."
        )
        if report.missing and not options["allow_missing"]:
            raise CommandError(
                f"{len(report.missing)} file(s) referenced by the database are missing from the "
                "storage (listed in manifest.json). Use --allow-missing to accept that."
            )
