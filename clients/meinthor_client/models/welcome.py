from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.welcome_language import WelcomeLanguage

T = TypeVar("T", bound="Welcome")


@_attrs_define
class Welcome:
    """
    Attributes:
        detail (str):
        email (str):
        language (WelcomeLanguage):
        session_token (str):
    """

    detail: str
    email: str
    language: WelcomeLanguage
    session_token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        email = self.email

        language = self.language.value

        session_token = self.session_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "email": email,
                "language": language,
                "session_token": session_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detail = d.pop("detail")

        email = d.pop("email")

        language = WelcomeLanguage(d.pop("language"))

        session_token = d.pop("session_token")

        welcome = cls(
            detail=detail,
            email=email,
            language=language,
            session_token=session_token,
        )

        welcome.additional_properties = d
        return welcome

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
