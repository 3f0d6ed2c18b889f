"""The extension points: a missing piece is a start-up error, never a silently empty page."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tenants import checks, registry
from tenants.registry import (
    AdminAction,
    AdminExtension,
    DashboardCard,
    NavItem,
    register_admin_extension,
    register_dashboard_card,
    register_nav_item,
)


@pytest.fixture
def clean_registry(monkeypatch):
    """Each test registers into copies; the portal's own registrations stay untouched."""
    for name in ("_nav", "_cards", "_demo_seeders", "_admin_extensions"):
        monkeypatch.setattr(registry, name, list(getattr(registry, name)))


def _ids(errors):
    return [error.id for error in errors]


def test_the_portal_as_shipped_passes_its_checks():
    assert checks.check_navigation() == []
    assert checks.check_dashboard_cards() == []
    assert checks.check_admin_extensions() == []


def test_a_nav_entry_to_a_missing_page_is_an_error(clean_registry):
    register_nav_item(NavItem("ghost", "Ghost", "ghost:index", 99))

    assert _ids(checks.check_navigation()) == ["tenants.E001"]


def test_a_card_without_its_template_is_an_error(clean_registry):
    register_dashboard_card(DashboardCard("ghost", "ghost/card.html", 99, lambda r, t: {}))

    assert _ids(checks.check_dashboard_cards()) == ["tenants.E002"]


def test_extending_an_admin_that_cannot_be_extended_is_an_error(clean_registry):
    register_admin_extension(AdminExtension(key="ghost", model="tenants.team"))
    register_admin_extension(
        AdminExtension(
            key="half",
            model="tenants.tenant",
            actions=(AdminAction("x", lambda *a: None, "x", permission="no-dot"),),
        )
    )

    assert sorted(_ids(checks.check_admin_extensions())) == ["tenants.E005", "tenants.E006"]


def test_a_key_registered_twice_stops_start_up(clean_registry):
    with pytest.raises(ImproperlyConfigured):
        register_nav_item(NavItem("home", "Again", "tenants:home", 1))
