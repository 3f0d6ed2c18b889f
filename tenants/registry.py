"""Registries through which the areas plug into the base layer without `tenants` importing them.

Each area app registers its navigation entry, its start-page cards and its demo data in
AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # a lazy translation
    url_name: str
    order: int


@dataclass(frozen=True)
class DashboardCard:
    """A card on the start page.

    `context` gets the request and the acting tenant and returns the template context, or None
    to hide the card. It must run a constant number of queries.
    """

    key: str
    template: str
    order: int
    context: Callable[[HttpRequest, Any], dict | None]


_nav: dict[str, NavItem] = {}
_cards: dict[str, DashboardCard] = {}
_demo_seeders: dict[str, tuple[int, Callable[[Any], None]]] = {}


def register_nav_item(item: NavItem) -> None:
    _nav[item.key] = item


def register_dashboard_card(card: DashboardCard) -> None:
    _cards[card.key] = card


def nav_items() -> list[NavItem]:
    return sorted(_nav.values(), key=lambda item: item.order)


def dashboard_cards() -> list[DashboardCard]:
    return sorted(_cards.values(), key=lambda card: card.order)


def register_demo_seeder(key: str, seeder: Callable[[Any], None], order: int = 50) -> None:
    """`seeder(stdout)` adds an area's demo data after the base data; it must be idempotent.

    Lower `order` runs first (contracts before what builds on contracts).
    """
    _demo_seeders[key] = (order, seeder)


def demo_seeders() -> list[Callable[[Any], None]]:
    return [seeder for _order, seeder in sorted(_demo_seeders.values(), key=lambda s: s[0])]


# The units a tenant rents. The contracts area knows; it registers the lookup here, so that other
# areas (e.g. Kontakt) can ask without importing contracts.
_unit_provider: Callable[[Any], list] | None = None


def register_tenant_units(provider: Callable[[Any], list]) -> None:
    global _unit_provider
    _unit_provider = provider


def tenant_units(tenant) -> list:
    """[(unit, label)] for the tenant's current contracts, in a constant number of queries."""
    return _unit_provider(tenant) if _unit_provider else []


# The partners of a contract, by contract number: for publishing contract documents.
_partner_provider: Callable[[list[str]], dict] | None = None


def register_contract_partners(provider: Callable[[list[str]], dict]) -> None:
    global _partner_provider
    _partner_provider = provider


def contract_partners(contract_numbers: list[str]) -> dict:
    """{contract number: [tenants]} for the numbers that exist, in a constant number of queries."""
    return _partner_provider(contract_numbers) if _partner_provider else {}


# Who rents a unit now: {unit id: [tenant ids]}, for notices about a unit (e.g. consumption).
_unit_tenants_provider: Callable[[list[int]], dict] | None = None


def register_unit_tenants(provider: Callable[[list[int]], dict]) -> None:
    global _unit_tenants_provider
    _unit_tenants_provider = provider


def tenant_ids_for_units(unit_ids: list[int]) -> dict:
    return _unit_tenants_provider(unit_ids) if _unit_tenants_provider else {}


# When the tenant rents each unit: {unit id: (first day, last day or None)}. A tenant sees
# unit data (e.g. consumption) only for their own time in the unit.
_unit_period_provider: Callable[[Any], dict] | None = None


def register_tenant_unit_periods(provider: Callable[[Any], dict]) -> None:
    global _unit_period_provider
    _unit_period_provider = provider


def tenant_unit_periods(tenant) -> dict:
    return _unit_period_provider(tenant) if _unit_period_provider else {}
