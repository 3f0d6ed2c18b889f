from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AttachmentOut")


@_attrs_define
class AttachmentOut:
    """
    Attributes:
        content_type (str):
        download_path (str):
        id (int):
        is_image (bool):
        name (str):
        size (int):
        thumbnail_path (None | str):
    """

    content_type: str
    download_path: str
    id: int
    is_image: bool
    name: str
    size: int
    thumbnail_path: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        download_path = self.download_path

        id = self.id

        is_image = self.is_image

        name = self.name

        size = self.size

        thumbnail_path: None | str
        thumbnail_path = self.thumbnail_path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_type": content_type,
                "download_path": download_path,
                "id": id,
                "is_image": is_image,
                "name": name,
                "size": size,
                "thumbnail_path": thumbnail_path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content_type = d.pop("content_type")

        download_path = d.pop("download_path")

        id = d.pop("id")

        is_image = d.pop("is_image")

        name = d.pop("name")

        size = d.pop("size")

        def _parse_thumbnail_path(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        thumbnail_path = _parse_thumbnail_path(d.pop("thumbnail_path"))

        attachment_out = cls(
            content_type=content_type,
            download_path=download_path,
            id=id,
            is_image=is_image,
            name=name,
            size=size,
            thumbnail_path=thumbnail_path,
        )

        attachment_out.additional_properties = d
        return attachment_out

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
