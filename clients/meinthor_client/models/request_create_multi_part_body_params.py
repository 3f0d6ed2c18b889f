from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="RequestCreateMultiPartBodyParams")


@_attrs_define
class RequestCreateMultiPartBodyParams:
    """
    Attributes:
        category (int):
        access (str | Unset):  Default: ''.
        address_extra (str | Unset):  Default: ''.
        attachments (list[File] | Unset):
        city (str | Unset):  Default: ''.
        document (str | Unset):  Default: ''.
        getting_worse (str | Unset):  Default: ''.
        location (str | Unset):  Default: ''.
        message (str | Unset):  Default: ''.
        postal_code (str | Unset):  Default: ''.
        since (str | Unset):  Default: ''.
        street (str | Unset):  Default: ''.
        subject (str | Unset):  Default: ''.
        unit (int | None | Unset):
        valid_from (str | Unset):  Default: ''.
        year (str | Unset):  Default: ''.
    """

    category: int
    access: str | Unset = ""
    address_extra: str | Unset = ""
    attachments: list[File] | Unset = UNSET
    city: str | Unset = ""
    document: str | Unset = ""
    getting_worse: str | Unset = ""
    location: str | Unset = ""
    message: str | Unset = ""
    postal_code: str | Unset = ""
    since: str | Unset = ""
    street: str | Unset = ""
    subject: str | Unset = ""
    unit: int | None | Unset = UNSET
    valid_from: str | Unset = ""
    year: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        access = self.access

        address_extra = self.address_extra

        attachments: list[FileTypes] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_tuple()

                attachments.append(attachments_item)

        city = self.city

        document = self.document

        getting_worse = self.getting_worse

        location = self.location

        message = self.message

        postal_code = self.postal_code

        since = self.since

        street = self.street

        subject = self.subject

        unit: int | None | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        valid_from = self.valid_from

        year = self.year

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
            }
        )
        if access is not UNSET:
            field_dict["access"] = access
        if address_extra is not UNSET:
            field_dict["address_extra"] = address_extra
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if city is not UNSET:
            field_dict["city"] = city
        if document is not UNSET:
            field_dict["document"] = document
        if getting_worse is not UNSET:
            field_dict["getting_worse"] = getting_worse
        if location is not UNSET:
            field_dict["location"] = location
        if message is not UNSET:
            field_dict["message"] = message
        if postal_code is not UNSET:
            field_dict["postal_code"] = postal_code
        if since is not UNSET:
            field_dict["since"] = since
        if street is not UNSET:
            field_dict["street"] = street
        if subject is not UNSET:
            field_dict["subject"] = subject
        if unit is not UNSET:
            field_dict["unit"] = unit
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if year is not UNSET:
            field_dict["year"] = year

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("category", (None, str(self.category).encode(), "text/plain")))

        if not isinstance(self.access, Unset):
            files.append(("access", (None, str(self.access).encode(), "text/plain")))

        if not isinstance(self.address_extra, Unset):
            files.append(("address_extra", (None, str(self.address_extra).encode(), "text/plain")))

        if not isinstance(self.attachments, Unset):
            for attachments_item_element in self.attachments:
                files.append(("attachments", attachments_item_element.to_tuple()))

        if not isinstance(self.city, Unset):
            files.append(("city", (None, str(self.city).encode(), "text/plain")))

        if not isinstance(self.document, Unset):
            files.append(("document", (None, str(self.document).encode(), "text/plain")))

        if not isinstance(self.getting_worse, Unset):
            files.append(("getting_worse", (None, str(self.getting_worse).encode(), "text/plain")))

        if not isinstance(self.location, Unset):
            files.append(("location", (None, str(self.location).encode(), "text/plain")))

        if not isinstance(self.message, Unset):
            files.append(("message", (None, str(self.message).encode(), "text/plain")))

        if not isinstance(self.postal_code, Unset):
            files.append(("postal_code", (None, str(self.postal_code).encode(), "text/plain")))

        if not isinstance(self.since, Unset):
            files.append(("since", (None, str(self.since).encode(), "text/plain")))

        if not isinstance(self.street, Unset):
            files.append(("street", (None, str(self.street).encode(), "text/plain")))

        if not isinstance(self.subject, Unset):
            files.append(("subject", (None, str(self.subject).encode(), "text/plain")))

        if not isinstance(self.unit, Unset):
            if isinstance(self.unit, int):
                files.append(("unit", (None, str(self.unit).encode(), "text/plain")))
            else:
                files.append(("unit", (None, str(self.unit).encode(), "text/plain")))

        if not isinstance(self.valid_from, Unset):
            files.append(("valid_from", (None, str(self.valid_from).encode(), "text/plain")))

        if not isinstance(self.year, Unset):
            files.append(("year", (None, str(self.year).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        access = d.pop("access", UNSET)

        address_extra = d.pop("address_extra", UNSET)

        _attachments = d.pop("attachments", UNSET)
        attachments: list[File] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = File(payload=BytesIO(attachments_item_data))

                attachments.append(attachments_item)

        city = d.pop("city", UNSET)

        document = d.pop("document", UNSET)

        getting_worse = d.pop("getting_worse", UNSET)

        location = d.pop("location", UNSET)

        message = d.pop("message", UNSET)

        postal_code = d.pop("postal_code", UNSET)

        since = d.pop("since", UNSET)

        street = d.pop("street", UNSET)

        subject = d.pop("subject", UNSET)

        def _parse_unit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        valid_from = d.pop("valid_from", UNSET)

        year = d.pop("year", UNSET)

        request_create_multi_part_body_params = cls(
            category=category,
            access=access,
            address_extra=address_extra,
            attachments=attachments,
            city=city,
            document=document,
            getting_worse=getting_worse,
            location=location,
            message=message,
            postal_code=postal_code,
            since=since,
            street=street,
            subject=subject,
            unit=unit,
            valid_from=valid_from,
            year=year,
        )

        request_create_multi_part_body_params.additional_properties = d
        return request_create_multi_part_body_params

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
