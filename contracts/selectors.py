from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tenants.models import Contract, Tenant
from tenants.prepared import PreparedQuery

from .models import BankChangeRequest, Mandate


def contract_list(*, tenant: Tenant) -> QuerySet[Contract]:
    """The tenant's contracts with unit, property and all partners, in a fixed number of queries.

    Each contract carries `current_mandates` (0 or 1 items), `next_mandates` (approved, taking
    effect later: 0 or 1) and `open_bank_changes`.
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
                "mandates",
                queryset=Mandate.objects.filter(
                    valid_from__gt=today, superseded_at__isnull=True
                ).order_by("valid_from", "pk"),
                to_attr="next_mandates",
            ),
            Prefetch(
                "bank_change_requests",
                queryset=BankChangeRequest.objects.filter(status=BankChangeRequest.Status.OPEN),
                to_attr="open_bank_changes",
            ),
        )
        .order_by("unit__kind", "contract_number")
    )


@dataclass(frozen=True)
class BankDetails:
    """What the contract's pages (and the app) show about its bank details, from the
    prefetches of `contract_list`: no query of its own."""

    mandate: Mandate | None  # collected from now
    next_mandate: Mandate | None  # approved, taking effect in a later month
    open_change: BankChangeRequest | None  # sent by a tenant, not yet processed


def contract_bank_details(*, contract: Contract) -> BankDetails:
    """The bank details of a contract loaded through `contract_list` / `contract_get`."""
    return BankDetails(
        mandate=contract.current_mandates[0] if contract.current_mandates else None,
        next_mandate=contract.next_mandates[0] if contract.next_mandates else None,
        open_change=contract.open_bank_changes[0] if contract.open_bank_changes else None,
    )


def _current_mandates(on: date) -> QuerySet[Mandate]:
    return Mandate.objects.filter(valid_from__lte=on, superseded_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def bank_change_get(*, tenant: Tenant, contract: Contract, pk: int) -> BankChangeRequest:
    """A bank change request of one of the tenant's contracts; anything else is 404."""
    return get_object_or_404(
        BankChangeRequest.objects.select_related("contract"),
        pk=pk,
        contract=contract,
        contract__partners=tenant,
    )


def contract_page_version(*, tenant: Tenant, contract_number: str) -> tuple:
    """One query that decides the contract page's 404 before its cache is asked (anyone else's
    contract answers 404) and yields the rent account's import time: the rent account import
    changes the balance without bumping the page's cache (tenants.cards)."""
    found = _CONTRACT_PAGE_VERSION.rows(tenant.pk, contract_number)
    if not found:
        raise Http404
    return found[0]


# Asked on every view of a contract page: composed once (tenants.prepared).
_CONTRACT_PAGE_VERSION = PreparedQuery(
    lambda tenant_id, contract_number: (
        Contract.objects.of_tenant(Tenant(pk=tenant_id))
        .filter(contract_number=contract_number)
        .order_by("pk")
        .values_list("pk", "rent_account__imported_at")[:1]
    ),
    int,
    str,
)


def contract_get(*, tenant: Tenant, contract_number: str) -> Contract:
    """One of the tenant's contracts; anyone else's answers 404."""
    return get_object_or_404(contract_list(tenant=tenant), contract_number=contract_number)
