from django.conf import settings
from django.urls import reverse

from .registry import nav_items


def portal(request):
    """Branding and navigation for every page."""
    return {
        "portal": branding(),
        "nav_items": _navigation(request.path),
        # Area pages by key (e.g. nav_urls.contact), for links from base templates.
        "nav_urls": {item.key: reverse(item.url_name) for item in nav_items()},
        "admin_url": "/" + settings.ADMIN_URL,
    }


def _navigation(path: str) -> list[dict]:
    items = []
    for item in nav_items():
        url = reverse(item.url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append(
            {
                "key": item.key,
                "label": item.label,
                "short_label": item.short_label,
                "url": url,
                "current": current,
            }
        )
    return items


def branding() -> dict[str, str]:
    return {
        "name": settings.PORTAL_NAME,
        "company": settings.PORTAL_COMPANY,
        "support_email": settings.PORTAL_SUPPORT_EMAIL,
        "emergency_phone": settings.PORTAL_EMERGENCY_PHONE,
        "emergency_phone_uri": "tel:+49"
        + "".join(c for c in settings.PORTAL_EMERGENCY_PHONE.lstrip("0") if c.isdigit()),
        "base_url": settings.PORTAL_BASE_URL,
    }
