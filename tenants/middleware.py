from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """German unless the visitor chose English with the switch in the page.

    Django would follow the browser's Accept-Language; many tenants use phones set to English
    without reading English, so only an explicit choice (the language cookie) counts.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateNoStoreMiddleware:
    """Signed-in pages and downloads carry names, contracts and bank details: no cache (the
    browser's back/forward cache, a shared proxy) may keep them. A view that sets its own
    Cache-Control (e.g. the consumption chart, which holds no names) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
