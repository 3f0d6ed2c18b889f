"""What holds for the whole API: the problem format, languages, no caching, rate limits, docs."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tenants.models import AuditEntry

from .kit import AppClient, problem, token_for

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_token_is_a_problem_in_german_and_english(db):
    response = AppClient().get("me")
    assert response.status_code == 401
    body = problem(response)
    assert body["code"] == "not_authenticated"
    assert body["type"] == "urn:meinthor:problem:not_authenticated"
    assert "Bitte melden Sie sich an" in body["detail"]

    english = problem(AppClient(language="en").get("me"))
    assert english["detail"].startswith("Please sign in")


def test_a_wrong_token_is_401_and_never_a_server_error(db):
    for token in ("", "x", "0" * 32, "../../etc/passwd", "ä" * 40):
        response = AppClient(token).get("me")
        assert response.status_code == 401


def test_the_answer_uses_the_account_language(world):
    world.owner.user.language = "en"
    world.owner.user.save(update_fields=["language"])
    response = world.client("owner").patch("me", json_body={"phone": "12"})
    body = problem(response)
    assert response.status_code == 422
    assert body["errors"] == [
        {
            "field": "phone",
            "message": "This phone number is too short. Please include the area code.",
        }
    ]


def test_validation_uses_the_pages_messages_and_changes_nothing(world, owner_app):
    response = owner_app.patch("me", json_body={"phone": "040 123 abc", "paperless_consent": False})
    body = problem(response)
    assert response.status_code == 422
    assert body["errors"][0]["field"] == "phone"
    assert "nur Ziffern" in body["errors"][0]["message"]
    world.owner.refresh_from_db()
    assert world.owner.paperless_consent is True  # one wrong field: nothing saved


def test_a_wrongly_typed_body_is_a_problem_with_the_field(owner_app):
    response = owner_app.patch("me", json_body={"paperless_consent": "vielleicht"})
    body = problem(response)
    assert response.status_code == 422
    assert body["errors"][0]["field"] == "paperless_consent"


def test_profile_changes_are_audited_like_the_page(world, owner_app):
    response = owner_app.patch("me", json_body={"phone": "040 7654321", "language": "en"})
    assert response.status_code == 200
    assert response.json()["phone"] == "040 7654321"
    assert response.json()["language"] == "en"
    actions = set(
        AuditEntry.objects.filter(actor=world.owner.user).values_list("action", flat=True)
    )
    assert {"tenant.phone_changed", "user.language_changed"} <= actions


def test_after_the_tenancy_the_phone_is_refused_but_the_consent_can_be_withdrawn(world, owner_app):
    from datetime import date

    world.owner_contract.end_date = date(2024, 12, 31)
    world.owner_contract.save()
    refused = owner_app.patch("me", json_body={"phone": "040 7654321"})
    assert refused.status_code == 403
    assert problem(refused)["code"] == "read_only"
    withdrawn = owner_app.patch("me", json_body={"paperless_consent": False})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["paperless_consent"] is False
    assert withdrawn.json()["read_only"] is True


def test_every_answer_is_private_and_not_stored(world, owner_app):
    for response in (owner_app.get("me"), AppClient().get("me"), owner_app.get("nichts-da")):
        assert response["Cache-Control"] == "private, no-store"
    login = AppClient().post(
        "/_allauth/app/v1/auth/login", json_body={"email": "x@example.org", "password": "y"}
    )
    assert login["Cache-Control"] == "private, no-store"


def test_the_rate_limit_is_per_client(world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PORTAL_API_RATE_LIMIT = "3/m"
    from config.api import api

    throttle = api.throttle[0]
    old_rate = throttle.rate
    throttle.rate = "3/m"
    throttle.num_requests, throttle.duration = throttle.parse_rate("3/m")
    try:
        owner = AppClient(token_for(world.owner.user))
        statuses = [owner.get("me").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = owner.get("me")
        body = problem(limited)
        assert body["code"] == "rate_limited"
        assert limited["Retry-After"]
        # Another tenant's app is not slowed down by it.
        assert AppClient(token_for(world.other.user)).get("me").status_code == 200
    finally:
        throttle.rate = old_rate
        throttle.num_requests, throttle.duration = throttle.parse_rate(old_rate)


def test_the_docs_come_from_the_portal_itself(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("/static/ninja/swagger-ui-bundle" in a for a in assets)
    assert all(a.startswith("/") for a in assets), assets  # nothing from a CDN
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "meinTHOR API"


def test_production_has_no_docs_but_the_schema(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "PORTAL_REGISTRATION_CODE_KEY": secrets.token_urlsafe(32),
        "PORTAL_FIELD_ENCRYPTION_KEYS": "fPZXLa3ZQbdPdvS3jm0t7x0yE6m1Ht9oQkzcM2wN1nY=",
        "DJANGO_ALLOWED_HOSTS": "mein.thor.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    code = (
        "import django; django.setup();"
        "from django.urls import resolve, Resolver404;"
        "from config.api import api;"
        "print(api.docs_url, resolve('/api/v1/openapi.json').url_name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["None", "openapi-json"]


@pytest.mark.parametrize("path", ["me", "does-not-exist"])
def test_unknown_paths_and_methods_are_problems_too(owner_app, path):
    response = owner_app.delete(path)
    assert response.status_code in (404, 405)
    problem(response)
