"""Project-wide guarantees: deploy checks, layering, no PyPI requests, health endpoint."""

import ast
import importlib.metadata
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["registration", "documents", "contracts", "requests", "consumption", "notices"]


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a server never has it.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "PORTAL_REGISTRATION_CODE_KEY": secrets.token_urlsafe(32),
        "PORTAL_FIELD_ENCRYPTION_KEYS": "fPZXLa3ZQbdPdvS3jm0t7x0yE6m1Ht9oQkzcM2wN1nY=",
        "DJANGO_ALLOWED_HOSTS": "mein.thor.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_have_no_default_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ALLOWED_HOSTS="x",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def _imported_modules(app: str) -> set[str]:
    """Every absolute module an app's code imports (migrations included), e.g. "tenants.models"."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
                # "from documents import models" reaches the tables as much as the dotted form
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _imported_portal_apps(app: str) -> set[str]:
    found = {name.split(".")[0] for name in _imported_modules(app)}
    return found & ({"tenants", *AREAS} - {app})


def test_tenants_imports_no_other_portal_app():
    assert _imported_portal_apps("tenants") == set()


@pytest.mark.parametrize("app", AREAS)
def test_areas_import_only_tenants_and_documents(app):
    allowed = {"tenants"} if app == "documents" else {"tenants", "documents"}
    assert _imported_portal_apps(app) <= allowed


@pytest.mark.parametrize("app", AREAS)
def test_no_area_reaches_into_another_areas_tables(app):
    """An area uses another area's services and selectors, never its models (tables)."""
    others = set(AREAS) - {app}
    reaching = {
        name
        for name in _imported_modules(app)
        if name.split(".")[0] in others and ".models" in f".{name.partition('.')[2]}"
    }
    assert reaching == set()


def test_the_tenancy_is_base_data():
    """Every area finds the contracts in the base layer; no registry slot stands in for it."""
    from tenants import registry
    from tenants.models import Contract

    assert Contract._meta.app_label == "tenants"
    assert not [name for name in vars(registry) if "unit" in name or "partner" in name]


def test_pypi_requests_is_not_installed_and_our_app_wins():
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution("requests")
    import requests

    assert Path(requests.__file__).parent == ROOT / "requests"


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_broker_outage_without_leaving_service(client):
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.update(task_always_eager=previous[0], broker_url=previous[1])

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "unavailable", "status": "degraded"}
