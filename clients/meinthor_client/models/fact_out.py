from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.fact_out_key import FactOutKey
from ..models.fact_out_tone import FactOutTone

T = TypeVar("T", bound="FactOut")


@_attrs_define
class FactOut:
    """
    Attributes:
        difference (None | str):
        explanation (str):
        key (FactOutKey):
        label (str):
        other (None | str):
        percent (int | None):
        percent_text (str):
        tone (FactOutTone):
    """

    difference: None | str
    explanation: str
    key: FactOutKey
    label: str
    other: None | str
    percent: int | None
    percent_text: str
    tone: FactOutTone
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        difference: None | str
        difference = self.difference

        explanation = self.explanation

        key = self.key.value

        label = self.label

        other: None | str
        other = self.other

        percent: int | None
        percent = self.percent

        percent_text = self.percent_text

        tone = self.tone.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "difference": difference,
                "explanation": explanation,
                "key": key,
                "label": label,
                "other": other,
                "percent": percent,
                "percent_text": percent_text,
                "tone": tone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_difference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        difference = _parse_difference(d.pop("difference"))

        explanation = d.pop("explanation")

        key = FactOutKey(d.pop("key"))

        label = d.pop("label")

        def _parse_other(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        other = _parse_other(d.pop("other"))

        def _parse_percent(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        percent = _parse_percent(d.pop("percent"))

        percent_text = d.pop("percent_text")

        tone = FactOutTone(d.pop("tone"))

        fact_out = cls(
            difference=difference,
            explanation=explanation,
            key=key,
            label=label,
            other=other,
            percent=percent,
            percent_text=percent_text,
            tone=tone,
        )

        fact_out.additional_properties = d
        return fact_out

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
