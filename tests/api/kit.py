"""What every API test uses: app session tokens, a client that sends them, the access table.

Each area lists its endpoints in ``tests/api/access_<area>.py`` as ``ROUTES``; ``test_access.py``
runs every route for every role (owner, another tenant, a clerk, anonymous, an expired token)
and fails on an endpoint of the API that no ``ROUTES`` names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.headless.internal.sessionkit import new_session
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

API = "/api/v1"


def token_for(user, *, expired: bool = False) -> str:
    """An app session token for `user`, as allauth's headless login would hand it out."""
    session = new_session()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "tenants.backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if expired:
        session.set_expiry(timedelta(seconds=-60))
    session.save()
    return session.session_key


class AppClient:
    """A client like the app: JSON in and out, the token in X-Session-Token, no cookies."""

    def __init__(self, token: str | None = None, *, language: str | None = None) -> None:
        self.token = token
        self.language = language
        self.client = Client(enforce_csrf_checks=True)

    def _headers(self) -> dict[str, str]:
        headers = {}
        if self.token:
            headers["X-Session-Token"] = self.token
        if self.language:
            headers["Accept-Language"] = self.language
        return headers

    def request(self, method: str, url: str, *, json_body: Any = None, data=None, files=None):
        if not url.startswith("/"):
            url = f"{API}/{url}"
        headers = self._headers()
        method = method.lower()
        if files is not None or data is not None:
            payload = dict(data or {})
            payload.update(files or {})
            return getattr(self.client, method)(url, payload, headers=headers)
        if json_body is not None:
            return getattr(self.client, method)(
                url, json.dumps(json_body), content_type="application/json", headers=headers
            )
        return getattr(self.client, method)(url, headers=headers)

    def get(self, url, **kwargs):
        return self.request("get", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("post", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.request("patch", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("delete", url, **kwargs)


def problem(response) -> dict:
    """The problem body of an error answer (and that it is one)."""
    assert response["Content-Type"] == "application/problem+json", response.content[:300]
    body = response.json()
    assert body["status"] == response.status_code
    assert body["detail"] and body["title"] and body["code"]
    return body


@dataclass
class Call:
    """One call of a route on the owner's data, built by the route for the world."""

    url: str  # relative to /api/v1/, e.g. "documents/12"
    json: Any = None
    data: dict | None = None
    files: Callable[[], dict] | None = None  # fresh file objects per call
    owner_status: int = 200
    # True: the URL names one of the owner's objects, so another tenant gets 404.
    # False: a list or a create; another tenant gets their own answer (other_status).
    scoped: bool = True
    other_status: int = 200
    # Strings of the owner's data that must never reach another tenant.
    secrets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST, PATCH, PUT, DELETE
    path: str  # as in the schema, e.g. "/api/v1/documents/{document_id}"
    build: Callable[[Any], Call]
    # SQL queries of the owner's call; checked again after `more` added more of the owner's data.
    queries: int
    more: Callable[[Any], None] | None = None
    # Open without sign-in (registration): no role is refused; `secrets` still must not leak.
    public: bool = False
