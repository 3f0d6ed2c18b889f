from django.core.management.base import BaseCommand

from tenants.roles import clerk_groups_sync


class Command(BaseCommand):
    help = "Create or update the clerk groups (Kundenservice, Mietenbuchhaltung, Technik)."

    def handle(self, *args, **options):
        for name, count in clerk_groups_sync().items():
            self.stdout.write(f"{name}: {count} permissions")
