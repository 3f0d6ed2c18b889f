"""After the tenancy: the account stays readable for a while, then it is closed.

When the last contract of a tenant has ended, final statements (Betriebskostenabrechnung) can
still arrive up to 12 months later, so the account stays usable for `READ_ONLY_MONTHS` after the
end – read-only, except Kontakt. A month before that time is up the tenant is told by e-mail;
then the daily retention run (tenants/retention.py) closes the login.

A tenant with a current or upcoming contract, or with no contract at all, is never affected.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Contract, Tenant

READ_ONLY_MONTHS = 15
NOTICE_MONTHS_BEFORE = 1

NOTICE_ACTION = "account.closing_notice_sent"
CLOSED_ACTION = "account.closed_after_tenancy"

READ_ONLY_MESSAGE = _(
    "Your tenancy has ended. Your account stays open for reading until {date}; changes are no "
    "longer possible here. Please write to us through “Contact” if something needs changing."
)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class TenancyState:
    """`ended_on`: last day of the last contract once every contract has ended, else None."""

    ended_on: date | None

    @property
    def read_only(self) -> bool:
        return self.ended_on is not None

    @property
    def closes_on(self) -> date | None:
        return add_months(self.ended_on, READ_ONLY_MONTHS) if self.ended_on else None

    @property
    def notice_on(self) -> date | None:
        return add_months(self.closes_on, -NOTICE_MONTHS_BEFORE) if self.closes_on else None

    def message(self) -> str:
        return str(READ_ONLY_MESSAGE).format(date=date_format(self.closes_on, "SHORT_DATE_FORMAT"))


def tenancy_annotations(on: date) -> dict:
    not_ended = Q(contracts__end_date__isnull=True) | Q(contracts__end_date__gte=on)
    return {
        "contract_count": Count("contracts", distinct=True),
        "open_count": Count("contracts", filter=not_ended, distinct=True),
        "last_end": Max("contracts__end_date"),
    }


def tenancy_state(tenant: Tenant | None, *, on: date | None = None) -> TenancyState:
    """One query. None (a clerk, an unlinked account) is never read-only."""
    if tenant is None:
        return TenancyState(ended_on=None)
    on = on or timezone.localdate()
    row = Contract.objects.of_tenant(tenant).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(end_date__isnull=True) | Q(end_date__gte=on)),
        last_end=Max("end_date"),
    )
    if not row["total"] or row["open"]:
        return TenancyState(ended_on=None)
    return TenancyState(ended_on=row["last_end"])


def account_read_only(tenant: Tenant | None, *, on: date | None = None) -> bool:
    """Whether the tenant's account may only read (every contract has ended). One query."""
    return tenancy_state(tenant, on=on).read_only


def ended_tenancies(on: date):
    """Tenants with an active login whose every contract ended, with `last_end` annotated."""
    return (
        Tenant.objects.filter(user__isnull=False, user__is_active=True, user__is_staff=False)
        .annotate(**tenancy_annotations(on))
        .filter(contract_count__gt=0, open_count=0)
    )
