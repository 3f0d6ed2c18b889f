from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.request_item_status import RequestItemStatus

if TYPE_CHECKING:
    from ..models.category_ref import CategoryRef


T = TypeVar("T", bound="RequestItem")


@_attrs_define
class RequestItem:
    """
    Attributes:
        answers (int):
        category (CategoryRef):
        created_at (datetime.datetime):
        latest_answer (None | str):
        latest_answer_at (datetime.datetime | None):
        reference (str):
        status (RequestItemStatus):
        status_label (str):
        subject (str):
    """

    answers: int
    category: CategoryRef
    created_at: datetime.datetime
    latest_answer: None | str
    latest_answer_at: datetime.datetime | None
    reference: str
    status: RequestItemStatus
    status_label: str
    subject: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answers = self.answers

        category = self.category.to_dict()

        created_at = self.created_at.isoformat()

        latest_answer: None | str
        latest_answer = self.latest_answer

        latest_answer_at: None | str
        if isinstance(self.latest_answer_at, datetime.datetime):
            latest_answer_at = self.latest_answer_at.isoformat()
        else:
            latest_answer_at = self.latest_answer_at

        reference = self.reference

        status = self.status.value

        status_label = self.status_label

        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answers": answers,
                "category": category,
                "created_at": created_at,
                "latest_answer": latest_answer,
                "latest_answer_at": latest_answer_at,
                "reference": reference,
                "status": status,
                "status_label": status_label,
                "subject": subject,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_ref import CategoryRef  # noqa: PLC0415

        d = dict(src_dict)
        answers = d.pop("answers")

        category = CategoryRef.from_dict(d.pop("category"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_latest_answer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        latest_answer = _parse_latest_answer(d.pop("latest_answer"))

        def _parse_latest_answer_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                latest_answer_at_type_0 = datetime.datetime.fromisoformat(data)

                return latest_answer_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        latest_answer_at = _parse_latest_answer_at(d.pop("latest_answer_at"))

        reference = d.pop("reference")

        status = RequestItemStatus(d.pop("status"))

        status_label = d.pop("status_label")

        subject = d.pop("subject")

        request_item = cls(
            answers=answers,
            category=category,
            created_at=created_at,
            latest_answer=latest_answer,
            latest_answer_at=latest_answer_at,
            reference=reference,
            status=status,
            status_label=status_label,
            subject=subject,
        )

        request_item.additional_properties = d
        return request_item

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
