"""Rules for bank details: IBAN checks, the cut-off for the effective month, processing time."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import (
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    SchwiftyException,
)

from tenants.calendar import add_working_days
from tenants.errors import PortalError

BERLIN = ZoneInfo("Europe/Berlin")

# Countries of the SEPA scheme (EU, EEA and the associated states), for the holder's address.
SEPA_COUNTRIES = frozenset(
    [
        "AD",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
    ]
)


class IbanError(PortalError, ValueError):
    code = "invalid_iban"


@dataclass(frozen=True)
class CheckedIban:
    iban: str  # compact, upper case
    bic: str
    bank_name: str

    @property
    def formatted(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


def iban_check(value: str) -> CheckedIban:
    """Validate an IBAN as typed (spaces, lower case allowed). Raises IbanError in German."""
    compact = "".join((value or "").split()).upper()
    if not compact:
        raise IbanError(_("Please enter the IBAN."))
    if len(compact) < 2 or not compact[:2].isalpha():
        raise IbanError(_("An IBAN starts with the country code, e.g. DE for Germany."))
    try:
        iban = IBAN(compact)
    except SchwiftyException as exc:
        if isinstance(exc, InvalidLength):
            raise IbanError(
                _(
                    "The IBAN has %(count)d characters; an IBAN from this country needs a "
                    "different number. Please check it against your bank statement."
                )
                % {"count": len(compact)}
            ) from exc
        if isinstance(exc, InvalidChecksumDigits):
            raise IbanError(
                _(
                    "This IBAN contains a typing error (the check digits do not fit). Please "
                    "compare it digit by digit with your bank card or statement."
                )
            ) from exc
        if isinstance(exc, InvalidCountryCode):
            raise IbanError(
                _("%(country)s is not a country code that IBANs exist for.")
                % {"country": compact[:2]}
            ) from exc
        raise IbanError(_("This is not a valid IBAN. Please check it.")) from exc
    if not iban.in_sepa_zone:
        raise IbanError(
            _(
                "We can only collect the rent from accounts in the SEPA area (EU, EEA, "
                "Switzerland and a few others)."
            )
        )
    if iban.country_code == "DE" and iban.bank is None:
        raise IbanError(
            _("We do not know a German bank with the bank code %(code)s. Please check the IBAN.")
            % {"code": iban.bank_code}
        )
    return CheckedIban(iban=iban.compact, bic=str(iban.bic or ""), bank_name=iban.bank_name or "")


def effective_month(received_at: datetime) -> date:
    """First day of the month the change takes effect, from the time of receipt in Berlin.

    Received after the 20th (in December after the 15th): the following month.
    """
    local = received_at.astimezone(BERLIN)
    cutoff = (
        settings.BANK_CHANGE_CUTOFF_DAY_DECEMBER
        if local.month == 12
        else settings.BANK_CHANGE_CUTOFF_DAY
    )
    first = local.date().replace(day=1)
    if local.day <= cutoff:
        return first
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def processing_due(received_at: datetime) -> date:
    """Expected processing date: ten Hamburg working days after the day of receipt."""
    return add_working_days(
        received_at.astimezone(BERLIN).date(), settings.BANK_CHANGE_PROCESSING_WORKING_DAYS
    )


def sepa_creditor() -> dict[str, str]:
    """The creditor as printed on every mandate (from settings)."""
    return {
        "name": settings.SEPA_CREDITOR_NAME,
        "address": settings.SEPA_CREDITOR_ADDRESS,
        "identifier": settings.SEPA_CREDITOR_ID,
    }
