from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AttachmentLimits")


@_attrs_define
class AttachmentLimits:
    """
    Attributes:
        content_types (list[str]):
        max_file_bytes (int):
        max_files (int):
    """

    content_types: list[str]
    max_file_bytes: int
    max_files: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_types = self.content_types

        max_file_bytes = self.max_file_bytes

        max_files = self.max_files

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_types": content_types,
                "max_file_bytes": max_file_bytes,
                "max_files": max_files,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content_types = cast(list[str], d.pop("content_types"))

        max_file_bytes = d.pop("max_file_bytes")

        max_files = d.pop("max_files")

        attachment_limits = cls(
            content_types=content_types,
            max_file_bytes=max_file_bytes,
            max_files=max_files,
        )

        attachment_limits.additional_properties = d
        return attachment_limits

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
