from django.urls import path

from . import privacy_views, sessions, views

app_name = "tenants"

urlpatterns = [
    path("", views.home, name="home"),
    path("hilfe/", views.help_page, name="help"),
    path("profil/", views.profile, name="profile"),
    path("profil/meine-daten/", privacy_views.privacy_data, name="privacy_data"),
    path(
        "profil/meine-daten/anfordern/",
        privacy_views.privacy_export_request,
        name="privacy_export_request",
    ),
    path(
        "profil/meine-daten/<int:job_id>/herunterladen/",
        privacy_views.privacy_export_download,
        name="privacy_export_download",
    ),
    path("profil/zugang-schliessen/", privacy_views.privacy_account_close, name="account_close"),
    path("zugang-geschlossen/", privacy_views.privacy_account_closed, name="account_closed"),
    path("profil/neues-geraet/", sessions.new_device_notice, name="new_device_notice"),
    path("datenschutz/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("nutzungsbedingungen/", views.legal_page, {"page": "terms"}, name="terms"),
    # Installable portal: the worker must live at the root to control every page.
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
