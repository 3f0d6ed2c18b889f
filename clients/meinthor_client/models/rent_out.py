from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RentOut")


@_attrs_define
class RentOut:
    """The monthly rent as agreed in the contract.

    Attributes:
        base_rent (str):
        heating_costs_advance (str):
        operating_costs_advance (str):
        total (str):
        currency (Literal['EUR'] | Unset):  Default: 'EUR'.
    """

    base_rent: str
    heating_costs_advance: str
    operating_costs_advance: str
    total: str
    currency: Literal["EUR"] | Unset = "EUR"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_rent = self.base_rent

        heating_costs_advance = self.heating_costs_advance

        operating_costs_advance = self.operating_costs_advance

        total = self.total

        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_rent": base_rent,
                "heating_costs_advance": heating_costs_advance,
                "operating_costs_advance": operating_costs_advance,
                "total": total,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base_rent = d.pop("base_rent")

        heating_costs_advance = d.pop("heating_costs_advance")

        operating_costs_advance = d.pop("operating_costs_advance")

        total = d.pop("total")

        currency = cast(Literal["EUR"] | Unset, d.pop("currency", UNSET))
        if currency != "EUR" and not isinstance(currency, Unset):
            raise ValueError(f"currency must match const 'EUR', got '{currency}'")

        rent_out = cls(
            base_rent=base_rent,
            heating_costs_advance=heating_costs_advance,
            operating_costs_advance=operating_costs_advance,
            total=total,
            currency=currency,
        )

        rent_out.additional_properties = d
        return rent_out

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
