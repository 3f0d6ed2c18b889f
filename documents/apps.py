from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentsConfig(AppConfig):
    name = "documents"
    # The admin section's title: clerks' words, not the tenant's navigation.
    verbose_name = pgettext_lazy("admin section", "Documents")

    def ready(self) -> None:
        from tenants.models import Area
        from tenants.registry import (
            DashboardCard,
            DemoSeeder,
            NavItem,
            register_dashboard_card,
            register_demo_seeder,
            register_job_kind,
            register_nav_item,
        )
        from tenants.roles import grant_to_group

        from .dashboard import documents_card
        from .demo import seed_documents
        from .jobs import publish_documents_kind

        register_nav_item(
            NavItem(
                "documents",
                _("My documents"),
                "documents:index",
                30,
                pgettext_lazy("tab bar", "Documents"),
            )
        )
        register_dashboard_card(
            DashboardCard("documents", "documents/card.html", 20, documents_card)
        )
        for area in (Area.CUSTOMER_SERVICE, Area.ACCOUNTING):
            grant_to_group(
                area,
                "documents.view_document",
                "documents.add_document",
                "documents.view_delivery",
                "documents.change_delivery",
                "documents.view_publishbatch",
            )
        # Technik gets no documents: tenants' statements, letters and mandate copies are none of
        # its work, and answering with a document is customer service's and accounting's.
        grant_to_group(
            Area.CUSTOMER_SERVICE,
            "documents.view_staticform",
            "documents.add_staticform",
            "documents.change_staticform",
            "documents.delete_staticform",
        )
        # Belegeinsicht: accounting (operating costs) uploads and corrects the receipts,
        # customer service sees them to answer tenants; Technik none.
        grant_to_group(
            Area.ACCOUNTING,
            "documents.view_receiptset",
            "documents.add_receiptset",
            "documents.change_receiptset",
        )
        grant_to_group(Area.CUSTOMER_SERVICE, "documents.view_receiptset")
        register_demo_seeder(DemoSeeder("documents", seed_documents, order=40))
        register_job_kind(publish_documents_kind)

        from tenants.cards import card_cache_bump_on_change

        from .models import StaticForm

        card_cache_bump_on_change(StaticForm, "forms")  # the Formulare page, kept per language
