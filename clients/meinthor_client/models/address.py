from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Address")


@_attrs_define
class Address:
    """
    Attributes:
        address_extra (str):
        city (str):
        country (str):
        postal_code (str):
        street (str):
    """

    address_extra: str
    city: str
    country: str
    postal_code: str
    street: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address_extra = self.address_extra

        city = self.city

        country = self.country

        postal_code = self.postal_code

        street = self.street

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address_extra": address_extra,
                "city": city,
                "country": country,
                "postal_code": postal_code,
                "street": street,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address_extra = d.pop("address_extra")

        city = d.pop("city")

        country = d.pop("country")

        postal_code = d.pop("postal_code")

        street = d.pop("street")

        address = cls(
            address_extra=address_extra,
            city=city,
            country=country,
            postal_code=postal_code,
            street=street,
        )

        address.additional_properties = d
        return address

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
