"""The activation overview: per property, who uses the portal, and the letters for the rest.

Clerks are members of the real groups (`sync_clerk_groups`), never superusers.
"""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from registration.activation import activation_total, property_activation_list
from registration.models import RegistrationCode
from registration.services import registration_code_issue
from tenants.jobs import job_run_all
from tenants.models import Job
from tests.tenants.factories import (
    ContractFactory,
    PropertyFactory,
    StaffFactory,
    TenantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

KS, MB, TE = "Kundenservice", "Mietenbuchhaltung", "Technik"
OVERVIEW = "admin:registration_activation"


@pytest.fixture
def clerk(client):
    call_command("sync_clerk_groups", verbosity=0)

    def login(group: str):
        user = StaffFactory()
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return user

    return login


@pytest.fixture
def estate():
    """Property A: 5 current tenants in every state of activation; property B: 1; C: none."""
    a, b, c = (PropertyFactory(number=n, name=f"Haus {n}") for n in ("1001", "1002", "1003"))
    flat1, flat2, flat3, parking = (UnitFactory(property=a) for _ in range(4))
    registered_paperless = TenantFactory(paperless=True)
    registered = TenantFactory()
    waiting_with_code = TenantFactory(user=None)
    code_expired = TenantFactory(user=None)
    no_code = TenantFactory(user=None)
    moved_out = TenantFactory(user=None)
    ContractFactory(unit=flat1, partners=[registered_paperless, registered])
    # A second current contract (a parking space): the tenant still counts once.
    ContractFactory(unit=parking, partners=[registered_paperless])
    ContractFactory(unit=flat2, partners=[waiting_with_code, code_expired])
    ContractFactory(unit=flat3, partners=[no_code])
    ContractFactory(
        unit=flat3, partners=[moved_out], start_date=date(2015, 1, 1), end_date=date(2019, 12, 31)
    )
    ContractFactory(unit=UnitFactory(property=b), partners=[TenantFactory()])

    used, _plain = registration_code_issue(tenant=registered_paperless)
    RegistrationCode.objects.filter(pk=used.pk).update(used_at=timezone.now())
    registration_code_issue(tenant=waiting_with_code)  # revoked by the next one
    registration_code_issue(tenant=waiting_with_code)
    expired, _plain = registration_code_issue(tenant=code_expired)
    RegistrationCode.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    registration_code_issue(tenant=moved_out)  # no current contract: not counted
    return {"a": a, "b": b, "c": c, "code_expired": code_expired, "no_code": no_code}


def numbers(row):
    return {
        "tenants": row.tenants,
        "registered": row.registered,
        "share": row.share_percent,
        "paperless": row.paperless,
        "paperless_share": row.paperless_percent,
        "letters_sent": row.letters_sent,
        "codes_unused": row.codes_unused,
        "without_code": row.without_code,
    }


def test_activation_counts_per_property(estate):
    rows = {row.property.number: row for row in property_activation_list()}

    assert numbers(rows["1001"]) == {
        "tenants": 5,
        "registered": 2,
        "share": 40,
        "paperless": 1,
        "paperless_share": 20,
        "letters_sent": 4,  # used, revoked, valid, expired
        "codes_unused": 1,
        "without_code": 2,  # the expired code and the one who never got a letter
    }
    assert numbers(rows["1002"]) == {
        "tenants": 1,
        "registered": 1,
        "share": 100,
        "paperless": 0,
        "paperless_share": 0,
        "letters_sent": 0,
        "codes_unused": 0,
        "without_code": 0,
    }
    assert rows["1003"].tenants == 0 and rows["1003"].share is None
    assert numbers(activation_total())["tenants"] == 6
    assert numbers(activation_total())["share"] == 50


def test_the_overview_sorts_by_share(client, clerk, estate):
    clerk(KS)

    def order(query):
        html = client.get(reverse(OVERVIEW), {"o": query}).content.decode()
        return [estate_pk_number[int(pk)] for pk in re.findall(r'data-property="(\d+)"', html)]

    estate_pk_number = {estate[k].pk: estate[k].number for k in ("a", "b", "c")}
    assert order("share") == ["1001", "1002", "1003"]  # lowest share first, none last
    assert order("-share") == ["1002", "1001", "1003"]


def test_the_overview_costs_the_same_number_of_queries_with_more_properties(
    client, clerk, count_queries
):
    clerk(KS)
    url = reverse(OVERVIEW)

    def add_property():
        unit = UnitFactory()
        ContractFactory(unit=unit, partners=[TenantFactory(), TenantFactory(user=None)])
        registration_code_issue(tenant=TenantFactory(user=None))

    add_property()
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for _ in range(5):
        add_property()
    many = count_queries(lambda: client.get(url))

    assert few == many


@pytest.mark.parametrize(("group", "status"), [(KS, 200), (MB, 403), (TE, 403)])
def test_only_kundenservice_opens_the_overview(client, clerk, estate, group, status):
    clerk(group)

    assert client.get(reverse(OVERVIEW)).status_code == status


def letters_url(prop):
    return reverse("admin:registration_activation_letters", args=[prop.pk])


@pytest.mark.parametrize(("group", "may"), [(KS, True), (MB, False), (TE, False)])
def test_only_kundenservice_may_start_the_letters_of_a_property(client, clerk, estate, group, may):
    user = clerk(group)

    response = client.post(letters_url(estate["a"]))

    if not may:
        assert response.status_code == 403
        assert not Job.objects.exists()
        return
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:tenants_job_change", args=[job.pk])
    assert job.kind == "registration_letters" and job.created_by == user
    assert job.scope == f"property:{estate['a'].pk}"
    assert job.params == {"unregistered": True, "property_id": estate["a"].pk}


def test_the_letters_go_to_the_property_tenants_who_need_one(client, clerk, estate):
    clerk(KS)
    client.post(letters_url(estate["a"]))

    job = job_run_all(job_id=Job.objects.get().pk)

    assert job.state == Job.State.DONE and job.counts["letters"] == 2
    fresh = RegistrationCode.objects.filter(batch__isnull=False).values_list("tenant", flat=True)
    assert set(fresh) == {estate["code_expired"].pk, estate["no_code"].pk}
    row = next(r for r in property_activation_list() if r.property == estate["a"])
    assert row.without_code == 0 and row.codes_unused == 3


def test_a_second_start_while_one_runs_shows_why_not(client, clerk, estate):
    clerk(KS)
    client.post(letters_url(estate["a"]), follow=True)  # its page shows "Job started"

    response = client.post(letters_url(estate["a"]), follow=True)

    assert Job.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse(OVERVIEW)
    shown = [str(message) for message in response.context["messages"]]
    with translation.override("de"):
        expected = str(
            translation.gettext(
                "A job of this kind (%(kind)s) is already running for %(scope)s. Please "
                "wait until it has finished."
            )
        ) % {
            "kind": translation.gettext("Registration letters"),
            "scope": f"property:{estate['a'].pk}",
        }
    assert shown == [expected]
    assert "already running" not in expected  # German, not the English original


def test_a_get_starts_nothing(client, clerk, estate):
    clerk(KS)

    assert client.get(letters_url(estate["a"])).status_code == 405
    assert not Job.objects.exists()


def test_the_button_is_shown_only_to_who_may_issue_letters(client, clerk, estate):
    clerk(KS)
    html = client.get(reverse(OVERVIEW)).content.decode()
    assert letters_url(estate["a"]) in html
    assert letters_url(estate["b"]) not in html  # nobody there needs a letter
    assert "Briefe an alle nicht registrierten Mieter/innen" in html

    reader = StaffFactory()
    reader.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="registration", codename="view_registrationcode"
        )
    )
    client.force_login(reader)
    html = client.get(reverse(OVERVIEW)).content.decode()
    assert "Aktivierungsübersicht" in html and letters_url(estate["a"]) not in html
    assert client.post(letters_url(estate["a"])).status_code == 403


def test_the_registration_section_links_the_overview(client, clerk):
    clerk(KS)

    section = client.get(reverse("admin:app_list", args=["registration"])).content.decode()
    codes = client.get(reverse("admin:registration_registrationcode_changelist"))

    assert reverse(OVERVIEW) in section
    assert reverse(OVERVIEW) in codes.content.decode()
