import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.changes import (
    FORMATS,
    ChangeExportError,
    changes_export,
    changes_export_acknowledge,
    changes_export_repeat,
    changes_export_unacknowledged,
)


class Command(BaseCommand):
    help = (
        "Write every change made in the portal that no export has claimed yet (addresses, "
        "phone, e-mail, paperless consent, approved bank details) for the ERP, each with its "
        "change id. --repeat writes a batch again, --ack marks it read by the ERP."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (CSV ; separated, or JSON Lines)")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or jsonl; by default from the file name (.jsonl), else csv",
        )
        parser.add_argument("--repeat", type=int, metavar="BATCH", help="write this batch again")
        parser.add_argument("--ack", type=int, metavar="BATCH", help="the ERP has read this batch")

    def handle(self, *args, **options):
        if options["ack"] is not None:
            if options["repeat"] is not None or options["output"]:
                raise CommandError("--ack takes no --output or --repeat.")
            try:
                batch = changes_export_acknowledge(batch_id=options["ack"])
            except ChangeExportError as error:
                raise CommandError(error.message) from error
            self.stdout.write(self.style.SUCCESS(f"Export {batch.pk} acknowledged."))
            return
        if not options["output"]:
            raise CommandError("--output is required.")
        path = Path(options["output"])
        fmt = options["format"] or ("jsonl" if path.suffix.lower() == ".jsonl" else "csv")
        try:
            if options["repeat"] is not None:
                batch = self._write(
                    path,
                    fmt,
                    lambda output: changes_export_repeat(
                        batch_id=options["repeat"], output=output, fmt=fmt
                    ),
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Export {batch.pk} ({batch.count} change(s)) written again to {path}."
                    )
                )
                return
            batch = self._write(
                path,
                fmt,
                lambda output: changes_export(output=output, fmt=fmt, file_name=str(path)),
            )
        except ChangeExportError as error:
            raise CommandError(error.message) from error
        if batch is None:
            self.stdout.write(f"No new changes; {path} has the header only.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Export {batch.pk}: {batch.count} change(s) written to {path}.")
            )
        waiting = [pk for pk in changes_export_unacknowledged() if batch is None or pk != batch.pk]
        if waiting:
            self.stdout.write(
                self.style.WARNING(
                    "Not acknowledged yet: export(s) "
                    + ", ".join(map(str, waiting))
                    + " (--repeat BATCH writes one again, --ack BATCH confirms it)."
                )
            )

    def _write(self, path: Path, fmt: str, write):
        """Write into a private temporary file next to `path` and move it there only once the
        export has committed: a failed export leaves neither a file nor a claim behind.
        """
        # Full IBANs: readable by the owner only. utf-8-sig: Excel needs the BOM for umlauts;
        # JSON Lines has none.
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", newline="", encoding=encoding) as output:
                result = write(output)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return result
