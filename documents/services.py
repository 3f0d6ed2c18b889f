"""Publishing documents with proof of delivery, and the tenants' notices."""

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tenants.cards import card_cache_bump
from tenants.errors import PortalError
from tenants.files import atomic_with_files, file_store
from tenants.models import Tenant, User
from tenants.selectors import partners_by_contract_number
from tenants.services import audit_log, email_queue

from .models import Delivery, Document, PublishBatch

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"

# The kinds other areas publish with (`kind=DocumentKind.SCHREIBEN`): part of this API, so
# that they never need the models.
DocumentKind = Document.Kind


class DocumentError(PortalError, ValueError):
    pass


@dataclass
class PublishReport:
    batch: PublishBatch | None = None
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    notices: int = 0
    paper: int = 0


def _electronic(tenant: Tenant) -> bool:
    return bool(tenant.user_id and tenant.paperless_consent)


def document_publish(
    *,
    tenants: Iterable[Tenant],
    kind: str,
    title: str,
    year: int,
    content: bytes,
    filename: str,
    period: str = "",
    contract_number: str = "",
    by: User | None = None,
    batch: PublishBatch | None = None,
    notify: bool = True,
) -> Document:
    """Publish one document to the given tenants (all partners of a contract, or one tenant)."""
    if not content.startswith(PDF_MAGIC):
        raise DocumentError(_("The document must be a PDF."), code="not_pdf")
    tenants = list(tenants)
    if not tenants:
        raise DocumentError(_("The document has no recipient."), code="no_recipient")
    now = timezone.now()
    # A failure (e.g. a parallel run published the same statement first) deletes the file again.
    with atomic_with_files():
        document = Document(
            kind=kind,
            title=title,
            period=period,
            year=year,
            contract_number=contract_number,
            original_name=filename[:200],
            size=len(content),
            published_at=now,
            published_by=by,
            batch=batch,
        )
        file_store(document.file, "document", ContentFile(content))
        document.save()
        Delivery.objects.bulk_create(
            [
                Delivery(document=document, tenant=t, published_at=now, electronic=_electronic(t))
                for t in tenants
            ]
        )
        audit_log(
            action="document.published",
            obj=document,
            actor=by,
            changes={"tenants": [t.tenant_number for t in tenants], "kind": kind},
        )
        card_cache_bump([t.pk for t in tenants], "documents")
        if notify:
            transaction.on_commit(lambda: documents_notify(document_ids=[document.pk]))
    return document


def document_publish_answer(
    *,
    tenant: Tenant,
    kind: str,
    title: str,
    year: int,
    content: bytes,
    filename: str,
    by: User | None = None,
) -> Document:
    """A document a tenant asked for online, published by the clerk who answers the request.

    The clerk's answer e-mail is the notice (it links to the document), so none goes out here;
    and it is electronic delivery, whatever the general paperless consent says.
    """
    with atomic_with_files():
        batch = PublishBatch.objects.create(
            created_by=by, source=PublishBatch.Source.REQUEST, published=1
        )
        document = document_publish(
            tenants=[tenant],
            kind=kind,
            title=title,
            year=year,
            content=content,
            filename=filename,
            by=by,
            batch=batch,
            notify=False,
        )
        Delivery.objects.filter(document=document).update(
            notified_at=timezone.now(), electronic=bool(tenant.user_id)
        )
    return document


def period_year(period: str) -> int:
    """The year a period belongs to for grouping ("2025", "2025/2026" → 2025)."""
    found = re.search(r"\d{4}", period or "")
    return int(found.group(0)) if found else timezone.localdate().year


_NUMBER_IN_NAME = re.compile(r"^(?P<number>.+?)(?:[_ ].*)?\.pdf$", re.IGNORECASE)


def documents_publish_by_contract_number(
    *,
    files: Iterable[tuple[str, Callable[[], bytes]]],
    kind: str,
    period: str,
    batch: PublishBatch,
    title: str | None = None,
    by: User | None = None,
    report: PublishReport | None = None,
    progress: Callable[[int], None] | None = None,
) -> PublishReport:
    """One slice of a publication by contract number, without notices; idempotent.

    The caller notifies once for the whole batch (`documents_notify(batch_id=...)`), so a tenant
    gets one e-mail however many slices the publication is cut into. A file whose contract
    already has a document of this kind and period counts as already published. `report`
    collects the outcome per file name; pass the same one to add up several slices.
    """
    report = report if report is not None else PublishReport(batch=batch)
    year = period_year(period)
    label = dict(Document.Kind.choices)[kind]
    files = list(files)
    numbers = {}
    for name, _loader in files:
        match = _NUMBER_IN_NAME.match(name)
        numbers[name] = match.group("number") if match else ""
    partners = partners_by_contract_number(contract_numbers=[n for n in numbers.values() if n])
    existing = set(
        Document.objects.filter(
            contract_number__in=list(partners), kind=kind, period=period
        ).values_list("contract_number", flat=True)
    )
    for name, loader in files:
        number = numbers[name]
        if number not in partners or not partners[number]:
            report.unmatched.append(name)
        elif number in existing:
            report.skipped.append(name)
        else:
            try:
                content = loader()
                document_publish(
                    tenants=partners[number],
                    kind=kind,
                    title=title or f"{label} {period}".strip(),
                    year=year,
                    period=period,
                    content=content,
                    filename=name,
                    contract_number=number,
                    by=by,
                    batch=batch,
                    notify=False,
                )
            except (DocumentError, OSError):
                report.invalid.append(name)
            except IntegrityError:
                # Another run published it in the meantime (the unique constraint decides).
                report.skipped.append(name)
            else:
                existing.add(number)
                report.published.append(name)
        if progress is not None:
            progress(
                len(report.published)
                + len(report.skipped)
                + len(report.unmatched)
                + len(report.invalid)
            )
    return report


def documents_publish_files(
    *,
    files: Iterable[tuple[str, Callable[[], bytes]]],
    kind: str,
    period: str,
    title: str | None = None,
    by: User | None = None,
    source: str = PublishBatch.Source.COMMAND,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 500,
) -> PublishReport:
    """Publish statements named by contract number ("1001-W01-01.pdf"); idempotent.

    A file whose contract already has a document of this kind and period is skipped, so a
    second run publishes nothing twice. Notices go out once per tenant for the whole batch.
    """
    report = PublishReport()
    report.batch = PublishBatch.objects.create(created_by=by, source=source)
    pending = list(files)
    for start in range(0, len(pending), chunk_size):
        documents_publish_by_contract_number(
            files=pending[start : start + chunk_size],
            kind=kind,
            period=period,
            title=title,
            by=by,
            batch=report.batch,
            report=report,
            progress=progress,
        )
    batch = report.batch
    batch.published = len(report.published)
    batch.skipped = len(report.skipped)
    batch.unmatched = len(report.unmatched) + len(report.invalid)
    batch.save(update_fields=["published", "skipped", "unmatched"])
    # Everything of this kind and period still without a notice, also from an earlier run that
    # stopped half-way: a re-run completes what the crash left undone.
    report.notices, report.paper = documents_notify(kind=kind, period=period)
    return report


def documents_publish_for_tenant(
    *,
    tenant: Tenant,
    files: Iterable[tuple[str, Callable[[], bytes]]],
    kind: str,
    period: str,
    title: str | None = None,
    by: User | None = None,
) -> PublishReport:
    """Documents for one tenant (e.g. a letter), whatever the files are called; one notice."""
    label = dict(Document.Kind.choices)[kind]
    report = PublishReport()
    report.batch = PublishBatch.objects.create(created_by=by, source=PublishBatch.Source.ADMIN)
    for name, loader in files:
        try:
            document_publish(
                tenants=[tenant],
                kind=kind,
                title=title or f"{label} {period}",
                year=period_year(period),
                period=period,
                content=loader(),
                filename=name,
                by=by,
                batch=report.batch,
                notify=False,
            )
        except (DocumentError, OSError):
            report.invalid.append(name)
        else:
            report.published.append(name)
    report.batch.published = len(report.published)
    report.batch.unmatched = len(report.invalid)
    report.batch.save(update_fields=["published", "unmatched"])
    report.notices, report.paper = documents_notify(batch_id=report.batch.pk)
    return report


def documents_notify(
    *,
    document_ids: list[int] | None = None,
    batch_id: int | None = None,
    kind: str | None = None,
    period: str | None = None,
):
    """One e-mail per tenant for all their new documents; paper deliveries are only counted.

    Returns (notices queued, deliveries that need paper). Deliveries already notified are left
    alone, so calling it twice sends nothing twice.
    """
    deliveries = Delivery.objects.filter(notified_at__isnull=True).select_related(
        "document", "tenant__user"
    )
    if document_ids is not None:
        deliveries = deliveries.filter(document_id__in=document_ids)
    if batch_id is not None:
        deliveries = deliveries.filter(document__batch_id=batch_id)
    if kind is not None:
        deliveries = deliveries.filter(document__kind=kind, document__period=period or "")
    by_tenant: dict[int, list[Delivery]] = defaultdict(list)
    paper = 0
    for delivery in deliveries.iterator(chunk_size=2000):
        if delivery.electronic:
            by_tenant[delivery.tenant_id].append(delivery)
        else:
            paper += 1
    now = timezone.now()
    notices = 0
    tenant_ids = list(by_tenant)
    for start in range(0, len(tenant_ids), 500):
        with transaction.atomic():
            chunk = tenant_ids[start : start + 500]
            # Claim the rows: a concurrent call skips them instead of mailing twice.
            claimed = set(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(
                    pk__in=[d.pk for t in chunk for d in by_tenant[t]], notified_at__isnull=True
                )
                .values_list("pk", flat=True)
            )
            ids = []
            for tenant_id in chunk:
                items = [d for d in by_tenant[tenant_id] if d.pk in claimed]
                if not items:
                    continue
                tenant = items[0].tenant
                with translation.override(settings.LANGUAGE_CODE):
                    email_queue(
                        to=tenant.user.email,
                        template="documents_new",
                        context={
                            "tenant": tenant,
                            "documents": [d.document for d in items],
                            "portal_url": settings.PORTAL_BASE_URL,
                        },
                    )
                notices += 1
                ids.extend(d.pk for d in items)
            Delivery.objects.filter(pk__in=ids).update(notified_at=now)
    return notices, paper


def delivery_open(*, delivery: Delivery, user: User) -> Delivery:
    """Record the first time the tenant opened the document; later opens change nothing."""
    if delivery.first_opened_at is None:
        updated = Delivery.objects.filter(pk=delivery.pk, first_opened_at__isnull=True).update(
            first_opened_at=timezone.now(), first_opened_by=user
        )
        if updated:
            delivery.refresh_from_db(fields=["first_opened_at", "first_opened_by"])
            card_cache_bump([delivery.tenant_id], "documents")  # the "new" badge
    return delivery


def deliveries_mark_paper_sent(*, deliveries, clerk: User) -> int:
    return deliveries.filter(paper_sent_at__isnull=True).update(paper_sent_at=timezone.now())
