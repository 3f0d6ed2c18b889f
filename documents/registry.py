"""Personalised forms: areas that know the data register a form here (documents imports none)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalForm:
    key: str
    title: Any  # lazy translation
    description: Any
    order: int
    # render(request, tenant) -> (file name, PDF bytes), or an HttpResponse (e.g. a redirect)
    render: Callable[[Any, Any], Any]


_forms: dict[str, PersonalForm] = {}


def register_personal_form(form: PersonalForm) -> None:
    _forms[form.key] = form


def personal_forms() -> list[PersonalForm]:
    return sorted(_forms.values(), key=lambda form: form.order)


def personal_form(key: str) -> PersonalForm | None:
    return _forms.get(key)
