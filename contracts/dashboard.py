"""The contracts area's cards on the start page."""

from django.utils import timezone

from tenants.selectors import contact_person_list

from .selectors import contract_list, contract_property_ids


def contracts_card(request, tenant) -> dict:
    today = timezone.localdate()
    contracts = [
        c for c in contract_list(tenant=tenant) if c.end_date is None or c.end_date >= today
    ]
    return {"contracts": contracts}


def contacts_card(request, tenant) -> dict:
    return {
        "contacts": list(contact_person_list(property_ids=contract_property_ids(tenant=tenant)))
    }
