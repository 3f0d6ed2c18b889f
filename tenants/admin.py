from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .erp.admin_views import changes_export_view, erp_import_view
from .errors import PortalError
from .http import client_ip
from .jobs import job_get, job_list_for
from .models import (
    AuditEntry,
    ClerkResponsibility,
    ContactPerson,
    Contract,
    FaqEntry,
    Job,
    OutboundEmail,
    Property,
    Team,
    Tenant,
    Unit,
    User,
)
from .registry import admin_extensions, job_kinds
from .services import (
    POSTAL_ADDRESS_FIELDS,
    TenantAccountError,
    audit_log,
    contract_change_record,
    contract_state,
    email_requeue,
    tenant_account_check,
    tenant_account_link,
    tenant_address_change,
    tenant_email_set,
    tenant_paperless_consent_set,
    tenant_phone_set,
)
from .translation_admin import BilingualAdminMixin, bilingual_fieldset


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record nobody edits in the admin (audit trail, mandates): viewing only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExtensibleAdmin(admin.ModelAdmin):
    """A base-layer admin that areas extend through tenants.registry.AdminExtension.

    The extensions are read per request, so the page shows what the areas registered without
    any area unregistering and re-registering the admin.
    """

    def _extensions(self):
        return admin_extensions(self.model._meta.label_lower)

    def get_inlines(self, request, obj):
        extra = [inline for ext in self._extensions() for inline in ext.inlines]
        return [*super().get_inlines(request, obj), *extra]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not actions and (self.actions is None or "_popup" in request.GET):
            return actions
        for ext in self._extensions():
            for action in ext.actions:
                if request.user.has_perm(action.permission):
                    actions[action.name] = (action.function, action.name, action.description)
        return actions


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _is_tenant_account_lookup(request):
            # Only accounts that may act for a tenant (tenants.services.tenant_account_check).
            queryset = queryset.filter(
                is_staff=False, is_superuser=False, is_active=True, tenant__isnull=True
            )
        return queryset, may_have_duplicates


def _is_tenant_account_lookup(request) -> bool:
    """The autocomplete of Tenant.user (the admin's autocomplete view names the source field)."""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("app_label") == Tenant._meta.app_label
        and request.GET.get("model_name") == Tenant._meta.model_name
        and request.GET.get("field_name") == "user"
    )


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["number", "kind", "location", "rooms", "living_area"]
    show_change_link = True


class ResponsibilityInline(admin.TabularInline):
    model = ClerkResponsibility
    extra = 0
    autocomplete_fields = ["clerk", "team"]


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "street", "postal_code", "city", "unit_count"]
    search_fields = ["number", "name", "street", "city"]
    list_filter = ["city"]
    inlines = [ResponsibilityInline, UnitInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_unit_count=Count("units"))

    @admin.display(description=_("units"), ordering="_unit_count")
    def unit_count(self, obj):
        return obj._unit_count


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "property", "kind", "location", "living_area"]
    list_filter = ["kind", "property"]
    search_fields = ["number", "property__number", "property__name", "street"]
    list_select_related = ["property"]
    autocomplete_fields = ["property"]


class TenantAdminForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = ["user"]  # TenantAdmin.fieldsets decide which fields the page shows

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None:
            try:
                tenant_account_check(user=user, tenant=self.instance)
            except TenantAccountError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return user


# Saved through the tenants services, each change with its audit row (and the link with its mail).
TENANT_AUDITED_FIELDS = {*POSTAL_ADDRESS_FIELDS, "phone", "email", "paperless_consent", "user"}


@admin.register(Tenant)
class TenantAdmin(ExtensibleAdmin):
    form = TenantAdminForm
    list_display = [
        "tenant_number",
        "last_name",
        "first_name",
        "city",
        "email",
        "has_account",
        "paperless_consent",
    ]
    list_filter = ["paperless_consent", ("user", admin.EmptyFieldListFilter), "city"]
    search_fields = ["tenant_number", "last_name", "first_name", "email", "street", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["paperless_consent_at", "created_at", "updated_at"]
    fieldsets = (
        (None, {"fields": ("tenant_number", "salutation", "title", "first_name", "last_name")}),
        (
            _("Postal address"),
            {"fields": ("street", "address_extra", "postal_code", "city", "country")},
        ),
        (_("Contact"), {"fields": ("phone", "email")}),
        (
            _("Portal"),
            {"fields": ("user", "paperless_consent", "paperless_consent_at")},
        ),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        """Address, phone, e-mail, consent and portal account go through the tenants services,
        so a clerk's change is audited as the tenant's own is; the other fields save as usual.

        The form has already refused a staff account; should the service still refuse (the
        account changed meanwhile), nothing of the change is saved and the clerk is told why.
        """
        audited = TENANT_AUDITED_FIELDS & set(form.changed_data)
        if not change:
            # A new record starts unlinked and without consent: both are recorded as changes.
            user, consent = obj.user, obj.paperless_consent
            obj.user, obj.paperless_consent, obj.paperless_consent_at = None, False, None
            super().save_model(request, obj, form, change)
            obj.user, obj.paperless_consent = user, consent
            audited &= {"user", "paperless_consent"}
        try:
            with transaction.atomic():
                self._save_audited(request, obj, audited)
                rest = [name for name in form.changed_data if name not in TENANT_AUDITED_FIELDS]
                if change and rest:
                    obj.save(update_fields=[*rest, "updated_at"])
        except PortalError as error:
            self.message_user(request, error.message, messages.ERROR)
            request._tenant_save_refused = True

    def _save_audited(self, request, obj, fields: set[str]) -> None:
        by, ip_address = request.user, client_ip(request)
        if "user" in fields:
            tenant_account_link(tenant=obj, user=obj.user, by=by, ip_address=ip_address)
        if fields & set(POSTAL_ADDRESS_FIELDS):
            tenant_address_change(
                tenant_id=obj.pk,
                address={field: getattr(obj, field) for field in POSTAL_ADDRESS_FIELDS},
                by=by,
                ip_address=ip_address,
            )
        if "phone" in fields:
            tenant_phone_set(tenant=obj, phone=obj.phone, by=by, ip_address=ip_address)
        if "email" in fields:
            tenant_email_set(tenant=obj, email=obj.email, by=by, ip_address=ip_address)
        if "paperless_consent" in fields:
            # The consent is proof of delivery: the service records the time it was given.
            stored = tenant_paperless_consent_set(
                tenant=obj, consent=obj.paperless_consent, by=by, ip_address=ip_address
            )
            obj.paperless_consent_at = stored.paperless_consent_at

    def log_change(self, request, obj, message):
        if getattr(request, "_tenant_save_refused", False):
            return None
        return super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_tenant_save_refused", False):
            return HttpResponseRedirect(self._change_url(obj))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_tenant_save_refused", False):
            return HttpResponseRedirect(self._change_url(obj))
        return super().response_change(request, obj)

    def _change_url(self, obj) -> str:
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    @admin.display(description=_("portal account"), boolean=True, ordering="user")
    def has_account(self, obj):
        return obj.user_id is not None


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "email", "is_default"]
    list_filter = ["area", "is_default"]
    search_fields = ["name", "email"]
    filter_horizontal = ["members"]


@admin.register(ClerkResponsibility)
class ClerkResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["property", "area", "clerk", "team"]
    list_filter = ["area", "team", "clerk"]
    search_fields = ["property__number", "property__name", "clerk__email", "clerk__last_name"]
    list_select_related = ["property", "clerk", "team"]
    autocomplete_fields = ["property", "clerk", "team"]


@admin.register(ContactPerson)
class ContactPersonAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["name", "role", "area", "property", "phone", "email", "is_active", "order"]
    list_editable = ["order", "is_active"]
    list_filter = ["area", "is_active", "property"]
    search_fields = ["name", "role", "role_en", "email"]
    list_select_related = ["property"]
    autocomplete_fields = ["property"]
    bilingual_fields = ("role", "office_hours")
    fieldsets = [
        (None, {"fields": ["name", "area", "property", "phone", "email"]}),
        bilingual_fieldset(bilingual_fields),
        (None, {"fields": ["order", "is_active"]}),
    ]


@admin.register(FaqEntry)
class FaqEntryAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["question", "topic", "order", "is_published"]
    list_editable = ["order", "is_published"]
    list_filter = ["topic", "is_published"]
    search_fields = ["question", "answer", "question_en", "answer_en"]
    bilingual_fields = ("topic", "question", "answer")
    fieldsets = [
        bilingual_fieldset(bilingual_fields),
        (None, {"fields": ["order", "is_published"]}),
    ]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", ("sent_at", admin.DateFieldListFilter)]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["requeue"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in OutboundEmail._meta.fields if f.name != "id"]
        if obj is not None and obj.sensitive:
            # An access link or code must not be readable by anyone but the recipient.
            fields = [f for f in fields if f not in ("body_text", "body_html")]
        return fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The outbox is a record of what was sent; nobody edits it.
        return False

    @admin.action(description=_("Send selected e-mails again"), permissions=["view"])
    def requeue(self, request, queryset):
        count = 0
        for email in queryset.exclude(status=OutboundEmail.Status.SENT):
            email_requeue(email=email)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued for sending.",
                "%(count)d e-mails queued for sending.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "action",
        "object_type",
        "object_id",
        "actor",
        "tenant",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "tenant__tenant_number", "actor__email"]
    list_select_related = ["actor", "tenant"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


class ContractPhaseFilter(admin.SimpleListFilter):
    """Current, upcoming, ended: the same rule as everywhere (Contract.objects)."""

    title = _("phase")
    parameter_name = "phase"

    def lookups(self, request, model_admin):
        return Contract.Phase.choices

    def queryset(self, request, queryset):
        phase = self.value()
        if phase in Contract.Phase.values:
            return getattr(queryset, phase)()
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
        "phase_display",
    ]
    list_filter = [ContractPhaseFilter, "unit__kind", "unit__property"]
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

    def save_model(self, request, obj, form, change):
        # As stored before this save; the partners are saved later, in save_related.
        form._contract_before = contract_state(contract_id=obj.pk) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Terms and partners are audited together, once the partners are saved too.

        The admin runs save_model and save_related in one transaction, and contract_state
        holds the row lock from save_model to the audit row.
        """
        super().save_related(request, form, formsets, change)
        contract_change_record(
            contract=form.instance,
            before=form._contract_before,
            by=request.user,
            ip_address=client_ip(request),
        )

    @admin.display(description=_("contract partners"))
    def partner_names(self, obj):
        return ", ".join(p.full_name for p in obj.partners.all())

    @admin.display(description=_("phase"))
    def phase_display(self, obj):
        return obj.phase_label()


class JobKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.key, kind.label) for kind in job_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Jobs are started by the areas' buttons (tenants.jobs.job_start) and only watched here.

    Each clerk sees their own jobs and every job of a kind they may start
    (tenants.jobs.job_list_for); the result leaves only through the access-checked download.
    """

    list_display = [
        "created_at",
        "kind_display",
        "scope",
        "created_by",
        "state",
        "progress_display",
        "finished_at",
    ]
    list_filter = ["state", JobKindFilter]
    search_fields = ["scope", "created_by__email"]
    date_hierarchy = "created_at"
    fields = [
        "kind_display",
        "scope",
        "created_by",
        "state",
        "progress_display",
        "counts_display",
        "download",
        "report",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    change_form_template = "admin/tenants/job/change_form.html"

    def get_queryset(self, request):
        return job_list_for(user=request.user)

    def get_urls(self):
        download = path(
            "<int:object_id>/download/",
            self.admin_site.admin_view(self.download_view),
            name="tenants_job_download",
        )
        erp_import = path(
            "erp-import/",
            self.admin_site.admin_view(partial(erp_import_view, admin_site=self.admin_site)),
            name="tenants_job_erp_import",
        )
        export_changes = path(
            "export-changes/",
            self.admin_site.admin_view(partial(changes_export_view, admin_site=self.admin_site)),
            name="tenants_job_export_changes",
        )
        return [download, erp_import, export_changes, *super().get_urls()]

    def download_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = job_get(user=request.user, job_id=object_id)
        if job.state != Job.State.DONE or not job.result_file:
            raise Http404
        # Letter PDFs hold plain access codes: who took a copy is on record.
        audit_log(
            action="job.result_downloaded",
            obj=job,
            actor=request.user,
            ip_address=client_ip(request),
        )
        response = FileResponse(
            job.result_file.open("rb"),
            as_attachment=True,
            filename=job.result_file.name.rsplit("/", 1)[-1],
        )
        response["Cache-Control"] = "no-store"
        return response

    def history_view(self, request, object_id, extra_context=None):
        # Django looks the job up first; without the permission the list is empty, and the
        # answer must be 403, not "does not exist".
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "job": job}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, obj):
        return _job_kind_label(obj.kind)

    @admin.display(description=_("progress"))
    def progress_display(self, obj):
        return f"{obj.progress_percent} % ({obj.chunks_done}/{obj.chunks_total})"

    @admin.display(description=_("counts"))
    def counts_display(self, obj):
        return ", ".join(f"{key}: {value}" for key, value in sorted(obj.counts.items())) or "–"

    @admin.display(description=_("result"))
    def download(self, obj):
        if obj.state != Job.State.DONE or not obj.result_file:
            return "–"
        url = reverse("admin:tenants_job_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


def _job_kind_label(key: str):
    for kind in job_kinds():
        if kind.key == key:
            return kind.label
    return key
