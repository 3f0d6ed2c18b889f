from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BankChangeIn")


@_attrs_define
class BankChangeIn:
    """The fields of the page's form "Bankverbindung ändern".

    Attributes:
        holder_name (str):
        iban (str):
        consent (bool | Unset):  Default: False.
        holder_city (str | Unset):  Default: ''.
        holder_country (str | Unset):  Default: 'DE'.
        holder_is_other (bool | Unset):  Default: False.
        holder_postal_code (str | Unset):  Default: ''.
        holder_street (str | Unset):  Default: ''.
        reference (str | Unset):  Default: ''.
        submission (str | Unset):  Default: ''.
    """

    holder_name: str
    iban: str
    consent: bool | Unset = False
    holder_city: str | Unset = ""
    holder_country: str | Unset = "DE"
    holder_is_other: bool | Unset = False
    holder_postal_code: str | Unset = ""
    holder_street: str | Unset = ""
    reference: str | Unset = ""
    submission: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        holder_name = self.holder_name

        iban = self.iban

        consent = self.consent

        holder_city = self.holder_city

        holder_country = self.holder_country

        holder_is_other = self.holder_is_other

        holder_postal_code = self.holder_postal_code

        holder_street = self.holder_street

        reference = self.reference

        submission = self.submission

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "holder_name": holder_name,
                "iban": iban,
            }
        )
        if consent is not UNSET:
            field_dict["consent"] = consent
        if holder_city is not UNSET:
            field_dict["holder_city"] = holder_city
        if holder_country is not UNSET:
            field_dict["holder_country"] = holder_country
        if holder_is_other is not UNSET:
            field_dict["holder_is_other"] = holder_is_other
        if holder_postal_code is not UNSET:
            field_dict["holder_postal_code"] = holder_postal_code
        if holder_street is not UNSET:
            field_dict["holder_street"] = holder_street
        if reference is not UNSET:
            field_dict["reference"] = reference
        if submission is not UNSET:
            field_dict["submission"] = submission

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        holder_name = d.pop("holder_name")

        iban = d.pop("iban")

        consent = d.pop("consent", UNSET)

        holder_city = d.pop("holder_city", UNSET)

        holder_country = d.pop("holder_country", UNSET)

        holder_is_other = d.pop("holder_is_other", UNSET)

        holder_postal_code = d.pop("holder_postal_code", UNSET)

        holder_street = d.pop("holder_street", UNSET)

        reference = d.pop("reference", UNSET)

        submission = d.pop("submission", UNSET)

        bank_change_in = cls(
            holder_name=holder_name,
            iban=iban,
            consent=consent,
            holder_city=holder_city,
            holder_country=holder_country,
            holder_is_other=holder_is_other,
            holder_postal_code=holder_postal_code,
            holder_street=holder_street,
            reference=reference,
            submission=submission,
        )

        bank_change_in.additional_properties = d
        return bank_change_in

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
