from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attachment_limits import AttachmentLimits
    from ..models.category_group import CategoryGroup
    from ..models.emergency import Emergency


T = TypeVar("T", bound="Categories")


@_attrs_define
class Categories:
    """
    Attributes:
        attachments (AttachmentLimits):
        emergency (Emergency): The emergency notice of the damage pages: what to do when a message is too slow.
        groups (list[CategoryGroup]):
    """

    attachments: AttachmentLimits
    emergency: Emergency
    groups: list[CategoryGroup]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attachments = self.attachments.to_dict()

        emergency = self.emergency.to_dict()

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attachments": attachments,
                "emergency": emergency,
                "groups": groups,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_limits import AttachmentLimits  # noqa: PLC0415
        from ..models.category_group import CategoryGroup  # noqa: PLC0415
        from ..models.emergency import Emergency  # noqa: PLC0415

        d = dict(src_dict)
        attachments = AttachmentLimits.from_dict(d.pop("attachments"))

        emergency = Emergency.from_dict(d.pop("emergency"))

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = CategoryGroup.from_dict(groups_item_data)

            groups.append(groups_item)

        categories = cls(
            attachments=attachments,
            emergency=emergency,
            groups=groups,
        )

        categories.additional_properties = d
        return categories

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
