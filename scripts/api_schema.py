"""Write the app API's OpenAPI schema to docs/api/openapi.json (make api-schema).

Keys sorted, two-space indent, UTF-8: a change of the API shows as a readable diff in review.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "api" / "openapi.json"


def schema_text() -> str:
    from config.api import api

    # Through JSON once: ninja's response codes are ints, the file's keys are strings.
    schema = json.loads(json.dumps(api.get_openapi_schema()))
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    TARGET.write_text(schema_text(), encoding="utf-8")
