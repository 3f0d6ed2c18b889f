"""App API: the account and the profile (the page "Persönliche Daten", tenants.views.profile).

Thin: validation by the page's forms, changes by the page's services (audited there), the
read-only state after the tenancy from ``tenants.tenancy_state``.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from .apikit import ApiError, form_data, problem_responses
from .forms import ContactForm, LanguageForm, PaperlessForm
from .http import client_ip
from .services import tenant_paperless_consent_set, tenant_phone_set, user_language_set
from .tenancy_state import tenancy_state

router = Router(tags=["Konto und Profil / Account and profile"])


class Address(Schema):
    street: str
    address_extra: str
    postal_code: str
    city: str
    country: str


class Me(Schema):
    email: str
    language: Literal["de", "en"]
    tenant_number: str
    salutation: str
    name: str
    phone: str
    address: Address
    paperless_consent: bool
    read_only: bool
    read_only_notice: str


class ProfileIn(Schema):
    """Only the fields sent are changed."""

    phone: str | None = None
    paperless_consent: bool | None = None
    language: Literal["de", "en"] | None = None


def _me(request: HttpRequest, state=None) -> dict:
    tenant = request.tenant
    state = state or tenancy_state(tenant)
    return {
        "email": request.user.email,
        "language": request.user.language or "de",
        "tenant_number": tenant.tenant_number,
        "salutation": tenant.get_salutation_display() if tenant.salutation else "",
        "name": tenant.full_name,
        "phone": tenant.phone,
        "address": {
            "street": tenant.street,
            "address_extra": tenant.address_extra,
            "postal_code": tenant.postal_code,
            "city": tenant.city,
            "country": tenant.country,
        },
        "paperless_consent": tenant.paperless_consent,
        "read_only": state.read_only,
        "read_only_notice": state.message() if state.read_only else "",
    }


@router.get("/me", response={200: Me, **problem_responses()}, summary="The account and tenant")
def me(request: HttpRequest):
    """Who is signed in: account, tenant, paperless consent, whether the account only reads."""
    return _me(request)


@router.patch(
    "/me",
    response={200: Me, **problem_responses(422)},
    summary="Change phone, paperless consent or language",
)
def me_update(request: HttpRequest, payload: ProfileIn):
    """As on the profile page: after the tenancy, the phone number and a new consent are
    refused (403 ``read_only``); withdrawing the consent and the language stay possible."""
    tenant = request.tenant
    ip = client_ip(request)
    state = tenancy_state(tenant)
    if (payload.phone is not None or payload.paperless_consent) and state.read_only:
        raise ApiError(403, "read_only", state.message())
    # Everything validated before anything is saved: one wrong field changes nothing.
    phone = language = consent = None
    if payload.phone is not None:
        phone = form_data(ContactForm, {"phone": payload.phone}, instance=tenant)["phone"]
    if payload.language is not None:
        language = form_data(LanguageForm, {"language": payload.language})["language"]
    if payload.paperless_consent is not None:
        consent = form_data(
            PaperlessForm, {"paperless_consent": "on" if payload.paperless_consent else ""}
        )["paperless_consent"]
    if phone is not None:
        tenant = tenant_phone_set(tenant=tenant, phone=phone, by=request.user, ip_address=ip)
    if consent is not None:
        tenant = tenant_paperless_consent_set(
            tenant=tenant, consent=consent, by=request.user, ip_address=ip
        )
    if language is not None:
        user_language_set(user=request.user, language=language, by=request.user, ip_address=ip)
    if phone is None and consent is None and language is None:
        raise ApiError.invalid([], detail=_("Nothing to change was sent."))
    request.tenant = tenant
    return _me(request, state)
