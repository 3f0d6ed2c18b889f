import pytest
from django.urls import reverse

from tenants.models import FaqEntry, Unit
from tests.tenants.factories import ContractFactory

from .factories import ContactPersonFactory, StaffFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_start_page_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("tenants:home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/"


def test_start_page_shows_the_tenants_contracts_and_contact_persons(client):
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    flat = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    parking = ContractFactory(
        partners=[tenant],
        contract_number="1001-S01-01",
        unit=UnitFactory(property=flat.unit.property, kind=Unit.Kind.PARKING),
    )
    ContactPersonFactory(property=flat.unit.property, name="Sabine Sachmann")
    ContactPersonFactory(name="Zuständig Woanders")  # another property
    ContractFactory(contract_number="FREMD-01")  # another tenant's contract
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    assert "Maria Müller" in html
    assert flat.contract_number in html
    assert parking.contract_number in html
    assert "Sabine Sachmann" in html
    assert "Zuständig Woanders" not in html
    assert "FREMD-01" not in html


def test_start_page_query_count_does_not_grow_with_contracts(client, count_queries):
    def tenant_with(n):
        tenant = TenantFactory()
        for _ in range(n):
            contract = ContractFactory(partners=[tenant, TenantFactory(user=None)])
            ContactPersonFactory(property=contract.unit.property)
        return tenant

    small, large = tenant_with(1), tenant_with(12)
    counts = []
    for tenant in (small, large):
        client.force_login(tenant.user)
        counts.append(count_queries(lambda: client.get(reverse("tenants:home"))))

    assert counts[0] == counts[1]


def test_staff_without_tenancy_is_pointed_to_the_admin(client):
    client.force_login(StaffFactory())

    response = client.get(reverse("tenants:home"))

    assert response.status_code == 200
    assert "/admin/" in response.content.decode()


def test_help_page_is_public_and_lists_the_faq(client):
    response = client.get(reverse("tenants:help"))

    assert response.status_code == 200
    html = response.content.decode()
    assert FaqEntry.objects.filter(is_published=True).count() >= 10
    assert "Wie registriere ich mich im Portal?" in html
    assert "040-61 32 32" in html


def test_help_page_in_english_after_switching_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/hilfe/"})
    assert response.status_code == 302

    html = client.get(reverse("tenants:help")).content.decode()

    assert "How do I register for the portal?" in html
    assert '<html lang="en">' in html


def test_unpublished_faq_entries_are_hidden(client):
    FaqEntry.objects.create(topic="X", question="Geheime Frage?", answer="-", is_published=False)

    assert "Geheime Frage?" not in client.get(reverse("tenants:help")).content.decode()


def test_pages_are_german_by_default(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html


@pytest.mark.parametrize(
    "name",
    [
        "tenants:home",
        "tenants:profile",
        "contracts:index",
        "documents:index",
        "consumption:index",
        "requests:index",
    ],
)
def test_every_area_page_requires_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name", ["documents:index", "consumption:index", "requests:index", "tenants:profile"]
)
def test_area_pages_render_for_a_tenant(client, name):
    client.force_login(TenantFactory().user)

    assert client.get(reverse(name)).status_code == 200


def test_profile_shows_own_data_only(client):
    tenant = TenantFactory(tenant_number="123456", phone="040 1234567")
    TenantFactory(tenant_number="654321")
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:profile")).content.decode()

    assert "123456" in html
    assert "040 1234567" in html
    assert "654321" not in html


def test_csp_header_forbids_foreign_sources(client):
    response = client.get(reverse("account_login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_media_url_serves_nothing(client, settings):
    (settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "geheim.txt").write_text("vertraulich")

    response = client.get(settings.MEDIA_URL + "geheim.txt")

    assert response.status_code == 404


def test_unknown_page_gives_a_helpful_german_404(client):
    client.force_login(TenantFactory().user)

    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert "Zurück zur Übersicht" in response.content.decode()


def test_server_error_page_needs_no_database_and_shows_the_emergency_number(rf):
    from tenants.views import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "040-61 32 32" in response.content.decode()


def test_english_browser_still_gets_german_until_english_is_chosen(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert b'<html lang="de">' in html

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de-DE").content
    assert b'<html lang="en">' in html


def _cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_signed_in_pages_and_downloads_are_private_and_not_stored(client):
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant])
    client.force_login(tenant.user)
    urls = [
        reverse("tenants:home"),
        reverse("tenants:profile"),
        reverse("contracts:index"),
        reverse("contracts:detail", args=[contract.contract_number]),
        reverse("contracts:bank_change", args=[contract.contract_number]),
        reverse("requests:index"),
        reverse("documents:index"),
        reverse("consumption:export"),  # a download without a Cache-Control of its own
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _cache_directives(response), url

    client.force_login(StaffFactory(is_superuser=True))
    for url in [reverse("admin:index"), reverse("admin:tenants_tenant_changelist")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _cache_directives(response), url


def test_the_consumption_chart_keeps_its_short_private_cache(client):
    from consumption.models import Meter

    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant])
    Meter.objects.create(unit=contract.unit, kind="heating", serial="HZ-1", measure_unit="kWh")
    client.force_login(tenant.user)

    chart = client.get(reverse("consumption:chart", args=[contract.unit.pk, "heating"]))

    assert chart["Cache-Control"] == "private, max-age=300"
