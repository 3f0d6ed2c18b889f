from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.me_language import MeLanguage

if TYPE_CHECKING:
    from ..models.address import Address


T = TypeVar("T", bound="Me")


@_attrs_define
class Me:
    """
    Attributes:
        address (Address):
        email (str):
        language (MeLanguage):
        name (str):
        paperless_consent (bool):
        phone (str):
        read_only (bool):
        read_only_notice (str):
        salutation (str):
        tenant_number (str):
    """

    address: Address
    email: str
    language: MeLanguage
    name: str
    paperless_consent: bool
    phone: str
    read_only: bool
    read_only_notice: str
    salutation: str
    tenant_number: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address = self.address.to_dict()

        email = self.email

        language = self.language.value

        name = self.name

        paperless_consent = self.paperless_consent

        phone = self.phone

        read_only = self.read_only

        read_only_notice = self.read_only_notice

        salutation = self.salutation

        tenant_number = self.tenant_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address": address,
                "email": email,
                "language": language,
                "name": name,
                "paperless_consent": paperless_consent,
                "phone": phone,
                "read_only": read_only,
                "read_only_notice": read_only_notice,
                "salutation": salutation,
                "tenant_number": tenant_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address  # noqa: PLC0415

        d = dict(src_dict)
        address = Address.from_dict(d.pop("address"))

        email = d.pop("email")

        language = MeLanguage(d.pop("language"))

        name = d.pop("name")

        paperless_consent = d.pop("paperless_consent")

        phone = d.pop("phone")

        read_only = d.pop("read_only")

        read_only_notice = d.pop("read_only_notice")

        salutation = d.pop("salutation")

        tenant_number = d.pop("tenant_number")

        me = cls(
            address=address,
            email=email,
            language=language,
            name=name,
            paperless_consent=paperless_consent,
            phone=phone,
            read_only=read_only,
            read_only_notice=read_only_notice,
            salutation=salutation,
            tenant_number=tenant_number,
        )

        me.additional_properties = d
        return me

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
