from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Property, Tenant, Unit


class Kind(models.TextChoices):
    HEATING = "heating", _("Heating")
    HOT_WATER = "hot_water", _("Hot water")
    COLD_WATER = "cold_water", _("Cold water")


class Meter(models.Model):
    class MeasureUnit(models.TextChoices):
        KWH = "kWh", "kWh"
        HCA = "HKV", _("heat cost allocator units")
        M3 = "m3", "m³"

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="meters", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    remote = models.BooleanField(_("remotely readable"), default=True)
    measure_unit = models.CharField(_("measured in"), max_length=5, choices=MeasureUnit.choices)
    # Heat cost allocators count units, not energy: kWh = units × factor (from the metering firm).
    kwh_factor = models.DecimalField(
        _("kWh per unit"), max_digits=8, decimal_places=4, default=Decimal("1")
    )

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["unit", "kind", "serial"]
        indexes = [models.Index(fields=["unit", "kind"], name="meter_unit_kind_idx")]

    def __str__(self) -> str:
        return f"{self.serial} ({self.get_kind_display()})"

    def to_display(self, value: Decimal) -> Decimal:
        """Heating in kWh (allocator units converted), water in m³."""
        if self.measure_unit == self.MeasureUnit.HCA:
            return value * self.kwh_factor
        return value


class Reading(models.Model):
    """Consumption of one meter in one month, in the meter's own unit of measure."""

    # No index of its own: the unique (meter, month) index below serves every lookup by meter,
    # and one index fewer is one fewer to write for each imported row.
    meter = models.ForeignKey(
        Meter,
        on_delete=models.CASCADE,
        related_name="readings",
        verbose_name=_("meter"),
        db_index=False,
    )
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    value = models.DecimalField(_("consumption"), max_digits=12, decimal_places=3)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("monthly consumption")
        verbose_name_plural = _("monthly consumption")
        constraints = [
            # Also the index that keeps one unit's page cheap with 100 million rows in the table.
            models.UniqueConstraint(fields=["meter", "month"], name="one_reading_per_meter_month"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="reading_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.month:%Y-%m}: {self.value}"


class Benchmark(models.Model):
    """Average comparable user: consumption per m² of living area for a property and month."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("computed from the property's units")
        IMPORTED = "imported", _("from the metering provider")

    property = models.ForeignKey(
        Property,
        on_delete=models.CASCADE,
        related_name="consumption_benchmarks",
        verbose_name=_("property"),
    )
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    per_m2 = models.DecimalField(_("per m² of living area"), max_digits=12, decimal_places=5)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.COMPUTED
    )

    class Meta:
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["property", "month", "kind"], name="one_benchmark_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.property_id} {self.month:%Y-%m} {self.kind}"


class ImportRun(models.Model):
    created_at = models.DateTimeField(_("imported"), default=timezone.now)
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("consumption import")
        verbose_name_plural = _("consumption imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.file_name}"


class MonthlyNotice(models.Model):
    """The active notice HKVO § 6a requires: one per tenant and month, never twice."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant")
    )
    month = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        verbose_name = _("consumption notice")
        verbose_name_plural = _("consumption notices")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "month"], name="one_notice_per_tenant_month")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.month:%Y-%m}"
