from django import template
from django.contrib.auth import password_validation

register = template.Library()


@register.simple_tag
def password_rules() -> list[str]:
    """The password rules in words, to show next to every new-password field."""
    return password_validation.password_validators_help_texts()
