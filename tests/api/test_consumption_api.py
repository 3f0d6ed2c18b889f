"""GET /consumption: the figures, comparisons and sentences of "Meine Verbräuche"."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consumption.models import Meter
from consumption.selectors import add_months
from consumption.services import consumption_import_text
from tenants.models import Unit
from tests.tenants.factories import ContractFactory, TenantFactory, UnitFactory

from .kit import AppClient, problem, token_for

pytestmark = pytest.mark.django_db

LAST = add_months(timezone.localdate().replace(day=1), -1)


@pytest.fixture
def flat():
    tenant = TenantFactory(first_name="Maria")
    unit = UnitFactory(living_area=Decimal("60"))
    contract = ContractFactory(partners=[tenant], unit=unit)
    Meter.objects.create(unit=unit, kind="heating", serial="HZ-1", measure_unit="kWh")
    Meter.objects.create(unit=unit, kind="hot_water", serial="WW-1", measure_unit="m3")
    neighbour = UnitFactory(property=unit.property, living_area=Decimal("40"))
    Meter.objects.create(unit=neighbour, kind="heating", serial="HZ-2", measure_unit="kWh")
    consumption_import_text(
        text=csv(
            ("HZ-1", LAST, "300", "kWh"),
            ("HZ-1", add_months(LAST, -1), "250", "kWh"),
            ("HZ-1", add_months(LAST, -12), "400", "kWh"),
            ("HZ-2", LAST, "100", "kWh"),
            ("WW-1", LAST, "2.5", "m3"),
        )
    )
    return tenant, unit, contract


def csv(*rows):
    lines = [f"{serial};{month:%Y-%m};{value};{unit}" for serial, month, value, unit in rows]
    return "meter;month;value;unit\n" + "\n".join(lines)


def app(tenant, language=None):
    if language:
        tenant.user.language = language
        tenant.user.save(update_fields=["language"])
    return AppClient(token_for(tenant.user))


def kind_of(body, kind, unit_index=0):
    return next(k for k in body["units"][unit_index]["kinds"] if k["kind"] == kind)


def test_the_figures_are_the_pages(flat):
    tenant, unit, contract = flat
    web = Client()
    web.force_login(tenant.user)
    page = web.get(reverse("consumption:index"), {"einheit": unit.pk, "art": "heating"})

    body = app(tenant).get("consumption").json()

    [entry] = body["units"]
    assert entry["unit_id"] == unit.pk and contract.contract_number in entry["label"]
    assert entry["periods"] == [{"start": "2020-01-01", "end": None}]
    assert [k["kind"] for k in entry["kinds"]] == ["heating", "hot_water"]
    heating = kind_of(body, "heating")
    series = page.context["series"]
    assert heating["month"] == series.month.isoformat() == LAST.isoformat()
    assert Decimal(heating["current"]) == series.current == Decimal("300")
    assert heating["unit"] == "kWh" and heating["label"] == "Heizung"
    assert heating["sentence"] == page.context["sentence"]
    assert "25 % weniger geheizt" in heating["sentence"]
    facts = {fact["key"]: fact for fact in heating["comparisons"]}
    assert facts["previous_month"]["label"] == "Vormonat"
    assert facts["previous_month"]["percent"] == 20
    assert facts["previous_month"]["tone"] == "neutral"  # month to month is never rated
    assert facts["previous_year"]["other"] == "400.000"
    assert facts["previous_year"]["percent"] == -25
    assert facts["previous_year"]["percent_text"] == "-25 %"
    assert facts["previous_year"]["tone"] == "better"
    assert Decimal(facts["average_household"]["other"]) == series.average_user.other
    assert facts["average_household"]["tone"] == page.context["average_tone"] == "worse"
    assert "je m²" in facts["average_household"]["explanation"]
    # The table: the same months and values as the page's, newest first.
    shown = [
        (month.isoformat(), value, before, change.percent)
        for month, value, before, change, _tone in page.context["table"]
    ]
    listed = [
        (
            row["month"],
            None if row["value"] is None else Decimal(row["value"]),
            None if row["previous_year"] is None else Decimal(row["previous_year"]),
            row["change_percent"],
        )
        for row in heating["months"]
    ]
    assert listed == shown and len(listed) == 24
    assert heating["months"][0]["change_text"] == "-25 %"
    assert "§ 6a" in body["legal_notice"] and body["empty_message"] == ""
    water = kind_of(body, "hot_water")
    assert water["unit"] == "m³" and water["current"] == "2.500"


def test_texts_in_english(flat):
    tenant, _unit, _contract = flat

    body = app(tenant, "en").get("consumption").json()

    heating = kind_of(body, "heating")
    assert heating["label"] == "Heating"
    assert heating["sentence"].startswith("You heated 25% less than in ")
    assert [f["label"] for f in heating["comparisons"]] == [
        "Previous month",
        "Same month last year",
        "Average comparable household",
    ]
    assert heating["comparisons"][1]["percent_text"] == "-25%"
    assert body["legal_notice"].startswith("Values from remotely readable meters")


def test_only_months_of_the_own_tenancy(flat):
    tenant, unit, contract = flat
    moved_in = add_months(LAST, -1)
    contract.start_date = moved_in
    contract.save()
    before = TenantFactory()
    ContractFactory(
        partners=[before], unit=unit, start_date=date(2019, 1, 1), end_date=moved_in - timedelta(1)
    )
    consumption_import_text(text=csv(("HZ-1", add_months(LAST, -2), "777", "kWh")))

    body = app(tenant).get("consumption").json()

    heating = kind_of(body, "heating")
    assert body["units"][0]["periods"] == [{"start": moved_in.isoformat(), "end": None}]
    assert [row["month"] for row in heating["months"]] == [
        LAST.isoformat(),
        moved_in.isoformat(),
    ]
    assert "777" not in str(body) and "400" not in str(body)  # the previous household's
    facts = {fact["key"]: fact for fact in heating["comparisons"]}
    assert facts["previous_year"]["other"] is None
    # The previous household sees their own months up to the end of their tenancy.
    theirs = app(before).get("consumption").json()
    assert theirs["units"][0]["periods"][0]["end"] == (moved_in - timedelta(1)).isoformat()
    assert [r["value"] for r in kind_of(theirs, "heating")["months"] if r["value"]] == [
        "777.000",
        "400.000",
    ]


def test_one_unit_and_kind(flat):
    tenant, unit, _contract = flat
    client = app(tenant)

    body = client.get(f"consumption?unit={unit.pk}&kind=hot_water").json()
    assert [k["kind"] for k in body["units"][0]["kinds"]] == ["hot_water"]

    stranger = TenantFactory()
    ContractFactory(partners=[stranger])
    response = app(stranger).get(f"consumption?unit={unit.pk}")
    assert response.status_code == 404 and problem(response)["code"] == "not_found"

    wrong = client.get("consumption?kind=gas")
    assert wrong.status_code == 422
    assert [e["field"] for e in problem(wrong)["errors"]] == ["kind"]


def test_heat_cost_allocators_in_kwh_and_waiting_for_values(flat):
    tenant, unit, _contract = flat
    Meter.objects.create(unit=unit, kind="cold_water", serial="KW-1", measure_unit="m3")
    allocator = TenantFactory()
    room = UnitFactory()
    ContractFactory(partners=[allocator], unit=room)
    Meter.objects.create(
        unit=room, kind="heating", serial="HKV-1", measure_unit="HKV", kwh_factor=Decimal("2.5")
    )
    consumption_import_text(text=csv(("HKV-1", LAST, "40", "HKV")))

    cold = kind_of(app(tenant, "en").get("consumption").json(), "cold_water")
    assert cold["month"] is None and cold["current"] is None and cold["months"] == []
    assert cold["waiting_message"].startswith("No values recorded yet.")
    assert cold["comparisons"] == [] and cold["sentence"] == ""
    assert kind_of(app(allocator).get("consumption").json(), "heating")["current"] == "100.000"


def test_units_without_meters_and_tenants_without_units():
    tenant = TenantFactory()
    home = ContractFactory(partners=[tenant], unit=UnitFactory()).unit
    ContractFactory(partners=[tenant], unit=UnitFactory(kind=Unit.Kind.PARKING))
    body = app(tenant).get("consumption").json()
    flat, parking = sorted(body["units"], key=lambda u: u["unit_id"] != home.pk)
    assert not flat["has_remote_meters"] and flat["kinds"] == []
    assert "keine fernauslesbaren Zähler" in flat["no_remote_meters_notice"]
    assert parking["no_remote_meters_notice"] == ""

    newcomer = TenantFactory()
    ContractFactory(partners=[newcomer], start_date=timezone.localdate() + timedelta(days=30))
    body = app(newcomer, "en").get("consumption").json()
    assert body["units"] == []
    assert body["empty_message"] == "We find no flat in your name with consumption data."
