import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from consumption.models import Meter, Reading
from contracts.models import Mandate, RentAccount, RentPosting
from tenants.models import ContactPerson, Contract, OutboundEmail, Property, Tenant, Unit, User
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "Demo-Passwort-2026!"


def counts():
    models = (User, Property, Unit, Tenant, Contract, OutboundEmail, ContactPerson)
    area_models = (Meter, Reading, Mandate, RentAccount, RentPosting)
    return [m.objects.count() for m in models + area_models]


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert 18 <= Unit.objects.filter(property__number="1001").count() <= 25
    assert 6 <= Unit.objects.filter(property__number="1002").count() <= 12


def test_demo_tenant_has_a_flat_and_a_parking_space_and_can_log_in(client):
    call_command("seed_demo")

    response = client.post(
        reverse("account_login"), {"login": "mieterin@example.com", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302

    maria = Tenant.objects.get(user__email="mieterin@example.com")
    kinds = sorted(c.unit.kind for c in Contract.objects.filter(partners=maria))
    assert kinds == [Unit.Kind.FLAT, Unit.Kind.PARKING]
    other = Tenant.objects.get(user__email="mieter@example.com")
    assert Contract.objects.filter(partners=other).count() == 1


def login(client, email):
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_the_neighbour_in_the_second_house_sees_only_her_property(client):
    call_command("seed_demo")

    login(client, "nachbarin@example.com")

    nina = Tenant.objects.get(user__email="nachbarin@example.com")
    assert {c.unit.property.number for c in Contract.objects.filter(partners=nina)} == {"1002"}
    contracts = client.get(reverse("contracts:index")).content.decode()
    assert "1002-W01-01" in contracts
    assert "1001-" not in contracts
    detail = client.get(reverse("contracts:detail", args=["1002-W01-01"])).content.decode()
    own_contacts = ContactPerson.objects.filter(property__number="1002")
    other_contacts = ContactPerson.objects.filter(property__number="1001")
    assert own_contacts.exists() and other_contacts.exists()
    assert all(person.name in detail for person in own_contacts)
    # Bernd Buchholz does the rent accounting of both houses; the others are per house.
    assert not any(
        person.name in detail
        for person in other_contacts.exclude(name__in=own_contacts.values("name"))
    )
    assert client.get(reverse("contracts:detail", args=["1001-W01-01"])).status_code == 404
    home = client.get(reverse("tenants:home")).content.decode()
    assert "Große Bergstraße" in home and "Jana Jacobsen" in home
    assert "Elbchaussee" not in home and "Sabine Sachmann" not in home


def test_the_neighbour_has_meter_readings_a_mandate_and_a_rent_account():
    call_command("seed_demo")

    nina = Tenant.objects.get(user__email="nachbarin@example.com")
    flat = Contract.objects.get(partners=nina, unit__kind=Unit.Kind.FLAT)
    assert Meter.objects.filter(unit=flat.unit).count() == 3
    assert Reading.objects.filter(meter__unit=flat.unit, meter__kind="heating").count() == 36
    assert Mandate.objects.filter(contract=flat).exists()
    assert RentAccount.objects.get(contract=flat).balance == 0


def test_the_first_house_sees_nothing_of_the_second(client):
    call_command("seed_demo")

    login(client, "mieterin@example.com")

    assert "1002-" not in client.get(reverse("contracts:index")).content.decode()
    assert client.get(reverse("contracts:detail", args=["1002-W01-01"])).status_code == 404
    only_there = ContactPerson.objects.filter(property__number="1002").exclude(
        name__in=ContactPerson.objects.filter(property__number="1001").values("name")
    )
    assert only_there.exists()
    detail = client.get(reverse("contracts:detail", args=["1001-W01-01"])).content.decode()
    home = client.get(reverse("tenants:home")).content.decode()
    assert "Elbchaussee" in home and "Sabine Sachmann" in detail
    for person in only_there:
        assert person.name not in detail
        assert person.name not in home
    assert "Große Bergstraße" not in home


def test_demo_clerk_reaches_the_admin(client):
    call_command("seed_demo")
    client.post(
        reverse("account_login"),
        {"login": "sachbearbeitung@example.com", "password": DEMO_PASSWORD},
    )
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert client.get(reverse("admin:tenants_tenant_changelist")).status_code == 200


def test_seed_demo_refuses_in_production(settings):
    settings.PORTAL_ALLOW_DEMO_DATA = False

    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert User.objects.count() == 0
