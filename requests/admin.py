from datetime import date

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.delivery import private_file_response
from tenants.assignment_admin import TAKE_OVER, AssignmentAdminMixin
from tenants.errors import PortalError
from tenants.translation_admin import BilingualAdminMixin, bilingual_fieldset

from . import workplace
from .details import detail_rows
from .models import (
    Attachment,
    Category,
    ContactRequest,
    Message,
    ScheduledAddressChange,
    StatusChange,
)
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
class CategoryAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["name", "group", "area", "form", "response_days", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["group", "area", "is_active"]
    search_fields = ["name", "name_en"]
    bilingual_fields = ("name", "hint")
    fieldsets = [
        bilingual_fieldset(bilingual_fields),
        (None, {"fields": ["group", "area", "form", "response_days", "order", "is_active"]}),
    ]


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


class AssignedFilter(admin.SimpleListFilter):
    """The clerk's open queues, as counted on "Mein Arbeitsplatz" (requests/workplace.py)."""

    title = _("my queues")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [
            (workplace.MINE, _("assigned to me, open")),
            (workplace.MINE_OR_MY_TEAMS, _("mine or my teams', open")),
            (workplace.UNASSIGNED_IN_MY_TEAMS, _("nobody responsible yet in my teams")),
        ]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookup_choices):
            return queryset.filter(workplace.queue_q(queue=self.value(), user=request.user))
        return queryset


@admin.register(ContactRequest)
class ContactRequestAdmin(AssignmentAdminMixin, admin.ModelAdmin):
    assignment_rules = contact_request_assignment
    stale_safe_fields = ("assigned_to", "status")
    # Narrow columns only, so status, due date and clerk stay visible at 1280 px beside the
    # navigation and the filters; category, area and property are filters.
    list_display = ["reference", "subject_short", "tenant_short", "status", "due", "assignee"]
    list_filter = [
        AssignedFilter,
        OverdueFilter,
        "status",
        "category__area",
        "category",
        "unit__property",
    ]
    search_fields = ["reference", "subject", "tenant__last_name", "tenant__tenant_number"]
    list_select_related = ["tenant", "assigned_to", "assigned_team"]
    fields = [
        "reference",
        "tenant",
        "unit",
        "category",
        "subject",
        "details_in_words",
        "created_at",
        "due_date",
        "status",
        "assigned_to",
        "assigned_team",
        "closed_at",
    ]
    readonly_fields = [f for f in fields if f not in ("status", "assigned_to")]
    # The buttons on the change page and what each needs besides changing the request itself.
    button_permissions = {
        "_reply": (),
        TAKE_OVER: (),
        "_apply_address": ("tenants.change_tenant",),
        "_send_document": ("documents.add_document",),
    }

    change_form_template = "admin/requests/contactrequest/change_form.html"

    class Media:
        css = {"all": ["css/admin-requests.css"]}

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

    @admin.display(description=_("subject"), ordering="subject")
    def subject_short(self, obj):
        return format_html(
            '<span title="{}">{}</span>', obj.subject, Truncator(obj.subject).chars(40)
        )

    @admin.display(description=_("tenant"), ordering="tenant__last_name")
    def tenant_short(self, obj):
        return format_html(
            '{}<br><span class="quiet">{}</span>', obj.tenant.full_name, obj.tenant.tenant_number
        )

    @admin.display(description=_("due"), ordering="due_date")
    def due(self, obj):
        if not obj.due_date:
            return "–"
        day = date_format(obj.due_date, "SHORT_DATE_FORMAT")
        if self.is_overdue(obj):
            return format_html('{}<br><span class="request-overdue">{}</span>', day, _("overdue"))
        return day

    @admin.display(description=pgettext_lazy("list column", "responsible"))
    def assignee(self, obj):
        if obj.assigned_to_id:
            return obj.assigned_to.get_full_name() or obj.assigned_to.email
        if obj.assigned_team_id:
            return format_html('<span class="quiet">{}</span>', obj.assigned_team.name)
        return "–"

    @admin.display(description=_("details"))
    def details_in_words(self, obj):
        rows = detail_rows(obj.details, include_unknown=True)
        if not rows:
            return "–"
        return format_html(
            '<dl class="request-details">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Before the form is even validated: a button without its permission changes nothing.
        if request.method == "POST":
            for button, perms in self.button_permissions.items():
                if button in request.POST and not self._may_press(request, perms):
                    raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _may_press(self, request, perms) -> bool:
        return self.has_change_permission(request) and request.user.has_perms(perms)

    def response_change(self, request, obj):
        if any(k in request.POST for k in ("_reply", "_apply_address", "_send_document")):
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
                    scheduled = request_apply_address(contact_request=obj, clerk=request.user)
                    if scheduled is None:
                        self.message_user(
                            request, _("The tenant's postal address has been changed.")
                        )
                    else:
                        self.message_user(
                            request,
                            _("The new address will be applied on %(date)s; the tenant is told.")
                            % {"date": date_format(scheduled.apply_on, "SHORT_DATE_FORMAT")},
                        )
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["status_choices"] = ContactRequest.Status.choices
        if obj is not None:
            context.update(self._workplace_context(request, obj))
        response = super().render_change_form(request, context, add, change, form_url, obj)
        # Django sets has_file_field from the admin form alone; the document upload is ours.
        response.context_data["has_file_field"] = True
        return response

    def _workplace_context(self, request, obj) -> dict:
        """What the clerk reads and may do, read from the request itself (no inline permissions),
        in a constant number of queries."""
        messages_ = list(Message.objects.filter(request=obj).select_related("author"))
        by_message: dict[int | None, list[Attachment]] = {}
        for item in Attachment.objects.filter(request=obj):
            by_message.setdefault(item.message_id, []).append(item)
        for message in messages_:
            message.files = by_message.pop(message.pk, [])
        loose = [item for items in by_message.values() for item in items]
        can_change = self.has_change_permission(request, obj)
        is_open = obj.is_open
        form = obj.category.form
        apply_on = None
        if form == Category.Form.ADDRESS:
            try:
                valid_from = date.fromisoformat(obj.details.get("valid_from") or "")
            except ValueError:
                valid_from = None
            if valid_from and valid_from > timezone.localdate():
                apply_on = valid_from
        return {
            "conversation": messages_,
            "loose_attachments": loose,
            "status_history": StatusChange.objects.filter(request=obj).select_related("changed_by"),
            "scheduled_address": ScheduledAddressChange.objects.filter(request=obj).first(),
            "can_reply": can_change,
            "can_apply_address": (
                form == Category.Form.ADDRESS
                and is_open
                and self._may_press(request, self.button_permissions["_apply_address"])
            ),
            "address_apply_on": apply_on,
            "can_send_document": (
                form == Category.Form.DOCUMENT
                and is_open
                and self._may_press(request, self.button_permissions["_send_document"])
            ),
        }

    def get_urls(self):
        return [
            path(
                "anhang/<int:pk>/",
                self.admin_site.admin_view(self.attachment_view),
                name="requests_attachment_download",
            ),
            path(
                "anhang/<int:pk>/vorschau/",
                self.admin_site.admin_view(self.attachment_view),
                {"thumbnail": True},
                name="requests_attachment_thumbnail",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, pk, thumbnail=False):
        item = get_object_or_404(Attachment.objects.select_related("request"), pk=pk)
        if not self.has_view_permission(request, item.request):
            raise PermissionDenied
        stored = item.thumbnail if thumbnail else item.file
        if not stored:
            raise Http404
        return private_file_response(
            stored,
            filename=item.original_name,
            content_type="image/jpeg" if thumbnail else item.content_type,
            inline=thumbnail or item.is_image,
        )
