"""How consumption is shown: a chart readable on a phone, fair colours, the start page card."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from consumption.charts import CHART_SIZES, smallest_text_px
from consumption.dashboard import consumption_card
from consumption.display import BETTER, NEUTRAL, WORSE, comparison_tone, spark_bars
from consumption.models import Meter, Reading
from consumption.selectors import Comparison, KindSeries, add_months
from tenants.models import Unit
from tests.tenants.factories import ContractFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

LAST = add_months(timezone.localdate().replace(day=1), -1)


@pytest.fixture
def flat():
    tenant = TenantFactory(first_name="Maria", last_name="Musterfrau")
    unit = UnitFactory(living_area=Decimal("60"))
    ContractFactory(partners=[tenant], unit=unit)
    meters = {
        kind: Meter.objects.create(
            unit=unit, kind=kind, serial=f"{kind}-{unit.pk}", measure_unit=measure
        )
        for kind, measure in (("heating", "kWh"), ("hot_water", "m3"), ("cold_water", "m3"))
    }
    return tenant, unit, meters


def values(meter, by_offset):
    """Readings `offset` months before the last month."""
    Reading.objects.bulk_create(
        Reading(meter=meter, month=add_months(LAST, -offset), value=Decimal(value))
        for offset, value in by_offset.items()
    )


def years_of(meter, years):
    values(meter, {offset: 100 + offset % 12 * 10 for offset in range(12 * years)})


# --- the chart -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(CHART_SIZES))
def test_chart_text_has_one_fixed_size_and_no_legend_or_title(client, flat, size):
    tenant, unit, meters = flat
    years_of(meters["heating"], 3)
    client.force_login(tenant.user)

    response = client.get(reverse("consumption:chart", args=[unit.pk, "heating"]), {"size": size})

    svg = response.content.decode()
    shape = CHART_SIZES[size]
    assert f'width="{shape.width}"' in svg and f'viewBox="0 0 {shape.width} {shape.height}"' in svg
    assert set(re.findall(r"font-size:\s*(\d+(?:\.\d+)?)px", svg)) == {str(shape.font_size)}
    # The legend, the title and the unit are HTML beside the image, where they can wrap.
    assert 'class="legends"' not in svg and 'class="title"' not in svg
    assert "Vorjahr" not in svg and "kWh" not in svg and "Musterfrau" not in svg
    assert "<script" not in svg
    assert response["Cache-Control"] == "private, max-age=300"


def test_each_chart_size_keeps_its_text_at_12_px_or_more_where_it_is_shown():
    for key, shape in CHART_SIZES.items():
        assert smallest_text_px(key) >= 12, key
        assert shape.font_size <= 15  # never the library's huge default on a desktop
    # The phone drawing at 390 px, measured in Chromium: 325 px wide, so 13.4 px text.
    phone = CHART_SIZES["s"]
    assert phone.font_size * (390 - phone.gutter) / phone.width >= 13


def test_an_unknown_chart_size_is_not_found(client, flat):
    tenant, unit, meters = flat
    years_of(meters["heating"], 1)
    client.force_login(tenant.user)

    url = reverse("consumption:chart", args=[unit.pk, "heating"])
    assert client.get(url, {"size": "xxl"}).status_code == 404


def test_page_offers_each_chart_size_and_a_legend_in_html(client, flat):
    tenant, unit, meters = flat
    years_of(meters["heating"], 3)
    client.force_login(tenant.user)

    html = client.get(reverse("consumption:index")).content.decode()

    url = reverse("consumption:chart", args=[unit.pk, "heating"])
    for key, shape in CHART_SIZES.items():
        assert f"{url}?size={key}" in html
        if shape.media:
            assert f'media="{shape.media}"' in html
    legend = html.split('class="chart-legend"')[1].split("</ul>")[0]
    assert "Verbrauch" in legend and "Gleicher Monat im Vorjahr" in legend
    assert "Die letzten 24 Monate in kWh" in html


# --- colours: the season is neutral, the year before is rated --------------------------------


def test_month_on_month_is_neutral_and_the_year_before_is_rated():
    autumn_rise = Comparison.between(Decimal("545"), Decimal("235"))  # +132 %: October
    assert comparison_tone(autumn_rise, rated=False) == NEUTRAL
    assert comparison_tone(Comparison.between(Decimal("75"), Decimal("100")), rated=True) == BETTER
    assert comparison_tone(Comparison.between(Decimal("105"), Decimal("100")), rated=True) == WORSE
    assert comparison_tone(Comparison.between(Decimal("100.2"), Decimal("100")), rated=True) == (
        NEUTRAL  # rounds to 0 %
    )
    assert comparison_tone(Comparison.between(Decimal("5"), None), rated=True) == NEUTRAL
    assert comparison_tone(Comparison.between(Decimal("5"), Decimal("0")), rated=True) == WORSE
    assert comparison_tone(None, rated=True) == NEUTRAL


def test_a_rounded_zero_is_not_minus_zero():
    assert str(Comparison.between(Decimal("99.8"), Decimal("100")).percent) == "0"


def test_page_colours_the_year_before_but_not_the_previous_month(client, flat):
    tenant, _unit, meters = flat
    values(meters["heating"], {0: 545, 1: 235, 12: 650, 13: 200})
    client.force_login(tenant.user)

    html = client.get(reverse("consumption:index")).content.decode()

    assert '<span class="delta delta-neutral">+132 %</span>' in html  # the previous month
    assert '<span class="delta delta-better">-16 %</span>' in html  # the same month last year
    # The table rates each month against the year before: September used more.
    assert '<span class="delta delta-worse">+18 %</span>' in html
    assert "<table" in html and 'scope="row"' in html


# --- the start page card ---------------------------------------------------------------------


def test_card_shows_each_kind_with_its_trend_and_the_year_before(client, flat):
    tenant, _unit, meters = flat
    values(meters["heating"], {0: 300, 1: 150, 2: 90, 12: 400})
    values(meters["hot_water"], {0: "2.2", 12: "2"})
    values(meters["cold_water"], {0: "4.5"})
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    card = html.split('id="card-consumption"')[1].split("</section>")[0]
    assert "Heizung" in card and "300 kWh" in card
    assert "25 % weniger als im Vorjahresmonat" in card
    assert "Warmwasser" in card and "2,2 m³" in card and "10 % mehr als im Vorjahresmonat" in card
    assert "Kaltwasser" in card and "kein Wert für den Vorjahresmonat" in card
    assert card.count('class="spark-latest"') == 3
    assert card.count('class="spark-bar"') == 2 + 0 + 0  # heating's two earlier months
    assert 'style="' not in card  # CSP: no inline styles
    assert reverse("consumption:index") in card


def test_card_bars_scale_to_the_highest_month_and_leave_gaps():
    series = KindSeries(
        kind="heating",
        unit_label="kWh",
        values={LAST: Decimal("50"), add_months(LAST, -2): Decimal("200")},
    )
    series.compute()

    bars = spark_bars(series)

    assert [b.latest for b in bars] == [False, True]
    assert bars[0].height == 32 and bars[1].height == 8  # 200 is full height, 50 a quarter
    assert bars[1].x - bars[0].x == 2 * 11  # the missing month between them is a gap


def test_card_waits_for_values_when_meters_have_none_yet(client, flat):
    tenant, _unit, _meters = flat
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    card = html.split('id="card-consumption"')[1].split("</section>")[0]
    assert "Noch keine Werte erfasst" in card and '<svg class="spark"' not in card


def test_card_explains_a_flat_without_remote_meters(client):
    tenant = TenantFactory()
    unit = UnitFactory()
    ContractFactory(partners=[tenant], unit=unit)
    Meter.objects.create(
        unit=unit, kind="heating", serial="OLD-1", measure_unit="kWh", remote=False
    )
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    assert "keine fernauslesbaren Zähler" in html.split('id="card-consumption"')[1]


def test_card_is_hidden_for_a_parking_space_only():
    tenant = TenantFactory()
    ContractFactory(partners=[tenant], unit=UnitFactory(kind=Unit.Kind.PARKING))

    assert consumption_card(None, tenant) is None


def test_card_shows_only_the_tenants_own_flat(client, flat):
    _tenant, _unit, meters = flat
    values(meters["heating"], {0: 300})
    stranger = TenantFactory()
    ContractFactory(partners=[stranger])
    client.force_login(stranger.user)

    html = client.get(reverse("tenants:home")).content.decode()

    assert "300 kWh" not in html


def test_card_queries_do_not_grow_with_years_of_data(count_queries):
    counts = []
    for years in (1, 10):
        tenant = TenantFactory()
        unit = UnitFactory(living_area=Decimal("50"))
        ContractFactory(partners=[tenant], unit=unit)
        for kind, measure in (("heating", "kWh"), ("hot_water", "m3"), ("cold_water", "m3")):
            meter = Meter.objects.create(
                unit=unit, kind=kind, serial=f"{kind}-{tenant.pk}", measure_unit=measure
            )
            years_of(meter, years)
        counts.append(count_queries(lambda t=tenant: consumption_card(None, t)))

    assert counts == [CARD_QUERIES, CARD_QUERIES]


CARD_QUERIES = 4  # tenancies, meters, readings, benchmarks
