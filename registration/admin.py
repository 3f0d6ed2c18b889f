import hashlib
from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tenants.errors import PortalError
from tenants.jobs import job_start, job_started_response
from tenants.registry import (
    AdminAction,
    AdminExtension,
    WorkplacePanel,
    register_admin_extension,
    register_workplace_panel,
)

from . import activation
from .jobs import KEY as LETTERS_JOB_KEY
from .models import LetterBatch, RegistrationCode


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return RegistrationCode.Status.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        open_ = {"used_at__isnull": True, "revoked_at__isnull": True}
        match self.value():
            case RegistrationCode.Status.USED:
                return queryset.filter(used_at__isnull=False)
            case RegistrationCode.Status.REVOKED:
                return queryset.filter(used_at__isnull=True, revoked_at__isnull=False)
            case RegistrationCode.Status.LOCKED:
                return queryset.filter(**open_, locked_at__isnull=False)
            case RegistrationCode.Status.EXPIRED:
                return queryset.filter(**open_, locked_at__isnull=True, expires_at__lte=now)
            case RegistrationCode.Status.VALID:
                return queryset.filter(**open_, locked_at__isnull=True, expires_at__gt=now)
        return queryset


class CodeHistoryMixin:
    """Read-only: a code's history is a record, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.get_status_display()


@admin.register(RegistrationCode)
class RegistrationCodeAdmin(CodeHistoryMixin, admin.ModelAdmin):
    list_display = [
        "tenant",
        "issued_at",
        "issued_by",
        "expires_at",
        "status_display",
        "failed_name_attempts",
        "claimed_by",
        "used_at",
    ]
    list_filter = [StatusFilter, ("issued_at", admin.DateFieldListFilter)]
    search_fields = ["tenant__tenant_number", "tenant__last_name", "claimed_by__email"]
    list_select_related = ["tenant", "issued_by", "claimed_by"]
    date_hierarchy = "issued_at"
    fields = [
        "tenant",
        "batch",
        "issued_at",
        "issued_by",
        "expires_at",
        "status_display",
        "revoked_at",
        "failed_name_attempts",
        "locked_at",
        "claimed_by",
        "claimed_at",
        "terms_accepted_at",
        "paperless_requested",
        "used_at",
    ]
    readonly_fields = fields

    def get_urls(self):
        # Before the model's own URLs, whose "<object_id>/" would take "aktivierung/".
        return [
            path(
                "aktivierung/",
                self.admin_site.admin_view(
                    partial(activation.activation_view, admin_site=self.admin_site)
                ),
                name="registration_activation",
            ),
            path(
                "aktivierung/<int:property_id>/briefe/",
                self.admin_site.admin_view(activation.activation_letters_view),
                name="registration_activation_letters",
            ),
            *super().get_urls(),
        ]


@admin.register(LetterBatch)
class LetterBatchAdmin(CodeHistoryMixin, admin.ModelAdmin):
    list_display = ["created_at", "created_by", "source", "letter_count"]
    list_filter = ["source"]
    readonly_fields = ["created_at", "created_by", "source", "letter_count"]


class RegistrationCodeInline(CodeHistoryMixin, admin.TabularInline):
    model = RegistrationCode
    fk_name = "tenant"
    extra = 0
    fields = ["issued_at", "issued_by", "expires_at", "status_display", "used_at", "claimed_by"]
    readonly_fields = fields
    verbose_name_plural = _("registration codes (history)")


@admin.action(description=_("Generate new registration code (letters as PDF)"))
def issue_registration_letters(modeladmin, request, queryset):
    """Start the letters as a job and show its page; the PDF is downloaded from there."""
    if not request.user.has_perm("registration.issue_letters"):
        raise PermissionDenied
    registered = queryset.filter(user__isnull=False).count()
    tenant_ids = sorted(queryset.filter(user__isnull=True).values_list("pk", flat=True))
    if not tenant_ids:
        modeladmin.message_user(
            request, _("All selected tenants already have an access."), messages.WARNING
        )
        return None
    try:
        job = job_start(
            kind=LETTERS_JOB_KEY,
            scope=selection_scope(tenant_ids),
            params={"tenant_ids": tenant_ids, "source": LetterBatch.Source.ADMIN},
            by=request.user,
        )
    except PortalError as error:
        modeladmin.message_user(request, error.message, messages.ERROR)
        return None
    if registered:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d tenant already has an access and got no letter.",
                "%(count)d tenants already have an access and got no letter.",
                registered,
            )
            % {"count": registered},
            messages.INFO,
        )
    return job_started_response(request, job)


def selection_scope(tenant_ids: list[int]) -> str:
    """The same selection twice (a double click) is one scope: the second job is refused."""
    digest = hashlib.sha256(",".join(map(str, tenant_ids)).encode()).hexdigest()[:16]
    return f"selection:{len(tenant_ids)}:{digest}"


# The tenant's admin page gains the letter action and the code history.
register_admin_extension(
    AdminExtension(
        key="registration",
        model="tenants.tenant",
        inlines=(RegistrationCodeInline,),
        actions=(
            AdminAction(
                name="issue_registration_letters",
                function=issue_registration_letters,
                description=issue_registration_letters.short_description,
                permission="registration.issue_letters",
            ),
        ),
    )
)

# Customer service's panel on "Mein Arbeitsplatz", beside the overview it links to.
register_workplace_panel(
    WorkplacePanel(
        key="activation",
        order=30,
        permission=activation.VIEW_PERMISSION,
        items=activation.activation_items,
        title=_("Activation"),
    )
)
