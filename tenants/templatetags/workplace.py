from django import template

from tenants.workplace import workplace_panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def workplace_panels(context) -> list:
    """The panels of "Mein Arbeitsplatz" for the clerk of this request."""
    return workplace_panels_for(request=context["request"])
