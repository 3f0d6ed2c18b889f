from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.request_detail_status import RequestDetailStatus

if TYPE_CHECKING:
    from ..models.category_ref import CategoryRef
    from ..models.detail_row import DetailRow
    from ..models.message_out import MessageOut
    from ..models.status_change_out import StatusChangeOut


T = TypeVar("T", bound="RequestDetail")


@_attrs_define
class RequestDetail:
    """
    Attributes:
        can_reply (bool):
        category (CategoryRef):
        created_at (datetime.datetime):
        details (list[DetailRow]):
        messages (list[MessageOut]):
        reference (str):
        shows_emergency (bool):
        status (RequestDetailStatus):
        status_history (list[StatusChangeOut]):
        status_label (str):
        subject (str):
        unit (None | str):
    """

    can_reply: bool
    category: CategoryRef
    created_at: datetime.datetime
    details: list[DetailRow]
    messages: list[MessageOut]
    reference: str
    shows_emergency: bool
    status: RequestDetailStatus
    status_history: list[StatusChangeOut]
    status_label: str
    subject: str
    unit: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        can_reply = self.can_reply

        category = self.category.to_dict()

        created_at = self.created_at.isoformat()

        details = []
        for details_item_data in self.details:
            details_item = details_item_data.to_dict()
            details.append(details_item)

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        reference = self.reference

        shows_emergency = self.shows_emergency

        status = self.status.value

        status_history = []
        for status_history_item_data in self.status_history:
            status_history_item = status_history_item_data.to_dict()
            status_history.append(status_history_item)

        status_label = self.status_label

        subject = self.subject

        unit: None | str
        unit = self.unit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "can_reply": can_reply,
                "category": category,
                "created_at": created_at,
                "details": details,
                "messages": messages,
                "reference": reference,
                "shows_emergency": shows_emergency,
                "status": status,
                "status_history": status_history,
                "status_label": status_label,
                "subject": subject,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_ref import CategoryRef  # noqa: PLC0415
        from ..models.detail_row import DetailRow  # noqa: PLC0415
        from ..models.message_out import MessageOut  # noqa: PLC0415
        from ..models.status_change_out import StatusChangeOut  # noqa: PLC0415

        d = dict(src_dict)
        can_reply = d.pop("can_reply")

        category = CategoryRef.from_dict(d.pop("category"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        details = []
        _details = d.pop("details")
        for details_item_data in _details:
            details_item = DetailRow.from_dict(details_item_data)

            details.append(details_item)

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = MessageOut.from_dict(messages_item_data)

            messages.append(messages_item)

        reference = d.pop("reference")

        shows_emergency = d.pop("shows_emergency")

        status = RequestDetailStatus(d.pop("status"))

        status_history = []
        _status_history = d.pop("status_history")
        for status_history_item_data in _status_history:
            status_history_item = StatusChangeOut.from_dict(status_history_item_data)

            status_history.append(status_history_item)

        status_label = d.pop("status_label")

        subject = d.pop("subject")

        def _parse_unit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unit = _parse_unit(d.pop("unit"))

        request_detail = cls(
            can_reply=can_reply,
            category=category,
            created_at=created_at,
            details=details,
            messages=messages,
            reference=reference,
            shows_emergency=shows_emergency,
            status=status,
            status_history=status_history,
            status_label=status_label,
            subject=subject,
            unit=unit,
        )

        request_detail.additional_properties = d
        return request_detail

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
