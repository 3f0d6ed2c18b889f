"""Demo data for `make run`: two Hamburg properties, ~30 units, tenants, contracts, clerks.

Clerks, teams and logins are made here; properties, units, tenants, contracts, responsibilities
and contact persons are imported from the ERP demo files in docs/erp/examples/demo/.
Idempotent: every row is keyed by a fixed number, so running it again changes nothing. The
areas add their own demo data through tenants.registry.register_demo_seeder; the demo tenant of
flat W<nn> has the tenant number 1000<nn> in property 1001 and 1001<nn> in property 1002.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tenants.erp.importer import erp_import
from tenants.models import Area, Team, Tenant, User
from tenants.registry import demo_seeders
from tenants.roles import GROUP_NAMES, clerk_groups_sync

DEMO_ERP_DIR = settings.BASE_DIR / "docs" / "erp" / "examples" / "demo"
DEMO_PASSWORD = "Demo-Passwort-2026!"  # noqa: S105 - documented demo logins, never in production
DEMO_LOGINS = [
    ("mieterin@example.com", "Mieterin mit Wohnung und Stellplatz"),
    ("mieter@example.com", "Mieter einer anderen Wohnung"),
    ("nachbarin@example.com", "Mieterin im zweiten Haus"),
    ("sachbearbeitung@example.com", "Sachbearbeiterin Kundenservice (Admin)"),
    ("buchhaltung@example.com", "Sachbearbeiter Mietenbuchhaltung (Admin)"),
    ("technik@example.com", "Sachbearbeiterin Technik (Admin)"),
    ("admin@example.com", "Administrator"),
]


class Command(BaseCommand):
    help = "Fill the database with demo data (idempotent). Refuses to run in production."

    def handle(self, *args, **options):
        if not settings.PORTAL_ALLOW_DEMO_DATA:
            raise CommandError("Demo data is disabled here (PORTAL_ALLOW_DEMO_DATA is off).")
        clerk_groups_sync()
        with transaction.atomic():
            self._seed()
            for seeder in demo_seeders():
                seeder.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, who in DEMO_LOGINS:
            self.stdout.write(f"  {email:<30} {who}")

    def _user(self, email, first_name, last_name, *, staff=False, superuser=False) -> User:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": staff or superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _seed(self) -> None:
        admin = self._user("admin@example.com", "Ada", "Admin", superuser=True)
        clerk = self._user("sachbearbeitung@example.com", "Sabine", "Sachmann", staff=True)
        clerk.groups.add(Group.objects.get(name=GROUP_NAMES[Area.CUSTOMER_SERVICE]))
        accounting = self._user("buchhaltung@example.com", "Bernd", "Buchholz", staff=True)
        accounting.groups.add(Group.objects.get(name=GROUP_NAMES[Area.ACCOUNTING]))
        technik = self._user("technik@example.com", "Tina", "Technau", staff=True)
        technik.groups.add(Group.objects.get(name=GROUP_NAMES[Area.TECHNICAL]))
        del admin

        teams = {}
        for area, name, mailbox in [
            (Area.CUSTOMER_SERVICE, "Team Kundenservice", "kundenservice@thor.de"),
            (Area.ACCOUNTING, "Team Mietenbuchhaltung", "mietenbuchhaltung@thor.de"),
            (Area.TECHNICAL, "Team Technik", "technik@thor.de"),
        ]:
            teams[area], _ = Team.objects.get_or_create(
                name=name, defaults={"area": area, "email": mailbox, "is_default": True}
            )
        teams[Area.CUSTOMER_SERVICE].members.add(clerk)
        teams[Area.ACCOUNTING].members.add(accounting)
        teams[Area.TECHNICAL].members.add(technik)

        mieterin_user = self._user("mieterin@example.com", "Maria", "Müller-Lüdenscheidt")
        mieter_user = self._user("mieter@example.com", "Jürgen", "Ölschläger")
        nachbarin_user = self._user("nachbarin@example.com", "Nina", "Neumeier")
        # The base data comes from the ERP demo export through the real import, so every
        # `make run` exercises the exchange format (docs/erp-interface.md).
        report = erp_import(directory=DEMO_ERP_DIR, notify=False)
        if report.refused_total:
            raise CommandError(report.text())
        now = timezone.now()
        for number, user in [
            ("100001", mieterin_user),
            ("100002", mieter_user),
            ("100101", nachbarin_user),  # property 1002, Wohnhof Altona
        ]:
            Tenant.objects.filter(tenant_number=number, user__isnull=True).update(
                user=user, paperless_consent=True, paperless_consent_at=now
            )
