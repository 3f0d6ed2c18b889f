from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_out_kind import DocumentOutKind

T = TypeVar("T", bound="DocumentOut")


@_attrs_define
class DocumentOut:
    """One document provided to the tenant (read from the tenant's delivery of it).

    Attributes:
        contract_number (str):
        download_path (str):
        has_receipts (bool): The receipts behind the statement can be inspected
        id (int): The document's id (the same for every partner of a contract)
        kind (DocumentOutKind):
        kind_label (str):
        legal_note (str): On English accounts: what the German legal term in the title means
        new (bool): Not opened yet (the page's “new”)
        period (str):
        published_at (datetime.datetime): When it was provided to the tenant
        receipts_path (None | str):
        size (int): Bytes
        title (str):
        year (int):
    """

    contract_number: str
    download_path: str
    has_receipts: bool
    id: int
    kind: DocumentOutKind
    kind_label: str
    legal_note: str
    new: bool
    period: str
    published_at: datetime.datetime
    receipts_path: None | str
    size: int
    title: str
    year: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contract_number = self.contract_number

        download_path = self.download_path

        has_receipts = self.has_receipts

        id = self.id

        kind = self.kind.value

        kind_label = self.kind_label

        legal_note = self.legal_note

        new = self.new

        period = self.period

        published_at = self.published_at.isoformat()

        receipts_path: None | str
        receipts_path = self.receipts_path

        size = self.size

        title = self.title

        year = self.year

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contract_number": contract_number,
                "download_path": download_path,
                "has_receipts": has_receipts,
                "id": id,
                "kind": kind,
                "kind_label": kind_label,
                "legal_note": legal_note,
                "new": new,
                "period": period,
                "published_at": published_at,
                "receipts_path": receipts_path,
                "size": size,
                "title": title,
                "year": year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contract_number = d.pop("contract_number")

        download_path = d.pop("download_path")

        has_receipts = d.pop("has_receipts")

        id = d.pop("id")

        kind = DocumentOutKind(d.pop("kind"))

        kind_label = d.pop("kind_label")

        legal_note = d.pop("legal_note")

        new = d.pop("new")

        period = d.pop("period")

        published_at = datetime.datetime.fromisoformat(d.pop("published_at"))

        def _parse_receipts_path(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        receipts_path = _parse_receipts_path(d.pop("receipts_path"))

        size = d.pop("size")

        title = d.pop("title")

        year = d.pop("year")

        document_out = cls(
            contract_number=contract_number,
            download_path=download_path,
            has_receipts=has_receipts,
            id=id,
            kind=kind,
            kind_label=kind_label,
            legal_note=legal_note,
            new=new,
            period=period,
            published_at=published_at,
            receipts_path=receipts_path,
            size=size,
            title=title,
            year=year,
        )

        document_out.additional_properties = d
        return document_out

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
