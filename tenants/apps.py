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

        from .changes_job import CHANGES_EXPORT_JOB
        from .erp.jobs import ERP_IMPORT_JOB
        from .registry import register_job_kind

        register_job_kind(ERP_IMPORT_JOB)
        register_job_kind(CHANGES_EXPORT_JOB)
