"""Clerk workplace: who may be a tenant's portal account, and clerks' edits leave an audit trail."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from tenants.models import AuditEntry, OutboundEmail, Tenant
from tenants.services import TenantAccountError, tenant_account_link
from tests.conftest import totp_code

from .factories import ContractFactory, StaffFactory, TenantFactory, UserFactory, clerk_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_service(client):
    clerk = clerk_in("Kundenservice")
    client.force_login(clerk)
    return clerk


def tenant_form(tenant: Tenant, **changes) -> dict:
    form = {k: ("" if v is None else v) for k, v in model_to_dict(tenant).items()}
    form.update(changes)
    if form.get("paperless_consent") is False:
        del form["paperless_consent"]
    # The code-history inline that registration adds to the page.
    form.update({"registration_codes-TOTAL_FORMS": 0, "registration_codes-INITIAL_FORMS": 0})
    return form


def post_tenant(client, tenant, **changes):
    return client.post(
        reverse("admin:tenants_tenant_change", args=[tenant.pk]), tenant_form(tenant, **changes)
    )


def test_clerk_cannot_link_her_own_staff_account_to_a_tenant(client, customer_service):
    tenant = TenantFactory(user=None)

    response = post_tenant(client, tenant, user=customer_service.pk)

    assert response.status_code == 200
    assert (
        "Ein Mitarbeiterkonto kann nicht mit einer Mieterin oder einem Mieter verknüpft werden."
        in response.content.decode()
    )
    tenant.refresh_from_db()
    assert tenant.user is None
    assert not AuditEntry.objects.filter(action__startswith="tenant.account").exists()
    assert not OutboundEmail.objects.exists()


def test_account_lookup_for_a_tenant_offers_no_staff_or_linked_accounts(client, customer_service):
    free = UserFactory(email="frei@example.org")
    TenantFactory(user__email="vergeben@example.org")
    StaffFactory(email="kollegin@example.org")

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tenants", "model_name": "tenant", "field_name": "user", "term": "example"},
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(free.pk)]


@pytest.mark.parametrize(
    ("account", "code"),
    [
        ({"is_staff": True}, "staff_account"),
        ({"is_superuser": True}, "staff_account"),
        ({"is_active": False}, "inactive_account"),
    ],
)
def test_service_refuses_staff_and_inactive_accounts(account, code):
    tenant = TenantFactory(user=None)
    user = UserFactory(**account)

    with pytest.raises(TenantAccountError) as refused:
        tenant_account_link(tenant=tenant, user=user, by=None)

    assert refused.value.code == code
    tenant.refresh_from_db()
    assert tenant.user is None


def test_service_refuses_an_account_that_another_tenant_has():
    other = TenantFactory()
    tenant = TenantFactory(user=None)

    with pytest.raises(TenantAccountError) as refused:
        tenant_account_link(tenant=tenant, user=other.user, by=None)

    assert refused.value.code == "account_taken"


def test_service_refuses_an_account_made_staff_after_the_form_was_shown():
    tenant = TenantFactory(user=None)
    user = UserFactory()
    type(user).objects.filter(pk=user.pk).update(is_staff=True)

    with pytest.raises(TenantAccountError):
        tenant_account_link(tenant=tenant, user=user, by=None)


def test_clerk_links_a_tenant_account_with_audit_row_and_german_mail(
    client, customer_service, django_capture_on_commit_callbacks
):
    tenant = TenantFactory(user=None, tenant_number="900777")
    account = UserFactory(email="neu@example.org")
    # The clerk works in English; the tenant's mail is German all the same.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_tenant(client, tenant, user=account.pk)

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.user == account
    entry = AuditEntry.objects.get(action="tenant.account_linked")
    assert entry.actor == customer_service
    assert entry.tenant == tenant
    assert entry.changes == {"from": None, "to": {"id": account.pk, "email": "neu@example.org"}}
    [message] = mail.outbox
    assert message.to == ["neu@example.org"]
    assert message.subject == "Ihr Zugang zum Mieterportal wurde verknüpft"
    assert "Mieternummer 900777" in message.body


def test_changing_the_link_tells_the_new_and_the_old_account(django_capture_on_commit_callbacks):
    tenant = TenantFactory(user__email="alt@example.org")
    clerk = clerk_in("Kundenservice")
    new = UserFactory(email="neu@example.org")

    # The clerk's admin language does not decide the language of mail to tenants.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        tenant_account_link(tenant=tenant, user=new, by=clerk)

    entry = AuditEntry.objects.get(action="tenant.account_changed")
    assert entry.changes["from"]["email"] == "alt@example.org"
    assert entry.changes["to"]["email"] == "neu@example.org"
    sent = {m.to[0]: m.subject for m in mail.outbox}
    assert sent == {
        "neu@example.org": "Ihr Zugang zum Mieterportal wurde verknüpft",
        "alt@example.org": "Ihr Zugang zum Mieterportal wurde entfernt",
    }


def test_clerk_removes_the_link_and_the_old_account_is_told(
    client, customer_service, django_capture_on_commit_callbacks
):
    tenant = TenantFactory(user__email="alt@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_tenant(client, tenant, user="")

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.user is None
    entry = AuditEntry.objects.get(action="tenant.account_unlinked")
    assert entry.changes["to"] is None
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alt@example.org"], "Ihr Zugang zum Mieterportal wurde entfernt")
    ]


def test_an_unchanged_link_writes_no_row_and_no_mail(client, customer_service):
    tenant = TenantFactory()

    response = post_tenant(client, tenant, title="Dr.")

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.title == "Dr."
    assert not AuditEntry.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("contracts:index"),
        reverse("documents:index"),
        reverse("contracts:detail", args=["V-LINKED-1"]),
    ],
)
def test_staff_account_linked_in_the_database_still_gets_no_tenant_pages(client, url):
    clerk = clerk_in("Kundenservice")
    tenant = TenantFactory(user=clerk)  # as if written straight into the database
    ContractFactory(contract_number="V-LINKED-1", partners=[tenant])
    client.force_login(clerk)

    response = client.get(url)

    assert response.status_code == 403
    assert response.templates[0].name == "tenants/no_tenant.html"
    assert "612,40" not in response.content.decode()  # the contract's rent


def test_staff_account_linked_in_the_database_signs_in_to_the_admin(client):
    clerk = clerk_in("Kundenservice")
    TenantFactory(user=clerk)

    response = client.post(
        reverse("account_login"), {"login": clerk.email, "password": "Sicheres-Passwort-2026!"}
    )
    assert response.url == reverse("mfa_authenticate")
    response = client.post(response.url, {"code": totp_code()})

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_clerk_address_change_is_audited_with_before_and_after(client, customer_service):
    tenant = TenantFactory(
        street="Alte Straße 1", address_extra="", postal_code="20095", city="Hamburg"
    )

    response = post_tenant(
        client,
        tenant,
        street="Neue Straße 2",
        address_extra="c/o Meier",
        postal_code="1010",
        city="Wien",
        country="AT",
    )

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert (tenant.street, tenant.city, tenant.country) == ("Neue Straße 2", "Wien", "AT")
    entry = AuditEntry.objects.get(action="tenant.address_changed")
    assert entry.actor == customer_service
    assert entry.tenant == tenant
    assert entry.changes["from"] == {
        "street": "Alte Straße 1",
        "address_extra": "",
        "postal_code": "20095",
        "city": "Hamburg",
        "country": "DE",
    }
    assert entry.changes["to"] == {
        "street": "Neue Straße 2",
        "address_extra": "c/o Meier",
        "postal_code": "1010",
        "city": "Wien",
        "country": "AT",
    }


def test_clerk_consent_phone_and_email_changes_are_audited(client, customer_service):
    tenant = TenantFactory(phone="040 111111", email="kontakt@example.org")

    response = post_tenant(
        client,
        tenant,
        paperless_consent="on",
        phone="040 222222",
        email="neu-kontakt@example.org",
        first_name="Erika",
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    tenant.refresh_from_db()
    assert tenant.paperless_consent and tenant.paperless_consent_at is not None
    assert tenant.first_name == "Erika"
    entries = {e.action: e for e in AuditEntry.objects.filter(tenant=tenant)}
    assert set(entries) == {
        "tenant.paperless_consent",
        "tenant.phone_changed",
        "tenant.email_changed",
    }
    assert all(e.actor == customer_service for e in entries.values())
    assert entries["tenant.phone_changed"].changes == {"from": "040 111111", "to": "040 222222"}
    assert entries["tenant.email_changed"].changes == {
        "from": "kontakt@example.org",
        "to": "neu-kontakt@example.org",
    }

    post_tenant(client, tenant, paperless_consent=False)

    tenant.refresh_from_db()
    assert not tenant.paperless_consent and tenant.paperless_consent_at is None
    assert AuditEntry.objects.filter(action="tenant.paperless_withdrawn").exists()


def contract_form(contract, **changes) -> dict:
    form = {
        "contract_number": contract.contract_number,
        "unit": contract.unit_id,
        "partners": [p.pk for p in contract.partners.all()],
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat() if contract.end_date else "",
        "grundmiete": contract.grundmiete,
        "betriebskosten_vorauszahlung": contract.betriebskosten_vorauszahlung,
        "heizkosten_vorauszahlung": contract.heizkosten_vorauszahlung,
    }
    form.update(changes)
    return form


def test_accounting_change_of_partners_and_rent_is_audited_naming_the_partners(client):
    clerk = clerk_in("Mietenbuchhaltung")
    client.force_login(clerk)
    staying = TenantFactory(first_name="Anna", last_name="Bleibt", tenant_number="900001")
    leaving = TenantFactory(first_name="Bernd", last_name="Geht", tenant_number="900002")
    joining = TenantFactory(first_name="Clara", last_name="Kommt", tenant_number="900003")
    contract = ContractFactory(partners=[staying, leaving], grundmiete=Decimal("612.40"))

    response = client.post(
        reverse("admin:tenants_contract_change", args=[contract.pk]),
        contract_form(
            contract, partners=[staying.pk, joining.pk], grundmiete="650.00", end_date="2027-03-31"
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(contract.partners.all()) == {staying, joining}
    entry = AuditEntry.objects.get(action="contract.changed")
    assert entry.actor == clerk
    assert entry.object_id == str(contract.pk)
    assert entry.changes["partners_added"] == ["Clara Kommt (900003)"]
    assert entry.changes["partners_removed"] == ["Bernd Geht (900002)"]
    assert entry.changes["terms"] == {
        "grundmiete": {"from": "612.40", "to": "650.00"},
        "end_date": {"from": None, "to": "2027-03-31"},
    }


def test_saving_a_contract_unchanged_writes_no_audit_row(client):
    client.force_login(clerk_in("Mietenbuchhaltung"))
    contract = ContractFactory(partners=[TenantFactory()])

    response = client.post(
        reverse("admin:tenants_contract_change", args=[contract.pk]), contract_form(contract)
    )

    assert response.status_code == 302
    assert not AuditEntry.objects.exists()
