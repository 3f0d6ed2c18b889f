"""System checks for the extension points: a missing piece stops start-up with a clear error.

Run by `manage.py check`, `runserver`, `migrate` and the test run.
"""

from django.contrib import admin
from django.core.checks import Error, Tags, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from .registry import admin_extensions, dashboard_cards, demo_seeders, nav_items


@register(Tags.urls)
def check_navigation(app_configs=None, **kwargs):
    errors = []
    for item in nav_items():
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            errors.append(
                Error(
                    f"Navigation entry {item.key!r} points to the URL name {item.url_name!r}, "
                    "which does not exist.",
                    hint="Include the area's urls.py in config/urls.py or fix the name.",
                    id="tenants.E001",
                )
            )
    return errors


@register(Tags.templates)
def check_dashboard_cards(app_configs=None, **kwargs):
    errors = []
    for card in dashboard_cards():
        try:
            get_template(card.template)
        except TemplateDoesNotExist:
            errors.append(
                Error(
                    f"Start-page card {card.key!r} uses the missing template {card.template!r}.",
                    id="tenants.E002",
                )
            )
        if not callable(card.context):
            errors.append(
                Error(f"Start-page card {card.key!r} has no context provider.", id="tenants.E003")
            )
    for seeder in demo_seeders():
        if not callable(seeder.seed):
            errors.append(Error(f"Demo seeder {seeder.key!r} is not callable.", id="tenants.E004"))
    return errors


@register(Tags.admin)
def check_admin_extensions(app_configs=None, **kwargs):
    from .admin import ExtensibleAdmin

    errors = []
    registered = {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }
    for extension in admin_extensions():
        model_admin = registered.get(extension.model)
        if not isinstance(model_admin, ExtensibleAdmin):
            errors.append(
                Error(
                    f"Admin extension {extension.key!r} extends {extension.model!r}, whose admin "
                    "is not registered or cannot be extended.",
                    hint="Register the model with an admin based on tenants.admin.ExtensibleAdmin.",
                    id="tenants.E005",
                )
            )
        for action in extension.actions:
            _app_label, _dot, codename = action.permission.partition(".")
            if not codename or not callable(action.function):
                errors.append(
                    Error(
                        f"Admin action {action.name!r} of {extension.key!r} needs a callable and "
                        "a permission 'app_label.codename'.",
                        id="tenants.E006",
                    )
                )
    return errors


@register()
def check_workplace_panels(app_configs=None, **kwargs):
    """A panel of "Mein Arbeitsplatz" needs its items and a permission of an installed app."""
    from django.apps import apps

    from .registry import workplace_panels

    errors = []
    for panel in workplace_panels():
        if not callable(panel.items):
            errors.append(
                Error(f"Workplace panel {panel.key!r} has no items provider.", id="tenants.E010")
            )
        app_label, _dot, codename = panel.permission.partition(".")
        installed = any(config.label == app_label for config in apps.get_app_configs())
        if panel.permission and (not codename or not installed):
            errors.append(
                Error(
                    f"Workplace panel {panel.key!r} needs a permission 'app_label.codename' "
                    f"of an installed app (or none), not {panel.permission!r}.",
                    id="tenants.E011",
                )
            )
    return errors
