"""One definition of a contract's phases, and the same behaviour in every area.

A contract is current from its start to its end (both days included), upcoming before its
start and ended after its end. Meine Verträge, Kontakt, Meine Dokumente and Meine Verbräuche
all follow it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from consumption.models import Meter
from consumption.selectors import add_months, consumption_overview
from consumption.services import consumption_import_text
from documents.services import document_publish
from requests.models import Category, ContactRequest
from tenants.models import Area, Contract
from tenants.selectors import tenant_ids_by_unit, unit_tenancies
from tests.tenants.factories import (
    PASSWORD,
    ContractFactory,
    TeamFactory,
    TenantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("start", "end", "phase"),
    [
        (TODAY, None, Contract.Phase.CURRENT),  # the first day counts
        (TODAY - timedelta(days=400), TODAY, Contract.Phase.CURRENT),  # so does the last
        (TODAY - timedelta(days=400), TODAY - timedelta(days=1), Contract.Phase.ENDED),
        (TODAY + timedelta(days=1), None, Contract.Phase.UPCOMING),
    ],
)
def test_the_queryset_and_the_contract_agree_on_the_phase(start, end, phase):
    contract = ContractFactory(start_date=start, end_date=end)

    assert contract.phase() == phase
    in_phase = {
        p: set(getattr(Contract.objects, p)().values_list("pk", flat=True))
        for p in Contract.Phase.values
    }
    assert {p for p, pks in in_phase.items() if contract.pk in pks} == {phase}
    assert (contract in Contract.objects.not_ended()) == (phase != Contract.Phase.ENDED)


@pytest.fixture
def moving():
    """Maria moved out of an old flat at the end of last month; her new flat starts next month."""
    tenant = TenantFactory(first_name="Maria")
    ended_on = THIS_MONTH - timedelta(days=1)
    old = ContractFactory(
        partners=[tenant],
        contract_number="1001-W01-01",
        unit=UnitFactory(living_area=Decimal("60"), location="EG links"),
        start_date=date(2019, 1, 1),
        end_date=ended_on,
    )
    new = ContractFactory(
        partners=[tenant],
        contract_number="1002-W07-01",
        unit=UnitFactory(living_area=Decimal("70"), location="3. OG rechts"),
        start_date=add_months(THIS_MONTH, 1),
    )
    return tenant, old, new


def test_my_contracts_shows_ended_and_upcoming(client, moving):
    tenant, _old, _new = moving
    client.force_login(tenant.user)

    page = client.get(reverse("contracts:index")).content.decode()

    assert "1001-W01-01" in page and "1002-W07-01" in page
    assert "beendet" in page and "bevorstehend" in page
    home = client.get(reverse("tenants:home")).content.decode()
    assert "1002-W07-01" in home and "1001-W01-01" not in home  # the card: not ended


def test_bank_change_is_possible_for_an_upcoming_contract_not_for_an_ended_one(client, moving):
    tenant, old, new = moving
    client.force_login(tenant.user)

    upcoming = client.get(reverse("contracts:bank_change", args=[new.contract_number]))
    ended = client.get(reverse("contracts:bank_change", args=[old.contract_number]), follow=True)

    assert upcoming.status_code == 200 and 'name="iban"' in upcoming.content.decode()
    assert ended.redirect_chain[-1][0] == reverse("contracts:detail", args=[old.contract_number])
    assert "Dieser Vertrag ist beendet" in ended.content.decode()
    assert 'name="iban"' not in ended.content.decode()


def test_kontakt_offers_the_upcoming_unit_not_the_ended_one(client, moving):
    tenant, old, new = moving
    TeamFactory(area=Area.TECHNICAL, is_default=True)
    client.force_login(tenant.user)
    water = Category.objects.get(name="Wasser/Sanitär")
    url = reverse("requests:create", args=[water.pk])

    form = client.get(url).content.decode()
    client.post(url, {"message": "Tropft", "location": "Bad", "since": "heute"})

    # Only one unit is offered, so the form does not ask: it is the new flat.
    assert old.unit.location not in form
    assert ContactRequest.objects.get(tenant=tenant).unit == new.unit


def test_documents_of_an_ended_contract_stay_visible(client, moving):
    tenant, _old, _new = moving
    document_publish(
        tenants=[tenant],
        kind="betriebskostenabrechnung",
        title="Betriebskostenabrechnung 2025",
        year=2025,
        content=PDF,
        filename="bk.pdf",
    )
    client.force_login(tenant.user)

    assert (
        "Betriebskostenabrechnung 2025" in client.get(reverse("documents:index")).content.decode()
    )


def _readings(unit_meter_serial: str, months: list[date], value: str) -> str:
    return "\n".join(f"{unit_meter_serial};{m:%Y-%m};{value};kWh" for m in months)


def test_consumption_up_to_the_end_and_from_the_start(moving):
    tenant, old, new = moving
    Meter.objects.create(unit=old.unit, kind="heating", serial="ALT-1", measure_unit="kWh")
    Meter.objects.create(unit=new.unit, kind="heating", serial="NEU-1", measure_unit="kWh")
    months_before = [add_months(THIS_MONTH, -3), add_months(THIS_MONTH, -2)]
    last_month = add_months(THIS_MONTH, -1)
    consumption_import_text(
        text="meter;month;value;unit\n"
        + _readings("ALT-1", [*months_before, last_month], "300")
        + "\n"
        + _readings("NEU-1", [*months_before, last_month], "999")  # the previous household
    )

    # Today: the old flat up to its end (last month included), the new one not yet.
    [shown] = consumption_overview(tenant=tenant)
    assert shown.unit == old.unit
    assert set(shown.kinds["heating"].values) == {*months_before, last_month}

    # Once the new contract has begun, the unit is shown; the previous household's months
    # before the start are not the tenant's.
    later = add_months(THIS_MONTH, 3)
    by_unit = {entry.unit: entry for entry in consumption_overview(tenant=tenant, today=later)}
    assert set(by_unit) == {old.unit, new.unit}
    assert by_unit[new.unit].kinds["heating"].values == {}
    assert set(by_unit[old.unit].kinds["heating"].values) == {*months_before, last_month}


def test_who_lives_in_a_unit_today(moving):
    _tenant, old, new = moving
    successor = TenantFactory()
    ContractFactory(partners=[successor], unit=old.unit, start_date=THIS_MONTH)

    assert tenant_ids_by_unit(unit_ids=[old.unit.pk, new.unit.pk]) == {old.unit.pk: [successor.pk]}


def test_several_contracts_for_one_unit_are_one_time_in_it():
    tenant = TenantFactory()
    unit = UnitFactory()
    ContractFactory(
        partners=[tenant], unit=unit, start_date=date(2018, 1, 1), end_date=date(2020, 12, 31)
    )
    ContractFactory(partners=[tenant], unit=unit, start_date=date(2021, 1, 1))

    [tenancy] = unit_tenancies(tenant=tenant, phases=tuple(Contract.Phase.values))

    assert (tenancy.start, tenancy.end) == (date(2018, 1, 1), None)


def test_a_tenant_without_a_current_contract_still_reaches_kontakt_and_documents(client):
    tenant = TenantFactory()
    ContractFactory(partners=[tenant], start_date=date(2015, 1, 1), end_date=date(2020, 6, 30))

    response = client.post(
        reverse("account_login"), {"login": tenant.user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    for name in ("tenants:home", "requests:index", "requests:choose", "documents:index"):
        assert client.get(reverse(name)).status_code == 200, name
    general = Category.objects.get(name="Allgemeine Anfrage")
    client.post(reverse("requests:create", args=[general.pk]), {"message": "Frage zur Kaution"})
    assert ContactRequest.objects.get(tenant=tenant).unit is None


def test_moving_out_and_back_shows_none_of_the_household_in_between():
    tenant = TenantFactory()
    unit = UnitFactory(living_area=Decimal("50"))
    ContractFactory(
        partners=[tenant], unit=unit, start_date=date(2019, 1, 1), end_date=date(2020, 12, 31)
    )
    ContractFactory(
        partners=[TenantFactory()],
        unit=unit,
        start_date=date(2021, 1, 1),
        end_date=date(2023, 12, 31),
    )
    ContractFactory(partners=[tenant], unit=unit, start_date=date(2024, 1, 1))

    [tenancy] = unit_tenancies(tenant=tenant, phases=tuple(Contract.Phase.values))

    assert tenancy.periods == ((date(2019, 1, 1), date(2020, 12, 31)), (date(2024, 1, 1), None))
    assert tenancy.covers(date(2020, 6, 1)) and tenancy.covers(date(2025, 6, 1))
    assert not tenancy.covers(date(2022, 6, 1))
