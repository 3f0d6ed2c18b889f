"""Registration in the app: open without sign-in (public), nothing of another tenant leaks."""

from registration.api import _token_issue
from registration.services import registration_code_issue
from tenants.models import Tenant

from .kit import Call, Route


def _fresh_code(world):
    """A tenant of the world without an account, with a new letter code."""
    tenant = Tenant.objects.create(
        tenant_number="977001", first_name="Ilse", last_name="Unregistriert"
    )
    return registration_code_issue(tenant=tenant)


def _check(world) -> Call:
    _, plain = _fresh_code(world)
    return Call(
        "registration/check",
        json={"code": plain, "last_name": "Unregistriert"},
        scoped=False,
        secrets=[world.owner.last_name, world.owner.tenant_number],
    )


def _token(world) -> str:
    row, _ = _fresh_code(world)
    return _token_issue(row)


def _account(world) -> Call:
    password = "Balkon-Blume-2026!"
    return Call(
        "registration/account",
        json={
            "registration_token": _token(world),
            "email": "ilse@example.org",
            "password": password,
            "password_repeat": password,
            "accept_terms": True,
        },
        scoped=False,
        secrets=[world.owner.last_name, world.owner.user.email],
    )


def _confirm(world) -> Call:
    # No account was created, so no code was sent: refused alike for everybody.
    return Call(
        "registration/confirm",
        json={"registration_token": _token(world), "confirmation_code": "000000"},
        owner_status=409,
        other_status=409,
        scoped=False,
        secrets=[world.owner.last_name],
    )


def _confirm_link(world) -> Call:
    return Call(
        "registration/confirm-link",
        json={"key": "not-a-key"},
        owner_status=409,
        other_status=409,
        scoped=False,
        secrets=[world.owner.last_name],
    )


ROUTES = [
    Route("POST", "/api/v1/registration/check", _check, queries=1, public=True),
    # The owner's call is the second with the same token and address: a double click (the
    # first creates the account in 12 queries, see test_registration_api).
    Route("POST", "/api/v1/registration/account", _account, queries=5, public=True),
    Route("POST", "/api/v1/registration/confirm", _confirm, queries=5, public=True),
    # A key that is no signed key costs no query.
    Route("POST", "/api/v1/registration/confirm-link", _confirm_link, queries=0, public=True),
]
