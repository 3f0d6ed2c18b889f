"""„Meine Daten“: the tenant's copy of their data (GDPR Art. 15/20) and closing the portal account.

The export is a job (tenants/jobs.py, kind `privacy_export`, one chunk): it writes a ZIP with
`meine-daten.json` (schema in docs/privacy.md), `zusammenfassung.pdf` and the files the tenant
attached to Kontakt requests. The tenant is e-mailed when it is ready and downloads it from the
profile for PRIVACY_EXPORT_KEEP_DAYS days; then the result file is deleted
(`job_results_purge`).

Layering: the export reads every area's records of one tenant, and the base layer imports no
area. The area models are therefore looked up by name through the app registry
(`_rows`), read-only and always filtered to the tenant or the tenant's contracts; the
PDF renderer and the Kontakt service likewise (`_area_function`). Each such lookup is in this
module only, so moving a section into its area (a provider registered from the area's
AppConfig.ready()) later is a local change.
"""

import io
import json
import logging
import posixpath
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from .errors import PortalError
from .models import AuditEntry, Contract, Job, JobChunk, Tenant, User
from .registry import JobKind
from .selectors import tenancy_contracts
from .services import audit_log, email_queue, tenant_paperless_consent_set

logger = logging.getLogger(__name__)

KIND = "privacy_export"
SCHEMA_VERSION = 1
PRIVACY_EXPORT_KEEP_DAYS = 7
# Nobody but an administrator needs to see a tenant's export in the admin's job list.
PERMISSION = "tenants.delete_job"
JSON_NAME = "meine-daten.json"
PDF_NAME = "zusammenfassung.pdf"
PDF_TEMPLATE = "pdf/privacy_summary.html"
PRIVACY_CATEGORY = {
    "name": "Datenschutz",
    "name_en": "Data protection",
    "group": "general",
    "area": "customer_service",
    "form": "plain",
    # GDPR Art. 12(3): an answer within one month.
    "response_days": 20,
}


class PrivacyError(PortalError):
    code = "privacy"


# Starting the export
# ------------------------------------------------------------------------------


def _scope(user: User) -> str:
    return f"user:{user.pk}"


def privacy_export_start(*, user: User, tenant: Tenant, ip_address: str | None = None) -> Job:
    """Queue the export of the tenant's data for the tenant's own account.

    `tenants.jobs.job_start` is for clerks (it checks a permission a tenant never has), so the
    job row and its single chunk are created here, under the same rules: one queued or running
    export per account (the partial unique constraint), the audit row in the transaction and
    the chunk dispatched after commit.
    """
    from .jobs import ACTIVE, _dispatch

    if not user.is_active or tenant.user_id != user.pk:
        raise PrivacyError(_("You may not start this job."), code="forbidden")
    already = PrivacyError(
        _("Your data is already being compiled. We will e-mail you when it is ready."),
        code="already_running",
    )
    with transaction.atomic():
        if Job.objects.filter(kind=KIND, scope=_scope(user), state__in=ACTIVE).exists():
            raise already
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=KIND,
                    scope=_scope(user),
                    params={"tenant_id": tenant.pk, "user_id": user.pk},
                    created_by=user,
                    chunks_total=1,
                )
        except IntegrityError:  # started a moment ago in another tab
            raise already from None
        chunk = JobChunk.objects.create(job=job, index=0, payload={})
        audit_log(
            action="privacy.export_requested",
            obj=job,
            actor=user,
            tenant=tenant,
            ip_address=ip_address,
        )
        transaction.on_commit(lambda: _dispatch(job.pk, [chunk.pk]))
    return job


def privacy_export_plan(job: Job) -> list[dict]:
    return [{}]


def privacy_export_run_chunk(job: Job, chunk: JobChunk) -> dict:
    tenant = Tenant.objects.select_related("user").get(pk=job.params["tenant_id"])
    user = User.objects.get(pk=job.params["user_id"])
    if tenant.user_id != user.pk:
        raise PrivacyError(_("This account no longer belongs to the tenancy."), code="unlinked")
    payload, buffer = privacy_export_build(tenant=tenant, user=user)
    chunk.result_file.save(_file_name(job), ContentFile(buffer), save=False)
    return {
        "requests": len(payload["requests"]),
        "attachments": sum(len(r["attachments"]) for r in payload["requests"]),
        "documents": len(payload["documents"]),
    }


def privacy_export_finish(job: Job) -> None:
    """The chunk's ZIP becomes the job's result; the tenant is told (same transaction)."""
    chunk = job.chunks.get(index=0)
    job.result_file.name = chunk.result_file.name
    JobChunk.objects.filter(pk=chunk.pk).update(result_file="")
    user = User.objects.get(pk=job.params["user_id"])
    tenant = Tenant.objects.get(pk=job.params["tenant_id"])
    expires = timezone.now() + timezone.timedelta(days=PRIVACY_EXPORT_KEEP_DAYS)
    job.report = f"{job.result_file.name} ({PRIVACY_EXPORT_KEEP_DAYS} days)"
    audit_log(
        action="privacy.export_ready",
        obj=job,
        actor=None,
        tenant=tenant,
        changes={"counts": job.counts, "file": job.result_file.name},
    )
    email_queue(
        to=user.email,
        template="privacy_export_ready",
        context={
            "tenant": tenant,
            "profile_url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("tenants:privacy_data"),
            "expires": timezone.localtime(expires),
            "days": PRIVACY_EXPORT_KEEP_DAYS,
        },
    )


def _file_name(job: Job) -> str:
    return f"meine-daten-{job.pk}-{timezone.localdate():%Y-%m-%d}.zip"


PRIVACY_EXPORT_JOB = JobKind(
    key=KIND,
    label=_("Copy of a tenant's data (GDPR)"),
    permission=PERMISSION,
    plan=privacy_export_plan,
    run_chunk=privacy_export_run_chunk,
    finish=privacy_export_finish,
    chunk_size=1,
    keep_result_days=PRIVACY_EXPORT_KEEP_DAYS,
)


# Reading the export back (the tenant's page and download)
# ------------------------------------------------------------------------------


def privacy_export_list(*, user: User) -> list[Job]:
    """The account's recent exports (newest first), each with `available` set."""
    cutoff = timezone.now() - timezone.timedelta(days=PRIVACY_EXPORT_KEEP_DAYS)
    jobs = list(
        Job.objects.filter(kind=KIND, created_by=user, created_at__gte=cutoff).order_by(
            "-created_at"
        )[:5]
    )
    for job in jobs:
        job.available = _available(job, cutoff)
        job.expires_at = (
            job.finished_at + timezone.timedelta(days=PRIVACY_EXPORT_KEEP_DAYS)
            if job.finished_at
            else None
        )
    return jobs


def _available(job: Job, cutoff: datetime) -> bool:
    return bool(
        job.state == Job.State.DONE
        and job.result_file
        and job.finished_at
        and job.finished_at >= cutoff
    )


def privacy_export_get(*, user: User, job_id: int) -> Job | None:
    """The account's own finished export while it may still be downloaded; otherwise None."""
    job = Job.objects.filter(kind=KIND, created_by=user, pk=job_id).first()
    cutoff = timezone.now() - timezone.timedelta(days=PRIVACY_EXPORT_KEEP_DAYS)
    if job is None or not user.is_active or not _available(job, cutoff):
        return None
    return job


# Building the export
# ------------------------------------------------------------------------------


def _rows(app_label: str, model: str):
    """An area's table, by name (see the module's docstring)."""
    return apps.get_model(app_label, model).objects


def _area_function(path: str):
    return import_string(path)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def privacy_export_data(*, tenant: Tenant, user: User) -> tuple[dict[str, Any], list[tuple]]:
    """The JSON document (docs/privacy.md) and the attachment files as (zip path, FieldFile)."""
    contracts = list(
        tenancy_contracts(tenant=tenant)
        .select_related("unit__property")
        .prefetch_related("partners")
        .order_by("start_date", "contract_number")
    )
    contract_ids = [contract.pk for contract in contracts]
    requests_data, files = _requests(tenant=tenant)
    data = {
        "schema": "meinthor-privacy-export",
        "schema_version": SCHEMA_VERSION,
        "created_at": _iso(timezone.now()),
        "account": _account(user),
        "tenant": _tenant(tenant),
        "contracts": [_contract(contract, tenant) for contract in contracts],
        "mandates": _mandates(contract_ids),
        "bank_change_requests": _bank_changes(contract_ids, tenant),
        "rent_accounts": _rent_accounts(contract_ids),
        "requests": requests_data,
        "documents": _documents(tenant, user),
        "receipt_views": _receipt_views(tenant),
        "notices_read": _notices_read(user),
        "consumption": _consumption(contracts),
        "consents": _consents(tenant, user),
        "sign_ins": _sign_ins(user),
        "audit": _audit(tenant, user),
    }
    return data, files


def privacy_export_build(*, tenant: Tenant, user: User) -> tuple[dict[str, Any], bytes]:
    """The ZIP: the JSON, the PDF summary and the request attachments."""
    data, files = privacy_export_data(tenant=tenant, user=user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        render_pdf = _area_function("documents.pdf.render_pdf")
        pdf = render_pdf(PDF_TEMPLATE, {"data": _readable(data), "tenant": tenant})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(PDF_NAME, pdf)
        for path, fieldfile in files:
            try:
                with fieldfile.open("rb") as handle:
                    archive.writestr(path, handle.read())
            except FileNotFoundError:
                logger.warning("Privacy export: attachment %s is missing", fieldfile.name)
    return data, buffer.getvalue()


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
_MONEY_KEYS = {"grundmiete", "betriebskosten_vorauszahlung", "heizkosten_vorauszahlung"}
_MONEY_KEYS |= {"total_rent", "balance", "amount"}


def _readable(value, key: str = ""):
    """The JSON's values for people (the PDF): dates and amounts as the language writes them."""
    if isinstance(value, dict):
        return {k: _readable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(v, key) for v in value]
    if isinstance(value, str):
        if _ISO_TIME.match(value):
            return formats.date_format(datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT")
        if _ISO_DAY.match(value):
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if key in _MONEY_KEYS:
            return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True)
    return value


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_active": user.is_active,
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in _rows("account", "EmailAddress")
            .filter(user=user)
            .order_by("-primary", "email")
        ],
    }


def _tenant(tenant: Tenant) -> dict[str, Any]:
    return {
        "tenant_number": tenant.tenant_number,
        "salutation": tenant.get_salutation_display() if tenant.salutation else "",
        "title": tenant.title,
        "first_name": tenant.first_name,
        "last_name": tenant.last_name,
        "street": tenant.street,
        "address_extra": tenant.address_extra,
        "postal_code": tenant.postal_code,
        "city": tenant.city,
        "country": tenant.country,
        "phone": tenant.phone,
        "email": tenant.email,
        "paperless_consent": tenant.paperless_consent,
        "paperless_consent_at": _iso(tenant.paperless_consent_at),
        "created_at": _iso(tenant.created_at),
        "updated_at": _iso(tenant.updated_at),
    }


def _contract(contract: Contract, tenant: Tenant) -> dict[str, Any]:
    unit = contract.unit
    prop = unit.property
    return {
        "contract_number": contract.contract_number,
        "start_date": _iso(contract.start_date),
        "end_date": _iso(contract.end_date),
        "grundmiete": _money(contract.grundmiete),
        "betriebskosten_vorauszahlung": _money(contract.betriebskosten_vorauszahlung),
        "heizkosten_vorauszahlung": _money(contract.heizkosten_vorauszahlung),
        "total_rent": _money(contract.total_rent),
        "unit": {
            "property_number": prop.number,
            "property_name": prop.name,
            "number": unit.number,
            "kind": unit.kind,
            "street": unit.street or prop.street,
            "postal_code": prop.postal_code,
            "city": prop.city,
            "location": unit.location,
            "rooms": None if unit.rooms is None else str(unit.rooms),
            "living_area": None if unit.living_area is None else str(unit.living_area),
        },
        # Co-tenants by name only: their own data is theirs to ask for.
        "partners": [
            {"name": partner.full_name, "is_you": partner.pk == tenant.pk}
            for partner in sorted(contract.partners.all(), key=lambda p: p.tenant_number)
        ],
    }


def _mandates(contract_ids: list[int]) -> list[dict[str, Any]]:
    rows = (
        _rows("contracts", "Mandate")
        .filter(contract_id__in=contract_ids)
        .select_related("contract")
        .order_by("valid_from", "pk")
    )
    return [
        {
            "contract_number": mandate.contract.contract_number,
            "reference": mandate.reference,
            "signed_on": _iso(mandate.signed_on),
            "valid_from": _iso(mandate.valid_from),
            "valid_until": _iso(mandate.valid_until),
            "superseded_at": _iso(mandate.superseded_at),
            "holder_name": mandate.holder_name,
            "iban_masked": mandate.iban_masked,
            "bic": mandate.bic,
            "bank_name": mandate.bank_name,
        }
        for mandate in rows
    ]


def _bank_changes(contract_ids: list[int], tenant: Tenant) -> list[dict[str, Any]]:
    rows = (
        _rows("contracts", "BankChangeRequest")
        .filter(contract_id__in=contract_ids, submitted_by=tenant)
        .select_related("contract")
        .order_by("received_at", "pk")
    )
    return [
        {
            "contract_number": row.contract.contract_number,
            "received_at": _iso(row.received_at),
            "status": row.status,
            "mandate_reference": row.mandate_reference,
            "effective_month": _iso(row.effective_month),
            "holder_name": row.holder_name,
            "iban_masked": row.iban_masked,
            "bank_name": row.bank_name,
            "consent_at": _iso(row.consent_at),
            "ip_address": row.ip_address,
            "processed_at": _iso(row.processed_at),
            "rejection_reason": row.rejection_reason,
        }
        for row in rows
    ]


def _rent_accounts(contract_ids: list[int]) -> list[dict[str, Any]]:
    postings: dict[int, list] = {}
    for posting in (
        _rows("contracts", "RentPosting")
        .filter(contract_id__in=contract_ids)
        .order_by("booking_date", "pk")
    ):
        postings.setdefault(posting.contract_id, []).append(
            {
                "booking_date": _iso(posting.booking_date),
                "value_date": _iso(posting.value_date),
                "kind": posting.kind,
                "text": posting.text,
                "amount": _money(posting.amount),
            }
        )
    return [
        {
            "contract_number": account.contract.contract_number,
            "balance": _money(account.balance),
            "balance_date": _iso(account.balance_date),
            "open_since": _iso(account.open_since),
            "postings": postings.get(account.contract_id, []),
        }
        for account in _rows("contracts", "RentAccount")
        .filter(contract_id__in=contract_ids)
        .select_related("contract")
        .order_by("contract__contract_number")
    ]


def _requests(*, tenant: Tenant) -> tuple[list[dict[str, Any]], list[tuple]]:
    """Kontakt requests with what the tenant can see: never internal notes or their files."""
    rows = list(
        _rows("requests", "ContactRequest")
        .filter(tenant=tenant)
        .select_related("category", "unit__property")
        .order_by("created_at", "pk")
    )
    ids = [row.pk for row in rows]
    messages: dict[int, list] = {}
    for message in (
        _rows("requests", "Message")
        .filter(request_id__in=ids, internal=False)
        .order_by("created_at", "pk")
    ):
        messages.setdefault(message.request_id, []).append(
            {
                "from": "you" if message.from_tenant else "staff",
                "written_at": _iso(message.created_at),
                "body": message.body,
            }
        )
    attachments: dict[int, list] = {}
    files = []
    visible = (
        _rows("requests", "Attachment")
        .filter(request_id__in=ids)
        .filter(Q(message__isnull=True) | Q(message__internal=False))
    )
    references = {row.pk: row.reference for row in rows}
    for attachment in visible.order_by("created_at", "pk"):
        name = get_valid_filename(attachment.original_name) or "datei"
        path = posixpath.join(
            "anhaenge", references[attachment.request_id], f"{attachment.pk}-{name}"
        )
        attachments.setdefault(attachment.request_id, []).append(
            {
                "file_name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "uploaded_at": _iso(attachment.created_at),
                "path_in_zip": path,
            }
        )
        files.append((path, attachment.file))
    statuses: dict[int, list] = {}
    for change in (
        _rows("requests", "StatusChange").filter(request_id__in=ids).order_by("changed_at", "pk")
    ):
        statuses.setdefault(change.request_id, []).append(
            {"status": change.status, "changed_at": _iso(change.changed_at)}
        )
    data = [
        {
            "reference": row.reference,
            "category": row.category.name,
            "subject": row.subject,
            "unit": f"{row.unit.property.number}/{row.unit.number}" if row.unit else None,
            "details": row.details,
            "status": row.status,
            "created_at": _iso(row.created_at),
            "closed_at": _iso(row.closed_at),
            "messages": messages.get(row.pk, []),
            "attachments": attachments.get(row.pk, []),
            "status_history": statuses.get(row.pk, []),
        }
        for row in rows
    ]
    return data, files


def _documents(tenant: Tenant, user: User) -> list[dict[str, Any]]:
    rows = (
        _rows("documents", "Delivery")
        .filter(tenant=tenant)
        .select_related("document")
        .order_by("published_at", "pk")
    )
    return [
        {
            "title": delivery.document.title,
            "kind": delivery.document.kind,
            "period": delivery.document.period,
            "year": delivery.document.year,
            "contract_number": delivery.document.contract_number,
            "file_name": delivery.document.original_name,
            "published_at": _iso(delivery.published_at),
            "electronic": delivery.electronic,
            "notified_at": _iso(delivery.notified_at),
            "first_opened_at": _iso(delivery.first_opened_at),
            "first_opened_by_you": bool(
                delivery.first_opened_by_id and delivery.first_opened_by_id == user.pk
            ),
            "paper_sent_at": _iso(delivery.paper_sent_at),
        }
        for delivery in rows
    ]


def _receipt_views(tenant: Tenant) -> list[dict[str, Any]]:
    """Receipts behind a statement the tenant opened or downloaded (Belegeinsicht)."""
    rows = (
        _rows("documents", "ReceiptView")
        .filter(tenant=tenant)
        .select_related("receipt__receipt_set")
        .order_by("viewed_at", "pk")
    )
    return [
        {
            "receipt": view.receipt.title,
            "statement_kind": view.receipt.receipt_set.kind,
            "period": view.receipt.receipt_set.period,
            "viewed_at": _iso(view.viewed_at),
            "downloaded": view.downloaded,
        }
        for view in rows
    ]


def _notices_read(user: User) -> list[dict[str, Any]]:
    """Notices (Aushänge) the account opened."""
    rows = _rows("notices", "NoticeRead").filter(user=user).select_related("notice")
    return [
        {"notice": read.notice.title, "read_at": _iso(read.read_at)}
        for read in rows.order_by("read_at", "pk")
    ]


def _consumption(contracts: list[Contract]) -> list[dict[str, Any]]:
    """Each meter of the tenant's units, with the months of the tenancy in that unit only."""
    periods: dict[int, list[tuple]] = {}
    for contract in contracts:
        periods.setdefault(contract.unit_id, []).append((contract.start_date, contract.end_date))
    meters = list(
        _rows("consumption", "Meter").filter(unit_id__in=periods).select_related("unit__property")
    )
    readings: dict[int, list] = {}
    for reading in _rows("consumption", "Reading").filter(meter__in=meters).order_by("month"):
        readings.setdefault(reading.meter_id, []).append(reading)
    result = []
    for meter in sorted(meters, key=lambda m: (m.unit_id, m.kind, m.serial)):
        spans = periods[meter.unit_id]

        def within(month: date, spans=spans) -> bool:
            last_of_month = (month.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
            return any(
                start < last_of_month and (end is None or month <= end) for start, end in spans
            )

        result.append(
            {
                "unit": f"{meter.unit.property.number}/{meter.unit.number}",
                "kind": meter.kind,
                "serial": meter.serial,
                "measure_unit": meter.measure_unit,
                "readings": [
                    {"month": reading.month.strftime("%Y-%m"), "value": str(reading.value)}
                    for reading in readings.get(meter.pk, [])
                    if within(reading.month)
                ],
            }
        )
    return result


def _consents(tenant: Tenant, user: User) -> dict[str, Any]:
    codes = (
        _rows("registration", "RegistrationCode")
        .filter(claimed_by=user, used_at__isnull=False)
        .order_by("used_at")
    )
    history = AuditEntry.objects.filter(
        tenant=tenant, action__in=["tenant.paperless_consent", "tenant.paperless_withdrawn"]
    ).order_by("created_at", "pk")
    return {
        "paperless_delivery": {
            "given": tenant.paperless_consent,
            "given_at": _iso(tenant.paperless_consent_at),
            "history": [
                {"action": entry.action, "at": _iso(entry.created_at)} for entry in history
            ],
        },
        "terms_of_use": [
            {
                "accepted_at": _iso(code.terms_accepted_at),
                "registered_at": _iso(code.used_at),
                "paperless_requested": code.paperless_requested,
            }
            for code in codes
        ],
    }


# A clerk's internal note on a Kontakt request is not shown to the tenant, not even that it exists.
INTERNAL_ACTIONS = ("request.note",)


def _sign_ins(user: User) -> dict[str, Any]:
    sessions = []
    if apps.is_installed("allauth.usersessions"):
        sessions = [
            {
                "ip_address": row.ip,
                "browser": row.user_agent,
                "first_seen": _iso(row.created_at),
                "last_seen": _iso(row.last_seen_at),
            }
            for row in _rows("usersessions", "UserSession").filter(user=user).order_by("created_at")
        ]
    return {
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "sessions": sessions,
    }


def _audit(tenant: Tenant, user: User) -> list[dict[str, Any]]:
    """Who did what about the tenant or with the account, and when.

    The details (`changes`) only of the tenant's own steps: a clerk's entry may name internal
    matters (a note, a colleague) that are not the tenant's data.
    """
    entries = (
        AuditEntry.objects.filter(Q(tenant=tenant) | Q(actor=user))
        .exclude(action__in=INTERNAL_ACTIONS)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    result = []
    for entry in entries:
        own = entry.actor_id == user.pk
        result.append(
            {
                "at": _iso(entry.created_at),
                "action": entry.action,
                "record_type": entry.object_type,
                "record_id": entry.object_id,
                "by": _audit_by(entry, own=own),
                "ip_address": entry.ip_address if own else None,
                "changes": entry.changes if own else None,
            }
        )
    return result


def _audit_by(entry, *, own: bool) -> str:
    """Who acted: this account, a clerk, another portal account (e.g. the tenant's earlier,
    closed one) or the system – a tenant's own earlier step is never called a clerk's."""
    if own:
        return "you"
    if entry.actor is None:
        return "system"
    return "staff" if entry.actor.is_staff else "account"


# Erasure and restriction: a Kontakt request to customer service
# ------------------------------------------------------------------------------


def privacy_request_submit(
    *, tenant: Tenant, user: User, kind: str, message: str, ip_address: str | None = None
):
    """File the tenant's request to erase or restrict as a Kontakt request („Datenschutz“)."""
    if kind not in ("erase", "restrict"):
        raise PrivacyError(code="unknown_kind")
    request_create = _area_function("requests.services.request_create")
    with transaction.atomic():
        category, _created = _rows("requests", "Category").get_or_create(
            name=PRIVACY_CATEGORY["name"],
            defaults={k: v for k, v in PRIVACY_CATEGORY.items() if k != "name"},
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject = str(
                _("Request to erase my data")
                if kind == "erase"
                else _("Request to restrict the processing of my data")
            )
        return request_create(
            tenant=tenant,
            category=category,
            subject=subject,
            message=message,
            details={"privacy_request": kind},
            user=user,
            ip_address=ip_address,
        )


# Closing the portal account
# ------------------------------------------------------------------------------


def portal_account_close(
    *, user: User, tenant: Tenant, password: str, ip_address: str | None = None
) -> User:
    """Close the tenant's portal account; the tenancy and its documents stay.

    The login is deactivated (allauth then shows „account inactive“), the account is unlinked
    from the tenant so that registering again needs a new letter, and paperless delivery ends:
    documents go out by post from now on. Audited, and confirmed by e-mail.
    """
    if not check_password(password, user.password):
        raise PrivacyError(_("The password is not correct."), code="wrong_password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if not user.is_active or tenant.user_id != user.pk:
            raise PrivacyError(_("This account is already closed."), code="closed")
        if tenant.paperless_consent:
            tenant_paperless_consent_set(
                tenant=tenant, consent=False, by=user, ip_address=ip_address
            )
            tenant.refresh_from_db()
        user.is_active = False
        user.save(update_fields=["is_active"])
        tenant.user = None
        tenant.save(update_fields=["user", "updated_at"])
        audit_log(
            action="privacy.account_closed",
            obj=user,
            actor=user,
            tenant=tenant,
            changes={"email": user.email, "tenant_number": tenant.tenant_number},
            ip_address=ip_address,
        )
        email_queue(
            to=user.email,
            template="account_closed",
            context={"tenant": tenant, "account_email": user.email},
            language=user.language,
        )
    return user
