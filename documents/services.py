"""Publishing documents with proof of delivery, and the tenants' notices."""

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.cards import card_cache_bump
from tenants.errors import PortalError
from tenants.files import atomic_with_files, file_store
from tenants.models import Tenant, User
from tenants.selectors import partners_by_contract_number
from tenants.services import audit_log, audit_log_many, email_queue_many

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
        document = _new_document(
            kind=kind,
            title=title,
            period=period,
            year=year,
            contract_number=contract_number,
            name=filename,
            content=content,
            now=now,
            by=by,
            batch=batch,
        )
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


def _new_document(
    *,
    kind: str,
    title: str,
    period: str,
    year: int,
    contract_number: str,
    name: str,
    content: bytes,
    now,
    by: User | None,
    batch: PublishBatch | None,
) -> Document:
    """A document's row (not saved yet) with its file stored: single and bulk publishing."""
    document = Document(
        kind=kind,
        title=title,
        period=period,
        year=year,
        contract_number=contract_number,
        original_name=name[:200],
        size=len(content),
        published_at=now,
        published_by=by,
        batch=batch,
    )
    file_store(document.file, "document", ContentFile(content))
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

# Files per transaction of `documents_publish_files` (the command).
PUBLISH_SLICE = 500


def _contract_number(name: str) -> str:
    match = _NUMBER_IN_NAME.match(name)
    return match.group("number") if match else ""


def documents_slices(*, names: list[str], size: int) -> list[list[int]]:
    """The files' positions cut into slices of about `size`, each tenant's files in one slice.

    Files whose contracts share a partner (a flat and its garage, two flats of one tenant) stay
    together, so the slice that publishes them sends the tenant's one notice for all of them.
    Otherwise the files keep their order; a group larger than `size` makes a slice of its own.
    """
    numbers = [_contract_number(name) for name in names]
    partners = partners_by_contract_number(contract_numbers=sorted({n for n in numbers if n}))
    # Union-find over contract numbers: two numbers sharing a tenant are one group.
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_number_of_tenant: dict[int, str] = {}
    for number, tenants in partners.items():
        for tenant in tenants:
            other = first_number_of_tenant.setdefault(tenant.pk, number)
            parent[root(number)] = root(other)
    groups: dict[str, list[int]] = {}
    for index, number in enumerate(numbers):
        # A file without a known contract is alone (its name is its key).
        key = root(number) if number in partners else f"\0{index}"
        groups.setdefault(key, []).append(index)
    slices: list[list[int]] = []
    current: list[int] = []
    for group in groups.values():  # in the order of each group's first file
        if current and len(current) + len(group) > size:
            slices.append(current)
            current = []
        current.extend(group)
    if current:
        slices.append(current)
    return slices


def _already_published(*, contract_numbers: list[str], kind: str, period: str) -> set[str]:
    return set(
        Document.objects.filter(
            contract_number__in=contract_numbers, kind=kind, period=period
        ).values_list("contract_number", flat=True)
    )


def _publish_slice(
    *,
    files: list[tuple[str, Callable[[], bytes]]],
    numbers: dict[str, str],
    partners: dict[str, list[Tenant]],
    existing: set[str],
    kind: str,
    title: str,
    year: int,
    period: str,
    by: User | None,
    batch: PublishBatch,
    bulk: bool,
) -> tuple[dict[str, list[str]], set[int]]:
    """Publish a slice; returns the outcome per file name and the tenants who got something.

    `bulk`: the documents, deliveries and audit rows are inserted together (a few statements
    for the whole slice); a unique-constraint violation then fails the whole slice, and the
    caller repeats it one by one (`bulk=False`, each document in its own savepoint).
    """
    outcome: dict[str, list[str]] = {"published": [], "skipped": [], "unmatched": [], "invalid": []}
    existing = set(existing)
    now = timezone.now()
    documents: list[Document] = []
    recipients: list[list[Tenant]] = []
    for name, loader in files:
        number = numbers[name]
        if not partners.get(number):
            outcome["unmatched"].append(name)
            continue
        if number in existing:
            outcome["skipped"].append(name)
            continue
        try:
            content = loader()
            if not bulk:
                document_publish(
                    tenants=partners[number],
                    kind=kind,
                    title=title,
                    year=year,
                    period=period,
                    content=content,
                    filename=name,
                    contract_number=number,
                    by=by,
                    batch=batch,
                    notify=False,
                )
            else:
                if not content.startswith(PDF_MAGIC):
                    raise DocumentError(_("The document must be a PDF."), code="not_pdf")
                document = _new_document(
                    kind=kind,
                    title=title,
                    period=period,
                    year=year,
                    contract_number=number,
                    name=name,
                    content=content,
                    now=now,
                    by=by,
                    batch=batch,
                )
                documents.append(document)
                recipients.append(partners[number])
        except (DocumentError, OSError):
            outcome["invalid"].append(name)
        except IntegrityError:
            # Another run published it in the meantime (the unique constraint decides).
            outcome["skipped"].append(name)
        else:
            existing.add(number)
            outcome["published"].append(name)
    tenant_ids = {t.pk for name in outcome["published"] for t in partners[numbers[name]]}
    if documents:
        Document.objects.bulk_create(documents)
        Delivery.objects.bulk_create(
            Delivery(document=document, tenant=t, published_at=now, electronic=_electronic(t))
            for document, tenants in zip(documents, recipients, strict=True)
            for t in tenants
        )
        # The "document.published" rows `document_publish` writes one by one, in one insert.
        audit_log_many(
            {
                "action": "document.published",
                "obj": document,
                "actor": by,
                "changes": {"tenants": [t.tenant_number for t in tenants], "kind": kind},
            }
            for document, tenants in zip(documents, recipients, strict=True)
        )
        card_cache_bump(tenant_ids, "documents")
    return outcome, tenant_ids


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
    notify: bool = False,
) -> PublishReport:
    """One slice of a publication by contract number, in one transaction; idempotent.

    A file whose contract already has a document of this kind and period counts as already
    published. `report` collects the outcome per file name; pass the same one to add up
    several slices.

    Notices: with `notify`, the tenants who got a document in this slice are notified in the
    same transaction, one e-mail each for all their documents of this kind and period still
    without a notice. Cut the files with `documents_slices`, so that a tenant's files are all
    in one slice and the tenant gets one e-mail for the whole publication. Without `notify`
    the caller notifies later (`documents_notify`).
    """
    report = report if report is not None else PublishReport(batch=batch)
    label = dict(Document.Kind.choices)[kind]
    files = list(files)
    numbers = {name: _contract_number(name) for name, _loader in files}
    partners = partners_by_contract_number(contract_numbers=[n for n in numbers.values() if n])
    existing = _already_published(contract_numbers=list(partners), kind=kind, period=period)
    arguments = {
        "files": files,
        "numbers": numbers,
        "partners": partners,
        "existing": existing,
        "kind": kind,
        "title": title or f"{label} {period}".strip(),
        "year": period_year(period),
        "period": period,
        "by": by,
        "batch": batch,
    }
    # A failure deletes the files stored for the slice again.
    with atomic_with_files():
        try:
            with atomic_with_files():
                outcome, tenant_ids = _publish_slice(**arguments, bulk=True)
        except IntegrityError:
            # A parallel run published one of these statements first: file by file, so that
            # only that one counts as already published.
            outcome, tenant_ids = _publish_slice(**arguments, bulk=False)
        if notify and tenant_ids:
            notices, _paper = documents_notify(kind=kind, period=period, tenant_ids=tenant_ids)
            report.notices += notices
    report.published += outcome["published"]
    report.skipped += outcome["skipped"]
    report.unmatched += outcome["unmatched"]
    report.invalid += outcome["invalid"]
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
    chunk_size: int = PUBLISH_SLICE,
) -> PublishReport:
    """Publish statements named by contract number ("1001-W01-01.pdf"); idempotent.

    A file whose contract already has a document of this kind and period is skipped, so a
    second run publishes nothing twice. One transaction per slice of about `chunk_size`
    files (documents, deliveries, audit rows and the slice's notices together); notices go
    out once per tenant for the whole batch, as each tenant's files share a slice.
    """
    report = PublishReport()
    report.batch = PublishBatch.objects.create(created_by=by, source=source)
    pending = list(files)
    for positions in documents_slices(names=[name for name, _loader in pending], size=chunk_size):
        documents_publish_by_contract_number(
            files=[pending[position] for position in positions],
            kind=kind,
            period=period,
            title=title,
            by=by,
            batch=report.batch,
            report=report,
            progress=progress,
            notify=True,
        )
    batch = report.batch
    batch.published = len(report.published)
    batch.skipped = len(report.skipped)
    batch.unmatched = len(report.unmatched) + len(report.invalid)
    batch.save(update_fields=["published", "skipped", "unmatched"])
    # Everything of this kind and period still without a notice, also from an earlier run that
    # stopped half-way: a re-run completes what the crash left undone.
    notices, report.paper = documents_notify(kind=kind, period=period)
    report.notices += notices
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
    tenant_ids: Iterable[int] | None = None,
):
    """One e-mail per tenant for all their new documents; paper deliveries are only counted.

    Returns (notices queued, deliveries that need paper). Deliveries already notified are left
    alone, so calling it twice sends nothing twice. The notices are queued in bulk
    (`email_queue_many`: each in its recipient's language, one outbox row each, dispatched
    after the commit).
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
    if tenant_ids is not None:
        deliveries = deliveries.filter(tenant_id__in=list(tenant_ids))
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
            messages = []
            for tenant_id in chunk:
                items = [d for d in by_tenant[tenant_id] if d.pk in claimed]
                if not items:
                    continue
                tenant = items[0].tenant
                messages.append(
                    (
                        tenant.user.email,
                        {
                            "tenant": tenant,
                            "documents": [d.document for d in items],
                            "portal_url": settings.PORTAL_BASE_URL,
                        },
                    )
                )
                ids.extend(d.pk for d in items)
            email_queue_many(template="documents_new", messages=messages)
            notices += len(messages)
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
