"""The contracts area's cards on the start page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tenants.models import Contract
from tenants.selectors import contact_person_list, tenancy_property_ids


def contracts_card(request, tenant) -> dict:
    # Current and upcoming contracts; ended ones stay in "My contracts" only. One query: the
    # card shows no partners, mandates or bank changes (contracts.selectors.contract_list).
    contracts = list(
        Contract.objects.of_tenant(tenant)
        .not_ended()
        .select_related("unit__property")
        .order_by("unit__kind", "contract_number")
    )
    # One contract: straight to its bank change; several: the list, where each has its own.
    bank_url = (
        reverse("contracts:bank_change", args=[contracts[0].contract_number])
        if len(contracts) == 1
        else reverse("contracts:index")
    )
    actions = [
        {
            "key": "bank",
            "label": _("Change bank details"),
            "url": bank_url,
            "icon": "landmark",
            "order": 30,
        }
    ]
    return {"contracts": contracts, "actions": actions if contracts else []}


def contacts_card(request, tenant) -> dict:
    return {"contacts": list(contact_person_list(property_ids=tenancy_property_ids(tenant=tenant)))}
