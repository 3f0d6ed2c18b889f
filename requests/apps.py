from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "requests"
    verbose_name = _("Contact")

    def ready(self) -> None:
        from tenants.registry import NavItem, register_nav_item

        register_nav_item(NavItem("contact", _("Contact"), "requests:index", 50))
