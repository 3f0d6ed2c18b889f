"""Personalised forms of the contracts area, offered under /formulare/ (documents registry)."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from documents.pdf import render_pdf

from .banking import sepa_creditor
from .selectors import contract_list
from .services import mandate_reference_next


def _main_contract(request, tenant):
    contracts = [c for c in contract_list(tenant=tenant) if c.unit.kind == "flat"] or list(
        contract_list(tenant=tenant)
    )
    number = request.GET.get("vertrag")
    for contract in contracts:
        if contract.contract_number == number:
            return contract
    return contracts[0] if contracts else None


def sepa_mandate_form(request, tenant):
    contract = _main_contract(request, tenant)
    if contract is None:
        return HttpResponseRedirect(reverse("forms:index"))
    pdf = render_pdf(
        "pdf/sepa_mandate_form.html",
        {
            "tenant": tenant,
            "contract": contract,
            "creditor": sepa_creditor(),
            "reference": mandate_reference_next(contract=contract),
            "today": timezone.localdate(),
        },
    )
    return f"SEPA-Lastschriftmandat-{contract.contract_number}.pdf", pdf


def landlord_confirmation_form(request, tenant):
    """Wohnungsgeberbestätigung (§ 19 BMG) for registering at the residents' office."""
    contract = _main_contract(request, tenant)
    if contract is None:
        return HttpResponseRedirect(reverse("forms:index"))
    pdf = render_pdf(
        "pdf/landlord_confirmation.html",
        {
            "tenant": tenant,
            "contract": contract,
            "creditor": sepa_creditor(),
            "today": timezone.localdate(),
        },
    )
    return f"Wohnungsgeberbestaetigung-{contract.contract_number}.pdf", pdf
