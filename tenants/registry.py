"""The extension points through which the areas plug into the base layer.

Only what is meant to be pluggable lives here, each as an explicit list: navigation entries,
start-page cards, demo seeders, admin extensions and the panels of the clerks' start page in
the admin (personalised forms are documents' own, in documents/registry.py). Areas register
from AppConfig.ready() (admin extensions from their admin module). Base data every area
needs – the tenancy – is not plugged in: it is in tenants.models / tenants.selectors and
imported directly.

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
    # Shown instead of the label in the phone's tab bar, where "My contracts" would wrap; the
    # full label stays the link's accessible name.
    short_label: Any = None


@dataclass(frozen=True)
class DashboardCard:
    """A card on the start page.

    `context` gets the request and the acting tenant and returns the template context, or None
    to hide the card. It must run a constant number of queries. The context may carry
    `actions`: quick actions for the row at the top of the start page, each a dict with
    `key`, `label`, `url`, `icon` (a symbol in static/icons/sprite.svg) and `order`.

    The rendered card and its actions are cached per tenant (tenants/cards.py): a service that
    changes what a card shows calls `tenants.cards.card_cache_bump(tenant_ids, area)`. The
    template gets only `card` (the context) and `portal` (the branding), no request.
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


@dataclass(frozen=True)
class WorkplaceItem:
    """One line of a panel on "Mein Arbeitsplatz": a count and the list it stands for.

    `url` opens the admin list filtered to exactly the items counted. `count=None` is a plain
    link (e.g. one job); `tone="warning"` marks what is late.
    """

    label: Any
    count: int | None
    url: str
    tone: str = "normal"  # "normal" | "warning"


@dataclass(frozen=True)
class WorkplacePanel:
    """A panel on the clerks' admin start page ("Mein Arbeitsplatz").

    Shown only to users with `permission` ("app_label.codename"; empty: every staff member).
    `items(request)` returns the panel's lines in a constant number of queries.
    """

    key: str
    order: int
    permission: str
    items: Callable[[HttpRequest], list[WorkplaceItem]]
    title: Any  # a lazy translation


@dataclass(frozen=True)
class JobKind:
    """A kind of long job (tenants/jobs.py): how it is split, run and finished.

    `plan(job)` returns the chunk payloads (JSON-able) once, in job_start's transaction.
    `run_chunk(job, chunk)` does one chunk's work inside the transaction the runner opens
    (which also marks the chunk done), so it must be idempotent; it may save
    `chunk.result_file` and returns the counts to add, e.g. {"letters": 50}.
    `finish(job)` runs once after the last chunk: combines the chunk files into
    `job.result_file`, writes `job.report`. `permission` ("app_label.codename") is needed to
    start a job of the kind and to see other clerks' jobs of it. `keep_result_days`: after
    that many days the result file is deleted (letters carry plain access codes); None keeps it.
    """

    key: str
    label: Any  # a lazy translation
    permission: str
    plan: Callable[[Any], list[dict]]
    run_chunk: Callable[[Any, Any], dict]
    finish: Callable[[Any], None]
    chunk_size: int = 50
    keep_result_days: int | None = None
    # After the job has failed for good (in the failing transaction): undo or complete what the
    # finished chunks did that must not stay half done, e.g. revoke letter codes never printed.
    on_fail: Callable[[Any], None] | None = None


_nav: list[NavItem] = []
_cards: list[DashboardCard] = []
_demo_seeders: list[DemoSeeder] = []
_admin_extensions: list[AdminExtension] = []
_workplace_panels: list[WorkplacePanel] = []
_job_kinds: list[JobKind] = []


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


def register_workplace_panel(panel: WorkplacePanel) -> None:
    _add(_workplace_panels, panel)


def register_job_kind(kind: JobKind) -> None:
    _add(_job_kinds, kind)


def nav_items() -> list[NavItem]:
    return sorted(_nav, key=lambda item: item.order)


def dashboard_cards() -> list[DashboardCard]:
    return sorted(_cards, key=lambda card: card.order)


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_demo_seeders, key=lambda seeder: seeder.order)


def admin_extensions(model: str | None = None) -> list[AdminExtension]:
    return [e for e in _admin_extensions if model is None or e.model == model]


def workplace_panels() -> list[WorkplacePanel]:
    return sorted(_workplace_panels, key=lambda panel: panel.order)


def job_kinds() -> list[JobKind]:
    return list(_job_kinds)


def job_kind(key: str) -> JobKind:
    for kind in _job_kinds:
        if kind.key == key:
            return kind
    raise ImproperlyConfigured(f"JobKind {key!r} is not registered.")
