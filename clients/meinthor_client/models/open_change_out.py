from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OpenChangeOut")


@_attrs_define
class OpenChangeOut:
    """
    Attributes:
        effective_month (datetime.date):
        iban_masked (str):
        id (int):
        notice (str):
        received_at (datetime.datetime):
    """

    effective_month: datetime.date
    iban_masked: str
    id: int
    notice: str
    received_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        effective_month = self.effective_month.isoformat()

        iban_masked = self.iban_masked

        id = self.id

        notice = self.notice

        received_at = self.received_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effective_month": effective_month,
                "iban_masked": iban_masked,
                "id": id,
                "notice": notice,
                "received_at": received_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        effective_month = datetime.date.fromisoformat(d.pop("effective_month"))

        iban_masked = d.pop("iban_masked")

        id = d.pop("id")

        notice = d.pop("notice")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        open_change_out = cls(
            effective_month=effective_month,
            iban_masked=iban_masked,
            id=id,
            notice=notice,
            received_at=received_at,
        )

        open_change_out.additional_properties = d
        return open_change_out

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
