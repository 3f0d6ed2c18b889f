from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .backends import session_backend_upgrade

# The signed-in account's language, copied into the session at login (tenants.adapters, the
# registration's last step); it outranks the cookie while the session lasts.
SESSION_LANGUAGE = "portal_language"


def account_language_apply(request, user) -> None:
    """Use the account's language from now on: in this request, the session and the cookie."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    request.session[SESSION_LANGUAGE] = language
    translation.activate(language)
    request.LANGUAGE_CODE = language


class PortalLocaleMiddleware(LocaleMiddleware):
    """German unless the visitor chose English with the switch in the page or on the account.

    Django would follow the browser's Accept-Language; many tenants use phones set to English
    without reading English, so only an explicit choice counts: signed in, the account's
    language (tenants.models.User.language, kept in the session); otherwise the language cookie.
    The language switch in the header, used while signed in, also changes the account's
    language; the cookie follows the account so the choice survives logging out.
    """

    def process_request(self, request):
        if request.path.startswith(API_PREFIXES):
            # The app says which language it shows in Accept-Language; a signed-in call then
            # answers in the account's language (tenants.apikit.TenantTokenAuth).
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        languages = dict(settings.LANGUAGES)
        session = getattr(request, "session", None)
        language = session.get(SESSION_LANGUAGE) if session is not None else None
        if language not in languages:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            if request.method == "POST" and request.path == reverse("set_language"):
                self._switch_stored(request, user, response)
            language = session.get(SESSION_LANGUAGE)
            if (
                language in dict(settings.LANGUAGES)
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
                and settings.LANGUAGE_COOKIE_NAME not in response.cookies
            ):
                self._set_cookie(response, language)
        return super().process_response(request, response)

    @staticmethod
    def _switch_stored(request, user, response) -> None:
        """The header's switch while signed in: the new language also goes on the account."""
        morsel = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        language = morsel.value if morsel is not None else None
        if language not in dict(settings.LANGUAGES):
            return
        from .http import client_ip
        from .services import user_language_set

        user_language_set(user=user, language=language, by=user, ip_address=client_ip(request))
        request.session[SESSION_LANGUAGE] = language

    @staticmethod
    def _set_cookie(response, language: str) -> None:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


# The app's sign-in and JSON API (config/urls.py).
API_PREFIXES = ("/api/", "/_allauth/")


class PortalAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's, with sessions of the backends before tenants.backends moved to those."""

    def process_request(self, request):
        session = getattr(request, "session", None)
        if session is not None:
            session_backend_upgrade(session)
        super().process_request(request)


class PrivateNoStoreMiddleware:
    """Signed-in pages and downloads carry names, contracts and bank details: no cache (the
    browser's back/forward cache, a shared proxy) may keep them. A view that sets its own
    Cache-Control (e.g. the consumption chart, which holds no names) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(API_PREFIXES):
            # The app's answers: tokens, names, bank details – whoever asks, whatever the view set.
            response["Cache-Control"] = "private, no-store"
        elif (
            user is not None and user.is_authenticated and not response.has_header("Cache-Control")
        ):
            response["Cache-Control"] = "private, no-store"
        return response


class ApiProblemMiddleware:
    """Under /api/ every error is a problem (tenants.apikit): also Django's page for an unknown
    address and ninja's bare answer to a method an endpoint does not have."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith(
                ("application/json", "application/problem")
            )
        ):
            from .apikit import ApiError, problem_response

            if response.status_code == 404:
                return problem_response(ApiError.not_found())
            allowed = response.get("Allow", "")
            error = ApiError(
                405,
                "method_not_allowed",
                _("This address does not take %(method)s requests.") % {"method": request.method},
                headers={"Allow": allowed} if allowed else None,
            )
            return problem_response(error)
        return response


class StaffMFARequiredMiddleware:
    """Clerks see every tenant's contracts and bank details: the admin opens only for a staff
    account with a second factor (PORTAL_STAFF_MFA_REQUIRED). Without one, every admin URL
    leads to the page where an authenticator app or a passkey is set up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .mfa import staff_second_factor_missing

        user = getattr(request, "user", None)
        if (
            user is not None
            and request.path.startswith(reverse("admin:index"))
            and staff_second_factor_missing(user=user)
        ):
            messages.warning(
                request,
                _(
                    "The clerks' workplace shows every tenant's contracts and bank details, so a "
                    "password alone is not enough to open it. Please set up a second factor first: "
                    "an authenticator app on your phone or a passkey. It takes two minutes; "
                    "afterwards the workplace opens as usual."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)
