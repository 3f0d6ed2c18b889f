from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Property


class Notice(models.Model):
    """Aushang: what hangs in the stairwell, for one property, one building of it, or all."""

    class Kind(models.TextChoices):
        OUTAGE = "outage", _("Outage")
        MAINTENANCE = "maintenance", _("Maintenance")
        CONSTRUCTION = "construction", _("Construction")
        GENERAL = "general", _("General")

    property = models.ForeignKey(
        Property,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("property"),
        help_text=_("Empty: all properties."),
    )
    # A building is an address within the property (its units' "street and number").
    street = models.CharField(
        _("building"),
        max_length=200,
        blank=True,
        help_text=_("Empty: every building of the property."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text (English)"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), help_text=_("The notice disappears after this day.")
    )
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Urgent notices are e-mailed to every tenant.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Mails still to be queued; the sweeper resumes a notice whose task was lost.
    mail_pending = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="notice_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(street="") | models.Q(property__isnull=False),
                name="notice_building_needs_property",
            ),
        ]
        indexes = [models.Index(fields=["valid_until", "valid_from"], name="notice_period_idx")]

    def __str__(self) -> str:
        return self.title


class NoticeRead(models.Model):
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="reads", verbose_name=_("notice")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notices read")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.user_id}"


class NoticeMail(models.Model):
    """A notice's mail to one account is queued once: re-runs and a change to urgent skip it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="mails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_mail_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.user_id}"


class NoticePreference(models.Model):
    """Kept on the notices side so the base layer's user table stays untouched."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    notices_by_email = models.BooleanField(
        _("all notices by e-mail"),
        default=False,
        help_text=_("Urgent notices are always e-mailed."),
    )

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.notices_by_email}"
