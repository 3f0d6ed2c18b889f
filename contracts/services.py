"""Bank details and SEPA mandates: the tenant's change request and the clerk's decision."""

from datetime import date, timedelta
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tenants.assignment import AssignmentRules
from tenants.cards import card_cache_bump
from tenants.changes import BANK_COLUMNS, change_record
from tenants.csv_export import csv_writer
from tenants.errors import PortalError
from tenants.files import atomic_with_files
from tenants.models import Area, ChangeRecord, Contract, Tenant, User
from tenants.services import audit_log, email_queue, task_dispatch
from tenants.tenancy_state import tenancy_state

from .banking import CheckedIban, effective_month, processing_due
from .models import BankChangeRequest, Mandate


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


class BankChangeError(PortalError):
    pass


class ReferenceChangedError(BankChangeError):
    """The mandate reference the tenant consented to is no longer the next one."""

    def __init__(self, reference: str, *, by_partner: bool = True) -> None:
        super().__init__(
            _(
                "Your contract partner has just sent a change too, so the mandate "
                "reference is new. Please check the mandate and consent once more."
            )
            if by_partner
            else _(
                "A change for this contract has just been sent, so the mandate reference "
                "is new. Please check the mandate and consent once more."
            ),
            code="reference_changed",
        )
        self.reference = reference


class BankChangeNotAllowedError(BankChangeError):
    """No new bank details: after the tenancy (``read_only``) or for an ended contract."""


def bank_change_check_allowed(*, tenant: Tenant, contract: Contract) -> None:
    """Raise BankChangeNotAllowedError where the pages offer no bank change (one query).

    After the tenancy the account only reads (every contract has ended); one ended contract
    among others takes no new bank details either.
    """
    tenancy = tenancy_state(tenant)
    if tenancy.read_only:
        raise BankChangeNotAllowedError(tenancy.message(), code="read_only")
    if contract.phase() == Contract.Phase.ENDED:
        raise BankChangeNotAllowedError(
            _("This contract has ended. For questions about payments please contact us."),
            code="contract_ended",
        )


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
    submission: str = "",
) -> BankChangeRequest:
    """Store the request with its effective month and due date; replaces an open one.

    `expected_reference` is the mandate reference the tenant saw and consented to; if another
    contract partner took it in the meantime, ReferenceChangedError asks for a new consent.
    `submission` is the form's random token: the same form sent again (a double click)
    returns the request it already created instead of replacing it.
    """
    from .tasks import bank_change_route_task

    now = timezone.now()
    with atomic_with_files():
        # Lock the contract so two submissions cannot both become "the" open request.
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if submission:
            already = BankChangeRequest.objects.filter(
                contract=contract, submitted_by=tenant, submission=submission
            ).first()
            if already is not None:
                return already
        previous = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .filter(contract=contract, status=BankChangeRequest.Status.OPEN)
            .first()
        )
        reference = mandate_reference_next(contract=contract)
        if expected_reference is not None and expected_reference != reference:
            latest = (
                BankChangeRequest.objects.filter(contract=contract)
                .order_by("-received_at", "-pk")
                .only("submitted_by_id")
                .first()
            )
            raise ReferenceChangedError(
                reference,
                by_partner=latest is not None and latest.submitted_by_id != tenant.pk,
            )
        if previous is not None:
            previous.status = BankChangeRequest.Status.REPLACED
            previous.save(update_fields=["status"])
        bank_change = BankChangeRequest.objects.create(
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
            submission=submission,
        )
        if previous is not None:
            previous.replaced_by = bank_change
            previous.save(update_fields=["replaced_by"])
            audit_log(
                action="bank_change.replaced",
                obj=previous,
                actor=user,
                tenant=tenant,
                changes={"replaced_by": bank_change.pk},
                ip_address=ip_address,
            )
        audit_log(
            action="bank_change.submitted",
            obj=bank_change,
            actor=user,
            tenant=tenant,
            changes={
                "iban": bank_change.iban_masked,
                "holder_name": holder_name,
                "holder_is_tenant": holder_is_tenant,
                "mandate_reference": bank_change.mandate_reference,
                "effective_month": bank_change.effective_month.isoformat(),
            },
            ip_address=ip_address,
        )
        _mandate_into_documents(bank_change=bank_change, tenant=tenant, user=user)
        if tenant.user_id and tenant.user.email:
            email_queue(
                to=tenant.user.email,
                template="bank_change_received",
                context={
                    "tenant": tenant,
                    "bank_change": bank_change,
                    "replaced": previous is not None,
                },
            )
        transaction.on_commit(lambda: task_dispatch(bank_change_route_task, bank_change.pk))
        card_cache_bump([tenant.pk], "contracts")
    return bank_change


def bank_change_withdraw(
    *, tenant: Tenant, bank_change: BankChangeRequest, ip_address: str | None = None
) -> BankChangeRequest:
    with transaction.atomic():
        # Always the contract first, then the request: the same order as submitting.
        Contract.objects.select_for_update().get(pk=bank_change.contract_id)
        bank_change = BankChangeRequest.objects.select_for_update().get(pk=bank_change.pk)
        if bank_change.status != BankChangeRequest.Status.OPEN:
            raise BankChangeError(
                _("This request has already been processed and can no longer be withdrawn."),
                code="not_open",
            )
        bank_change.status = BankChangeRequest.Status.WITHDRAWN
        bank_change.processed_at = timezone.now()
        bank_change.save(update_fields=["status", "processed_at"])
        audit_log(
            action="bank_change.withdrawn",
            obj=bank_change,
            actor=tenant.user,
            tenant=tenant,
            ip_address=ip_address,
        )
        card_cache_bump([tenant.pk], "contracts")
    return bank_change


class BankChangeAssignment(AssignmentRules):
    """Bank changes go to the accounting clerk of the contract's property (tenants.assignment)."""

    model = BankChangeRequest
    audit_prefix = "bank_change"
    received_field = "received_at"
    select_related = ("contract__unit__property", "submitted_by")

    def area_of(self, bank_change: BankChangeRequest) -> str:
        return Area.ACCOUNTING

    def property_of(self, bank_change: BankChangeRequest):
        return bank_change.contract.unit.property

    def tenant_of(self, bank_change: BankChangeRequest) -> Tenant:
        return bank_change.submitted_by

    def is_finished(self, bank_change: BankChangeRequest) -> bool:
        # Replaced or withdrawn before routing is finished too: nobody needs to look at it.
        return bank_change.status != BankChangeRequest.Status.OPEN

    def notify_clerk(self, bank_change: BankChangeRequest, *, recipient: str) -> None:
        # Only what the clerk needs to find the request: no IBAN, no personal details.
        email_queue(
            to=recipient,
            template="bank_change_clerk_notice",
            context={"bank_change": bank_change, "admin_path": _admin_path(bank_change)},
        )

    def unrouted(self):
        # A replaced request is never routed; the sweeper need not even look at it.
        return super().unrouted().exclude(status=BankChangeRequest.Status.REPLACED)


bank_change_assignment = BankChangeAssignment()


def _admin_path(bank_change: BankChangeRequest) -> str:
    from django.urls import reverse

    return reverse("admin:contracts_bankchangerequest_change", args=[bank_change.pk])


def bank_change_approve(*, bank_change: BankChangeRequest, clerk: User) -> Mandate:
    """The new account becomes current from the effective month; the previous mandate ends.

    An approval that comes too late for the requested month (its rent is already collected)
    moves the change to the first month it can still reach, by the same cut-off rule.
    """
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=bank_change.contract_id)
        bank_change = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .select_related("submitted_by__user")
            .get(pk=bank_change.pk)
        )
        if bank_change.status != BankChangeRequest.Status.OPEN:
            raise BankChangeError(_("This request is no longer open."), code="not_open")
        requested = bank_change.effective_month
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
            reference=bank_change.mandate_reference,
            signed_on=timezone.localdate(bank_change.consent_at),
            valid_from=start,
            holder_name=bank_change.holder_name,
            holder_is_tenant=bank_change.holder_is_tenant,
            holder_street=bank_change.holder_street,
            holder_postal_code=bank_change.holder_postal_code,
            holder_city=bank_change.holder_city,
            holder_country=bank_change.holder_country,
            iban=bank_change.iban,
            iban_last4=bank_change.iban_last4,
            bic=bank_change.bic,
            bank_name=bank_change.bank_name,
        )
        bank_change.status = BankChangeRequest.Status.APPROVED
        bank_change.processed_at = timezone.now()
        bank_change.processed_by = clerk
        bank_change.mandate = mandate
        bank_change.effective_month = start
        bank_change.save(
            update_fields=["status", "processed_at", "processed_by", "mandate", "effective_month"]
        )
        audit_log(
            action="bank_change.approved",
            obj=bank_change,
            actor=clerk,
            tenant=bank_change.submitted_by,
            changes={
                "mandate": mandate.reference,
                "valid_from": start.isoformat(),
                "requested_from": requested.isoformat(),
                "ended": ended,
            },
        )
        # The ERP learns the new account through the change feed (tenants.changes).
        values = bank_change_values(bank_change=bank_change)
        change_record(
            entity=ChangeRecord.Entity.CONTRACT,
            key=contract.contract_number,
            kind=ChangeRecord.Kind.BANK_DETAILS,
            data={column: value for column, value in values.items() if column != "iban"},
            iban=values["iban"],
        )
        _tell_tenant(bank_change, "bank_change_approved")
        card_cache_bump([bank_change.submitted_by_id], "contracts")
    return mandate


def bank_change_reject(*, bank_change: BankChangeRequest, clerk: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise BankChangeError(
            _("Please give the tenant a reason for the rejection."), code="reason_required"
        )
    with transaction.atomic():
        Contract.objects.select_for_update().get(pk=bank_change.contract_id)
        bank_change = (
            BankChangeRequest.objects.select_for_update(of=("self",))
            .select_related("submitted_by__user")
            .get(pk=bank_change.pk)
        )
        if bank_change.status != BankChangeRequest.Status.OPEN:
            raise BankChangeError(_("This request is no longer open."), code="not_open")
        bank_change.status = BankChangeRequest.Status.REJECTED
        bank_change.processed_at = timezone.now()
        bank_change.processed_by = clerk
        bank_change.rejection_reason = reason
        bank_change.save(
            update_fields=["status", "processed_at", "processed_by", "rejection_reason"]
        )
        audit_log(
            action="bank_change.rejected",
            obj=bank_change,
            actor=clerk,
            tenant=bank_change.submitted_by,
            changes={"reason": reason},
        )
        _tell_tenant(bank_change, "bank_change_rejected")
        card_cache_bump([bank_change.submitted_by_id], "contracts")


def _tell_tenant(bank_change: BankChangeRequest, template: str) -> None:
    tenant = bank_change.submitted_by
    if tenant.user_id and tenant.user.email:
        # Written by a clerk's action: in the portal's language, not the clerk's admin language.
        with translation.override(settings.LANGUAGE_CODE):
            email_queue(
                to=tenant.user.email,
                template=template,
                context={"tenant": tenant, "bank_change": bank_change},
            )


def bank_change_values(*, bank_change: BankChangeRequest) -> dict[str, str]:
    """An approved change as the accounting system reads it (columns `BANK_COLUMNS`): the same
    in export_bank_changes and in the change feed. Full IBAN.
    """
    values = {
        "vertragsnummer": bank_change.contract.contract_number,
        "mieternummer": bank_change.submitted_by.tenant_number,
        "kontoinhaber": bank_change.holder_name,
        "abweichender_mandatsgeber": "nein" if bank_change.holder_is_tenant else "ja",
        "anschrift_kontoinhaber": bank_change.holder_address,
        "iban": bank_change.iban,
        "bic": bank_change.bic,
        "mandatsreferenz": bank_change.mandate_reference,
        "unterschrieben_am": timezone.localdate(bank_change.consent_at).isoformat(),
        "gueltig_ab": bank_change.effective_month.isoformat(),
        "genehmigt_am": timezone.localtime(bank_change.processed_at).isoformat(timespec="seconds"),
        "genehmigt_von": bank_change.processed_by.email if bank_change.processed_by else "",
    }
    return {column: values[column] for column in BANK_COLUMNS}


def bank_changes_export(*, since: date, output: TextIO) -> int:
    """Approved changes processed since `since`, for the accounting system. Full IBANs.

    A list by date for people; it moves no cursor. The ERP gets the same changes, each once,
    through the change feed (`export_changes`).
    """
    writer = csv_writer(output)
    writer.writerow(BANK_COLUMNS)
    rows = (
        BankChangeRequest.objects.filter(
            status=BankChangeRequest.Status.APPROVED,
            processed_at__date__gte=since,
        )
        .select_related("contract", "submitted_by", "processed_by", "mandate")
        .order_by("processed_at")
    )
    count = 0
    for bank_change in rows.iterator(chunk_size=500):
        writer.writerow(bank_change_values(bank_change=bank_change).values())
        count += 1
    return count


def _mandate_into_documents(*, bank_change: BankChangeRequest, tenant: Tenant, user) -> None:
    """The tenant's copy of the mandate (IBAN masked) goes into "Meine Dokumente"."""
    from documents.pdf import render_pdf
    from documents.services import DocumentKind, document_publish

    from .banking import sepa_creditor

    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(
            "pdf/sepa_mandate.html",
            {"contract": bank_change.contract, "change": bank_change, "creditor": sepa_creditor()},
        )
        document_publish(
            tenants=[tenant],
            kind=DocumentKind.SCHREIBEN,
            title=translation.gettext("SEPA direct debit mandate %(reference)s")
            % {"reference": bank_change.mandate_reference},
            year=timezone.localdate(bank_change.received_at).year,
            content=pdf,
            filename=f"SEPA-Mandat-{bank_change.mandate_reference}.pdf",
            by=user,
            notify=False,  # the confirmation e-mail already says so
        )
