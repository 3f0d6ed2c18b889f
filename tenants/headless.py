"""The app's sessions outside allauth's own headless views.

The app signs in at ``/_allauth/app/v1/auth/login`` and gets a session token: the key of a
Django session that allauth created for it. The registration API ends in the same kind of
session, so that a tenant who registered in the app is signed in there at once. It is begun the
way allauth's headless login begins one: a fresh session, allauth's login flow (its stages, the
``user_logged_in`` signal: the device list, the sign-in record, the new-device notice), and the
session's key handed out as the token.
"""

from __future__ import annotations

from types import SimpleNamespace

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import perform_login
from allauth.account.models import Login
from allauth.core.internal.httpkit import is_headless_request
from allauth.headless import app_settings as headless_settings
from allauth.headless.constants import Client
from allauth.headless.internal import sessionkit
from allauth.headless.internal.authkit import purge_request_user_cache
from allauth.headless.internal.decorators import mark_request_as_headless
from django.http import HttpRequest

from .models import User


def app_request_mark(request: HttpRequest) -> None:
    """Treat this request as the app's: allauth then adds no page messages (no cookie)."""
    if getattr(request, "allauth", None) is None:  # outside allauth's AccountMiddleware
        request.allauth = SimpleNamespace()
    mark_request_as_headless(request, Client.APP)


def is_app_request(request: HttpRequest) -> bool:
    return is_headless_request(request) == Client.APP


def app_session_start(*, request: HttpRequest, user: User) -> str | None:
    """Sign `user` in on a new app session; its session token (None if a stage is pending).

    Whatever session the request came with (a cookie, another account's token) stays untouched.
    """
    app_request_mark(request)
    old_session, old_user = request.session, request.user
    request.session = sessionkit.new_session()
    purge_request_user_cache(request)
    # As allauth's authentication_context: who was signed in before (nobody, on this session).
    request.allauth.headless._pre_user = request.user
    try:
        perform_login(
            request,
            Login(
                user=user,
                email_verification=account_settings.EMAIL_VERIFICATION,
                email=user.email,
            ),
        )
        if not request.user.is_authenticated or request.user.pk != user.pk:
            return None
        token = headless_settings.TOKEN_STRATEGY.create_session_token(request)
        if request.session.modified:
            request.session.save()
        return token
    finally:
        request.session, request.user = old_session, old_user
        # Signing in rotates the CSRF token; the app has no cookie to receive a new one.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
