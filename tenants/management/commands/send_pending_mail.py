from django.core.management.base import BaseCommand

from tenants.services import email_sweep


class Command(BaseCommand):
    help = "Dispatch every e-mail still pending in the outbox (what the periodic sweeper does)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            help="Only mail unchanged for this many seconds (default: all pending).",
        )

    def handle(self, *args, **options):
        count = email_sweep(older_than_seconds=options["older_than"])
        self.stdout.write(f"{count} pending e-mail(s) dispatched.")
