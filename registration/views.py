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

from tenants.errors import PortalError
from tenants.http import client_ip
from tenants.mfa import second_factor_offer
from tenants.middleware import account_language_apply

from .forms import AccountForm, CodeForm, ConfirmationCodeForm, password_rules
from .services import (
    Outcome,
    registration_account_create,
    registration_code_check_paced,
    registration_code_usable,
    registration_confirm_by_code,
    registration_confirm_by_link,
    registration_language,
)

SESSION_CODE = "registration_code_id"
SESSION_EMAIL = "registration_email"
AUTH_BACKEND = "tenants.backends.AuthenticationBackend"


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
            # Every answer takes the same minimum time, whichever check failed.
            check = registration_code_check_paced(
                typed_code=form.cleaned_data["code"],
                last_name=form.cleaned_data["last_name"],
                ip=client_ip(request),
                started=started,
            )
            if check.outcome == Outcome.OK:
                request.session.cycle_key()
                request.session[SESSION_CODE] = check.code.pk
                request.session[SESSION_STARTED] = time.time()
                return redirect("registration:account")
            form.add_error(None, check.message)
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
                    language=registration_language(chosen=form.cleaned_data["language"]),
                )
            except PortalError as error:
                form.add_error(None, error.message)
            else:
                # The same next page whether or not the address was free (no enumeration).
                request.session[SESSION_EMAIL] = form.cleaned_data["email"]
                return redirect("registration:confirm")
    else:
        form = AccountForm(tenant=tenant, initial={"language": registration_language()})
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
        except PortalError as error:
            form.add_error("confirmation_code", error.message)
        else:
            return _welcome(request, user)
    return render(request, "registration/confirm.html", {"form": form, "email": email})


@never_cache
def confirm_link(request: HttpRequest, key: str) -> HttpResponse:
    """Step 3 on any device: the link from the e-mail. GET only asks; mail scanners follow links."""
    if request.method == "POST":
        try:
            user = registration_confirm_by_link(key=key, request=request)
        except PortalError as error:
            messages.error(request, error.message)
            return redirect("registration:start")
        return _welcome(request, user)
    return render(request, "registration/confirm_link.html", {"key": key})


def _welcome(request: HttpRequest, user) -> HttpResponse:
    for key in (SESSION_CODE, SESSION_EMAIL, SESSION_STARTED):
        request.session.pop(key, None)
    login(request, user, backend=AUTH_BACKEND)
    # From now on in the language chosen in step 2 (also for the message below).
    account_language_apply(request, user)
    messages.success(
        request, _("Welcome! Your access is ready. We have sent you a confirmation by e-mail.")
    )
    messages.info(request, second_factor_offer())
    return redirect(reverse("tenants:home"))
