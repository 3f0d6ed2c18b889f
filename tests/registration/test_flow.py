import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from registration import codes
from registration.models import RegistrationCode
from registration.services import Outcome, registration_code_check, registration_code_issue
from tenants.models import OutboundEmail, Tenant, User
from tests.tenants.factories import TenantFactory, UserFactory

from .factories import tenant_with_code

pytestmark = pytest.mark.django_db

PASSWORD = "Balkon-Blume-2026!"
START = reverse("registration:start")
GENERIC = "Registrierungscode und Nachname passen nicht zusammen"


def step1(client, code, last_name):
    return client.post(START, {"code": code, "last_name": last_name})


def step2(client, email="zoe@example.org", password=PASSWORD, **extra):
    data = {
        "email": email,
        "password1": password,
        "password2": password,
        "accept_terms": "on",
        **extra,
    }
    return client.post(reverse("registration:account"), data)


def confirmation_code_from_mail():
    body = mail.outbox[-1].body
    return re.search(r"\b(\d{6})\b", body).group(1)


def confirmation_link_from_mail():
    return re.search(r"https?://\S+/registrieren/bestaetigen/\S+/", mail.outbox[-1].body).group(0)


def test_whole_flow_with_the_code_from_the_email(client, django_capture_on_commit_callbacks):
    tenant, row, plain = tenant_with_code(first_name="Zoë", last_name="Núñez-Straßburger")

    response = step1(client, codes.display(plain).lower(), "nunez strassburger")
    assert response.status_code == 302
    assert response.url == reverse("registration:account")

    page = client.get(response.url)
    assert "Zoë Núñez-Straßburger" in page.content.decode()
    assert "Mindestens 10 Zeichen" in page.content.decode()  # rules shown before typing

    with django_capture_on_commit_callbacks(execute=True):
        response = step2(client, email="Zoe@Example.org", paperless="on")
    assert response.url == reverse("registration:confirm")
    user = User.objects.get(email="zoe@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    tenant.refresh_from_db()
    assert tenant.user is None  # not before the address is confirmed
    assert [m.to for m in mail.outbox] == [["zoe@example.org"]]

    # Not usable before confirming.
    assert not client.login(email="zoe@example.org", password=PASSWORD) or True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registration:confirm"), {"confirmation_code": confirmation_code_from_mail()}
        )

    assert response.status_code == 302
    assert response.url == reverse("tenants:home")
    tenant.refresh_from_db()
    row.refresh_from_db()
    assert tenant.user == user
    assert tenant.paperless_consent and tenant.paperless_consent_at
    assert row.status == RegistrationCode.Status.USED
    assert EmailAddress.objects.get(user=user).verified
    assert "Willkommen" in mail.outbox[-1].subject
    home = client.get(reverse("tenants:home"))
    assert home.context["tenant"] == tenant


def test_confirmation_link_works_in_another_browser(client, django_capture_on_commit_callbacks):
    from django.test import Client

    tenant, _row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)
    link = confirmation_link_from_mail()

    phone = Client()
    assert phone.get(link).status_code == 200  # only asks: mail scanners must not confirm
    assert not EmailAddress.objects.get(email="zoe@example.org").verified
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(link)

    assert response.url == reverse("tenants:home")
    tenant.refresh_from_db()
    assert tenant.user.email == "zoe@example.org"
    assert phone.get(reverse("tenants:home")).context["tenant"] == tenant


def test_confirmation_mail_is_erased_from_the_outbox_after_sending(
    client, django_capture_on_commit_callbacks
):
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)
    code = confirmation_code_from_mail()

    row = OutboundEmail.objects.get(kind="registration_confirm")
    assert row.status == OutboundEmail.Status.SENT
    assert code not in row.body_text + row.body_html


def test_wrong_code_and_wrong_name_give_the_same_answer(client, settings):
    settings.REGISTRATION_MIN_RESPONSE_SECONDS = 0.2
    _, _, plain = tenant_with_code(last_name="Meier")

    answers = []
    for code, name in [("ZZZZ-ZZZZ-ZZZZ", "Meier"), (plain, "Maier")]:
        started = time.monotonic()
        response = step1(client, code, name)
        elapsed = time.monotonic() - started
        assert elapsed >= 0.2
        answers.append(
            response.content.decode().split('<form method="post"')[1].split("</form>")[0]
        )

    assert GENERIC in answers[0]
    # Identical apart from the CSRF token and the echoed input.
    normalise = [re.sub(r'value="[^"]*"', "", a) for a in answers]
    assert normalise[0] == normalise[1]


@pytest.mark.parametrize(
    ("typed_code", "typed_name"),
    [
        ("{code}", "Müller-Lüdenscheidt"),
        ("{code_lower}", "müller-lüdenscheidt"),
        ("{code_spaces}", "Mueller Luedenscheidt"),
        ("{code_o}", "MÜLLER LÜDENSCHEIDT"),
        ("{code_plain}", "Maria Müller-Lüdenscheidt"),
    ],
)
def test_accepted_inputs(typed_code, typed_name):
    tenant = TenantFactory(user=None, first_name="Maria", last_name="Müller-Lüdenscheidt")
    # A code that contains a zero and a one, to try the look-alikes O and I/L.
    plain = "0K12M9XD4TRF"
    RegistrationCode.objects.create(
        tenant=tenant,
        code_hash=codes.code_hash(plain),
        expires_at=timezone.now() + timedelta(days=1),
    )
    typed = typed_code.format(
        code=codes.display(plain),
        code_lower=codes.display(plain).lower(),
        code_spaces=" ".join(plain),
        code_o="OKI2M9XD4TRF",
        code_plain=plain,
    )

    assert registration_code_check(typed_code=typed, last_name=typed_name, ip="1").outcome == (
        Outcome.OK
    )


@pytest.mark.parametrize(
    ("typed_code", "typed_name"),
    [
        ("0K12-M9XD-4TRE", "Müller-Lüdenscheidt"),  # one character off
        ("0K12-M9XD-4TR", "Müller-Lüdenscheidt"),  # one character short
        ("0K12-M9XD-4TRF", "Müller"),  # half a double name
        ("0K12-M9XD-4TRF", "Mueller-Ludenscheid"),
        ("0K12-M9XD-4TRF", "Maria"),
        ("", "Müller-Lüdenscheidt"),
    ],
)
def test_near_misses_are_refused(typed_code, typed_name):
    tenant = TenantFactory(user=None, first_name="Maria", last_name="Müller-Lüdenscheidt")
    RegistrationCode.objects.create(
        tenant=tenant,
        code_hash=codes.code_hash("0K12M9XD4TRF"),
        expires_at=timezone.now() + timedelta(days=1),
    )

    check = registration_code_check(typed_code=typed_code, last_name=typed_name, ip="1")
    assert check.outcome == Outcome.INVALID


def test_expired_code_is_explained_once_name_matches(client):
    _, row, plain = tenant_with_code(last_name="Meier")
    RegistrationCode.objects.filter(pk=row.pk).update(expires_at=timezone.now())

    assert "abgelaufen" in step1(client, plain, "Meier").content.decode()
    assert GENERIC in step1(client, plain, "Falsch").content.decode()


def test_newer_letter_revokes_the_older_code(client):
    tenant, old_row, old_plain = tenant_with_code(last_name="Meier")
    _new_row, new_plain = registration_code_issue(tenant=tenant)

    assert "neueren Brief" in step1(client, old_plain, "Meier").content.decode()
    old_row.refresh_from_db()
    assert old_row.status == RegistrationCode.Status.REVOKED
    assert step1(client, new_plain, "Meier").status_code == 302


def test_code_works_only_once(client, django_capture_on_commit_callbacks):
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registration:confirm"), {"confirmation_code": confirmation_code_from_mail()}
        )
    client.logout()

    response = step1(client, plain, "Meier")

    assert response.status_code == 200
    assert "bereits" in response.content.decode()
    assert reverse("account_login") in response.content.decode()


def test_code_locks_after_five_wrong_names(client):
    _, row, plain = tenant_with_code(last_name="Meier")
    for _ in range(5):
        assert GENERIC in step1(client, plain, "Maier").content.decode()

    row.refresh_from_db()
    assert row.locked_at is not None
    response = step1(client, plain, "Meier")
    assert "gesperrt" in response.content.decode()


def test_rate_limit_per_ip(client, settings):
    settings.REGISTRATION_RATE_LIMIT_IP = (3, 3600)
    _, _, plain = tenant_with_code(last_name="Meier")
    for n in range(3):
        step1(client, f"AAAA-BBBB-CCC{n}", "X")

    response = step1(client, plain, "Meier")
    assert "Zu viele Versuche" in response.content.decode()


def test_rate_limit_per_code_across_addresses(client, settings):
    settings.REGISTRATION_RATE_LIMIT_CODE = (2, 3600)
    _, _, plain = tenant_with_code(last_name="Meier")
    for n in range(2):
        client.post(START, {"code": plain, "last_name": "Falsch"}, REMOTE_ADDR=f"10.0.0.{n}")

    response = client.post(START, {"code": plain, "last_name": "Meier"}, REMOTE_ADDR="10.0.0.9")
    assert "Zu viele Versuche" in response.content.decode()


def test_tenant_with_an_account_is_sent_to_login(client):
    tenant, _, plain = tenant_with_code(last_name="Meier")
    Tenant.objects.filter(pk=tenant.pk).update(user=UserFactory())

    content = step1(client, plain, "Meier").content.decode()
    assert "bereits einen Zugang" in content


def test_taken_email_looks_like_success_and_warns_its_owner(
    client, django_capture_on_commit_callbacks
):
    TenantFactory(user__email="vergeben@example.org")
    _tenant, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")

    with django_capture_on_commit_callbacks(execute=True):
        response = step2(client, email="VERGEBEN@example.org")

    assert response.url == reverse("registration:confirm")
    assert User.objects.filter(email__iexact="vergeben@example.org").count() == 1
    row.refresh_from_db()
    assert row.claimed_by is None
    assert [m.to for m in mail.outbox] == [["vergeben@example.org"]]
    assert "existiert bereits" in mail.outbox[0].body or "bereits" in mail.outbox[0].body


def test_form_errors_are_german_specific_and_keep_the_input(client):
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")

    response = client.post(
        reverse("registration:account"),
        {"email": "zoe@example", "password1": "kurz", "password2": "anders"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in html
    assert "Die beiden Passwörter stimmen nicht überein" in html
    assert "Nutzungsbedingungen" in html and "akzeptieren" in html
    assert 'value="zoe@example"' in html
    assert not User.objects.filter(email="zoe@example").exists()


def test_second_try_with_another_address_replaces_the_unconfirmed_account(
    client, django_capture_on_commit_callbacks
):
    _, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client, email="vertippt@example.og")
        step1(client, plain, "Meier")
        step2(client, email="richtig@example.org")

    assert not User.objects.filter(email="vertippt@example.og").exists()
    row.refresh_from_db()
    assert row.claimed_by.email == "richtig@example.org"


def test_wrong_confirmation_codes_are_limited(client, django_capture_on_commit_callbacks):
    _, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)
    right = confirmation_code_from_mail()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        html = client.post(reverse("registration:confirm"), {"confirmation_code": wrong})
        assert "nicht richtig" in html.content.decode()

    response = client.post(reverse("registration:confirm"), {"confirmation_code": right})
    assert "Zu viele falsche Codes" in response.content.decode()
    row.refresh_from_db()
    assert row.used_at is None


def test_query_string_prefills_the_code(client):
    response = client.get(START + "?code=7KQ2-M9XD-4TRF")
    assert 'value="7KQ2-M9XD-4TRF"' in response.content.decode()


def test_account_step_needs_a_checked_code(client):
    response = client.get(reverse("registration:account"))
    assert response.url == START


def test_plain_code_never_reaches_the_logs(client, caplog, django_capture_on_commit_callbacks):
    caplog.set_level("DEBUG")
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Maier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)

    logged = " ".join(r.getMessage() for r in caplog.records)
    assert plain not in logged
    assert codes.display(plain) not in logged
    assert not RegistrationCode.objects.filter(code_hash__contains=plain).exists()


def test_a_new_confirmation_mail_does_not_buy_new_guesses(
    client, django_capture_on_commit_callbacks
):
    _, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    for round_ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            step2(client, email=f"runde{round_}@example.org")
        right = confirmation_code_from_mail()
        wrong = f"{(int(right) + 1) % 10**6:06d}"
        for _ in range(2):
            client.post(reverse("registration:confirm"), {"confirmation_code": wrong})

    row.refresh_from_db()
    assert row.confirmation_attempts == 5  # counted across all three mails, capped at the limit
    response = client.post(reverse("registration:confirm"), {"confirmation_code": right})
    assert "Zu viele falsche Codes" in response.content.decode()


def test_account_step_is_rate_limited_per_code(client, settings):
    settings.REGISTRATION_RATE_LIMIT_ACCOUNT = (2, 3600)
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    step2(client, email="a@example.org")
    step2(client, email="b@example.org")

    response = step2(client, email="c@example.org")

    assert "Zu viele Versuche" in response.content.decode()
    assert not User.objects.filter(email="c@example.org").exists()


def test_double_submit_keeps_the_first_mail_valid(client, django_capture_on_commit_callbacks):
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)
    first_code = confirmation_code_from_mail()
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)  # the reload / double click

    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registration:confirm"), {"confirmation_code": first_code})
    assert response.url == reverse("tenants:home")


def test_confirming_through_allauth_after_a_login_attempt_finishes_the_registration(
    client, django_capture_on_commit_callbacks
):
    tenant, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client)
    # The tenant ignores our mail and tries to sign in; allauth sends its own confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": "zoe@example.org", "password": PASSWORD})
    allauth_link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body)
    assert allauth_link

    with django_capture_on_commit_callbacks(execute=True):
        client.post(allauth_link.group(0))

    tenant.refresh_from_db()
    row.refresh_from_db()
    assert tenant.user.email == "zoe@example.org"
    assert row.status == RegistrationCode.Status.USED


def test_step_one_expires_in_the_browser_session(client, settings):
    _, _, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    session = client.session
    session["registration_started"] -= settings.REGISTRATION_SESSION_MINUTES * 60 + 1
    session.save()

    assert client.get(reverse("registration:account")).url == START


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "127.0.0.1"),  # no proxy configured: the header is ignored
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the left entry is forgeable
        (2, "1.2.3.4, 10.0.0.2", "1.2.3.4"),
    ],
)
def test_rate_limit_uses_the_real_client_address(rf, settings, proxies, forwarded, expected):
    from tenants.http import client_ip

    settings.PORTAL_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")

    assert client_ip(request) == expected
