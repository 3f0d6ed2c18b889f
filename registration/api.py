"""App API: registration by letter code (the pages "Registrieren", registration.views).

The same three steps as the web, on the same forms and services: check code and last name
(forgiving input, the same limits, the same minimum answer time, one error for a wrong code and a
wrong name), create the account (e-mail, password, language), confirm with the six digits from
the e-mail. The app has no cookie: the check hands out a signed **registration token** that
the next steps send back; it lasts as long as the web's registration session
(REGISTRATION_SESSION_MINUTES). The confirmation ends in an app session: its session token, as
allauth's headless login hands one out (``X-Session-Token``).

A registration begun in the app can be finished anywhere: the e-mail's link works on the web
(and here, ``confirm-link``), the six digits in the app. These endpoints are open without sign-in.

Texts are in the language the app asks for (``Accept-Language``, German or English; otherwise
German), as the pages' are in the language chosen there.
"""

from __future__ import annotations

import time
from typing import Literal

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tenants.apikit import ApiError, Problem, form_data, form_errors
from tenants.errors import PortalError
from tenants.headless import app_request_mark, app_session_start
from tenants.http import client_ip
from tenants.models import User

from .forms import AccountForm, CodeForm, ConfirmationCodeForm, password_rules
from .models import RegistrationCode
from .services import (
    Outcome,
    registration_account_create,
    registration_code_check_paced,
    registration_code_usable,
    registration_confirm_by_code,
    registration_confirm_by_link,
    registration_language,
)

router = Router(tags=["Registrierung / Registration"])

TOKEN_SALT = "registration.api.token"  # noqa: S105 (a signing salt)

# Outcome of the code check → (status, problem code). A wrong code and a wrong name are one.
CHECK_PROBLEMS = {
    Outcome.INVALID: (422, "code_invalid"),
    Outcome.RATE_LIMITED: (429, "rate_limited"),
    Outcome.USED: (409, "code_used"),
    Outcome.HAS_ACCOUNT: (409, "has_account"),
    Outcome.REVOKED: (409, "code_revoked"),
    Outcome.LOCKED: (409, "code_locked"),
    Outcome.EXPIRED: (409, "code_expired"),
}


# Open without sign-in: never 401 or 403.
PROBLEMS = {409: Problem, 422: Problem, 429: Problem}

# The form's field names as the API calls them.
ACCOUNT_FIELDS = {"password1": "password", "password2": "password_repeat"}


# Schemas
# ------------------------------------------------------------------------------


class CodeIn(Schema):
    code: str
    last_name: str


class CodeChecked(Schema):
    registration_token: str
    expires_in: int  # seconds the token stays good
    name: str  # the tenant's name as in the letter's address field
    password_rules: list[str]


class AccountIn(Schema):
    registration_token: str
    email: str
    password: str
    password_repeat: str
    accept_terms: bool
    paperless: bool = False
    language: Literal["de", "en"] | None = None


class AccountCreated(Schema):
    email: str
    detail: str


class ConfirmIn(Schema):
    registration_token: str
    confirmation_code: str


class ConfirmLinkIn(Schema):
    key: str


class Welcome(Schema):
    session_token: str
    email: str
    language: Literal["de", "en"]
    detail: str


# Helpers
# ------------------------------------------------------------------------------


def _language_from_app(request: HttpRequest) -> None:
    """German or English as the app asks (Accept-Language); otherwise the portal's default."""
    for part in request.headers.get("Accept-Language", "").split(","):
        language = part.split(";")[0].strip().split("-")[0].lower()
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
            return


def _token_issue(code: RegistrationCode) -> str:
    return signing.dumps({"code": code.pk}, salt=TOKEN_SALT)


def _token_code(token: str) -> RegistrationCode:
    """The code the token was issued for, if the token is recent and the code still usable."""
    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.REGISTRATION_SESSION_MINUTES * 60
        )
    except signing.BadSignature:
        data = {}
    code = registration_code_usable(code_id=data.get("code") if isinstance(data, dict) else None)
    if code is None:
        raise ApiError(
            409,
            "registration_expired",
            _("Please start with the registration code from your letter."),
        )
    return code


def _welcome(request: HttpRequest, user: User) -> dict:
    token = app_session_start(request=request, user=user)
    if token is None:  # not expected: a new account has no second factor yet
        raise ApiError(
            409,
            "sign_in_pending",
            _("Please sign in. Your session may have ended; sign in again in the app."),
        )
    # The account's language from now on (allauth's login activated it).
    return {
        "session_token": token,
        "email": user.email,
        "language": user.language if user.language in ("de", "en") else "de",
        "detail": _("Welcome! Your access is ready. We have sent you a confirmation by e-mail."),
    }


def _confirmation_problem(error: PortalError) -> ApiError:
    if error.code == "wrong":
        return ApiError.invalid([{"field": "confirmation_code", "message": error.message}])
    return ApiError.from_portal_error(error)


# Endpoints
# ------------------------------------------------------------------------------


@router.post(
    "/check",
    auth=None,
    response={200: CodeChecked, **PROBLEMS},
    summary="Step 1: check the letter's code and the last name",
)
def registration_check(request: HttpRequest, payload: CodeIn):
    """As on the page: the code as typed (case, hyphens, O/0 and I/1 do not matter), the last
    name or the whole name as in the letter's address field. A wrong code and a wrong name give
    the same 422 ``code_invalid``; only when both match does the answer say that the code is
    used, revoked, locked or expired (409). Every answer takes the same minimum time; too many
    attempts per address or code give 429. On success: the registration token for the next steps.
    """
    started = time.monotonic()
    _language_from_app(request)
    data = form_data(CodeForm, {"code": payload.code, "last_name": payload.last_name})
    result = registration_code_check_paced(
        typed_code=data["code"], last_name=data["last_name"], ip=client_ip(request), started=started
    )
    if result.outcome != Outcome.OK:
        status, code = CHECK_PROBLEMS[result.outcome]
        headers = {"Retry-After": "3600"} if status == 429 else None
        raise ApiError(status, code, result.message, headers=headers)
    return {
        "registration_token": _token_issue(result.code),
        "expires_in": settings.REGISTRATION_SESSION_MINUTES * 60,
        "name": result.code.tenant.full_name,
        "password_rules": [str(rule) for rule in password_rules()],
    }


@router.post(
    "/account",
    auth=None,
    response={200: AccountCreated, **PROBLEMS},
    summary="Step 2: e-mail address, password, terms, paperless, language",
)
def registration_account(request: HttpRequest, payload: AccountIn):
    """Creates the account, not yet usable, and sends the e-mail with the six-digit code and
    the link. The answer is the same whether or not the address was free (the owner of a taken
    address gets a notice instead). ``language`` is the account's (default: the app's)."""
    _language_from_app(request)
    code = _token_code(payload.registration_token)
    form = AccountForm(
        data={
            "email": payload.email,
            "password1": payload.password,
            "password2": payload.password_repeat,
            "accept_terms": "on" if payload.accept_terms else "",
            "paperless": "on" if payload.paperless else "",
            "language": payload.language or "",
        },
        tenant=code.tenant,
    )
    if not form.is_valid():
        raise ApiError.invalid(form_errors(form, field_names=ACCOUNT_FIELDS))
    data = form.cleaned_data
    try:
        registration_account_create(
            code=code,
            email=data["email"],
            password=data["password1"],
            paperless=data["paperless"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
            language=registration_language(chosen=data["language"]),
        )
    except PortalError as error:
        raise ApiError.from_portal_error(
            error, status=429 if error.code == "rate_limited" else 409
        ) from error
    return {
        "email": data["email"],
        "detail": _(
            "We have sent you an e-mail. Enter the six-digit code from it here, or click the "
            "link in it on any device."
        ),
    }


@router.post(
    "/confirm",
    auth=None,
    response={200: Welcome, **PROBLEMS},
    summary="Step 3: the six-digit code from the e-mail; signs the app in",
)
def registration_confirm(request: HttpRequest, payload: ConfirmIn):
    """The code from the e-mail (spaces do not matter). A wrong code is 422 on
    ``confirmation_code``; after too many, or once the code has expired, 409 (the link in the
    e-mail still works). On success the account is linked to the tenancy and the app is signed
    in: ``session_token`` goes into the ``X-Session-Token`` header from now on."""
    _language_from_app(request)
    code = _token_code(payload.registration_token)
    typed = form_data(ConfirmationCodeForm, {"confirmation_code": payload.confirmation_code})[
        "confirmation_code"
    ]
    app_request_mark(request)
    try:
        user = registration_confirm_by_code(code=code, typed=typed, request=request)
    except PortalError as error:
        raise _confirmation_problem(error) from error
    return _welcome(request, user)


@router.post(
    "/confirm-link",
    auth=None,
    response={200: Welcome, **PROBLEMS},
    summary="Step 3 by the e-mail's link (opened in the app); signs the app in",
)
def registration_confirm_link(request: HttpRequest, payload: ConfirmLinkIn):
    """The key of the link ``/registrieren/bestaetigen/<key>/`` from the e-mail, for an app
    that opens the link itself. No registration token: the key is the proof. An unknown, used
    or outdated key gives 409 ``invalid_link``."""
    _language_from_app(request)
    app_request_mark(request)
    try:
        user = registration_confirm_by_link(key=payload.key, request=request)
    except PortalError as error:
        raise ApiError.from_portal_error(error) from error
    return _welcome(request, user)
