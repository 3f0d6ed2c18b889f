from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.profile_in_language_type_0 import ProfileInLanguageType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProfileIn")


@_attrs_define
class ProfileIn:
    """Only the fields sent are changed.

    Attributes:
        language (None | ProfileInLanguageType0 | Unset):
        paperless_consent (bool | None | Unset):
        phone (None | str | Unset):
    """

    language: None | ProfileInLanguageType0 | Unset = UNSET
    paperless_consent: bool | None | Unset = UNSET
    phone: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, ProfileInLanguageType0):
            language = self.language.value
        else:
            language = self.language

        paperless_consent: bool | None | Unset
        if isinstance(self.paperless_consent, Unset):
            paperless_consent = UNSET
        else:
            paperless_consent = self.paperless_consent

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if language is not UNSET:
            field_dict["language"] = language
        if paperless_consent is not UNSET:
            field_dict["paperless_consent"] = paperless_consent
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_language(data: object) -> None | ProfileInLanguageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = ProfileInLanguageType0(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProfileInLanguageType0 | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_paperless_consent(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        paperless_consent = _parse_paperless_consent(d.pop("paperless_consent", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        profile_in = cls(
            language=language,
            paperless_consent=paperless_consent,
            phone=phone,
        )

        profile_in.additional_properties = d
        return profile_in

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
