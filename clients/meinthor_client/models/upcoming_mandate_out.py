from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UpcomingMandateOut")


@_attrs_define
class UpcomingMandateOut:
    """
    Attributes:
        bank_name (str):
        bic (str):
        holder_name (str):
        iban_masked (str):
        mandate_reference (str):
        notice (str):
        summary (str):
        valid_from (datetime.date):
    """

    bank_name: str
    bic: str
    holder_name: str
    iban_masked: str
    mandate_reference: str
    notice: str
    summary: str
    valid_from: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bank_name = self.bank_name

        bic = self.bic

        holder_name = self.holder_name

        iban_masked = self.iban_masked

        mandate_reference = self.mandate_reference

        notice = self.notice

        summary = self.summary

        valid_from = self.valid_from.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bank_name": bank_name,
                "bic": bic,
                "holder_name": holder_name,
                "iban_masked": iban_masked,
                "mandate_reference": mandate_reference,
                "notice": notice,
                "summary": summary,
                "valid_from": valid_from,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bank_name = d.pop("bank_name")

        bic = d.pop("bic")

        holder_name = d.pop("holder_name")

        iban_masked = d.pop("iban_masked")

        mandate_reference = d.pop("mandate_reference")

        notice = d.pop("notice")

        summary = d.pop("summary")

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        upcoming_mandate_out = cls(
            bank_name=bank_name,
            bic=bic,
            holder_name=holder_name,
            iban_masked=iban_masked,
            mandate_reference=mandate_reference,
            notice=notice,
            summary=summary,
            valid_from=valid_from,
        )

        upcoming_mandate_out.additional_properties = d
        return upcoming_mandate_out

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
