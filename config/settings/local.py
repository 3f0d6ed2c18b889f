"""Developer machine and the embedded demo (`make run`)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="local-only-insecure-key-7f3c9b2e1d4a6f8e0b5c2d9a7e1f3b6c",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
REGISTRATION_CODE_KEY = env(
    "PORTAL_REGISTRATION_CODE_KEY", default="local-only-registration-key-4c1f9a7e2b"
)
# Fixed, public keys: only for local data and tests, never for real IBANs.
FIELD_ENCRYPTION_KEYS = env.list(
    "PORTAL_FIELD_ENCRYPTION_KEYS", default=["bG9jYWwtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA="]
)
# The demo's clerks open the admin with their password alone (README, "Try it"); production and
# the tests require a second factor for staff.
PORTAL_STAFF_MFA_REQUIRED = env.bool("PORTAL_STAFF_MFA_REQUIRED", default=False)
# fido2 already accepts passkeys on http://localhost; this switch turns off the origin check
# altogether, e.g. for the demo under another plain-http name. Never outside local settings.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool(
    "PORTAL_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False
)
