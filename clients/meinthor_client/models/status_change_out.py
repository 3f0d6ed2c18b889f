from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status_change_out_status import StatusChangeOutStatus

T = TypeVar("T", bound="StatusChangeOut")


@_attrs_define
class StatusChangeOut:
    """
    Attributes:
        changed_at (datetime.datetime):
        label (str):
        status (StatusChangeOutStatus):
    """

    changed_at: datetime.datetime
    label: str
    status: StatusChangeOutStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changed_at = self.changed_at.isoformat()

        label = self.label

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changed_at": changed_at,
                "label": label,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        label = d.pop("label")

        status = StatusChangeOutStatus(d.pop("status"))

        status_change_out = cls(
            changed_at=changed_at,
            label=label,
            status=status,
        )

        status_change_out.additional_properties = d
        return status_change_out

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
