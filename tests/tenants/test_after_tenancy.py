"""After the last contract has ended: read-only for 15 months except Kontakt, then closed."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import BankChangeRequest
from requests.models import Category, ContactRequest
from tenants.models import AuditEntry, OutboundEmail, Tenant
from tenants.retention import retention_apply
from tenants.tenancy_state import account_read_only, add_months, tenancy_state
from tests.tenants.factories import PASSWORD, ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db

ENDED_ON = date(2025, 3, 31)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 4, 0))


def former_tenant(*, ended_on=ENDED_ON, **kwargs) -> Tenant:
    tenant = TenantFactory(**kwargs)
    ContractFactory(partners=[tenant], start_date=date(2019, 1, 1), end_date=ended_on)
    return tenant


def mails(tenant, kind):
    return OutboundEmail.objects.filter(to=tenant.user.email, kind=kind)


def run(day: date, capture):
    with capture(execute=True):
        return retention_apply(now=at(day)).accounts


@pytest.fixture
def recently_ended(client):
    """A tenant whose only contract ended a month ago, signed in."""
    tenant = former_tenant(ended_on=timezone.localdate() - timedelta(days=30), paperless=False)
    client.force_login(tenant.user)
    return tenant


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2025, 3, 31), 15) == date(2026, 6, 30)
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_read_only_only_when_every_contract_has_ended(django_assert_num_queries):
    ended = former_tenant()
    moved_within = former_tenant()
    ContractFactory(partners=[moved_within], start_date=date(2025, 4, 1))  # current
    upcoming = former_tenant()
    ContractFactory(partners=[upcoming], start_date=date(2099, 1, 1))
    no_contract = TenantFactory()

    with django_assert_num_queries(1):
        assert account_read_only(ended)
    assert not account_read_only(moved_within)
    assert not account_read_only(upcoming)
    assert not account_read_only(no_contract)
    assert not account_read_only(None)
    assert tenancy_state(ended).closes_on == date(2026, 6, 30)


def test_bank_change_is_refused_with_a_notice(client, recently_ended):
    contract = recently_ended.contracts.get()
    url = reverse("contracts:bank_change", args=[contract.contract_number])

    response = client.post(
        url,
        {"iban": "DE02100100100006820101", "holder_name": "X", "consent": "on", "submit": ""},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "contracts:detail", args=[contract.contract_number]
    )
    assert "Ihr Mietverhältnis ist beendet" in page
    assert "Bankverbindung ändern</a>" not in page  # the button is gone
    assert not BankChangeRequest.objects.exists()


def test_profile_changes_are_refused_but_withdrawing_consent_stays_possible(client, recently_ended):
    url = reverse("tenants:profile")

    page = client.get(url).content.decode()
    assert "Ihr Mietverhältnis ist beendet" in page
    assert 'name="save_contact"' not in page and 'name="save_paperless"' not in page
    assert 'name="save_language"' in page  # the pages' language is no tenancy data

    response = client.post(url, {"contact-phone": "040 123456", "save_contact": ""})
    assert response.status_code == 403
    assert "Ihr Mietverhältnis ist beendet" in response.content.decode()
    response = client.post(url, {"paperless-paperless_consent": "on", "save_paperless": ""})
    assert response.status_code == 403
    recently_ended.refresh_from_db()
    assert recently_ended.phone == "" and not recently_ended.paperless_consent

    Tenant.objects.filter(pk=recently_ended.pk).update(
        paperless_consent=True, paperless_consent_at=timezone.now()
    )
    assert 'name="save_paperless"' in client.get(url).content.decode()
    response = client.post(url, {"save_paperless": ""})
    assert response.status_code == 302
    recently_ended.refresh_from_db()
    assert not recently_ended.paperless_consent  # Art. 7(3) GDPR: withdrawing is always possible


def test_kontakt_stays_open(client, recently_ended, django_capture_on_commit_callbacks):
    general = Category.objects.get(name="Allgemeine Anfrage")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("requests:create", args=[general.pk]),
            {"message": "Wann kommt die Nebenkostenabrechnung?"},
        )

    request = ContactRequest.objects.get(tenant=recently_ended)
    assert response.status_code == 302
    assert response.url == reverse("requests:detail", args=[request.reference])


def test_notice_once_at_14_months_then_closed_at_15(client, django_capture_on_commit_callbacks):
    tenant = former_tenant(paperless=True)
    capture = django_capture_on_commit_callbacks

    assert run(date(2026, 5, 30), capture).notices == 0  # 14 months less a day
    assert run(date(2026, 5, 31), capture).notices == 1
    run(date(2026, 5, 31), capture)
    run(date(2026, 6, 10), capture)
    notice = mails(tenant, "account_closing_notice").get()
    assert "30.06.2026" in notice.body_text
    assert (
        AuditEntry.objects.filter(action="account.closing_notice_sent", tenant=tenant).count() == 1
    )

    assert run(date(2026, 6, 29), capture).closed == 0
    tenant.user.refresh_from_db()
    assert tenant.user.is_active

    assert run(date(2026, 6, 30), capture).closed == 1
    tenant.refresh_from_db()
    tenant.user.refresh_from_db()
    assert not tenant.user.is_active
    assert not tenant.paperless_consent  # anything still sent goes by post
    assert AuditEntry.objects.filter(action="account.closed_after_tenancy", tenant=tenant).exists()
    assert mails(tenant, "account_closing_closed").count() == 1
    assert not client.login(email=tenant.user.email, password=PASSWORD)
    response = client.post(
        reverse("account_login"), {"login": tenant.user.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session

    assert run(date(2026, 7, 30), capture).closed == 0
    assert mails(tenant, "account_closing_closed").count() == 1
    assert response.status_code in (200, 302)


def test_a_late_notice_still_gives_a_month(django_capture_on_commit_callbacks):
    tenant = former_tenant(ended_on=date(2023, 1, 31))  # the run was never there at 14 months
    capture = django_capture_on_commit_callbacks

    assert run(date(2026, 6, 1), capture).notices == 1
    assert run(date(2026, 6, 30), capture).closed == 0
    assert run(date(2026, 7, 1), capture).closed == 1
    assert mails(tenant, "account_closing_notice").count() == 1


def test_a_tenant_with_a_new_contract_is_never_touched(django_capture_on_commit_callbacks):
    tenant = former_tenant(ended_on=date(2020, 12, 31))
    ContractFactory(partners=[tenant], start_date=date(2021, 1, 1))  # moved within, open-ended

    for day in (date(2022, 3, 31), date(2022, 4, 30), date(2030, 1, 1)):
        result = run(day, django_capture_on_commit_callbacks)
        assert (result.notices, result.closed) == (0, 0)
    tenant.user.refresh_from_db()
    assert tenant.user.is_active
    assert not OutboundEmail.objects.filter(to=tenant.user.email).exists()
    assert not account_read_only(tenant)


def test_dry_run_sends_and_closes_nothing(django_capture_on_commit_callbacks):
    tenant = former_tenant()
    AuditEntry.objects.create(
        action="account.closing_notice_sent", object_type="tenants.User",
        object_id=str(tenant.user_id), created_at=at(date(2026, 5, 31)),
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(now=at(date(2026, 7, 1)), dry_run=True)

    assert report.accounts.closed == 1
    tenant.user.refresh_from_db()
    assert tenant.user.is_active
    assert not OutboundEmail.objects.exists()
