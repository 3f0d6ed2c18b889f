import pytest
from django.db import IntegrityError
from django.urls import reverse

from tenants.models import User
from tests.conftest import totp_code

from .factories import PASSWORD, StaffFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_with_email_in_any_case_reaches_the_start_page(client):
    tenant = TenantFactory(user__email="maria.mueller@example.org")

    response = login(client, "Maria.Mueller@EXAMPLE.org")

    assert response.status_code == 302
    assert response.url == reverse("tenants:home")
    assert client.get(reverse("tenants:home")).context["tenant"] == tenant


def test_wrong_password_shows_an_error_and_keeps_the_email(client):
    UserFactory(email="jemand@example.org")

    response = login(client, "jemand@example.org", "falsch")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="jemand@example.org"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_email_is_unique_regardless_of_case():
    User.objects.create_user("Einmal@Example.org", "x")
    assert User.objects.get(email="einmal@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(email="EINMAL@example.org")


def test_signup_is_closed_without_letter_code(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert client.post(reverse("account_signup"), {"email": "neu@example.org"}).status_code == 200
    assert not User.objects.filter(email="neu@example.org").exists()


def test_admin_login_goes_through_the_portal_login(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "account/login.html" in [t.name for t in response.templates]


def test_tenant_without_staff_status_cannot_open_the_admin(client):
    tenant = TenantFactory()
    client.force_login(tenant.user)

    assert client.get("/admin/", follow=True).status_code == 403


def test_clerk_login_lands_in_the_admin(client):
    StaffFactory(email="clerk@thor.example")

    response = login(client, "CLERK@thor.example")
    # Clerks have a second factor (PORTAL_STAFF_MFA_REQUIRED): the app's code comes next.
    assert response.url == reverse("mfa_authenticate")
    response = client.post(response.url, {"code": totp_code()})

    assert response.url == reverse("admin:index")
    assert client.get(response.url).status_code == 200


def test_logout_ends_the_session(client):
    tenant = TenantFactory()
    client.force_login(tenant.user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert client.get(reverse("tenants:home")).status_code == 302


def test_login_and_password_reset_work_while_redis_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "tenants.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    TenantFactory(user__email="standhaft@example.org")

    assert login(client, "standhaft@example.org").status_code == 302
    client.logout()
    response = client.post(reverse("account_reset_password"), {"email": "standhaft@example.org"})
    assert response.status_code == 302


def _login_from(client, address, email, password=PASSWORD):
    # REMOTE_ADDR stays the load balancer's; our one proxy appends the real client last.
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_X_FORWARDED_FOR=f"6.6.6.6, {address}",
        REMOTE_ADDR="10.0.0.1",
    )


def test_failed_logins_behind_the_proxy_lock_out_only_the_client_that_made_them(client, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    TenantFactory(user__email="maria@example.org")
    StaffFactory(email="clerk@thor.example")
    for n in range(11):
        _login_from(client, f"203.0.113.{n + 1}", f"niemand{n}@example.org", "falsch")

    assert _login_from(client, "198.51.100.7", "maria@example.org").status_code == 302
    client.logout()
    response = _login_from(client, "198.51.100.8", "clerk@thor.example")
    assert response.url == reverse("mfa_authenticate")


def test_eleven_failed_logins_from_one_client_behind_the_proxy_lock_that_client(client, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    TenantFactory(user__email="maria@example.org")
    for n in range(11):
        # A forged left-hand entry does not make a new client.
        client.post(
            reverse("account_login"),
            {"login": f"niemand{n}@example.org", "password": "falsch"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
            REMOTE_ADDR="10.0.0.1",
        )

    response = _login_from(client, "203.0.113.9", "maria@example.org")

    assert response.status_code != 302
    assert "_auth_user_id" not in client.session
    assert _login_from(client, "198.51.100.7", "maria@example.org").status_code == 302
