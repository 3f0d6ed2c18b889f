from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_in_language_type_0 import AccountInLanguageType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="AccountIn")


@_attrs_define
class AccountIn:
    """
    Attributes:
        accept_terms (bool):
        email (str):
        password (str):
        password_repeat (str):
        registration_token (str):
        language (AccountInLanguageType0 | None | Unset):
        paperless (bool | Unset):  Default: False.
    """

    accept_terms: bool
    email: str
    password: str
    password_repeat: str
    registration_token: str
    language: AccountInLanguageType0 | None | Unset = UNSET
    paperless: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accept_terms = self.accept_terms

        email = self.email

        password = self.password

        password_repeat = self.password_repeat

        registration_token = self.registration_token

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, AccountInLanguageType0):
            language = self.language.value
        else:
            language = self.language

        paperless = self.paperless

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accept_terms": accept_terms,
                "email": email,
                "password": password,
                "password_repeat": password_repeat,
                "registration_token": registration_token,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language
        if paperless is not UNSET:
            field_dict["paperless"] = paperless

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accept_terms = d.pop("accept_terms")

        email = d.pop("email")

        password = d.pop("password")

        password_repeat = d.pop("password_repeat")

        registration_token = d.pop("registration_token")

        def _parse_language(data: object) -> AccountInLanguageType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = AccountInLanguageType0(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AccountInLanguageType0 | None | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        paperless = d.pop("paperless", UNSET)

        account_in = cls(
            accept_terms=accept_terms,
            email=email,
            password=password,
            password_repeat=password_repeat,
            registration_token=registration_token,
            language=language,
            paperless=paperless,
        )

        account_in.additional_properties = d
        return account_in

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
