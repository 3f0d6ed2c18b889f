import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from documents.pdf import render_pdf
from tenants.cards import TENANCY, cached_page_part
from tenants.csv_export import csv_writer
from tenants.decorators import tenant_required
from tenants.errors import PortalError
from tenants.http import client_ip
from tenants.selectors import contact_person_list

from .banking import sepa_creditor
from .forms import BankChangeForm
from .rent_account import money, rent_account_get, rent_account_of, rent_account_sentence
from .selectors import (
    bank_change_get,
    contract_bank_details,
    contract_get,
    contract_list,
    contract_page_version,
)
from .services import (
    BankChangeNotAllowedError,
    ReferenceChangedError,
    bank_change_check_allowed,
    bank_change_submit,
    bank_change_withdraw,
    mandate_reference_next,
)


def _ip(request: HttpRequest) -> str | None:
    return client_ip(request) or None


@login_required
@tenant_required
def index(request: HttpRequest) -> HttpResponse:
    content = cached_page_part(
        request,
        request.tenant,
        name="contracts",
        template="contracts/_index.html",
        areas=("contracts", TENANCY),
        context=lambda: {"contracts": contract_list(tenant=request.tenant)},
    )
    return render(request, "contracts/index.html", {"content": content})


@login_required
@tenant_required
def detail(request: HttpRequest, contract_number: str) -> HttpResponse:
    found = contract_page_version(tenant=request.tenant, contract_number=contract_number)
    content = cached_page_part(
        request,
        request.tenant,
        name="contract",
        template="contracts/_detail.html",
        areas=("contracts", TENANCY, "contacts"),
        vary=(contract_number,),
        version=found,
        context=lambda: _detail_context(request, contract_number),
    )
    return render(
        request, "contracts/detail.html", {"contract_number": contract_number, "content": content}
    )


def _detail_context(request: HttpRequest, contract_number: str) -> dict:
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    account = rent_account_of(contract=contract)
    bank = contract_bank_details(contract=contract)
    return {
        "contract": contract,
        "contacts": contact_person_list(property_ids=[contract.unit.property_id]),
        "mandate": bank.mandate,
        "next_mandate": bank.next_mandate,
        "open_change": bank.open_change,
        "rent_account": account,
        "rent_account_sentence": rent_account_sentence(account),
    }


@login_required
@tenant_required
@sensitive_post_parameters("iban")
@sensitive_variables("form", "data")
def bank_change(request: HttpRequest, contract_number: str) -> HttpResponse:
    """Change bank details and grant a new SEPA mandate. "Check" shows the bank first."""
    tenant = request.tenant
    contract = contract_get(tenant=tenant, contract_number=contract_number)
    try:
        bank_change_check_allowed(tenant=tenant, contract=contract)
    except BankChangeNotAllowedError as error:
        # After the tenancy, or for an ended contract: the contract page shows the notice in
        # place of the button.
        messages.info(request, error.message)
        return redirect("contracts:detail", contract.contract_number)
    reference = mandate_reference_next(contract=contract)
    checking = "check" in request.POST
    if request.method == "POST":
        form = BankChangeForm(request.POST, require_consent=not checking)
        if form.is_valid() and not checking:
            try:
                change = bank_change_submit(
                    tenant=tenant,
                    contract=contract,
                    ip_address=_ip(request),
                    user=request.user,
                    **form.submit_arguments(),
                )
            except ReferenceChangedError as error:
                form.add_error("consent", error.message)
            except PortalError as error:
                form.add_error(None, error.message)
            else:
                return redirect("contracts:bank_change_detail", contract.contract_number, change.pk)
    else:
        form = BankChangeForm(
            initial={"holder_name": tenant.full_name, "submission": secrets.token_urlsafe(24)}
        )
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["reference"] = reference
        if not form.data.get("submission"):
            form.data["submission"] = secrets.token_urlsafe(24)
    else:
        form.initial["reference"] = reference
    bank = contract_bank_details(contract=contract)
    return render(
        request,
        "contracts/bank_change.html",
        {
            "contract": contract,
            "form": form,
            "checked": form.checked_iban if request.method == "POST" else None,
            "mandate": bank.mandate,
            "next_mandate": bank.next_mandate,
            "open_change": bank.open_change,
            "creditor": sepa_creditor(),
            "reference": reference,
            "today": timezone.localdate(),
        },
    )


@login_required
@tenant_required
def bank_change_detail(request: HttpRequest, contract_number: str, pk: int) -> HttpResponse:
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    change = bank_change_get(tenant=request.tenant, contract=contract, pk=pk)
    return render(
        request,
        "contracts/bank_change_detail.html",
        {"contract": contract, "change": change, "creditor": sepa_creditor()},
    )


@login_required
@tenant_required
@require_POST
def bank_change_withdraw_view(request: HttpRequest, contract_number: str, pk: int) -> HttpResponse:
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    change = bank_change_get(tenant=request.tenant, contract=contract, pk=pk)
    try:
        bank_change_withdraw(tenant=request.tenant, bank_change=change, ip_address=_ip(request))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request has been withdrawn. Nothing changes."))
    return redirect("contracts:detail", contract.contract_number)


@login_required
@tenant_required
def bank_change_pdf(request: HttpRequest, contract_number: str, pk: int) -> HttpResponse:
    """The mandate as PDF for the tenant's records (IBAN masked, as everywhere for tenants)."""
    contract = contract_get(tenant=request.tenant, contract_number=contract_number)
    change = bank_change_get(tenant=request.tenant, contract=contract, pk=pk)
    pdf = render_pdf(
        "pdf/sepa_mandate.html",
        {"contract": contract, "change": change, "creditor": sepa_creditor()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="SEPA-Mandat-{change.mandate_reference}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@tenant_required
def rent_account(request: HttpRequest, contract_number: str) -> HttpResponse:
    page = rent_account_get(tenant=request.tenant, contract_number=contract_number)
    return render(
        request,
        "contracts/rent_account.html",
        {
            "contract": page.contract,
            "account": page.account,
            "postings": page.postings,
            "since": page.since,
            "sentence": rent_account_sentence(page.account),
        },
    )


@login_required
@tenant_required
def rent_account_csv(request: HttpRequest, contract_number: str) -> HttpResponse:
    """The postings shown on the page, for a spreadsheet (BOM for Excel, German numbers)."""
    page = rent_account_get(tenant=request.tenant, contract_number=contract_number)
    file_name = re.sub(r"[^A-Za-z0-9_-]", "_", page.contract.contract_number)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mietkonto-{file_name}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(
        [
            _("booking date"),
            _("value date"),
            _("kind"),
            _("posting text"),
            _("Debit (you owe)"),
            _("Credit (in your favour)"),
        ]
    )
    for posting in page.postings:
        writer.writerow(
            [
                date_format(posting.booking_date, "SHORT_DATE_FORMAT"),
                date_format(posting.value_date, "SHORT_DATE_FORMAT") if posting.value_date else "",
                posting.get_kind_display(),
                posting.text,
                money(posting.debit) if posting.debit else "",
                money(posting.credit) if posting.credit else "",
            ]
        )
    if page.account is not None:
        writer.writerow([])
        writer.writerow(
            [
                date_format(page.account.balance_date, "SHORT_DATE_FORMAT"),
                "",
                _("balance"),
                rent_account_sentence(page.account),
                money(page.account.balance) if page.account.balance > 0 else "",
                money(-page.account.balance) if page.account.balance < 0 else "",
            ]
        )
    return response
