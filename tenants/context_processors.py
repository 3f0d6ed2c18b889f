import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from .registry import nav_items

# The frame's own links (base.html), resolved like the navigation's.
FRAME_URLS = (
    ("set_language", "set_language"),
    ("profile", "tenants:profile"),
    ("login", "account_login"),
)


def portal(request):
    """Branding and navigation for every page."""
    urls = _nav_urls()
    return {
        "portal": branding(),
        # Built only when base.html's navigation fragment is not cached (a callable).
        "nav_items": functools.partial(_navigation, request.path),
        # The current area's key: the navigation's fragment in base.html varies on it.
        "nav_current": next((key for key, url in urls.items() if _current(request.path, url)), ""),
        # Area pages by key (e.g. nav_urls.contact), for links from base templates.
        "nav_urls": urls,
        "frame_urls": _resolved(FRAME_URLS, *_url_configuration()),
        "admin_url": "/" + settings.ADMIN_URL,
    }


def _url_configuration() -> tuple[str, str]:
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def _nav_urls() -> dict[str, str]:
    """{key: URL} of the navigation, resolved once per URL configuration (not per request)."""
    entries = tuple((item.key, item.url_name) for item in nav_items())
    return _resolved(entries, *_url_configuration())


@functools.lru_cache(maxsize=32)
def _resolved(entries: tuple, prefix: str, urlconf) -> dict[str, str]:
    return {key: reverse(url_name) for key, url_name in entries}


def _current(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def _navigation(path: str) -> list[dict]:
    urls = _nav_urls()
    items = []
    for item in nav_items():
        url = urls[item.key]
        current = _current(path, url)
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
