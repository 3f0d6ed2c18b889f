import builtins
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tenants.crypto import EncryptedCharField
from tenants.models import Assignment, Contract, Tenant


def mask_iban(iban: str) -> str:
    """Only the last four characters, as everywhere a tenant or an e-mail sees an IBAN."""
    compact = "".join(iban.split()).upper()
    if len(compact) < 8:
        return "••••"
    return f"•••• •••• •••• •••• {compact[-4:]}"


class AccountHolderMixin(models.Model):
    """Bank account and holder, shared by the mandate and the request that leads to it."""

    holder_name = models.CharField(_("account holder"), max_length=140)
    holder_is_tenant = models.BooleanField(_("account holder is the tenant"), default=True)
    holder_street = models.CharField(_("holder's street and number"), max_length=200, blank=True)
    holder_postal_code = models.CharField(_("holder's postal code"), max_length=10, blank=True)
    holder_city = models.CharField(_("holder's city"), max_length=100, blank=True)
    holder_country = models.CharField(_("holder's country"), max_length=2, blank=True)
    iban = EncryptedCharField(_("IBAN"))
    iban_last4 = models.CharField(_("IBAN (last 4)"), max_length=4, editable=False)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @builtins.property
    def iban_masked(self) -> str:
        # From the stored last four digits: showing a masked IBAN never decrypts the full one.
        return f"•••• •••• •••• •••• {self.iban_last4}" if self.iban_last4 else "••••"

    @builtins.property
    def holder_address(self) -> str:
        parts = [self.holder_street, f"{self.holder_postal_code} {self.holder_city}".strip()]
        if self.holder_country and self.holder_country != "DE":
            parts.append(self.holder_country)
        return ", ".join(p for p in parts if p)


class Mandate(AccountHolderMixin):
    """SEPA-Lastschriftmandat for a contract: the bank details the rent is collected from."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("contract")
    )
    reference = models.CharField(_("mandate reference"), max_length=35, unique=True)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Set when a newer mandate was approved before this one took effect: it never applied.
    superseded_at = models.DateTimeField(
        _("superseded before taking effect"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("SEPA mandate")
        verbose_name_plural = _("SEPA mandates")
        ordering = ["contract", "-valid_from"]
        indexes = [models.Index(fields=["contract", "-valid_from"], name="mandate_contract_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=F("valid_from")),
                name="mandate_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class BankChangeRequest(AccountHolderMixin, Assignment):
    """A tenant's request for new bank details and a new SEPA mandate."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn by the tenant")
        REPLACED = "replaced", _("replaced by a newer request")

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="bank_change_requests",
        verbose_name=_("contract"),
    )
    submitted_by = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        related_name="bank_change_requests",
        verbose_name=_("submitted by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    mandate_reference = models.CharField(_("new mandate reference"), max_length=35, unique=True)
    received_at = models.DateTimeField(_("received"))
    # From the time of receipt; moved to a later month if the approval comes too late for it.
    effective_month = models.DateField(_("effective from"))
    due_date = models.DateField(_("expected processing date"))
    consent_at = models.DateTimeField(_("mandate granted"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("processed by"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )
    mandate = models.OneToOneField(
        Mandate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("resulting mandate"),
    )
    # The random token of the form that sent it: a double click sends the same form twice.
    submission = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("bank change request")
        verbose_name_plural = _("bank change requests")
        ordering = ["due_date", "received_at"]
        permissions = [("view_full_iban", _("Can see full IBANs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status="open"),
                name="one_open_bank_change_per_contract",
            ),
            models.UniqueConstraint(
                fields=["contract", "submission"],
                condition=~models.Q(submission=""),
                name="bank_change_submission_once",
            ),
            models.CheckConstraint(
                condition=models.Q(holder_is_tenant=True)
                | (
                    ~models.Q(holder_street="")
                    & ~models.Q(holder_postal_code="")
                    & ~models.Q(holder_city="")
                ),
                name="bank_change_other_holder_has_address",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_date"], condition=models.Q(status="open"), name="bank_change_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.contract_number} · {self.received_at:%Y-%m-%d}"

    @builtins.property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RentAccount(models.Model):
    """Mietkonto of a contract as the ERP last reported it: the balance on a day.

    Read-only in the portal; written only by `contracts.rent_account.rent_account_import`.
    """

    contract = models.OneToOneField(
        Contract,
        on_delete=models.CASCADE,
        related_name="rent_account",
        verbose_name=_("contract"),
    )
    # Positive: the tenant owes this amount; negative: a credit in the tenant's favour.
    balance = models.DecimalField(_("balance"), max_digits=12, decimal_places=2)
    balance_date = models.DateField(_("balance on"))
    open_since = models.DateField(_("outstanding since"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("rent account")
        verbose_name_plural = _("rent accounts")
        ordering = ["contract__contract_number"]

    def __str__(self) -> str:
        return self.contract.contract_number

    @builtins.property
    def is_balanced(self) -> bool:
        return self.balance == 0

    @builtins.property
    def is_owing(self) -> bool:
        return self.balance > 0


class RentPosting(models.Model):
    """One posting on the rent account (Sollstellung, Zahlung, Gebühr, Gutschrift)."""

    class Kind(models.TextChoices):
        RENT = "soll", _("rent debit")
        PAYMENT = "zahlung", _("payment")
        FEE = "gebuehr", _("fee")
        CREDIT = "gutschrift", _("credit")
        OTHER = "sonstige", _("other")

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="rent_postings",
        verbose_name=_("contract"),
    )
    erp_id = models.CharField(_("ERP posting id"), max_length=40)
    booking_date = models.DateField(_("booking date"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("posting text"), max_length=200, blank=True)
    # Signed like the balance: positive raises what the tenant owes (debit), negative lowers it.
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("rent account posting")
        verbose_name_plural = _("rent account postings")
        ordering = ["contract", "-booking_date", "-pk"]
        constraints = [
            # The ERP's id makes a re-import an update, never a second row.
            models.UniqueConstraint(fields=["contract", "erp_id"], name="rent_posting_erp_id"),
        ]
        indexes = [
            models.Index(fields=["contract", "-booking_date"], name="rent_posting_contract_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.contract_number} · {self.erp_id}"

    @builtins.property
    def debit(self) -> Decimal | None:
        return self.amount if self.amount > 0 else None

    @builtins.property
    def credit(self) -> Decimal | None:
        return -self.amount if self.amount < 0 else None
