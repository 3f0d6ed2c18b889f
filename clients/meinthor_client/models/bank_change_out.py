from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bank_change_out_status import BankChangeOutStatus

T = TypeVar("T", bound="BankChangeOut")


@_attrs_define
class BankChangeOut:
    """
    Attributes:
        bank_name (str):
        bic (str):
        can_withdraw (bool):
        contract_number (str):
        due_date (datetime.date | None):
        effective_month (datetime.date):
        effective_month_label (str):
        holder_address (str):
        holder_is_tenant (bool):
        holder_name (str):
        iban_masked (str):
        id (int):
        mandate_reference (str):
        received_at (datetime.datetime):
        rejection_reason (str):
        status (BankChangeOutStatus):
        status_label (str):
        summary (str):
    """

    bank_name: str
    bic: str
    can_withdraw: bool
    contract_number: str
    due_date: datetime.date | None
    effective_month: datetime.date
    effective_month_label: str
    holder_address: str
    holder_is_tenant: bool
    holder_name: str
    iban_masked: str
    id: int
    mandate_reference: str
    received_at: datetime.datetime
    rejection_reason: str
    status: BankChangeOutStatus
    status_label: str
    summary: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bank_name = self.bank_name

        bic = self.bic

        can_withdraw = self.can_withdraw

        contract_number = self.contract_number

        due_date: None | str
        if isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        effective_month = self.effective_month.isoformat()

        effective_month_label = self.effective_month_label

        holder_address = self.holder_address

        holder_is_tenant = self.holder_is_tenant

        holder_name = self.holder_name

        iban_masked = self.iban_masked

        id = self.id

        mandate_reference = self.mandate_reference

        received_at = self.received_at.isoformat()

        rejection_reason = self.rejection_reason

        status = self.status.value

        status_label = self.status_label

        summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bank_name": bank_name,
                "bic": bic,
                "can_withdraw": can_withdraw,
                "contract_number": contract_number,
                "due_date": due_date,
                "effective_month": effective_month,
                "effective_month_label": effective_month_label,
                "holder_address": holder_address,
                "holder_is_tenant": holder_is_tenant,
                "holder_name": holder_name,
                "iban_masked": iban_masked,
                "id": id,
                "mandate_reference": mandate_reference,
                "received_at": received_at,
                "rejection_reason": rejection_reason,
                "status": status,
                "status_label": status_label,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bank_name = d.pop("bank_name")

        bic = d.pop("bic")

        can_withdraw = d.pop("can_withdraw")

        contract_number = d.pop("contract_number")

        def _parse_due_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)

                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_date = _parse_due_date(d.pop("due_date"))

        effective_month = datetime.date.fromisoformat(d.pop("effective_month"))

        effective_month_label = d.pop("effective_month_label")

        holder_address = d.pop("holder_address")

        holder_is_tenant = d.pop("holder_is_tenant")

        holder_name = d.pop("holder_name")

        iban_masked = d.pop("iban_masked")

        id = d.pop("id")

        mandate_reference = d.pop("mandate_reference")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        rejection_reason = d.pop("rejection_reason")

        status = BankChangeOutStatus(d.pop("status"))

        status_label = d.pop("status_label")

        summary = d.pop("summary")

        bank_change_out = cls(
            bank_name=bank_name,
            bic=bic,
            can_withdraw=can_withdraw,
            contract_number=contract_number,
            due_date=due_date,
            effective_month=effective_month,
            effective_month_label=effective_month_label,
            holder_address=holder_address,
            holder_is_tenant=holder_is_tenant,
            holder_name=holder_name,
            iban_masked=iban_masked,
            id=id,
            mandate_reference=mandate_reference,
            received_at=received_at,
            rejection_reason=rejection_reason,
            status=status,
            status_label=status_label,
            summary=summary,
        )

        bank_change_out.additional_properties = d
        return bank_change_out

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
