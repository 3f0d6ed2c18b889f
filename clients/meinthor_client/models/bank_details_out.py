from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.mandate_out import MandateOut
    from ..models.open_change_out import OpenChangeOut
    from ..models.upcoming_mandate_out import UpcomingMandateOut


T = TypeVar("T", bound="BankDetailsOut")


@_attrs_define
class BankDetailsOut:
    """
    Attributes:
        can_change (bool):
        cannot_change_reason (str):
        current (MandateOut | None):
        current_notice (str):
        open_change (None | OpenChangeOut):
        upcoming (None | UpcomingMandateOut):
    """

    can_change: bool
    cannot_change_reason: str
    current: MandateOut | None
    current_notice: str
    open_change: None | OpenChangeOut
    upcoming: None | UpcomingMandateOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.mandate_out import MandateOut  # noqa: PLC0415
        from ..models.open_change_out import OpenChangeOut  # noqa: PLC0415
        from ..models.upcoming_mandate_out import UpcomingMandateOut  # noqa: PLC0415

        can_change = self.can_change

        cannot_change_reason = self.cannot_change_reason

        current: dict[str, Any] | None
        if isinstance(self.current, MandateOut):
            current = self.current.to_dict()
        else:
            current = self.current

        current_notice = self.current_notice

        open_change: dict[str, Any] | None
        if isinstance(self.open_change, OpenChangeOut):
            open_change = self.open_change.to_dict()
        else:
            open_change = self.open_change

        upcoming: dict[str, Any] | None
        if isinstance(self.upcoming, UpcomingMandateOut):
            upcoming = self.upcoming.to_dict()
        else:
            upcoming = self.upcoming

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "can_change": can_change,
                "cannot_change_reason": cannot_change_reason,
                "current": current,
                "current_notice": current_notice,
                "open_change": open_change,
                "upcoming": upcoming,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mandate_out import MandateOut  # noqa: PLC0415
        from ..models.open_change_out import OpenChangeOut  # noqa: PLC0415
        from ..models.upcoming_mandate_out import UpcomingMandateOut  # noqa: PLC0415

        d = dict(src_dict)
        can_change = d.pop("can_change")

        cannot_change_reason = d.pop("cannot_change_reason")

        def _parse_current(data: object) -> MandateOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                current_type_0 = MandateOut.from_dict(data)

                return current_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MandateOut | None, data)

        current = _parse_current(d.pop("current"))

        current_notice = d.pop("current_notice")

        def _parse_open_change(data: object) -> None | OpenChangeOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                open_change_type_0 = OpenChangeOut.from_dict(data)

                return open_change_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OpenChangeOut, data)

        open_change = _parse_open_change(d.pop("open_change"))

        def _parse_upcoming(data: object) -> None | UpcomingMandateOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                upcoming_type_0 = UpcomingMandateOut.from_dict(data)

                return upcoming_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UpcomingMandateOut, data)

        upcoming = _parse_upcoming(d.pop("upcoming"))

        bank_details_out = cls(
            can_change=can_change,
            cannot_change_reason=cannot_change_reason,
            current=current,
            current_notice=current_notice,
            open_change=open_change,
            upcoming=upcoming,
        )

        bank_details_out.additional_properties = d
        return bank_details_out

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
