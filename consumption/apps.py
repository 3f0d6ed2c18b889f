from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsumptionConfig(AppConfig):
    name = "consumption"
    # The admin section's title: clerks' words, not the tenant's navigation.
    verbose_name = pgettext_lazy("admin section", "Consumption")

    def ready(self) -> None:
        from tenants.cards import card_cache_bump_on_change
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

        from .dashboard import consumption_card
        from .demo import seed_consumption
        from .models import Benchmark, Meter

        # Technik edits meters (e.g. one no longer read remotely) and benchmarks in the admin:
        # every consumption card and page shows the change at once (rare edits; the import
        # renews them itself).
        card_cache_bump_on_change(Meter, "consumption")
        card_cache_bump_on_change(Benchmark, "consumption")

        register_nav_item(
            NavItem(
                "consumption",
                _("My consumption"),
                "consumption:index",
                40,
                # "Usage": "Consumption" does not fit beside four other tabs on a phone.
                pgettext_lazy("tab bar", "Usage"),
            )
        )
        register_dashboard_card(
            DashboardCard("consumption", "consumption/card.html", 30, consumption_card)
        )
        grant_to_group(
            Area.TECHNICAL,
            "consumption.view_meter",
            "consumption.add_meter",
            "consumption.change_meter",
            "consumption.view_reading",
            "consumption.view_benchmark",
            "consumption.add_benchmark",
            "consumption.change_benchmark",
            "consumption.view_importrun",
        )
        grant_to_group(
            Area.CUSTOMER_SERVICE,
            "consumption.view_meter",
            "consumption.view_reading",
            "consumption.view_monthlynotice",
        )
        register_demo_seeder(DemoSeeder("consumption", seed_consumption, order=45))
