import builtins
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    ClerkResponsibility,
    ContactPerson,
    Contract,
    FaqEntry,
    Property,
    Team,
    Tenant,
    Unit,
    User,
)


def tenant_for_user(*, user: User) -> Tenant | None:
    """The tenant record the logged-in user acts for, or None (clerks, unlinked accounts).

    A staff account never acts for a tenant, even if one was linked to it: a clerk would see
    the tenancy and could act in the tenant's name (tenants.services.tenant_account_check).
    """
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return None
    if User.tenant.is_cached(user):  # the request's account comes with it (tenants.backends)
        return getattr(user, "tenant", None)
    return Tenant.objects.filter(user=user).first()


def contact_person_list(*, property_ids: list[int]) -> QuerySet[ContactPerson]:
    """Active contact persons for the given properties plus the company-wide ones."""
    return ContactPerson.objects.filter(
        Q(property_id__in=property_ids) | Q(property__isnull=True), is_active=True
    ).order_by("order", "area", "name")


def responsible_for(*, property: Property, area: str) -> tuple[User | None, Team | None]:
    """The clerk responsible for an area of a property, and the team that covers for them.

    Falls back to the area's default team where no responsibility is set or the clerk has left.
    """
    responsibility = (
        ClerkResponsibility.objects.select_related("clerk", "team")
        .filter(property=property, area=area)
        .first()
    )
    if responsibility is not None:
        clerk = responsibility.clerk
        if clerk is not None and not clerk.is_active:
            clerk = None
        return clerk, responsibility.team
    return None, Team.objects.filter(area=area, is_default=True).first()


def faq_list() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(is_published=True).order_by("order", "pk")


# The tenancy: who rents which unit, from when to when. Every area asks these selectors (and
# Contract.objects' phases) instead of writing its own idea of a "current" contract.


@dataclass(frozen=True)
class UnitTenancy:
    """One unit a tenant rents, with the times they rent it (end None = open-ended).

    `periods` are the tenant's own spans in the unit, oldest first. Contracts that overlap or
    follow on the next day are one span; a gap (moved out, came back) stays a gap, because
    the household in between is not theirs to see.
    """

    unit: Unit
    label: str
    periods: tuple[tuple[date, date | None], ...]
    contract_number: str

    @builtins.property
    def start(self) -> date:
        return self.periods[0][0]

    @builtins.property
    def end(self) -> date | None:
        return self.periods[-1][1]

    def covers(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.periods)


def tenancy_contracts(*, tenant: Tenant) -> QuerySet[Contract]:
    """The tenant's contracts of every phase, with unit and property, flats first."""
    return (
        Contract.objects.of_tenant(tenant)
        .select_related("unit__property")
        .order_by("unit__kind", "contract_number")
    )


def unit_tenancies(
    *, tenant: Tenant, phases: tuple[str, ...], on: date | None = None
) -> list[UnitTenancy]:
    """The units of the tenant's contracts in the given phases, in one query.

    Several contracts for one unit (a renewal, a partner added) are merged into the tenant's
    spans in it (see UnitTenancy.periods). Kontakt asks for current and upcoming contracts
    (a tenant moving in next month may already report something); consumption for current and
    ended ones (shown up to the end, never before the start).
    """
    on = on or timezone.localdate()
    by_unit: dict[int, list[Contract]] = {}
    for contract in tenancy_contracts(tenant=tenant):
        if contract.phase(on) in phases:
            by_unit.setdefault(contract.unit_id, []).append(contract)
    found = []
    for contracts in by_unit.values():
        contracts.sort(key=lambda c: c.start_date)
        latest = max(contracts, key=lambda c: (c.start_date, c.contract_number))
        found.append(
            UnitTenancy(
                unit=latest.unit,
                label=unit_label(unit=latest.unit, contract_number=latest.contract_number),
                periods=_merged_periods(contracts),
                contract_number=latest.contract_number,
            )
        )
    return found


def _merged_periods(contracts: list[Contract]) -> tuple[tuple[date, date | None], ...]:
    """Spans of contracts sorted by start; overlapping or back-to-back ones become one."""
    periods: list[tuple[date, date | None]] = []
    for contract in contracts:
        start, end = contract.start_date, contract.end_date
        if periods:
            last_start, last_end = periods[-1]
            if last_end is None or start <= last_end + timedelta(days=1):
                merged_end = None if last_end is None or end is None else max(last_end, end)
                periods[-1] = (last_start, merged_end)
                continue
        periods.append((start, end))
    return tuple(periods)


def unit_label(*, unit: Unit, contract_number: str) -> str:
    location = f", {unit.location}" if unit.location else ""
    return f"{unit.get_kind_display()}, {unit.address_street}{location} ({contract_number})"


def tenant_ids_by_unit(*, unit_ids: list[int], on: date | None = None) -> dict[int, list[int]]:
    """The partners of each unit's current contract: who lives there on the day."""
    rows = (
        Contract.partners.through.objects.filter(
            contract__in=Contract.objects.current(on).filter(unit_id__in=unit_ids)
        )
        .values_list("contract__unit_id", "tenant_id")
        .distinct()
    )
    result: dict[int, list[int]] = {}
    for unit_id, tenant_id in rows:
        result.setdefault(unit_id, []).append(tenant_id)
    return result


def partners_by_contract_number(*, contract_numbers: list[str]) -> dict[str, list[Tenant]]:
    """{contract number: partners with their accounts} for the numbers that exist (2 queries)."""
    contracts = Contract.objects.filter(contract_number__in=contract_numbers).prefetch_related(
        Prefetch("partners", queryset=Tenant.objects.select_related("user"))
    )
    return {c.contract_number: list(c.partners.all()) for c in contracts}


def tenancy_property_ids(*, tenant: Tenant) -> list[int]:
    """The properties of all the tenant's contracts (their contact persons are the tenant's)."""
    return list(
        Contract.objects.of_tenant(tenant).values_list("unit__property_id", flat=True).distinct()
    )
