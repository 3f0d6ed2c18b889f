"""Percentages as written in the page's language: German "16 %", English "16%"."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


def format_percent(value, signed: bool = False) -> str:
    """``-16`` → "-16 %" (German) or "-16%" (English); ``signed`` puts "+" before a rise."""
    if value is None or value == "":
        return ""
    number = number_format(value)
    if signed and value > 0:
        number = "+" + number
    if (get_language() or "de").lower().startswith("en"):
        return f"{number}%"
    return f"{number} %"


@register.filter
def percent(value, signed=""):
    """{{ change.percent|percent:"signed" }} → "+12 %" / "+12%"; without the argument "12 %"."""
    return format_percent(value, signed=bool(signed))
