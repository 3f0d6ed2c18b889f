import io

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tenants.registry import AdminAction, AdminExtension, register_admin_extension

from .models import LetterBatch, RegistrationCode
from .services import registration_letters_issue


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
    if not request.user.has_perm("registration.issue_letters"):
        raise PermissionDenied
    registered = queryset.filter(user__isnull=False).count()
    tenants = list(queryset.filter(user__isnull=True).order_by("postal_code", "last_name"))
    if not tenants:
        modeladmin.message_user(
            request, _("All selected tenants already have an access."), messages.WARNING
        )
        return None
    buffer = io.BytesIO()
    batch = registration_letters_issue(
        tenants=tenants,
        output=buffer,
        issued_by=request.user,
        source=LetterBatch.Source.ADMIN,
    )
    if registered:
        # The download replaces the page, so this message shows on the next page view.
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
    filename = f"registrierungsbriefe-{batch.created_at:%Y%m%d-%H%M}.pdf"
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


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
