import os
from types import SimpleNamespace

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters must not leak from one test (or CI run) into the next, nor the page
    frame's fragments (rendered under one test's settings) into another."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()


@pytest.fixture
def count_queries():
    """Run a callable and return how many SQL queries it issued."""

    def run(func) -> int:
        with CaptureQueriesContext(connections["default"]) as ctx:
            func()
        return len(ctx.captured_queries)

    return run


# The known authenticator-app secret every clerk gets in the tests (base32, RFC 6238).
CLERK_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = CLERK_TOTP_SECRET, *, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for `secret` at `at` (default: now)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


_clerk_factor = SimpleNamespace(enabled=True)


def _give_clerk_totp(sender, instance, **kwargs):
    if not (_clerk_factor.enabled and instance.is_staff):
        return
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=instance, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(instance, CLERK_TOTP_SECRET)


@pytest.fixture(scope="session", autouse=True)
def _clerks_get_a_second_factor():
    # Session-wide, so that staff created by module-scoped fixtures get one too.
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    user_model = get_user_model()
    post_save.connect(_give_clerk_totp, sender=user_model, dispatch_uid="test-clerk-totp")
    yield
    post_save.disconnect(sender=user_model, dispatch_uid="test-clerk-totp")


@pytest.fixture(autouse=True)
def clerks_have_second_factor():
    """PORTAL_STAFF_MFA_REQUIRED is on in the tests as in production, so every staff account a
    test creates (factories, seed_demo, create_user) gets an authenticator app with the known
    secret CLERK_TOTP_SECRET and the admin opens for it. Signing in with the password then asks
    for `totp_code()`. A test that needs a clerk without one sets `.enabled = False` first."""
    _clerk_factor.enabled = True
    yield _clerk_factor
    _clerk_factor.enabled = True
