"""Belegeinsicht (§ 556 Abs. 4 BGB): the receipts behind a property's annual statement.

Clerks upload the receipts once per property, statement kind and period (`ReceiptSet`); a tenant
who received that statement inspects them in "Meine Dokumente" until the end of the twelfth
month after the statement was delivered (the objection period, § 556 Abs. 3 BGB). Every open or
download is recorded (`ReceiptView`). A redacted version replaces the original for tenants.
"""

import calendar
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, Sum
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.errors import PortalError
from tenants.files import atomic_with_files, file_store
from tenants.models import Property, Tenant, User
from tenants.services import audit_log

from .models import Delivery, Receipt, ReceiptSet, ReceiptView
from .selectors import delivery_get
from .services import PDF_MAGIC, period_year

RECEIPT_MAX_BYTES = 20 * 2**20
RECEIPT_MAX_FILES = 30
# The objection period: receipts can be inspected until the end of the twelfth month after the
# month the statement was delivered in.
ACCESS_MONTHS = 12
MANIFEST_NAMES = ("belege.csv", "manifest.csv")


class ReceiptError(PortalError, ValueError):
    pass


# Reads.


def receipt_sets_exist(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """The deliveries annotated with `has_receipts`: inside the same single query."""
    return deliveries.annotate(
        has_receipts=Exists(
            ReceiptSet.objects.filter(
                property__units__contracts__contract_number=OuterRef("document__contract_number"),
                kind=OuterRef("document__kind"),
                period=OuterRef("document__period"),
            )
        )
    )


def access_until(delivered_on: date) -> date:
    """The last day a tenant may inspect the receipts of a statement delivered on that day."""
    month = delivered_on.month - 1 + ACCESS_MONTHS
    year, month = delivered_on.year + month // 12, month % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class ReceiptAccess:
    delivery: Delivery
    receipt_set: ReceiptSet
    receipts: list[Receipt]
    until: date

    @property
    def expired(self) -> bool:
        return timezone.localdate() > self.until

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.receipts), Decimal("0"))

    def receipt(self, receipt_id: int) -> Receipt:
        for receipt in self.receipts:
            if receipt.pk == receipt_id:
                return receipt
        raise Http404


def receipt_access_get(*, tenant: Tenant, document_id: int) -> ReceiptAccess:
    """The receipts behind a statement delivered to the tenant; 404 for anything else.

    Three queries, however many receipts: the delivery, the set, its receipts.
    """
    delivery = delivery_get(tenant=tenant, document_id=document_id)
    document = delivery.document
    if document.kind not in ReceiptSet.Kind.values or not document.contract_number:
        raise Http404
    receipt_set = (
        ReceiptSet.objects.filter(
            property__units__contracts__contract_number=document.contract_number,
            kind=document.kind,
            period=document.period,
        )
        .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.order_by("order", "pk")))
        .first()
    )
    if receipt_set is None:
        raise Http404
    return ReceiptAccess(
        delivery=delivery,
        receipt_set=receipt_set,
        receipts=list(receipt_set.receipts.all()),
        until=access_until(timezone.localdate(delivery.published_at)),
    )


def receipt_views_list(*, receipt_set: ReceiptSet) -> QuerySet[ReceiptView]:
    """Who opened which receipt of the set, newest first (one query)."""
    return (
        ReceiptView.objects.filter(receipt__receipt_set=receipt_set)
        .select_related("receipt", "tenant", "user")
        .order_by("-viewed_at")
    )


def receipt_set_total(receipt_set: ReceiptSet) -> Decimal:
    return receipt_set.receipts.aggregate(total=Sum("amount"))["total"] or Decimal("0")


# Checks and parsing.


def receipt_check(name: str, content: bytes, *, size: int | None = None) -> None:
    """Raise ReceiptError (German for clerks) unless the content is a PDF within the limit.

    `size`: the upload's size when `content` is only its beginning.
    """
    size = len(content) if size is None else size
    if size > RECEIPT_MAX_BYTES:
        raise ReceiptError(
            _("“%(name)s” is %(size)s; at most %(limit)s per receipt.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(RECEIPT_MAX_BYTES),
            },
            code="too_large",
        )
    if not content.startswith(PDF_MAGIC):
        raise ReceiptError(
            _("“%(name)s” is not a PDF, whatever its name says.") % {"name": name},
            code="not_pdf",
        )


def parse_amount(text: str) -> Decimal:
    """ "1.234,56", "1234,56", "1234.56" or "1.234,56 €" → Decimal; ReceiptError otherwise."""
    cleaned = (text or "").replace("€", "").replace("\u00a0", "").replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ReceiptError(
            _("“%(text)s” is not an amount (e.g. 1.234,56).") % {"text": text}, code="amount"
        ) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise ReceiptError(
            _("“%(text)s” is not an amount (e.g. 1.234,56).") % {"text": text}, code="amount"
        )
    return amount.quantize(Decimal("0.01"))


def title_from_name(name: str) -> str:
    """ "Hausmeisterdienst_2025.pdf" → "Hausmeisterdienst 2025"."""
    stem = Path(name).stem
    return re.sub(r"[_\s]+", " ", stem).strip()[:200] or _("Receipt")


def parse_manifest(text: str) -> dict[str, tuple[str, Decimal]]:
    """Lines "file name;title;amount" (a header line is allowed) → {file name: (title, amount)}."""
    entries: dict[str, tuple[str, Decimal]] = {}
    sample = text.lstrip("\ufeff")
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    for number, row in enumerate(csv.reader(io.StringIO(sample), delimiter=delimiter), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in ("datei", "file", "dateiname", "filename"):
            continue
        if len(cells) != 3 or not cells[0] or not cells[1]:
            raise ReceiptError(
                _("Line %(line)d: expected “file name;title;amount”.") % {"line": number},
                code="manifest",
            )
        try:
            amount = parse_amount(cells[2])
        except ReceiptError as error:
            raise ReceiptError(
                _("Line %(line)d: %(error)s") % {"line": number, "error": error.message},
                code="manifest",
            ) from None
        entries[cells[0]] = (cells[1][:200], amount)
    return entries


# Writes.


@dataclass
class ReceiptUpload:
    name: str
    content: bytes
    title: str
    amount: Decimal


def receipt_set_create(*, receipt_set: ReceiptSet, by: User | None) -> ReceiptSet:
    """Save a new (unsaved) set with its year; audited."""
    with transaction.atomic():
        receipt_set.year = period_year(receipt_set.period)
        receipt_set.created_by = by
        receipt_set.save()
        audit_log(
            action="receipts.set_created",
            obj=receipt_set,
            actor=by,
            changes={
                "property": receipt_set.property.number,
                "kind": receipt_set.kind,
                "period": receipt_set.period,
            },
        )
    return receipt_set


def receipt_set_ensure(
    *, property: Property, kind: str, period: str, by: User | None = None
) -> tuple[ReceiptSet, bool]:
    existing = ReceiptSet.objects.filter(property=property, kind=kind, period=period).first()
    if existing is not None:
        return existing, False
    return receipt_set_create(
        receipt_set=ReceiptSet(property=property, kind=kind, period=period), by=by
    ), True


def receipts_add(
    *, receipt_set: ReceiptSet, uploads: list[ReceiptUpload], by: User | None
) -> list[Receipt]:
    """Store the receipts after their order in the set; all or nothing, audited."""
    if len(uploads) > RECEIPT_MAX_FILES:
        raise ReceiptError(
            _("At most %(max)d receipts at a time.") % {"max": RECEIPT_MAX_FILES},
            code="too_many",
        )
    for upload in uploads:
        receipt_check(upload.name, upload.content)
    created = []
    now = timezone.now()
    with atomic_with_files():
        # Two clerks adding at once: one after the other, so the order stays a sequence.
        ReceiptSet.objects.select_for_update().filter(pk=receipt_set.pk).first()
        last = receipt_set.receipts.aggregate(last=Max("order"))["last"]
        order = (last or 0) + 1
        for upload in uploads:
            receipt = Receipt(
                receipt_set=receipt_set,
                title=upload.title[:200],
                amount=upload.amount,
                original_name=upload.name[:200],
                size=len(upload.content),
                uploaded_at=now,
                uploaded_by=by,
                order=order,
            )
            file_store(receipt.file, "receipt", ContentFile(upload.content))
            receipt.save()
            created.append(receipt)
            order += 1
        audit_log(
            action="receipts.added",
            obj=receipt_set,
            actor=by,
            changes={
                "receipts": [
                    {"title": r.title, "amount": str(r.amount), "file": r.original_name}
                    for r in created
                ]
            },
        )
    return created


def receipt_update(
    *, receipt: Receipt, title: str, amount: Decimal, order: int, by: User | None
) -> Receipt:
    """Correct a receipt's title, amount or order; audited when something changed."""
    with transaction.atomic():
        # Compared with the stored row: an admin form has already set the new values.
        stored = Receipt.objects.select_for_update().get(pk=receipt.pk)
        changes = {}
        for name, value in (("title", title), ("amount", amount), ("order", order)):
            old = getattr(stored, name)
            if old != value:
                changes[name] = [str(old), str(value)]
                setattr(stored, name, value)
        if changes:
            stored.save(update_fields=list(changes))
            audit_log(action="receipts.changed", obj=stored, actor=by, changes=changes)
    return stored


def receipt_redact(*, receipt: Receipt, name: str, content: bytes, by: User | None) -> Receipt:
    """Replace the receipt for tenants by a redacted version; the original stays for clerks."""
    receipt_check(name, content)
    with atomic_with_files():
        receipt.redacted_at = timezone.now()
        receipt.redacted_by = by
        file_store(receipt.redacted_file, "receipt-redacted", ContentFile(content))
        receipt.save(update_fields=["redacted_file", "redacted_at", "redacted_by"])
        audit_log(
            action="receipts.redacted",
            obj=receipt,
            actor=by,
            changes={"title": receipt.title, "file": name},
        )
    return receipt


def receipt_view_record(
    *, receipt: Receipt, tenant: Tenant, user: User, downloaded: bool = False
) -> ReceiptView:
    """One row per open or download: who and when."""
    return ReceiptView.objects.create(
        receipt=receipt, tenant=tenant, user=user, downloaded=downloaded
    )


@dataclass
class ReceiptReport:
    receipt_set: ReceiptSet | None = None
    created_set: bool = False
    added: list[Receipt] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)
    without_manifest: list[str] = field(default_factory=list)


def receipts_publish_directory(
    *, directory: Path, property_number: str, kind: str, period: str, by: User | None = None
) -> ReceiptReport:
    """The PDFs of a directory as the receipts of a statement; a re-run adds nothing twice.

    Titles and amounts come from `belege.csv` (or `manifest.csv`) in the directory, lines
    "file name;title;amount"; a file not listed there gets its name as title and amount 0.
    """
    if kind not in ReceiptSet.Kind.values:
        raise ReceiptError(_("Receipts belong to an operating or heating cost statement."))
    property_ = Property.objects.filter(number=property_number).first()
    if property_ is None:
        raise ReceiptError(
            _("There is no property %(number)s.") % {"number": property_number}, code="property"
        )
    manifest: dict[str, tuple[str, Decimal]] = {}
    for manifest_name in MANIFEST_NAMES:
        path = directory / manifest_name
        if path.is_file():
            manifest = parse_manifest(path.read_text(encoding="utf-8-sig"))
            break
    report = ReceiptReport()
    report.receipt_set, report.created_set = receipt_set_ensure(
        property=property_, kind=kind, period=period, by=by
    )
    known = set(report.receipt_set.receipts.values_list("original_name", flat=True))
    uploads = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        if path.name.lower() in MANIFEST_NAMES:
            continue
        if path.name in known:
            report.skipped.append(path.name)
            continue
        content = path.read_bytes()
        try:
            receipt_check(path.name, content)
        except ReceiptError as error:
            report.invalid.append((path.name, error.message))
            continue
        if path.name in manifest:
            title, amount = manifest[path.name]
        else:
            title, amount = title_from_name(path.name), Decimal("0.00")
            report.without_manifest.append(path.name)
        uploads.append(ReceiptUpload(path.name, content, title, amount))
    for start in range(0, len(uploads), RECEIPT_MAX_FILES):
        chunk = uploads[start : start + RECEIPT_MAX_FILES]
        report.added += receipts_add(receipt_set=report.receipt_set, uploads=chunk, by=by)
    return report
