"""Mein Mietkonto: the rent account as the ERP reports it, read-only in the portal.

The import file is JSON Lines (UTF-8, one JSON object per line; see docs/erp-interface.md,
"Rent account (Mietkonto)"). A line is either a posting or the balance of a contract:

    {"type": "posting", "contract": "1001-W01-01", "id": "B-2026-004711",
     "booking_date": "2026-11-03", "value_date": "2026-11-03", "kind": "soll",
     "text": "Miete 11/2026", "amount": "860.00"}
    {"type": "balance", "contract": "1001-W01-01", "date": "2026-11-20",
     "balance": "83.50", "open_since": "2026-11-03"}

Amounts are signed from the tenant's point of view: positive raises what the tenant owes (a
debit), negative lowers it (a payment, a credit). Good lines are kept even when others are
refused; re-importing a file changes nothing (the ERP posting id is unique per contract).
Postings are never pruned (booking records are kept 10 years, § 147 AO); tenants see the last
24 months.
"""

import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from tenants.models import Contract, Tenant
from tenants.templatetags.portal import format_euro

from .models import RentAccount, RentPosting
from .selectors import contract_get

SHOWN_MONTHS = 24
KIND_ALIASES = {
    "soll": RentPosting.Kind.RENT,
    "sollstellung": RentPosting.Kind.RENT,
    "zahlung": RentPosting.Kind.PAYMENT,
    "gebuehr": RentPosting.Kind.FEE,
    "gebühr": RentPosting.Kind.FEE,
    "gutschrift": RentPosting.Kind.CREDIT,
    "sonstige": RentPosting.Kind.OTHER,
}
REASONS = {
    "format": "not a JSON object with the fields of a posting or a balance",
    "unknown_contract": "unknown contract",
    "bad_amount": "amount is not a number with at most two decimals",
    "bad_date": "date is not a date (YYYY-MM-DD)",
    "bad_kind": "unknown kind of posting",
    "duplicate": "posting id (or balance of a contract) twice in the file",
    "stale_balance": "balance older than the one already imported",
}
POSTING_FIELDS = ("booking_date", "value_date", "kind", "text", "amount")
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass
class RentAccountImportReport:
    rows: int = 0
    postings_created: int = 0
    postings_updated: int = 0
    postings_unchanged: int = 0
    balances: int = 0
    rejected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)

    def reject(self, line: int, reason: str, text: str) -> None:
        self.rejected[reason] += 1
        if len(self.examples) < 50:
            self.examples.append(f"line {line}: {REASONS[reason]}: {text.strip()[:200]}")

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


def _date(value) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _amount(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    if abs(amount) > MAX_AMOUNT:
        return None
    return amount.quantize(Decimal("0.01"))


def rent_account_validate(
    lines: Iterable[str], report: RentAccountImportReport
) -> tuple[dict[tuple[int, str], dict], dict[int, dict]]:
    """Check every line. Returns the good postings {(contract id, ERP id): fields} and the good
    balances {contract id: fields}; bad lines go into the report."""
    contracts = dict(Contract.objects.values_list("contract_number", "pk"))
    postings: dict[tuple[int, str], dict] = {}
    balances: dict[int, dict] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        report.rows += 1
        try:
            row = json.loads(line, parse_float=Decimal)
        except ValueError:
            report.reject(number, "format", line)
            continue
        if not isinstance(row, dict) or row.get("type") not in ("posting", "balance"):
            report.reject(number, "format", line)
            continue
        contract_id = contracts.get(str(row.get("contract", "")).strip())
        if contract_id is None:
            report.reject(number, "unknown_contract", line)
            continue
        if row["type"] == "posting":
            erp_id = row.get("id")
            if not isinstance(erp_id, str | int) or not str(erp_id).strip():
                report.reject(number, "format", line)
                continue
            erp_id = str(erp_id).strip()[:40]
            booking_date = _date(row.get("booking_date"))
            value_date = _date(row.get("value_date")) if row.get("value_date") else None
            if booking_date is None or (row.get("value_date") and value_date is None):
                report.reject(number, "bad_date", line)
                continue
            amount = _amount(row.get("amount"))
            if amount is None:
                report.reject(number, "bad_amount", line)
                continue
            kind = KIND_ALIASES.get(str(row.get("kind", "")).strip().lower())
            if kind is None:
                report.reject(number, "bad_kind", line)
                continue
            if (contract_id, erp_id) in postings:
                report.reject(number, "duplicate", line)
                continue
            postings[(contract_id, erp_id)] = {
                "booking_date": booking_date,
                "value_date": value_date,
                "kind": kind,
                "text": str(row.get("text") or "").strip()[:200],
                "amount": amount,
            }
        else:
            balance_date = _date(row.get("date"))
            open_since = _date(row.get("open_since")) if row.get("open_since") else None
            if balance_date is None or (row.get("open_since") and open_since is None):
                report.reject(number, "bad_date", line)
                continue
            balance = _amount(row.get("balance"))
            if balance is None:
                report.reject(number, "bad_amount", line)
                continue
            if contract_id in balances:
                report.reject(number, "duplicate", line)
                continue
            balances[contract_id] = {
                "balance": balance,
                "balance_date": balance_date,
                # "Outstanding since" only means something while the tenant owes.
                "open_since": open_since if balance > 0 else None,
                "_line": (number, line),
            }
    return postings, balances


def rent_account_import(*, lines: Iterable[str]) -> RentAccountImportReport:
    """Validate the file, then upsert the good postings and balances in one transaction."""
    report = RentAccountImportReport()
    postings, balances = rent_account_validate(lines, report)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (row[0], row[1]): row[2:]
            for row in RentPosting.objects.filter(
                contract_id__in={contract_id for contract_id, _erp_id in postings}
            ).values_list("contract_id", "erp_id", *POSTING_FIELDS)
        }
        changed = []
        for (contract_id, erp_id), values in postings.items():
            old = existing.get((contract_id, erp_id))
            if old == tuple(values[name] for name in POSTING_FIELDS):
                report.postings_unchanged += 1
                continue
            if old is None:
                report.postings_created += 1
            else:
                report.postings_updated += 1
            changed.append(
                RentPosting(contract_id=contract_id, erp_id=erp_id, imported_at=now, **values)
            )
        # An upsert, so a second import running at the same time cannot add a second row.
        RentPosting.objects.bulk_create(
            changed,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["contract", "erp_id"],
            update_fields=[*POSTING_FIELDS, "imported_at"],
        )

        stored = dict(
            RentAccount.objects.filter(contract_id__in=balances).values_list(
                "contract_id", "balance_date"
            )
        )
        accounts = []
        for contract_id, values in balances.items():
            line_number, line = values.pop("_line")
            if contract_id in stored and stored[contract_id] > values["balance_date"]:
                report.reject(line_number, "stale_balance", line)
                continue
            accounts.append(RentAccount(contract_id=contract_id, imported_at=now, **values))
        RentAccount.objects.bulk_create(
            accounts,
            update_conflicts=True,
            unique_fields=["contract"],
            update_fields=["balance", "balance_date", "open_since", "imported_at"],
        )
        report.balances = len(accounts)
    return report


def rent_account_import_file(*, path) -> RentAccountImportReport:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return rent_account_import(lines=handle)


def rent_account_import_text(*, text: str) -> RentAccountImportReport:
    return rent_account_import(lines=io.StringIO(text))


# Reading: the tenant's page.


@dataclass(frozen=True)
class RentAccountPage:
    contract: Contract
    account: RentAccount | None
    postings: list[RentPosting]
    since: date


def months_back(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, 1)


def rent_account_get(*, tenant: Tenant, contract_number: str) -> RentAccountPage:
    """The rent account of one of the tenant's contracts (anyone else's: 404), with the postings
    of the last 24 months, newest first, in a constant number of queries."""
    contract = contract_get(tenant=tenant, contract_number=contract_number)
    since = months_back(timezone.localdate(), SHOWN_MONTHS)
    account = RentAccount.objects.filter(contract=contract).first()
    postings = list(
        RentPosting.objects.filter(contract=contract, booking_date__gte=since).order_by(
            "-booking_date", "-pk"
        )
    )
    return RentAccountPage(contract=contract, account=account, postings=postings, since=since)


def rent_account_of(*, contract: Contract) -> RentAccount | None:
    """The balance for a contract the caller already got through the tenant's selector."""
    return RentAccount.objects.filter(contract=contract).first()


def money(amount: Decimal) -> str:
    """83,50 (German) or 83.50 (English), always two decimals, with grouping."""
    return number_format(amount, 2, force_grouping=True)


def rent_account_sentence(account: RentAccount | None) -> str:
    """The plain sentence: balanced, outstanding since a day, or a credit."""
    if account is None:
        return ""
    if account.balance == 0:
        return _("Your rent account is balanced.")
    if account.balance < 0:
        # The amount carries the euro sign where the page's language puts it (12,00 € / €12.00).
        return _("Credit: %(amount)s.") % {"amount": format_euro(-account.balance)}
    if account.open_since:
        return _("Outstanding: %(amount)s since %(date)s.") % {
            "amount": format_euro(account.balance),
            "date": date_format(account.open_since, "SHORT_DATE_FORMAT"),
        }
    return _("Outstanding: %(amount)s.") % {"amount": format_euro(account.balance)}
