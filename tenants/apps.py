from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TenantsConfig(AppConfig):
    name = "tenants"
    # The admin section's title: clerks' words, not the tenant's navigation.
    verbose_name = pgettext_lazy("admin section", "Master data")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .registry import NavItem, register_nav_item

        register_nav_item(NavItem("home", _("Overview"), "tenants:home", 0))
        register_nav_item(NavItem("help", _("Help"), "tenants:help", 100))

        from .cards import card_cache_bump_on_change
        from .models import FaqEntry

        card_cache_bump_on_change(FaqEntry, "faq")  # the help page's questions, kept per language

        from .changes_job import CHANGES_EXPORT_JOB
        from .erp.jobs import ERP_IMPORT_JOB
        from .registry import register_job_kind

        register_job_kind(ERP_IMPORT_JOB)
        register_job_kind(CHANGES_EXPORT_JOB)

        from .privacy_export import PRIVACY_EXPORT_JOB

        register_job_kind(PRIVACY_EXPORT_JOB)

        from allauth.account.signals import password_changed, password_reset, user_logged_in

        from . import sessions

        # After allauth.usersessions' receivers (its app is installed first): the current
        # session's row exists when these run.
        user_logged_in.connect(sessions.on_user_logged_in, dispatch_uid="portal_sign_in")
        password_changed.connect(sessions.on_password_changed, dispatch_uid="portal_pw_changed")
        password_reset.connect(sessions.on_password_reset, dispatch_uid="portal_pw_reset")

        # Tenants see and end their own sessions; clerks get no list of everyone's addresses
        # and browsers (allauth registers one; the admin has already loaded it by now).
        from allauth.usersessions.models import UserSession
        from django.contrib import admin

        if admin.site.is_registered(UserSession):
            admin.site.unregister(UserSession)
