import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from tenants.models import OutboundEmail
from tenants.roles import GROUP_NAMES, clerk_groups_sync
from tests.tenants.factories import ContractFactory

from .factories import ContactPersonFactory, StaffFactory, TeamFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    contract = ContractFactory(partners=[TenantFactory()])
    ContactPersonFactory(property=contract.unit.property)
    TeamFactory()
    OutboundEmail.objects.create(to="a@example.org", subject="Hallo", body_text="x")
    return contract


def model_urls():
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield pytest.param(model, f"admin:{info[0]}_{info[1]}_changelist", id=info[1])


@pytest.mark.parametrize(("model", "url_name"), list(model_urls()))
def test_every_admin_list_and_detail_renders_for_a_superuser(client, data, model, url_name):
    client.force_login(StaffFactory(is_superuser=True))

    response = client.get(reverse(url_name), {"q": "a"})
    assert response.status_code == 200
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        info = model._meta.app_label, model._meta.model_name
        change = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
        assert client.get(change).status_code == 200


@pytest.mark.parametrize("area", list(GROUP_NAMES))
def test_clerk_groups_can_work_with_tenants_and_contracts(client, data, area):
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name=GROUP_NAMES[area]))
    client.force_login(clerk)

    assert client.get(reverse("admin:tenants_tenant_changelist")).status_code == 200
    assert client.get(reverse("admin:tenants_contract_changelist")).status_code == 200
    # Nobody but administrators creates logins or changes permissions.
    assert client.get(reverse("admin:tenants_user_add")).status_code == 403


def test_sync_clerk_groups_is_idempotent():
    first = clerk_groups_sync()
    second = clerk_groups_sync()

    assert first == second
    assert Group.objects.filter(name__in=GROUP_NAMES.values()).count() == 3
    accounting = Group.objects.get(name="Mietenbuchhaltung")
    assert accounting.permissions.filter(codename="change_contract").exists()
    assert (
        not Group.objects.get(name="Technik")
        .permissions.filter(codename="change_contract")
        .exists()
    )


def test_clerk_sees_outgoing_mail_and_can_send_a_failed_one_again(
    client, django_capture_on_commit_callbacks
):
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    failed = OutboundEmail.objects.create(
        to="mieterin@example.org",
        subject="Ihre Abrechnung",
        body_text="Text",
        status=OutboundEmail.Status.FAILED,
        attempts=8,
        last_error="SMTP 550",
    )
    client.force_login(clerk)

    listing = client.get(reverse("admin:tenants_outboundemail_changelist"))
    assert "Ihre Abrechnung" in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:tenants_outboundemail_changelist"),
            {"action": "requeue", "_selected_action": [failed.pk]},
        )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboundEmail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Ihre Abrechnung"]


def test_clerk_records_paperless_consent_with_its_time(client, data):
    from django.forms.models import model_to_dict

    from tenants.models import Tenant

    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)
    tenant = Tenant.objects.first()
    form = {k: ("" if v is None else v) for k, v in model_to_dict(tenant).items()}
    form.update(paperless_consent="on", user=tenant.user_id or "")
    form.update(
        {
            "registration_codes-TOTAL_FORMS": 0,
            "registration_codes-INITIAL_FORMS": 0,
        }
    )

    response = client.post(reverse("admin:tenants_tenant_change", args=[tenant.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    tenant.refresh_from_db()
    assert tenant.paperless_consent
    assert tenant.paperless_consent_at is not None


def test_customer_service_can_look_up_accounts_to_link_a_tenant(client, data):
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tenants", "model_name": "tenant", "field_name": "user", "term": "a"},
    )

    assert response.status_code == 200
