"""`erp_import`: validate every file of an ERP export, then apply it in one transaction.

Set-based: the existing rows are loaded once into dicts keyed by their natural key, the
create / change / unchanged decision is made in Python, and the writes are bulk_create /
bulk_update in batches of 2,000. Rules (docs/erp-interface.md):

- A refused row (format, reference, date, duplicate) is reported with file, line and reason and
  skipped; rows that refer to it are refused too, unless the referenced row already exists.
- Full mode ends the contracts of the database that the contracts file does not list (end date =
  the export's date, never before the start); nothing is deleted, tenants never. Contact persons
  missing from a full file are hidden from tenants.
- Phone, e-mail and paperless consent are maintained by the tenant in the portal. A value changed
  in the portal after the export was made (an audit row of that change by a person, newer than
  `exported_at`) is kept; the difference is reported as a conflict.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tenants.cards import TENANCY, card_cache_bump
from tenants.models import (
    Area,
    AuditEntry,
    ClerkResponsibility,
    ContactPerson,
    Contract,
    Property,
    Team,
    Tenant,
    Unit,
    User,
)

from .format import (
    ENTITIES,
    OPTIONAL_COLUMNS,
    ORDER,
    Field,
    FormatError,
    entity_file,
    read_manifest,
    read_rows,
)

BATCH = 2000
PORTAL_ACTIONS = {
    "phone": ("tenant.phone_changed",),
    "email": ("tenant.email_changed",),
    "paperless_consent": ("tenant.paperless_consent", "tenant.paperless_withdrawn"),
}
COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class Refusal:
    file: str
    line: int
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.key}: {self.reason}"


@dataclass
class EntityReport:
    file: str = ""
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "refused": len(self.refused),
        }


@dataclass
class ImportReport:
    mode: str
    exported_at: datetime
    dry_run: bool = False
    entities: dict[str, EntityReport] = field(default_factory=dict)
    ended: list[tuple[str, date]] = field(default_factory=list)  # full mode
    hidden_contacts: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str, str, str]] = field(default_factory=list)

    def counts(self) -> dict:
        result = {name: rep.counts() for name, rep in self.entities.items()}
        result["contracts_ended_missing"] = len(self.ended)
        result["conflicts"] = len(self.conflicts)
        return result

    @property
    def refused_total(self) -> int:
        return sum(len(r.refused) for r in self.entities.values())

    def text(self, limit: int = 200) -> str:
        lines = [
            _("ERP import (%(mode)s, exported %(when)s)%(dry)s")
            % {
                "mode": self.mode,
                "when": self.exported_at.isoformat(),
                "dry": _(" – check only, nothing changed") if self.dry_run else "",
            }
        ]
        for name, rep in self.entities.items():
            lines.append(
                _(
                    "%(entity)s: %(created)d created, %(changed)d changed, "
                    "%(unchanged)d unchanged, %(refused)d refused"
                )
                % {"entity": name, **rep.counts()}
            )
        for rep in self.entities.values():
            for refusal in rep.refused[:limit]:
                lines.append(_("refused: %(refusal)s") % {"refusal": refusal})
            if len(rep.refused) > limit:
                lines.append(_("… and %(n)d more refused") % {"n": len(rep.refused) - limit})
        if self.ended:
            lines.append(_("Contracts ended because missing from the full file:"))
            lines += [f"  {number} → {end.isoformat()}" for number, end in self.ended[:limit]]
        if self.hidden_contacts:
            lines.append(_("Contact persons hidden because missing from the full file:"))
            lines += [f"  {name}" for name in self.hidden_contacts[:limit]]
        if self.conflicts:
            lines.append(_("Kept the tenant's newer portal value (conflict with the ERP):"))
            lines += [
                f"  {number} {name}: ERP „{erp}“, portal „{portal}“"
                for number, name, erp, portal in self.conflicts[:limit]
            ]
        return "\n".join(lines)


class _Entity:
    """The validated rows of one file: key -> (line, values)."""

    def __init__(self, name: str, path: Path | None):
        self.name = name
        self.path = path
        self.report = EntityReport(file=path.name if path else "")
        self.rows: dict = {}
        self.seen_keys: set = set()  # every key in the file, refused or not

    def refuse(self, line: int, key, reason: str) -> None:
        key_text = "/".join(key) if isinstance(key, tuple) else str(key or "")
        self.report.refused.append(Refusal(self.report.file, line, key_text, reason))


def _parse(f: Field, text: str):
    """(value, None) or (None, reason)."""
    if text == "":
        if f.required:
            return None, _("%(field)s is missing") % {"field": f.name}
        return None, None
    if f.max_length and len(text) > f.max_length:
        return None, _("%(field)s is longer than %(n)d characters") % {
            "field": f.name,
            "n": f.max_length,
        }
    if f.kind == "text":
        return text, None
    if f.kind == "enum":
        if text not in f.choices:
            return None, _("%(field)s must be one of %(choices)s") % {
                "field": f.name,
                "choices": ", ".join(f.choices),
            }
    elif f.kind == "decimal":
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            return None, _("%(field)s is not a number") % {"field": f.name}
        value = value.quantize(Decimal(1).scaleb(-f.places))
        if value < 0 or (f.positive and value == 0) or len(value.as_tuple().digits) > f.max_digits:
            return None, _("%(field)s is out of range") % {"field": f.name}
        return (int(value) if f.places == 0 else value), None
    elif f.kind == "date":
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, _("%(field)s is not a date (YYYY-MM-DD)") % {"field": f.name}
    elif f.kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            return None, _("%(field)s is not an e-mail address") % {"field": f.name}
    elif f.kind == "bool":
        if text.lower() not in ("true", "false", "1", "0", "ja", "nein"):
            return None, _("%(field)s must be true or false") % {"field": f.name}
        return text.lower() in ("true", "1", "ja"), None
    elif f.kind == "list":
        items = [part.strip() for part in text.split(",") if part.strip()]
        if not items:
            return None, _("%(field)s is missing") % {"field": f.name}
        return tuple(items), None
    return text, None


KEYS = {
    "properties": lambda v: v["number"],
    "units": lambda v: (v["property"], v["number"]),
    "tenants": lambda v: v["number"],
    "contracts": lambda v: v["number"],
    "responsibilities": lambda v: (v["property"], v["area"]),
    "contact_persons": lambda v: (v.get("property") or "", v["name"]),
}


def _load(directory: Path) -> dict[str, _Entity]:
    """Read and check every file's rows by themselves (types, required, duplicates)."""
    entities = {}
    for name in ORDER:
        entity = _Entity(name, entity_file(directory, name))
        entities[name] = entity
        if entity.path is None:
            continue
        fields = ENTITIES[name]
        lines_by_key: dict = defaultdict(list)
        parsed: dict[int, dict] = {}
        for line, raw in read_rows(entity.path, name):
            if "__error__" in raw:
                entity.refuse(line, "", raw["__error__"])
                continue
            values, reasons = {}, []
            for f in fields:
                value, reason = _parse(f, raw.get(f.name, ""))
                if reason:
                    reasons.append(reason)
                values[f.name] = value
            # Which optional columns the file has at all (an empty cell clears, no column keeps).
            values["__columns__"] = {c for c in OPTIONAL_COLUMNS.get(name, ()) if c in raw}
            try:
                key = KEYS[name](values)
            except KeyError:
                key = None
            if (
                name == "contracts"
                and not reasons
                and values["end_date"]
                and values["end_date"] < values["start_date"]
            ):
                reasons.append(_("end date before start date"))
            if name == "tenants" and values["country"] and not COUNTRY.match(values["country"]):
                reasons.append(_("country is not a two-letter ISO code"))
            if key is not None and None not in (key if isinstance(key, tuple) else (key,)):
                entity.seen_keys.add(key)
                lines_by_key[key].append(line)
            if reasons:
                entity.refuse(line, key, "; ".join(reasons))
                continue
            parsed[line] = values
        for key, lines in lines_by_key.items():
            if len(lines) > 1:
                for line in lines:
                    parsed.pop(line, None)
                    entity.refuse(
                        line,
                        key,
                        _("duplicate key in the file (lines %(lines)s)")
                        % {"lines": ", ".join(map(str, lines))},
                    )
        entity.rows = {KEYS[name](v): (line, v) for line, v in parsed.items()}
    return entities


def _refuse_unknown(entity: _Entity, known, key_of, reason: str) -> None:
    for key, (line, values) in list(entity.rows.items()):
        missing = [ref for ref in key_of(values) if ref not in known]
        if missing:
            del entity.rows[key]
            names = ", ".join("/".join(m) if isinstance(m, tuple) else str(m) for m in missing)
            entity.refuse(line, key, f"{reason}: {names}")


def _check_references(entities: dict[str, _Entity]) -> None:
    """References across files and to the database; a refused row refuses its dependants."""
    props = set(Property.objects.values_list("number", flat=True)) | set(
        entities["properties"].rows
    )
    _refuse_unknown(entities["units"], props, lambda v: [v["property"]], _("unknown property"))
    units = set(Unit.objects.values_list("property__number", "number")) | set(
        entities["units"].rows
    )
    tenants = set(Tenant.objects.values_list("tenant_number", flat=True)) | set(
        entities["tenants"].rows
    )
    contracts = entities["contracts"]
    _refuse_unknown(contracts, units, lambda v: [(v["property"], v["unit"])], _("unknown unit"))
    _refuse_unknown(contracts, tenants, lambda v: v["partners"], _("unknown partner"))
    _refuse_unknown(
        entities["responsibilities"], props, lambda v: [v["property"]], _("unknown property")
    )
    _refuse_unknown(
        entities["contact_persons"],
        props | {""},
        lambda v: [v["property"] or ""],
        _("unknown property"),
    )
    teams = set(Team.objects.values_list("name", flat=True))
    _refuse_unknown(entities["responsibilities"], teams, lambda v: [v["team"]], _("unknown team"))
    clerks = {e.lower() for e in User.objects.filter(is_staff=True).values_list("email", flat=True)}
    _refuse_unknown(
        entities["responsibilities"],
        clerks | {None},
        lambda v: [v["clerk_email"].lower() if v["clerk_email"] else None],
        _("unknown clerk"),
    )


def _diff(rep: EntityReport, obj, wanted: dict) -> bool:
    changed = False
    for name, value in wanted.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        rep.changed += 1
    else:
        rep.unchanged += 1
    return changed


def _rows(queryset) -> list[SimpleNamespace]:
    """Plain rows instead of model instances: loading 100,000s of those is the slow part."""
    return [SimpleNamespace(**row) for row in queryset]


def _write(model, created: list, changed: list, fields: list[str]) -> None:
    if created:
        model.objects.bulk_create(created, batch_size=BATCH)
    if changed:
        objs = [
            row
            if isinstance(row, model)
            else model(id=row.id, **{f: getattr(row, f) for f in fields})
            for row in changed
        ]
        model.objects.bulk_update(objs, fields, batch_size=BATCH)


def _apply_properties(e: _Entity) -> None:
    fields = ["name", "street", "postal_code", "city"]
    existing = {p.number: p for p in _rows(Property.objects.values("id", "number", *fields))}
    created, changed = [], []
    for number, (_line, v) in e.rows.items():
        wanted = {f: v[f] for f in fields}
        obj = existing.get(number)
        if obj is None:
            created.append(Property(number=number, **wanted))
            e.report.created += 1
        elif _diff(e.report, obj, wanted):
            changed.append(obj)
    _write(Property, created, changed, fields)


def _apply_units(e: _Entity) -> None:
    prop_ids = dict(Property.objects.values_list("number", "pk"))
    fields = ["kind", "street", "location", "rooms", "living_area"]
    existing = {
        (u.property__number, u.number): u
        for u in _rows(Unit.objects.values("id", "property__number", "number", *fields))
    }
    created, changed = [], []
    for key, (_line, v) in e.rows.items():
        wanted = {f: v[f] if v[f] is not None else "" for f in ("kind", "street", "location")}
        wanted |= {"rooms": v["rooms"], "living_area": v["living_area"]}
        obj = existing.get(key)
        if obj is None:
            created.append(Unit(property_id=prop_ids[key[0]], number=key[1], **wanted))
            e.report.created += 1
        elif _diff(e.report, obj, wanted):
            changed.append(obj)
    _write(Unit, created, changed, fields)


def _portal_changes(since: datetime) -> set[tuple[int, str]]:
    """(tenant id, field) changed in the portal by a person after the export was made."""
    by_action = {a: name for name, actions in PORTAL_ACTIONS.items() for a in actions}
    rows = AuditEntry.objects.filter(
        action__in=list(by_action), created_at__gt=since, actor__isnull=False, tenant__isnull=False
    ).values_list("tenant_id", "action")
    return {(tenant_id, by_action[action]) for tenant_id, action in rows}


def _apply_tenants(e: _Entity, report: ImportReport, now: datetime) -> None:
    portal = _portal_changes(report.exported_at)
    plain = ["salutation", "title", "first_name", "last_name", "street", "address_extra"]
    plain += ["postal_code", "city", "country"]
    fields = [*plain, "phone", "email", "paperless_consent", "paperless_consent_at", "updated_at"]
    existing = {
        t.tenant_number: t for t in _rows(Tenant.objects.values("id", "tenant_number", *fields))
    }
    created, changed = [], []
    for number, (_line, v) in e.rows.items():
        wanted = {f: v[f] or "" for f in plain}
        wanted["salutation"] = v["salutation"] or "none"
        wanted["country"] = v["country"] or "DE"
        obj = existing.get(number)
        if obj is None:
            consent = bool(v["paperless_consent"])
            created.append(
                Tenant(
                    tenant_number=number,
                    phone=v["phone"] or "",
                    email=v["email"] or "",
                    paperless_consent=consent,
                    paperless_consent_at=report.exported_at if consent else None,
                    **wanted,
                )
            )
            e.report.created += 1
            continue
        erp = {"phone": v["phone"] or "", "email": v["email"] or ""}
        if v["paperless_consent"] is not None:  # an empty cell leaves the consent alone
            erp["paperless_consent"] = v["paperless_consent"]
        for name, value in erp.items():
            if getattr(obj, name) == value:
                continue
            if (obj.id, name) in portal:
                report.conflicts.append((number, name, str(value), str(getattr(obj, name))))
                continue
            wanted[name] = value
            if name == "paperless_consent":
                wanted["paperless_consent_at"] = report.exported_at if value else None
        if _diff(e.report, obj, wanted):
            obj.updated_at = now
            changed.append(obj)
    _write(Tenant, created, changed, fields)


def _apply_contracts(e: _Entity, report: ImportReport, now: datetime) -> None:
    unit_ids = {
        (p, n): pk for pk, p, n in Unit.objects.values_list("pk", "property__number", "number")
    }
    tenant_ids = dict(Tenant.objects.values_list("tenant_number", "pk"))
    through = Contract.partners.through
    partners: dict[int, set[int]] = defaultdict(set)
    for contract_id, tenant_id in through.objects.values_list("contract_id", "tenant_id"):
        partners[contract_id].add(tenant_id)
    money = ["grundmiete", "betriebskosten_vorauszahlung", "heizkosten_vorauszahlung"]
    fields = ["start_date", "end_date", *money, "updated_at"]
    existing = {
        c.contract_number: c
        for c in _rows(Contract.objects.values("id", "contract_number", "unit_id", *fields))
    }
    created, changed, new_partners = [], [], {}
    add, remove = [], []
    for number, (line, v) in list(e.rows.items()):
        unit_id = unit_ids[(v["property"], v["unit"])]
        wanted = {"start_date": v["start_date"], "end_date": v["end_date"]}
        wanted |= {m: v[m] if v[m] is not None else Decimal("0.00") for m in money}
        partner_ids = {tenant_ids[p] for p in v["partners"]}
        obj = existing.get(number)
        if obj is None:
            contract = Contract(contract_number=number, unit_id=unit_id, **wanted)
            created.append(contract)
            new_partners[number] = (contract, partner_ids)
            e.report.created += 1
            continue
        if obj.unit_id != unit_id:
            e.refuse(
                line, number, _("the unit of a contract cannot change: end it, start a new one")
            )
            del e.rows[number]
            continue
        is_changed = False
        for name, value in wanted.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                is_changed = True
        have = partners.get(obj.id, set())
        if have != partner_ids:
            add += [(obj.id, t) for t in partner_ids - have]
            remove += [(obj.id, t) for t in have - partner_ids]
            is_changed = True
        if is_changed:
            obj.updated_at = now
            changed.append(obj)
            e.report.changed += 1
        else:
            e.report.unchanged += 1
    if report.mode == "full" and e.path is not None:
        export_day = timezone.localdate(report.exported_at)
        for number, obj in existing.items():
            if number in e.seen_keys:
                continue
            if obj.end_date is not None and obj.end_date <= export_day:
                continue  # already ended: nothing to do
            obj.end_date = max(export_day, obj.start_date)
            obj.updated_at = now
            changed.append(obj)
            report.ended.append((number, obj.end_date))
    _write(Contract, created, changed, fields)
    for contract, ids in new_partners.values():
        add += [(contract.pk, t) for t in ids]
    if remove:
        for contract_id, tenant_id in remove:
            through.objects.filter(contract_id=contract_id, tenant_id=tenant_id).delete()
    through.objects.bulk_create(
        [through(contract_id=c, tenant_id=t) for c, t in add], batch_size=BATCH
    )


def _apply_responsibilities(e: _Entity) -> None:
    prop_ids = dict(Property.objects.values_list("number", "pk"))
    team_ids = dict(Team.objects.values_list("name", "pk"))
    clerk_ids = {
        email.lower(): pk
        for email, pk in User.objects.filter(is_staff=True).values_list("email", "pk")
    }
    existing = {
        (r.property.number, r.area): r
        for r in ClerkResponsibility.objects.select_related("property")
    }
    created, changed = [], []
    for key, (_line, v) in e.rows.items():
        wanted = {
            "clerk_id": clerk_ids[v["clerk_email"].lower()] if v["clerk_email"] else None,
            "team_id": team_ids[v["team"]],
        }
        obj = existing.get(key)
        if obj is None:
            created.append(ClerkResponsibility(property_id=prop_ids[key[0]], area=key[1], **wanted))
            e.report.created += 1
        elif _diff(e.report, obj, wanted):
            changed.append(obj)
    _write(ClerkResponsibility, created, changed, ["clerk_id", "team_id"])


def _apply_contact_persons(e: _Entity, report: ImportReport) -> None:
    prop_ids = dict(Property.objects.values_list("number", "pk"))
    existing = {
        (c.property.number if c.property else "", c.name): c
        for c in ContactPerson.objects.select_related("property")
    }
    fields = ["role", "area", "phone", "email", "office_hours", "order", "is_active"]
    fields += ["role_en", "office_hours_en"]
    created, changed = [], []
    for key, (_line, v) in e.rows.items():
        wanted = {f: v[f] or "" for f in ("role", "area", "phone", "email", "office_hours")}
        wanted |= {f: v[f] or "" for f in v["__columns__"]}
        wanted |= {"order": v["order"] or 0, "is_active": True}
        obj = existing.get(key)
        if obj is None:
            created.append(ContactPerson(property_id=prop_ids.get(key[0]), name=key[1], **wanted))
            e.report.created += 1
        elif _diff(e.report, obj, wanted):
            changed.append(obj)
    if report.mode == "full" and e.path is not None:
        for key, obj in existing.items():
            if key not in e.seen_keys and obj.is_active:
                obj.is_active = False
                changed.append(obj)
                report.hidden_contacts.append("/".join(k for k in key if k))
    _write(ContactPerson, created, changed, fields)


def _exported_at(manifest: dict) -> datetime:
    value = parse_datetime(str(manifest["exported_at"]))
    if value is None:
        raise FormatError("manifest.json: exported_at is not an ISO date and time")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def erp_import(
    *, directory: Path | str, by: User | None = None, dry_run: bool = False, notify: bool = True
) -> ImportReport:
    """Validate the whole export first, then apply it in one transaction (dependency order).

    Raises FormatError when the directory cannot be read at all; then nothing changed.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    report = ImportReport(
        mode=manifest["mode"], exported_at=_exported_at(manifest), dry_run=dry_run
    )
    entities = _load(directory)
    _check_references(entities)
    for name, entity in entities.items():
        report.entities[name] = entity.report
    now = timezone.now()
    with transaction.atomic():
        _apply_properties(entities["properties"])
        _apply_units(entities["units"])
        _apply_tenants(entities["tenants"], report, now)
        _apply_contracts(entities["contracts"], report, now)
        _apply_responsibilities(entities["responsibilities"])
        _apply_contact_persons(entities["contact_persons"], report)
        if dry_run:
            transaction.set_rollback(True)
            return report
        AuditEntry.objects.create(
            action="erp.import",
            object_type="tenants.erp",
            object_id=str(manifest["exported_at"])[:64],
            actor=by if by is not None and by.is_authenticated else None,
            changes={"mode": report.mode, "directory": str(directory), **report.counts()},
        )
        if notify and (report.ended or report.conflicts or report.hidden_contacts):
            _notify_clerks(report)
        # Contracts, partners and contact persons may have changed for anyone: every start
        # page's cards depend on the tenancy (tenants.cards).
        card_cache_bump(None, TENANCY)
    return report


def _notify_clerks(report: ImportReport) -> None:
    from tenants.services import email_queue

    team = Team.objects.filter(area=Area.CUSTOMER_SERVICE, is_default=True).first()
    if team is None:
        return
    email_queue(
        to=team.email,
        template="erp_import_report",
        context={"report": report, "report_text": report.text()},
    )
