"""Signed-in devices: the list, signing out elsewhere, password changes, new-device e-mails."""

import pytest
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.urls import reverse

from tenants import sessions
from tenants.models import AuditEntry, OutboundEmail
from tests.tenants.factories import PASSWORD, TenantFactory

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"
FIREFOX_WINDOWS_NEWER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.0 Safari/605.1.15"
)
SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
)
OPERA_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0"
)
FIREFOX_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) FxiOS/132.0 Mobile/15E148 Safari/605.1.15"
)


def sign_in(user, user_agent=FIREFOX_WINDOWS, ip="203.0.113.10") -> Client:
    """A browser of its own that signs in through the login page."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def is_signed_in(browser: Client) -> bool:
    return browser.get(reverse("tenants:home")).status_code == 200


def new_device_mails(user) -> int:
    return OutboundEmail.objects.filter(to=user.email, kind="new_device").count()


@pytest.fixture
def tenant():
    return TenantFactory(user__email="maria@example.org")


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX_WINDOWS, "Firefox unter Windows"),
        (SAFARI_IPHONE, "Safari unter iOS"),
        (EDGE_WINDOWS, "Edge unter Windows"),
        (CHROME_ANDROID, "Chrome unter Android"),
        (SAFARI_MAC, "Safari unter macOS"),
        (SAMSUNG, "Samsung Internet unter Android"),
        (OPERA_LINUX, "Opera unter Linux"),
        (FIREFOX_IPHONE, "Firefox unter iOS"),
        ("curl/8.5.0", "Unbekannter Browser"),
        ("", "Unbekannter Browser"),
    ],
)
def test_device_is_named_in_plain_words(user_agent, label):
    assert sessions.device_describe(user_agent).label == label


def test_list_shows_own_devices_with_browser_names_and_never_another_tenants(tenant):
    phone = sign_in(tenant.user, SAFARI_IPHONE, "198.51.100.7")
    sign_in(tenant.user, FIREFOX_WINDOWS, "203.0.113.10")
    other = TenantFactory(user__email="juergen@example.org")
    sign_in(other.user, EDGE_WINDOWS, "192.0.2.99")

    html = phone.get(reverse("usersessions_list")).content.decode()

    assert "Safari unter iOS" in html
    assert "Firefox unter Windows" in html
    assert "198.51.100.7" in html and "203.0.113.10" in html
    assert "Edge" not in html and "192.0.2.99" not in html
    assert html.count("Dieses Gerät") == 1
    assert "Überall sonst abmelden" in html


def test_the_list_needs_a_sign_in():
    response = Client().get(reverse("usersessions_list"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_sign_out_everywhere_else_ends_the_other_browser_and_keeps_this_one(tenant):
    laptop = sign_in(tenant.user, FIREFOX_WINDOWS)
    phone = sign_in(tenant.user, SAFARI_IPHONE, "198.51.100.7")
    other = TenantFactory(user__email="juergen@example.org")
    neighbour = sign_in(other.user, EDGE_WINDOWS)

    response = laptop.post(reverse("usersessions_list"), follow=True)

    assert "Sie wurden auf allen anderen Geräten abgemeldet." in response.content.decode()
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(neighbour)
    assert UserSession.objects.filter(user=tenant.user).count() == 1
    entry = AuditEntry.objects.get(action="user.sessions_ended")
    assert entry.changes == {"reason": "signed_out_elsewhere", "count": 1}
    assert entry.actor == tenant.user and entry.tenant == tenant


def test_password_change_signs_out_the_other_browser_and_keeps_this_one(tenant):
    laptop = sign_in(tenant.user, FIREFOX_WINDOWS)
    phone = sign_in(tenant.user, SAFARI_IPHONE, "198.51.100.7")
    phone_key = phone.session.session_key

    response = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Neues-Elbufer-2027!",
            "password2": "Neues-Elbufer-2027!",
        },
    )

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not UserSession.objects.filter(session_key=phone_key).exists()
    assert UserSession.objects.filter(user=tenant.user).count() == 1
    entry = AuditEntry.objects.get(action="user.sessions_ended")
    assert entry.changes["reason"] == "password_changed"


def test_new_device_mail_is_sent_once_for_a_new_device_and_not_for_known_ones(
    tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        # The account's first recorded sign-in has nothing to compare with.
        sign_in(tenant.user, FIREFOX_WINDOWS, "203.0.113.10")
        assert new_device_mails(tenant.user) == 0

        sign_in(tenant.user, SAFARI_IPHONE, "198.51.100.7")
        assert new_device_mails(tenant.user) == 1

        # Known: the same phone again, from another network (same user agent) ...
        sign_in(tenant.user, SAFARI_IPHONE, "192.0.2.50")
        # ... and the laptop after a browser update, from its usual network (same /24).
        sign_in(tenant.user, FIREFOX_WINDOWS_NEWER, "203.0.113.77")
        assert new_device_mails(tenant.user) == 1

        # The same kind of browser, another version, from a network it was never used in: new.
        sign_in(tenant.user, FIREFOX_WINDOWS.replace("132.0", "134.0"), "192.0.2.50")
        assert new_device_mails(tenant.user) == 2

    message = mail.outbox[0]
    assert message.subject == "Anmeldung von einem neuen Gerät"
    assert "Safari unter iOS" in message.body
    assert "198.51.100.7" in message.body
    assert reverse("usersessions_list") in message.body
    assert reverse("account_change_password") in message.body
    records = AuditEntry.objects.filter(action="user.signed_in").order_by("created_at", "pk")
    assert [r.changes["new_device"] for r in records] == [False, True, False, False, True]
    assert records[1].ip_address == "198.51.100.7" and records[1].tenant == tenant


def test_new_device_mail_is_in_the_accounts_language(tenant):
    tenant.user.language = "en"
    tenant.user.save()
    sign_in(tenant.user, FIREFOX_WINDOWS)
    sign_in(tenant.user, SAFARI_IPHONE, "198.51.100.7")

    email = OutboundEmail.objects.get(kind="new_device")
    assert email.subject == "Sign-in from a new device"
    assert "Safari on iOS" in email.body_text


def test_no_new_device_mail_when_switched_off(tenant):
    tenant.user.notify_new_device = False
    tenant.user.save()
    sign_in(tenant.user, FIREFOX_WINDOWS)
    sign_in(tenant.user, SAFARI_IPHONE, "198.51.100.7")

    assert new_device_mails(tenant.user) == 0
    last = AuditEntry.objects.filter(action="user.signed_in").order_by("-pk").first()
    assert last.changes["new_device"] is True and last.changes["notified"] is False


def test_tenant_switches_the_new_device_mail_off_and_on_and_it_is_audited(tenant):
    browser = Client()
    browser.force_login(tenant.user)
    url = reverse("tenants:new_device_notice")

    response = browser.post(url, {})
    assert response.status_code == 302 and response["Location"] == reverse("tenants:profile")
    tenant.user.refresh_from_db()
    assert tenant.user.notify_new_device is False

    browser.post(url, {})  # unchanged: no second row
    browser.post(url, {"notify_new_device": "on"})
    tenant.user.refresh_from_db()
    assert tenant.user.notify_new_device is True
    actions = list(
        AuditEntry.objects.filter(action__startswith="user.new_device_notice")
        .order_by("pk")
        .values_list("action", "actor", "tenant")
    )
    assert actions == [
        ("user.new_device_notice_off", tenant.user.pk, tenant.pk),
        ("user.new_device_notice_on", tenant.user.pk, tenant.pk),
    ]
    assert Client().post(url, {}).status_code == 302  # signed out: to the login page
    assert browser.get(url).status_code == 405


def test_profile_links_to_the_devices(tenant):
    browser = sign_in(tenant.user)

    html = browser.get(reverse("tenants:profile")).content.decode()

    assert reverse("usersessions_list") in html
    assert "Angemeldete Geräte" in html


def test_last_seen_is_kept_current_without_a_write_on_every_request(
    tenant, settings, count_queries
):
    browser = sign_in(tenant.user, FIREFOX_WINDOWS, "203.0.113.10")
    row = UserSession.objects.get(user=tenant.user)
    home = reverse("tenants:home")
    browser.get(home)
    quiet = count_queries(lambda: browser.get(home))
    assert UserSession.objects.get(pk=row.pk).last_seen_at == row.last_seen_at

    settings.USERSESSIONS_ACTIVITY_SECONDS = 0
    browser.defaults["REMOTE_ADDR"] = "203.0.113.11"
    browser.get(home)

    row_after = UserSession.objects.get(pk=row.pk)
    assert row_after.last_seen_at > row.last_seen_at
    assert row_after.ip == "203.0.113.11"
    settings.USERSESSIONS_ACTIVITY_SECONDS = 300
    assert count_queries(lambda: browser.get(home)) == quiet


def test_password_reset_by_e_mail_link_signs_out_every_device(tenant):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    laptop = sign_in(tenant.user, FIREFOX_WINDOWS)
    tenant.user.refresh_from_db()  # the token covers the last sign-in time
    url = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(tenant.user),
            "key": default_token_generator.make_token(tenant.user),
        },
    )
    stranger = Client()
    first = stranger.get(url)
    assert first.status_code == 302
    set_password_url = first["Location"]
    response = stranger.post(
        set_password_url, {"password1": "Neues-Elbufer-2027!", "password2": "Neues-Elbufer-2027!"}
    )

    assert response.status_code == 302
    assert not is_signed_in(laptop)
    assert not UserSession.objects.filter(user=tenant.user).exists()
    entry = AuditEntry.objects.get(action="user.sessions_ended")
    assert entry.changes == {"reason": "password_reset", "count": 1}
