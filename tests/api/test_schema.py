"""The OpenAPI schema is complete (every route documented and typed) and stable (committed in
docs/api/openapi.json, so a change shows in review), and the typed client is generated from it."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config.api import api

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "docs" / "api" / "openapi.json"
CLIENT = ROOT / "clients" / "meinthor_client"
FIX = "Run `make api-schema` and commit docs/api/openapi.json and clients/."
METHODS = {"get", "post", "put", "patch", "delete"}


def current_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_committed_schema_is_the_current_one():
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert committed == current_schema(), FIX


def test_every_operation_is_documented_and_typed():
    schema = current_schema()
    components = schema["components"]["schemas"]
    ids = []
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        ids.append(operation["operationId"])
        assert path.startswith("/api/v1/"), where
        assert operation.get("summary"), f"{where}: no summary"
        assert operation.get("description"), f"{where}: no description (the docstring)"
        assert len(operation.get("tags", [])) == 1, f"{where}: one tag per area"
        responses = operation["responses"]
        success = [code for code in responses if code.startswith("2")]
        assert success, f"{where}: no success response"
        for code, response in responses.items():
            content = response.get("content")
            if code == "204" or code.startswith("3"):
                continue  # no body (a redirect: the signed URL of the file)
            assert content, f"{where} {code}: no content documented"
            for media, body in content.items():
                schema_of = body.get("schema") or {}
                assert schema_of, f"{where} {code} {media}: untyped"
                if media == "application/json":
                    ref = schema_of.get("$ref") or schema_of.get("items", {}).get("$ref")
                    assert ref, f"{where} {code}: response is not a named schema"
                    name = ref.rsplit("/", 1)[-1]
                    assert components[name].get("properties"), f"{where} {code}: empty schema"
            if not code.startswith("2"):
                assert content["application/json"]["schema"]["$ref"].endswith("/Problem"), where
        public = operation.get("security") is None or "/registration/" in path
        if not public:
            assert operation["security"] == [{"TenantTokenAuth": []}], where
            for code in ("401", "403", "429"):
                assert code in responses, f"{where}: {code} not documented"
    assert len(ids) == len(set(ids)), "operation ids (endpoint function names) must be unique"


def test_the_endpoint_list_in_the_docs_is_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api_endpoints.py"), "--check"], check=False
    )
    assert result.returncode == 0, FIX


def test_every_schema_property_has_a_type():
    for name, component in current_schema()["components"]["schemas"].items():
        for prop, spec in component.get("properties", {}).items():
            assert any(key in spec for key in ("type", "$ref", "anyOf", "allOf", "enum")), (
                f"{name}.{prop} is untyped"
            )


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.prefix) / "bin" / "ruff").exists(),
    reason="needs ruff (requirements/local.txt)",
)
def test_the_client_is_generated_from_the_committed_schema(tmp_path):
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    out = tmp_path / "meinthor_client"
    subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(SNAPSHOT),
            "--config",
            str(ROOT / "clients" / "generator.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(out),
        ],
        check=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
    )
    differences = _differences(filecmp.dircmp(out, CLIENT, ignore=["__pycache__"]))
    assert not differences, f"{FIX} Differs: {differences[:10]}"


def _differences(cmp: filecmp.dircmp) -> list[str]:
    found = [*cmp.left_only, *cmp.right_only, *cmp.diff_files, *cmp.funny_files]
    for sub in cmp.subdirs.values():
        found.extend(_differences(sub))
    return found
