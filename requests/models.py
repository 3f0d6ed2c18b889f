import builtins

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.i18n import localized
from tenants.models import Area, Assignment, Tenant, Unit


class Category(models.Model):
    """What a request is about: decides the responsible area, the response time and extra fields."""

    class Group(models.TextChoices):
        DAMAGE = "damage", _("Damage report")
        RENT = "rent", _("Rent and payment")
        STATEMENTS = "statements", _("Operating and heating cost statement")
        DOCUMENTS = "documents", _("Documents and certificates")
        ADDRESS = "address", _("Change of postal address")
        GENERAL = "general", _("General")

    class Form(models.TextChoices):
        PLAIN = "plain", _("Message only")
        DAMAGE = "damage", _("Damage: location, since when, getting worse, access")
        ADDRESS = "address", _("New postal address")
        DOCUMENT = "document", _("Which document and year")

    name = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(
        _("name (English)"),
        max_length=100,
        blank=True,
        help_text=_("Empty: English pages show the German name."),
    )
    hint = models.TextField(
        _("hint for tenants (German)"),
        blank=True,
        help_text=_("Shown above the form, e.g. what to mention. Optional."),
    )
    hint_en = models.TextField(
        _("hint for tenants (English)"),
        blank=True,
        help_text=_("Empty: English pages show the German hint."),
    )
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    form = models.CharField(_("extra fields"), max_length=20, choices=Form.choices)
    response_days = models.PositiveSmallIntegerField(
        _("target response time (working days)"), default=5
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered to tenants"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.name}"

    def localized_name(self, language: str | None = None) -> str:
        """The name in the language (the active one by default), German where no English exists."""
        return localized(self, "name", language)

    @builtins.property
    def display_name(self) -> str:
        """The name in the active language: for templates and e-mails."""
        return localized(self, "name")

    @builtins.property
    def display_hint(self) -> str:
        return localized(self, "hint")

    @builtins.property
    def is_damage(self) -> bool:
        return self.group == self.Group.DAMAGE


class ContactRequest(Assignment):
    """Anliegen: a tenant's message to the housing company, with its conversation."""

    class Status(models.TextChoices):
        # Its own msgid: "received" alone is also a date label ("eingegangen am").
        RECEIVED = "received", pgettext_lazy("request status", "received")
        IN_PROGRESS = "in_progress", _("in progress")
        WAITING = "waiting", _("waiting for the tenant")
        DONE = "done", _("done")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="contact_requests", verbose_name=_("tenant")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("unit"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="requests", verbose_name=_("category")
    )
    subject = models.CharField(_("subject"), max_length=200)
    details = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    created_at = models.DateTimeField(_("received on"), default=timezone.now)
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last activity"), auto_now=True)
    closed_at = models.DateTimeField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="request_tenant_idx"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(routed_at__isnull=True),
                name="request_unrouted_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @builtins.property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE


class ReferenceCounter(models.Model):
    """Per-year sequence for readable references (A-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Message(models.Model):
    request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    from_tenant = models.BooleanField(_("from the tenant"), default=True)
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Never shown to the tenant.")
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.created_at:%Y-%m-%d %H:%M}"


def _attachment_path(instance, filename):
    # Random names only: the original name is kept in the row, never on disk.
    import uuid

    return f"requests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    request = models.ForeignKey(
        ContactRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name=_("message"),
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=_attachment_path, max_length=200, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @builtins.property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class StatusChange(models.Model):
    request = models.ForeignKey(
        ContactRequest,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("request"),
    )
    status = models.CharField(_("status"), max_length=20, choices=ContactRequest.Status.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.status}"


class ScheduledAddressChange(models.Model):
    """A change of postal address that takes effect later: applied on `apply_on` by a daily task."""

    request = models.OneToOneField(
        ContactRequest,
        on_delete=models.CASCADE,
        related_name="scheduled_address",
        verbose_name=_("request"),
    )
    address = models.JSONField(_("new address"))
    apply_on = models.DateField(_("applies from"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    scheduled_at = models.DateTimeField(_("scheduled on"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied on"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled change of address")
        verbose_name_plural = _("scheduled changes of address")
        ordering = ["apply_on", "pk"]
        indexes = [
            models.Index(
                fields=["apply_on"],
                condition=models.Q(applied_at__isnull=True),
                name="address_change_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.apply_on:%Y-%m-%d}"
