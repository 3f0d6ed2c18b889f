"""Registration by letter code in the app: the web's three steps as JSON, ending signed in."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from registration import codes
from registration.api import TOKEN_SALT
from registration.models import RegistrationCode
from tenants.models import AuditEntry, User
from tests.registration.factories import tenant_with_code
from tests.tenants.factories import UserFactory

from .kit import AppClient, problem

pytestmark = pytest.mark.django_db

PASSWORD = "Balkon-Blume-2026!"
APP_AGENT = "meinTHOR-App/1.4.0 (iOS 18.1)"
GENERIC_DE = "Registrierungscode und Nachname passen nicht zusammen"


def app(language=None) -> AppClient:
    client = AppClient(language=language)
    client.client.defaults["HTTP_USER_AGENT"] = APP_AGENT
    return client


def check(client, code, last_name):
    return client.post("registration/check", json_body={"code": code, "last_name": last_name})


def create(client, token, email="zoe@example.org", password=PASSWORD, **extra):
    body = {
        "registration_token": token,
        "email": email,
        "password": password,
        "password_repeat": password,
        "accept_terms": True,
        **extra,
    }
    return client.post("registration/account", json_body=body)


def confirm(client, token, confirmation_code):
    return client.post(
        "registration/confirm",
        json_body={"registration_token": token, "confirmation_code": confirmation_code},
    )


def code_from_mail() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def link_key_from_mail() -> str:
    return re.search(r"/registrieren/bestaetigen/(\S+)/", mail.outbox[-1].body).group(1)


def test_registration_in_the_app_ends_signed_in(django_capture_on_commit_callbacks):
    tenant, row, plain = tenant_with_code(first_name="Zoë", last_name="Núñez-Straßburger")
    client = app()

    # The same forgiving input as on the page: lower case, hyphens, no accents.
    response = check(client, codes.display(plain).lower(), "nunez strassburger")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Zoë Núñez-Straßburger"
    assert body["expires_in"] == 30 * 60
    assert any("10 Zeichen" in rule for rule in body["password_rules"])
    token = body["registration_token"]

    with django_capture_on_commit_callbacks(execute=True):
        response = create(client, token, email="Zoe@Example.org", paperless=True, language="en")
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "zoe@example.org"
    assert "sechsstelligen Code" in response.json()["detail"]
    user = User.objects.get(email="zoe@example.org")
    assert user.language == "en"
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mail.outbox] == [["zoe@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, token, " ".join(code_from_mail()[:3]) + code_from_mail()[3:])
    assert response.status_code == 200, response.content
    welcome = response.json()
    assert welcome["email"] == "zoe@example.org" and welcome["language"] == "en"
    assert welcome["detail"].startswith("Welcome! Your access is ready.")
    assert not response.cookies  # the app has no cookie jar: nothing set

    tenant.refresh_from_db()
    row.refresh_from_db()
    assert tenant.user == user and tenant.paperless_consent
    assert row.used_at is not None
    assert EmailAddress.objects.get(user=user).verified

    signed_in = AppClient(welcome["session_token"])
    me = signed_in.get("me")
    assert me.status_code == 200
    assert me.json()["tenant_number"] == tenant.tenant_number

    # A signed-in device like any other, recorded as the app's sign-in.
    session = UserSession.objects.get(user=user)
    assert session.session_key == welcome["session_token"]
    assert session.user_agent == APP_AGENT
    entry = AuditEntry.objects.get(action="user.signed_in", object_id=str(user.pk))
    assert entry.changes["client"] == "app" and entry.tenant == tenant
    assert "registration_welcome" in [m.kind for m in user_mails(user)]


def user_mails(user):
    from tenants.models import OutboundEmail

    return OutboundEmail.objects.filter(to=user.email)


def test_a_registration_begun_in_the_app_can_be_confirmed_by_the_link_on_the_web(
    django_capture_on_commit_callbacks,
):
    tenant, _, plain = tenant_with_code(last_name="Lindqvist")
    client = app()
    token = check(client, plain, "Lindqvist").json()["registration_token"]
    with django_capture_on_commit_callbacks(execute=True):
        create(client, token)
    link = re.search(r"https?://\S+/registrieren/bestaetigen/\S+/", mail.outbox[-1].body)

    browser = Client()
    response = browser.post(link.group(0))

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.user.email == "zoe@example.org"
    # The app's token is spent with the code: it starts again and signs in.
    assert problem(confirm(client, token, code_from_mail()))["code"] == "registration_expired"


def test_the_link_opened_in_the_app_signs_the_app_in(django_capture_on_commit_callbacks):
    _, _, plain = tenant_with_code(last_name="Lindqvist")
    client = app()
    token = check(client, plain, "Lindqvist").json()["registration_token"]
    with django_capture_on_commit_callbacks(execute=True):
        create(client, token)

    response = client.post("registration/confirm-link", json_body={"key": link_key_from_mail()})

    assert response.status_code == 200, response.content
    assert AppClient(response.json()["session_token"]).get("me").status_code == 200
    again = client.post("registration/confirm-link", json_body={"key": link_key_from_mail()})
    assert problem(again)["code"] == "invalid_link" and again.status_code == 409


def test_wrong_name_and_wrong_code_give_the_same_answer():
    _, row, plain = tenant_with_code(last_name="Lindqvist")
    client = app()
    wrong_code = "7KQ2-M9XD-4TRF" if plain != "7KQ2M9XD4TRF" else "7KQ2-M9XD-4TRA"

    wrong_name = check(client, plain, "Andersson")
    unknown = check(client, wrong_code, "Lindqvist")
    garbage = check(client, "nonsense", "Lindqvist")

    bodies = [problem(r) for r in (wrong_name, unknown, garbage)]
    assert {r.status_code for r in (wrong_name, unknown, garbage)} == {422}
    assert {b["code"] for b in bodies} == {"code_invalid"}
    assert len({b["detail"] for b in bodies}) == 1
    assert GENERIC_DE in bodies[0]["detail"]
    row.refresh_from_db()
    assert row.failed_name_attempts == 1  # a wrong name counts towards locking the code


def test_errors_come_in_the_language_the_app_asks_for():
    tenant_with_code(last_name="Lindqvist")

    english = problem(check(app("en-GB,en;q=0.9"), "nonsense", "Lindqvist"))
    missing = problem(check(app("en"), "", ""))
    german = problem(check(app("de-DE"), "", ""))

    assert english["detail"].startswith("Registration code and last name do not match")
    assert {e["field"] for e in missing["errors"]} == {"code", "last_name"}
    assert "Please enter your last name." in [e["message"] for e in missing["errors"]]
    assert "Bitte geben Sie Ihren Nachnamen ein." in [e["message"] for e in german["errors"]]


def test_every_answer_of_the_check_takes_the_minimum_time(settings):
    settings.REGISTRATION_MIN_RESPONSE_SECONDS = 0.2
    client = app()
    started = time.monotonic()
    check(client, "nonsense", "Lindqvist")
    assert time.monotonic() - started >= 0.2


def test_too_many_checks_from_one_address_are_refused(settings):
    settings.REGISTRATION_RATE_LIMIT_IP = (3, 3600)
    settings.REGISTRATION_MIN_RESPONSE_SECONDS = 0
    _, _, plain = tenant_with_code(last_name="Lindqvist")
    client = app()
    for _ in range(3):
        assert check(client, "7KQ2-M9XD-4TRF", "Lindqvist").status_code == 422

    response = check(client, plain, "Lindqvist")  # even the right code now

    body = problem(response)
    assert response.status_code == 429 and body["code"] == "rate_limited"
    assert response["Retry-After"] == "3600"
    assert "Zu viele Versuche" in body["detail"]


def test_a_matching_code_that_cannot_be_used_says_why():
    _, row, plain = tenant_with_code(last_name="Lindqvist")
    RegistrationCode.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    linked, _, linked_plain = tenant_with_code(last_name="Berg")
    linked.user = UserFactory()
    linked.save()

    revoked = check(app(), plain, "Lindqvist")
    has_account = check(app(), linked_plain, "Berg")

    assert revoked.status_code == has_account.status_code == 409
    assert problem(revoked)["code"] == "code_revoked"
    assert "neueren Brief" in problem(revoked)["detail"]
    assert problem(has_account)["code"] == "has_account"


def test_account_step_validates_with_the_pages_form_and_names_the_fields():
    _, _, plain = tenant_with_code(last_name="Lindqvist")
    client = app("en")
    token = check(client, plain, "Lindqvist").json()["registration_token"]

    response = client.post(
        "registration/account",
        json_body={
            "registration_token": token,
            "email": "not-an-address",
            "password": "kurz",
            "password_repeat": "anders",
            "accept_terms": False,
        },
    )

    body = problem(response)
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["email"] == "Please enter a valid e-mail address, e.g. name@example.org."
    assert fields["password_repeat"] == "The two passwords differ. Please type them again."
    assert fields["accept_terms"] == "Please accept the terms of use to continue."
    assert not User.objects.filter(email="not-an-address").exists()


def test_steps_without_a_valid_registration_token_are_refused(settings):
    _, row, _ = tenant_with_code(last_name="Lindqvist")
    client = app()
    forged = signing.dumps({"code": row.pk}, salt="something else")
    stale = signing.dumps({"code": row.pk}, salt=TOKEN_SALT)
    settings.REGISTRATION_SESSION_MINUTES = -1  # every token is older than this

    for token in (forged, stale, "nonsense"):
        response = create(client, token)
        assert response.status_code == 409
        assert problem(response)["code"] == "registration_expired"
    assert not User.objects.filter(email="zoe@example.org").exists()


def test_a_wrong_confirmation_code_names_the_field_and_counts(django_capture_on_commit_callbacks):
    _, row, plain = tenant_with_code(last_name="Lindqvist")
    client = app()
    token = check(client, plain, "Lindqvist").json()["registration_token"]
    with django_capture_on_commit_callbacks(execute=True):
        create(client, token)
    wrong = "000000" if code_from_mail() != "000000" else "111111"

    response = confirm(client, token, wrong)

    body = problem(response)
    assert response.status_code == 422
    assert body["errors"] == [
        {
            "field": "confirmation_code",
            "message": "Dieser Code ist nicht richtig. Bitte prüfen Sie die sechs Ziffern in "
            "der E-Mail.",
        }
    ]
    row.refresh_from_db()
    assert row.confirmation_attempts == 1 and row.used_at is None


def test_the_happy_path_runs_in_a_fixed_number_of_queries(
    django_capture_on_commit_callbacks, count_queries
):
    _, _, plain = tenant_with_code(last_name="Lindqvist")
    client = app()
    results = {}

    def step(name, call):
        def run():
            results[name] = call()

        return count_queries(run)

    counts = {"check": step("check", lambda: check(client, plain, "Lindqvist"))}
    token = results["check"].json()["registration_token"]
    with django_capture_on_commit_callbacks(execute=True):
        counts["account"] = step("account", lambda: create(client, token))
    counts["confirm"] = step("confirm", lambda: confirm(client, token, code_from_mail()))
    assert results["confirm"].status_code == 200
    # Confirming: allauth's confirmation, the link to the tenancy, the welcome mail, the new
    # session (its device row and the sign-in record).
    assert counts == {"check": 1, "account": 12, "confirm": 47}
