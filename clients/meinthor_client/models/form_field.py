from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.form_field_kind import FormFieldKind

if TYPE_CHECKING:
    from ..models.choice import Choice


T = TypeVar("T", bound="FormField")


@_attrs_define
class FormField:
    """One field of the category's form, as the page asks it (send it under ``name``).

    Attributes:
        choices (list[Choice]):
        help_text (str):
        kind (FormFieldKind):
        label (str):
        max_length (int | None):
        name (str):
        required (bool):
    """

    choices: list[Choice]
    help_text: str
    kind: FormFieldKind
    label: str
    max_length: int | None
    name: str
    required: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)

        help_text = self.help_text

        kind = self.kind.value

        label = self.label

        max_length: int | None
        max_length = self.max_length

        name = self.name

        required = self.required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "choices": choices,
                "help_text": help_text,
                "kind": kind,
                "label": label,
                "max_length": max_length,
                "name": name,
                "required": required,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.choice import Choice  # noqa: PLC0415

        d = dict(src_dict)
        choices = []
        _choices = d.pop("choices")
        for choices_item_data in _choices:
            choices_item = Choice.from_dict(choices_item_data)

            choices.append(choices_item)

        help_text = d.pop("help_text")

        kind = FormFieldKind(d.pop("kind"))

        label = d.pop("label")

        def _parse_max_length(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_length = _parse_max_length(d.pop("max_length"))

        name = d.pop("name")

        required = d.pop("required")

        form_field = cls(
            choices=choices,
            help_text=help_text,
            kind=kind,
            label=label,
            max_length=max_length,
            name=name,
            required=required,
        )

        form_field.additional_properties = d
        return form_field

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
