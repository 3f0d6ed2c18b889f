"""The consumption import's two paths read every hostile line alike.

On PostgreSQL the import checks in SQL (consumption/importing.py); `consumption_validate` is the
Python path SQLite uses. Each test runs a file through the database's import and compares it with
the Python path: the same counts, the same examples (line numbers, reason texts), the same values
stored. On SQLite both are the Python path, and the explicit expectations still apply.
"""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from consumption import importing
from consumption.models import ImportRun, Meter, Reading
from consumption.selectors import add_months
from consumption.services import (
    ConsumptionImportError,
    ImportReport,
    _decoded_lines,
    consumption_import_file,
    consumption_import_text,
    consumption_validate,
)
from tests.tenants.factories import UnitFactory

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)
LAST = add_months(THIS_MONTH, -1)
L = f"{LAST:%Y-%m}"
M = [f"{add_months(LAST, -i):%Y-%m}" for i in range(40)]  # M[0] == L, distinct past months
M1 = add_months(LAST, -1)


@pytest.fixture
def meters():
    unit = UnitFactory(living_area=Decimal("60"))
    Meter.objects.create(unit=unit, kind="heating", serial="HZ-1", measure_unit="kWh")
    Meter.objects.create(unit=unit, kind="hot_water", serial="WW-1", measure_unit="m3")
    Meter.objects.create(
        unit=unit, kind="heating", serial="HKV-1", measure_unit="HKV", kwh_factor=Decimal("7.5")
    )
    Meter.objects.create(unit=unit, kind="cold_water", serial="K\\1", measure_unit="m3")


# (line, what the Python path makes of it) – a month is used once per meter unless the row
# is about duplicates, so that every line's own fate shows.
HOSTILE = [
    (f"HZ-1;{M[1]};300;kWh", "good"),
    (f"HZ-1;{M[2]};300;kWh\r", "good, CRLF"),
    (f" \tWW-1 ; {M[1]} ;\t2,5 ; M3 ", "good, spaces, tab, comma, upper case"),
    (f'"HZ-1";"{M[3]}";"12";"kWh"', "good, quoted"),
    (f'"HZ;1";{M[4]};3;kWh', "unknown meter with a quoted ;"),
    (f'"HZ-1;{M[5]};3;kWh', "unclosed quote"),
    (f"HZ-1\x00;{M[6]};3;kWh", "NUL"),
    (f"K\\1;{M[1]};3;m3", "good, backslash in the serial"),
    ("\\N", "COPY's NULL"),
    ("\\.", "COPY's end marker"),
    (f"HZ-1;{M[7]};3\t;kWh", "good, tab before ;"),
    (f"HZ\t-1;{M[8]};3;kWh", "tab inside the serial"),
    (f"HZ-1;{M[9]};{'1' * 140_000};kWh", "140 KB field"),
    ("", "empty line"),
    (";;;", "empty fields"),
    (f"HZ-1;{'٢٠١٩'}-{'٠١'};5;kWh", "Arabic-Indic digits: Python's int reads 2019-01"),
    (f"HZ-1;2_0{M[10][2:4]}-{M[10][5:]};5;kWh", "underscore in the year"),
    (f"HZ-1;{M[11]};1_0;kWh", "underscore in the value"),
    (f"HZ-1;{M[12]};1.0005;kWh", "half to even: 1.000"),
    (f"HZ-1;{M[13]};1.0015;kWh", "half to even: 1.002"),
    (f"HZ-1;{M[14]};1,00251;kWh", "more than half: 1.003"),
    (f"HZ-1;{M[15]};-0.0004;kWh", "rounds to zero: good"),
    (f"HZ-1;{M[16]};-0.0005;kWh", "rounds to zero (half to even): good"),
    (f"HZ-1;{M[17]};-0.0015;kWh", "rounds to -0.002: negative"),
    (f"HZ-1;{M[18]};2.5e1;kWh", "exponent: 25"),
    (f"HZ-1;{M[19]};.5;kWh", "good, .5"),
    (f"HZ-1;{M[20]};5.;kWh", "good, 5."),
    (f"HZ-1;{M[21]};+7;kWh", "good, +7"),
    (f"HZ-1;{M[22]};NaN;kWh", "NaN"),
    (f"HZ-1;{M[22]};Infinity;kWh", "Infinity"),
    (f"HZ-1;{M[22]};1e30;kWh", "1e30"),
    (f"HZ-1;{M[22]};12345678901234567890123456;kWh", "26 digits"),
    (f"HZ-1;{M[22]};1234567890123456;kWh", "16 digits: implausible"),
    (f"HZ-1;{M[22]};1,000,5;kWh", "two commas"),
    (f"HZ-1;{M[22]};1 000;kWh", "space inside the value"),
    (f"HZ-1;{M[23][:5]}{int(M[23][5:])};4;kWh", "month without leading zero: good"),
    ("HZ-1;0000-01;4;kWh", "year 0"),
    (f"HZ-1;{M[24][:4]}-13;4;kWh", "month 13"),
    ("HZ-1;1999-12;4;kWh", "before 2000"),
    ("HZ-1;0001-01;4;kWh", "year 1"),
    ("HZ-1;99999-01;4;kWh", "year 99999"),
    (f"HZ-1;{THIS_MONTH:%Y-%m};4;kWh", "this month: future"),
    (f"HZ-1;+{M[25]};4;kWh", "plus sign in the month: good"),
    (f"HZ-1;{M[26]};4;KWH", "good, KWH"),
    (f"WW-1;{M[2]};4;m³", "good, m³"),
    (f"WW-1;{M[3]};4;M³", "good, M³"),
    (f"HZ-1;{M[27]};4;\u212awh", "Kelvin sign: lower() gives kwh"),
    (f"HZ-1;{M[28]};4;Wh", "unknown unit"),
    (f"HZ-1\xa0;{M[29]};4;kWh", "no-break space after the serial: good"),
    (f"HZ-1\r;{M[30]};4;kWh", "CR inside the line"),
    (f"hz-1;{M[31]};4;kWh", "serial in other case: unknown"),
    (f"XX-9;{M[31]};4;kWh", "unknown meter"),
    (f"WW-1;{M[4]};4;kWh", "wrong unit"),
    (f"HZ-1;{M[32]};-5;kWh", "negative"),
    (f"HZ-1;{M[33]};6001;kWh", "implausible"),
    (f"HZ-1;{M[33]};6000;kWh", "at the limit: good"),
    (f"HKV-1;{M[1]};801;HKV", "801 × 7.5 > 6000: implausible"),
    (f"HKV-1;{M[1]};800;HKV", "800 × 7.5 = 6000: good"),
    (f"HZ-1;{M[1]};301;kWh", "duplicate of line 1's month"),
    (f"HZ-1;{M[34]};-1;kWh", "negative, its month then comes good"),
    (f"HZ-1;{M[34]};11;kWh", "good: the first good row of the month"),
    (f"HZ-1;{M[34]};12;kWh", "duplicate"),
    (f"HZ-1;{M[35]};1;kWh;", "five fields"),
    (f"HZ-1;{M[35]};1", "three fields"),
    ("x" * 1001, "over-long line"),
    (f"{'A' * 950};{M[35]};1;kWh", "long but under the limit: unknown meter, text cut"),
    (f"HZ-1;{M[36][:4]}-{'9' * 20};1;kWh", "a month of 20 digits"),
    (f'"HZ-1"\r;{M[36]};1;kWh', "a quoted field, then a CR inside the line"),
]


@pytest.fixture(autouse=True)
def sql_path_used(monkeypatch):
    """On PostgreSQL every import here must go through the SQL path."""
    calls = []
    staged = importing.import_staged

    def spy(**kwargs):
        calls.append(1)
        return staged(**kwargs)

    monkeypatch.setattr(importing, "import_staged", spy)
    yield
    assert bool(calls) == (connection.vendor == "postgresql")


def _python_path(lines):
    report = ImportReport()
    good = consumption_validate(lines, report)
    return report, good


def _same(report, expected_report, good):
    assert report.rows == expected_report.rows
    assert report.accepted == expected_report.accepted
    assert dict(report.rejected) == dict(expected_report.rejected)
    assert report.examples == expected_report.examples
    stored = {(r.meter_id, r.month): r.value for r in Reading.objects.all()}
    assert stored == good


@pytest.mark.parametrize("header", ["meter;month;value;unit", "Zähler;Monat;Wert;Einheit", None])
def test_hostile_rows_read_alike_on_both_paths(meters, header):
    lines = [line for line, _why in HOSTILE]
    text = "\n".join(([header] if header else []) + lines)
    expected, good = _python_path(io.StringIO(text))

    report = consumption_import_text(text=text, notify=False)

    _same(report, expected, good)
    start = 2 if header else 1
    assert report.rows == len(HOSTILE)
    assert dict(report.rejected) == {
        "format": 21,
        "unknown_meter": 6,
        "wrong_unit": 1,
        "negative": 3,
        "implausible": 3,
        "future": 1,
        "too_old": 2,
        "duplicate": 2,
    }
    assert report.accepted == len(HOSTILE) - 39
    assert report.examples[0] == (
        f"line {start + 4}: unknown meter: HZ;1;{M[4]};3;kWh"  # the fields, joined
    )
    assert report.examples[1] == f"line {start + 5}: line not in the format meter;month;value;" + (
        f'unit: "HZ-1;{M[5]};3;kWh'
    )
    assert report.examples[2] == f"line {start + 6}: unknown meter: HZ-1\ufffd;{M[6]};3;kWh"
    assert len(report.examples[-1]) < 300
    heating = Meter.objects.get(serial="HZ-1")
    values = dict(Reading.objects.filter(meter=heating).values_list("month", "value"))
    assert [values[add_months(LAST, -i)] for i in (12, 13, 14, 15, 16, 18, 34)] == [
        Decimal("1.000"),
        Decimal("1.002"),
        Decimal("1.003"),
        Decimal("0"),
        Decimal("0"),
        Decimal("25"),
        Decimal("11"),
    ]
    run = ImportRun.objects.get()
    assert (run.rows, run.accepted, run.rejected) == (report.rows, report.accepted, 39)
    assert run.report == {"rejected": dict(report.rejected), "examples": report.examples}


def test_a_file_with_bom_crlf_and_hostile_rows_reads_alike(meters, tmp_path):
    body = "\r\n".join(["meter;month;value;unit"] + [line for line, _why in HOSTILE]) + "\r\n"
    path = tmp_path / "werte.csv"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    with path.open("rb") as handle:
        expected, good = _python_path(_decoded_lines(handle))

    report = consumption_import_file(path=path, notify=False)

    _same(report, expected, good)
    assert report.rows == len(HOSTILE) and report.rejected_total == 39


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_chunks_split_lines_anywhere(meters, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(importing, "CHUNK", chunk)
    monkeypatch.setattr(importing, "FALLBACK_BATCH", 3)
    lines = [line for line, _why in HOSTILE[:30]]
    path = tmp_path / "werte.csv"
    path.write_text("meter;month;value;unit\n" + "\n".join(lines), encoding="utf-8")  # no final LF
    with path.open("rb") as handle:
        expected, good = _python_path(_decoded_lines(handle))

    report = consumption_import_file(path=path, notify=False)

    _same(report, expected, good)


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_the_line_that_is_not_utf8_is_named_on_both_paths(meters, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(importing, "CHUNK", chunk)
    path = tmp_path / "werte.csv"
    path.write_bytes(
        f"meter;month;value;unit\nHZ-1;{L};3;kWh\nWW-1;{L};2;m3\n".encode()
        + "Zähler-1;2025-01;2;m3\nHZ-1;2025-02;4;kWh\n".encode("latin-1")
    )

    with pytest.raises(ConsumptionImportError) as error:
        consumption_import_file(path=path)
    with path.open("rb") as handle, pytest.raises(ConsumptionImportError) as python_error:
        _python_path(_decoded_lines(handle))

    assert error.value.params == python_error.value.params == {"line": 4}
    assert not Reading.objects.exists() and not ImportRun.objects.exists()


def test_an_item_with_a_line_break_inside_stays_one_line(meters):
    lines = [f"HZ-1;{L};3;kWh\n", f"WW-1;{L}\n;2;m3\n", f"WW-1;{M[1]};2;m3"]
    expected, good = _python_path(lines)

    from consumption.services import consumption_import

    report = consumption_import(lines=lines, file_name="x.csv", notify=False)

    _same(report, expected, good)
    assert report.rows == 3 and report.accepted == 3  # the LF is stripped with the month


def test_sql_reads_plain_lines_itself_and_python_only_the_odd_ones(meters, monkeypatch, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads every line in Python")
    read = []
    parse = importing._parse_row
    monkeypatch.setattr(importing, "_parse_row", lambda line: read.append(line) or parse(line))
    odd = f'"HZ-1";{M[2]};12;kWh'
    lines = [f"HZ-1;{M[1]};300;kWh", f"WW-1;{M[1]};2,5;m3", odd, f"HKV-1;{M[1]};10;hkv"]
    lines += [f"WW-1;{M[2]};1.;M³", f"XX-9;{M[1]};1;kWh"]  # the last: no such meter
    path = tmp_path / "werte.csv"
    path.write_bytes("\r\n".join(["Zähler;Monat;Wert;Einheit", *lines]).encode() + b"\r\n")
    with path.open("rb") as handle:
        expected, good = _python_path(_decoded_lines(handle))

    report = consumption_import_file(path=path, notify=False)

    _same(report, expected, good)
    assert (report.accepted, dict(report.rejected)) == (5, {"unknown_meter": 1})
    assert report.examples == [f"line 7: unknown meter: XX-9;{M[1]};1;kWh"]
    # Python read the quoted line and the one SQL found no meter for (twice: its report text).
    assert sorted(line.rstrip("\r") for line in read) == sorted([odd, lines[-1], lines[-1]])


def test_empty_and_header_only_files(meters):
    for text in ("", "meter;month;value;unit\n", "\n"):
        expected, _good = _python_path(io.StringIO(text))
        report = consumption_import_text(text=text, notify=False)
        assert (report.rows, report.accepted, dict(report.rejected), report.examples) == (
            expected.rows,
            expected.accepted,
            dict(expected.rejected),
            expected.examples,
        )
    assert ImportRun.objects.count() == 3


def test_only_the_first_fifty_refusals_are_examples_and_counts_are_all(meters):
    text = "\n".join(f"XX-{i};{L};1;kWh" for i in range(120))
    expected, good = _python_path(io.StringIO(text))

    report = consumption_import_text(text=text, notify=False)

    _same(report, expected, good)
    assert report.rejected == {"unknown_meter": 120} and len(report.examples) == 50
    assert report.examples[-1] == f"line 50: unknown meter: XX-49;{L};1;kWh"


def test_re_import_changes_nothing_and_a_correction_replaces(meters):
    text = f"HZ-1;{L};300;kWh\nWW-1;{L};2;m3"
    consumption_import_text(text=text, notify=False)
    before = dict(Reading.objects.values_list("pk", "value"))

    again = consumption_import_text(text=text, notify=False)
    assert dict(Reading.objects.values_list("pk", "value")) == before and again.accepted == 2

    consumption_import_text(text=f"HZ-1;{L};310;kWh", notify=False)
    assert Reading.objects.get(meter__serial="HZ-1").value == Decimal("310")
    assert Reading.objects.get(meter__serial="WW-1").value == Decimal("2")


def test_progress_is_reported(meters):
    seen = []
    text = "\n".join(f"HZ-1;{M[i % 12]};1;kWh" for i in range(250_001))

    consumption_import_text(text=text, notify=False, progress=seen.append)

    assert seen == [100_000, 200_000]


def test_benchmarks_count_each_unit_s_area_once_and_allocators_in_kwh():
    from consumption.models import Benchmark

    first = UnitFactory(living_area=Decimal("50"))
    second = UnitFactory(property=first.property, living_area=Decimal("70"))
    no_area = UnitFactory(property=first.property, living_area=None)
    for serial, unit, measured, factor in [
        ("A-1", first, "kWh", "1"),
        ("A-2", first, "kWh", "1"),  # a second heating meter in the same flat
        ("B-1", second, "HKV", "2.5"),
        ("C-1", no_area, "kWh", "1"),
    ]:
        Meter.objects.create(
            unit=unit, kind="heating", serial=serial, measure_unit=measured, kwh_factor=factor
        )
    Meter.objects.create(
        unit=second, kind="heating", serial="OLD", measure_unit="kWh", remote=False
    )
    text = "\n".join(
        [
            f"A-1;{L};100;kWh",
            f"A-2;{L};20,5;kWh",
            f"B-1;{L};40;HKV",  # 100 kWh
            f"C-1;{L};999;kWh",  # no living area: not in the average
            f"OLD;{L};999;kWh",  # not remotely read: not in the average
            f"A-1;{M[1]};60;kWh",  # only the first flat that month
        ]
    )

    report = consumption_import_text(text=text, notify=False)

    assert report.accepted == 6
    per_m2 = dict(Benchmark.objects.values_list("month", "per_m2"))
    assert per_m2 == {
        LAST: Decimal("1.83750"),  # (100 + 20.5 + 100) / (50 + 70)
        add_months(LAST, -1): Decimal("1.20000"),  # 60 / 50
    }


def test_a_correction_refreshes_the_benchmark_and_a_re_import_keeps_it(meters):
    from consumption.models import Benchmark

    text = f"HZ-1;{L};300;kWh\nHZ-1;{M[1]};120;kWh"
    consumption_import_text(text=text, notify=False)
    assert dict(Benchmark.objects.values_list("month", "per_m2")) == {
        LAST: Decimal("5.00000"),  # 300 kWh / 60 m²
        M1: Decimal("2.00000"),
    }

    again = consumption_import_text(text=text, notify=False)  # nothing changes
    assert again.accepted == 2
    assert dict(Benchmark.objects.values_list("month", "per_m2")) == {
        LAST: Decimal("5.00000"),
        M1: Decimal("2.00000"),
    }

    consumption_import_text(text=f"HZ-1;{L};330;kWh\nHZ-1;{M[1]};120;kWh", notify=False)
    assert dict(Benchmark.objects.values_list("month", "per_m2")) == {
        LAST: Decimal("5.50000"),
        M1: Decimal("2.00000"),
    }


def test_the_first_of_two_rows_wins_also_over_a_stored_equal_value(meters):
    consumption_import_text(text=f"HZ-1;{L};300;kWh", notify=False)

    report = consumption_import_text(text=f"HZ-1;{L};300;kWh\nHZ-1;{L};310;kWh", notify=False)

    assert report.rejected == {"duplicate": 1} and report.accepted == 1
    assert Reading.objects.get().value == Decimal("300")


def test_months_on_the_same_bit_of_the_quick_duplicate_check_are_not_duplicates(meters):
    # 2000-01 and 2003-05 are 1216 days apart (19 × 64): the quick check is not sure, the exact
    # one finds no month twice.
    text = "HZ-1;2000-01;1;kWh\nHZ-1;2003-05;2;kWh\nHZ-1;2003-05;3;kWh"
    expected, good = _python_path(io.StringIO(text))

    report = consumption_import_text(text=text, notify=False)

    _same(report, expected, good)
    assert report.rejected == {"duplicate": 1} and report.accepted == 2
    report = consumption_import_text(text="HZ-1;2000-01;1;kWh\nHZ-1;2003-05;2;kWh", notify=False)
    assert dict(report.rejected) == {} and report.accepted == 2


def _stored():
    return {
        (serial, f"{month:%Y-%m}"): (value, imported_at)
        for serial, month, value, imported_at in Reading.objects.values_list(
            "meter__serial", "month", "value", "imported_at"
        )
    }


def _locked_or_updated() -> set[tuple[str, str]]:
    """The readings ON CONFLICT … DO UPDATE locked or updated (a row version with an xmax)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.serial, r.month FROM consumption_reading r "
            "JOIN consumption_meter m ON m.id = r.meter_id WHERE r.xmax <> '0'"
        )
        return {(serial, f"{month:%Y-%m}") for serial, month in cursor.fetchall()}


@pytest.mark.parametrize(
    ("stored_share", "left_out_first"),
    [
        pytest.param(30, True, id="mostly stored already: unchanged rows left out first"),
        pytest.param(3, False, id="mostly new: every row to the upsert"),
    ],
)
def test_a_file_with_stored_changed_and_new_rows(meters, stored_share, left_out_first):
    """Whichever way the upsert goes, the result is the same: new and changed rows stored."""
    first = [f"HZ-1;{M[i]};{100 + i};kWh" for i in range(stored_share)]
    consumption_import_text(text="\n".join(first), notify=False)
    before = _stored()
    lines = [*first[1:], f"HZ-1;{M[0]};999;kWh"]  # all stored rows but one, one changed …
    lines += [f"WW-1;{M[i]};{i + 1};m3" for i in range(12)]  # … and twelve new ones

    report = consumption_import_text(text="\n".join(lines), notify=False)

    assert (report.accepted, dict(report.rejected)) == (len(lines), {})
    after = _stored()
    assert {key: value for key, (value, _at) in after.items()} == {
        **{key: value for key, (value, _at) in before.items()},
        ("HZ-1", M[0]): Decimal("999"),
        **{("WW-1", M[i]): Decimal(i + 1) for i in range(12)},
    }
    assert after[("HZ-1", M[0])][1] > before[("HZ-1", M[0])][1]
    if connection.vendor == "postgresql":  # SQLite's upsert stamps every row it was given
        unchanged = {("HZ-1", M[i]) for i in range(1, stored_share)}
        assert all(after[key][1] == before[key][1] for key in unchanged)
        # The path the sample chose: unchanged rows untouched, or locked by ON CONFLICT.
        touched = _locked_or_updated() & unchanged
        assert touched == (set() if left_out_first else unchanged)


def test_the_import_leaves_the_caller_s_planner_settings_alone(meters):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # the session's own
        cursor.execute("SET LOCAL enable_nestloop = off")  # the transaction's own
        consumption_import_text(text=f"HZ-1;{L};300;kWh", notify=False)
        consumption_import_text(text=f"HZ-1;{L};300;kWh", notify=False)  # unchanged left out
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_nestloop'), "
            "current_setting('enable_hashjoin'), current_setting('enable_mergejoin')"
        )
        settings = cursor.fetchone()
        cursor.execute("RESET enable_seqscan")
    assert settings == ("off", "off", "on", "on")


def test_a_file_imported_again_writes_nothing_to_the_stored_readings(meters):
    """ON CONFLICT … DO UPDATE would lock (write) every row; the unchanged ones are left out."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    text = "\n".join(f"HZ-1;{M[i]};{i + 1};kWh" for i in range(24))
    consumption_import_text(text=text, notify=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM consumption_reading WHERE xmax <> '0'")
        assert cursor.fetchone() == (0,)

    again = consumption_import_text(text=text, notify=False)

    assert again.accepted == 24
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM consumption_reading WHERE xmax <> '0'")
        assert cursor.fetchone() == (0,)  # not locked, not updated: no row version written


@pytest.mark.django_db(transaction=True)
def test_imports_run_one_after_the_other(meters):
    """An import waits while another holds the import lock, so the last import wins."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer anyway")
    import threading

    import psycopg

    done = threading.Event()

    def second_import():
        try:
            consumption_import_text(text=f"HZ-1;{L};310;kWh", notify=False)
            done.set()
        finally:
            connection.close()

    with psycopg.connect(**connection.get_connection_params()) as first:  # an import under way
        first.execute("SELECT pg_advisory_xact_lock(%s)", [importing.IMPORT_LOCK])
        worker = threading.Thread(target=second_import)
        worker.start()
        assert not done.wait(1)  # waits for the first to end
    worker.join(10)

    assert done.is_set()
    assert Reading.objects.get().value == Decimal("310")
