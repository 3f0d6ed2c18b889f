import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.tenants.factories import PASSWORD, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant(client):
    tenant = TenantFactory(user__email="alt@example.org", phone="040 111111")
    client.force_login(tenant.user)
    return tenant


def test_phone_number_is_changed_directly(client, tenant):
    response = client.post(
        reverse("tenants:profile"), {"contact-phone": " 0151  2345 6789 ", "save_contact": ""}
    )

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.phone == "0151 2345 6789"


@pytest.mark.parametrize(
    ("phone", "message"),
    [("040 12", "zu kurz"), ("0151-abc-123456", "nur Ziffern")],
)
def test_wrong_phone_number_gets_a_german_error_and_keeps_the_input(client, tenant, phone, message):
    response = client.post(reverse("tenants:profile"), {"contact-phone": phone, "save_contact": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{phone}"' in html
    tenant.refresh_from_db()
    assert tenant.phone == "040 111111"


def test_paperless_consent_can_be_given_and_withdrawn(client, tenant):
    client.post(
        reverse("tenants:profile"), {"paperless-paperless_consent": "on", "save_paperless": ""}
    )
    tenant.refresh_from_db()
    assert tenant.paperless_consent and tenant.paperless_consent_at

    client.post(reverse("tenants:profile"), {"save_paperless": ""})
    tenant.refresh_from_db()
    assert not tenant.paperless_consent and tenant.paperless_consent_at is None


def test_email_change_needs_confirmation_and_tells_the_old_address(
    client, tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"email": "neu@example.org", "action_add": ""}
        )
    assert response.status_code == 302
    tenant.user.refresh_from_db()
    assert tenant.user.email == "alt@example.org"  # not before confirmation
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[0].body).group(0)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)

    tenant.user.refresh_from_db()
    assert tenant.user.email == "neu@example.org"
    assert list(EmailAddress.objects.filter(user=tenant.user).values_list("email", flat=True)) == [
        "neu@example.org"
    ]
    notice = mail.outbox[-1]
    assert notice.to == ["alt@example.org"]
    assert "neu@example.org" in notice.body
    client.logout()
    assert client.login(email="neu@example.org", password=PASSWORD)


def test_password_change_lists_the_rules_and_refuses_the_last_name(client, tenant):
    page = client.get(reverse("account_change_password")).content.decode()
    assert "Nachname" in page and "Mindestens 10 Zeichen" in page

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": f"{tenant.last_name}-Haus-2026!",
            "password2": f"{tenant.last_name}-Haus-2026!",
        },
    )

    assert response.status_code == 200
    assert "Nachnamen" in response.content.decode()


def test_profile_links_to_contact_for_postal_address_changes(client, tenant):
    html = client.get(reverse("tenants:profile")).content.decode()

    assert reverse("requests:index") in html


def test_profile_changes_are_audited_with_the_tenant_as_actor(client, tenant):
    from tenants.models import AuditEntry

    client.post(reverse("tenants:profile"), {"contact-phone": "0151 2345 6789", "save_contact": ""})
    client.post(
        reverse("tenants:profile"), {"paperless-paperless_consent": "on", "save_paperless": ""}
    )

    entries = {e.action: e for e in AuditEntry.objects.filter(tenant=tenant)}
    assert entries["tenant.phone_changed"].changes["to"] == "0151 2345 6789"
    assert entries["tenant.phone_changed"].actor == tenant.user
    assert entries["tenant.paperless_consent"].actor == tenant.user
