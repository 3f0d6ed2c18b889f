from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from contracts.banking import IbanError, effective_month, iban_check, processing_due
from contracts.models import mask_iban
from tenants.calendar import add_working_days, is_working_day

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (berlin(2026, 11, 19, 12, 0), date(2026, 11, 1)),
        (berlin(2026, 11, 20, 23, 59), date(2026, 11, 1)),
        (berlin(2026, 11, 21, 0, 1), date(2026, 12, 1)),
        (berlin(2026, 12, 14, 12, 0), date(2026, 12, 1)),
        (berlin(2026, 12, 15, 23, 59), date(2026, 12, 1)),
        (berlin(2026, 12, 16, 0, 1), date(2027, 1, 1)),
        (berlin(2027, 1, 31, 9, 0), date(2027, 2, 1)),
        # 23:30 UTC on the 20th is already 00:30 on the 21st in Berlin (winter time) ...
        (datetime(2026, 11, 20, 23, 30, tzinfo=UTC), date(2026, 12, 1)),
        # ... and 21:59 UTC on the 20th in summer time is 23:59 in Berlin.
        (datetime(2026, 6, 20, 21, 59, tzinfo=UTC), date(2026, 6, 1)),
        (datetime(2026, 6, 20, 22, 1, tzinfo=UTC), date(2026, 7, 1)),
        # December cut-off in UTC: 15th 23:01 UTC is the 16th in Berlin.
        (datetime(2026, 12, 15, 23, 1, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_effective_month_follows_the_cutoff_in_berlin_time(received, expected):
    assert effective_month(received) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 23), 10, date(2026, 12, 7)),  # Monday: two plain weeks
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday: next is Monday
        # Easter 2027: Good Friday 26.3., Easter Monday 29.3.
        (date(2027, 3, 24), 3, date(2027, 3, 31)),
        # Christmas and New Year: 24.12. is a working day, 25./26.12. and 1.1. are not.
        (date(2026, 12, 23), 3, date(2026, 12, 29)),
        (date(2026, 12, 30), 2, date(2027, 1, 4)),
        # Hamburg only: Reformationstag 31.10. (Berlin and Bavaria do not have it).
        (date(2025, 10, 30), 1, date(2025, 11, 3)),
        # Not in Hamburg: Fronleichnam 2026 (4.6.) is a working day here.
        (date(2026, 6, 3), 1, date(2026, 6, 4)),
    ],
)
def test_working_days_in_hamburg(start, days, expected):
    assert add_working_days(start, days) == expected


def test_hamburg_holidays():
    assert not is_working_day(date(2025, 10, 31))  # Reformationstag, a Friday
    assert not is_working_day(date(2026, 5, 1))
    assert is_working_day(date(2025, 11, 3))  # a Monday after Reformationstag
    assert is_working_day(date(2026, 6, 4))  # Fronleichnam: not in Hamburg


def test_processing_date_counts_from_the_day_of_receipt_in_berlin():
    # Friday 20.11.2026 23:30 Berlin; ten working days later is Friday 4.12.
    assert processing_due(berlin(2026, 11, 20, 23, 30)) == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("typed", "compact", "bank"),
    [
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "Commerzbank"),
        ("de89370400440532013000", "DE89370400440532013000", "Commerzbank"),
        ("  DE89-3704 0044 0532 0130 00 ".replace("-", ""), "DE89370400440532013000", None),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606", None),
        ("AT61 1904 3002 3457 3201", "AT611904300234573201", None),
    ],
)
def test_valid_ibans(typed, compact, bank):
    checked = iban_check(typed)
    assert checked.iban == compact
    if bank:
        assert bank in checked.bank_name
        assert checked.bic


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("DE89 3704 0044 0532 0130 01", "Tippfehler"),  # wrong checksum
        ("DE89 3704 0044 0532 0130", "Zeichen"),  # wrong length
        ("DE25 1234 5679 1234 5678 90", "Bankleitzahl 12345679"),  # unknown German bank code
        ("BR18 0036 0305 0000 1000 9795 493C 1", "SEPA"),  # not a SEPA country
        ("", "IBAN ein"),
        ("1234", "Ländercode"),
    ],
)
def test_invalid_ibans_get_a_specific_german_message(typed, message):
    from django.utils import translation

    with translation.override("de"), pytest.raises(IbanError) as raised:
        iban_check(typed)
    assert message in str(raised.value)


def test_masked_iban_shows_only_the_last_four():
    masked = mask_iban("DE89370400440532013000")
    assert masked.endswith("3000")
    assert "3704" not in masked and "DE89" not in masked
