from django.core.management.base import BaseCommand

from tenants.services import email_sweep


class Command(BaseCommand):
    help = (
        "Dispatch the e-mails in the outbox whose next attempt is due (what the periodic "
        "sweeper does); mails still waiting out their retry delay are left alone unless --now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            help=(
                "Only mail whose next attempt was due at least this many seconds ago "
                "(default: 0, every mail whose next attempt is due now)."
            ),
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help=(
                "Also send mail whose next attempt lies in the future (waiting out its retry "
                "delay), e.g. after the SMTP server is back; --older-than is then ignored."
            ),
        )

    def handle(self, *args, **options):
        count = email_sweep(
            older_than_seconds=options["older_than"], include_waiting=options["now"]
        )
        self.stdout.write(f"{count} pending e-mail(s) dispatched.")
