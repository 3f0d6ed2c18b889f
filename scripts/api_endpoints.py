"""Write the endpoint list of docs/api.md from docs/api/openapi.json (make api-schema).

python scripts/api_endpoints.py          # rewrite docs/api.md
python scripts/api_endpoints.py --check  # exit 1 when docs/api.md is out of date
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "api" / "openapi.json"
DOC = ROOT / "docs" / "api.md"
BLOCK = re.compile(r"(<!-- endpoints:[^\n]*-->\n)(.*?)(<!-- /endpoints -->)", re.S)
METHODS = ("get", "post", "put", "patch", "delete")


def table(schema: dict) -> str:
    rows: dict[str, list[str]] = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = operation["tags"][0]
            public = "" if operation.get("security") else " (no sign-in)"
            rows.setdefault(tag, []).append(
                f"| `{method.upper()} {path}` | {operation['summary']}{public} |"
            )
    lines = []
    for tag, entries in rows.items():
        lines += [f"**{tag}**", "", "| endpoint | what |", "| --- | --- |", *entries, ""]
    return "\n".join(lines)


def render() -> str:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    text = DOC.read_text(encoding="utf-8")
    return BLOCK.sub(lambda m: m.group(1) + "\n" + table(schema) + "\n" + m.group(3), text)


if __name__ == "__main__":
    new = render()
    if "--check" in sys.argv:
        sys.exit(0 if new == DOC.read_text(encoding="utf-8") else 1)
    DOC.write_text(new, encoding="utf-8")
