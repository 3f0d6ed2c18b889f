"""The admin for texts kept in German and English: both side by side, missing English marked.

A ModelAdmin lists the German field names in ``bilingual_fields``; each has a partner
``<name>_en``. The mixin adds the column "English text" (a red icon where a German text has no
English one, so English pages fall back to German), a filter for it, and a help text on every
empty English field of the change form. The fieldset itself is built with ``bilingual_fieldset``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .i18n import ENGLISH_SUFFIX, english_missing, english_missing_q


def bilingual_fieldset(fields, extra=()):
    """("Texts", pairs of German and English next to each other), for ``fieldsets``."""
    return (
        _("Texts (German | English)"),
        {
            "fields": [(name, name + ENGLISH_SUFFIX) for name in fields] + list(extra),
            "classes": ["bilingual"],
            "description": _(
                "German on the left, English on the right. Where the English text is empty, "
                "English pages show the German text."
            ),
        },
    )


class EnglishMissingFilter(admin.SimpleListFilter):
    title = _("English text")
    parameter_name = "english"

    def lookups(self, request, model_admin):
        return [("missing", _("missing")), ("complete", _("complete"))]

    def queryset(self, request, queryset):
        condition = english_missing_q(self.model_admin_fields)
        if self.value() == "missing":
            return queryset.filter(condition)
        if self.value() == "complete":
            return queryset.exclude(condition)
        return queryset

    def __init__(self, request, params, model, model_admin):
        self.model_admin_fields = model_admin.bilingual_fields
        super().__init__(request, params, model, model_admin)


class BilingualAdminMixin:
    bilingual_fields: tuple[str, ...] = ()

    class Media:
        css = {"all": ["css/admin-bilingual.css"]}

    @admin.display(description=_("English text"), boolean=True)
    def english_complete(self, obj) -> bool:
        return not english_missing(obj, self.bilingual_fields)

    def get_list_display(self, request):
        return [*super().get_list_display(request), "english_complete"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), EnglishMissingFilter]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        missing = [
            name + ENGLISH_SUFFIX
            for name in self.bilingual_fields
            if name + ENGLISH_SUFFIX in form.base_fields
            and (getattr(obj, name) or "").strip()
            and not (getattr(obj, name + ENGLISH_SUFFIX) or "").strip()
        ]
        if not missing:
            return form
        # A subclass per request: base_fields are shared by every form of this admin.
        fields = {
            name: _with_missing_hint(field)
            for name, field in form.base_fields.items()
            if name in missing
        }
        marked = type(form.__name__, (form,), {})
        marked.base_fields = {**form.base_fields, **fields}
        return marked


def _with_missing_hint(field):
    import copy

    field = copy.deepcopy(field)
    field.help_text = _(
        "English missing: English pages show the German text until you fill this in."
    )
    return field
