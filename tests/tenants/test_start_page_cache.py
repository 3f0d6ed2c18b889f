"""The start page's cards come from the cache (tenants/cards.py), and every service that changes
what a card shows makes the next start page show the change: a tenant never sees stale
contracts, documents, requests, notices or consumption after a change.

Each test first opens the start page (the cards are then cached), changes the data through the
service the portal uses, and opens the start page again.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from consumption.models import Meter
from consumption.selectors import add_months
from consumption.services import consumption_import_text
from contracts.banking import iban_check
from contracts.services import bank_change_approve, bank_change_submit, bank_change_withdraw
from documents.models import Delivery
from documents.services import delivery_open, document_publish
from notices.models import Notice
from notices.services import notice_mark_read, notice_save
from requests.models import Category, ContactRequest
from requests.services import request_create, request_reply_by_clerk, request_status_set
from tenants import cards
from tenants.cards import card_cache_bump
from tenants.models import Contract
from tenants.services import contract_change_record, contract_state

from .factories import (
    ContactPersonFactory,
    ContractFactory,
    StaffFactory,
    TenantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_IBAN = "DE02100100100006820101"
# Warm: the account with its tenant (tenants.backends); the cards come from the cache.
WARM_QUERIES = 1
START_PAGE_BUDGET = 8  # issue 20


@pytest.fixture
def tenant():
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    unit = UnitFactory(living_area=Decimal("60"))
    ContractFactory(partners=[tenant], unit=unit, contract_number="1001-W01-01")
    Meter.objects.create(unit=unit, kind="heating", serial="HZ-1", measure_unit="kWh")
    ContactPersonFactory(property=unit.property, name="Sabine Sachmann")
    return tenant


@pytest.fixture
def page(client, tenant):
    client.force_login(tenant.user)

    def get() -> str:
        response = client.get(reverse("tenants:home"))
        assert response.status_code == 200
        return response.content.decode()

    return get


def card(html: str, key: str) -> str:
    start = html.index(f'id="card-{key}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def rendered(monkeypatch):
    """The keys of the cards rendered afresh (not taken from the cache)."""
    keys = []
    original = cards._render

    def spy(request, tenant, registered):
        keys.append(registered.key)
        return original(request, tenant, registered)

    monkeypatch.setattr(cards, "_render", spy)
    return keys


def test_the_second_start_page_renders_no_card_again(page, rendered):
    first = page()
    assert {"contracts", "documents", "requests", "consumption", "contacts"} <= set(rendered)
    rendered.clear()

    assert _without_csrf(page()) == _without_csrf(first)
    assert rendered == []


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_cards_are_kept_per_tenant_and_language(client, tenant):
    other = TenantFactory(first_name="Hans")
    ContractFactory(partners=[other], contract_number="2002-W02-02")
    client.force_login(tenant.user)
    client.get(reverse("tenants:home"))
    client.force_login(other.user)

    html = client.get(reverse("tenants:home")).content.decode()
    assert "2002-W02-02" in html and "1001-W01-01" not in html

    client.cookies["django_language"] = "en"
    english = client.get(reverse("tenants:home")).content.decode()
    assert "My contracts" in english and "Meine Verträge" not in english


# -- contracts -------------------------------------------------------------------------------


def test_a_new_contract_shows_after_the_clerks_change(page, tenant):
    page()
    contract = ContractFactory(partners=[tenant], contract_number="1001-S01-01")
    contract_change_record(contract=contract, before=None, by=StaffFactory())

    assert "1001-S01-01" in card(page(), "contracts")


def test_an_ended_contract_leaves_the_card_after_the_clerks_change(page, tenant):
    assert "1001-W01-01" in card(page(), "contracts")
    contract = Contract.objects.get(contract_number="1001-W01-01")
    before = contract_state(contract_id=contract.pk)
    contract.end_date = timezone.localdate() - timedelta(days=1)
    contract.save()
    contract_change_record(contract=contract, before=before, by=StaffFactory())

    assert "1001-W01-01" not in card(page(), "contracts")


def test_a_partner_removed_by_the_clerk_no_longer_sees_the_contract(client):
    first, second = TenantFactory(), TenantFactory()
    contract = ContractFactory(partners=[first, second], contract_number="3003-W03-03")
    client.force_login(second.user)
    assert "3003-W03-03" in client.get(reverse("tenants:home")).content.decode()
    before = contract_state(contract_id=contract.pk)
    contract.partners.remove(second)
    contract_change_record(contract=contract, before=before, by=StaffFactory())

    assert "3003-W03-03" not in client.get(reverse("tenants:home")).content.decode()


def test_bank_change_submit_withdraw_and_approve_refresh_the_cards(page, tenant):
    page()
    contract = Contract.objects.get(contract_number="1001-W01-01")

    change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )
    html = page()
    # The copy of the mandate is filed into "My documents" (documents.services.document_publish).
    assert Delivery.objects.filter(tenant=tenant).count() == 1
    assert Delivery.objects.get(tenant=tenant).document.title in card(html, "documents")
    versions = _contract_versions(tenant)

    bank_change_withdraw(tenant=tenant, bank_change=change)
    assert _contract_versions(tenant) != versions
    versions = _contract_versions(tenant)

    again = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )
    bank_change_approve(bank_change=again, clerk=StaffFactory())
    assert _contract_versions(tenant) != versions


def _contract_versions(tenant):
    from django.core.cache import cache

    return cache.get(f"card:v:{tenant.pk}:contracts")


# -- documents -------------------------------------------------------------------------------


def test_a_published_document_shows_at_once_and_loses_its_badge_when_opened(page, tenant):
    assert "Betriebskosten 2025" not in card(page(), "documents")

    document = document_publish(
        tenants=[tenant],
        kind="betriebskostenabrechnung",
        title="Betriebskosten 2025",
        year=2025,
        content=PDF,
        filename="bk.pdf",
    )
    html = card(page(), "documents")
    assert "Betriebskosten 2025" in html and 'class="is-new"' in html

    delivery_open(delivery=Delivery.objects.get(document=document), user=tenant.user)
    html = card(page(), "documents")
    assert "Betriebskosten 2025" in html and 'class="is-new"' not in html


# -- requests --------------------------------------------------------------------------------


def test_a_request_shows_with_the_clerks_answer_and_leaves_when_done(page, tenant):
    assert "Heizung kalt" not in card(page(), "requests")

    request = request_create(
        tenant=tenant,
        category=Category.objects.get(name="Heizung"),
        message="Seit gestern kalt.",
        subject="Heizung kalt",
    )
    assert "Heizung kalt" in card(page(), "requests")

    clerk = StaffFactory()
    request_reply_by_clerk(
        contact_request=request, clerk=clerk, body="Der Techniker kommt morgen.", internal=False
    )
    assert "Der Techniker kommt morgen." in card(page(), "requests")

    request_status_set(contact_request=request, status=ContactRequest.Status.DONE, clerk=clerk)
    assert "Heizung kalt" not in card(page(), "requests")


# -- notices ---------------------------------------------------------------------------------


def test_a_published_notice_shows_and_its_unread_mark_goes_when_read(page, tenant):
    assert 'id="card-notices"' not in page()
    unit = tenant.contracts.get().unit
    notice = notice_save(
        notice=Notice(
            property=unit.property,
            kind=Notice.Kind.GENERAL,
            title="Aufzug außer Betrieb",
            text="Bis Freitag.",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=3),
        ),
        by=StaffFactory(),
    )
    html = card(page(), "notices")
    assert "Aufzug außer Betrieb" in html and "is-unread" in html

    notice_mark_read(tenant=tenant, notice=notice)
    html = card(page(), "notices")
    assert "Aufzug außer Betrieb" in html and "is-unread" not in html


# -- consumption -----------------------------------------------------------------------------


def test_an_import_shows_on_the_consumption_card(page):
    assert "300 kWh" not in card(page(), "consumption")
    last = add_months(timezone.localdate().replace(day=1), -1)

    consumption_import_text(text=f"meter;month;value;unit\nHZ-1;{last:%Y-%m};300;kWh")

    assert "300 kWh" in card(page(), "consumption")


# -- the machinery ---------------------------------------------------------------------------


def test_a_bump_for_every_tenant_renders_only_that_area_again(page, rendered):
    page()
    rendered.clear()

    card_cache_bump(None, "requests")
    page()

    assert rendered == ["requests"]


def test_a_new_day_renders_the_cards_again(page, tenant, monkeypatch):
    today = timezone.localdate()
    Contract.objects.filter(contract_number="1001-W01-01").update(end_date=today)
    assert "1001-W01-01" in card(page(), "contracts")

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=1))

    assert "1001-W01-01" not in card(page(), "contracts")


# -- query counts ----------------------------------------------------------------------------


def test_start_page_queries_warm_are_pinned(page, count_queries):
    page()
    warm = count_queries(page)

    assert warm == WARM_QUERIES
    assert warm <= START_PAGE_BUDGET


def test_start_page_queries_cold_and_warm_do_not_grow_with_data(client, count_queries):
    from django.core.cache import cache

    def tenant_with(n):
        tenant = TenantFactory()
        unit = UnitFactory(living_area=Decimal("60"))
        ContractFactory(partners=[tenant], unit=unit)
        Meter.objects.create(
            unit=unit, kind="heating", serial=f"HZ-{tenant.pk}", measure_unit="kWh"
        )
        for i in range(n):
            contract = ContractFactory(partners=[tenant, TenantFactory(user=None)])
            ContactPersonFactory(property=contract.unit.property)
            document_publish(
                tenants=[tenant],
                kind="betriebskostenabrechnung",
                title=f"Abrechnung {i}",
                year=2025,
                content=PDF,
                filename=f"{i}.pdf",
                notify=False,
            )
            request_create(
                tenant=tenant,
                category=Category.objects.get(name="Heizung"),
                message="x",
                subject=f"Anliegen {i}",
            )
            notice_save(
                notice=Notice(
                    property=unit.property,
                    kind=Notice.Kind.GENERAL,
                    title=f"Aushang {i}",
                    text="-",
                    valid_from=timezone.localdate(),
                    valid_until=timezone.localdate(),
                ),
                by=StaffFactory(),
            )
        return tenant

    counts = []
    for tenant in (tenant_with(1), tenant_with(8)):
        client.force_login(tenant.user)
        client.get(reverse("tenants:home"))  # the session's first request may write it
        cache.clear()
        cold = count_queries(lambda: client.get(reverse("tenants:home")))
        warm = count_queries(lambda: client.get(reverse("tenants:home")))
        counts.append((cold, warm))

    assert counts[0] == counts[1]
    assert counts[0][1] == WARM_QUERIES


# -- the other tenant pages: pinned and constant in data size ------------------------------

# The account with its tenant and what the page itself reads; signed in with force_login.
PAGE_QUERIES = {
    "tenants:profile": 1,  # the content from the page cache, renewed by every value it shows
    "forms:index": 1,  # the list from the page cache, the same for every tenant
    "notices:index": 1,  # the list from the page cache (tests/tenants/test_page_cache.py)
}


def _tenant_with_contracts(n):
    tenant = TenantFactory()
    for _ in range(n):
        contract = ContractFactory(partners=[tenant, TenantFactory(user=None)])
        ContactPersonFactory(property=contract.unit.property)
    return tenant


@pytest.mark.parametrize("name", sorted(PAGE_QUERIES))
def test_tenant_page_queries_are_pinned_and_constant(client, count_queries, name):
    counts = []
    for n in (1, 6):
        client.force_login(_tenant_with_contracts(n).user)
        client.get(reverse(name))
        counts.append(count_queries(lambda: client.get(reverse(name))))

    assert counts == [PAGE_QUERIES[name]] * 2


def test_help_page_queries_are_pinned(client, count_queries):
    client.get(reverse("tenants:help"))

    # The FAQ and the film come from the page cache, the same for every visitor.
    assert count_queries(lambda: client.get(reverse("tenants:help"))) == 0
