"""The one CSV writer for every export of the portal, safe against formula injection.

A spreadsheet (Excel, LibreOffice Calc, Google Sheets) runs a cell starting with = + - @ as a
formula, and a leading tab or carriage return can hide such a start. A holder name like
``=HYPERLINK("http://x","y")`` must therefore not reach a clerk's spreadsheet verbatim. As OWASP
recommends, such a text cell gets a leading apostrophe, which the spreadsheet shows as text.

Only text is neutralised: real numbers (int, float, Decimal) are written as they are, so a
negative amount like -3.5 stays a number. Every other value (str, lazy translations, dates …) is
turned into text with ``str()`` and neutralised. A number the caller formats itself (for example
with a German decimal comma) is text and is neutralised like any other text if it starts with -.

The writer writes no byte order mark: each export decides that itself. The downloads meant for
Excel write "\\ufeff" first (Excel needs it to read umlauts in UTF-8), a file is opened with the
encoding "utf-8-sig".
"""

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TYPES = (int, float, Decimal)


def csv_cell(value: Any) -> str:
    """One cell as text: None is empty, numbers unchanged, text starting a formula gets a '."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, NUMBER_TYPES):
        return text
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class FormulaSafeWriter:
    """csv.writer that passes every cell through `csv_cell`."""

    def __init__(self, output, *, delimiter: str = ";"):
        self._writer = csv.writer(output, delimiter=delimiter)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(output, *, delimiter: str = ";") -> FormulaSafeWriter:
    """A writer for `output` (file, StringIO, HttpResponse) that neutralises formula cells."""
    return FormulaSafeWriter(output, delimiter=delimiter)
