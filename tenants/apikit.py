"""The pieces every JSON endpoint of the app API shares (config/api.py puts them together).

* **Sign-in**: the app signs in through django-allauth's headless API (``/_allauth/app/v1/…``)
  and sends the session token it got in the ``X-Session-Token`` header. :class:`TenantTokenAuth`
  resolves the token to the account and the tenant it acts for, exactly as
  ``tenants.decorators.tenant_required`` does for the pages: a clerk's or an unlinked account's
  token gets 403, a missing, ended or expired token 401.
* **Errors** are one problem format (RFC 9457, ``application/problem+json``):
  ``{"type", "title", "status", "detail", "code", "errors": [{"field", "message"}]}`` with the
  same German or English texts as the pages. Services raise ``PortalError``; endpoints never
  map codes to texts.
* **Validation** goes through the pages' own forms (:func:`form_data`): no rule is written twice.
* **Pagination**: stable cursors (ninja's ``CursorPagination``), newest first.
* **Rate limits** per client: per session token when signed in, per address otherwise.
* **No cache** keeps an answer: ``Cache-Control: private, no-store`` on every response under
  ``/api/`` and ``/_allauth/`` (tenants.middleware.PrivateNoStoreMiddleware).
"""

from __future__ import annotations

import hashlib
from typing import Any

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from allauth.headless.internal import sessionkit
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.pagination import CursorPagination
from ninja.throttling import SimpleRateThrottle

from .backends import session_backend_upgrade
from .errors import PortalError
from .selectors import tenant_for_user

PROBLEM_CONTENT_TYPE = "application/problem+json"
TOKEN_HEADER = "X-Session-Token"  # noqa: S105 (a header name)


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """Every error of the API. ``code`` is stable for programs; ``detail`` is for people."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """Raised by an endpoint to answer with a problem; rendered by config.api's handler."""

    titles = {
        400: gettext_lazy("Bad request"),
        401: gettext_lazy("Not signed in"),
        403: gettext_lazy("Not allowed"),
        404: gettext_lazy("Not found"),
        405: gettext_lazy("Method not allowed"),
        409: gettext_lazy("Conflict"),
        413: gettext_lazy("Too large"),
        422: gettext_lazy("Please check your input"),
        429: gettext_lazy("Too many requests"),
        500: gettext_lazy("Server error"),
        503: gettext_lazy("Temporarily unavailable"),
    }

    def __init__(
        self,
        status: int,
        code: str,
        detail: Any,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        super().__init__(code)

    def body(self) -> dict[str, Any]:
        return {
            "type": f"urn:meinthor:problem:{self.code}",
            "title": str(self.titles.get(self.status, self.titles[400])),
            "status": self.status,
            "detail": str(self.detail),
            "code": self.code,
            "errors": [{"field": e["field"], "message": str(e["message"])} for e in self.errors],
        }

    @classmethod
    def from_portal_error(cls, error: PortalError, status: int = 409) -> ApiError:
        return cls(status, error.code, error.message)

    @classmethod
    def not_found(cls) -> ApiError:
        return cls(404, "not_found", _("This page does not exist or is not yours."))

    @classmethod
    def invalid(cls, errors: list[dict[str, str]], detail: Any = None) -> ApiError:
        if detail is None:
            detail = errors[0]["message"] if len(errors) == 1 else _("Please check your input.")
        return cls(422, "invalid", detail, errors=errors)


def problem_response(error: ApiError):
    """An ``ApiError`` as the HTTP response (outside ninja, e.g. the middleware's fallbacks)."""
    import json

    from django.http import HttpResponse

    response = HttpResponse(
        json.dumps(error.body(), ensure_ascii=False),
        status=error.status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


def problem_responses(*statuses: int) -> dict[int, type[Problem]]:
    """`response=` entries for the problems an endpoint documents (401, 403 and 429 always)."""
    return {status: Problem for status in sorted({401, 403, 429, *statuses})}


def form_errors(form: forms.BaseForm, *, field_names: dict[str, str] | None = None):
    """A bound form's errors as the problem's ``errors`` (field names as the API calls them)."""
    names = field_names or {}
    prefix = f"{form.prefix}-" if form.prefix else ""
    errors = []
    for field, messages in form.errors.items():
        name = names.get(field, field.removeprefix(prefix))
        for message in messages:
            errors.append({"field": "" if name == "__all__" else name, "message": message})
    return errors


def form_data(form_class: type[forms.BaseForm], data: dict[str, Any], **kwargs) -> dict[str, Any]:
    """Validate ``data`` with the pages' own form; its cleaned data, or a 422 problem."""
    form = form_class(data=data, **kwargs)
    if not form.is_valid():
        raise ApiError.invalid(form_errors(form))
    return form.cleaned_data


class AppSessionTokenStrategy(SessionTokenStrategy):
    """allauth's session tokens, looked up in one query instead of two (exists, then load)."""

    def lookup_session(self, session_token: str):
        session = sessionkit.lookup_session(session_token) if session_token else None
        if session is not None:
            session_backend_upgrade(session)
        return session


class TenantTokenAuth(XSessionTokenAuth):
    """The app's session token → the account; the tenant it acts for in ``request.tenant``.

    Like the pages: a staff account never acts for a tenant (403), nor does an account without
    a tenant. The account's language is used for every text of the answer.
    """

    openapi_in = "header"
    openapi_name = TOKEN_HEADER
    openapi_description = (
        "The session token from django-allauth's app sign-in (/_allauth/app/v1/auth/login)."
    )

    def __call__(self, request: HttpRequest):
        token = self.get_session_token(request)
        found = sessionkit.authenticate_by_x_session_token(token) if token else None
        if found is None:
            return None
        user, session = found
        if not user.is_active:
            return None
        request.user = user
        # tenants.sessions.SessionActivityMiddleware keeps the device's "last seen" with it.
        request.app_session = session
        language = user.language if user.language in dict(settings.LANGUAGES) else "de"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        tenant = tenant_for_user(user=user)
        if tenant is None:
            raise ApiError(
                403,
                "no_tenant",
                _("This account is not linked to a tenancy. Please contact us."),
            )
        tenant.user = user  # the services read tenant.user (audit actor, e-mail): no query
        request.tenant = tenant
        return user


tenant_token_auth = TenantTokenAuth()


def token_of(request: HttpRequest) -> str:
    return request.headers.get(TOKEN_HEADER, "")


class ClientRateThrottle(SimpleRateThrottle):
    """Per client: the session token when the app sends one, otherwise the address."""

    scope = "api"

    def __init__(self, rate: str, scope: str = "api") -> None:
        self.scope = scope
        super().__init__(rate)

    def get_cache_key(self, request: HttpRequest) -> str:
        from .http import client_ip

        token = token_of(request)
        ident = (
            "t:" + hashlib.sha256(token.encode()).hexdigest()
            if token and getattr(request, "auth", None) is not None
            else "a:" + client_ip(request)
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


class NewestFirst(CursorPagination):
    """Stable cursors, newest first; ``page_size`` up to 100."""

    def __init__(self, *, ordering=("-id",), page_size: int = 20, **kwargs) -> None:
        super().__init__(ordering=ordering, page_size=page_size, max_page_size=100, **kwargs)
