from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from tenants.models import Tenant

from .models import Contract


def contract_list(*, tenant: Tenant) -> QuerySet[Contract]:
    """The tenant's contracts with unit, property and all partners, in a fixed number of queries."""
    return (
        Contract.objects.filter(partners=tenant)
        .select_related("unit__property")
        .prefetch_related(Prefetch("partners", queryset=Tenant.objects.order_by("last_name")))
        .order_by("unit__kind", "contract_number")
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
