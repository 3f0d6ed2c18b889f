from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.notice_detail_kind import NoticeDetailKind
from ..models.notice_detail_scope import NoticeDetailScope

T = TypeVar("T", bound="NoticeDetail")


@_attrs_define
class NoticeDetail:
    """
    Attributes:
        id (int):
        kind (NoticeDetailKind):
        kind_label (str):
        period (str):
        published_at (datetime.datetime):
        read (bool):
        scope (NoticeDetailScope):
        text (str):
        title (str):
        urgent (bool):
        urgent_label (str):
        valid_from (datetime.date):
        valid_until (datetime.date):
        where (str):
    """

    id: int
    kind: NoticeDetailKind
    kind_label: str
    period: str
    published_at: datetime.datetime
    read: bool
    scope: NoticeDetailScope
    text: str
    title: str
    urgent: bool
    urgent_label: str
    valid_from: datetime.date
    valid_until: datetime.date
    where: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        kind_label = self.kind_label

        period = self.period

        published_at = self.published_at.isoformat()

        read = self.read

        scope = self.scope.value

        text = self.text

        title = self.title

        urgent = self.urgent

        urgent_label = self.urgent_label

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        where = self.where

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "kind_label": kind_label,
                "period": period,
                "published_at": published_at,
                "read": read,
                "scope": scope,
                "text": text,
                "title": title,
                "urgent": urgent,
                "urgent_label": urgent_label,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "where": where,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = NoticeDetailKind(d.pop("kind"))

        kind_label = d.pop("kind_label")

        period = d.pop("period")

        published_at = datetime.datetime.fromisoformat(d.pop("published_at"))

        read = d.pop("read")

        scope = NoticeDetailScope(d.pop("scope"))

        text = d.pop("text")

        title = d.pop("title")

        urgent = d.pop("urgent")

        urgent_label = d.pop("urgent_label")

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        where = d.pop("where")

        notice_detail = cls(
            id=id,
            kind=kind,
            kind_label=kind_label,
            period=period,
            published_at=published_at,
            read=read,
            scope=scope,
            text=text,
            title=title,
            urgent=urgent,
            urgent_label=urgent_label,
            valid_from=valid_from,
            valid_until=valid_until,
            where=where,
        )

        notice_detail.additional_properties = d
        return notice_detail

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
