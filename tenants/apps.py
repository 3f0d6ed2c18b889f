from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and base data")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .registry import NavItem, register_nav_item

        register_nav_item(NavItem("home", _("Overview"), "tenants:home", 0))
        register_nav_item(NavItem("help", _("Help"), "tenants:help", 100))
