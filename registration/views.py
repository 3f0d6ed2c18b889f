import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from tenants.http import client_ip

from .forms import AccountForm, CodeForm, ConfirmationCodeForm, password_rules
from .services import (
    ConfirmationError,
    Outcome,
    RegistrationLimitError,
    registration_account_create,
    registration_code_check,
    registration_code_usable,
    registration_confirm_by_code,
    registration_confirm_by_link,
)

SESSION_CODE = "registration_code_id"
SESSION_EMAIL = "registration_email"
AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _messages_for(outcome: str) -> str:
    support = settings.PORTAL_SUPPORT_EMAIL
    return {
        Outcome.INVALID: _(
            "Registration code and last name do not match. Please check both against your "
            "letter: the code is in the box in the middle, the name in the address field."
        ),
        Outcome.RATE_LIMITED: _(
            "Too many attempts. For your security please wait an hour and try again, or write "
            "to %(email)s."
        )
        % {"email": support},
        Outcome.USED: _(
            "This code has already been used to create an access. Please sign in; if you have "
            "forgotten your password, use “Forgot your password?”."
        ),
        Outcome.HAS_ACCOUNT: _(
            "You already have an access to the portal. Please sign in; if you have forgotten "
            "your password, use “Forgot your password?”."
        ),
        Outcome.REVOKED: _(
            "We have sent you a newer letter since. Please use the code from the newest letter."
        ),
        Outcome.LOCKED: _(
            "This code has been locked after several wrong entries. Please ask us for a new "
            "code at %(email)s; it will reach you by post."
        )
        % {"email": support},
        Outcome.EXPIRED: _(
            "This code has expired. Please ask us for a new code at %(email)s; it will reach "
            "you by post."
        )
        % {"email": support},
    }[outcome]


SESSION_STARTED = "registration_started"


def _session_code(request: HttpRequest):
    """The code checked in step 1, if that was recent enough (shared computers)."""
    started = request.session.get(SESSION_STARTED, 0)
    if time.time() - started > settings.REGISTRATION_SESSION_MINUTES * 60:
        return None
    return registration_code_usable(code_id=request.session.get(SESSION_CODE))


@never_cache
@sensitive_post_parameters("code")
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: code and last name."""
    if request.user.is_authenticated:
        return redirect("tenants:home")
    if request.method == "POST":
        started = time.monotonic()
        form = CodeForm(request.POST)
        if form.is_valid():
            check = registration_code_check(
                typed_code=form.cleaned_data["code"],
                last_name=form.cleaned_data["last_name"],
                ip=client_ip(request),
            )
            if check.outcome != Outcome.RATE_LIMITED:
                # Every answer takes the same minimum time, whichever check failed. (Not for
                # refused floods: sleeping for them would tie up workers.)
                elapsed = time.monotonic() - started
                remaining = settings.REGISTRATION_MIN_RESPONSE_SECONDS - elapsed
                if remaining > 0:
                    time.sleep(remaining)
            if check.outcome == Outcome.OK:
                request.session.cycle_key()
                request.session[SESSION_CODE] = check.code.pk
                request.session[SESSION_STARTED] = time.time()
                return redirect("registration:account")
            form.add_error(None, _messages_for(check.outcome))
            if check.outcome in (Outcome.USED, Outcome.HAS_ACCOUNT):
                form.show_login = True
    else:
        form = CodeForm(initial={"code": request.GET.get("code", "")})
    return render(request, "registration/start.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2")
def account(request: HttpRequest) -> HttpResponse:
    """Step 2: e-mail address, password, terms, paperless consent."""
    code = _session_code(request)
    if code is None:
        messages.info(request, _("Please start with the registration code from your letter."))
        return redirect("registration:start")
    tenant = code.tenant
    if request.method == "POST":
        form = AccountForm(request.POST, tenant=tenant)
        if form.is_valid():
            try:
                registration_account_create(
                    code=code,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    paperless=form.cleaned_data["paperless"],
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except RegistrationLimitError:
                form.add_error(None, _messages_for(Outcome.RATE_LIMITED))
            else:
                # The same next page whether or not the address was free (no enumeration).
                request.session[SESSION_EMAIL] = form.cleaned_data["email"]
                return redirect("registration:confirm")
    else:
        form = AccountForm(tenant=tenant)
    return render(
        request,
        "registration/account.html",
        {"form": form, "tenant": tenant, "password_rules": password_rules()},
    )


@never_cache
@sensitive_post_parameters("confirmation_code")
def confirm(request: HttpRequest) -> HttpResponse:
    """Step 3 on the device that started: the six digits from the e-mail."""
    code = _session_code(request)
    email = request.session.get(SESSION_EMAIL)
    if code is None or not email:
        return redirect("registration:start")
    form = ConfirmationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = registration_confirm_by_code(
                code=code, typed=form.cleaned_data["confirmation_code"], request=request
            )
        except ConfirmationError as error:
            form.add_error("confirmation_code", _confirmation_message(str(error)))
        else:
            return _welcome(request, user)
    return render(request, "registration/confirm.html", {"form": form, "email": email})


@never_cache
def confirm_link(request: HttpRequest, key: str) -> HttpResponse:
    """Step 3 on any device: the link from the e-mail. GET only asks; mail scanners follow links."""
    if request.method == "POST":
        try:
            user = registration_confirm_by_link(key=key, request=request)
        except ConfirmationError as error:
            messages.error(request, _confirmation_message(str(error)))
            return redirect("registration:start")
        return _welcome(request, user)
    return render(request, "registration/confirm_link.html", {"key": key})


def _confirmation_message(reason: str) -> str:
    return {
        "wrong": _("This code is not right. Please check the six digits in the e-mail."),
        "code_expired": _(
            "This code has expired. Please use the link in the e-mail, or start again with the "
            "code from your letter."
        ),
        "too_many": _(
            "Too many wrong codes. Please use the link in the e-mail, or start again with the "
            "code from your letter."
        ),
        "invalid_link": _(
            "This link is no longer valid. It may have been used already or be older than "
            "three days. Please start again with the code from your letter."
        ),
        "code_no_longer_valid": _(
            "Your registration code is no longer valid (for example because a newer letter was "
            "sent). Please start again with the newest letter."
        ),
    }[reason]


def _welcome(request: HttpRequest, user) -> HttpResponse:
    for key in (SESSION_CODE, SESSION_EMAIL, SESSION_STARTED):
        request.session.pop(key, None)
    login(request, user, backend=AUTH_BACKEND)
    messages.success(
        request, _("Welcome! Your access is ready. We have sent you a confirmation by e-mail.")
    )
    return redirect(reverse("tenants:home"))
