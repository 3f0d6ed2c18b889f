from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.kind_out import KindOut
    from ..models.period_out import PeriodOut


T = TypeVar("T", bound="UnitOut")


@_attrs_define
class UnitOut:
    """
    Attributes:
        has_remote_meters (bool):
        kinds (list[KindOut]):
        label (str):
        no_remote_meters_notice (str):
        periods (list[PeriodOut]):
        unit_id (int):
    """

    has_remote_meters: bool
    kinds: list[KindOut]
    label: str
    no_remote_meters_notice: str
    periods: list[PeriodOut]
    unit_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        has_remote_meters = self.has_remote_meters

        kinds = []
        for kinds_item_data in self.kinds:
            kinds_item = kinds_item_data.to_dict()
            kinds.append(kinds_item)

        label = self.label

        no_remote_meters_notice = self.no_remote_meters_notice

        periods = []
        for periods_item_data in self.periods:
            periods_item = periods_item_data.to_dict()
            periods.append(periods_item)

        unit_id = self.unit_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "has_remote_meters": has_remote_meters,
                "kinds": kinds,
                "label": label,
                "no_remote_meters_notice": no_remote_meters_notice,
                "periods": periods,
                "unit_id": unit_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kind_out import KindOut  # noqa: PLC0415
        from ..models.period_out import PeriodOut  # noqa: PLC0415

        d = dict(src_dict)
        has_remote_meters = d.pop("has_remote_meters")

        kinds = []
        _kinds = d.pop("kinds")
        for kinds_item_data in _kinds:
            kinds_item = KindOut.from_dict(kinds_item_data)

            kinds.append(kinds_item)

        label = d.pop("label")

        no_remote_meters_notice = d.pop("no_remote_meters_notice")

        periods = []
        _periods = d.pop("periods")
        for periods_item_data in _periods:
            periods_item = PeriodOut.from_dict(periods_item_data)

            periods.append(periods_item)

        unit_id = d.pop("unit_id")

        unit_out = cls(
            has_remote_meters=has_remote_meters,
            kinds=kinds,
            label=label,
            no_remote_meters_notice=no_remote_meters_notice,
            periods=periods,
            unit_id=unit_id,
        )

        unit_out.additional_properties = d
        return unit_out

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
