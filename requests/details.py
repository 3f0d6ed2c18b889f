"""A request's extra answers (`ContactRequest.details`) in words, for the tenant and the clerk."""

from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .forms import RequestForm


def detail_rows(details: dict, *, include_unknown: bool = False) -> list[tuple[str, str]]:
    """(label, value) in the order of the form, with the labels the tenant saw on it.

    Choices and yes/no come out in words and dates as TT.MM.JJJJ. Keys the form no longer
    knows are shown under their own name only when `include_unknown` (the clerk's page).
    """
    fields = RequestForm.base_fields
    known = [name for name in RequestForm.ALL_EXTRA if name in details]
    rows = [(str(fields[name].label), _in_words(fields[name], details[name])) for name in known]
    if include_unknown:
        rows += [
            (name, _in_words(None, value)) for name, value in details.items() if name not in fields
        ]
    return rows


def _in_words(field: forms.Field | None, value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "–"
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DateField):
        try:
            return date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
