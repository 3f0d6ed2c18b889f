"""Routing, taking over and reassigning bank changes and Kontakt requests (tenants.assignment)."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import translation

from contracts.banking import iban_check
from contracts.models import BankChangeRequest
from contracts.services import bank_change_approve, bank_change_assignment, bank_change_submit
from contracts.tasks import bank_changes_route_pending_task
from requests.models import Category, ContactRequest
from requests.services import contact_request_assignment, request_create, request_status_set
from tenants.assignment import (
    AssignmentError,
    assignment_reassign,
    assignment_route,
    assignment_take_over,
)
from tenants.models import Area, AuditEntry, ClerkResponsibility
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import ContractFactory, StaffFactory, TeamFactory, TenantFactory

pytestmark = pytest.mark.django_db

NEW_IBAN = "DE02100100100006820101"
FINISHED_DE = "bereits abgeschlossen und kann niemandem mehr zugewiesen werden"


@pytest.fixture
def clerk():
    """A clerk in one of the real clerk groups (never a superuser)."""
    clerk_groups_sync()

    def make(group: str, **kwargs):
        user = StaffFactory(**kwargs)
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def world():
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant])
    prop = contract.unit.property
    accountant = StaffFactory(email="buchhaltung@thor.example")
    ClerkResponsibility.objects.create(
        property=prop,
        area=Area.ACCOUNTING,
        clerk=accountant,
        team=TeamFactory(area=Area.ACCOUNTING, name="Team Buchhaltung", email="bh@thor.example"),
    )
    technician = StaffFactory(email="technik@thor.example")
    ClerkResponsibility.objects.create(
        property=prop,
        area=Area.TECHNICAL,
        clerk=technician,
        team=TeamFactory(
            area=Area.TECHNICAL, name="Team Technik", email="technik-team@thor.example"
        ),
    )
    return tenant, contract, accountant, technician


def submit_bank_change(tenant, contract) -> BankChangeRequest:
    # Outside django_capture_on_commit_callbacks: stored, but not routed yet.
    return bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )


def report_damage(tenant, contract) -> ContactRequest:
    return request_create(
        tenant=tenant,
        category=Category.objects.get(name="Wasser/Sanitär"),
        message="Wasser unter der Spüle",
        unit=contract.unit,
    )


def audit_actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_routing_assigns_the_responsible_clerk_writes_the_audit_row_and_tells_them(
    world, django_capture_on_commit_callbacks
):
    tenant, contract, accountant, _ = world
    change = submit_bank_change(tenant, contract)

    with django_capture_on_commit_callbacks(execute=True):
        assignment_route(rules=bank_change_assignment, item_id=change.pk)

    change.refresh_from_db()
    assert change.assigned_to == accountant and change.assigned_team.name == "Team Buchhaltung"
    entry = AuditEntry.objects.get(action="bank_change.routed")
    assert entry.changes == {"assigned_to": accountant.email, "assigned_team": "Team Buchhaltung"}
    assert entry.tenant == tenant
    assert [m.to for m in mail.outbox] == [[accountant.email]]


def test_a_bank_change_withdrawn_before_routing_is_only_marked_routed(
    world, django_capture_on_commit_callbacks
):
    from contracts.services import bank_change_withdraw

    tenant, contract, _, _ = world
    change = bank_change_withdraw(tenant=tenant, bank_change=submit_bank_change(tenant, contract))

    with django_capture_on_commit_callbacks(execute=True):
        assignment_route(rules=bank_change_assignment, item_id=change.pk)

    change.refresh_from_db()
    assert change.routed_at is not None and change.assigned_to is None
    assert mail.outbox == [] and "bank_change.routed" not in audit_actions(change)


def test_routing_after_a_take_over_in_the_admin_keeps_the_clerk_names_and_tells_them(
    client, world, clerk, django_capture_on_commit_callbacks
):
    tenant, contract, accountant, _ = world
    change = submit_bank_change(tenant, contract)
    colleague = clerk("Mietenbuchhaltung", email="kollegin@thor.example")
    client.force_login(colleague)
    change_url = reverse("admin:contracts_bankchangerequest_change", args=[change.pk])
    assert 'name="_take_over"' in client.get(change_url).content.decode()

    response = client.post(change_url, {"assigned_to": "", "_take_over": "Übernehmen"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assignment_route(rules=bank_change_assignment, item_id=change.pk)

    change.refresh_from_db()
    assert change.assigned_to == colleague and change.assigned_team.name == "Team Buchhaltung"
    assert audit_actions(change)[-2:] == ["bank_change.taken_over", "bank_change.routed"]
    routed = AuditEntry.objects.get(action="bank_change.routed")
    assert routed.changes["assigned_to"] == colleague.email
    clerk_mail = [m.to for m in mail.outbox if m.to != [tenant.user.email]]
    assert clerk_mail == [[colleague.email]]
    assert [accountant.email] not in [m.to for m in mail.outbox]  # whom routing would pick


def test_routing_a_contact_request_after_a_take_over_keeps_the_clerk(
    world, clerk, django_capture_on_commit_callbacks
):
    tenant, contract, _, technician = world
    contact_request = report_damage(tenant, contract)
    colleague = clerk("Technik", email="technik-west@thor.example")
    assignment_take_over(rules=contact_request_assignment, item=contact_request, clerk=colleague)

    with django_capture_on_commit_callbacks(execute=True):
        assignment_route(rules=contact_request_assignment, item_id=contact_request.pk)

    contact_request.refresh_from_db()
    assert contact_request.assigned_to == colleague and contact_request.due_date is not None
    assert AuditEntry.objects.get(action="request.routed").changes["assigned_to"] == colleague.email
    recipients = [m.to[0] for m in mail.outbox]
    assert colleague.email in recipients and technician.email not in recipients
    assert tenant.user.email in recipients  # the tenant's confirmation still goes out


def test_reassigning_is_audited_in_its_transaction_and_mails_the_new_clerk_after_commit(
    world, clerk, django_capture_on_commit_callbacks
):
    tenant, contract, accountant, _ = world
    change = submit_bank_change(tenant, contract)
    colleague = StaffFactory(email="kollegin@thor.example")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment_reassign(
            rules=bank_change_assignment, item=change, clerk=colleague, by=accountant
        )
        entry = AuditEntry.objects.get(action="bank_change.reassigned")
        assert mail.outbox == []  # not before the commit
    for callback in callbacks:
        callback()

    assert entry.actor == accountant and entry.changes == {"from": None, "to": colleague.email}
    change.refresh_from_db()
    assert change.assigned_to == colleague
    assert [m.to for m in mail.outbox if m.to != [tenant.user.email]] == [[colleague.email]]


def test_a_failing_notice_undoes_the_reassignment_and_its_audit_row(world, monkeypatch):
    tenant, contract, accountant, _ = world
    contact_request = report_damage(tenant, contract)

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(contact_request_assignment, "notify_clerk", broken)
    with pytest.raises(RuntimeError):
        assignment_reassign(
            rules=contact_request_assignment, item=contact_request, clerk=accountant, by=accountant
        )

    contact_request.refresh_from_db()
    assert contact_request.assigned_to is None
    assert not AuditEntry.objects.filter(action="request.reassigned").exists()


def test_reassigning_an_approved_bank_change_is_refused_without_audit_or_mail(
    world, django_capture_on_commit_callbacks
):
    tenant, contract, accountant, _ = world
    change = submit_bank_change(tenant, contract)
    bank_change_approve(bank_change=change, clerk=accountant)
    colleague = StaffFactory(email="kollegin@thor.example")
    before = audit_actions(change)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AssignmentError) as raised:
        assignment_reassign(
            rules=bank_change_assignment, item=change, clerk=colleague, by=accountant
        )

    assert raised.value.code == "finished"
    with translation.override("de"):
        assert FINISHED_DE in raised.value.message
    change.refresh_from_db()
    assert change.assigned_to is None
    assert audit_actions(change) == before
    assert mail.outbox == []


def test_a_clerk_reassigning_an_approved_bank_change_in_the_admin_is_told_why_not(
    client, world, clerk, django_capture_on_commit_callbacks
):
    tenant, contract, accountant, _ = world
    change = submit_bank_change(tenant, contract)
    bank_change_approve(bank_change=change, clerk=accountant)
    colleague = StaffFactory(email="kollegin@thor.example")
    client.force_login(clerk("Mietenbuchhaltung"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:contracts_bankchangerequest_change", args=[change.pk]),
            {"assigned_to": colleague.pk, "_save": "Sichern"},
            follow=True,
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert FINISHED_DE in html and "erfolgreich geändert" not in html
    change.refresh_from_db()
    assert change.assigned_to is None
    assert not AuditEntry.objects.filter(action="bank_change.reassigned").exists()
    assert mail.outbox == []


def test_reassigning_or_taking_over_a_done_contact_request_is_refused(world, clerk):
    tenant, contract, _, technician = world
    contact_request = report_damage(tenant, contract)
    request_status_set(
        contact_request=contact_request, status=ContactRequest.Status.DONE, clerk=technician
    )
    colleague = clerk("Technik")

    with pytest.raises(AssignmentError):
        assignment_reassign(
            rules=contact_request_assignment, item=contact_request, clerk=colleague, by=technician
        )
    with pytest.raises(AssignmentError):
        assignment_take_over(
            rules=contact_request_assignment, item=contact_request, clerk=colleague
        )

    contact_request.refresh_from_db()
    assert contact_request.assigned_to is None
    assert not AuditEntry.objects.filter(
        action__in=["request.reassigned", "request.taken_over"]
    ).exists()


def test_take_over_needs_the_change_permission(client, world, clerk):
    tenant, contract, _, _ = world
    change = submit_bank_change(tenant, contract)
    client.force_login(clerk("Kundenservice"))  # may look at bank changes, not work on them
    change_url = reverse("admin:contracts_bankchangerequest_change", args=[change.pk])

    assert 'name="_take_over"' not in client.get(change_url).content.decode()
    assert client.post(change_url, {"_take_over": "Übernehmen"}).status_code == 403
    change.refresh_from_db()
    assert change.assigned_to is None


def test_take_over_from_the_list_skips_what_is_done(client, world, clerk):
    tenant, contract, _, technician = world
    open_one = report_damage(tenant, contract)
    done = report_damage(tenant, contract)
    request_status_set(contact_request=done, status=ContactRequest.Status.DONE, clerk=technician)
    me = clerk("Technik")
    client.force_login(me)

    response = client.post(
        reverse("admin:requests_contactrequest_changelist"),
        {"action": "take_over", "_selected_action": [open_one.pk, done.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "1 Vorgang übernommen." in html and FINISHED_DE in html
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert open_one.assigned_to == me and done.assigned_to is None
    assert AuditEntry.objects.get(action="request.taken_over").actor == me


def test_the_sweeper_routes_what_the_broker_missed_but_not_replaced_bank_changes(
    world, django_capture_on_commit_callbacks
):
    tenant, contract, accountant, _ = world
    replaced = submit_bank_change(tenant, contract)
    current = submit_bank_change(tenant, contract)

    with django_capture_on_commit_callbacks(execute=True):
        assert bank_changes_route_pending_task(older_than_seconds=0) == 1

    replaced.refresh_from_db()
    current.refresh_from_db()
    assert replaced.status == BankChangeRequest.Status.REPLACED and replaced.routed_at is None
    assert current.assigned_to == accountant and current.routed_at is not None
