"""The extension points through which the areas plug into the base layer.

Only what is meant to be pluggable lives here, each as an explicit list: navigation entries,
start-page cards, demo seeders and admin extensions (personalised forms are documents' own,
in documents/registry.py). Areas register from AppConfig.ready() (admin extensions from their
admin module). Base data every area needs – the tenancy – is not plugged in: it is in
tenants.models / tenants.selectors and imported directly.

A key registered twice is a programming error and raises at start-up; what a registration
refers to (URL names, templates, the admin it extends) is verified by the system checks in
tenants/checks.py, so a missing piece stops `manage.py check` instead of showing an empty page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
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


@dataclass(frozen=True)
class DemoSeeder:
    """`seed(stdout)` adds an area's demo data after the base data; it must be idempotent.

    Lower `order` runs first (contracts before what builds on contracts).
    """

    key: str
    seed: Callable[[Any], None]
    order: int = 50


@dataclass(frozen=True)
class AdminAction:
    """An action an area adds to another model's admin list.

    `function(modeladmin, request, queryset)` like any admin action; it is offered only to users
    with `permission` ("app_label.codename").
    """

    name: str
    function: Callable
    description: Any
    permission: str


@dataclass(frozen=True)
class AdminExtension:
    """Inlines and actions an area adds to a base-layer admin page (e.g. the tenant's)."""

    key: str
    model: str  # "app_label.model_name", e.g. "tenants.tenant"
    inlines: tuple = ()
    actions: tuple[AdminAction, ...] = field(default=())


_nav: list[NavItem] = []
_cards: list[DashboardCard] = []
_demo_seeders: list[DemoSeeder] = []
_admin_extensions: list[AdminExtension] = []


def _add(registry: list, item) -> None:
    if any(known.key == item.key for known in registry):
        raise ImproperlyConfigured(f"{type(item).__name__} {item.key!r} is registered twice.")
    registry.append(item)


def register_nav_item(item: NavItem) -> None:
    _add(_nav, item)


def register_dashboard_card(card: DashboardCard) -> None:
    _add(_cards, card)


def register_demo_seeder(seeder: DemoSeeder) -> None:
    _add(_demo_seeders, seeder)


def register_admin_extension(extension: AdminExtension) -> None:
    _add(_admin_extensions, extension)


def nav_items() -> list[NavItem]:
    return sorted(_nav, key=lambda item: item.order)


def dashboard_cards() -> list[DashboardCard]:
    return sorted(_cards, key=lambda card: card.order)


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_demo_seeders, key=lambda seeder: seeder.order)


def admin_extensions(model: str | None = None) -> list[AdminExtension]:
    return [e for e in _admin_extensions if model is None or e.model == model]
