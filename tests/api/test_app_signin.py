"""The app signs in through django-allauth's headless API (``/_allauth/app/v1/…``): JSON, the
session token in ``X-Session-Token``, no cookies, no CSRF. Its sessions are signed-in devices
like the browser's."""

import json
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenants import sessions
from tenants.models import AuditEntry, OutboundEmail
from tests.conftest import CLERK_TOTP_SECRET, totp_code
from tests.tenants.factories import (
    PASSWORD,
    ContractFactory,
    StaffFactory,
    TenantFactory,
    UnitFactory,
    UserFactory,
)

from .kit import AppClient

pytestmark = pytest.mark.django_db

AUTH = "/_allauth/app/v1/auth"
APP_IOS = "meinTHOR-App/1.4.0 (iOS 18.1; iPhone15,2)"
APP_ANDROID = "meinTHOR-App/1.4.0 (Android 14; Pixel 8)"
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"


class App:
    """The app: JSON to allauth's headless endpoints, the token in a header, no cookie jar."""

    def __init__(self, user_agent: str = APP_IOS, ip: str = "198.51.100.7") -> None:
        self.client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
        self.token: str | None = None

    def call(self, method: str, path: str, body=None):
        headers = {"X-Session-Token": self.token} if self.token else {}
        self.client.cookies.clear()  # an app keeps no cookies
        kwargs = {"headers": headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(self.client, method)(path, **kwargs)
        token = (
            response.json().get("meta", {}).get("session_token") if path.startswith(AUTH) else None
        )
        if token:
            self.token = token
        return response

    def login(self, email: str, password: str = PASSWORD):
        return self.call("post", f"{AUTH}/login", {"email": email, "password": password})

    def me(self):
        return self.call("get", "/api/v1/me")


@pytest.fixture
def tenant():
    tenant = TenantFactory(user__email="maria@example.org")
    ContractFactory(unit=UnitFactory(), partners=[tenant])
    return tenant


def test_login_gives_a_token_for_the_api_and_logout_ends_it(tenant):
    app = App()

    response = app.login("Maria@Example.org")

    assert response.status_code == 200, response.content
    assert response.json()["meta"]["is_authenticated"] is True
    assert not response.cookies
    assert app.me().status_code == 200
    assert app.me().json()["tenant_number"] == tenant.tenant_number

    assert app.call("delete", f"{AUTH}/session").status_code == 401  # allauth: signed out
    assert app.me().status_code == 401


def test_a_wrong_password_is_refused_and_repeated_failures_are_rate_limited(tenant):
    app = App()

    first = app.login(tenant.user.email, "falsch")
    assert first.status_code == 400
    assert first.json()["errors"][0]["code"] == "email_password_mismatch"
    for _ in range(4):
        app.login(tenant.user.email, "falsch")

    # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per account in 5 minutes, then not even the
    # right password gets through.
    limited = app.login(tenant.user.email)
    assert limited.status_code == 400
    assert limited.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert app.token is None
    assert App(ip="192.0.2.1").login(tenant.user.email).status_code == 400  # per account


def test_sign_up_through_allauth_stays_closed():
    response = App().call(
        "post", f"{AUTH}/signup", {"email": "neu@example.org", "password": PASSWORD}
    )

    assert response.status_code == 403


def test_password_reset_request_goes_through_the_outbox_with_a_link_to_the_web(
    tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = App().call("post", f"{AUTH}/password/request", {"email": tenant.user.email})

    assert response.status_code == 200, response.content
    outgoing = OutboundEmail.objects.get(to=tenant.user.email)
    assert outgoing.kind.startswith("account/email/password_reset")
    assert outgoing.sensitive
    assert [m.to for m in mail.outbox] == [[tenant.user.email]]
    assert "/passwort/" in mail.outbox[0].body or "/password/reset/key/" in mail.outbox[0].body


def test_an_unconfirmed_address_is_confirmed_with_the_key_from_the_mail(
    django_capture_on_commit_callbacks,
):
    tenant = TenantFactory(user__verified_email=False, user__email="neu@example.org")
    ContractFactory(unit=UnitFactory(), partners=[tenant])
    app = App()

    with django_capture_on_commit_callbacks(execute=True):
        response = app.login("neu@example.org")

    assert response.status_code == 401
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"] is True
    assert app.me().status_code == 401
    key = re.search(r"/confirm-email/([^/\s]+)/|/bestaetigen/([^/\s]+)/", mail.outbox[-1].body)
    key = next(group for group in key.groups() if group)

    response = app.call("post", f"{AUTH}/email/verify", {"key": key})

    # Confirmed; a link never signs in by itself (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION off), so
    # the app signs in again.
    assert response.status_code == 401, response.content
    assert EmailAddress.objects.get(user=tenant.user).verified
    app.token = None
    assert app.login("neu@example.org").status_code == 200
    assert app.me().status_code == 200


def test_an_account_with_an_authenticator_app_completes_the_second_step(tenant):
    TOTP.activate(tenant.user, CLERK_TOTP_SECRET)
    app = App()

    response = app.login(tenant.user.email)

    assert response.status_code == 401
    pending = [f for f in response.json()["data"]["flows"] if f.get("is_pending")]
    assert pending == [{"id": "mfa_authenticate", "is_pending": True, "types": ["totp"]}]
    assert app.token  # the half-finished sign-in is carried by the token
    assert app.me().status_code == 401

    wrong = app.call("post", f"{AUTH}/2fa/authenticate", {"code": "000000"})
    assert wrong.status_code == 400
    response = app.call("post", f"{AUTH}/2fa/authenticate", {"code": totp_code()})

    assert response.status_code == 200, response.content
    assert app.me().status_code == 200


def test_a_clerk_may_sign_in_but_the_api_is_for_tenants():
    clerk = StaffFactory()
    app = App()
    app.login(clerk.email)
    app.call("post", f"{AUTH}/2fa/authenticate", {"code": totp_code()})

    response = app.me()

    assert response.status_code == 403
    assert response.json()["code"] == "no_tenant"


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (APP_IOS, "meinTHOR-App unter iOS"),
        (APP_ANDROID, "meinTHOR-App unter Android"),
        ("meinTHOR-App/2.0", "meinTHOR-App"),
    ],
)
def test_the_app_is_named_as_the_app(user_agent, label):
    assert sessions.device_describe(user_agent).label == label


def test_the_app_session_is_a_signed_in_device_recorded_as_a_sign_in(
    tenant, django_capture_on_commit_callbacks
):
    browser = Client(HTTP_USER_AGENT=FIREFOX_WINDOWS, REMOTE_ADDR="203.0.113.10")
    browser.post(reverse("account_login"), {"login": tenant.user.email, "password": PASSWORD})
    app = App(APP_IOS, "198.51.100.7")

    with django_capture_on_commit_callbacks(execute=True):
        app.login(tenant.user.email)

    session = UserSession.objects.get(session_key=app.token)
    assert session.user == tenant.user and session.ip == "198.51.100.7"
    html = browser.get(reverse("usersessions_list")).content.decode()
    assert "meinTHOR-App unter iOS" in html and "198.51.100.7" in html
    assert "Firefox unter Windows" in html
    records = AuditEntry.objects.filter(action="user.signed_in").order_by("pk")
    assert [(r.changes["client"], r.changes["new_device"]) for r in records] == [
        ("web", False),
        ("app", True),
    ]
    assert records[1].tenant == tenant and records[1].ip_address == "198.51.100.7"
    notice = OutboundEmail.objects.get(kind="new_device")
    assert "meinTHOR-App unter iOS" in notice.body_text

    # The same app again (after an update) from its usual network: a known device.
    App(APP_IOS.replace("1.4.0", "1.5.0"), "198.51.100.8").login(tenant.user.email)
    assert OutboundEmail.objects.filter(kind="new_device").count() == 1


def test_signing_out_everywhere_else_on_the_web_ends_the_app_session(tenant):
    browser = Client(HTTP_USER_AGENT=FIREFOX_WINDOWS)
    browser.post(reverse("account_login"), {"login": tenant.user.email, "password": PASSWORD})
    app = App()
    app.login(tenant.user.email)
    assert app.me().status_code == 200

    browser.post(reverse("usersessions_list"))

    assert app.me().status_code == 401
    assert not UserSession.objects.filter(session_key=app.token).exists()


def test_an_expired_app_session_is_refused(tenant):
    app = App()
    app.login(tenant.user.email)
    assert app.me().status_code == 200

    Session.objects.filter(session_key=app.token).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    # cached_db keeps the session in the cache for exactly its age: gone at the same moment.
    cache.delete(cached_db.KEY_PREFIX + app.token)

    assert app.me().status_code == 401


def test_last_seen_of_the_app_is_kept_current_at_most_every_few_minutes(
    tenant, settings, count_queries
):
    app = App(APP_IOS, "198.51.100.7")
    app.login(tenant.user.email)
    row = UserSession.objects.get(session_key=app.token)
    app.me()
    quiet = count_queries(app.me)
    assert UserSession.objects.get(pk=row.pk).last_seen_at == row.last_seen_at

    settings.USERSESSIONS_ACTIVITY_SECONDS = 0
    app.client.defaults["REMOTE_ADDR"] = "198.51.100.9"
    app.me()

    row_after = UserSession.objects.get(pk=row.pk)
    assert row_after.last_seen_at > row.last_seen_at
    assert row_after.ip == "198.51.100.9"
    settings.USERSESSIONS_ACTIVITY_SECONDS = 300
    assert count_queries(app.me) == quiet


def test_an_unlinked_account_signs_in_but_gets_no_tenant_data():
    user = UserFactory()
    app = App()
    app.login(user.email)

    assert AppClient(app.token).get("me").status_code == 403
