from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.contract_detail_state import ContractDetailState

if TYPE_CHECKING:
    from ..models.bank_details_out import BankDetailsOut
    from ..models.contact_person_out import ContactPersonOut
    from ..models.partner_out import PartnerOut
    from ..models.rent_account_out import RentAccountOut
    from ..models.rent_out import RentOut
    from ..models.unit_out import UnitOut


T = TypeVar("T", bound="ContractDetail")


@_attrs_define
class ContractDetail:
    """
    Attributes:
        bank_details (BankDetailsOut):
        contact_persons (list[ContactPersonOut]):
        contract_number (str):
        end_date (datetime.date | None):
        label (str):
        partners (list[PartnerOut]):
        rent (RentOut): The monthly rent as agreed in the contract.
        rent_account (None | RentAccountOut):
        start_date (datetime.date):
        state (ContractDetailState):
        state_label (str):
        unit (UnitOut):
    """

    bank_details: BankDetailsOut
    contact_persons: list[ContactPersonOut]
    contract_number: str
    end_date: datetime.date | None
    label: str
    partners: list[PartnerOut]
    rent: RentOut
    rent_account: None | RentAccountOut
    start_date: datetime.date
    state: ContractDetailState
    state_label: str
    unit: UnitOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.rent_account_out import RentAccountOut  # noqa: PLC0415

        bank_details = self.bank_details.to_dict()

        contact_persons = []
        for contact_persons_item_data in self.contact_persons:
            contact_persons_item = contact_persons_item_data.to_dict()
            contact_persons.append(contact_persons_item)

        contract_number = self.contract_number

        end_date: None | str
        if isinstance(self.end_date, datetime.date):
            end_date = self.end_date.isoformat()
        else:
            end_date = self.end_date

        label = self.label

        partners = []
        for partners_item_data in self.partners:
            partners_item = partners_item_data.to_dict()
            partners.append(partners_item)

        rent = self.rent.to_dict()

        rent_account: dict[str, Any] | None
        if isinstance(self.rent_account, RentAccountOut):
            rent_account = self.rent_account.to_dict()
        else:
            rent_account = self.rent_account

        start_date = self.start_date.isoformat()

        state = self.state.value

        state_label = self.state_label

        unit = self.unit.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bank_details": bank_details,
                "contact_persons": contact_persons,
                "contract_number": contract_number,
                "end_date": end_date,
                "label": label,
                "partners": partners,
                "rent": rent,
                "rent_account": rent_account,
                "start_date": start_date,
                "state": state,
                "state_label": state_label,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bank_details_out import BankDetailsOut  # noqa: PLC0415
        from ..models.contact_person_out import ContactPersonOut  # noqa: PLC0415
        from ..models.partner_out import PartnerOut  # noqa: PLC0415
        from ..models.rent_account_out import RentAccountOut  # noqa: PLC0415
        from ..models.rent_out import RentOut  # noqa: PLC0415
        from ..models.unit_out import UnitOut  # noqa: PLC0415

        d = dict(src_dict)
        bank_details = BankDetailsOut.from_dict(d.pop("bank_details"))

        contact_persons = []
        _contact_persons = d.pop("contact_persons")
        for contact_persons_item_data in _contact_persons:
            contact_persons_item = ContactPersonOut.from_dict(contact_persons_item_data)

            contact_persons.append(contact_persons_item)

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

        partners = []
        _partners = d.pop("partners")
        for partners_item_data in _partners:
            partners_item = PartnerOut.from_dict(partners_item_data)

            partners.append(partners_item)

        rent = RentOut.from_dict(d.pop("rent"))

        def _parse_rent_account(data: object) -> None | RentAccountOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rent_account_type_0 = RentAccountOut.from_dict(data)

                return rent_account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RentAccountOut, data)

        rent_account = _parse_rent_account(d.pop("rent_account"))

        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        state = ContractDetailState(d.pop("state"))

        state_label = d.pop("state_label")

        unit = UnitOut.from_dict(d.pop("unit"))

        contract_detail = cls(
            bank_details=bank_details,
            contact_persons=contact_persons,
            contract_number=contract_number,
            end_date=end_date,
            label=label,
            partners=partners,
            rent=rent,
            rent_account=rent_account,
            start_date=start_date,
            state=state,
            state_label=state_label,
            unit=unit,
        )

        contract_detail.additional_properties = d
        return contract_detail

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
