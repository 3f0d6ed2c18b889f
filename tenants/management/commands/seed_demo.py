"""Demo data for `make run`: one Hamburg property, ~20 units, tenants, contracts, clerks.

Idempotent: every row is keyed by a fixed number, so running it again changes nothing. The
areas add their own demo data through tenants.registry.register_demo_seeder; the demo tenant of
flat W<nn> has the tenant number 1000<nn>.
"""

import random
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from tenants.models import (
    Area,
    ClerkResponsibility,
    ContactPerson,
    Property,
    Team,
    Tenant,
    Unit,
    User,
)
from tenants.registry import demo_seeders
from tenants.roles import GROUP_NAMES, clerk_groups_sync

DEMO_PASSWORD = "Demo-Passwort-2026!"  # noqa: S105 - documented demo logins, never in production
DEMO_LOGINS = [
    ("mieterin@example.com", "Mieterin mit Wohnung und Stellplatz"),
    ("mieter@example.com", "Mieter einer anderen Wohnung"),
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
        fake = Faker("de_DE")
        fake.seed_instance(2026)
        rng = random.Random(2026)

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

        prop, _ = Property.objects.get_or_create(
            number="1001",
            defaults={
                "name": "Wohnanlage Elbblick",
                "street": "Elbchaussee 101",
                "postal_code": "22763",
                "city": "Hamburg",
            },
        )
        for area, person in [
            (Area.CUSTOMER_SERVICE, clerk),
            (Area.ACCOUNTING, accounting),
            (Area.TECHNICAL, technik),
        ]:
            ClerkResponsibility.objects.get_or_create(
                property=prop, area=area, defaults={"clerk": person, "team": teams[area]}
            )
        for order, (name, role, area, phone, mail, hours) in enumerate(
            [
                (
                    "Sabine Sachmann",
                    "Kundenbetreuerin",
                    Area.CUSTOMER_SERVICE,
                    "040 61 32 10",
                    "s.sachmann@thor.de",
                    "Mo–Do 9–16 Uhr, Fr 9–13 Uhr",
                ),
                (
                    "Bernd Buchholz",
                    "Mietenbuchhaltung",
                    Area.ACCOUNTING,
                    "040 61 32 20",
                    "b.buchholz@thor.de",
                    "Mo–Fr 9–12 Uhr",
                ),
                (
                    "Tina Technau",
                    "Technische Objektbetreuung",
                    Area.TECHNICAL,
                    "040 61 32 30",
                    "t.technau@thor.de",
                    "Mo–Fr 8–15 Uhr",
                ),
            ]
        ):
            ContactPerson.objects.get_or_create(
                name=name,
                property=prop,
                defaults={
                    "role": role,
                    "area": area,
                    "phone": phone,
                    "email": mail,
                    "office_hours": hours,
                    "order": order,
                },
            )

        units = []
        for i in range(1, 19):
            floor = (i - 1) // 3
            side = ["links", "Mitte", "rechts"][(i - 1) % 3]
            floor_label = "EG" if floor == 0 else f"{floor}. OG"
            unit, _ = Unit.objects.get_or_create(
                property=prop,
                number=f"W{i:02d}",
                defaults={
                    "kind": Unit.Kind.FLAT,
                    "location": f"{floor_label} {side}",
                    "rooms": Decimal(rng.choice(["1.5", "2", "2.5", "3", "3.5", "4"])),
                    "living_area": Decimal(rng.randrange(3800, 9800)) / 100,
                },
            )
            units.append(unit)
        for i in (1, 2):
            unit, _ = Unit.objects.get_or_create(
                property=prop,
                number=f"S{i:02d}",
                defaults={"kind": Unit.Kind.PARKING, "location": f"Tiefgarage Platz {i}"},
            )
            units.append(unit)

        mieterin_user = self._user("mieterin@example.com", "Maria", "Müller-Lüdenscheidt")
        mieter_user = self._user("mieter@example.com", "Jürgen", "Ölschläger")
        now = timezone.now()
        demo_tenants = {
            "W01": ("100001", Tenant.Salutation.MS, "Maria", "Müller-Lüdenscheidt", mieterin_user),
            "W02": ("100002", Tenant.Salutation.MR, "Jürgen", "Ölschläger", mieter_user),
            # Not registered yet: the registration demo prints a letter code for her.
            "W03": ("100003", Tenant.Salutation.MS, "Zoë", "Núñez-Straßburger", None),
        }
        for unit in units:
            if unit.kind != Unit.Kind.FLAT:
                continue
            if unit.number in demo_tenants:
                number, salutation, first, last, user = demo_tenants[unit.number]
            else:
                number = demo_tenant_number(unit)
                salutation = rng.choice([Tenant.Salutation.MS, Tenant.Salutation.MR])
                first = (
                    fake.first_name_female()
                    if salutation == Tenant.Salutation.MS
                    else fake.first_name_male()
                )
                last, user = fake.last_name(), None
            Tenant.objects.get_or_create(
                tenant_number=number,
                defaults={
                    "salutation": salutation,
                    "first_name": first,
                    "last_name": last,
                    "street": prop.street,
                    "address_extra": unit.location,
                    "postal_code": prop.postal_code,
                    "city": prop.city,
                    "phone": fake.phone_number(),
                    "email": user.email if user else fake.email(),
                    "user": user,
                    "paperless_consent": user is not None,
                    "paperless_consent_at": now if user is not None else None,
                },
            )


def demo_tenant_number(unit: Unit) -> str:
    return f"1{int(unit.number[1:]):05d}"
