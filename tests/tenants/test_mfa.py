"""Two-factor sign-in and passkeys (django-allauth's MFA): required for clerks, optional for
tenants."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.urls import reverse

from tenants.roles import GROUP_NAMES
from tests.conftest import CLERK_TOTP_SECRET, totp_code
from tests.tenants.factories import PASSWORD, TenantFactory, UserFactory, clerk_in

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["admin:index", "admin:tenants_tenant_changelist", "admin:password_change"]


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def confirm_password(client, password=PASSWORD):
    """allauth asks for the password again before the account's protection changes."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


@pytest.mark.parametrize("group", sorted(GROUP_NAMES.values()))
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_clerk_without_second_factor_is_led_to_set_one_up(
    client, clerks_have_second_factor, group, page
):
    clerks_have_second_factor.enabled = False
    clerk = clerk_in(group)
    client.force_login(clerk)

    response = client.get(reverse(page), follow=True)

    assert response.redirect_chain[0] == (reverse("mfa_index"), 302)
    html = response.content.decode()
    assert "reicht ein Passwort allein nicht" in html
    assert "Authenticator-App einrichten" in html
    assert "Passkey hinzufügen" in html


@pytest.mark.parametrize("group", sorted(GROUP_NAMES.values()))
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_clerk_with_second_factor_opens_the_admin(client, group, page):
    clerk = clerk_in(group)
    assert Authenticator.objects.filter(user=clerk, type=Authenticator.Type.TOTP).exists()
    client.force_login(clerk)

    assert client.get(reverse(page)).status_code == 200


def test_a_passkey_alone_is_enough_for_the_admin(client, clerks_have_second_factor):
    clerks_have_second_factor.enabled = False
    clerk = clerk_in("Kundenservice")
    Authenticator.objects.create(user=clerk, type=Authenticator.Type.WEBAUTHN, data={})
    client.force_login(clerk)

    assert client.get(reverse("admin:index")).status_code == 200


def test_recovery_codes_alone_do_not_count(client, clerks_have_second_factor):
    clerks_have_second_factor.enabled = False
    clerk = clerk_in("Technik")
    RecoveryCodes.activate(clerk)
    client.force_login(clerk)

    assert client.get(reverse("admin:index")).url == reverse("mfa_index")


def test_the_requirement_can_be_switched_off(client, settings, clerks_have_second_factor):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    clerks_have_second_factor.enabled = False
    client.force_login(clerk_in("Mietenbuchhaltung"))

    assert client.get(reverse("admin:index")).status_code == 200


def test_tenant_without_second_factor_uses_the_portal_as_before(client):
    tenant = TenantFactory()
    client.force_login(tenant.user)

    assert client.get(reverse("tenants:home")).status_code == 200
    html = client.get(reverse("tenants:profile")).content.decode()
    assert "Sicherheit" in html
    assert f'href="{reverse("mfa_index")}"' in html


def test_clerk_signs_in_with_password_and_the_app_code(client):
    clerk = clerk_in("Kundenservice")

    response = sign_in(client, clerk.email)
    assert response.url == reverse("mfa_authenticate")
    step = client.get(response.url).content.decode()
    assert "Zweiter Schritt: Ihr Code" in step
    assert "Passkey verwenden" not in step  # offered only to an account with a passkey
    # The password alone has not signed in.
    assert client.get(reverse("admin:index")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_codes_are_refused_and_then_rate_limited(client):
    clerk = clerk_in("Kundenservice")
    sign_in(client, clerk.email)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"

    first = client.post(reverse("mfa_authenticate"), {"code": wrong}).content.decode()
    assert "Falscher Code" in first
    for _attempt in range(5):
        last = client.post(reverse("mfa_authenticate"), {"code": wrong})
    # Even the right code waits now: no guessing through a million codes.
    last = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert last.status_code == 200
    assert "Zu viele" in last.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_recovery_code_signs_in_once(client):
    user = TenantFactory().user
    TOTP.activate(user, CLERK_TOTP_SECRET)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    sign_in(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("tenants:profile")).status_code == 200

    client.logout()
    sign_in(client, user.email)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200
    assert "Falscher Code" in again.content.decode()


# Transactional: allauth sends its notice on commit, which must happen inside the request.
@pytest.mark.django_db(transaction=True)
def test_tenant_sets_up_the_app_sees_recovery_codes_once_and_gets_mails(client):
    user = UserFactory(email="zweifaktor@example.org")
    TenantFactory(user=user)
    sign_in(client, user.email)
    assert client.get(reverse("mfa_activate_totp")).url.startswith(
        reverse("account_reauthenticate")
    )
    confirm_password(client)

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")

    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    first_view = client.get(response.url).content.decode()
    assert all(code in first_view for code in codes)
    second_view = client.get(response.url).content.decode()
    assert not any(code in second_view for code in codes)
    assert "nur einmal angezeigt" in second_view

    to_user = [m for m in mail.outbox if m.to == [user.email]]
    subjects = [m.subject for m in to_user]
    assert "Authenticator-App eingerichtet" in subjects
    body = next(m.body for m in to_user if m.subject == "Authenticator-App eingerichtet")
    assert "Authenticator-App eingerichtet" in body or "Authenticator-App für Ihr Konto" in body
    assert "IP-Adresse" in body
    assert secret not in body


@pytest.mark.django_db(transaction=True)
def test_switching_the_app_off_is_mailed(client):
    user = TenantFactory().user
    TOTP.activate(user, CLERK_TOTP_SECRET)
    sign_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    confirm_password(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "Authenticator-App ausgeschaltet" in [m.subject for m in mail.outbox]


def test_login_page_offers_signing_in_with_a_passkey(client):
    html = client.get(reverse("account_login")).content.decode()

    assert 'id="passkey_login"' in html
    assert reverse("mfa_login_webauthn") in html
    assert "Passkey verwenden" in html


def test_the_offer_after_registration_points_to_the_profile():
    from django.utils import translation

    from tenants.mfa import second_factor_offer

    with translation.override("de"):
        assert "„Persönlicher Bereich“ → „Sicherheit“" in second_factor_offer()
    with translation.override("en"):
        assert "“Personal area” → “Security”" in second_factor_offer()
