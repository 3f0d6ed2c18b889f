from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.api import api
from tenants.views import healthz

# The admin signs in through the same allauth login (rate limits, one password reset flow).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = format_lazy(_("{portal} – clerks' workplace"), portal=settings.PORTAL_NAME)
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = _("Overview")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
    # The app: sign-in by django-allauth's headless API, everything else by the JSON API.
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", api.urls),
    path("registrieren/", include("registration.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("vertraege/", include("contracts.urls")),
    path("dokumente/", include("documents.urls")),
    path("formulare/", include("documents.forms_urls")),
    path("verbraeuche/", include("consumption.urls")),
    path("kontakt/", include("requests.urls")),
    path("neuigkeiten/", include("notices.urls")),
    path("", include("tenants.urls")),
]
# Deliberately no static() for MEDIA_URL: tenants' files are private.

handler500 = "tenants.views.server_error"
