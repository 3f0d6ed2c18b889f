from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Emergency")


@_attrs_define
class Emergency:
    """The emergency notice of the damage pages: what to do when a message is too slow.

    Attributes:
        gas_hint (str):
        outside_business_hours (bool):
        phone (str):
        phone_uri (str):
        text (str):
        title (str):
    """

    gas_hint: str
    outside_business_hours: bool
    phone: str
    phone_uri: str
    text: str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gas_hint = self.gas_hint

        outside_business_hours = self.outside_business_hours

        phone = self.phone

        phone_uri = self.phone_uri

        text = self.text

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gas_hint": gas_hint,
                "outside_business_hours": outside_business_hours,
                "phone": phone,
                "phone_uri": phone_uri,
                "text": text,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gas_hint = d.pop("gas_hint")

        outside_business_hours = d.pop("outside_business_hours")

        phone = d.pop("phone")

        phone_uri = d.pop("phone_uri")

        text = d.pop("text")

        title = d.pop("title")

        emergency = cls(
            gas_hint=gas_hint,
            outside_business_hours=outside_business_hours,
            phone=phone,
            phone_uri=phone_uri,
            text=text,
            title=title,
        )

        emergency.additional_properties = d
        return emergency

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
