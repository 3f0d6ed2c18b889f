"""The admin's start page for an ERP import job (Jobs → "ERP import"): a directory on the server."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from tenants.errors import PortalError
from tenants.jobs import job_started_response

from .jobs import PERMISSION, erp_import_job_start


class ErpImportForm(forms.Form):
    directory = forms.CharField(
        label=_("directory on the server"),
        max_length=500,
        help_text=_(
            "The ERP export: manifest.json and one file per entity (docs/erp-interface.md)."
        ),
    )

    def clean_directory(self):
        directory = Path(self.cleaned_data["directory"].strip())
        if not (directory / "manifest.json").is_file():
            raise forms.ValidationError(_("There is no manifest.json in this directory."))
        return str(directory)


def erp_import_view(request, *, admin_site):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = ErpImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = erp_import_job_start(directory=form.cleaned_data["directory"], by=request.user)
        except PortalError as error:
            messages.error(request, error.message)
        else:
            return job_started_response(request, job)
    context = {
        **admin_site.each_context(request),
        "title": _("ERP master data import"),
        "form": form,
        "intro": _(
            "Everything is checked before anything changes. The job's page then shows the "
            "report: created, changed, unchanged and refused rows per file, contracts ended "
            "because missing from a full export, and conflicts with values tenants changed in "
            "the portal."
        ),
        "submit": _("Start import"),
    }
    return TemplateResponse(request, "admin/tenants/job/start_form.html", context)


class ChangesExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("format"),
        choices=[("csv", _("CSV (;, UTF-8)")), ("jsonl", _("JSON Lines"))],
        initial="csv",
    )


def changes_export_view(request, *, admin_site):
    """Start the export of the change feed; the file is the job's download."""
    from tenants.changes_job import PERMISSION as EXPORT_PERMISSION
    from tenants.changes_job import changes_export_job_start

    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    form = ChangesExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = changes_export_job_start(fmt=form.cleaned_data["format"], by=request.user)
        except PortalError as error:
            messages.error(request, error.message)
        else:
            return job_started_response(request, job)
    context = {
        **admin_site.each_context(request),
        "title": _("Export changes to the ERP"),
        "form": form,
        "intro": _(
            "Every change made in the portal since the last export (postal addresses, phone, "
            "e-mail, paperless consent, approved bank details) goes into one file with its "
            "change id. Each change is exported once; the file holds full IBANs and is kept "
            "14 days."
        ),
        "submit": _("Start export"),
    }
    return TemplateResponse(request, "admin/tenants/job/start_form.html", context)
