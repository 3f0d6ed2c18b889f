"""The app's JSON API, version 1, under /api/v1/ (django-ninja).

Each area keeps its endpoints in its own ``api.py`` as a ninja ``Router``: a thin layer over the
area's selectors and services. This module only puts them together, with the shared pieces of
``tenants/apikit.py``: token sign-in, the problem format, rate limits. The schema is committed in
``docs/api/openapi.json`` (``make api-schema``); the typed client in
``clients/`` is generated from it. See docs/api.md.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tenants.apikit import (
    PROBLEM_CONTENT_TYPE,
    ApiError,
    ClientRateThrottle,
    tenant_token_auth,
)
from tenants.errors import PortalError

logger = logging.getLogger(__name__)


class PortalNinjaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """The endpoint function's name (unique across the API, tests/api/test_schema.py):
        the generated client's functions are named after it."""
        return operation.view_func.__name__


def _build() -> NinjaAPI:
    api = PortalNinjaAPI(
        title=f"{settings.PORTAL_NAME} API",
        version="1",
        description=(
            "The JSON API of the tenant portal for the meinTHOR app. Sign in through "
            "`/_allauth/app/v1/auth/login` and send the session token in the `X-Session-Token` "
            "header. Errors are problems (RFC 9457, `application/problem+json`)."
        ),
        urls_namespace="api-v1",
        auth=tenant_token_auth,
        throttle=[
            ClientRateThrottle(settings.PORTAL_API_RATE_LIMIT, scope="api"),
        ],
        docs_url="/docs" if settings.PORTAL_API_DOCS else None,
        openapi_url="/openapi.json",
    )

    def problem(request: HttpRequest, error: ApiError):
        response = api.create_response(request, error.body(), status=error.status)
        response["Content-Type"] = PROBLEM_CONTENT_TYPE
        for name, value in error.headers.items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_problem(request, exc: ApiError):
        return problem(request, exc)

    @api.exception_handler(PortalError)
    def portal_error(request, exc: PortalError):
        return problem(request, ApiError.from_portal_error(exc))

    @api.exception_handler(AuthenticationError)
    def not_signed_in(request, exc):
        return problem(
            request,
            ApiError(
                401,
                "not_authenticated",
                _("Please sign in. Your session may have ended; sign in again in the app."),
            ),
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(request, ApiError.not_found())

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        # ninja's locations are (source, parameter, field…); the app knows only the field.
        errors = [
            {
                "field": ".".join(str(part) for part in error.get("loc", ())[2:])
                or str(error.get("loc", ("", ""))[-1]),
                "message": _("This value is missing or has the wrong form."),
            }
            for error in exc.errors
        ]
        return problem(request, ApiError.invalid(errors))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 429:
            return problem(
                request,
                ApiError(
                    429,
                    "rate_limited",
                    _("Too many requests in a short time. Please wait a moment."),
                    headers={"Retry-After": "60"},
                ),
            )
        if exc.status_code == 405:
            return problem(request, ApiError(405, "method_not_allowed", str(exc)))
        return problem(request, ApiError(exc.status_code, "error", str(exc)))

    for prefix, router, tag in _routers():
        # One English tag per area: the generated client's modules are named after it.
        api.add_router(prefix, router, tags=[tag])
    return api


def _routers():
    """Every area's router, in the order of the documentation."""
    from consumption.api import router as consumption
    from contracts.api import router as contracts
    from documents.api import router as documents
    from notices.api import router as notices
    from registration.api import router as registration
    from requests.api import router as requests_router
    from tenants.api import router as me

    return [
        ("/registration", registration, "registration"),
        ("", me, "account"),
        ("/contracts", contracts, "contracts"),
        ("", documents, "documents"),
        ("/requests", requests_router, "requests"),
        ("/consumption", consumption, "consumption"),
        ("/notices", notices, "notices"),
    ]


api = _build()
