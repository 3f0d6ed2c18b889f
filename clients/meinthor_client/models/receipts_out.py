from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.receipt_out import ReceiptOut


T = TypeVar("T", bound="ReceiptsOut")


@_attrs_define
class ReceiptsOut:
    """
    Attributes:
        currency (Literal['EUR']):
        document_id (int):
        document_title (str):
        expired (bool):
        notice (str): What the page says about the inspection period
        receipts (list[ReceiptOut]): Empty once the period has ended
        total (None | str): Sum of the receipts; none once the period has ended
        until (datetime.date): The last day the receipts can be inspected online
    """

    currency: Literal["EUR"]
    document_id: int
    document_title: str
    expired: bool
    notice: str
    receipts: list[ReceiptOut]
    total: None | str
    until: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        document_id = self.document_id

        document_title = self.document_title

        expired = self.expired

        notice = self.notice

        receipts = []
        for receipts_item_data in self.receipts:
            receipts_item = receipts_item_data.to_dict()
            receipts.append(receipts_item)

        total: None | str
        total = self.total

        until = self.until.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "document_id": document_id,
                "document_title": document_title,
                "expired": expired,
                "notice": notice,
                "receipts": receipts,
                "total": total,
                "until": until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.receipt_out import ReceiptOut  # noqa: PLC0415

        d = dict(src_dict)
        currency = cast(Literal["EUR"], d.pop("currency"))
        if currency != "EUR":
            raise ValueError(f"currency must match const 'EUR', got '{currency}'")

        document_id = d.pop("document_id")

        document_title = d.pop("document_title")

        expired = d.pop("expired")

        notice = d.pop("notice")

        receipts = []
        _receipts = d.pop("receipts")
        for receipts_item_data in _receipts:
            receipts_item = ReceiptOut.from_dict(receipts_item_data)

            receipts.append(receipts_item)

        def _parse_total(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        total = _parse_total(d.pop("total"))

        until = datetime.date.fromisoformat(d.pop("until"))

        receipts_out = cls(
            currency=currency,
            document_id=document_id,
            document_title=document_title,
            expired=expired,
            notice=notice,
            receipts=receipts,
            total=total,
            until=until,
        )

        receipts_out.additional_properties = d
        return receipts_out

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
