"""Bank details and SEPA mandates: the tenant's change request and the clerk's decision."""

import csv
import logging
from datetime import date, timedelta
from typing import TextIO

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tenants.models import Area, Tenant, User
from tenants.selectors import responsible_for
from tenants.services import audit_log, email_queue, task_dispatch

from .banking import CheckedIban, effective_month, processing_due
from .models import BankChangeRequest, Contract, Mandate

logger = logging.getLogger(__name__)


def mandate_reference_next(*, contract: Contract) -> str:
    """The reference the next mandate of this contract will carry (max. 35 characters).

    Shown on the form before submitting; unique because the sequence counts every earlier
    mandate and request of the contract.
    """
    used = Mandate.objects.filter(contract=contract).count() + (
        BankChangeRequest.objects.filter(contract=contract).count()
    )
    return f"{contract.contract_number}-M{used + 1:02d}"[:35]


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
) -> BankChangeRequest:
    """Store the request with its effective month and due date; replaces an open one."""
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
            holder_country="" if holder_is_tenant else (holder_country or "DE"),
            iban=checked_iban.iban,
            iban_last4=checked_iban.iban[-4:],
            bic=checked_iban.bic,
            bank_name=checked_iban.bank_name,
            mandate_reference=mandate_reference_next(contract=contract),
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
        clerk, team = responsible_for(property=request.contract.unit.property, area=Area.ACCOUNTING)
        request.assigned_to = clerk
        request.assigned_team = team
        request.routed_at = timezone.now()
        request.save(update_fields=["assigned_to", "assigned_team", "routed_at"])
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
    """The new account becomes current from the effective month; the previous mandate ends."""
    with transaction.atomic():
        request = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .select_related("contract", "submitted_by__user")
            .get(pk=request.pk)
        )
        if request.status != BankChangeRequest.Status.OPEN:
            raise BankChangeError("not_open")
        start = request.effective_month
        previous = Mandate.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=start), contract=request.contract
        )
        ended = list(previous.values_list("reference", flat=True))
        previous.filter(valid_from__lt=start).update(valid_until=start - timedelta(days=1))
        # A mandate that would only have started on or after the new one is superseded whole.
        previous.filter(valid_from__gte=start).update(valid_until=F("valid_from"))
        mandate = Mandate.objects.create(
            contract=request.contract,
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
        request.save(update_fields=["status", "processed_at", "processed_by", "mandate"])
        audit_log(
            action="bank_change.approved",
            obj=request,
            actor=clerk,
            tenant=request.submitted_by,
            changes={"mandate": mandate.reference, "valid_from": start.isoformat(), "ended": ended},
        )
        _tell_tenant(request, "bank_change_approved")
    return mandate


def bank_change_reject(*, request: BankChangeRequest, clerk: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise BankChangeError("reason_required")
    with transaction.atomic():
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
        email_queue(
            to=tenant.user.email,
            template=template,
            context={"tenant": tenant, "request": request},
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
