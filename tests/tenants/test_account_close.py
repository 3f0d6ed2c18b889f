"""Closing the portal account (not the tenancy): after the password, for good, audited."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from documents.services import document_publish
from registration.services import registration_code_issue, tenants_needing_letters
from tenants.models import AuditEntry, OutboundEmail, Tenant, User
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import PASSWORD, ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def tenant():
    tenant = TenantFactory(
        first_name="Mia", last_name="Mustermann", paperless=True, user__email="mia@example.org"
    )
    ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    document_publish(
        tenants=[tenant],
        kind="betriebskostenabrechnung",
        title="Betriebskostenabrechnung 2024",
        year=2024,
        content=PDF,
        filename="bk-2024.pdf",
    )
    return tenant


def _close(client, tenant, password=PASSWORD, confirm="on", django_capture=None):
    client.force_login(tenant.user)
    data = {"close-password": password}
    if confirm:
        data["close-confirm"] = confirm
    return client.post(reverse("tenants:account_close"), data)


def test_closing_needs_the_password_and_the_confirmation(client, tenant):
    response = _close(client, tenant, password="falsch")
    assert response.status_code == 200
    assert "Das Passwort ist nicht richtig." in response.content.decode()
    response = _close(client, tenant, confirm=None)
    assert response.status_code == 200
    user = User.objects.get(pk=tenant.user_id)
    assert user.is_active
    assert Tenant.objects.get(pk=tenant.pk).user_id == user.pk


def test_closed_account_cannot_sign_in_and_is_told_so(client, tenant):
    user = tenant.user
    response = _close(client, tenant)
    assert response.status_code == 302
    assert response["Location"] == reverse("tenants:account_closed")
    # Signed out at once, in this browser and every other one.
    assert client.get(reverse("tenants:profile")).status_code == 302

    login = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert not login.context["user"].is_authenticated
    assert login.redirect_chain[-1][0] == reverse("account_inactive")
    assert "Dieser Portalzugang ist geschlossen" in login.content.decode()
    assert "neuen Registrierungsbrief" in login.content.decode()


def test_closing_ends_paperless_delivery_and_keeps_the_documents_for_the_clerks(client, tenant):
    _close(client, tenant)
    tenant.refresh_from_db()
    assert tenant.paperless_consent is False and tenant.paperless_consent_at is None
    assert tenant.user_id is None

    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)
    listing = client.get(reverse("admin:documents_delivery_changelist"), {"q": "Mustermann"})
    assert listing.status_code == 200
    assert "Betriebskostenabrechnung 2024" in listing.content.decode()
    # Future documents go by post.
    document = document_publish(
        tenants=[tenant],
        kind="schreiben",
        title="Brief nach der Schließung",
        year=2025,
        content=PDF,
        filename="brief.pdf",
    )
    assert document.deliveries.get().electronic is False


def test_closing_is_audited_and_confirmed_by_mail(
    client, tenant, django_capture_on_commit_callbacks
):
    user = tenant.user
    with django_capture_on_commit_callbacks(execute=True):
        _close(client, tenant)
    entry = AuditEntry.objects.get(action="privacy.account_closed")
    assert entry.actor_id == user.pk and entry.tenant_id == tenant.pk
    assert entry.object_id == str(user.pk)
    assert AuditEntry.objects.filter(action="tenant.paperless_withdrawn", tenant=tenant).exists()
    [confirmation] = [m for m in mail.outbox if m.to == ["mia@example.org"]]
    assert "geschlossen" in confirmation.subject
    assert "per Post" in confirmation.body


def test_a_new_registration_needs_a_new_letter(client, tenant):
    _close(client, tenant)
    assert tenant in tenants_needing_letters()
    row, plain = registration_code_issue(tenant=tenant)
    assert row.status == row.Status.VALID and plain


def test_registering_again_with_the_new_letter_may_use_the_same_address(client, tenant):
    from registration.services import registration_account_create

    old_user = tenant.user
    _close(client, tenant)
    row, _plain = registration_code_issue(tenant=tenant)

    user = registration_account_create(
        code=row,
        email="mia@example.org",
        password="Neues-Passwort-77!",
        paperless=False,
        base_url="http://testserver",
    )

    assert user is not None and user.pk != old_user.pk and user.email == "mia@example.org"
    old_user.refresh_from_db()
    assert old_user.email.endswith("@konto.invalid") and not old_user.is_active
    assert AuditEntry.objects.filter(action="user.address_released", object_id=str(old_user.pk))
    # The new account's confirmation code goes out, not the "account exists" notice.
    sent = OutboundEmail.objects.filter(to="mia@example.org").values_list("kind", flat=True)
    assert "registration_confirm" in sent
    assert "account/email/account_already_exists" not in sent
