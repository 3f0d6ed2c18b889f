from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CodeChecked")


@_attrs_define
class CodeChecked:
    """
    Attributes:
        expires_in (int):
        name (str):
        password_rules (list[str]):
        registration_token (str):
    """

    expires_in: int
    name: str
    password_rules: list[str]
    registration_token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_in = self.expires_in

        name = self.name

        password_rules = self.password_rules

        registration_token = self.registration_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_in": expires_in,
                "name": name,
                "password_rules": password_rules,
                "registration_token": registration_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_in = d.pop("expires_in")

        name = d.pop("name")

        password_rules = cast(list[str], d.pop("password_rules"))

        registration_token = d.pop("registration_token")

        code_checked = cls(
            expires_in=expires_in,
            name=name,
            password_rules=password_rules,
            registration_token=registration_token,
        )

        code_checked.additional_properties = d
        return code_checked

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
