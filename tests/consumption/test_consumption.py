from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consumption.models import Benchmark, Meter, MonthlyNotice, Reading
from consumption.selectors import KindSeries, add_months, consumption_overview
from consumption.services import consumption_import_text
from tests.tenants.factories import ContractFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)
LAST = add_months(THIS_MONTH, -1)


@pytest.fixture
def flat():
    tenant = TenantFactory(first_name="Maria")
    unit = UnitFactory(living_area=Decimal("60"))
    ContractFactory(partners=[tenant], unit=unit)
    heating = Meter.objects.create(unit=unit, kind="heating", serial="HZ-1", measure_unit="kWh")
    water = Meter.objects.create(unit=unit, kind="hot_water", serial="WW-1", measure_unit="m3")
    return tenant, unit, heating, water


def csv(*rows):
    return "meter;month;value;unit\n" + "\n".join(";".join(map(str, r)) for r in rows)


def month(m):
    return f"{m:%Y-%m}"


def series_of(tenant, kind="heating"):
    return consumption_overview(tenant=tenant)[0].kinds[kind]


def test_comparisons_with_previous_month_year_and_average(flat):
    tenant, unit, _heating, _ = flat
    neighbour = UnitFactory(property=unit.property, living_area=Decimal("40"))
    Meter.objects.create(unit=neighbour, kind="heating", serial="HZ-2", measure_unit="kWh")
    consumption_import_text(
        text=csv(
            ("HZ-1", month(LAST), "300", "kWh"),
            ("HZ-1", month(add_months(LAST, -1)), "250", "kWh"),
            ("HZ-1", month(add_months(LAST, -12)), "400", "kWh"),
            ("HZ-2", month(LAST), "100", "kWh"),
        )
    )

    series = series_of(tenant)

    assert series.month == LAST and series.current == Decimal("300")
    assert series.previous_month.percent == Decimal("20")
    assert series.previous_year.percent == Decimal("-25")
    # average per m²: (300 + 100) / (60 + 40) = 4 kWh/m² → 240 kWh for this 60 m² flat
    assert series.average_user.other == Decimal("240.0")
    assert series.average_user.percent == Decimal("25")


def test_missing_months_stay_missing_and_zero_is_a_value(flat):
    tenant, _, _, _water = flat
    consumption_import_text(
        text=csv(("WW-1", month(LAST), "0", "m3"), ("WW-1", month(add_months(LAST, -2)), "2", "m3"))
    )

    series = series_of(tenant, "hot_water")

    assert series.current == Decimal("0")
    assert series.previous_month.other is None  # missing, not zero
    assert series.previous_year.other is None
    rows = dict((m, v) for m, v, _ in series.rows())
    assert rows[add_months(LAST, -1)] is None and rows[LAST] == Decimal("0")


def test_zero_previous_value_gives_a_difference_not_a_percentage():
    series = KindSeries(
        kind="heating",
        unit_label="kWh",
        values={LAST: Decimal("10"), add_months(LAST, -1): Decimal("0")},
    )
    series.compute()
    assert series.previous_month.percent is None and series.previous_month.difference == Decimal(
        "10"
    )


def test_heat_cost_allocator_units_are_shown_in_kwh(flat):
    tenant, _unit, heating, _ = flat
    heating.measure_unit, heating.kwh_factor = "HKV", Decimal("7.5")
    heating.save()
    consumption_import_text(text=csv(("HZ-1", month(LAST), "40", "HKV")))

    assert series_of(tenant).current == Decimal("300.0")


def test_unit_without_remote_meters_gets_an_explanation(client):
    tenant = TenantFactory()
    unit = UnitFactory()
    ContractFactory(partners=[tenant], unit=unit)
    Meter.objects.create(
        unit=unit, kind="heating", serial="ALT-1", measure_unit="kWh", remote=False
    )
    client.force_login(tenant.user)

    html = client.get(reverse("consumption:index")).content.decode()

    assert "keine fernauslesbaren Zähler" in html


def test_import_report_keeps_good_rows_and_refuses_bad_ones(flat):
    _tenant, _, heating, water = flat
    future = THIS_MONTH  # not over yet
    report = consumption_import_text(
        text=csv(
            ("HZ-1", month(LAST), "300", "kWh"),  # good
            ("WW-1", month(LAST), "2,5", "m3"),  # good, decimal comma
            ("XX-9", month(LAST), "1", "kWh"),  # unknown meter
            ("HZ-1", month(add_months(LAST, -1)), "-5", "kWh"),  # negative
            ("HZ-1", month(add_months(LAST, -2)), "999999", "kWh"),  # implausible
            ("HZ-1", month(LAST), "301", "kWh"),  # duplicate
            ("WW-1", month(add_months(LAST, -1)), "3", "kWh"),  # wrong unit
            ("HZ-1", month(future), "10", "kWh"),  # future
            ("HZ-1", "Oktober", "10", "kWh"),  # format
        )
    )

    assert report.rows == 9 and report.accepted == 2
    assert dict(report.rejected) == {
        "unknown_meter": 1,
        "negative": 1,
        "implausible": 1,
        "duplicate": 1,
        "wrong_unit": 1,
        "future": 1,
        "format": 1,
    }
    assert Reading.objects.get(meter=heating).value == Decimal("300")
    assert Reading.objects.get(meter=water).value == Decimal("2.5")
    assert any("line 4" in example for example in report.examples)


def test_import_is_idempotent_and_corrections_replace(flat, tmp_path, capsys):
    _tenant, _, _heating, _ = flat
    path = tmp_path / "werte.csv"
    path.write_text(csv(("HZ-1", month(LAST), "300", "kWh")), encoding="utf-8")

    call_command("import_consumption", str(path))
    call_command("import_consumption", str(path))
    assert Reading.objects.count() == 1
    assert "1 accepted" in capsys.readouterr().out

    path.write_text(csv(("HZ-1", month(LAST), "310", "kWh")), encoding="utf-8")
    call_command("import_consumption", str(path))
    assert Reading.objects.get().value == Decimal("310")


def test_monthly_notice_is_sent_once(flat, django_capture_on_commit_callbacks):
    tenant, _, _, _ = flat
    earlier, before = add_months(LAST, -1), add_months(LAST, -2)
    with django_capture_on_commit_callbacks(execute=True):
        consumption_import_text(
            text=csv(("HZ-1", month(earlier), "300", "kWh"), ("HZ-1", month(before), "200", "kWh"))
        )
    with django_capture_on_commit_callbacks(execute=True):
        consumption_import_text(text=csv(("WW-1", month(earlier), "2", "m3")))

    assert [m.to for m in mail.outbox] == [[tenant.user.email]]  # one mail, for the newest month
    assert MonthlyNotice.objects.get().month == earlier
    with django_capture_on_commit_callbacks(execute=True):
        consumption_import_text(text=csv(("HZ-1", month(LAST), "50", "kWh")))
    assert len(mail.outbox) == 2  # a new month: a new notice


def test_tenant_without_account_gets_no_mail(django_capture_on_commit_callbacks):
    tenant = TenantFactory(user=None)
    unit = UnitFactory()
    ContractFactory(partners=[tenant], unit=unit)
    Meter.objects.create(unit=unit, kind="heating", serial="HZ-9", measure_unit="kWh")

    with django_capture_on_commit_callbacks(execute=True):
        consumption_import_text(text=csv(("HZ-9", month(LAST), "300", "kWh")))

    assert mail.outbox == []


def test_imported_benchmark_is_not_overwritten(flat):
    tenant, unit, _, _ = flat
    Benchmark.objects.create(
        property=unit.property, month=LAST, kind="heating", per_m2=Decimal("3"), source="imported"
    )
    consumption_import_text(text=csv(("HZ-1", month(LAST), "300", "kWh")))

    assert Benchmark.objects.get().per_m2 == Decimal("3")
    assert series_of(tenant).average_user.other == Decimal("180.0")


def test_page_shows_sentence_chart_table_and_csv(client, flat):
    tenant, unit, _, _ = flat
    consumption_import_text(
        text=csv(
            ("HZ-1", month(LAST), "300", "kWh"),
            ("HZ-1", month(add_months(LAST, -12)), "400", "kWh"),
        )
    )
    client.force_login(tenant.user)

    html = client.get(reverse("consumption:index")).content.decode()
    assert "25 % weniger geheizt" in html
    chart_url = reverse("consumption:chart", args=[unit.pk, "heating"])
    assert chart_url in html and "<table" in html

    svg = client.get(chart_url)
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content and b"<script" not in svg.content
    exported = client.get(reverse("consumption:export")).content.decode("utf-8-sig")
    assert f"{LAST:%Y-%m};Heizung;HZ-1;300,000;kWh" in exported


def test_access_table(client, flat):
    tenant, unit, _, _ = flat
    consumption_import_text(text=csv(("HZ-1", month(LAST), "300", "kWh")))
    urls = [
        reverse("consumption:index"),
        reverse("consumption:chart", args=[unit.pk, "heating"]) + "?size=s",
        reverse("consumption:export"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(tenant.user)
    for url in urls:
        assert client.get(url).status_code == 200
    stranger = TenantFactory()
    ContractFactory(partners=[stranger])
    client.force_login(stranger.user)
    assert client.get(urls[1]).status_code == 404
    assert "HZ-1" not in client.get(urls[2]).content.decode("utf-8-sig")
    assert "300" not in client.get(urls[0]).content.decode().split("<main")[1]


def test_query_count_does_not_grow_with_years_of_data(client, count_queries):
    def tenant_with_years(years):
        tenant = TenantFactory()
        unit = UnitFactory(living_area=Decimal("50"))
        ContractFactory(partners=[tenant], unit=unit)
        meters = [
            Meter.objects.create(unit=unit, kind=k, serial=f"{k}-{tenant.pk}", measure_unit=u)
            for k, u in (("heating", "kWh"), ("hot_water", "m3"), ("cold_water", "m3"))
        ]
        Reading.objects.bulk_create(
            Reading(meter=m, month=add_months(LAST, -i), value=Decimal(i + 1))
            for m in meters
            for i in range(12 * years)
        )
        return tenant, unit

    counts = []
    for years in (3, 30):
        tenant, unit = tenant_with_years(years)
        client.force_login(tenant.user)
        counts.append(
            (
                count_queries(lambda: client.get(reverse("consumption:index"))),
                count_queries(
                    lambda u=unit: client.get(reverse("consumption:chart", args=[u.pk, "heating"]))
                ),
            )
        )
    assert counts[0] == counts[1]


def test_seed_demo_gives_three_years_for_all_kinds():
    call_command("seed_demo", verbosity=0)

    meter = Meter.objects.get(serial="HZ-W02")
    months = Reading.objects.filter(meter=meter).count()
    assert months == 36
    winter = Reading.objects.get(meter=meter, month=date(LAST.year - 1, 1, 1)).value
    summer = Reading.objects.get(meter=meter, month=date(LAST.year - 1, 7, 1)).value
    assert winter > 5 * summer  # a seasonal heating curve
    assert Reading.objects.filter(meter__serial="KW-W02").count() == 36


def test_a_tenant_sees_only_months_of_their_own_tenancy(client, flat):
    from datetime import timedelta

    tenant, unit, _, _ = flat
    moved_in = add_months(LAST, -1)
    contract = tenant.contracts.get()
    contract.start_date = moved_in
    contract.save()
    before = TenantFactory()  # the previous household
    ContractFactory(
        partners=[before],
        unit=unit,
        start_date=date(2019, 1, 1),
        end_date=moved_in - timedelta(days=1),
    )
    future = TenantFactory()  # signed, not moved in yet
    ContractFactory(
        partners=[future], unit=unit, start_date=timezone.localdate() + timedelta(days=40)
    )
    consumption_import_text(
        text=csv(
            ("HZ-1", month(LAST), "300", "kWh"),
            ("HZ-1", month(moved_in), "280", "kWh"),
            ("HZ-1", month(add_months(LAST, -2)), "777", "kWh"),  # the previous household's
        )
    )

    assert series_of(tenant).previous_month.other == Decimal("280")
    assert add_months(LAST, -2) not in series_of(tenant).values
    client.force_login(tenant.user)
    assert "777" not in client.get(reverse("consumption:export")).content.decode("utf-8-sig")
    # The previous household has moved out: they still see their own months, up to the end.
    [theirs] = consumption_overview(tenant=before)
    assert theirs.kinds["heating"].values == {add_months(LAST, -2): Decimal("777")}
    client.force_login(future.user)
    assert "300" not in client.get(reverse("consumption:export")).content.decode("utf-8-sig")
    assert client.get(reverse("consumption:chart", args=[unit.pk, "heating"])).status_code == 404


def test_not_a_number_is_refused_not_a_crash(flat):
    report = consumption_import_text(
        text=csv(("HZ-1", month(LAST), "NaN", "kWh"), ("WW-1", month(LAST), "2", "m3"))
    )
    assert report.accepted == 1 and report.rejected["format"] == 1


def test_a_month_counts_only_when_every_meter_reported(flat):
    tenant, unit, _, _ = flat
    Meter.objects.create(unit=unit, kind="heating", serial="HZ-1b", measure_unit="kWh")
    consumption_import_text(
        text=csv(
            ("HZ-1", month(LAST), "100", "kWh"),
            ("HZ-1", month(add_months(LAST, -1)), "100", "kWh"),
            ("HZ-1b", month(add_months(LAST, -1)), "50", "kWh"),
        )
    )

    series = series_of(tenant)
    assert series.month == add_months(LAST, -1) and series.current == Decimal("150")


def test_old_non_remote_meters_do_not_distort_the_average(flat):
    tenant, unit, _, _ = flat
    Meter.objects.create(
        unit=unit, kind="heating", serial="ALT-9", measure_unit="kWh", remote=False
    )
    consumption_import_text(
        text=csv(("HZ-1", month(LAST), "120", "kWh"), ("ALT-9", month(LAST), "500", "kWh"))
    )

    assert Benchmark.objects.get().per_m2 == Decimal("2.00000")  # 120 kWh / 60 m²
    assert series_of(tenant).average_user.other == Decimal("120.0")


def test_start_page_shows_the_newest_heating_figure(client, flat):
    tenant, _, _, _ = flat
    consumption_import_text(
        text=csv(
            ("HZ-1", month(LAST), "300", "kWh"),
            ("HZ-1", month(add_months(LAST, -12)), "400", "kWh"),
        )
    )
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    assert "300 kWh" in html and "25 % weniger als im Vorjahresmonat" in html
    other = TenantFactory()
    client.force_login(other.user)
    assert 'id="card-consumption"' not in client.get(reverse("tenants:home")).content.decode()


def test_export_neutralises_a_meter_serial_that_is_a_formula(client, flat):
    import csv as stdlib_csv  # the module's csv() helper builds import files
    import io

    tenant, unit, _, _ = flat
    meter = Meter.objects.create(
        unit=unit, kind="cold_water", serial='=HYPERLINK("http://x","y")', measure_unit="m3"
    )
    Reading.objects.create(meter=meter, month=LAST, value=Decimal("3.5"))
    client.force_login(tenant.user)

    exported = client.get(reverse("consumption:export")).content.decode("utf-8-sig")

    rows = list(stdlib_csv.reader(io.StringIO(exported), delimiter=";"))
    water = [row for row in rows if row[1] == "Kaltwasser"]
    assert water == [[f"{LAST:%Y-%m}", "Kaltwasser", '\'=HYPERLINK("http://x","y")', "3,500", "m³"]]


@pytest.mark.parametrize(
    "value",
    ["1e30", "-1e30", "1e999999999", "12345678901234567890123456", "99999999999"],
    ids=["exponent", "negative-exponent", "huge-exponent", "26-digits", "too-many-digits"],
)
def test_an_absurd_number_is_a_refused_row_not_a_crash(flat, value):
    report = consumption_import_text(
        text=csv(("HZ-1", month(LAST), value, "kWh"), ("WW-1", month(LAST), "2", "m3"))
    )

    assert report.rows == 2 and report.accepted == 1 and report.rejected_total == 1
    assert report.examples[0].startswith("line 2: ")
    assert Reading.objects.count() == 1


def test_a_140_kb_field_is_a_refused_row_not_a_crash(flat):
    report = consumption_import_text(
        text=csv(
            ("HZ-1", month(LAST), "1" * 140_000, "kWh"),
            ('"HZ-1', month(LAST), "3", "kWh"),  # an unclosed quote must not swallow the rest
            ("WW-1", month(LAST), "2", "m3"),
        )
    )

    assert report.rows == 3 and report.accepted == 1
    assert report.rejected["format"] == 2
    assert report.examples[0].startswith("line 2: ") and len(report.examples[0]) < 300
    assert report.examples[1].startswith("line 3: ")


@pytest.mark.parametrize("text", ["0001-01", "1999-12", "99999-01"])
def test_a_month_before_2000_is_refused(flat, text):
    report = consumption_import_text(
        text=csv(("HZ-1", text, "300", "kWh"), ("WW-1", month(LAST), "2", "m3"))
    )

    assert report.accepted == 1 and report.rejected_total == 1
    assert "line 2: " in report.examples[0]
    assert not Reading.objects.filter(month__lt=date(2000, 1, 1)).exists()


def test_a_month_after_the_current_one_is_refused(flat):
    report = consumption_import_text(text=csv(("HZ-1", month(add_months(LAST, 14)), "3", "kWh")))

    assert report.accepted == 0 and report.rejected["future"] == 1


def test_a_latin_1_file_is_one_clear_error_not_a_traceback(flat, tmp_path):
    from django.core.management.base import CommandError
    from django.utils import translation

    path = tmp_path / "werte.csv"
    path.write_bytes(
        csv(("HZ-1", month(LAST), "300", "kWh"), ("Zähler-1", month(LAST), "2", "m3")).encode(
            "latin-1"
        )
    )

    with translation.override("de"), pytest.raises(CommandError) as german:
        call_command("import_consumption", str(path))
    with translation.override("en"), pytest.raises(CommandError) as english:
        call_command("import_consumption", str(path))

    assert "UTF-8" in str(german.value) and "Zeile 3" in str(german.value)
    assert "UTF-8" in str(english.value) and "line 3" in str(english.value)
    assert Reading.objects.count() == 0  # nothing of a half-read file is stored
