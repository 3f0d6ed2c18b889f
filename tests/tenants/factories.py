from datetime import date
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from tenants.models import Area, ContactPerson, Contract, Property, Team, Tenant, Unit, User

PASSWORD = "Sicheres-Passwort-2026!"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True


class PropertyFactory(DjangoModelFactory):
    class Meta:
        model = Property

    number = factory.Sequence(lambda n: f"{2000 + n}")
    name = factory.Faker("street_name", locale="de_DE")
    street = factory.Faker("street_address", locale="de_DE")
    postal_code = factory.Faker("postcode", locale="de_DE")
    city = "Hamburg"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    property = factory.SubFactory(PropertyFactory)
    number = factory.Sequence(lambda n: f"W{n:03d}")
    kind = Unit.Kind.FLAT
    location = "1. OG links"
    living_area = factory.Faker(
        "pydecimal", left_digits=2, right_digits=2, min_value=30, max_value=99
    )


class TenantFactory(DjangoModelFactory):
    class Meta:
        model = Tenant

    tenant_number = factory.Sequence(lambda n: f"9{n:05d}")
    salutation = Tenant.Salutation.MS
    first_name = factory.Faker("first_name_female", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    street = factory.Faker("street_address", locale="de_DE")
    postal_code = factory.Faker("postcode", locale="de_DE")
    city = "Hamburg"
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    user = factory.SubFactory(
        UserFactory,
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
    )

    class Params:
        paperless = factory.Trait(
            paperless_consent=True, paperless_consent_at=factory.LazyFunction(timezone.now)
        )


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.LazyAttribute(lambda o: f"Team {o.area}")
    area = Area.CUSTOMER_SERVICE
    email = factory.LazyAttribute(lambda o: f"{o.area}@thor.example")
    is_default = True


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    name = factory.Faker("name", locale="de_DE")
    role = "Kundenbetreuung"
    area = Area.CUSTOMER_SERVICE
    property = factory.SubFactory(PropertyFactory)
    phone = "040 61 32 10"
    email = factory.Sequence(lambda n: f"kontakt{n}@thor.example")
    office_hours = "Mo–Fr 9–15 Uhr"


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    contract_number = factory.Sequence(lambda n: f"V-{n:06d}")
    unit = factory.SubFactory(UnitFactory)
    start_date = date(2020, 1, 1)
    grundmiete = Decimal("612.40")
    betriebskosten_vorauszahlung = Decimal("155.00")
    heizkosten_vorauszahlung = Decimal("92.60")

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.partners.add(*extracted)


def clerk_in(group: str) -> User:
    """A clerk account in one of the clerk groups (Kundenservice, Mietenbuchhaltung, Technik),
    with the groups' permissions as `sync_clerk_groups` sets them: clerks are tested as
    themselves, never as a superuser."""
    from django.contrib.auth.models import Group

    from tenants.roles import clerk_groups_sync

    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name=group))
    return clerk
