import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from tenants.csv_export import csv_cell, csv_writer


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","y")',
        "+49 40 123456",
        "-2+3",
        "@SUM(1)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_starting_a_formula_gets_a_leading_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Maria Müller", "DE02100100100006820101", "1+1", "a=b", ""])
def test_plain_text_is_untouched(text):
    assert csv_cell(text) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-3, "-3"), (-3.5, "-3.5"), (Decimal("-3.500"), "-3.500"), (0, "0"), (42, "42")],
)
def test_real_numbers_are_not_mangled(value, expected):
    assert csv_cell(value) == expected


def test_none_is_an_empty_cell_and_other_values_become_text():
    assert csv_cell(None) == ""
    assert csv_cell(date(2026, 1, 31)) == "2026-01-31"
    assert csv_cell(gettext_lazy("=lazy")) == "'=lazy"


def test_writer_neutralises_every_cell_of_every_row():
    output = io.StringIO()
    writer = csv_writer(output)

    writer.writerow(["=1+1", "Müller", Decimal("-3.5"), None])
    writer.writerows([["@SUM(1)", -2], ["\tx", "-y"]])

    rows = list(csv.reader(io.StringIO(output.getvalue()), delimiter=";"))
    assert rows == [
        ["'=1+1", "Müller", "-3.5", ""],
        ["'@SUM(1)", "-2"],
        ["'\tx", "'-y"],
    ]


def test_writer_uses_semicolon_unless_told_otherwise():
    semicolon, comma = io.StringIO(), io.StringIO()

    csv_writer(semicolon).writerow(["a", "=b"])
    csv_writer(comma, delimiter=",").writerow(["a", "=b"])

    assert semicolon.getvalue() == "a;'=b\r\n"
    assert comma.getvalue() == "a,'=b\r\n"
