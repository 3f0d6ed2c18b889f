"""Template filters for texts stored in German and English: ``{{ person|localized:"role" }}``."""

from django import template

from tenants.i18n import country_name, localized

register = template.Library()


@register.filter(name="localized")
def localized_filter(obj, field: str) -> str:
    """The field in the page's language, German where no English text exists."""
    return localized(obj, field)


@register.filter(name="country_name")
def country_name_filter(code: str) -> str:
    """An ISO country code as its name in the page's language."""
    return country_name(code) if code else ""
