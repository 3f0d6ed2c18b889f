from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ContactPersonOut")


@_attrs_define
class ContactPersonOut:
    """
    Attributes:
        area_label (str):
        email (str):
        name (str):
        office_hours (str):
        phone (str):
        role (str):
    """

    area_label: str
    email: str
    name: str
    office_hours: str
    phone: str
    role: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        area_label = self.area_label

        email = self.email

        name = self.name

        office_hours = self.office_hours

        phone = self.phone

        role = self.role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "area_label": area_label,
                "email": email,
                "name": name,
                "office_hours": office_hours,
                "phone": phone,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        area_label = d.pop("area_label")

        email = d.pop("email")

        name = d.pop("name")

        office_hours = d.pop("office_hours")

        phone = d.pop("phone")

        role = d.pop("role")

        contact_person_out = cls(
            area_label=area_label,
            email=email,
            name=name,
            office_hours=office_hours,
            phone=phone,
            role=role,
        )

        contact_person_out.additional_properties = d
        return contact_person_out

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
