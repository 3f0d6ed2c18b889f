"""The account comes with its tenant in one query (tenants.backends); sessions signed in under
Django's or allauth's own backend paths – everyone signed in before the portal had its own –
stay signed in, on the pages and in the app."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.api.kit import API, token_for
from tests.tenants.factories import ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db

OLD_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]


@pytest.fixture
def tenant():
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    return tenant


def _signed_in_under(client: Client, user, backend: str) -> None:
    session = client.session
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies["sessionid"] = session.session_key


@pytest.mark.parametrize("backend", OLD_BACKENDS)
def test_a_tenant_signed_in_before_stays_signed_in(client, tenant, backend):
    _signed_in_under(client, tenant.user, backend)

    response = client.get(reverse("contracts:index"))

    assert response.status_code == 200
    assert "1001-W01-01" in response.content.decode()
    assert client.session[BACKEND_SESSION_KEY].startswith("tenants.backends.")
    assert client.get(reverse("contracts:index")).status_code == 200


def test_an_unknown_backend_path_still_signs_out(client, tenant):
    _signed_in_under(client, tenant.user, "somewhere.else.Backend")

    assert client.get(reverse("contracts:index")).status_code == 302


@pytest.mark.parametrize("backend", OLD_BACKENDS)
def test_an_app_signed_in_before_keeps_its_token(tenant, backend):
    from django.contrib.sessions.backends.cached_db import SessionStore

    token = token_for(tenant.user)
    session = SessionStore(session_key=token)
    session[BACKEND_SESSION_KEY] = backend
    session.save()

    response = Client().get(f"{API}/me", HTTP_X_SESSION_TOKEN=token)

    assert response.status_code == 200
    assert response.json()["tenant_number"] == tenant.tenant_number


def test_the_account_comes_with_its_tenant_in_one_query(client, tenant, count_queries):
    client.force_login(tenant.user)
    client.get(reverse("contracts:index"))  # the page part is cached now

    assert count_queries(lambda: client.get(reverse("contracts:index"))) == 1


def _field_values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_the_account_query_loads_what_the_orm_loads(tenant):
    """Composed once, executed on every request: the same account and tenant, field by field
    (dates, times, yes/no fields converted as the ORM converts them)."""
    from django.utils import timezone

    from tenants.backends import user_with_tenant
    from tenants.models import User

    tenant.paperless_consent = True
    tenant.paperless_consent_at = timezone.now()
    tenant.phone = "0351 123456"
    tenant.save()
    User.objects.filter(pk=tenant.user_id).update(last_login=timezone.now(), language="en")

    user = user_with_tenant(tenant.user_id)
    expected = User.objects.select_related("tenant").get(pk=tenant.user_id)

    assert _field_values(user) == _field_values(expected)
    assert _field_values(user.tenant) == _field_values(expected.tenant)
    assert user.tenant.user is user  # the way back needs no query either
    assert isinstance(user.last_login, type(expected.last_login))
    assert user._state.adding is False and user._state.db == expected._state.db


def test_the_account_query_knows_accounts_without_tenant_and_unknown_ones(
    django_user_model, django_assert_num_queries
):
    from tenants.backends import user_with_tenant
    from tenants.models import Tenant

    clerk = django_user_model.objects.create_user(email="clerk@example.com", password="x" * 12)

    loaded = user_with_tenant(clerk.pk)

    assert loaded == clerk
    with django_assert_num_queries(0), pytest.raises(Tenant.DoesNotExist):
        loaded.tenant  # noqa: B018 - known to have none: no query asks again
    assert user_with_tenant(clerk.pk + 1000) is None


def test_a_deactivated_account_is_signed_out(client, tenant):
    client.force_login(tenant.user)
    type(tenant.user).objects.filter(pk=tenant.user_id).update(is_active=False)

    response = client.get(reverse("contracts:index"))

    assert response.status_code == 302
