from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant, Unit


def _money(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )


class Contract(models.Model):
    """Mietvertrag for one unit; a tenant may hold several (flat, parking space)."""

    contract_number = models.CharField(_("contract number"), max_length=30, unique=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("unit")
    )
    partners = models.ManyToManyField(
        Tenant, related_name="contracts", verbose_name=_("contract partners")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    grundmiete = _money(_("base rent (Grundmiete)"))
    betriebskosten_vorauszahlung = _money(_("operating costs advance"))
    heizkosten_vorauszahlung = _money(_("heating costs advance"))
    total_rent = models.GeneratedField(
        expression=F("grundmiete")
        + F("betriebskosten_vorauszahlung")
        + F("heizkosten_vorauszahlung"),
        output_field=models.DecimalField(max_digits=10, decimal_places=2),
        db_persist=True,
        verbose_name=_("total monthly rent"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["contract_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=F("start_date")),
                name="contract_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.contract_number
