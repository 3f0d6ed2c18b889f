from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.month_out_tone import MonthOutTone

T = TypeVar("T", bound="MonthOut")


@_attrs_define
class MonthOut:
    """
    Attributes:
        change_percent (int | None):
        change_text (str):
        month (datetime.date):
        previous_year (None | str):
        tone (MonthOutTone):
        value (None | str):
    """

    change_percent: int | None
    change_text: str
    month: datetime.date
    previous_year: None | str
    tone: MonthOutTone
    value: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        change_percent: int | None
        change_percent = self.change_percent

        change_text = self.change_text

        month = self.month.isoformat()

        previous_year: None | str
        previous_year = self.previous_year

        tone = self.tone.value

        value: None | str
        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "change_percent": change_percent,
                "change_text": change_text,
                "month": month,
                "previous_year": previous_year,
                "tone": tone,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_change_percent(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        change_percent = _parse_change_percent(d.pop("change_percent"))

        change_text = d.pop("change_text")

        month = datetime.date.fromisoformat(d.pop("month"))

        def _parse_previous_year(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_year = _parse_previous_year(d.pop("previous_year"))

        tone = MonthOutTone(d.pop("tone"))

        def _parse_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        value = _parse_value(d.pop("value"))

        month_out = cls(
            change_percent=change_percent,
            change_text=change_text,
            month=month,
            previous_year=previous_year,
            tone=tone,
            value=value,
        )

        month_out.additional_properties = d
        return month_out

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
