from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.decorators import tenant_required
from tenants.selectors import contact_person_list

from .selectors import contract_get, contract_list


@login_required
@tenant_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "contracts/index.html", {"contracts": contract_list(tenant=request.tenant)}
    )


@login_required
@tenant_required
def detail(request: HttpRequest, contract_number: str) -> HttpResponse:
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    contacts = contact_person_list(property_ids=[contract.unit.property_id])
    return render(request, "contracts/detail.html", {"contract": contract, "contacts": contacts})
