"""The read-only content of the tenant pages comes from the cache (`tenants.cards.cached_page_part`)
like the start page's cards, and every service that changes what a page shows makes the next view
of that page show the change. Another tenant never gets the owner's cached content, and a 404 is
decided before the cache is asked.

Each test first opens the page (its content is then cached), changes the data through the service
the portal uses, and opens the page again.
"""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consumption.models import Meter
from consumption.selectors import add_months
from consumption.services import consumption_import_text
from contracts.banking import iban_check
from contracts.rent_account import rent_account_import_text
from contracts.services import bank_change_approve, bank_change_submit
from documents.models import Delivery
from documents.services import delivery_open, document_publish
from notices.models import Notice
from notices.services import notice_mark_read, notice_save
from requests.models import Category, ContactRequest
from requests.services import request_create, request_reply_by_clerk, request_status_set
from tenants.models import Contract
from tenants.services import contract_change_record, contract_state
from tenants.templatetags.portal import format_euro

from .factories import (
    ContactPersonFactory,
    ContractFactory,
    StaffFactory,
    TenantFactory,
    UnitFactory,
    clerk_in,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_IBAN = "DE02100100100006820101"
NUMBER = "1001-W01-01"

# Warm, signed in with force_login (the session comes from the cache): the account with its
# tenant (tenants.backends), plus what decides the page's key.
WARM_QUERIES = {
    "consumption:index": 1,
    "contracts:index": 1,
    "contracts:detail": 2,  # + the contract (404) and its rent account's import time
    "documents:index": 1,
    "requests:index": 1,
    "notices:index": 1,
}


@pytest.fixture
def tenant():
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    unit = UnitFactory(living_area=Decimal("60"))
    ContractFactory(partners=[tenant], unit=unit, contract_number=NUMBER)
    Meter.objects.create(unit=unit, kind="heating", serial="HZ-1", measure_unit="kWh")
    ContactPersonFactory(property=unit.property, name="Sabine Sachmann")
    return tenant


@pytest.fixture
def page(client, tenant):
    client.force_login(tenant.user)

    def get(name: str, *args, query: str = "") -> str:
        response = client.get(reverse(name, args=args) + query)
        assert response.status_code == 200
        return response.content.decode()

    return get


def _notice(tenant, title: str) -> Notice:
    return notice_save(
        notice=Notice(
            property=tenant.contracts.first().unit.property,
            kind=Notice.Kind.GENERAL,
            title=title,
            text="Bis Freitag.",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=3),
        ),
        by=StaffFactory(),
    )


def _publish(tenant, title: str, *, kind: str = "betriebskostenabrechnung"):
    return document_publish(
        tenants=[tenant],
        kind=kind,
        title=title,
        year=2025,
        content=PDF,
        filename="doc.pdf",
        notify=False,
    )


# -- consumption -----------------------------------------------------------------------------


def test_an_import_shows_on_the_consumption_page(page):
    assert "300 kWh" not in page("consumption:index")
    last = add_months(timezone.localdate().replace(day=1), -1)

    consumption_import_text(text=f"meter;month;value;unit\nHZ-1;{last:%Y-%m};300;kWh")

    assert "300 kWh" in page("consumption:index")


def test_the_consumption_page_is_kept_per_unit_and_kind(page, tenant):
    last = add_months(timezone.localdate().replace(day=1), -1)
    consumption_import_text(text=f"meter;month;value;unit\nHZ-1;{last:%Y-%m};300;kWh")
    unit = tenant.contracts.get().unit
    second = UnitFactory(property=unit.property, living_area=Decimal("40"))
    contract = ContractFactory(partners=[tenant], unit=second, contract_number="1001-W02-01")
    contract_change_record(contract=contract, before=None, by=StaffFactory())
    Meter.objects.create(unit=second, kind="cold_water", serial="KW-2", measure_unit="m3")
    consumption_import_text(text=f"meter;month;value;unit\nKW-2;{last:%Y-%m};7;m3")

    first = page("consumption:index", query=f"?einheit={unit.pk}")
    other = page("consumption:index", query=f"?einheit={second.pk}")

    assert "300 kWh" in first and "300 kWh" not in other
    assert "7 m³" in other and "7 m³" not in first


def test_another_tenant_never_gets_the_owners_consumption(client, page, tenant):
    last = add_months(timezone.localdate().replace(day=1), -1)
    consumption_import_text(text=f"meter;month;value;unit\nHZ-1;{last:%Y-%m};300;kWh")
    unit = tenant.contracts.get().unit
    query = f"?einheit={unit.pk}&art=heating"
    assert "300 kWh" in page("consumption:index", query=query)

    client.force_login(TenantFactory().user)
    html = client.get(reverse("consumption:index") + query).content.decode()

    assert "300 kWh" not in html


# -- contracts -------------------------------------------------------------------------------


def test_a_new_contract_and_a_changed_rent_show_after_the_clerks_change(page, tenant):
    assert "1001-S01-01" not in page("contracts:index")
    contract = ContractFactory(partners=[tenant], contract_number="1001-S01-01")
    contract_change_record(contract=contract, before=None, by=StaffFactory())
    assert "1001-S01-01" in page("contracts:index")

    contract = Contract.objects.get(contract_number=NUMBER)
    assert "1.234,56" not in page("contracts:detail", NUMBER)
    before = contract_state(contract_id=contract.pk)
    contract.grundmiete = Decimal("1234.56")
    contract.save()
    contract_change_record(contract=contract, before=before, by=StaffFactory())

    assert "1.234,56" in page("contracts:detail", NUMBER)
    with translation.override("de"):
        assert format_euro(contract.total_rent) in page("contracts:index")


def test_bank_change_submit_and_approve_show_on_the_contract_page(page, tenant):
    page("contracts:detail", NUMBER)
    contract = Contract.objects.get(contract_number=NUMBER)

    change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )
    change_url = reverse("contracts:bank_change_detail", args=[NUMBER, change.pk])
    assert change_url in page("contracts:detail", NUMBER)

    bank_change_approve(bank_change=change, clerk=StaffFactory())
    html = page("contracts:detail", NUMBER)
    assert change_url not in html and "0101" in html


def test_a_rent_account_import_shows_on_the_contract_page(page):
    assert "83,50" not in page("contracts:detail", NUMBER)

    rent_account_import_text(
        text=json.dumps(
            {
                "type": "balance",
                "contract": NUMBER,
                "date": f"{timezone.localdate():%Y-%m-%d}",
                "balance": "83.50",
                "open_since": f"{timezone.localdate():%Y-%m-%d}",
            }
        )
        + "\n"
    )

    assert "83,50" in page("contracts:detail", NUMBER)


def test_another_tenants_contract_is_404_even_when_the_owners_page_is_cached(client, page):
    assert NUMBER in page("contracts:detail", NUMBER)
    client.force_login(TenantFactory().user)

    assert client.get(reverse("contracts:detail", args=[NUMBER])).status_code == 404
    assert NUMBER not in client.get(reverse("contracts:index")).content.decode()


# -- documents -------------------------------------------------------------------------------


def test_a_published_document_shows_at_once_and_loses_its_badge_when_opened(page, tenant):
    assert "Betriebskosten 2025" not in page("documents:index")

    document = _publish(tenant, "Betriebskosten 2025")
    html = page("documents:index")
    assert "Betriebskosten 2025" in html and 'class="is-new"' in html

    delivery_open(delivery=Delivery.objects.get(document=document), user=tenant.user)
    html = page("documents:index")
    assert "Betriebskosten 2025" in html and 'class="is-new"' not in html


def test_the_documents_filter_is_part_of_the_key(page, tenant):
    _publish(tenant, "Betriebskosten 2025")
    assert "Betriebskosten 2025" in page("documents:index")

    html = page("documents:index", query="?art=betriebskostenabrechnung")
    assert "Betriebskosten 2025" in html
    assert "Betriebskosten 2025" not in page("documents:index", query="?art=bescheinigung")


def test_another_tenant_never_gets_the_owners_documents(client, page, tenant):
    _publish(tenant, "Betriebskosten 2025")
    query = "?art=betriebskostenabrechnung"
    assert "Betriebskosten 2025" in page("documents:index", query=query)

    client.force_login(TenantFactory().user)
    html = client.get(reverse("documents:index") + query).content.decode()

    assert "Betriebskosten 2025" not in html


# -- requests --------------------------------------------------------------------------------


def test_a_request_shows_with_the_clerks_answer_and_its_status(page, tenant):
    assert "Heizung kalt" not in page("requests:index")

    request = request_create(
        tenant=tenant,
        category=Category.objects.get(name="Heizung"),
        message="Seit gestern kalt.",
        subject="Heizung kalt",
    )
    assert "Heizung kalt" in page("requests:index")

    clerk = StaffFactory()
    request_reply_by_clerk(
        contact_request=request, clerk=clerk, body="Der Techniker kommt morgen.", internal=False
    )
    assert "1 Antwort" in page("requests:index")

    request_status_set(contact_request=request, status=ContactRequest.Status.DONE, clerk=clerk)
    assert "status-done" in page("requests:index")


def test_the_emergency_notice_follows_the_hour_although_the_list_is_cached(page, monkeypatch):
    from requests import views

    monkeypatch.setattr(views, "is_business_hours", lambda now: True)
    assert "outside business hours" not in page("requests:index").lower()
    outside = "Wir sind gerade außerhalb der Geschäftszeiten"

    monkeypatch.setattr(views, "is_business_hours", lambda now: False)

    assert outside in page("requests:index")


def test_another_tenant_never_gets_the_owners_requests(client, page, tenant):
    request_create(
        tenant=tenant,
        category=Category.objects.get(name="Heizung"),
        message="x",
        subject="Heizung kalt",
    )
    assert "Heizung kalt" in page("requests:index")

    client.force_login(TenantFactory().user)

    assert "Heizung kalt" not in client.get(reverse("requests:index")).content.decode()


# -- notices ---------------------------------------------------------------------------------


def test_a_published_notice_shows_and_its_unread_mark_goes_when_read(page, tenant):
    assert "Aufzug außer Betrieb" not in page("notices:index")

    notice = _notice(tenant, "Aufzug außer Betrieb")
    html = page("notices:index")
    assert "Aufzug außer Betrieb" in html and "is-unread" in html

    notice_mark_read(tenant=tenant, notice=notice)
    html = page("notices:index")
    assert "Aufzug außer Betrieb" in html and "is-unread" not in html


def test_another_tenant_never_gets_the_owners_notices(client, page, tenant):
    _notice(tenant, "Aufzug außer Betrieb")
    assert "Aufzug außer Betrieb" in page("notices:index")

    client.force_login(TenantFactory().user)  # no contract in that building

    assert "Aufzug außer Betrieb" not in client.get(reverse("notices:index")).content.decode()


# -- query counts ----------------------------------------------------------------------------


def _tenant_with(n: int):
    tenant = TenantFactory()
    unit = UnitFactory(living_area=Decimal("60"))
    ContractFactory(partners=[tenant], unit=unit, contract_number=f"{tenant.pk}-W01-01")
    Meter.objects.create(unit=unit, kind="heating", serial=f"HZ-{tenant.pk}", measure_unit="kWh")
    for i in range(n):
        contract = ContractFactory(partners=[tenant, TenantFactory(user=None)])
        ContactPersonFactory(property=contract.unit.property)
        _publish(tenant, f"Abrechnung {i}")
        request_create(
            tenant=tenant,
            category=Category.objects.get(name="Heizung"),
            message="x",
            subject=f"Anliegen {i}",
        )
        _notice(tenant, f"Aushang {i}")
    return tenant


@pytest.mark.parametrize("name", sorted(WARM_QUERIES))
def test_warm_page_queries_are_pinned_and_constant(client, count_queries, name):
    counts = []
    for n in (1, 6):
        tenant = _tenant_with(n)
        client.force_login(tenant.user)
        args = [f"{tenant.pk}-W01-01"] if name == "contracts:detail" else []
        url = reverse(name, args=args)
        assert client.get(url).status_code == 200  # renders and caches the content
        counts.append(count_queries(lambda url=url: client.get(url)))

    assert counts == [WARM_QUERIES[name]] * 2


# -- profile ---------------------------------------------------------------------------------


def _checked(html: str, input_id: str) -> bool:
    return " checked" in re.search(rf'<input[^>]*id="{input_id}"[^>]*>', html)[0]


def test_the_profile_shows_each_change_at_once(client, page, tenant):
    from notices.services import notice_preference_set
    from tenants.services import tenant_paperless_consent_set, tenant_phone_set

    html = page("tenants:profile")
    assert "Maria" in html and "0351 777888" not in html
    assert not _checked(html, "id_notices-notices_by_email")
    assert _checked(html, "id_notify_new_device")

    tenant_phone_set(tenant=tenant, phone="0351 777888", by=tenant.user)
    assert 'value="0351 777888"' in page("tenants:profile")

    tenant_paperless_consent_set(tenant=tenant, consent=True, by=tenant.user)
    assert "Dokumente erhalten Sie im Portal" in page("tenants:profile")

    notice_preference_set(user=tenant.user, notices_by_email=True)
    assert _checked(page("tenants:profile"), "id_notices-notices_by_email")

    client.post(reverse("tenants:new_device_notice"), {"save_notify_new_device": ""})
    assert not _checked(page("tenants:profile"), "id_notify_new_device")

    # A clerk corrects the postal address in the admin (no service, no bump): shown at once.
    tenant.refresh_from_db()
    tenant.street = "Lindenallee 7"
    tenant.save(update_fields=["street"])
    assert "Lindenallee 7" in page("tenants:profile")


def test_the_profile_shows_account_changes_made_elsewhere(page, tenant):
    from django.test import Client

    html = page("tenants:profile")
    assert _checked(html, "id_language-language_0")  # Deutsch

    # The e-mail address, confirmed on another device; the language, chosen on another device
    # (this session keeps its own language, so the key stays the same).
    type(tenant.user).objects.filter(pk=tenant.user_id).update(email="neu@example.com")
    other = Client()
    other.force_login(tenant.user)
    other.post(reverse("tenants:profile"), {"language-language": "en", "save_language": ""})

    html = page("tenants:profile")
    assert "neu@example.com" in html
    assert _checked(html, "id_language-language_1") and 'value="en"' in html


def test_the_profile_turns_read_only_when_the_last_contract_ends(page, tenant):
    assert "Nach Ihrem Mietverhältnis" not in page("tenants:profile")
    contract = Contract.objects.get(contract_number=NUMBER)
    before = contract_state(contract_id=contract.pk)
    contract.end_date = timezone.localdate() - timedelta(days=1)
    contract.save()
    contract_change_record(contract=contract, before=before, by=StaffFactory())

    html = page("tenants:profile")

    assert "Nach Ihrem Mietverhältnis" in html
    assert 'name="save_contact"' not in html


def test_the_kept_profile_carries_each_requests_own_csrf_token(tenant):
    """The content is kept once with a placeholder, the CSRF token is each request's own: the
    form sent from a page built from the cache is accepted, on every device of the account."""
    from django.test import Client

    from tenants.cards import CSRF_PLACEHOLDER

    devices, tokens = [], []
    for _ in range(2):  # both visit before anything changes: the second is built from the cache
        device = Client(enforce_csrf_checks=True)
        device.force_login(tenant.user)
        html = device.get(reverse("tenants:profile")).content.decode()
        assert CSRF_PLACEHOLDER not in html
        devices.append(device)
        # The phone form's own token (the header's language switch has one of its own).
        before_button = html.split('name="save_contact"')[0]
        tokens.append(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', before_button)[-1])
    for device, token, phone in zip(
        devices, reversed(tokens), ["0351 4711", "0351 4712"], strict=True
    ):
        rejected = device.post(
            reverse("tenants:profile"),
            {"csrfmiddlewaretoken": token, "contact-phone": phone, "save_contact": ""},
        )  # the other device's token: refused
        assert rejected.status_code == 403
    for device, token, phone in zip(devices, tokens, ["0351 4711", "0351 4712"], strict=True):
        response = device.post(
            reverse("tenants:profile"),
            {"csrfmiddlewaretoken": token, "contact-phone": phone, "save_contact": ""},
        )
        assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.phone == "0351 4712"


def test_another_tenant_never_gets_the_owners_profile(client, page, tenant):
    page("tenants:profile")
    other = TenantFactory(first_name="Otto", last_name="Anders")
    client.force_login(other.user)

    html = client.get(reverse("tenants:profile")).content.decode()

    assert "Otto" in html and "Maria" not in html


def test_a_meter_changed_by_technik_in_the_admin_shows_at_once(client, page, tenant):
    assert "keine fernauslesbaren Zähler" not in page("consumption:index")
    technik = clerk_in("Technik")
    meter = Meter.objects.get(serial="HZ-1")
    clerk = type(client)()
    clerk.force_login(technik)
    url = reverse("admin:consumption_meter_change", args=[meter.pk])
    form = {
        "unit": meter.unit_id,
        "kind": meter.kind,
        "serial": meter.serial,
        "measure_unit": meter.measure_unit,
        "kwh_factor": str(meter.kwh_factor),
        "_save": "Sichern",
    }  # "remote" left out: unticked

    response = clerk.post(url, form)

    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert response.status_code == 302, errors
    assert "keine fernauslesbaren Zähler" in page("consumption:index")
