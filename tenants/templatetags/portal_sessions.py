"""Signed-in devices in plain words (templates/usersessions/, the new-device e-mail)."""

from django import template

from ..sessions import device_describe

register = template.Library()


@register.filter
def device(user_agent: str):
    """`{{ session.user_agent|device }}`: browser and system, e.g. "Firefox on Windows"."""
    return device_describe(user_agent)


@register.filter
def other_sessions(sessions) -> list:
    """The sessions of the list that are not this browser's own."""
    return [session for session in sessions if not session.is_current()]
