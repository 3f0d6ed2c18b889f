from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tenants.csv_export import csv_writer
from tenants.errors import PortalError
from tenants.jobs import job_started_response
from tenants.translation_admin import BilingualAdminMixin, bilingual_fieldset

from .delivery import private_file_response
from .fields import MultipleFileField, MultipleFileInput
from .jobs import documents_publish_job_start
from .models import Delivery, Document, PublishBatch, StaticForm
from .services import deliveries_mark_paper_sent, documents_publish_for_tenant

# Publishing for one tenant stays inside the request: a few letters, published in a second.
# Anything larger is a job (by contract number) or several uploads.
ONE_TENANT_MAX_FILES = 20


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = [
        "tenant",
        "electronic",
        "published_at",
        "notified_at",
        "first_opened_at",
        "first_opened_by",
        "paper_sent_at",
    ]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("proof of delivery")

    def has_add_permission(self, request, obj=None):
        return False


class BulkUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    period = forms.CharField(label=_("Period"), max_length=30, help_text=_("e.g. 2025"))
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Default: kind and period")
    )
    files = MultipleFileField(
        label=_("PDF files, named by contract number (e.g. 1001-W01-01.pdf)"),
        widget=MultipleFileInput(attrs={"accept": "application/pdf"}),
    )
    tenant_number = forms.CharField(
        label=_("Or: for one tenant only (tenant number)"),
        max_length=20,
        required=False,
        help_text=_("Then the file names do not matter, e.g. for a letter to one tenant."),
    )

    def clean_tenant_number(self):
        from tenants.models import Tenant

        number = self.cleaned_data["tenant_number"].strip()
        if number and not Tenant.objects.filter(tenant_number=number).exists():
            raise forms.ValidationError(_("There is no tenant with this number."))
        return number

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("files") or []
        if cleaned.get("tenant_number") and len(files) > ONE_TENANT_MAX_FILES:
            self.add_error(
                "files",
                _("At most %(max)d files for one tenant at a time.")
                % {"max": ONE_TENANT_MAX_FILES},
            )
        return cleaned


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "period", "contract_number", "published_at", "open_link"]
    list_filter = ["kind", "year", ("published_at", admin.DateFieldListFilter)]
    search_fields = ["title", "contract_number", "deliveries__tenant__last_name"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "kind",
        "title",
        "period",
        "year",
        "contract_number",
        "original_name",
        "size",
        "published_at",
        "published_by",
        "batch",
        "open_link",
    ]
    exclude = ["file"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False  # through "Upload documents", which resolves the recipients

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def open_link(self, obj):
        url = reverse("admin:documents_document_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def get_urls(self):
        return [
            path(
                "hochladen/",
                self.admin_site.admin_view(self.upload_view),
                name="documents_document_upload",
            ),
            path(
                "<int:pk>/datei/",
                self.admin_site.admin_view(self.file_view),
                name="documents_document_file",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "upload_url": reverse("admin:documents_document_upload"),
        }
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not request.user.has_perm("documents.add_document"):
            raise PermissionDenied
        form = BulkUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid() and form.cleaned_data["tenant_number"]:
            return self._upload_for_tenant(request, form)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                job = documents_publish_job_start(
                    files=data["files"],
                    kind=data["kind"],
                    period=data["period"],
                    title=data["title"],
                    by=request.user,
                )
            except PortalError as error:
                # The form shows again with kind, period and title; the browser cannot keep
                # the chosen files.
                self.message_user(request, error.message, messages.ERROR)
            else:
                return job_started_response(request, job)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload documents"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/documents/upload.html", context)

    def _upload_for_tenant(self, request, form):
        from tenants.models import Tenant

        tenant = Tenant.objects.get(tenant_number=form.cleaned_data["tenant_number"])
        data = form.cleaned_data
        report = documents_publish_for_tenant(
            tenant=tenant,
            files=[(upload.name, upload.read) for upload in request.FILES.getlist("files")],
            kind=data["kind"],
            period=data["period"],
            title=data["title"] or None,
            by=request.user,
        )
        published, refused = len(report.published), report.invalid
        self.message_user(
            request,
            _("%(count)d document(s) published for %(tenant)s. Not a PDF: %(refused)s.")
            % {"count": published, "tenant": tenant, "refused": ", ".join(refused) or "–"},
            messages.WARNING if refused else messages.SUCCESS,
        )
        return redirect("admin:documents_document_changelist")

    def file_view(self, request, pk):
        document = Document.objects.filter(pk=pk).first()
        if document is None or not self.has_view_permission(request, document):
            raise PermissionDenied
        return private_file_response(
            document.file,
            filename=document.original_name,
            content_type="application/pdf",
            inline=True,
        )


class PaperFilter(admin.SimpleListFilter):
    title = _("paper delivery")
    parameter_name = "paper"

    def lookups(self, request, model_admin):
        return [("due", _("still to send on paper")), ("sent", _("sent on paper"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(electronic=False, paper_sent_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(paper_sent_at__isnull=False)
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "document",
        "tenant",
        "electronic",
        "published_at",
        "notified_at",
        "first_opened_at",
        "paper_sent_at",
    ]
    list_filter = [PaperFilter, "electronic", "document__kind", "document__year"]
    search_fields = ["tenant__tenant_number", "tenant__last_name", "document__title"]
    list_select_related = ["document", "tenant"]
    date_hierarchy = "published_at"
    actions = ["export_paper_list", "mark_paper_sent"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export as paper delivery list (CSV)"), permissions=["view"])
    def export_paper_list(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="papierversand-{timezone.localdate():%Y%m%d}.csv"'
        )
        response.write("\ufeff")
        writer = csv_writer(response)
        writer.writerow(["mieternummer", "name", "anschrift", "dokument", "veroeffentlicht"])
        paper = queryset.filter(electronic=False, paper_sent_at__isnull=True)
        for delivery in paper.select_related("tenant", "document"):
            tenant = delivery.tenant
            writer.writerow(
                [
                    tenant.tenant_number,
                    tenant.full_name,
                    " / ".join(tenant.postal_address_lines[1:]),
                    delivery.document.title,
                    timezone.localtime(delivery.published_at).date().isoformat(),
                ]
            )
        return response

    @admin.action(description=_("Mark as sent on paper"), permissions=["change"])
    def mark_paper_sent(self, request, queryset):
        count = deliveries_mark_paper_sent(deliveries=queryset, clerk=request.user)
        self.message_user(request, _("%(count)d marked as sent on paper.") % {"count": count})


@admin.register(PublishBatch)
class PublishBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "created_by", "source", "published", "skipped", "unmatched"]
    list_filter = ["source"]
    readonly_fields = [f.name for f in PublishBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StaticFormForm(forms.ModelForm):
    class Meta:
        model = StaticForm
        fields = [
            "title",
            "title_en",
            "description",
            "description_en",
            "file",
            "order",
            "is_active",
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if "file" in self.changed_data and upload is not None:
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("Only PDF files can be offered as forms."))
        return upload


@admin.register(StaticForm)
class StaticFormAdmin(BilingualAdminMixin, admin.ModelAdmin):
    form = StaticFormForm
    list_display = ["title", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["title", "title_en"]
    bilingual_fields = ("title", "description")
    fieldsets = [
        bilingual_fieldset(bilingual_fields),
        (None, {"fields": ["file", "order", "is_active"]}),
    ]

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data and form.cleaned_data.get("file") is not None:
            obj.original_name = form.cleaned_data["file"].name[:200]
        super().save_model(request, obj, form, change)
