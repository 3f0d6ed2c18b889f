"""Contains all the data models used in inputs/outputs"""

from .account_created import AccountCreated
from .account_in import AccountIn
from .account_in_language_type_0 import AccountInLanguageType0
from .address import Address
from .attachment_limits import AttachmentLimits
from .attachment_out import AttachmentOut
from .bank_change_in import BankChangeIn
from .bank_change_out import BankChangeOut
from .bank_change_out_status import BankChangeOutStatus
from .bank_details_out import BankDetailsOut
from .categories import Categories
from .category_group import CategoryGroup
from .category_group_group import CategoryGroupGroup
from .category_out import CategoryOut
from .category_out_group import CategoryOutGroup
from .category_ref import CategoryRef
from .choice import Choice
from .code_checked import CodeChecked
from .code_in import CodeIn
from .confirm_in import ConfirmIn
from .confirm_link_in import ConfirmLinkIn
from .consumption_filter import ConsumptionFilter
from .consumption_filter_kind_type_0 import ConsumptionFilterKindType0
from .consumption_out import ConsumptionOut
from .consumption_overview_kind_type_0 import ConsumptionOverviewKindType0
from .contact_person_out import ContactPersonOut
from .contract_detail import ContractDetail
from .contract_detail_state import ContractDetailState
from .contract_list import ContractList
from .contract_summary import ContractSummary
from .contract_summary_state import ContractSummaryState
from .creditor_out import CreditorOut
from .detail_row import DetailRow
from .document_filter import DocumentFilter
from .document_filter_kind_type_0 import DocumentFilterKindType0
from .document_list_kind_type_0 import DocumentListKindType0
from .document_out import DocumentOut
from .document_out_kind import DocumentOutKind
from .emergency import Emergency
from .fact_out import FactOut
from .fact_out_key import FactOutKey
from .fact_out_tone import FactOutTone
from .field_error import FieldError
from .form_field import FormField
from .form_field_kind import FormFieldKind
from .forms_out import FormsOut
from .iban_checked import IbanChecked
from .iban_in import IbanIn
from .input_ import Input
from .kind_out import KindOut
from .kind_out_kind import KindOutKind
from .kind_out_unit import KindOutUnit
from .mandate_out import MandateOut
from .me import Me
from .me_language import MeLanguage
from .message_out import MessageOut
from .month_out import MonthOut
from .month_out_tone import MonthOutTone
from .notice_detail import NoticeDetail
from .notice_detail_kind import NoticeDetailKind
from .notice_detail_scope import NoticeDetailScope
from .notice_item import NoticeItem
from .notice_item_kind import NoticeItemKind
from .open_change_out import OpenChangeOut
from .paged_document_out import PagedDocumentOut
from .paged_notice_item import PagedNoticeItem
from .paged_request_item import PagedRequestItem
from .partner_out import PartnerOut
from .period_out import PeriodOut
from .personal_form_out import PersonalFormOut
from .personal_form_query import PersonalFormQuery
from .preference import Preference
from .preference_in import PreferenceIn
from .problem import Problem
from .profile_in import ProfileIn
from .profile_in_language_type_0 import ProfileInLanguageType0
from .receipt_out import ReceiptOut
from .receipts_out import ReceiptsOut
from .rent_account_out import RentAccountOut
from .rent_out import RentOut
from .reply_in import ReplyIn
from .request_create_multi_part_body_params import RequestCreateMultiPartBodyParams
from .request_detail import RequestDetail
from .request_detail_status import RequestDetailStatus
from .request_in import RequestIn
from .request_item import RequestItem
from .request_item_status import RequestItemStatus
from .request_reply_multi_part_body_params import RequestReplyMultiPartBodyParams
from .static_form_out import StaticFormOut
from .status_change_out import StatusChangeOut
from .status_change_out_status import StatusChangeOutStatus
from .unit_out import UnitOut
from .upcoming_mandate_out import UpcomingMandateOut
from .welcome import Welcome
from .welcome_language import WelcomeLanguage

__all__ = (
    "AccountCreated",
    "AccountIn",
    "AccountInLanguageType0",
    "Address",
    "AttachmentLimits",
    "AttachmentOut",
    "BankChangeIn",
    "BankChangeOut",
    "BankChangeOutStatus",
    "BankDetailsOut",
    "Categories",
    "CategoryGroup",
    "CategoryGroupGroup",
    "CategoryOut",
    "CategoryOutGroup",
    "CategoryRef",
    "Choice",
    "CodeChecked",
    "CodeIn",
    "ConfirmIn",
    "ConfirmLinkIn",
    "ConsumptionFilter",
    "ConsumptionFilterKindType0",
    "ConsumptionOut",
    "ConsumptionOverviewKindType0",
    "ContactPersonOut",
    "ContractDetail",
    "ContractDetailState",
    "ContractList",
    "ContractSummary",
    "ContractSummaryState",
    "CreditorOut",
    "DetailRow",
    "DocumentFilter",
    "DocumentFilterKindType0",
    "DocumentListKindType0",
    "DocumentOut",
    "DocumentOutKind",
    "Emergency",
    "FactOut",
    "FactOutKey",
    "FactOutTone",
    "FieldError",
    "FormField",
    "FormFieldKind",
    "FormsOut",
    "IbanChecked",
    "IbanIn",
    "Input",
    "KindOut",
    "KindOutKind",
    "KindOutUnit",
    "MandateOut",
    "Me",
    "MeLanguage",
    "MessageOut",
    "MonthOut",
    "MonthOutTone",
    "NoticeDetail",
    "NoticeDetailKind",
    "NoticeDetailScope",
    "NoticeItem",
    "NoticeItemKind",
    "OpenChangeOut",
    "PagedDocumentOut",
    "PagedNoticeItem",
    "PagedRequestItem",
    "PartnerOut",
    "PeriodOut",
    "PersonalFormOut",
    "PersonalFormQuery",
    "Preference",
    "PreferenceIn",
    "Problem",
    "ProfileIn",
    "ProfileInLanguageType0",
    "ReceiptOut",
    "ReceiptsOut",
    "RentAccountOut",
    "RentOut",
    "ReplyIn",
    "RequestCreateMultiPartBodyParams",
    "RequestDetail",
    "RequestDetailStatus",
    "RequestIn",
    "RequestItem",
    "RequestItemStatus",
    "RequestReplyMultiPartBodyParams",
    "StaticFormOut",
    "StatusChangeOut",
    "StatusChangeOutStatus",
    "UnitOut",
    "UpcomingMandateOut",
    "Welcome",
    "WelcomeLanguage",
)
