from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tenants.models import Tenant

from .models import BankChangeRequest, Contract, Mandate


def contract_list(*, tenant: Tenant) -> QuerySet[Contract]:
    """The tenant's contracts with unit, property and all partners, in a fixed number of queries.

    Each contract carries `current_mandates` (0 or 1 items) and `open_bank_changes`.
    """
    today = timezone.localdate()
    return (
        Contract.objects.filter(partners=tenant)
        .select_related("unit__property")
        .prefetch_related(
            Prefetch("partners", queryset=Tenant.objects.order_by("last_name")),
            Prefetch(
                "mandates",
                queryset=_current_mandates(today).order_by("-valid_from", "-pk"),
                to_attr="current_mandates",
            ),
            Prefetch(
                "bank_change_requests",
                queryset=BankChangeRequest.objects.filter(status=BankChangeRequest.Status.OPEN),
                to_attr="open_bank_changes",
            ),
        )
        .order_by("unit__kind", "contract_number")
    )


def _current_mandates(on: date) -> QuerySet[Mandate]:
    return Mandate.objects.filter(valid_from__lte=on, superseded_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def mandate_current(*, contract: Contract, on: date | None = None) -> Mandate | None:
    return (
        _current_mandates(on or timezone.localdate())
        .filter(contract=contract)
        .order_by("-valid_from", "-pk")
        .first()
    )


def bank_change_get(*, tenant: Tenant, contract: Contract, pk: int) -> BankChangeRequest:
    """A bank change request of one of the tenant's contracts; anything else is 404."""
    return get_object_or_404(
        BankChangeRequest.objects.select_related("contract"),
        pk=pk,
        contract=contract,
        contract__partners=tenant,
    )


def contract_get(*, tenant: Tenant, contract_number: str) -> Contract:
    """One of the tenant's contracts; anyone else's answers 404."""
    return get_object_or_404(contract_list(tenant=tenant), contract_number=contract_number)


def contract_property_ids(*, tenant: Tenant) -> list[int]:
    return list(
        Contract.objects.filter(partners=tenant)
        .values_list("unit__property_id", flat=True)
        .distinct()
    )


def tenant_unit_choices(tenant: Tenant) -> list:
    """[(unit, label)] of the tenant's running contracts: what "Kontakt" lets them choose from."""
    today = timezone.localdate()
    contracts = (
        Contract.objects.filter(partners=tenant)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("unit__property")
        .order_by("unit__kind", "contract_number")
    )
    return [
        (
            c.unit,
            f"{c.unit.get_kind_display()}, {c.unit.address_street}"
            + (f", {c.unit.location}" if c.unit.location else "")
            + f" ({c.contract_number})",
        )
        for c in contracts
    ]


def partners_by_contract_number(contract_numbers: list[str]) -> dict[str, list[Tenant]]:
    contracts = Contract.objects.filter(contract_number__in=contract_numbers).prefetch_related(
        Prefetch("partners", queryset=Tenant.objects.select_related("user"))
    )
    return {c.contract_number: list(c.partners.all()) for c in contracts}


def tenant_unit_periods_of(tenant: Tenant) -> dict[int, tuple[date, date | None]]:
    """{unit id: (contract start, contract end)} for the tenant's contracts that have begun."""
    periods: dict[int, tuple[date, date | None]] = {}
    rows = Contract.objects.filter(
        partners=tenant, start_date__lte=timezone.localdate()
    ).values_list("unit_id", "start_date", "end_date")
    for unit_id, start, end in rows:
        known = periods.get(unit_id)
        if known is None or start > known[0]:
            periods[unit_id] = (start, end)
    return periods


def tenant_ids_by_unit(unit_ids: list[int]) -> dict[int, list[int]]:
    """Current contract partners per unit (contracts that have begun and not ended)."""
    today = timezone.localdate()
    rows = (
        Contract.partners.through.objects.filter(
            contract__unit_id__in=unit_ids, contract__start_date__lte=today
        )
        .filter(Q(contract__end_date__isnull=True) | Q(contract__end_date__gte=today))
        .values_list("contract__unit_id", "tenant_id")
    )
    result: dict[int, list[int]] = {}
    for unit_id, tenant_id in rows:
        result.setdefault(unit_id, []).append(tenant_id)
    return result
