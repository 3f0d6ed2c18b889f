from django.core.management.base import BaseCommand

from requests.models import ScheduledAddressChange
from requests.services import scheduled_address_changes_apply


class Command(BaseCommand):
    help = (
        "Apply the scheduled changes of postal address that are due today or were missed (what "
        "the daily beat task does). Running it twice changes nothing."
    )

    def handle(self, *args, **options):
        applied = scheduled_address_changes_apply()
        waiting = ScheduledAddressChange.objects.filter(applied_at__isnull=True).count()
        self.stdout.write(self.style.SUCCESS(f"Applied: {applied}; still scheduled: {waiting}."))
