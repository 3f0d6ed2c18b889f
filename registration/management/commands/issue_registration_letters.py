import sys
import time

from django.core.management.base import BaseCommand, CommandError

from registration.models import LetterBatch
from registration.services import registration_letters_issue, tenants_needing_letters
from tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Issue new registration codes and write all letters into one PDF for the print shop. "
        "Older codes of these tenants stop working."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument(
            "--unregistered",
            action="store_true",
            help="every tenant without an account and without a code still valid",
        )
        who.add_argument("--tenant", nargs="+", metavar="NUMBER", help="tenant numbers")
        parser.add_argument("--output", required=True, help="PDF file to write")

    def handle(self, *args, **options):
        if options["unregistered"]:
            tenants = tenants_needing_letters()
        else:
            numbers = options["tenant"]
            tenants = Tenant.objects.filter(tenant_number__in=numbers).order_by(
                "postal_code", "last_name"
            )
            missing = set(numbers) - set(tenants.values_list("tenant_number", flat=True))
            if missing:
                raise CommandError(f"Unknown tenant number(s): {', '.join(sorted(missing))}")
            registered = tenants.filter(user__isnull=False)
            if registered.exists():
                names = ", ".join(registered.values_list("tenant_number", flat=True))
                raise CommandError(f"Already registered, no letter needed: {names}")
        total = tenants.count()
        if total == 0:
            self.stdout.write("No tenant needs a letter.")
            return
        started = time.monotonic()

        def progress(done: int) -> None:
            if done == total or done % 50 == 0:
                rate = done / max(time.monotonic() - started, 1e-6)
                self.stdout.write(f"\r{done}/{total} letters ({rate:.0f}/s)", ending="")
                sys.stdout.flush()

        with open(options["output"], "wb") as output:
            batch = registration_letters_issue(
                tenants=tenants.iterator(chunk_size=500),
                output=output,
                source=LetterBatch.Source.COMMAND,
                progress=progress,
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch.letter_count} letters written to {options['output']} "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
