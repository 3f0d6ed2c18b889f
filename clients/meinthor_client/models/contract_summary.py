from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.contract_summary_state import ContractSummaryState

if TYPE_CHECKING:
    from ..models.rent_out import RentOut
    from ..models.unit_out import UnitOut


T = TypeVar("T", bound="ContractSummary")


@_attrs_define
class ContractSummary:
    """
    Attributes:
        contract_number (str):
        end_date (datetime.date | None):
        label (str):
        rent (RentOut): The monthly rent as agreed in the contract.
        start_date (datetime.date):
        state (ContractSummaryState):
        state_label (str):
        unit (UnitOut):
    """

    contract_number: str
    end_date: datetime.date | None
    label: str
    rent: RentOut
    start_date: datetime.date
    state: ContractSummaryState
    state_label: str
    unit: UnitOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contract_number = self.contract_number

        end_date: None | str
        if isinstance(self.end_date, datetime.date):
            end_date = self.end_date.isoformat()
        else:
            end_date = self.end_date

        label = self.label

        rent = self.rent.to_dict()

        start_date = self.start_date.isoformat()

        state = self.state.value

        state_label = self.state_label

        unit = self.unit.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contract_number": contract_number,
                "end_date": end_date,
                "label": label,
                "rent": rent,
                "start_date": start_date,
                "state": state,
                "state_label": state_label,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rent_out import RentOut  # noqa: PLC0415
        from ..models.unit_out import UnitOut  # noqa: PLC0415

        d = dict(src_dict)
        contract_number = d.pop("contract_number")

        def _parse_end_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_date_type_0 = datetime.date.fromisoformat(data)

                return end_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        end_date = _parse_end_date(d.pop("end_date"))

        label = d.pop("label")

        rent = RentOut.from_dict(d.pop("rent"))

        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        state = ContractSummaryState(d.pop("state"))

        state_label = d.pop("state_label")

        unit = UnitOut.from_dict(d.pop("unit"))

        contract_summary = cls(
            contract_number=contract_number,
            end_date=end_date,
            label=label,
            rent=rent,
            start_date=start_date,
            state=state,
            state_label=state_label,
            unit=unit,
        )

        contract_summary.additional_properties = d
        return contract_summary

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
