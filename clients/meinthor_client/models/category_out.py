from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.category_out_group import CategoryOutGroup

if TYPE_CHECKING:
    from ..models.form_field import FormField


T = TypeVar("T", bound="CategoryOut")


@_attrs_define
class CategoryOut:
    """
    Attributes:
        damage (bool):
        fields (list[FormField]):
        group (CategoryOutGroup):
        hint (str):
        id (int):
        name (str):
        photos_allowed (bool):
        shows_emergency (bool):
    """

    damage: bool
    fields: list[FormField]
    group: CategoryOutGroup
    hint: str
    id: int
    name: str
    photos_allowed: bool
    shows_emergency: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        damage = self.damage

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        group = self.group.value

        hint = self.hint

        id = self.id

        name = self.name

        photos_allowed = self.photos_allowed

        shows_emergency = self.shows_emergency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "damage": damage,
                "fields": fields,
                "group": group,
                "hint": hint,
                "id": id,
                "name": name,
                "photos_allowed": photos_allowed,
                "shows_emergency": shows_emergency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.form_field import FormField  # noqa: PLC0415

        d = dict(src_dict)
        damage = d.pop("damage")

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FormField.from_dict(fields_item_data)

            fields.append(fields_item)

        group = CategoryOutGroup(d.pop("group"))

        hint = d.pop("hint")

        id = d.pop("id")

        name = d.pop("name")

        photos_allowed = d.pop("photos_allowed")

        shows_emergency = d.pop("shows_emergency")

        category_out = cls(
            damage=damage,
            fields=fields,
            group=group,
            hint=hint,
            id=id,
            name=name,
            photos_allowed=photos_allowed,
            shows_emergency=shows_emergency,
        )

        category_out.additional_properties = d
        return category_out

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
