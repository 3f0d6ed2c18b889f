"""Mein Arbeitsplatz (the admin start page) as the three clerk groups see it, never a superuser.

Each count is checked against the change list its link opens: the list must show exactly
that many rows.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contracts.banking import iban_check
from contracts.models import BankChangeRequest
from contracts.services import bank_change_submit
from requests.models import Category, ContactRequest
from tenants import checks, registry
from tenants.models import Area, Job
from tenants.registry import WorkplaceItem, WorkplacePanel, register_workplace_panel
from tenants.workplace import workplace_panels_for
from tests.tenants.factories import ContractFactory, StaffFactory, TeamFactory, TenantFactory

pytestmark = pytest.mark.django_db

KS, MB, TE = "Kundenservice", "Mietenbuchhaltung", "Technik"
TEAM_OF = {KS: Area.CUSTOMER_SERVICE, MB: Area.ACCOUNTING, TE: Area.TECHNICAL}
TODAY = timezone.localdate()
PAST = TODAY - timedelta(days=3)
FUTURE = TODAY + timedelta(days=3)


@pytest.fixture
def clerk():
    """A new member of a clerk group and of that group's team."""
    call_command("sync_clerk_groups", verbosity=0)

    def make(group: str, **extra):
        user = StaffFactory(**extra)
        user.groups.add(Group.objects.get(name=group))
        team = TeamFactory(area=TEAM_OF[group], name=f"Team {group}")
        team.members.add(user)
        return user

    return make


def team(group: str):
    return TeamFactory(area=TEAM_OF[group], name=f"Team {group}")


_numbers = iter(range(1, 10_000))


def contact_request(*, tenant, assigned_to=None, team_of=None, due=FUTURE, done=False):
    return ContactRequest.objects.create(
        reference=f"A-2026-{next(_numbers):06d}",
        tenant=tenant,
        category=Category.objects.order_by("pk").first(),
        subject="Licht im Treppenhaus",
        status=ContactRequest.Status.DONE if done else ContactRequest.Status.IN_PROGRESS,
        due_date=due,
        assigned_to=assigned_to,
        assigned_team=team(team_of) if team_of else None,
        routed_at=timezone.now(),
    )


def bank_change(*, assigned_to=None, due=FUTURE, status=BankChangeRequest.Status.OPEN):
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant])
    change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check("DE02100100100006820101"),
        holder_name=tenant.full_name,
        holder_is_tenant=True,
    )
    BankChangeRequest.objects.filter(pk=change.pk).update(
        assigned_to=assigned_to, due_date=due, status=status
    )
    return change


def panels_of(user) -> dict[str, list[WorkplaceItem]]:
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    return {panel.key: panel.items for panel in workplace_panels_for(request=request)}


def shown_panels(html: str) -> list[str]:
    return re.findall(r'data-panel="([\w-]+)"', html)


def assert_links_filter_to_their_counts(client, items):
    for item in items:
        if item.count is None:
            assert client.get(item.url).status_code == 200, item.url
            continue
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert response.context["cl"].result_count == item.count, (item.label, item.url)


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (KS, ["requests", "activation", "jobs"]),
        (MB, ["requests", "bank_changes", "jobs"]),
        (TE, ["requests"]),
    ],
)
def test_each_clerk_group_sees_exactly_its_panels(client, clerk, group, expected):
    client.force_login(clerk(group))

    response = client.get(reverse("admin:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert shown_panels(html) == expected
    assert "Mein Arbeitsplatz" in html
    assert 'id="content-main"' in html and "app-requests" in html  # the section list stays


def test_a_panel_shows_only_with_its_permission(client, clerk):
    call_command("sync_clerk_groups", verbosity=0)
    reader = StaffFactory()  # staff, but in no group: no permission at all
    client.force_login(reader)

    html = client.get(reverse("admin:index")).content.decode()

    assert shown_panels(html) == []


def test_technik_counts_its_requests_and_each_link_shows_exactly_those(client, clerk):
    technician = clerk(TE)
    colleague = clerk(TE)
    tenant = TenantFactory()
    contact_request(tenant=tenant, assigned_to=technician, team_of=TE)  # mine
    contact_request(tenant=tenant, assigned_to=technician, team_of=TE, due=PAST)  # mine, late
    contact_request(tenant=tenant, assigned_to=colleague, team_of=TE, due=PAST)  # team, late
    contact_request(tenant=tenant, team_of=TE)  # the team's, nobody yet
    contact_request(tenant=tenant, team_of=TE, done=True)  # done: not counted
    contact_request(tenant=tenant, assigned_to=technician, due=PAST, done=True)
    contact_request(tenant=tenant, team_of=KS, due=PAST)  # another team's
    client.force_login(technician)

    items = panels_of(technician)["requests"]
    html = client.get(reverse("admin:index")).content.decode()

    assert [(str(item.label), item.count, item.tone) for item in items] == [
        ("Meine offenen Anliegen", 2, "normal"),
        ("Überfällig (meine und die meiner Teams)", 2, "warning"),
        ("Ohne Zuständige/n in meinen Teams", 1, "normal"),
    ]
    for item in items:
        assert escape(item.url) in html
    assert_links_filter_to_their_counts(client, items)


def test_mietenbuchhaltung_counts_bank_changes_waiting_for_approval(client, clerk):
    accountant = clerk(MB)
    colleague = clerk(MB)
    bank_change(assigned_to=accountant, due=PAST)
    bank_change(assigned_to=colleague)
    bank_change(assigned_to=accountant, status=BankChangeRequest.Status.APPROVED, due=PAST)
    client.force_login(accountant)

    items = panels_of(accountant)["bank_changes"]

    assert [(str(item.label), item.count) for item in items] == [
        ("Warten auf mich", 1),
        ("Alle wartenden", 2),
        ("Überfällig", 1),
    ]
    assert_links_filter_to_their_counts(client, items)


def test_kundenservice_does_not_see_bank_changes_it_cannot_approve(client, clerk):
    service = clerk(KS)
    bank_change(assigned_to=service)
    client.force_login(service)

    html = client.get(reverse("admin:index")).content.decode()

    assert "bank_changes" not in shown_panels(html)


def test_kundenservice_finds_the_activation_overview(client, clerk):
    service = clerk(KS)
    registered = TenantFactory()
    waiting = TenantFactory(user=None)
    ContractFactory(partners=[registered, waiting])
    client.force_login(service)

    items = panels_of(service)["activation"]

    assert [(str(item.label), item.count) for item in items] == [
        ("Aktivierungsübersicht: 50\u00a0% registriert", None),
        ("Mieter/innen ohne Zugang und ohne gültigen Code", 1),
        ("Codes verschickt, noch nicht eingelöst", 0),
    ]
    assert items[0].url.startswith(reverse("admin:registration_activation"))
    assert_links_filter_to_their_counts(client, items[2:])
    assert client.get(items[1].url).status_code == 200


def _job(user, kind, state=Job.State.RUNNING, scope="property:1"):
    return Job.objects.create(kind=kind, scope=scope, params={}, created_by=user, state=state)


def test_jobs_panel_shows_whose_jobs_each_group_may_see(client, clerk):
    """Kundenservice may start letters and publishing, Mietenbuchhaltung only publishing."""
    service = clerk(KS)
    accountant = clerk(MB)
    letters = _job(service, "registration_letters")
    publishing = _job(accountant, "publish_documents", scope="upload:1")
    failed = _job(accountant, "publish_documents", state=Job.State.FAILED, scope="upload:2")

    def page(job):
        return reverse("admin:tenants_job_change", args=[job.pk])

    for user, running, listed in [
        (service, 2, {page(letters), page(publishing), page(failed)}),
        (accountant, 1, {page(publishing), page(failed)}),  # not the colleague's letters
    ]:
        client.force_login(user)
        items = panels_of(user)["jobs"]
        assert items[0].count == running
        assert {item.url for item in items[1:]} == listed
        assert_links_filter_to_their_counts(client, items)
    failed_item = next(i for i in panels_of(accountant)["jobs"] if i.url == page(failed))
    assert failed_item.tone == "warning"


def test_nothing_open_says_so(client, clerk):
    client.force_login(clerk(TE))

    html = client.get(reverse("admin:index")).content.decode()

    assert "Nichts offen – gut gemacht." in html


def test_a_section_page_stays_djangos_own(client, clerk):
    client.force_login(clerk(KS))

    html = client.get(reverse("admin:app_list", args=["requests"])).content.decode()

    assert shown_panels(html) == []
    assert "Mein Arbeitsplatz" not in html


@pytest.mark.parametrize("group", [KS, MB, TE])
def test_the_page_costs_the_same_number_of_queries_with_more_data(
    client, clerk, count_queries, group
):
    user = clerk(group)
    client.force_login(user)
    url = reverse("admin:index")

    def add_data():
        tenant = TenantFactory()
        ContractFactory(partners=[tenant, TenantFactory(user=None)])
        contact_request(tenant=tenant, assigned_to=user, due=PAST)
        contact_request(tenant=tenant, team_of=group)
        bank_change(assigned_to=user)
        _job(user, "publish_documents", scope=f"upload:{tenant.pk}")

    add_data()
    client.get(url)  # caches warmed (content types, permissions of the session's user)
    few = count_queries(lambda: client.get(url))
    for _ in range(6):
        add_data()
    many = count_queries(lambda: client.get(url))

    assert few == many


# The extension point and its system check


@pytest.fixture
def clean_panels(monkeypatch):
    monkeypatch.setattr(registry, "_workplace_panels", list(registry._workplace_panels))


def test_the_shipped_panels_pass_their_check():
    assert checks.check_workplace_panels() == []


def test_a_panel_without_items_or_with_a_bad_permission_stops_start_up(clean_panels):
    register_workplace_panel(WorkplacePanel("ghost", 99, "nowhere.view_ghost", len, "Ghost"))
    register_workplace_panel(WorkplacePanel("mute", 98, "", None, "Mute"))

    assert sorted(error.id for error in checks.check_workplace_panels()) == [
        "tenants.E010",
        "tenants.E011",
    ]


def test_a_panel_key_registered_twice_stops_start_up(clean_panels):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        register_workplace_panel(WorkplacePanel("requests", 1, "", list, "Again"))
