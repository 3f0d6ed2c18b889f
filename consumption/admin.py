from django.contrib import admin

from .models import Benchmark, ImportRun, Meter, MonthlyNotice, Reading


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = ["serial", "unit", "kind", "remote", "measure_unit", "kwh_factor"]
    list_filter = ["kind", "remote", "measure_unit", "unit__property"]
    search_fields = ["serial", "unit__number", "unit__property__number"]
    list_select_related = ["unit__property"]
    autocomplete_fields = ["unit"]


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["meter", "month", "value", "imported_at"]
    list_filter = ["meter__kind", ("month", admin.DateFieldListFilter)]
    search_fields = ["meter__serial"]
    list_select_related = ["meter"]
    date_hierarchy = "month"
    raw_id_fields = ["meter"]
    show_full_result_count = False  # the table grows to millions of rows


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ["property", "month", "kind", "per_m2", "source"]
    list_filter = ["kind", "source", "property"]
    date_hierarchy = "month"

    def get_changeform_initial_data(self, request):
        # Entered by hand = sent by the metering provider: the import must not overwrite it.
        return {"source": Benchmark.Source.IMPORTED, **super().get_changeform_initial_data(request)}


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "rows", "accepted", "rejected"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyNotice)
class MonthlyNoticeAdmin(admin.ModelAdmin):
    list_display = ["tenant", "month", "sent_at"]
    list_filter = [("month", admin.DateFieldListFilter)]
    search_fields = ["tenant__tenant_number", "tenant__last_name"]
    list_select_related = ["tenant"]
    readonly_fields = ["tenant", "month", "sent_at"]

    # The record of a notice sent (HKVO § 6a): nobody adds or edits one by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
