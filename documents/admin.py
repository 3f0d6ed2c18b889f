from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tenants.csv_export import csv_writer
from tenants.errors import PortalError
from tenants.jobs import job_started_response
from tenants.templatetags.portal import euro
from tenants.translation_admin import BilingualAdminMixin, bilingual_fieldset

from .delivery import private_file_response
from .fields import MultipleFileField, MultipleFileInput
from .jobs import documents_publish_job_start
from .models import Delivery, Document, PublishBatch, Receipt, ReceiptSet, StaticForm
from .receipts import (
    RECEIPT_MAX_BYTES,
    RECEIPT_MAX_FILES,
    ReceiptError,
    ReceiptUpload,
    parse_manifest,
    receipt_check,
    receipt_redact,
    receipt_set_create,
    receipt_set_total,
    receipt_update,
    receipt_views_list,
    receipts_add,
    title_from_name,
)
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


# Belegeinsicht: the receipts behind a property's statement.


class ReceiptInlineForm(forms.ModelForm):
    redacted_upload = forms.FileField(
        label=_("Replace for tenants by a redacted PDF"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Receipt
        fields = ["title", "amount", "order"]

    def clean_redacted_upload(self):
        upload = self.cleaned_data.get("redacted_upload")
        if upload is not None:
            try:
                receipt_check(upload.name, upload.read())
            except ReceiptError as error:
                raise forms.ValidationError(error.message) from None
            upload.seek(0)
        return upload


class ReceiptInline(admin.TabularInline):
    model = Receipt
    form = ReceiptInlineForm
    extra = 0
    can_delete = False
    fields = ["title", "amount", "order", "files", "redacted_upload"]
    readonly_fields = ["files"]
    verbose_name_plural = _("receipts (title and amount can be corrected here)")

    # The receipts are part of the set: whoever may change the set may correct them.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("documents.view_receiptset")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("documents.change_receiptset")

    def has_add_permission(self, request, obj=None):
        return False  # through "Add receipts (PDF)" above

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "redacted_by")

    @admin.display(description=_("file"))
    def files(self, obj):
        url = reverse("admin:documents_receipt_file", args=[obj.pk])
        original = format_html(
            '<a href="{}?fassung=original">{}</a>', url, obj.original_name or _("original")
        )
        original = format_html(
            "{}<br>{}",
            original,
            _("uploaded %(when)s by %(who)s")
            % {
                "when": timezone.localtime(obj.uploaded_at).strftime("%d.%m.%Y %H:%M"),
                "who": obj.uploaded_by or "–",
            },
        )
        if not obj.redacted_file:
            return original
        return format_html(
            '{}<br><a href="{}">{}</a> ({})',
            original,
            url,
            _("redacted version (tenants get this one)"),
            timezone.localtime(obj.redacted_at).strftime("%d.%m.%Y %H:%M")
            if obj.redacted_at
            else "",
        )


class ReceiptSetForm(forms.ModelForm):
    files = MultipleFileField(
        label=_("Add receipts (PDF)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf"}),
        help_text=_(
            "Several PDFs at a time, at most %(max)d. The title is taken from the file name and "
            "can be corrected below after saving."
        )
        % {"max": RECEIPT_MAX_FILES},
    )
    titles = forms.CharField(
        label=_("Titles and amounts (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One line per file: file name;title;amount, e.g. "
            "“hausmeister.pdf;Hausmeisterdienst 2025;4.812,00”. Without a line: the file name "
            "as title and amount 0."
        ),
    )

    class Meta:
        model = ReceiptSet
        fields = ["property", "kind", "period"]

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > RECEIPT_MAX_FILES:
            raise forms.ValidationError(
                _("At most %(max)d receipts at a time.") % {"max": RECEIPT_MAX_FILES}
            )
        errors, uploads = [], []
        for upload in files:
            # Too large: refused by its size, without reading it into memory.
            content = upload.read(8 if upload.size > RECEIPT_MAX_BYTES else -1)
            try:
                receipt_check(upload.name, content, size=upload.size)
            except ReceiptError as error:
                errors.append(error.message)
            else:
                uploads.append((upload.name, content))
        if errors:
            raise forms.ValidationError(errors)
        return uploads

    def clean_titles(self):
        try:
            return parse_manifest(self.cleaned_data.get("titles") or "")
        except ReceiptError as error:
            raise forms.ValidationError(error.message) from None

    def uploads(self) -> list[ReceiptUpload]:
        manifest = self.cleaned_data.get("titles") or {}
        result = []
        for name, content in self.cleaned_data.get("files") or []:
            title, amount = manifest.get(name, (title_from_name(name), Decimal("0.00")))
            result.append(ReceiptUpload(name, content, title, amount))
        return result


@admin.register(ReceiptSet)
class ReceiptSetAdmin(admin.ModelAdmin):
    form = ReceiptSetForm
    list_display = ["__str__", "property", "kind", "period", "receipt_count", "created_at"]
    list_filter = ["kind", "year"]
    search_fields = ["property__number", "property__name", "period"]
    list_select_related = ["property"]
    autocomplete_fields = []
    inlines = [ReceiptInline]
    readonly_fields = ["total", "views"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(receipt_total=Count("receipts"))

    @admin.display(description=_("receipts"), ordering="receipt_total")
    def receipt_count(self, obj):
        return obj.receipt_total

    def has_delete_permission(self, request, obj=None):
        return False  # the receipts and who viewed them are records

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["property", "kind", "period", "total", "views"]

    def get_fieldsets(self, request, obj=None):
        upload = ["files", "titles"] if self.has_change_permission(request, obj) else []
        if obj is None:
            return [(None, {"fields": ["property", "kind", "period", "files", "titles"]})]
        return [
            (None, {"fields": ["property", "kind", "period", "total"]}),
            *([(_("Add receipts"), {"fields": upload})] if upload else []),
            (_("Viewed by tenants"), {"fields": ["views"]}),
        ]

    @admin.display(description=_("total"))
    def total(self, obj):
        return euro(receipt_set_total(obj))

    @admin.display(description=_("who opened which receipt, when"))
    def views(self, obj):
        rows = list(receipt_views_list(receipt_set=obj)[:500])
        if not rows:
            return _("Nobody has opened a receipt yet.")
        return format_html(
            '<table class="receipt-views"><thead><tr><th scope="col">{}</th><th scope="col">{}'
            '</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
            "</table>",
            _("when"),
            _("tenant"),
            _("receipt"),
            _("how"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        timezone.localtime(view.viewed_at).strftime("%d.%m.%Y %H:%M:%S"),
                        f"{view.tenant.full_name} ({view.tenant.tenant_number})",
                        view.receipt.title,
                        _("downloaded") if view.downloaded else _("opened"),
                    )
                    for view in rows
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            receipt_set_create(receipt_set=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Receipt:
            return super().save_formset(request, form, formset, change)
        # For the admin's history entry (construct_change_message).
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for inline_form in formset.forms:
            receipt = inline_form.instance
            if not receipt.pk or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            receipt = receipt_update(
                receipt=receipt,
                title=data["title"],
                amount=data["amount"],
                order=data["order"],
                by=request.user,
            )
            formset.changed_objects.append((receipt, inline_form.changed_data))
            upload = data.get("redacted_upload")
            if upload is not None:
                upload.seek(0)
                receipt_redact(
                    receipt=receipt, name=upload.name, content=upload.read(), by=request.user
                )
                self.message_user(
                    request,
                    _("“%(title)s”: tenants now get the redacted version.")
                    % {"title": receipt.title},
                )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        uploads = form.uploads()
        if uploads:
            added = receipts_add(receipt_set=form.instance, uploads=uploads, by=request.user)
            self.message_user(
                request,
                _("%(count)d receipt(s) added. Please check titles and amounts.")
                % {"count": len(added)},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "beleg/<int:pk>/",
                self.admin_site.admin_view(self.file_view),
                name="documents_receipt_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, pk):
        receipt = Receipt.objects.filter(pk=pk).first()
        if receipt is None or not self.has_view_permission(request, receipt.receipt_set):
            raise PermissionDenied
        original = request.GET.get("fassung") == "original" or not receipt.redacted_file
        return private_file_response(
            receipt.file if original else receipt.redacted_file,
            filename=receipt.original_name or f"{receipt.title}.pdf",
            content_type="application/pdf",
            inline=True,
        )
