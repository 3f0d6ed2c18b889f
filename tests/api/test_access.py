"""The web's access table, repeated for every endpoint of the API: 0 leaks.

Every route of ``tests/api/access_*.py`` for every role: anonymous and an expired token get 401,
a clerk's token 403 (clerks work in the admin, never as a tenant), another tenant 404 for the
owner's objects (or their own answer, without a trace of the owner's data), the owner the
documented answer in a pinned number of SQL queries that does not grow with the owner's data.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from config.api import api

from .kit import Route, problem

ROLES_REFUSED = {"anonymous": 401, "expired": 401, "clerk": 403}


def all_routes() -> list[Route]:
    routes = []
    for path in sorted(Path(__file__).parent.glob("access_*.py")):
        module = importlib.import_module(f"tests.api.{path.stem}")
        routes.extend(module.ROUTES)
    return routes


ROUTES = all_routes()


def schema_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_endpoint_is_in_the_access_table():
    listed = {(route.method, route.path) for route in ROUTES}
    missing = schema_operations() - listed
    assert not missing, f"endpoints without an access-table row: {sorted(missing)}"
    stale = listed - schema_operations()
    assert not stale, f"access-table rows for endpoints that do not exist: {sorted(stale)}"


def _send(client, route: Route, call):
    return client.request(
        route.method,
        call.url,
        json_body=call.json,
        data=call.data,
        files=call.files() if call.files else None,
    )


def _text(response) -> str:
    if response.get("Content-Type", "").startswith(("application/json", "application/problem")):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode("latin-1")


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_access(route: Route, world):
    call = route.build(world)

    for role, status in ROLES_REFUSED.items():
        if route.public:
            break
        response = _send(world.client(role), route, call)
        assert response.status_code == status, (role, response.content[:300])
        assert response["Cache-Control"] == "private, no-store"
        body = problem(response)
        for secret in call.secrets:
            assert secret not in json.dumps(body, ensure_ascii=False), (role, secret)

    other = _send(world.client("other"), route, call)
    if call.scoped:
        assert other.status_code == 404, other.content[:300]
        problem(other)
    else:
        assert other.status_code == call.other_status, other.content[:300]
    for secret in call.secrets:
        assert secret not in _text(other), f"another tenant sees {secret!r}"

    owner = world.client("owner")
    with CaptureQueriesContext(connections["default"]) as queries:
        response = _send(owner, route, call)
    assert response.status_code == call.owner_status, response.content[:500]
    assert response["Cache-Control"] == "private, no-store"
    assert len(queries) == route.queries, "\n".join(q["sql"][:200] for q in queries)

    if route.more is not None:
        route.more(world)
        call = route.build(world) if route.method != "GET" else call
        with CaptureQueriesContext(connections["default"]) as queries:
            response = _send(owner, route, call)
        assert response.status_code == call.owner_status
        assert len(queries) == route.queries, "the query count grows with the tenant's data"
