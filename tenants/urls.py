from django.urls import path

from . import views

app_name = "tenants"

urlpatterns = [
    path("", views.home, name="home"),
    path("hilfe/", views.help_page, name="help"),
    path("profil/", views.profile, name="profile"),
    path("datenschutz/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("nutzungsbedingungen/", views.legal_page, {"page": "terms"}, name="terms"),
    # Installable portal: the worker must live at the root to control every page.
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
