"""„Meine Daten“ pages: the export and its download, erasure/restriction, closing the account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .decorators import tenant_required
from .forms import PortalFormMixin
from .http import client_ip
from .privacy_export import (
    PRIVACY_EXPORT_KEEP_DAYS,
    PrivacyError,
    portal_account_close,
    privacy_export_get,
    privacy_export_list,
    privacy_export_start,
    privacy_request_submit,
)
from .selectors import tenant_for_user
from .services import audit_log


class PrivacyRequestForm(PortalFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What would you like us to do?"),
        choices=[
            ("erase", gettext_lazy("Erase my data")),
            ("restrict", gettext_lazy("Restrict the processing of my data")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("Which data, and why?"),
        help_text=gettext_lazy(
            "For example: “my phone number” or “everything that is no longer needed”."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CloseAccountForm(PortalFormMixin, forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that I can no longer sign in and that documents will come by post."
        )
    )


def _data_page(request: HttpRequest, request_form: PrivacyRequestForm, status: int = 200):
    return render(
        request,
        "tenants/privacy_data.html",
        {
            "tenant": request.tenant,
            "exports": privacy_export_list(user=request.user),
            "keep_days": PRIVACY_EXPORT_KEEP_DAYS,
            "request_form": request_form,
        },
        status=status,
    )


@login_required
@tenant_required
def privacy_data(request: HttpRequest) -> HttpResponse:
    """The page: the export, the retention periods, a request to erase or restrict."""
    form = PrivacyRequestForm(prefix="privacy")
    if request.method == "POST":
        form = PrivacyRequestForm(request.POST, prefix="privacy")
        if form.is_valid():
            try:
                contact_request = privacy_request_submit(
                    tenant=request.tenant,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    message=form.cleaned_data["message"],
                    ip_address=client_ip(request),
                )
            except PrivacyError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your request %(reference)s has reached customer service; "
                        "you will find it under “Contact”."
                    )
                    % {"reference": contact_request.reference},
                )
                return redirect("tenants:privacy_data")
    return _data_page(request, form)


@require_POST
@login_required
@tenant_required
def privacy_export_request(request: HttpRequest) -> HttpResponse:
    try:
        privacy_export_start(
            user=request.user, tenant=request.tenant, ip_address=client_ip(request)
        )
    except PrivacyError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "We are compiling your data. We will e-mail you when it is ready; the download "
                "is then on this page."
            ),
        )
    return redirect("tenants:privacy_data")


@require_GET
@login_required
def privacy_export_download(request: HttpRequest, job_id: int) -> HttpResponse:
    """Only the account that asked, only while the file is kept; anything else answers 404."""
    job = privacy_export_get(user=request.user, job_id=job_id)
    if job is None:
        raise Http404
    audit_log(
        action="privacy.export_downloaded",
        obj=job,
        actor=request.user,
        tenant=tenant_for_user(user=request.user),
        ip_address=client_ip(request),
    )
    response = FileResponse(job.result_file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"meine-daten-{job.finished_at:%Y-%m-%d}.zip"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@tenant_required
def privacy_account_close(request: HttpRequest) -> HttpResponse:
    form = CloseAccountForm(prefix="close")
    if request.method == "POST":
        form = CloseAccountForm(request.POST, prefix="close")
        if form.is_valid():
            try:
                portal_account_close(
                    user=request.user,
                    tenant=request.tenant,
                    password=form.cleaned_data["password"],
                    ip_address=client_ip(request),
                )
            except PrivacyError as error:
                form.add_error("password", error.message)
            else:
                logout(request)
                return redirect("tenants:account_closed")
    return render(request, "tenants/privacy_close.html", {"form": form, "tenant": request.tenant})


def privacy_account_closed(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/privacy_closed.html")
