"""Changes out: the feed of changes made in the portal for the ERP (docs/erp-interface.md).

Every service that changes data the ERP keeps (postal address, phone, e-mail, paperless consent,
approved bank details) calls `change_record` in its own transaction: a change that is rolled
back leaves no record, a committed one always has one. `changes_export` claims the records not
yet exported, in the transaction that writes the file.

Why a claim and not a cursor "id > last exported id": ids are handed out when a row is inserted,
not when its transaction commits, so a change with a lower id can become visible after one with
a higher id was exported, and "id > last" would skip it for ever. The claim marks exactly the
rows the export read (`export` set to the batch); a change committed while the export runs is
not among them and stays unclaimed for the next run. Two exports at once lock disjoint rows
(`skip_locked`), so no change is in two batches.
"""

import json
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from .csv_export import csv_writer
from .errors import PortalError
from .models import ChangeExport, ChangeRecord, User

FORMATS = ("csv", "jsonl")

# Tenant changes: the Tenant field names. Bank details: the columns of export_bank_changes
# (contracts.services.BANK_CHANGE_COLUMNS), so both files read the same.
TENANT_COLUMNS = (
    "street",
    "address_extra",
    "postal_code",
    "city",
    "country",
    "phone",
    "email",
    "paperless_consent",
    "paperless_consent_at",
)
BANK_COLUMNS = (
    "vertragsnummer",
    "mieternummer",
    "kontoinhaber",
    "abweichender_mandatsgeber",
    "anschrift_kontoinhaber",
    "iban",
    "bic",
    "mandatsreferenz",
    "unterschrieben_am",
    "gueltig_ab",
    "genehmigt_am",
    "genehmigt_von",
)
CSV_COLUMNS = ("change_id", "created_at", "entity", "key", "kind", *TENANT_COLUMNS, *BANK_COLUMNS)


class ChangeExportError(PortalError):
    pass


def change_record(
    *, entity: str, key: str, kind: str, data: dict[str, Any], iban: str = ""
) -> ChangeRecord:
    """One outgoing change. Call it inside the transaction that makes the change.

    `data` holds the new values as JSON-ready text, numbers and booleans; a full IBAN goes into
    `iban`, which is stored encrypted and joined with the data only in the export file.
    """
    return ChangeRecord.objects.create(entity=entity, key=key, kind=kind, data=data, iban=iban)


def change_row(record: ChangeRecord) -> dict[str, Any]:
    """A record as the export writes it (one JSON line; the CSV row takes the same values)."""
    data = dict(record.data)
    if record.kind == ChangeRecord.Kind.BANK_DETAILS:
        data["iban"] = record.iban
    return {
        "change_id": record.pk,
        "created_at": timezone.localtime(record.created_at).isoformat(timespec="seconds"),
        "entity": record.entity,
        "key": record.key,
        "kind": record.kind,
        "data": data,
    }


def changes_write(*, records, output: TextIO, fmt: str) -> int:
    if fmt not in FORMATS:
        raise ChangeExportError(f"Unknown format {fmt!r}.", code="unknown_format")
    writer = csv_writer(output) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        row = change_row(record)
        if writer is not None:
            data = row.pop("data")
            writer.writerow([*row.values(), *(_cell(data.get(c)) for c in CSV_COLUMNS[5:])])
        else:
            output.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return value


def changes_export(
    *, output: TextIO, fmt: str, file_name: str = "", by: User | None = None
) -> ChangeExport | None:
    """Claim every change not exported yet and write it to `output`; None if there is none.

    The claim and the batch row commit together with the written data: if writing fails,
    nothing is claimed. The caller makes the file visible only after this returns (committed).
    """
    if fmt not in FORMATS:
        raise ChangeExportError(f"Unknown format {fmt!r}.", code="unknown_format")
    with transaction.atomic():
        ids = list(
            ChangeRecord.objects.select_for_update(skip_locked=True)
            .filter(export__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            changes_write(records=[], output=output, fmt=fmt)
            return None
        batch = ChangeExport.objects.create(
            created_by=by, file_name=file_name, format=fmt, count=len(ids)
        )
        # By id, not "export is null": a change committed since the query above is not ours.
        ChangeRecord.objects.filter(pk__in=ids).update(export=batch)
        changes_write(records=_batch_records(batch), output=output, fmt=fmt)
    return batch


def changes_export_repeat(*, batch_id: int, output: TextIO, fmt: str) -> ChangeExport:
    """Write a batch again, with the same change ids (the ERP lost the file or refused it)."""
    batch = _batch_get(batch_id)
    changes_write(records=_batch_records(batch), output=output, fmt=fmt)
    return batch


def changes_export_acknowledge(*, batch_id: int) -> ChangeExport:
    """The ERP has read the batch. Idempotent."""
    with transaction.atomic():
        batch = _batch_get(batch_id, lock=True)
        if batch.acknowledged_at is None:
            batch.acknowledged_at = timezone.now()
            batch.save(update_fields=["acknowledged_at"])
    return batch


def changes_export_unacknowledged() -> list[int]:
    return list(
        ChangeExport.objects.filter(acknowledged_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _batch_get(batch_id: int, *, lock: bool = False) -> ChangeExport:
    batches = ChangeExport.objects.select_for_update() if lock else ChangeExport.objects.all()
    try:
        return batches.get(pk=batch_id)
    except ChangeExport.DoesNotExist:
        raise ChangeExportError(f"There is no export {batch_id}.", code="unknown_export") from None


def _batch_records(batch: ChangeExport):
    return batch.changes.order_by("pk").iterator(chunk_size=500)
