"""Bank details and SEPA mandates: the tenant's change request and the clerk's decision."""

import csv
import logging
from datetime import date, timedelta
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from tenants.models import Area, Tenant, User
from tenants.selectors import responsible_for
from tenants.services import audit_log, email_queue, task_dispatch

from .banking import CheckedIban, effective_month, processing_due
from .models import BankChangeRequest, Contract, Mandate

logger = logging.getLogger(__name__)


def mandate_reference_next(*, contract: Contract) -> str:
    """The reference the next mandate of this contract will carry (at most 35 characters).

    One more than the highest "<contract>-M<n>" among the contract's mandates and requests, so
    imported or deleted rows cannot lead to a reference being used twice.
    """
    prefix = f"{contract.contract_number}-M"
    used = [
        *Mandate.objects.filter(reference__startswith=prefix).values_list("reference", flat=True),
        *BankChangeRequest.objects.filter(mandate_reference__startswith=prefix).values_list(
            "mandate_reference", flat=True
        ),
    ]
    numbers = [int(ref[len(prefix) :]) for ref in used if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"[:35]


class ReferenceChangedError(Exception):
    """The mandate reference the tenant consented to is no longer the next one."""


def bank_change_submit(
    *,
    tenant: Tenant,
    contract: Contract,
    checked_iban: CheckedIban,
    holder_name: str,
    holder_is_tenant: bool,
    holder_street: str = "",
    holder_postal_code: str = "",
    holder_city: str = "",
    holder_country: str = "",
    ip_address: str | None = None,
    user: User | None = None,
    expected_reference: str | None = None,
) -> BankChangeRequest:
    """Store the request with its effective month and due date; replaces an open one.

    `expected_reference` is the mandate reference the tenant saw and consented to; if another
    contract partner took it in the meantime, ReferenceChangedError asks for a new consent.
    """
    from .tasks import bank_change_route

    now = timezone.now()
    with transaction.atomic():
        # Lock the contract so two submissions cannot both become "the" open request.
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        previous = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .filter(contract=contract, status=BankChangeRequest.Status.OPEN)
            .first()
        )
        reference = mandate_reference_next(contract=contract)
        if expected_reference is not None and expected_reference != reference:
            raise ReferenceChangedError(reference)
        if previous is not None:
            previous.status = BankChangeRequest.Status.REPLACED
            previous.save(update_fields=["status"])
        request = BankChangeRequest.objects.create(
            contract=contract,
            submitted_by=tenant,
            holder_name=holder_name,
            holder_is_tenant=holder_is_tenant,
            holder_street="" if holder_is_tenant else holder_street,
            holder_postal_code="" if holder_is_tenant else holder_postal_code,
            holder_city="" if holder_is_tenant else holder_city,
            holder_country="" if holder_is_tenant else holder_country,
            iban=checked_iban.iban,
            iban_last4=checked_iban.iban[-4:],
            bic=checked_iban.bic,
            bank_name=checked_iban.bank_name,
            mandate_reference=reference,
            received_at=now,
            effective_month=effective_month(now),
            due_date=processing_due(now),
            consent_at=now,
            ip_address=ip_address,
        )
        if previous is not None:
            previous.replaced_by = request
            previous.save(update_fields=["replaced_by"])
            audit_log(
                action="bank_change.replaced",
                obj=previous,
                actor=user,
                tenant=tenant,
                changes={"replaced_by": request.pk},
                ip_address=ip_address,
            )
        audit_log(
            action="bank_change.submitted",
            obj=request,
            actor=user,
            tenant=tenant,
            changes={
                "iban": request.iban_masked,
                "holder_name": holder_name,
                "holder_is_tenant": holder_is_tenant,
                "mandate_reference": request.mandate_reference,
                "effective_month": request.effective_month.isoformat(),
            },
            ip_address=ip_address,
        )
        _mandate_into_documents(request=request, tenant=tenant, user=user)
        if tenant.user_id and tenant.user.email:
            email_queue(
                to=tenant.user.email,
                template="bank_change_received",
                context={"tenant": tenant, "request": request, "replaced": previous is not None},
            )
        transaction.on_commit(lambda: task_dispatch(bank_change_route, request.pk))
    return request


def bank_change_withdraw(
    *, tenant: Tenant, request: BankChangeRequest, ip_address: str | None = None
) -> BankChangeRequest:
    with transaction.atomic():
        # Always the contract first, then the request: the same order as submitting.
        Contract.objects.select_for_update().get(pk=request.contract_id)
        request = BankChangeRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != BankChangeRequest.Status.OPEN:
            raise BankChangeError("not_open")
        request.status = BankChangeRequest.Status.WITHDRAWN
        request.processed_at = timezone.now()
        request.save(update_fields=["status", "processed_at"])
        audit_log(
            action="bank_change.withdrawn",
            obj=request,
            actor=tenant.user,
            tenant=tenant,
            ip_address=ip_address,
        )
    return request


class BankChangeError(Exception):
    pass


def bank_change_route(*, request_id: int) -> BankChangeRequest | None:
    """Assign the request to the property's responsible accounting clerk and tell them. Once."""
    with transaction.atomic():
        request = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .select_related("contract__unit__property")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.routed_at is not None:
            return request
        if request.status != BankChangeRequest.Status.OPEN:
            # Replaced or withdrawn before routing: nobody needs to look at it.
            request.routed_at = timezone.now()
            request.save(update_fields=["routed_at"])
            return request
        clerk, team = responsible_for(property=request.contract.unit.property, area=Area.ACCOUNTING)
        request.assigned_to = clerk
        request.assigned_team = team
        request.routed_at = timezone.now()
        request.save(update_fields=["assigned_to", "assigned_team", "routed_at"])
        audit_log(
            action="bank_change.routed",
            obj=request,
            tenant=request.submitted_by,
            changes={
                "assigned_to": clerk.email if clerk else None,
                "assigned_team": team.name if team else None,
            },
        )
        recipient = (clerk.email if clerk else "") or (team.email if team else "")
        if recipient:
            # Only what the clerk needs to find the request: no IBAN, no personal details.
            email_queue(
                to=recipient,
                template="bank_change_clerk_notice",
                context={"request": request, "admin_path": _admin_path(request)},
            )
        else:
            logger.error("Bank change request %s: no accounting clerk or team", request.pk)
    return request


def _admin_path(request: BankChangeRequest) -> str:
    from django.urls import reverse

    return reverse("admin:contracts_bankchangerequest_change", args=[request.pk])


def bank_change_approve(*, request: BankChangeRequest, clerk: User) -> Mandate:
    """The new account becomes current from the effective month; the previous mandate ends.

    An approval that comes too late for the requested month (its rent is already collected)
    moves the change to the first month it can still reach, by the same cut-off rule.
    """
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=request.contract_id)
        request = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .select_related("submitted_by__user")
            .get(pk=request.pk)
        )
        if request.status != BankChangeRequest.Status.OPEN:
            raise BankChangeError("not_open")
        requested = request.effective_month
        start = max(requested, effective_month(timezone.now()))
        current = Mandate.objects.filter(contract=contract, superseded_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=start)
        )
        ended = list(current.values_list("reference", flat=True))
        current.filter(valid_from__lt=start).update(valid_until=start - timedelta(days=1))
        # A mandate approved earlier that would only start now or later never takes effect.
        current.filter(valid_from__gte=start).update(superseded_at=timezone.now())
        mandate = Mandate.objects.create(
            contract=contract,
            reference=request.mandate_reference,
            signed_on=timezone.localdate(request.consent_at),
            valid_from=start,
            holder_name=request.holder_name,
            holder_is_tenant=request.holder_is_tenant,
            holder_street=request.holder_street,
            holder_postal_code=request.holder_postal_code,
            holder_city=request.holder_city,
            holder_country=request.holder_country,
            iban=request.iban,
            iban_last4=request.iban_last4,
            bic=request.bic,
            bank_name=request.bank_name,
        )
        request.status = BankChangeRequest.Status.APPROVED
        request.processed_at = timezone.now()
        request.processed_by = clerk
        request.mandate = mandate
        request.effective_month = start
        request.save(
            update_fields=["status", "processed_at", "processed_by", "mandate", "effective_month"]
        )
        audit_log(
            action="bank_change.approved",
            obj=request,
            actor=clerk,
            tenant=request.submitted_by,
            changes={
                "mandate": mandate.reference,
                "valid_from": start.isoformat(),
                "requested_from": requested.isoformat(),
                "ended": ended,
            },
        )
        _tell_tenant(request, "bank_change_approved")
    return mandate


def bank_change_reject(*, request: BankChangeRequest, clerk: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise BankChangeError("reason_required")
    with transaction.atomic():
        Contract.objects.select_for_update().get(pk=request.contract_id)
        request = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .select_related("submitted_by__user")
            .get(pk=request.pk)
        )
        if request.status != BankChangeRequest.Status.OPEN:
            raise BankChangeError("not_open")
        request.status = BankChangeRequest.Status.REJECTED
        request.processed_at = timezone.now()
        request.processed_by = clerk
        request.rejection_reason = reason
        request.save(update_fields=["status", "processed_at", "processed_by", "rejection_reason"])
        audit_log(
            action="bank_change.rejected",
            obj=request,
            actor=clerk,
            tenant=request.submitted_by,
            changes={"reason": reason},
        )
        _tell_tenant(request, "bank_change_rejected")


def _tell_tenant(request: BankChangeRequest, template: str) -> None:
    tenant = request.submitted_by
    if tenant.user_id and tenant.user.email:
        # Written by a clerk's action: in the portal's language, not the clerk's admin language.
        with translation.override(settings.LANGUAGE_CODE):
            email_queue(
                to=tenant.user.email,
                template=template,
                context={"tenant": tenant, "request": request},
            )


def bank_change_reassign(*, request: BankChangeRequest, clerk: User, by: User) -> None:
    """A clerk hands the request to a colleague, who is told by e-mail."""
    with transaction.atomic():
        previous = request.assigned_to
        request.assigned_to = clerk
        request.save(update_fields=["assigned_to"])
        audit_log(
            action="bank_change.reassigned",
            obj=request,
            actor=by,
            tenant=request.submitted_by,
            changes={
                "from": previous.email if previous else None,
                "to": clerk.email if clerk else None,
            },
        )
        if clerk is not None and clerk.email:
            email_queue(
                to=clerk.email,
                template="bank_change_clerk_notice",
                context={"request": request, "admin_path": _admin_path(request)},
            )


def bank_changes_export(*, since: date, output: TextIO) -> int:
    """Approved changes processed since `since`, for the accounting system. Full IBANs."""
    writer = csv.writer(output, delimiter=";")
    writer.writerow(
        [
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
        ]
    )
    rows = (
        BankChangeRequest.objects.filter(
            status=BankChangeRequest.Status.APPROVED,
            processed_at__date__gte=since,
        )
        .select_related("contract", "submitted_by", "processed_by", "mandate")
        .order_by("processed_at")
    )
    count = 0
    for request in rows.iterator(chunk_size=500):
        writer.writerow(
            [
                request.contract.contract_number,
                request.submitted_by.tenant_number,
                request.holder_name,
                "nein" if request.holder_is_tenant else "ja",
                request.holder_address,
                request.iban,
                request.bic,
                request.mandate_reference,
                timezone.localdate(request.consent_at).isoformat(),
                request.effective_month.isoformat(),
                timezone.localtime(request.processed_at).isoformat(timespec="seconds"),
                request.processed_by.email if request.processed_by else "",
            ]
        )
        count += 1
    return count


def _mandate_into_documents(*, request: BankChangeRequest, tenant: Tenant, user) -> None:
    """The tenant's copy of the mandate (IBAN masked) goes into "Meine Dokumente"."""
    from documents.models import Document
    from documents.pdf import render_pdf
    from documents.services import document_publish

    from .banking import sepa_creditor

    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(
            "pdf/sepa_mandate.html",
            {"contract": request.contract, "change": request, "creditor": sepa_creditor()},
        )
        document_publish(
            tenants=[tenant],
            kind=Document.Kind.SCHREIBEN,
            title=translation.gettext("SEPA direct debit mandate %(reference)s")
            % {"reference": request.mandate_reference},
            year=timezone.localdate(request.received_at).year,
            content=pdf,
            filename=f"SEPA-Mandat-{request.mandate_reference}.pdf",
            by=user,
            notify=False,  # the confirmation e-mail already says so
        )
