from django import template

from tenants.i18n import localized

from ..forms import NoticePreferenceForm
from ..models import Notice
from ..selectors import notice_preference_get, notices_url

register = template.Library()


@register.simple_tag
def notice_preference_form(user) -> dict | None:
    """The profile's notices form (the profile page itself belongs to the base layer)."""
    action = notices_url("preference")
    if action is None:
        return None
    form = NoticePreferenceForm(
        initial={"notices_by_email": notice_preference_get(user=user)}, prefix="notices"
    )
    return {"form": form, "action": action}


@register.filter
def notice_text(notice, field: str) -> str:
    """A notice's title or text in the active language (the page's or the recipient's)."""
    if not isinstance(notice, Notice):
        return ""
    return localized(notice, field)
