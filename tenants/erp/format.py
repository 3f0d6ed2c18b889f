"""The exchange format: one file per entity, its fields, and reading rows from CSV or JSON Lines.

Every value is read as text first (a JSON number or list becomes text too), so CSV and JSON Lines
go through the same validation in `importer.py`.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FORMAT_VERSION = 1
MODES = ("full", "delta")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text | enum | decimal | date | email | bool | list
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    places: int = 2  # decimals
    max_digits: int = 9
    positive: bool = False  # decimal > 0 (else >= 0)


AREAS = ("customer_service", "accounting", "technical")

ENTITIES: dict[str, tuple[Field, ...]] = {
    "properties": (
        Field("number", required=True, max_length=20),
        Field("name", required=True, max_length=200),
        Field("street", required=True, max_length=200),
        Field("postal_code", required=True, max_length=10),
        Field("city", required=True, max_length=100),
    ),
    "units": (
        Field("property", required=True, max_length=20),
        Field("number", required=True, max_length=20),
        Field("kind", "enum", required=True, choices=("flat", "parking", "commercial")),
        Field("street", max_length=200),
        Field("location", max_length=100),
        Field("rooms", "decimal", places=1, max_digits=3, positive=True),
        Field("living_area", "decimal", places=2, max_digits=7, positive=True),
    ),
    "tenants": (
        Field("number", required=True, max_length=20),
        Field("salutation", "enum", choices=("ms", "mr", "none")),
        Field("title", max_length=50),
        Field("first_name", required=True, max_length=150),
        Field("last_name", required=True, max_length=150),
        Field("street", required=True, max_length=200),
        Field("address_extra", max_length=200),
        Field("postal_code", required=True, max_length=10),
        Field("city", required=True, max_length=100),
        Field("country", max_length=2),
        Field("phone", max_length=50),
        Field("email", "email", max_length=254),
        Field("paperless_consent", "bool"),
    ),
    "contracts": (
        Field("number", required=True, max_length=30),
        Field("property", required=True, max_length=20),
        Field("unit", required=True, max_length=20),
        Field("partners", "list", required=True),
        Field("start_date", "date", required=True),
        Field("end_date", "date"),
        Field("grundmiete", "decimal"),
        Field("betriebskosten_vorauszahlung", "decimal"),
        Field("heizkosten_vorauszahlung", "decimal"),
    ),
    "responsibilities": (
        Field("property", required=True, max_length=20),
        Field("area", "enum", required=True, choices=AREAS),
        Field("clerk_email", "email", max_length=254),
        Field("team", required=True, max_length=100),
    ),
    "contact_persons": (
        Field("property", max_length=20),
        Field("name", required=True, max_length=150),
        Field("role", required=True, max_length=150),
        Field("area", "enum", required=True, choices=AREAS),
        Field("phone", required=True, max_length=50),
        Field("email", "email", required=True, max_length=254),
        Field("office_hours", max_length=200),
        Field("order", "decimal", places=0, max_digits=5),
        # Optional English texts: a file without these columns leaves the portal's English as is.
        Field("role_en", max_length=150),
        Field("office_hours_en", max_length=200),
    ),
}
# Columns whose absence from a file keeps what the portal has (clerks may maintain them there).
OPTIONAL_COLUMNS = {"contact_persons": ("role_en", "office_hours_en")}
ORDER = tuple(ENTITIES)


class FormatError(Exception):
    """The directory cannot be read at all (manifest, header, encoding): nothing is imported."""


def entity_file(directory: Path, entity: str) -> Path | None:
    """`<entity>.csv` or `<entity>.jsonl`; both at once is ambiguous."""
    found = [p for p in (directory / f"{entity}.csv", directory / f"{entity}.jsonl") if p.exists()]
    if len(found) > 1:
        raise FormatError(f"{entity}: both a .csv and a .jsonl file")
    return found[0] if found else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value).strip()


def read_rows(path: Path, entity: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {field: text}) for every data row. Unknown or missing columns are fatal."""
    names = {f.name for f in ENTITIES[entity]}
    required = {f.name for f in ENTITIES[entity] if f.required}
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        with handle:
            if path.suffix == ".csv":
                reader = csv.DictReader(handle, delimiter=";")
                header = [h.strip() for h in (reader.fieldnames or [])]
                reader.fieldnames = header
                _check_columns(path, set(header), names, required)
                for row in reader:
                    if None in row:
                        yield reader.line_num, {"__error__": "too many columns"}
                        continue
                    yield reader.line_num, {k: (v.strip() if v else "") for k, v in row.items()}
                return
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError:
                    yield number, {"__error__": "not a JSON object"}
                    continue
                if not isinstance(data, dict):
                    yield number, {"__error__": "not a JSON object"}
                    continue
                unknown = set(data) - names
                if unknown:
                    yield number, {"__error__": f"unknown fields {', '.join(sorted(unknown))}"}
                    continue
                yield number, {k: _text(v) for k, v in data.items()}
    except UnicodeDecodeError as error:
        raise FormatError(f"{path.name}: not UTF-8 ({error})") from error


def _check_columns(path: Path, header: set[str], names: set[str], required: set[str]) -> None:
    if header - names:
        raise FormatError(f"{path.name}: unknown columns {', '.join(sorted(header - names))}")
    if required - header:
        raise FormatError(f"{path.name}: missing columns {', '.join(sorted(required - header))}")


def json_schema(entity: str) -> dict:
    """The JSON Schema of one JSON Lines row (docs/erp/schemas/<entity>.v1.json is this)."""
    properties = {}
    for f in ENTITIES[entity]:
        if f.kind == "enum":
            spec = {"type": "string", "enum": list(f.choices)}
        elif f.kind == "decimal":
            spec = {"type": ["number", "string"], "description": f"decimal, {f.places} places"}
        elif f.kind == "date":
            spec = {"type": "string", "format": "date"}
        elif f.kind == "email":
            spec = {"type": "string", "format": "email"}
        elif f.kind == "bool":
            spec = {"type": "boolean"}
        elif f.kind == "list":
            spec = {"type": "array", "items": {"type": "string"}, "minItems": 1}
        else:
            spec = {"type": "string"}
        if f.max_length and f.kind in ("text", "email"):
            spec["maxLength"] = f.max_length
        if f.required and spec.get("type") == "string":
            spec["minLength"] = 1
        properties[f.name] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://portal.example/erp/schemas/{entity}.v{FORMAT_VERSION}.json",
        "title": f"ERP {entity}, format version {FORMAT_VERSION}",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in ENTITIES[entity] if f.required],
        "additionalProperties": False,
    }


def read_manifest(directory: Path) -> dict:
    path = directory / "manifest.json"
    if not path.exists():
        raise FormatError("manifest.json is missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FormatError(f"manifest.json: {error}") from error
    if manifest.get("format_version") != FORMAT_VERSION:
        raise FormatError(f"manifest.json: format_version must be {FORMAT_VERSION}")
    if manifest.get("mode") not in MODES:
        raise FormatError("manifest.json: mode must be full or delta")
    if not manifest.get("exported_at"):
        raise FormatError("manifest.json: exported_at is missing")
    return manifest
