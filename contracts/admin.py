from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Contract


class ActiveFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("running")), ("no", _("ended"))]

    def queryset(self, request, queryset):
        from django.db.models import Q
        from django.utils import timezone

        today = timezone.localdate()
        running = Q(end_date__isnull=True) | Q(end_date__gte=today)
        if self.value() == "yes":
            return queryset.filter(running)
        if self.value() == "no":
            return queryset.exclude(running)
        return queryset


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = [
        "contract_number",
        "unit",
        "partner_names",
        "start_date",
        "end_date",
        "grundmiete",
        "total_rent",
    ]
    list_filter = [ActiveFilter, "unit__kind", "unit__property"]
    search_fields = [
        "contract_number",
        "partners__last_name",
        "partners__tenant_number",
        "unit__number",
        "unit__property__number",
    ]
    list_select_related = ["unit__property"]
    autocomplete_fields = ["unit", "partners"]
    readonly_fields = ["total_rent", "created_at", "updated_at"]
    date_hierarchy = "start_date"
    fieldsets = (
        (None, {"fields": ("contract_number", "unit", "partners", "start_date", "end_date")}),
        (
            _("Rent"),
            {
                "fields": (
                    "grundmiete",
                    "betriebskosten_vorauszahlung",
                    "heizkosten_vorauszahlung",
                    "total_rent",
                )
            },
        ),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("contract partners"))
    def partner_names(self, obj):
        return ", ".join(p.full_name for p in obj.partners.all())
