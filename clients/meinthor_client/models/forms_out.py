from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.personal_form_out import PersonalFormOut
    from ..models.static_form_out import StaticFormOut


T = TypeVar("T", bound="FormsOut")


@_attrs_define
class FormsOut:
    """
    Attributes:
        personal (list[PersonalFormOut]): Filled in with the tenant's data
        static (list[StaticFormOut]): Forms to print
    """

    personal: list[PersonalFormOut]
    static: list[StaticFormOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        personal = []
        for personal_item_data in self.personal:
            personal_item = personal_item_data.to_dict()
            personal.append(personal_item)

        static = []
        for static_item_data in self.static:
            static_item = static_item_data.to_dict()
            static.append(static_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "personal": personal,
                "static": static,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.personal_form_out import PersonalFormOut  # noqa: PLC0415
        from ..models.static_form_out import StaticFormOut  # noqa: PLC0415

        d = dict(src_dict)
        personal = []
        _personal = d.pop("personal")
        for personal_item_data in _personal:
            personal_item = PersonalFormOut.from_dict(personal_item_data)

            personal.append(personal_item)

        static = []
        _static = d.pop("static")
        for static_item_data in _static:
            static_item = StaticFormOut.from_dict(static_item_data)

            static.append(static_item)

        forms_out = cls(
            personal=personal,
            static=static,
        )

        forms_out.additional_properties = d
        return forms_out

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
