from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContractsConfig(AppConfig):
    name = "contracts"
    # The admin section's title: clerks' words, not the tenant's navigation.
    verbose_name = pgettext_lazy("admin section", "Bank details")

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

        from .dashboard import contacts_card, contracts_card
        from .demo import seed_bank_details, seed_contracts, seed_rent_accounts

        grant_to_group(Area.CUSTOMER_SERVICE, "contracts.view_bankchangerequest")
        grant_to_group(
            Area.ACCOUNTING,
            "contracts.view_bankchangerequest",
            "contracts.change_bankchangerequest",
            "contracts.view_mandate",
            "contracts.view_full_iban",
            "contracts.view_rentaccount",
            "contracts.view_rentposting",
        )

        register_nav_item(
            NavItem(
                "contracts",
                _("My contracts"),
                "contracts:index",
                20,
                pgettext_lazy("tab bar", "Contracts"),
            )
        )
        register_dashboard_card(
            DashboardCard("contracts", "contracts/card_contracts.html", 10, contracts_card)
        )
        from documents.registry import PersonalForm, register_personal_form

        from .forms_pdf import landlord_confirmation_form, sepa_mandate_form

        register_personal_form(
            PersonalForm(
                "wohnungsgeberbestaetigung",
                _("Landlord's confirmation (Wohnungsgeberbestätigung, § 19 BMG)"),
                _("For registering your address at the residents' registration office."),
                10,
                landlord_confirmation_form,
            )
        )
        register_personal_form(
            PersonalForm(
                "sepa-mandat",
                _("SEPA direct debit mandate"),
                _("Filled in with your contract; faster online under “My contracts”."),
                20,
                sepa_mandate_form,
            )
        )
        register_demo_seeder(DemoSeeder("contracts", seed_contracts, order=10))
        register_demo_seeder(DemoSeeder("bank_details", seed_bank_details, order=20))
        register_demo_seeder(DemoSeeder("rent_accounts", seed_rent_accounts, order=25))
        register_dashboard_card(
            DashboardCard("contacts", "contracts/card_contacts.html", 90, contacts_card)
        )

        from tenants.registry import WorkplacePanel, register_workplace_panel

        from .workplace import bank_change_items

        # Only for those who decide: customer service sees bank changes, but does not approve.
        register_workplace_panel(
            WorkplacePanel(
                key="bank_changes",
                order=20,
                permission="contracts.change_bankchangerequest",
                items=bank_change_items,
                title=_("Bank details waiting for approval"),
            )
        )
