"""The PostgreSQL path of the consumption import: COPY, check in SQL, upsert once.

The lines go into a temporary table in one COPY; an identity column numbers them in file order,
so the refusal report keeps the file's line numbers. A line of the plain shape (see below) goes
in as its four fields, split by COPY's own parser; any other line goes in whole, as its raw
text, for Python to read. Which is which, one regular expression decides on each chunk of the
file, while PostgreSQL is still reading the chunk before from the socket. One SQL statement then
checks every line with set operations – unknown meter, unit mismatch, negative, future month,
month before 2000, implausible value – into a typed table of the lines with their meter,
property, month, value and reason. One pass of hash aggregates over its good rows finds the
(meter, month) pairs named twice (then an UPDATE marks all but the first good one as
duplicates), the months and the properties. One `INSERT … ON CONFLICT` stores the good rows
(leaving out those stored already with the same value, when a sample shows many of them). The
report's counts and its first 50 examples come from SQL; Python holds one chunk of the file at a
time, so memory does not grow with the file.

The rules are the ones of `consumption.services.consumption_validate` (the SQLite path), and the
tests run the same hostile files through both. SQL reads only lines of the plain shape; every
other line, and a plain one whose serial names no meter, is parsed by Python's `_parse_row`, the
function the SQLite path uses, and then checked by the same SQL. The report's texts also come
from `_parse_row`.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .services import (
    FIRST_MONTH,
    UNIT_ALIASES,
    ImportReport,
    _is_header,
    _not_utf8,
    _parse_row,
)

# pg_temp: never a real table of the same name.
DROP_TEMP = (
    "DROP TABLE IF EXISTS pg_temp.consumption_lines, pg_temp.consumption_checked, "
    "pg_temp.consumption_parsed"
)
CHUNK = 1 << 20  # bytes of the file per COPY write
FALLBACK_BATCH = 5000

# SQL reads a line itself when it has the plain shape: four fields; a serial without spaces,
# control characters, quotes or backslashes; a month YYYY-MM from 1900-01 to 2099-12; at most 16
# characters of digits with at most three decimals after a point or a comma (no rounding); a
# unit in one of its ASCII spellings or m³; LF or CRLF at the end. PLAIN, a regular expression
# on the bytes of a chunk, finds the runs of such lines; COPY splits them into their fields
# (nothing in them is special to COPY's text format but the CR, dropped first). SQL then casts
# the month and value (neither can fail), maps the unit with a CASE and finds the meter with a
# hash join. Any other line is "odd" and Python's _parse_row reads it: that is the function of
# the SQLite path, so odd lines (quotes, spaces, signs, exponents, other digits, unknown serials,
# …) are read exactly alike, and the plain ones by construction.
PY_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _unit_spellings() -> list[str]:
    """Every spelling of a unit SQL maps: upper or lower case, letter by letter (m³ and M³ too)."""
    return sorted(text for text in _ascii_spellings(UNIT_ALIASES) if text.lower() in UNIT_ALIASES)


def _ascii_spellings(words) -> list[str]:
    """Every upper/lower-case spelling of the words (kWh, KWH, kwh, …)."""
    spellings: set[str] = set()
    for word in words:
        variants = [""]
        for char in word:
            variants = [v + c for v in variants for c in {char.lower(), char.upper()}]
        spellings.update(variants)
    return sorted(spellings)


# One plain line. The serial's length is not checked: a plain line is at most MAX_LINE long
# only because no meter's serial is longer than 40 characters, and a longer serial finds no
# meter, so Python reads that line (and refuses it as too long, as the SQLite path does).
_PLAIN_LINE = (
    rb'[^\x00-\x20;"\\]+;'  # serial
    rb"(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2]);"  # month
    rb"(?=[0-9.,]{1,16};)[0-9]+(?:[.,][0-9]{0,3})?;"  # value
    rb"(?:"
    + b"|".join(
        re.escape(text.encode()) for text in sorted(_unit_spellings(), key=len, reverse=True)
    )
    + rb")\r?\n"
)
PLAIN = re.compile(rb"(?:" + _PLAIN_LINE + rb")*+")  # possessive: no state kept per line
NEXT_PLAIN = re.compile(rb"(?m)^" + _PLAIN_LINE)
ODD_PREFIX = b"\\N;\\N;\\N;\\N;"  # four NULL fields, then the raw line

# The month, value and unit of a plain line; NULL for an odd one. The fence keeps the casts
# from being computed once for each use.
_READ = """
    SELECT line_no, serial, (month_text || '-01')::date AS month,
        replace(v, ',', '.')::numeric AS value, {unit} AS unit
    FROM consumption_lines WHERE line_no >= %(start)s OFFSET 0
"""
# The line as it was (a plain one without the CR of a CRLF file: _parse_row drops it too).
_RAW = "coalesce(raw, serial || ';' || month_text || ';' || v || ';' || unit_text)"
# The meters with what the checks need of them (and their property).
_METERS = """
    SELECT m.id, m.serial, m.kind, m.measure_unit, m.kwh_factor, u.property_id
    FROM consumption_meter m JOIN tenants_unit u ON u.id = m.unit_id
"""
# The plain lines with their meter (and its property) and month. A line without a meter is odd:
# an unknown serial, or a raw line (its fields are NULL, so it joins nothing).
_SOURCE_PLAIN = f"""
    SELECT t.line_no, me.id AS meter_id, me.property_id, me.kind, me.measure_unit,
        me.kwh_factor, t.month, t.unit, t.value,
        me.id IS NULL AS odd
    FROM ({{read}}) t
    LEFT JOIN ({_METERS} WHERE m.serial = btrim(m.serial, %(py_whitespace)s)) me
        ON me.serial = t.serial
"""  # noqa: S608 (constants)
# The lines Python read (consumption_parsed), with their meter.
_SOURCE_PARSED = f"""
    SELECT p.line_no, me.id AS meter_id, me.property_id, me.kind, me.measure_unit,
        me.kwh_factor, p.month, p.unit, p.value, false AS odd
    FROM consumption_parsed p LEFT JOIN ({_METERS}) me ON me.serial = p.serial
"""  # noqa: S608 (constants)
# The checks, in the order of consumption_validate; NULL = good (duplicates come after).
_CHECK = """
    SELECT line_no, meter_id, property_id, month, value,
        CASE WHEN odd THEN 'odd'
            WHEN month IS NULL OR value IS NULL THEN 'format'
            WHEN meter_id IS NULL THEN 'unknown_meter'
            WHEN unit <> measure_unit THEN 'wrong_unit'
            WHEN value < 0 THEN 'negative'
            WHEN month >= %(this_month)s THEN 'future'
            WHEN month < %(first_month)s THEN 'too_old'
            WHEN CASE WHEN unit = 'HKV' THEN value * kwh_factor ELSE value END > {limit}
                THEN 'implausible'
        END AS reason
    FROM ({source}) c
"""
# One pass over the good rows: the meters that may have a month twice, the months, and one
# meter per property (all that benchmarks_refresh needs). Grouping by meter (not by meter and
# month) keeps the hash small: a meter whose months all fall on different bits of a 64-bit
# mask (its first days counted from 2000, modulo 64) has no month twice. Twelve consecutive
# months always do; any other meter is checked exactly afterwards.
_SUMMARY = """
    SELECT month, min(meter_id), GROUPING(meter_id, month, property_id)
    FROM consumption_checked WHERE reason IS NULL
    GROUP BY GROUPING SETS ((meter_id), (month), (property_id))
    HAVING GROUPING(meter_id) = 1 OR count(*) <> bit_count(
        bit_or(1::bigint << ((month - DATE '2000-01-01') % 64))::bit(64)
    )
"""
# A good row whose reading is stored already with the same value.
_UNCHANGED = """EXISTS (
    SELECT FROM consumption_reading r
    WHERE r.meter_id = c.meter_id AND r.month = c.month AND r.value = c.value
)"""
# Whether to leave out the unchanged rows before the upsert, a sample of the first good rows
# decides: ON CONFLICT … DO UPDATE … WHERE locks (writes) every existing row even when its value
# stays, about 2.3 µs a row; looking each row up in the unique index first costs about 1.2 µs
# a row, and 0.3 µs where there is nothing to find. Worth it when at least a quarter of the
# rows are stored already (a file sent again, a correction run, a rolling export of the last
# twelve months), not for a file of new months.
SAMPLE_ROWS = 1000
_SAMPLE = f"""
    SELECT count(*) FILTER (WHERE {_UNCHANGED}), count(*) FROM (
        SELECT meter_id, month, value FROM consumption_checked WHERE reason IS NULL
        LIMIT {SAMPLE_ROWS}
    ) c
"""  # noqa: S608 (constants)
_UPSERT = """
    INSERT INTO consumption_reading (meter_id, month, value, imported_at)
    SELECT meter_id, month, value, %s FROM consumption_checked c WHERE reason IS NULL {skip}
    ON CONFLICT (meter_id, month) DO UPDATE
    SET value = EXCLUDED.value, imported_at = EXCLUDED.imported_at
    WHERE consumption_reading.value IS DISTINCT FROM EXCLUDED.value
"""
# Imports run one after the other: each sees what the one before stored (the unchanged rows
# are decided on the statement's snapshot), so the last import of a reading wins.
IMPORT_LOCK = 0x636F6E73756D  # "consum", a key for pg_advisory_xact_lock


def copy_rows(data: bytes) -> bytes:
    """Whole lines (LF at the end) as COPY rows: a plain line as its fields, any other as raw."""
    rows = []
    at, end = 0, len(data)
    while at < end:
        stop = PLAIN.match(data, at).end()
        if stop > at:
            plain = data[at:stop]
            if b"\r" in plain:
                plain = plain.replace(b"\r\n", b"\n")
            rows.append(plain.replace(b"\n", b";\\N\n"))  # no raw text
        if stop == end:
            break
        found = NEXT_PLAIN.search(data, stop)  # the run of odd lines ends before it
        at = found.start() if found else end
        odd = _escape(data[stop : at - 1]).replace(b";", b"\\;")  # LFs stay: one row a line
        rows.append(ODD_PREFIX + odd.replace(b"\n", b"\n" + ODD_PREFIX) + b"\n")
    return b"".join(rows)


def odd_row(line: bytes) -> bytes:
    """One item that is not plain (an LF inside it included) as a COPY row: NULLs, raw text."""
    return ODD_PREFIX + _escape(line).replace(b"\n", b"\\n").replace(b";", b"\\;") + b"\n"


def _escape(data: bytes) -> bytes:
    """Bytes in COPY's text format: backslash, tab, CR escaped, NUL as U+FFFD."""
    if b"\\" in data:
        data = data.replace(b"\\", b"\\\\")
    if b"\t" in data:
        data = data.replace(b"\t", b"\\t")
    if b"\r" in data:
        data = data.replace(b"\r", b"\\r")
    if b"\x00" in data:  # PostgreSQL text cannot hold NUL; both paths read it as U+FFFD
        data = data.replace(b"\x00", "\ufffd".encode())
    return data


def file_chunks(handle) -> Iterator[tuple[bytes, int]]:
    """(COPY data, number of lines) for a binary file, a chunk of whole lines at a time.

    Lines end at LF as when Python iterates a binary file; a leading BOM is dropped. A line that
    is not UTF-8 raises ConsumptionImportError with its number.
    """
    rest, line, first = b"", 1, True
    while True:
        block = handle.read(CHUNK)
        if block:
            data = rest + block
            cut = data.rfind(b"\n") + 1
            if not cut:
                rest = data
                continue
            data, rest = data[:cut], data[cut:]
        else:
            data, rest = rest + b"\n", b""
            if data == b"\n":
                return
        if first:
            data, first = data.removeprefix(b"\xef\xbb\xbf"), False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(line + data.count(b"\n", 0, exc.start)) from exc
        count = data.count(b"\n")
        line += count
        yield copy_rows(data), count


def text_chunks(lines: Iterable[str]) -> Iterator[tuple[bytes, int]]:
    """The same for lines of text (each item one line, with or without its LF)."""
    batch: list[str] = []
    size = 0
    for line in lines:
        if line.endswith("\n"):
            line = line[:-1]
        if "\n" in line:  # one item holding a line break is still one line
            if batch:
                yield _encoded(batch)
                batch, size = [], 0
            yield odd_row(line.encode("utf-8", "replace")), 1
            continue
        batch.append(line)
        size += len(line)
        if size >= CHUNK:
            yield _encoded(batch)
            batch, size = [], 0
    if batch:
        yield _encoded(batch)


def _encoded(batch: list[str]) -> tuple[bytes, int]:
    return copy_rows(("\n".join(batch) + "\n").encode("utf-8", "replace")), len(batch)


def _unit_sql(params: dict) -> str:
    """The unit as stored for its spellings that PLAIN lets through, as a CASE (usual first)."""
    usual = ["kWh", "m3", "HKV"]
    spellings = usual + [text for text in _unit_spellings() if text not in usual]
    whens = []
    for number, text in enumerate(spellings):
        params[f"unit_text{number}"] = text
        params[f"unit{number}"] = UNIT_ALIASES[text.lower()]
        whens.append(f"WHEN %(unit_text{number})s THEN %(unit{number})s")
    return f"CASE unit_text {' '.join(whens)} END"


def _limit_sql(params: dict) -> str:
    """The plausibility limit of the meter's kind as a CASE (settings.CONSUMPTION_PLAUSIBLE_MAX)."""
    whens = []
    for number, (kind, limit) in enumerate(settings.CONSUMPTION_PLAUSIBLE_MAX.items()):
        params[f"kind{number}"], params[f"limit{number}"] = kind, str(limit)
        whens.append(f"WHEN %(kind{number})s THEN %(limit{number})s::numeric")
    return f"CASE kind {' '.join(whens)} END"


def import_staged(
    *,
    chunks: Iterable[tuple[bytes, int]],
    report: ImportReport,
    progress: Callable[[int], None] | None = None,
    all_meters: bool = True,
) -> tuple[list[date], set[int], set[int]]:
    """Stage, check, report and upsert.

    Returns the months of the good rows, one meter id per property they touch (all that
    benchmarks_refresh needs; no months if the upsert changed no reading, as when a file is
    imported again) and, if `all_meters`, every meter id (for the notices).

    Runs inside the caller's transaction; the temporary tables are dropped at the end.
    """
    now = timezone.now()
    params: dict = {
        "py_whitespace": PY_WHITESPACE,
        "this_month": timezone.localdate().replace(day=1),
        "first_month": FIRST_MONTH,
    }
    check = _CHECK.replace("{limit}", _limit_sql(params))
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own, for COPY
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        # The duplicate check hashes every good row (≈150 MB for a million: no spilling).
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
        _more_temp_buffers(cursor)
        cursor.execute(DROP_TEMP)
        cursor.execute(
            "CREATE TEMP TABLE consumption_lines (line_no bigint GENERATED ALWAYS AS IDENTITY, "
            "serial text, month_text text, v text, unit_text text, raw text) ON COMMIT DROP"
        )
        lines, reported = 0, 0
        with cursor.copy(
            "COPY consumption_lines (serial, month_text, v, unit_text, raw) "
            "FROM STDIN (DELIMITER ';')"
        ) as copy:
            for data, count in chunks:
                copy.write(data)
                lines += count
                while progress is not None and lines - reported >= 100_000:
                    reported += 100_000
                    progress(reported)
        cursor.execute(f"SELECT {_RAW} FROM consumption_lines WHERE line_no = 1 LIMIT 1")  # noqa: S608
        first = cursor.fetchone()
        params["start"] = 2 if first is not None and _is_header(first[0]) else 1
        report.rows = max(lines - (params["start"] - 1), 0)

        source = _SOURCE_PLAIN.replace("{read}", _READ.replace("{unit}", _unit_sql(params)))
        # No statistics on the new table (ANALYZE would cost more than it helps): the join
        # with the meters is a hash join, whatever the planner guesses.
        with _planner(cursor, enable_mergejoin="off", enable_nestloop="off"):
            cursor.execute(
                "CREATE TEMP TABLE consumption_checked ON COMMIT DROP AS "
                + check.replace("{source}", source),
                params,
            )
            counts = _counts(cursor)
            if counts.pop("odd", 0):
                _parse_odd_lines(cursor, check, params)
                counts = _counts(cursor)
        months: list[date] = []
        property_meters: set[int] = set()
        twice = False
        cursor.execute(_SUMMARY)
        for month, first_meter, grouping in cursor.fetchall():  # 1 bit: not grouped by
            if grouping == 0b011:  # a meter that may have a month twice
                twice = True
            elif grouping == 0b101:  # a month
                months.append(month)
            else:  # a property
                property_meters.add(first_meter)
        months.sort()
        if twice:  # the first good row of a meter and month wins
            cursor.execute(
                "UPDATE consumption_checked c SET reason = 'duplicate' FROM ("
                "  SELECT meter_id, month, min(line_no) AS first FROM consumption_checked"
                "  WHERE reason IS NULL GROUP BY meter_id, month HAVING count(*) > 1"
                ") d WHERE c.reason IS NULL AND c.meter_id = d.meter_id AND c.month = d.month "
                "AND c.line_no <> d.first"
            )
            if cursor.rowcount:
                counts["duplicate"] = cursor.rowcount
        for reason, count in counts.items():
            report.rejected[reason] = count
        report.accepted = report.rows - report.rejected_total
        if counts:
            _examples(cursor, report)
        meter_ids: set[int] = set()
        if report.accepted:
            if not _upsert(cursor, now):  # every value was stored already: no benchmark changes
                months, property_meters = [], set()
            if all_meters:
                cursor.execute(
                    "SELECT DISTINCT meter_id FROM consumption_checked WHERE reason IS NULL"
                )
                meter_ids = {row[0] for row in cursor.fetchall()}
        cursor.execute(DROP_TEMP)
    return months, property_meters, meter_ids


def _upsert(cursor, now) -> int:
    """The good rows into the readings; returns how many readings were added or changed."""
    # Each good row is looked up in the unique (meter, month) index, whatever the statistics
    # say: a hash of the whole readings table, or a scan of it for each row, would grow with
    # the table, not with the file.
    with _planner(cursor, enable_hashjoin="off", enable_mergejoin="off", enable_seqscan="off"):
        cursor.execute(_SAMPLE)
        unchanged, sampled = cursor.fetchone()
        skip = f"AND NOT {_UNCHANGED}" if sampled and unchanged * 4 >= sampled else ""
        cursor.execute(_UPSERT.replace("{skip}", skip), [now])
        return cursor.rowcount


@contextmanager
def _planner(cursor, **settings: str) -> Iterator[None]:
    """Planner settings for the statements inside, then back to what they were before (for the
    benchmarks refresh later in the transaction). `set_config(…, true)`, unlike RESET, leaves
    the session's own settings alone; on an error the transaction's end undoes them anyway.
    """
    names = list(settings)
    cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
    before = cursor.fetchone()
    pairs = ", ".join(["set_config(%s, %s, true)"] * len(names))
    cursor.execute(f"SELECT {pairs}", [v for item in settings.items() for v in item])
    yield
    cursor.execute(f"SELECT {pairs}", [v for item in zip(names, before, strict=True) for v in item])


def _more_temp_buffers(cursor) -> None:
    """Room for the staging tables in memory (the default 8 MB spills them to disk).

    PostgreSQL accepts this only before a session's first temporary table; later imports in
    the same session keep what the first one set (the setting ends with the transaction).
    """
    cursor.execute("SELECT pg_my_temp_schema() = 0")  # no temporary table yet
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL temp_buffers = '256MB'")


def _counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT reason, count(*) FROM consumption_checked WHERE reason IS NOT NULL GROUP BY 1"
    )
    return dict(cursor.fetchall())


def _parse_odd_lines(cursor, check: str, params: dict) -> None:
    """Lines SQL does not parse: Python's _parse_row reads them, SQL checks them as the rest."""
    cursor.execute(
        "CREATE TEMP TABLE consumption_parsed (line_no bigint, serial text, month date, "
        "value numeric, unit text) ON COMMIT DROP"
    )
    with cursor.connection.cursor(name="consumption_odd_lines") as odd:
        odd.execute(
            f"SELECT l.line_no, {_RAW} FROM consumption_lines l "  # noqa: S608
            "JOIN consumption_checked c USING (line_no) WHERE c.reason = 'odd'"
        )
        while batch := odd.fetchmany(FALLBACK_BATCH):
            with cursor.copy("COPY consumption_parsed FROM STDIN") as copy:
                for line_no, raw in batch:
                    _reason, _text, parsed = _parse_row(raw)
                    copy.write_row((line_no, *(parsed or (None, None, None, None))))
    cursor.execute("DELETE FROM consumption_checked WHERE reason = 'odd'")
    cursor.execute(
        "INSERT INTO consumption_checked " + check.replace("{source}", _SOURCE_PARSED),
        params,
    )


def _examples(cursor, report: ImportReport) -> None:
    """The first 50 refused lines, in file order, with the texts the SQLite path writes."""
    cursor.execute(
        f"SELECT c.line_no, c.reason, {_RAW} FROM ("  # noqa: S608 (a constant)
        "  SELECT line_no, reason FROM consumption_checked WHERE reason IS NOT NULL"
        "  ORDER BY line_no LIMIT 50"
        ") c JOIN consumption_lines l USING (line_no) ORDER BY c.line_no"
    )
    for line_no, reason, raw in cursor.fetchall():
        report.example(line_no, reason, _parse_row(raw)[1])
