"""App API: "Aushänge" (notices for the tenant's buildings) and the mail preference.

Thin: the notices are the page's (``notice_queryset``/``notice_open``: property, building or all,
published and current, only for current and upcoming tenancies), opening one marks it read like
the page, and the preference is validated by the profile's form and saved by its service.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import Router, Schema
from ninja.pagination import paginate

from tenants.apikit import NewestFirst, form_data, problem_responses
from tenants.i18n import localized

from .forms import NoticePreferenceForm
from .models import Notice
from .selectors import notice_preference_get, notice_queryset
from .services import notice_open, notice_preference_set

router = Router(tags=["Aushänge / Notices"])

NoticeKind = Literal["outage", "maintenance", "construction", "general"]


def _period(notice: Notice) -> str:
    """As the pages write it (notices/_period.html)."""
    start = date_format(notice.valid_from, "SHORT_DATE_FORMAT")
    if notice.valid_from == notice.valid_until:
        return _("on %(day)s") % {"day": start}
    end = date_format(notice.valid_until, "SHORT_DATE_FORMAT")
    return _("%(start)s to %(end)s") % {"start": start, "end": end}


class NoticeItem(Schema):
    id: int
    kind: NoticeKind
    kind_label: str
    title: str
    urgent: bool
    urgent_label: str
    valid_from: date
    valid_until: date
    period: str
    published_at: datetime
    read: bool

    @staticmethod
    def resolve_kind_label(obj: Notice) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_title(obj: Notice) -> str:
        return localized(obj, "title")

    @staticmethod
    def resolve_urgent_label(obj: Notice) -> str:
        return pgettext("notice badge", "Urgent") if obj.urgent else ""

    @staticmethod
    def resolve_period(obj: Notice) -> str:
        return _period(obj)

    @staticmethod
    def resolve_read(obj: Notice) -> bool:
        return bool(obj.is_read)


class NoticeDetail(NoticeItem):
    text: str
    scope: Literal["building", "property", "all"]
    where: str

    @staticmethod
    def resolve_text(obj: Notice) -> str:
        return localized(obj, "text")

    @staticmethod
    def resolve_scope(obj: Notice) -> str:
        if obj.street:
            return "building"
        return "property" if obj.property_id else "all"

    @staticmethod
    def resolve_where(obj: Notice) -> str:
        if obj.street:
            return obj.street
        return _("Your whole property") if obj.property_id else _("All our properties")


class Preference(Schema):
    notices_by_email: bool
    label: str
    explanation: str


class PreferenceIn(Schema):
    notices_by_email: bool


def _preference(notices_by_email: bool) -> dict:
    return {
        "notices_by_email": notices_by_email,
        "label": str(NoticePreferenceForm.base_fields["notices_by_email"].label),
        "explanation": _(
            "Urgent notices for your building – the lift is out, the water is off – always "
            "reach you by e-mail. Other notices are on the start page."
        ),
    }


@router.get(
    "/preference",
    response={200: Preference, **problem_responses()},
    summary="Whether every notice comes by e-mail",
    operation_id="notice_preference_get",  # the selector has the name
)
def preference_get(request: HttpRequest):
    """The choice of the profile page: every notice by e-mail, or only urgent ones (urgent
    notices are always mailed)."""
    return _preference(notice_preference_get(user=request.user))


@router.put(
    "/preference",
    response={200: Preference, **problem_responses(422)},
    summary="Choose whether every notice comes by e-mail",
    operation_id="notice_preference_set",  # the service has the name
)
def preference_set(request: HttpRequest, payload: PreferenceIn):
    """Validated by the profile page's form and saved by its service (audited)."""
    data = form_data(NoticePreferenceForm, {"notices_by_email": payload.notices_by_email})
    notice_preference_set(user=request.user, notices_by_email=data["notices_by_email"])
    return _preference(data["notices_by_email"])


@router.get(
    "",
    response={200: list[NoticeItem], **problem_responses(422)},
    summary="Current notices for the tenant's buildings",
)
@paginate(NewestFirst, ordering=("-published_at", "-id"))
def notice_list(request: HttpRequest):
    """The notices the page "Aushänge" shows: for the tenant's property, their building or all
    properties, published and not expired, for current and upcoming tenancies only (a former
    tenant sees none). Newest first, with whether the account has opened each one."""
    return notice_queryset(tenant=request.tenant)


@router.get(
    "/{notice_id}",
    response={200: NoticeDetail, **problem_responses(404)},
    summary="One notice; opening it marks it read",
)
def notice_detail(request: HttpRequest, notice_id: int):
    """A notice outside the tenant's buildings, expired or unpublished answers 404. The first
    opening marks it read, as on the page."""
    notice = notice_open(tenant=request.tenant, notice_id=notice_id)
    notice.is_read = True
    return notice
