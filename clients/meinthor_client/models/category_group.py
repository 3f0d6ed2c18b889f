from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.category_group_group import CategoryGroupGroup

if TYPE_CHECKING:
    from ..models.category_out import CategoryOut


T = TypeVar("T", bound="CategoryGroup")


@_attrs_define
class CategoryGroup:
    """
    Attributes:
        categories (list[CategoryOut]):
        group (CategoryGroupGroup):
        label (str):
    """

    categories: list[CategoryOut]
    group: CategoryGroupGroup
    label: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        group = self.group.value

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "categories": categories,
                "group": group,
                "label": label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_out import CategoryOut  # noqa: PLC0415

        d = dict(src_dict)
        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = CategoryOut.from_dict(categories_item_data)

            categories.append(categories_item)

        group = CategoryGroupGroup(d.pop("group"))

        label = d.pop("label")

        category_group = cls(
            categories=categories,
            group=group,
            label=label,
        )

        category_group.additional_properties = d
        return category_group

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
