"""Step 2 under pressure: addresses of other accounts, parallel submits, a changed password."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from registration.models import RegistrationCode
from registration.services import registration_account_create, registration_code_usable
from tenants.errors import PortalError
from tenants.models import User
from tests.tenants.factories import UserFactory

from .factories import tenant_with_code
from .test_flow import PASSWORD, confirmation_code_from_mail, step1, step2

pytestmark = pytest.mark.django_db


def test_unconfirmed_address_of_another_account_does_not_block_registration(
    client, django_capture_on_commit_callbacks
):
    other = UserFactory(email="alt@example.org")
    # Added in the other account's profile and never confirmed: it proves nothing.
    EmailAddress.objects.create(user=other, email="neu@example.org", verified=False)
    _, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")

    with django_capture_on_commit_callbacks(execute=True):
        step2(client, email="neu@example.org")

    row.refresh_from_db()
    assert row.claimed_by is not None
    assert row.claimed_by.email == "neu@example.org"
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]
    assert confirmation_code_from_mail()


def test_confirmed_address_of_another_account_still_counts_as_taken(
    client, django_capture_on_commit_callbacks
):
    other = UserFactory(email="alt@example.org")
    EmailAddress.objects.create(user=other, email="zweit@example.org", verified=True)
    _, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")

    with django_capture_on_commit_callbacks(execute=True):
        step2(client, email="zweit@example.org")

    row.refresh_from_db()
    assert row.claimed_by is None
    assert not User.objects.filter(email="zweit@example.org").exists()


def test_parallel_registration_with_one_code_is_refused_without_creating_a_user(
    django_capture_on_commit_callbacks,
):
    _, row, _plain = tenant_with_code(last_name="Meier")
    # Both requests read the code before either of them took the lock.
    first_read = registration_code_usable(code_id=row.pk)
    second_read = registration_code_usable(code_id=row.pk)
    arguments = {"password": PASSWORD, "paperless": False, "base_url": "http://testserver"}

    with django_capture_on_commit_callbacks(execute=True):
        first = registration_account_create(code=first_read, email="a@example.org", **arguments)
        with pytest.raises(PortalError):
            registration_account_create(code=second_read, email="b@example.org", **arguments)

    row.refresh_from_db()
    assert row.claimed_by == first
    assert User.objects.filter(pk=first.pk).exists()
    assert not User.objects.filter(email="b@example.org").exists()
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_parallel_registration_is_answered_on_the_form(client, monkeypatch):
    _, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    stale = registration_code_usable(code_id=row.pk)
    registration_account_create(
        code=registration_code_usable(code_id=row.pk),
        email="a@example.org",
        password=PASSWORD,
        paperless=False,
        base_url="http://testserver",
    )
    monkeypatch.setattr("registration.views._session_code", lambda request: stale)

    response = step2(client, email="b@example.org")

    assert response.status_code == 200
    assert "gleichzeitig" in response.content.decode()
    assert not User.objects.filter(email="b@example.org").exists()


def test_changed_password_within_ten_minutes_is_a_new_attempt(
    client, django_capture_on_commit_callbacks
):
    tenant, row, plain = tenant_with_code(last_name="Meier")
    step1(client, plain, "Meier")
    with django_capture_on_commit_callbacks(execute=True):
        step2(client, email="zoe@example.org", password=PASSWORD)
    first_code = confirmation_code_from_mail()
    new_password = "Leiter-Kanne-7319!"

    with django_capture_on_commit_callbacks(execute=True):
        response = step2(client, email="zoe@example.org", password=new_password)

    assert response.url == reverse("registration:confirm")
    assert len(mail.outbox) == 2  # a fresh confirmation code for the new attempt
    second_code = confirmation_code_from_mail()
    assert User.objects.filter(email="zoe@example.org").count() == 1
    row.refresh_from_db()
    assert row.claimed_by.check_password(new_password)
    if first_code != second_code:
        wrong = client.post(reverse("registration:confirm"), {"confirmation_code": first_code})
        assert wrong.status_code == 200  # the old attempt's code is void
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registration:confirm"), {"confirmation_code": second_code})
    assert response.url == reverse("tenants:home")
    client.logout()
    assert client.login(email="zoe@example.org", password=new_password)
    client.logout()
    assert not client.login(email="zoe@example.org", password=PASSWORD)
    row.refresh_from_db()
    assert row.status == RegistrationCode.Status.USED
    tenant.refresh_from_db()
    assert tenant.user.email == "zoe@example.org"
