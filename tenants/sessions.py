"""Signed-in devices: allauth's user sessions with plain device names, sign-in records and a
notice e-mail on a sign-in from a new device.

A *device* is what the user agent says: browser family and operating system, parsed here by a
few rules for the common browsers (no dependency, no version numbers, no geolocation). The app
names itself in its user agent, ``meinTHOR-App/<version> (<system> <version>)``, e.g.
``meinTHOR-App/1.4.0 (iOS 18.1)``: its sessions are listed as "meinTHOR-App unter iOS".

Every sign-in, through the login page or the app (allauth's headless login, the end of the
registration in the app), writes an audit row ``user.signed_in`` with the browser, the system,
the network, the user agent and the client (``web`` or ``app``). A sign-in counts as from a
**new device** when no earlier sign-in of the same account

* came with exactly the same user agent, or
* came with the same browser and system from the same network (IPv4 /24, IPv6 /64).

The account's very first recorded sign-in is not "new" (there is nothing to compare it with:
right after registration, or the first sign-in after this feature went live). Sign-in records
that the retention schedule has deleted are forgotten, so a device unused for longer than that
counts as new again.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import time
from dataclasses import dataclass

from allauth.core import context as allauth_context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from allauth.usersessions.models import UserSession
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import UpdateError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .headless import is_app_request
from .http import client_ip
from .models import AuditEntry, Tenant, User
from .services import audit_log, email_queue

SIGN_IN_ACTION = "user.signed_in"
SESSIONS_ENDED_ACTION = "user.sessions_ended"
# Unix time of the last activity update, kept in the session itself so that most requests
# cost no query. Only sessions begun by a sign-in (the login page, the app) carry it.
SEEN_KEY = "_portal_session_seen"
# The product token the app puts first in its User-Agent (see the module doc).
APP_USER_AGENT = "meinTHOR-App"
APP = "app"

# (family key, display name, pattern); the first match wins, so the browsers that also call
# themselves "Chrome" or "Safari" come first.
BROWSERS = [
    (APP, "", re.compile(rf"\b{APP_USER_AGENT}/")),
    ("edge", "Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("opera", "Opera", re.compile(r"\b(?:OPR|Opera|OPT)/")),
    ("samsung", "Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("firefox", "Firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("chrome", "Chrome", re.compile(r"\b(?:Chrome|CriOS|HeadlessChrome|Chromium)/")),
    ("safari", "Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
]
SYSTEMS = [
    ("windows", "Windows", re.compile(r"\bWindows\b")),
    ("ios", "iOS", re.compile(r"\b(?:iPhone|iPad|iPod|iOS|iPadOS)\b")),
    ("android", "Android", re.compile(r"\bAndroid\b")),
    ("chromeos", "ChromeOS", re.compile(r"\bCrOS\b")),
    ("macos", "macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("linux", "Linux", re.compile(r"\bLinux\b|\bX11\b")),
]


@dataclass(frozen=True)
class Device:
    browser: str  # family key, "" when unknown
    os: str
    browser_name: str
    os_name: str

    @property
    def label(self) -> str:
        if self.browser == APP:
            browser = _("%(portal)s app") % {"portal": settings.PORTAL_NAME}
        else:
            browser = self.browser_name or _("Unknown browser")
        if not self.os_name:
            return browser
        return _("%(browser)s on %(os)s") % {"browser": browser, "os": self.os_name}


def device_describe(user_agent: str) -> Device:
    """Browser and operating system of a user agent, in plain words."""
    user_agent = user_agent or ""
    browser = next(((k, n) for k, n, p in BROWSERS if p.search(user_agent)), ("", ""))
    system = next(((k, n) for k, n, p in SYSTEMS if p.search(user_agent)), ("", ""))
    return Device(browser=browser[0], os=system[0], browser_name=browser[1], os_name=system[1])


def ip_network(ip: str) -> str:
    """The network an address belongs to for "same place": IPv4 /24, IPv6 /64."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _tenant_of(user: User) -> Tenant | None:
    return Tenant.objects.filter(user=user).first()


def user_sign_in_record(*, user: User, request: HttpRequest) -> AuditEntry:
    """Record a sign-in; e-mail the account if it came from a new device (see module doc)."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    ip = client_ip(request)
    device = device_describe(user_agent)
    network = ip_network(ip)
    same_device = Q(changes__user_agent=user_agent)
    if device.browser and device.os and network:
        same_device |= Q(
            changes__browser=device.browser, changes__os=device.os, changes__network=network
        )
    with transaction.atomic():
        earlier = AuditEntry.objects.filter(
            action=SIGN_IN_ACTION, object_type=User._meta.label, object_id=str(user.pk)
        ).aggregate(total=Count("pk"), known=Count("pk", filter=same_device))
        new_device = earlier["total"] > 0 and earlier["known"] == 0
        notify = new_device and user.notify_new_device and bool(user.email)
        tenant = _tenant_of(user)
        entry = audit_log(
            action=SIGN_IN_ACTION,
            obj=user,
            actor=user,
            tenant=tenant,
            changes={
                "browser": device.browser,
                "os": device.os,
                "network": network,
                "user_agent": user_agent,
                "new_device": new_device,
                "notified": notify,
                "client": "app" if is_app_request(request) else "web",
            },
            ip_address=ip,
        )
        if notify:
            email_queue(
                to=user.email,
                template="new_device",
                context={
                    "tenant": tenant,
                    "device": device,
                    "ip_address": ip,
                    "signed_in_at": entry.created_at,
                    "sessions_url": request.build_absolute_uri(reverse("usersessions_list")),
                    "password_url": request.build_absolute_uri(reverse("account_change_password")),
                },
            )
    return entry


def user_sessions_end(
    *, user: User, sessions: list[UserSession], reason: str, request: HttpRequest | None = None
) -> int:
    """End sessions of one account (their cookies stop working at once) and audit it."""
    with transaction.atomic():
        for session in sessions:
            session.end()
        audit_log(
            action=SESSIONS_ENDED_ACTION,
            obj=user,
            actor=user,
            tenant=_tenant_of(user),
            changes={"reason": reason, "count": len(sessions)},
            ip_address=client_ip(request) if request is not None else None,
        )
    return len(sessions)


def user_new_device_notice_set(
    *, user: User, enabled: bool, by: User | None = None, ip_address: str | None = None
) -> User:
    """Switch the e-mail on sign-ins from a new device on or off."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.notify_new_device != enabled:
            locked.notify_new_device = enabled
            locked.save(update_fields=["notify_new_device"])
            audit_log(
                action="user.new_device_notice_on" if enabled else "user.new_device_notice_off",
                obj=locked,
                actor=by if by is not None else user,
                tenant=_tenant_of(locked),
                changes={"notify_new_device": enabled},
                ip_address=ip_address,
            )
    user.notify_new_device = enabled
    return user


class PortalUserSessionsAdapter(DefaultUserSessionsAdapter):
    """allauth's "sign out other sessions", audited in the same transaction."""

    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        request = allauth_context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            super().end_sessions(sessions)
            return
        user_sessions_end(
            user=user, sessions=sessions, reason="signed_out_elsewhere", request=request
        )


class SessionActivityMiddleware:
    """Keep "last seen" and the address of a signed-in device current, cheaply.

    allauth's own tracking (USERSESSIONS_TRACK_ACTIVITY) writes on every request; this writes
    at most every USERSESSIONS_ACTIVITY_SECONDS, and only for sessions begun by a sign-in.

    The app's session is not the request's (no cookie): the API's token check
    (tenants.apikit.TenantTokenAuth) leaves it in ``request.app_session``, already loaded, so
    an app request costs no query either until the time is up.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            seen = session.get(SEEN_KEY)
            now = time.time()
            if seen is not None and now - seen >= settings.USERSESSIONS_ACTIVITY_SECONDS:
                UserSession.objects.create_from_request(request)
                session[SEEN_KEY] = now
        response = self.get_response(request)
        app_session = getattr(request, "app_session", None)
        if app_session is not None:
            _app_session_seen(request, app_session)
        return response


def _app_session_seen(request: HttpRequest, app_session) -> None:
    seen = app_session.get(SEEN_KEY)
    now = time.time()
    if seen is None or now - seen < settings.USERSESSIONS_ACTIVITY_SECONDS:
        return
    max_length = UserSession._meta.get_field("user_agent").max_length
    fields = {
        "last_seen_at": timezone.now(),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:max_length],
    }
    ip = client_ip(request)
    if ip:
        fields["ip"] = ip
    UserSession.objects.filter(session_key=app_session.session_key).update(**fields)
    app_session[SEEN_KEY] = now
    # Ended meanwhile (signed out elsewhere): nothing to keep.
    with contextlib.suppress(UpdateError):
        app_session.save()


# Signal receivers (connected in tenants.apps, after allauth.usersessions' own receivers, so
# the current session's row exists when they run).


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    request.session[SEEN_KEY] = time.time()
    user_sign_in_record(user=user, request=request)


def on_password_changed(sender, request, user, **kwargs) -> None:
    """The password changed: every other session ends, this one stays."""
    request.session[SEEN_KEY] = time.time()
    others = list(
        UserSession.objects.filter(user_id=user.pk).exclude(session_key=request.session.session_key)
    )
    user_sessions_end(user=user, sessions=others, reason="password_changed", request=request)


def on_password_reset(sender, request, user, **kwargs) -> None:
    """A password reset by e-mail link ends every session of the account."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    user_sessions_end(user=user, sessions=sessions, reason="password_reset", request=request)


class NewDeviceNoticeForm(forms.Form):
    notify_new_device = forms.BooleanField(required=False)


@login_required
@require_POST
def new_device_notice(request: HttpRequest) -> HttpResponse:
    """The switch on the personal area: e-mail on a sign-in from a new device."""
    form = NewDeviceNoticeForm(request.POST)
    form.is_valid()  # a checkbox: absent means off, nothing can be invalid
    enabled = form.cleaned_data.get("notify_new_device", False)
    user_new_device_notice_set(
        user=request.user, enabled=enabled, by=request.user, ip_address=client_ip(request)
    )
    messages.success(
        request,
        _("We will e-mail you when your account is signed in from a new device.")
        if enabled
        else _("We will no longer e-mail you about sign-ins from new devices."),
    )
    return redirect("tenants:profile")
