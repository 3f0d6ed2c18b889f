import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tenants.models import Contract, OutboundEmail, Property, Tenant, Unit, User
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "Demo-Passwort-2026!"


def counts():
    return [m.objects.count() for m in (User, Property, Unit, Tenant, Contract, OutboundEmail)]


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert 18 <= Unit.objects.count() <= 25


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
