from django import forms
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenants.http import client_ip
from tenants.models import Unit
from tenants.translation_admin import BilingualAdminMixin, bilingual_fieldset

from .models import Notice
from .selectors import notice_admin_queryset
from .services import AUDITED_FIELDS, notice_save


def building_choices() -> list[tuple[str, str]]:
    """Every address within a property, from its units' "street and number"."""
    rows = (
        Unit.objects.values_list("property__number", "street", "property__street")
        .order_by("property__number", "street")
        .distinct()
    )
    seen, choices = set(), [("", _("Every building of the property"))]
    for number, unit_street, property_street in rows:
        street = unit_street or property_street
        if (number, street) not in seen:
            seen.add((number, street))
            choices.append((street, f"{number} · {street}"))
    return choices


class NoticeAdminForm(forms.ModelForm):
    street = forms.ChoiceField(label=_("building"), required=False, choices=())

    class Meta:
        model = Notice
        fields = [
            "kind",
            "urgent",
            "property",
            "street",
            "valid_from",
            "valid_until",
            "title",
            "title_en",
            "text",
            "text_en",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = building_choices()
        self.fields["street"].help_text = _("Empty: every building of the property.")

    def clean(self):
        data = super().clean()
        street, property_ = data.get("street"), data.get("property")
        if street:
            if property_ is None:
                self.add_error("street", _("Choose the property the building belongs to."))
            elif not any(
                (unit.street or property_.street) == street
                for unit in Unit.objects.filter(property=property_)
            ):
                self.add_error("street", _("This building is not part of the chosen property."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end must not be before the start."))
        return data


@admin.register(Notice)
class NoticeAdmin(BilingualAdminMixin, admin.ModelAdmin):
    form = NoticeAdminForm
    list_display = ["title", "read_column", "kind", "urgent", "scope", "period"]
    list_filter = ["kind", "urgent"]
    search_fields = ["title", "title_en"]
    list_select_related = ["property"]
    date_hierarchy = "valid_from"
    bilingual_fields = ("title", "text")
    readonly_fields = ["created_by", "published_at"]
    fieldsets = [
        (None, {"fields": ["kind", "urgent", "property", "street", "valid_from", "valid_until"]}),
        bilingual_fieldset(bilingual_fields),
        (_("Published"), {"fields": ["created_by", "published_at"]}),
    ]

    def get_queryset(self, request):
        return notice_admin_queryset(super().get_queryset(request))

    @admin.display(description=_("for"))
    def scope(self, obj: Notice) -> str:
        if obj.property_id is None:
            return gettext("All properties")
        if obj.street:
            return f"{obj.property.number} · {obj.street}"
        return str(obj.property)

    @admin.display(description=_("period"), ordering="valid_from")
    def period(self, obj: Notice) -> str:
        return f"{date_format(obj.valid_from, 'SHORT_DATE_FORMAT')} – " + date_format(
            obj.valid_until, "SHORT_DATE_FORMAT"
        )

    @admin.display(description=_("read"))
    def read_column(self, obj: Notice) -> str:
        # read_count / audience_count come from the list's one query (notice_admin_queryset).
        return gettext("read: %(read)s of %(total)s") % {
            "read": getattr(obj, "read_count", 0),
            "total": getattr(obj, "audience_count", 0),
        }

    def has_delete_permission(self, request, obj=None):
        # A published notice stays on record (who read it); it ends with its period instead.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        changed = [
            name
            for name in form.changed_data
            if name in {f.removesuffix("_id") for f in AUDITED_FIELDS}
        ]
        notice_save(notice=obj, by=request.user, changed=changed, ip_address=client_ip(request))
