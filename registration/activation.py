"""Activation overview: per property, how many current tenants use the portal, and letters.

Read by customer service (`registration.view_registrationcode`) in the admin; the letters for a
property's unregistered tenants are started from here as a background job. Every number is
counted in the database in one query for all properties, never property by property.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.errors import PortalError
from tenants.jobs import job_start, job_started_response
from tenants.models import Contract, Property, Tenant
from tenants.registry import WorkplaceItem

from .models import RegistrationCode

LETTERS_JOB = "registration_letters"
VIEW_PERMISSION = "registration.view_registrationcode"
ISSUE_PERMISSION = "registration.issue_letters"


@dataclass(frozen=True)
class Activation:
    """The current tenants of a property (or of all properties) and where they stand."""

    property: Property | None  # None: all properties together
    tenants: int
    registered: int
    paperless: int
    letters_sent: int  # codes issued to these tenants, ever
    codes_unused: int  # codes that still work: not used, revoked, locked or expired
    unregistered_with_code: int

    @property
    def unregistered(self) -> int:
        return self.tenants - self.registered

    @property
    def without_code(self) -> int:
        """Neither an access nor a letter they could still use: they need a letter."""
        return self.unregistered - self.unregistered_with_code

    @property
    def share(self) -> float | None:
        return self.registered / self.tenants if self.tenants else None

    @property
    def paperless_share(self) -> float | None:
        return self.paperless / self.tenants if self.tenants else None

    @property
    def share_percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    @property
    def paperless_percent(self) -> int | None:
        return None if self.paperless_share is None else round(self.paperless_share * 100)


# Sort keys of the overview (`?o=`); properties without tenants go last when sorting by share.
ORDERINGS = {
    "number": lambda row: (row.property.number,),
    "share": lambda row: (row.share is None, row.share or 0, row.property.number),
    "-share": lambda row: (row.share is None, -(row.share or 0), row.property.number),
    "-without_code": lambda row: (-row.without_code, row.property.number),
}


def _valid_code_q(prefix: str) -> Q:
    """As RegistrationCode.status == VALID (and the admin's status filter)."""
    return Q(
        **{
            f"{prefix}used_at__isnull": True,
            f"{prefix}revoked_at__isnull": True,
            f"{prefix}locked_at__isnull": True,
            f"{prefix}expires_at__gt": timezone.now(),
        }
    )


def _counts(tenant_path: str, current: Q | None) -> dict:
    """The aggregates over the tenants reached by `tenant_path` ("" is Tenant itself).

    Joins over contracts and codes repeat a tenant, so every count is distinct.
    """
    prefix = f"{tenant_path}__" if tenant_path else ""
    tenant = tenant_path or "pk"
    codes = f"{prefix}registration_codes"

    def where(*conditions: Q) -> Q | None:
        combined = Q(*conditions, *([current] if current is not None else []))
        return combined or None

    unregistered = Q(**{f"{prefix}user__isnull": True})
    return {
        "tenants": Count(tenant, filter=where(), distinct=True),
        "registered": Count(
            tenant, filter=where(Q(**{f"{prefix}user__isnull": False})), distinct=True
        ),
        "paperless": Count(
            tenant, filter=where(Q(**{f"{prefix}paperless_consent": True})), distinct=True
        ),
        "letters_sent": Count(codes, filter=where(), distinct=True),
        "codes_unused": Count(codes, filter=where(_valid_code_q(f"{codes}__")), distinct=True),
        "unregistered_with_code": Count(
            tenant, filter=where(unregistered, _valid_code_q(f"{codes}__")), distinct=True
        ),
    }


def property_activation_list(*, order: str = "number") -> list[Activation]:
    """Every property with the activation of its current tenants, in one query."""
    current = Q(units__contracts__in=Contract.objects.current().values("pk"))
    properties = Property.objects.annotate(**_counts("units__contracts__partners", current))
    rows = [
        Activation(
            property=prop,
            tenants=prop.tenants,
            registered=prop.registered,
            paperless=prop.paperless,
            letters_sent=prop.letters_sent,
            codes_unused=prop.codes_unused,
            unregistered_with_code=prop.unregistered_with_code,
        )
        for prop in properties
    ]
    return sorted(rows, key=ORDERINGS.get(order, ORDERINGS["number"]))


def activation_total() -> Activation:
    """All current tenants once, even one who rents in two properties; one query."""
    current_tenants = Tenant.objects.filter(pk__in=Contract.objects.current().values("partners"))
    return Activation(property=None, **current_tenants.aggregate(**_counts("", None)))


# On "Mein Arbeitsplatz"
# ------------------------------------------------------------------------------


def activation_items(request: HttpRequest) -> list[WorkplaceItem]:
    """Customer service's panel: who still needs a letter, and the codes still out; 2 queries."""
    total = activation_total()
    codes_out = RegistrationCode.objects.filter(_valid_code_q("")).count()
    overview = reverse("admin:registration_activation")
    share = "–" if total.share_percent is None else f"{total.share_percent}\u00a0%"
    return [
        WorkplaceItem(
            _("Activation overview: %(share)s registered") % {"share": share},
            None,
            f"{overview}?o=share",
        ),
        WorkplaceItem(
            _("Tenants without access and without a valid code"),
            total.without_code,
            f"{overview}?o=-without_code",
        ),
        WorkplaceItem(
            _("Codes sent, not yet used"),
            codes_out,
            reverse("admin:registration_registrationcode_changelist")
            + f"?status={RegistrationCode.Status.VALID}",
        ),
    ]


# Admin views (URLs in registration/admin.py)
# ------------------------------------------------------------------------------


def activation_view(request: HttpRequest, *, admin_site) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    order = request.GET.get("o", "number")
    if order not in ORDERINGS:
        order = "number"
    context = {
        **admin_site.each_context(request),
        "title": _("Activation overview"),
        "opts": RegistrationCode._meta,
        "rows": property_activation_list(order=order),
        "total": activation_total(),
        "order": order,
        "may_issue": request.user.has_perm(ISSUE_PERMISSION),
    }
    return TemplateResponse(request, "admin/registration/activation.html", context)


def activation_letters_view(request: HttpRequest, property_id: int) -> HttpResponse:
    """Start the letters for the property's current tenants who need one, as a job."""
    if not request.user.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    prop = get_object_or_404(Property, pk=property_id)
    try:
        job = job_start(
            kind=LETTERS_JOB,
            scope=f"property:{prop.pk}",
            params={"unregistered": True, "property_id": prop.pk},
            by=request.user,
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("admin:registration_activation")
    return job_started_response(request, job)
