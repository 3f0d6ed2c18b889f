from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestsConfig(AppConfig):
    name = "requests"
    # The admin section's title: clerks' words, not the tenant's navigation.
    verbose_name = pgettext_lazy("admin section", "Requests")

    def ready(self) -> None:
        from tenants.models import Area
        from tenants.registry import (
            DashboardCard,
            DemoSeeder,
            NavItem,
            register_dashboard_card,
            register_demo_seeder,
            register_nav_item,
        )
        from tenants.roles import grant_to_group

        from .dashboard import requests_card
        from .demo import seed_requests

        register_nav_item(NavItem("contact", _("Contact"), "requests:index", 50))
        # First on the start page: what the tenant is waiting for, and the quick actions.
        register_dashboard_card(DashboardCard("requests", "requests/card.html", 5, requests_card))
        handling = (
            "requests.view_contactrequest",
            "requests.change_contactrequest",
            "requests.view_category",
            "tenants.view_user",
        )
        for area in (Area.CUSTOMER_SERVICE, Area.ACCOUNTING, Area.TECHNICAL):
            grant_to_group(area, *handling)
        grant_to_group(Area.CUSTOMER_SERVICE, "requests.add_category", "requests.change_category")
        register_demo_seeder(DemoSeeder("requests", seed_requests, order=50))

        from tenants.registry import WorkplacePanel, register_workplace_panel

        from .workplace import contact_request_items

        register_workplace_panel(
            WorkplacePanel(
                key="requests",
                order=10,
                permission="requests.view_contactrequest",
                items=contact_request_items,
                title=pgettext_lazy("workplace panel", "Kontakt requests"),
            )
        )

        from documents.registry import PersonalForm, register_personal_form

        register_personal_form(
            PersonalForm(
                "mietbescheinigung",
                _("Request a rent certificate (Mietbescheinigung)"),
                _("We prepare it with your data and put it into “My documents”."),
                30,
                _rent_certificate_request,
            )
        )


def _rent_certificate_request(request, tenant):
    # A certificate is signed by a clerk: the form opens the prefilled request in "Kontakt".
    from django.http import HttpResponseRedirect
    from django.urls import reverse

    from .models import Category

    category = Category.objects.filter(name="Mietbescheinigung", is_active=True).first()
    if category is None:
        return HttpResponseRedirect(reverse("requests:choose"))
    return HttpResponseRedirect(reverse("requests:create", args=[category.pk]))
