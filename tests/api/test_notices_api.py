"""GET /notices, GET /notices/{id}, GET/PUT /notices/preference: the page "Aushänge"."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notices.models import NoticePreference, NoticeRead
from tenants.models import AuditEntry
from tests.notices.factories import NoticeFactory
from tests.tenants.factories import ContractFactory, PropertyFactory, TenantFactory, UnitFactory

from .kit import AppClient, problem, token_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def home():
    return PropertyFactory(number="1001", street="Lindenallee 3")


def tenant_in(property_, *, street="", start=None, end=None, language="de"):
    tenant = TenantFactory()
    tenant.user.language = language
    tenant.user.save(update_fields=["language"])
    ContractFactory(
        partners=[tenant],
        unit=UnitFactory(property=property_, street=street),
        start_date=start or TODAY - timedelta(days=400),
        end_date=end,
    )
    return tenant


def app(tenant):
    return AppClient(token_for(tenant.user))


def local(url):
    """The path and query of a cursor link (it names the server too)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def titles(response):
    return [item["title"] for item in response.json()["results"]]


def test_the_pages_notices_newest_first(home):
    tenant = tenant_in(home, street="Lindenallee 3a")
    older = NoticeFactory(
        property=home, title="Heizung", published_at=timezone.now() - timedelta(days=2)
    )
    NoticeFactory(property=None, title="Alle", published_at=timezone.now() - timedelta(days=1))
    NoticeFactory(property=home, street="Lindenallee 3a", title="Hof", urgent=True)
    NoticeFactory(property=home, street="Lindenallee 3", title="Nebenhaus")
    NoticeFactory(property=PropertyFactory(), title="Fremd")
    NoticeFactory(
        property=home,
        title="Abgelaufen",
        valid_from=TODAY - timedelta(days=5),
        valid_until=TODAY - timedelta(days=1),
    )
    NoticeFactory(property=home, title="Entwurf", published_at=None)
    NoticeRead.objects.create(notice=older, user=tenant.user)
    web = Client()
    web.force_login(tenant.user)
    page = web.get(reverse("notices:index")).context["notices"]

    response = app(tenant).get("notices")

    assert response.status_code == 200
    assert titles(response) == ["Hof", "Alle", "Heizung"]
    assert sorted(titles(response)) == sorted(n.title for n in page)
    first, _all, heating = response.json()["results"]
    assert first["urgent"] and first["urgent_label"] == "Eilt"
    assert first["kind"] == "general" and first["kind_label"] == "Allgemeines"
    assert first["valid_from"] == TODAY.isoformat() and "bis" in first["period"]
    assert not first["read"] and heating["read"]


def test_pages_follow_the_cursor(home):
    tenant = tenant_in(home)
    for days in range(5):
        NoticeFactory(
            property=home, title=f"N{days}", published_at=timezone.now() - timedelta(days=days)
        )
    client = app(tenant)

    first = client.get("notices?page_size=2").json()
    second = client.get(local(first["next"])).json()
    third = client.get(local(second["next"])).json()

    assert [n["title"] for n in first["results"] + second["results"] + third["results"]] == [
        "N0",
        "N1",
        "N2",
        "N3",
        "N4",
    ]
    assert third["next"] is None


def test_opening_marks_read_once(home):
    tenant = tenant_in(home)
    notice = NoticeFactory(property=home, title="Aufzug", text="Der Aufzug steht.")
    client = app(tenant)

    response = client.get(f"notices/{notice.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Aufzug" and body["text"] == "Der Aufzug steht."
    assert body["read"] and body["scope"] == "property"
    assert body["where"] == "Ihre ganze Wohnanlage"
    assert NoticeRead.objects.filter(notice=notice, user=tenant.user).count() == 1
    assert client.get("notices").json()["results"][0]["read"] is True
    client.get(f"notices/{notice.pk}")
    assert NoticeRead.objects.filter(notice=notice, user=tenant.user).count() == 1


def test_english_texts_and_the_german_fallback(home):
    tenant = tenant_in(home, street="Lindenallee 3a", language="en")
    notice = NoticeFactory(
        property=home,
        street="Lindenallee 3a",
        kind="outage",
        title="Wasser abgestellt",
        title_en="Water off",
        text_en="No water from 8 to 12.",
        valid_until=TODAY,
        urgent=True,
    )
    german_only = NoticeFactory(property=None, title="Nur Deutsch", title_en="", text_en="")
    client = app(tenant)

    body = client.get(f"notices/{notice.pk}").json()
    assert body["title"] == "Water off" and body["text"] == "No water from 8 to 12."
    assert body["kind_label"] == "Outage" and body["urgent_label"] == "Urgent"
    assert body["period"].startswith("on ") and body["where"] == "Lindenallee 3a"
    assert body["scope"] == "building"
    other = client.get(f"notices/{german_only.pk}").json()
    assert other["title"] == "Nur Deutsch" and other["where"] == "All our properties"
    missing = client.get("notices/999999")
    assert missing.status_code == 404
    assert problem(missing)["detail"] == "This page does not exist or is not yours."


def test_another_property_expired_and_former_tenants_get_nothing(home):
    mine = NoticeFactory(property=home, title="Aufzug")
    neighbour = tenant_in(PropertyFactory())
    former = tenant_in(home, start=TODAY - timedelta(days=900), end=TODAY - timedelta(days=1))
    expired = NoticeFactory(
        property=home, valid_from=TODAY - timedelta(days=3), valid_until=TODAY - timedelta(days=1)
    )
    everywhere = NoticeFactory(property=None)

    for tenant in (neighbour, former):
        response = app(tenant).get(f"notices/{mine.pk}")
        assert response.status_code == 404 and problem(response)["code"] == "not_found"
    assert app(tenant_in(home)).get(f"notices/{expired.pk}").status_code == 404
    assert app(former).get(f"notices/{everywhere.pk}").status_code == 404
    assert titles(app(former).get("notices")) == []
    assert not NoticeRead.objects.exists()


def test_preference_through_the_profiles_form_and_service(home):
    tenant = tenant_in(home, language="en")
    client = app(tenant)

    body = client.get("notices/preference").json()
    assert body["notices_by_email"] is False
    assert body["label"].startswith("Send me every notice")
    assert body["explanation"].startswith("Urgent notices for your building")

    response = client.request("put", "notices/preference", json_body={"notices_by_email": True})

    assert response.status_code == 200 and response.json()["notices_by_email"] is True
    assert NoticePreference.objects.get(user=tenant.user).notices_by_email is True
    assert AuditEntry.objects.filter(action="notice.preference_changed", actor=tenant.user).exists()
    assert client.get("notices/preference").json()["notices_by_email"] is True
    client.request("put", "notices/preference", json_body={"notices_by_email": False})
    assert NoticePreference.objects.get(user=tenant.user).notices_by_email is False


def test_preference_needs_a_yes_or_no(home):
    tenant = tenant_in(home)
    response = app(tenant).request("put", "notices/preference", json_body={"notices_by_email": []})
    assert response.status_code == 422
    body = problem(response)
    assert body["errors"][0]["field"] == "notices_by_email"
    assert body["errors"][0]["message"] == "Dieser Wert fehlt oder hat nicht die richtige Form."
    assert not NoticePreference.objects.exists()
