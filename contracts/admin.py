from contextvars import ContextVar

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tenants.admin import ReadOnlyAdmin
from tenants.assignment_admin import TAKE_OVER, AssignmentAdminMixin
from tenants.errors import PortalError

from .models import BankChangeRequest, Mandate, RentAccount, RentPosting
from .rent_account import SHOWN_MONTHS, money, months_back, rent_account_sentence
from .services import bank_change_approve, bank_change_assignment, bank_change_reject


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("today", _("due today")), ("later", _("due later"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        today = timezone.localdate()
        open_ = queryset.filter(status=BankChangeRequest.Status.OPEN)
        if self.value() == "overdue":
            return open_.filter(due_date__lt=today)
        if self.value() == "today":
            return open_.filter(due_date=today)
        if self.value() == "later":
            return open_.filter(due_date__gt=today)
        return queryset


_IBAN_VISIBLE: ContextVar[bool] = ContextVar("iban_visible", default=False)


class IbanPermissionMixin:
    """Clerks see full IBANs only with the accounting permission `contracts.view_full_iban`.

    The decision is made per request and kept in a context variable, never on the shared
    ModelAdmin instance (threads or async workers would mix clerks up).
    """

    @admin.display(description=_("account holder's address"))
    def holder_address_display(self, obj):
        return obj.holder_address or "–"

    @admin.display(description=_("IBAN"))
    def iban_display(self, obj):
        if _IBAN_VISIBLE.get():
            compact = obj.iban or ""
            return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        return obj.iban_masked

    def _with_iban_permission(self, request, view, *args, **kwargs):
        token = _IBAN_VISIBLE.set(request.user.has_perm("contracts.view_full_iban"))
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # render while the permission is still set
            return response
        finally:
            _IBAN_VISIBLE.reset(token)

    def changelist_view(self, request, extra_context=None):
        return self._with_iban_permission(request, super().changelist_view, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._with_iban_permission(
            request, super().changeform_view, object_id, form_url, extra_context
        )


@admin.register(BankChangeRequest)
class BankChangeRequestAdmin(AssignmentAdminMixin, IbanPermissionMixin, admin.ModelAdmin):
    assignment_rules = bank_change_assignment
    list_display = [
        "contract",
        "submitted_by",
        "status",
        "received_at",
        "effective_month",
        "due_date",
        "is_overdue",
        "assigned_to",
        "iban_display",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        "contract__unit__property",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "contract__contract_number",
        "submitted_by__tenant_number",
        "submitted_by__last_name",
        "mandate_reference",
        "iban_last4",
    ]
    list_select_related = ["contract", "submitted_by", "assigned_to"]
    date_hierarchy = "received_at"
    ordering = ["status", "due_date"]
    change_form_template = "admin/contracts/bankchangerequest/change_form.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "contract",
                    "submitted_by",
                    "status",
                    "received_at",
                    "effective_month",
                    "due_date",
                    "assigned_to",
                    "assigned_team",
                )
            },
        ),
        (
            _("New bank details and mandate"),
            {
                "fields": (
                    "holder_name",
                    "holder_is_tenant",
                    "holder_address_display",
                    "iban_display",
                    "bic",
                    "bank_name",
                    "mandate_reference",
                    "consent_at",
                    "ip_address",
                )
            },
        ),
        (
            _("Decision"),
            {
                "fields": (
                    "processed_at",
                    "processed_by",
                    "rejection_reason",
                    "mandate",
                    "replaced_by",
                )
            },
        ),
    )
    autocomplete_fields = ["assigned_to"]

    def get_readonly_fields(self, request, obj=None):
        # Everything is a record of what the tenant sent, except who works on it (reassign).
        return [f for f in flatten_fieldsets(self.fieldsets) if f != "assigned_to"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if any(k in request.POST for k in ("_approve", "_reject", TAKE_OVER)):
            # The buttons only decide or take over; the rest of the form may be stale by now.
            return
        if change:
            # Who works on it is the only editable field: through the service (audit, notice).
            self.assignment_save(request, obj, form)
        else:
            super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        from django.http import HttpResponseRedirect

        if "_approve" in request.POST or "_reject" in request.POST:
            if not request.user.has_perm("contracts.change_bankchangerequest"):
                raise PermissionDenied
            try:
                if "_approve" in request.POST:
                    mandate = bank_change_approve(bank_change=obj, clerk=request.user)
                    self.message_user(
                        request,
                        _("Approved. Mandate %(ref)s is current from %(month)s.")
                        % {"ref": mandate.reference, "month": f"{mandate.valid_from:%m/%Y}"},
                        messages.SUCCESS,
                    )
                else:
                    bank_change_reject(
                        bank_change=obj,
                        clerk=request.user,
                        reason=request.POST.get("decision_reason", ""),
                    )
                    self.message_user(request, _("Rejected; the tenant is told by e-mail."))
            except PortalError as error:
                self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


class MandateAdmin(IbanPermissionMixin, ReadOnlyAdmin):
    list_display = [
        "reference",
        "contract",
        "holder_name",
        "iban_display",
        "valid_from",
        "valid_until",
    ]
    list_filter = [("valid_until", admin.EmptyFieldListFilter), "contract__unit__property"]
    search_fields = ["reference", "contract__contract_number", "holder_name", "iban_last4"]
    list_select_related = ["contract"]
    fields = [
        "reference",
        "contract",
        "signed_on",
        "valid_from",
        "valid_until",
        "holder_name",
        "holder_is_tenant",
        "holder_address_display",
        "iban_display",
        "bic",
        "bank_name",
    ]
    readonly_fields = fields


admin.site.register(Mandate, MandateAdmin)


@admin.register(RentAccount)
class RentAccountAdmin(ReadOnlyAdmin):
    """Mietkonto as imported from the ERP (`manage.py import_rent_account`): read-only."""

    list_display = ["contract", "balance", "balance_date", "open_since", "imported_at"]
    list_filter = [("open_since", admin.EmptyFieldListFilter), "contract__unit__property"]
    search_fields = ["contract__contract_number", "contract__partners__last_name"]
    list_select_related = ["contract"]
    fields = [
        "contract",
        "balance",
        "balance_date",
        "open_since",
        "sentence_display",
        "imported_at",
        "postings_display",
    ]
    readonly_fields = fields

    @admin.display(description=_("as the tenant reads it"))
    def sentence_display(self, obj):
        return rent_account_sentence(obj)

    @admin.display(description=_("postings of the last 24 months"))
    def postings_display(self, obj):
        # Postings belong to the contract, not to the balance row, so no inline: a table.
        since = months_back(timezone.localdate(), SHOWN_MONTHS)
        postings = RentPosting.objects.filter(
            contract_id=obj.contract_id, booking_date__gte=since
        ).order_by("-booking_date", "-pk")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(p.booking_date, "SHORT_DATE_FORMAT"),
                    date_format(p.value_date, "SHORT_DATE_FORMAT") if p.value_date else "–",
                    p.get_kind_display(),
                    p.text,
                    money(p.amount),
                    p.erp_id,
                )
                for p in postings
            ),
        )
        if not rows:
            return _("No postings in the last 24 months.")
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("booking date"),
            _("value date"),
            _("kind"),
            _("posting text"),
            _("amount (+ debit, − credit)"),
            _("ERP posting id"),
            rows,
        )
