from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("My documents")

    def ready(self) -> None:
        from tenants.registry import NavItem, register_nav_item

        register_nav_item(NavItem("documents", _("My documents"), "documents:index", 30))
