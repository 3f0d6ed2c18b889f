from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.auth import password_validation
from django.utils import translation
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag
def password_rules() -> list[str]:
    """The password rules in words, to show next to every new-password field."""
    return password_validation.password_validators_help_texts()


def format_euro(amount) -> str:
    """An amount in euros as written in the active language: 1.234,56 € or €1,234.56.

    Always two decimals and grouped; the sign goes in front (-83,50 € / -€83.50).
    """
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    number = number_format(abs(value), 2, force_grouping=True)
    sign = "-" if value < 0 else ""
    if (translation.get_language() or "de").split("-")[0] == "en":
        return f"{sign}€{number}"
    return f"{sign}{number} €"


@register.filter
def euro(amount) -> str:
    """{{ contract.total_rent|euro }} → 1.234,56 € (German) or €1,234.56 (English)."""
    return format_euro(amount)
