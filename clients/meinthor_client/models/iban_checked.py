from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.creditor_out import CreditorOut


T = TypeVar("T", bound="IbanChecked")


@_attrs_define
class IbanChecked:
    """The IBAN as checked, and the mandate the tenant will grant with it.

    Attributes:
        bank_name (str):
        bic (str):
        creditor (CreditorOut):
        iban (str):
        mandate_reference (str):
        replaces_notice (str):
    """

    bank_name: str
    bic: str
    creditor: CreditorOut
    iban: str
    mandate_reference: str
    replaces_notice: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bank_name = self.bank_name

        bic = self.bic

        creditor = self.creditor.to_dict()

        iban = self.iban

        mandate_reference = self.mandate_reference

        replaces_notice = self.replaces_notice

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bank_name": bank_name,
                "bic": bic,
                "creditor": creditor,
                "iban": iban,
                "mandate_reference": mandate_reference,
                "replaces_notice": replaces_notice,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.creditor_out import CreditorOut  # noqa: PLC0415

        d = dict(src_dict)
        bank_name = d.pop("bank_name")

        bic = d.pop("bic")

        creditor = CreditorOut.from_dict(d.pop("creditor"))

        iban = d.pop("iban")

        mandate_reference = d.pop("mandate_reference")

        replaces_notice = d.pop("replaces_notice")

        iban_checked = cls(
            bank_name=bank_name,
            bic=bic,
            creditor=creditor,
            iban=iban,
            mandate_reference=mandate_reference,
            replaces_notice=replaces_notice,
        )

        iban_checked.additional_properties = d
        return iban_checked

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
