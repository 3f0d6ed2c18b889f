"""Settings for pytest. DATABASE_URL / REDIS_URL switch to PostgreSQL and Redis as in CI."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-key-9d2f7a1c4b8e6d3f0a5c7e9b1d2f4a6c")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
DEBUG = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"

# Tasks run eagerly and loudly; the tests that need a real worker switch this off themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REGISTRATION_CODE_KEY = env(
    "PORTAL_REGISTRATION_CODE_KEY", default="test-only-registration-key-8e2d6b1a9c"
)
REGISTRATION_MIN_RESPONSE_SECONDS = 0.05
# Fixed, public keys: only for local data and tests, never for real IBANs.
FIELD_ENCRYPTION_KEYS = env.list(
    "PORTAL_FIELD_ENCRYPTION_KEYS", default=["dGVzdC1vbmx5LWZpZWxkLWtleS0wMDAwMDAwMDAwMDA="]
)
