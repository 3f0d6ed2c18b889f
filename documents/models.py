import builtins
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


def _private_path(instance, filename):
    # Random names: nothing about the tenant or the content is visible on disk or in a URL.
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class PublishBatch(models.Model):
    """One publication run (admin upload or command); notices are sent per batch and tenant."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin upload")
        COMMAND = "command", _("Command")
        REQUEST = "request", _("Answer to a request")
        SYSTEM = "system", _("Portal")

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    published = models.PositiveIntegerField(_("published"), default=0)
    skipped = models.PositiveIntegerField(_("already published"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched files"), default=0)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.published})"


class Document(models.Model):
    class Kind(models.TextChoices):
        BETRIEBSKOSTEN = "betriebskostenabrechnung", _("Operating cost statement")
        HEIZKOSTEN = "heizkostenabrechnung", _("Heating cost statement")
        MIETVERTRAG = "mietvertrag", _("Tenancy agreement")
        SCHREIBEN = "schreiben", _("Letter")
        BESCHEINIGUNG = "bescheinigung", _("Certificate")
        SONSTIGES = "sonstiges", _("Other")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(
        _("period"), max_length=30, blank=True, help_text=_("e.g. 2025 or 2025/2026")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    contract_number = models.CharField(
        _("contract number"), max_length=30, blank=True, db_index=True
    )
    file = models.FileField(_("file"), upload_to=_private_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    batch = models.ForeignKey(
        PublishBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("publication"),
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-year", "kind", "-published_at"]
        constraints = [
            # What makes bulk publishing idempotent: one statement per contract, kind and period.
            models.UniqueConstraint(
                fields=["contract_number", "kind", "period"],
                condition=~models.Q(contract_number="") & ~models.Q(period=""),
                name="one_document_per_contract_kind_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """Proof of delivery of one document to one tenant (§ 556 Abs. 3 BGB)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("document")
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("tenant")
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    electronic = models.BooleanField(
        _("delivered electronically"),
        default=False,
        help_text=_("Tenant had an account and consented to paperless delivery."),
    )
    notified_at = models.DateTimeField(_("notice e-mailed"), null=True, blank=True)
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    first_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first opened by"),
    )
    paper_sent_at = models.DateTimeField(_("sent on paper"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries (proof)")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["document", "tenant"], name="one_delivery_per_tenant")
        ]
        indexes = [
            models.Index(fields=["tenant", "-published_at"], name="delivery_tenant_idx"),
            models.Index(
                fields=["published_at"],
                condition=models.Q(electronic=False, paper_sent_at__isnull=True),
                name="delivery_paper_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.tenant}"

    @builtins.property
    def is_new(self) -> bool:
        return self.first_opened_at is None


def _form_path(instance, filename):
    return f"forms/{uuid.uuid4().hex}"


class StaticForm(models.Model):
    """A downloadable form maintained by clerks (PDF)."""

    title = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(
        _("title (English)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: English pages show the German title."),
    )
    description = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(
        _("description (English)"),
        blank=True,
        help_text=_("Empty: English pages show the German description."),
    )
    file = models.FileField(_("PDF file"), upload_to=_form_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


def _receipt_path(instance, filename):
    return f"receipts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ReceiptSet(models.Model):
    """The receipts behind one statement of a property (Belegeinsicht, § 556 Abs. 4 BGB)."""

    class Kind(models.TextChoices):
        # The statements' kinds (Document.Kind), the ones tenants may inspect receipts of.
        BETRIEBSKOSTEN = Document.Kind.BETRIEBSKOSTEN.value, Document.Kind.BETRIEBSKOSTEN.label
        HEIZKOSTEN = Document.Kind.HEIZKOSTEN.value, Document.Kind.HEIZKOSTEN.label

    property = models.ForeignKey(
        "tenants.Property",
        on_delete=models.PROTECT,
        related_name="receipt_sets",
        verbose_name=_("property"),
    )
    kind = models.CharField(_("statement"), max_length=30, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=30, help_text=_("e.g. 2025 or 2025/2026"))
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("receipts of a statement")
        verbose_name_plural = _("receipts (inspection)")
        ordering = ["-year", "property__number", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "kind", "period"], name="one_receipt_set_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} ({self.property_id and self.property})"


class Receipt(models.Model):
    receipt_set = models.ForeignKey(
        ReceiptSet, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("receipts")
    )
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2, default=0)
    file = models.FileField(_("PDF file"), upload_to=_receipt_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    redacted_file = models.FileField(
        _("redacted version"),
        upload_to=_receipt_path,
        max_length=200,
        blank=True,
        help_text=_("Third parties' personal data blacked out; tenants then only get this file."),
    )
    redacted_at = models.DateTimeField(_("redacted"), null=True, blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("redacted by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @builtins.property
    def tenant_file(self):
        """What a tenant gets: the redacted version once there is one, never the original."""
        return self.redacted_file if self.redacted_file else self.file


class ReceiptView(models.Model):
    """A tenant opened or downloaded a receipt: who and when, for the clerks."""

    receipt = models.ForeignKey(
        Receipt, on_delete=models.CASCADE, related_name="views", verbose_name=_("receipt")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="receipt_views", verbose_name=_("tenant")
    )
    viewed_at = models.DateTimeField(_("viewed"), default=timezone.now)
    downloaded = models.BooleanField(_("downloaded"), default=False)

    class Meta:
        verbose_name = _("receipt view")
        verbose_name_plural = _("receipt views")
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["receipt", "-viewed_at"], name="receiptview_receipt_idx")]

    def __str__(self) -> str:
        return f"{self.receipt} – {self.tenant_id}"
