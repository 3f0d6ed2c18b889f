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
