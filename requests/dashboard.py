"""The Kontakt area's card and quick actions on the start page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Category
from .selectors import category_quick_actions, request_open_count, request_open_list

SHOWN = 3


def requests_card(request, tenant) -> dict:
    """The card "Your requests": open ones with status and latest answer; three queries."""
    categories = category_quick_actions()

    def url(form: str) -> str:
        category = categories[form]
        if category is None:
            return reverse("requests:choose")
        return reverse("requests:create", args=[category.pk])

    return {
        "requests": request_open_list(tenant=tenant, limit=SHOWN),
        "open_count": request_open_count(tenant=tenant),
        # Collected by the start page into its row of quick actions (see DashboardCard).
        "actions": [
            {
                "key": "damage",
                "label": _("Report damage"),
                "url": url(Category.Form.DAMAGE),
                "icon": "wrench",
                "order": 10,
            },
            {
                "key": "document",
                "label": _("Request a document"),
                "url": url(Category.Form.DOCUMENT),
                "icon": "file-plus",
                "order": 20,
            },
            {
                "key": "address",
                "label": _("Change address"),
                "url": url(Category.Form.ADDRESS),
                "icon": "map-pin",
                "order": 40,
            },
        ],
    }
