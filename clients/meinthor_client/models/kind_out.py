from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kind_out_kind import KindOutKind
from ..models.kind_out_unit import KindOutUnit

if TYPE_CHECKING:
    from ..models.fact_out import FactOut
    from ..models.month_out import MonthOut


T = TypeVar("T", bound="KindOut")


@_attrs_define
class KindOut:
    """
    Attributes:
        comparisons (list[FactOut]):
        current (None | str):
        kind (KindOutKind):
        label (str):
        month (datetime.date | None):
        months (list[MonthOut]):
        sentence (str):
        unit (KindOutUnit):
        waiting_message (str):
    """

    comparisons: list[FactOut]
    current: None | str
    kind: KindOutKind
    label: str
    month: datetime.date | None
    months: list[MonthOut]
    sentence: str
    unit: KindOutUnit
    waiting_message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        comparisons = []
        for comparisons_item_data in self.comparisons:
            comparisons_item = comparisons_item_data.to_dict()
            comparisons.append(comparisons_item)

        current: None | str
        current = self.current

        kind = self.kind.value

        label = self.label

        month: None | str
        if isinstance(self.month, datetime.date):
            month = self.month.isoformat()
        else:
            month = self.month

        months = []
        for months_item_data in self.months:
            months_item = months_item_data.to_dict()
            months.append(months_item)

        sentence = self.sentence

        unit = self.unit.value

        waiting_message = self.waiting_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "comparisons": comparisons,
                "current": current,
                "kind": kind,
                "label": label,
                "month": month,
                "months": months,
                "sentence": sentence,
                "unit": unit,
                "waiting_message": waiting_message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fact_out import FactOut  # noqa: PLC0415
        from ..models.month_out import MonthOut  # noqa: PLC0415

        d = dict(src_dict)
        comparisons = []
        _comparisons = d.pop("comparisons")
        for comparisons_item_data in _comparisons:
            comparisons_item = FactOut.from_dict(comparisons_item_data)

            comparisons.append(comparisons_item)

        def _parse_current(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        current = _parse_current(d.pop("current"))

        kind = KindOutKind(d.pop("kind"))

        label = d.pop("label")

        def _parse_month(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                month_type_0 = datetime.date.fromisoformat(data)

                return month_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        month = _parse_month(d.pop("month"))

        months = []
        _months = d.pop("months")
        for months_item_data in _months:
            months_item = MonthOut.from_dict(months_item_data)

            months.append(months_item)

        sentence = d.pop("sentence")

        unit = KindOutUnit(d.pop("unit"))

        waiting_message = d.pop("waiting_message")

        kind_out = cls(
            comparisons=comparisons,
            current=current,
            kind=kind,
            label=label,
            month=month,
            months=months,
            sentence=sentence,
            unit=unit,
            waiting_message=waiting_message,
        )

        kind_out.additional_properties = d
        return kind_out

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
