from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = pgettext_lazy("admin section", "Notices")

    def ready(self) -> None:
        from tenants.models import Area
        from tenants.registry import (
            DashboardCard,
            DemoSeeder,
            register_dashboard_card,
            register_demo_seeder,
        )
        from tenants.roles import grant_to_group

        from .dashboard import notices_card
        from .demo import seed_notices

        # No navigation entry: the phone's tab bar is full. The card links to all notices.
        # Second on the start page, right after what the tenant is waiting for.
        register_dashboard_card(DashboardCard("notices", "notices/card.html", 2, notices_card))
        # Customer service and the technical side post notices; accounting does not.
        for area in (Area.CUSTOMER_SERVICE, Area.TECHNICAL):
            grant_to_group(
                area, "notices.view_notice", "notices.add_notice", "notices.change_notice"
            )
        register_demo_seeder(DemoSeeder("notices", seed_notices, order=60))
