from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents.delivery import private_file_response
from tenants.assignment_admin import TAKE_OVER, AssignmentAdminMixin
from tenants.errors import PortalError

from .models import Attachment, Category, ContactRequest, Message
from .services import (
    contact_request_assignment,
    request_answer_with_document,
    request_apply_address,
    request_reply_by_clerk,
    request_status_set,
)

# Buttons that only act; the form's other fields may be stale by the time one is pressed.
_ACTION_BUTTONS = ("_reply", "_apply_address", "_send_document", TAKE_OVER)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "area", "form", "response_days", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["group", "area", "is_active"]
    search_fields = ["name", "name_en"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("mine", _("assigned to me"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.exclude(status=ContactRequest.Status.DONE).filter(
                due_date__lt=timezone.localdate()
            )
        if self.value() == "mine":
            return queryset.filter(assigned_to=request.user)
        return queryset


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["created_at", "sender", "internal", "body"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("conversation (internal notes marked)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("from"))
    def sender(self, obj):
        if obj.from_tenant:
            return _("tenant")
        return obj.author.get_full_name() if obj.author else "–"


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["download", "content_type", "size", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:requests_attachment_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(ContactRequest)
class ContactRequestAdmin(AssignmentAdminMixin, admin.ModelAdmin):
    assignment_rules = contact_request_assignment
    list_display = [
        "reference",
        "subject",
        "category",
        "tenant",
        "status",
        "due_date",
        "is_overdue",
        "assigned_to",
        "updated_at",
    ]
    list_filter = [OverdueFilter, "status", "category", "unit__property", "category__area"]
    search_fields = ["reference", "subject", "tenant__last_name", "tenant__tenant_number"]
    list_select_related = ["category", "tenant", "assigned_to"]
    fields = [
        "reference",
        "tenant",
        "unit",
        "category",
        "subject",
        "details",
        "created_at",
        "due_date",
        "status",
        "assigned_to",
        "assigned_team",
        "closed_at",
    ]
    readonly_fields = [f for f in fields if f not in ("status", "assigned_to")]
    inlines = [MessageInline, AttachmentInline]
    change_form_template = "admin/requests/contactrequest/change_form.html"

    def get_queryset(self, request):
        # "Meine Anliegen": what is assigned to me comes first, then the oldest due date.
        return (
            super()
            .get_queryset(request)
            .annotate(
                mine=Case(
                    When(assigned_to=request.user, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                finished=Case(
                    When(Q(status=ContactRequest.Status.DONE), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .order_by("finished", "mine", "due_date", "-created_at")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if any(k in request.POST for k in _ACTION_BUTTONS):
            # Must not undo what happened since the page was loaded.
            return
        # Status and assignment go through the services: history, audit, notices. Status first,
        # so that reopening a done request and handing it on in one go works.
        if "status" in form.changed_data:
            request_status_set(contact_request=obj, status=obj.status, clerk=request.user)
        self.assignment_save(request, obj, form)

    def response_change(self, request, obj):
        if any(k in request.POST for k in ("_reply", "_apply_address", "_send_document")):
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            try:
                if "_send_document" in request.POST:
                    upload = request.FILES.get("document_file")
                    if upload is None:
                        self.message_user(
                            request, _("Please choose the document (PDF) first."), messages.ERROR
                        )
                        return HttpResponseRedirect(request.path)
                    request_answer_with_document(
                        contact_request=obj,
                        clerk=request.user,
                        content=upload.read(),
                        filename=upload.name,
                        title=request.POST.get("document_title", "").strip(),
                    )
                    self.message_user(
                        request, _("The document is in the tenant's documents; request closed.")
                    )
                elif "_apply_address" in request.POST:
                    request_apply_address(contact_request=obj, clerk=request.user)
                    self.message_user(request, _("The tenant's postal address has been changed."))
                else:
                    request_reply_by_clerk(
                        contact_request=obj,
                        clerk=request.user,
                        body=request.POST.get("reply_body", ""),
                        internal=bool(request.POST.get("reply_internal")),
                        status=request.POST.get("reply_status") or None,
                    )
                    self.message_user(
                        request,
                        _("Internal note saved.")
                        if request.POST.get("reply_internal")
                        else _("Answer sent to the tenant."),
                        messages.SUCCESS,
                    )
            except PortalError as error:
                self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, *args, **kwargs):
        context["status_choices"] = ContactRequest.Status.choices
        context["has_file_field"] = True  # the "answer with a document" upload
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        return [
            path(
                "anhang/<int:pk>/",
                self.admin_site.admin_view(self.attachment_view),
                name="requests_attachment_download",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, pk):
        item = get_object_or_404(Attachment.objects.select_related("request"), pk=pk)
        if not self.has_view_permission(request, item.request):
            raise PermissionDenied
        return private_file_response(
            item.file,
            filename=item.original_name,
            content_type=item.content_type,
            inline=item.is_image,
        )
