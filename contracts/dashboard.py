"""The contracts area's cards on the start page."""

from tenants.models import Contract
from tenants.selectors import contact_person_list, tenancy_property_ids

from .selectors import contract_list


def contracts_card(request, tenant) -> dict:
    # Current and upcoming contracts; ended ones stay in "My contracts" only.
    contracts = [c for c in contract_list(tenant=tenant) if c.phase() != Contract.Phase.ENDED]
    return {"contracts": contracts}


def contacts_card(request, tenant) -> dict:
    return {"contacts": list(contact_person_list(property_ids=tenancy_property_ids(tenant=tenant)))}
