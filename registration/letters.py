"""The registration letter (DIN 5008 form B) and its QR code."""

import base64
from datetime import datetime
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tenants.models import Tenant

from . import codes


def registration_url(code: str | None = None) -> str:
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("registration:start")
    if code:
        url += "?" + urlencode({"code": codes.display(code)})
    return url


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=0)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def letter_context(*, tenant: Tenant, code: str, expires_at: datetime) -> dict:
    return {
        "tenant": tenant,
        "code": codes.display(code),
        "expires_at": timezone.localtime(expires_at),
        "today": timezone.localdate(),
        "registration_url": registration_url(),
        "qr": qr_data_uri(registration_url(code)),
        "company_address": settings.PORTAL_COMPANY_ADDRESS,
        "company_phone": settings.PORTAL_COMPANY_PHONE,
    }
