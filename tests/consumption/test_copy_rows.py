"""How the PostgreSQL import hands the lines to COPY (consumption/importing.py).

The tests in test_import_paths.py show that both paths read every line alike; this one pins the
split itself: runs of plain lines as their fields, every other line as its raw text, escaped.
"""

from consumption import importing


def test_copy_rows_gives_plain_runs_as_fields_and_each_odd_line_as_raw_text():
    data = b'HZ-1;2024-01;1,5;kWh\r\n\n\n"q";x\\y\tz\nHZ-1;2024-02;2;m\xc2\xb3\n;;;\n'
    odd = b"\\N;\\N;\\N;\\N;"
    assert importing.copy_rows(data) == (
        b"HZ-1;2024-01;1,5;kWh;\\N\n"
        + odd
        + b"\n"
        + odd
        + b"\n"
        + odd
        + b'"q"\\;x\\\\y\\tz\n'
        + b"HZ-1;2024-02;2;m\xc2\xb3;\\N\n"
        + odd
        + b"\\;\\;\\;\n"
    )
