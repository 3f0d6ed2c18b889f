from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsumptionConfig(AppConfig):
    name = "consumption"
    verbose_name = _("My consumption")

    def ready(self) -> None:
        from tenants.registry import NavItem, register_nav_item

        register_nav_item(NavItem("consumption", _("My consumption"), "consumption:index", 40))
