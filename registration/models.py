from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class LetterBatch(models.Model):
    """One run of registration letters (admin action or command). Holds no codes."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin action")
        COMMAND = "command", _("Command")
        DEMO = "demo", _("Demo data")

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    letter_count = models.PositiveIntegerField(_("letters"), default=0)

    class Meta:
        verbose_name = _("registration letter batch")
        verbose_name_plural = _("registration letter batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.letter_count})"


class RegistrationCode(models.Model):
    """A letter code, stored only as its keyed hash."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        USED = "used", _("used")
        REVOKED = "revoked", _("revoked by a newer code")
        LOCKED = "locked", _("locked after wrong names")
        EXPIRED = "expired", _("expired")

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        related_name="registration_codes",
        verbose_name=_("tenant"),
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True, editable=False)
    batch = models.ForeignKey(
        LetterBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("letter batch"),
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    failed_name_attempts = models.PositiveSmallIntegerField(_("wrong names entered"), default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    # Filled by the sign-up form; the code counts as used once the e-mail address is confirmed.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account waiting for confirmation"),
    )
    claimed_at = models.DateTimeField(_("account created"), null=True, blank=True)
    confirmation_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    paperless_requested = models.BooleanField(_("asked for paperless delivery"), default=False)
    terms_accepted_at = models.DateTimeField(_("terms accepted"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration code")
        verbose_name_plural = _("registration codes")
        ordering = ["-issued_at"]
        permissions = [("issue_letters", _("Can issue registration letters"))]
        indexes = [models.Index(fields=["tenant", "-issued_at"], name="regcode_tenant_idx")]

    def __str__(self) -> str:
        return f"{self.tenant.tenant_number} · {self.issued_at:%Y-%m-%d}"

    @property
    def status(self) -> str:
        if self.used_at:
            return self.Status.USED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.locked_at:
            return self.Status.LOCKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.VALID

    def get_status_display(self) -> str:
        return self.Status(self.status).label
