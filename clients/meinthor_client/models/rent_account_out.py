from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RentAccountOut")


@_attrs_define
class RentAccountOut:
    """The balance as the accounting last reported it (positive: the tenant owes it).

    Attributes:
        balance (str):
        balance_date (datetime.date):
        open_since (datetime.date | None):
        sentence (str):
        currency (Literal['EUR'] | Unset):  Default: 'EUR'.
    """

    balance: str
    balance_date: datetime.date
    open_since: datetime.date | None
    sentence: str
    currency: Literal["EUR"] | Unset = "EUR"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance = self.balance

        balance_date = self.balance_date.isoformat()

        open_since: None | str
        if isinstance(self.open_since, datetime.date):
            open_since = self.open_since.isoformat()
        else:
            open_since = self.open_since

        sentence = self.sentence

        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balance": balance,
                "balance_date": balance_date,
                "open_since": open_since,
                "sentence": sentence,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        balance = d.pop("balance")

        balance_date = datetime.date.fromisoformat(d.pop("balance_date"))

        def _parse_open_since(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                open_since_type_0 = datetime.date.fromisoformat(data)

                return open_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        open_since = _parse_open_since(d.pop("open_since"))

        sentence = d.pop("sentence")

        currency = cast(Literal["EUR"] | Unset, d.pop("currency", UNSET))
        if currency != "EUR" and not isinstance(currency, Unset):
            raise ValueError(f"currency must match const 'EUR', got '{currency}'")

        rent_account_out = cls(
            balance=balance,
            balance_date=balance_date,
            open_since=open_since,
            sentence=sentence,
            currency=currency,
        )

        rent_account_out.additional_properties = d
        return rent_account_out

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
