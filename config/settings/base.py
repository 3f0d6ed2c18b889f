"""Settings shared by every environment.

Everything switches on through environment variables; with none set at all the portal runs
"embedded": SQLite in var/, Celery tasks in-process, e-mail to the console and var/mail/.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
TIME_ZONE = "Europe/Berlin"
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
USE_I18N = True
USE_TZ = True
# locale/ is ours (makemessages); locale_formal/ re-translates django-allauth in the formal "Sie".
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_formal"]
# Dates and numbers per language: de 25.11.2026 and 1.234,56; en (British) 25 November 2026
# and 1,234.56 (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
SITE_ID = 1

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that asks the socket, not the server (no round
    # trip per request; config/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    # Persistent connections with a health check: cheap reuse, no stale sockets after a DB restart.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded: a writer waits for the lock (up to 20 s) instead of failing with "database is
    # locked"; IMMEDIATE takes the write lock at BEGIN, where SQLite can still wait for it,
    # instead of at the first write inside a read transaction, where it cannot.
    _sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite_options.setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "allauth.mfa",
    # The app's sign-in (/_allauth/app/v1/…) and the JSON API (/api/v1/, config/api.py); ninja
    # as an app so that its docs page is served from the package's own static files.
    "allauth.headless",
    "ninja",
    "csp",
]
LOCAL_APPS = [
    "tenants",
    "documents",
    "registration",
    "contracts",
    "requests",
    "consumption",
    "notices",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "tenants.User"
# Django's and allauth's backends, loading the account's tenant with it (tenants.backends).
AUTHENTICATION_BACKENDS = [
    "tenants.backends.ModelBackend",
    "tenants.backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "tenants:home"
LOGOUT_REDIRECT_URL = "account_login"

# PASSWORDS
# ------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's rules with messages in plain words (tenants/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tenants.password_validation.PlainUserAttributeSimilarityValidator"},
    {
        "NAME": "tenants.password_validation.PlainMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    # Django's English list and a German one, also with digits or symbols appended.
    {"NAME": "tenants.password_validation.CommonPasswordVariantValidator"},
    {"NAME": "tenants.password_validation.PlainNumericPasswordValidator"},
    {"NAME": "tenants.password_validation.CharacterClassValidator"},
    {"NAME": "tenants.password_validation.LastNameValidator"},
]

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tenants.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "tenants.middleware.PortalAuthenticationMiddleware",
    "tenants.middleware.PrivateNoStoreMiddleware",
    "tenants.middleware.ApiProblemMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last seen time and address of signed-in devices, written at most every few minutes.
    "tenants.sessions.SessionActivityMiddleware",
    "tenants.middleware.StaffMFARequiredMiddleware",
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media holds tenants' documents: private. There is deliberately no URL pattern for MEDIA_URL;
# files leave the portal only through access-checked views.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.portal",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SECURITY
# ------------------------------------------------------------------------------
# Sessions (and the app's session tokens) read from the cache, written through to the
# database: a signed-in page costs no session query; without Redis they come from the table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# No inline scripts or styles anywhere, and every asset comes from the portal itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The web manifest and the service worker (offline page), both from the portal itself.
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# CACHE
# ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# The cache gets its own Redis database so that clearing it never touches queued tasks.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default=REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            # Logs and degrades instead of failing requests when Redis is away.
            "BACKEND": "tenants.cache.ResilientRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of base.html that are the same for everyone (`{% cache … using="fragments" %}`):
# in each process's memory, no round trip; varied on everything they show.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
# The start page's cards per tenant (tenants/cards.py): rendered once, invalidated by the
# services that change their data; this long at most for changes made past the services.
PORTAL_CARD_CACHE_SECONDS = env.int("PORTAL_CARD_CACHE_SECONDS", default=15 * 60)

# E-MAIL
# ------------------------------------------------------------------------------
# Every mail is written to the outbox (tenants.OutboundEmail) first; EMAIL_BACKEND is only the
# transport the outbox task uses to deliver it.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="tenants.mail_backends.ConsoleAndFileBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="meinTHOR <meinthor@thor.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[meinTHOR] "
# Give up on a mail after this many failed attempts; a clerk can re-queue it in the admin.
PORTAL_OUTBOX_MAX_ATTEMPTS = env.int("PORTAL_OUTBOX_MAX_ATTEMPTS", default=8)
# The sweeper re-dispatches pending mail whose next attempt is overdue by this many seconds.
PORTAL_OUTBOX_SWEEP_AFTER = env.int("PORTAL_OUTBOX_SWEEP_AFTER", default=120)
# A failed delivery is retried after this many seconds, doubling per attempt up to one hour.
PORTAL_OUTBOX_RETRY_SECONDS = env.int("PORTAL_OUTBOX_RETRY_SECONDS", default=30)
# Requests and bank changes still unrouted this many seconds after they came in are dispatched
# again by the sweeper (broker down, or a worker killed in the middle of routing).
PORTAL_ROUTE_SWEEP_AFTER = env.int("PORTAL_ROUTE_SWEEP_AFTER", default=120)
# How often beat runs the sweepers (seconds); the bank-change sweeper runs half as often.
PORTAL_SWEEP_INTERVAL = env.float("PORTAL_SWEEP_INTERVAL", default=60.0)

# CELERY
# ------------------------------------------------------------------------------
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when Redis is down: the outbox row is already stored and the
# sweeper picks it up, so publishing gives up quickly.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # Longer than the longest retry countdown (1 h), or Redis would hand a delayed task out twice.
    "visibility_timeout": 2 * 60 * 60,
}
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep-pending": {
        "task": "tenants.tasks.email_sweep_task",
        "schedule": PORTAL_SWEEP_INTERVAL,
    },
    # Long jobs (tenants/jobs.py): resumes chunks whose worker died or that never got queued.
    "jobs-sweep": {
        "task": "tenants.tasks.job_sweep_task",
        "schedule": PORTAL_SWEEP_INTERVAL,
    },
    "request-route-pending": {
        "task": "requests.tasks.contact_requests_route_pending_task",
        "schedule": PORTAL_SWEEP_INTERVAL,
    },
    "bank-change-route-pending": {
        "task": "contracts.tasks.bank_changes_route_pending_task",
        "schedule": 2 * PORTAL_SWEEP_INTERVAL,
    },
    # Changes of postal address scheduled for a later day (Kontakt); catches up missed days.
    "request-addresses-apply-due": {
        "task": "requests.tasks.scheduled_address_changes_apply_task",
        "schedule": crontab(hour=0, minute=15),  # CELERY_TIMEZONE: Europe/Berlin
    },
    # Files no row refers to (a rollback after storing, a killed worker); tenants/files.py.
    "orphaned-files-cleanup": {
        "task": "tenants.tasks.orphaned_files_cleanup_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Notice mails (notices/tasks.py) that a publish could not dispatch (broker down).
    "notices-mail-pending": {
        "task": "notices.tasks.notices_mail_pending_task",
        "schedule": PORTAL_SWEEP_INTERVAL,
    },
    # Retention schedule and accounts after the tenancy (tenants/retention.py, docs/privacy.md).
    "retention-apply": {
        "task": "tenants.tasks.retention_apply_task",
        "schedule": crontab(hour=4, minute=0),
    },
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Embedded default: no broker, tasks run in-process right after the transaction commits.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = False

# LONG JOBS (tenants/jobs.py)
# ------------------------------------------------------------------------------
# None: run a job's chunks in a background thread exactly when Celery runs tasks eagerly
# (embedded mode, no broker); True/False force it.
JOBS_RUN_IN_THREAD = None
# A chunk RUNNING for longer than this lost its worker; the sweeper hands it out again. Longer
# than a chunk takes (well under CELERY_TASK_SOFT_TIME_LIMIT); a live worker's chunk is locked
# and would be skipped anyway.
JOBS_STALE_AFTER = env.int("PORTAL_JOBS_STALE_AFTER", default=120)
# Registration letter PDFs hold plain access codes: deleted this many days after the job ended.
PORTAL_LETTER_RESULT_DAYS = env.int("PORTAL_LETTER_RESULT_DAYS", default=14)
# Attempts per chunk (errors and dead workers) before the job fails.
JOBS_CHUNK_MAX_ATTEMPTS = env.int("PORTAL_JOBS_CHUNK_MAX_ATTEMPTS", default=3)

# DJANGO-ALLAUTH
# ------------------------------------------------------------------------------
ACCOUNT_ADAPTER = "tenants.adapters.AccountAdapter"
# allauth's forms with a specific message for every required field (tenants/forms.py).
ACCOUNT_FORMS = {
    "login": "tenants.forms.PortalLoginForm",
    "change_password": "tenants.forms.PortalChangePasswordForm",
    "reset_password": "tenants.forms.PortalResetPasswordForm",
    "reset_password_from_key": "tenants.forms.PortalResetPasswordKeyForm",
    "add_email": "tenants.forms.PortalAddEmailForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
# One address per account; a new one replaces the old after confirmation, and the old address
# is told about the change (and about password changes).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# A reset link works on any device (tenants often read mail on the phone, sign in elsewhere).
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""

# allauth's own client-address settings, for any allauth code that reads them directly; its rate
# limits ask tenants.adapters.AccountAdapter.get_client_ip, which uses tenants.http.client_ip.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

# SIGNED-IN DEVICES (allauth.usersessions, tenants/sessions.py)
# ------------------------------------------------------------------------------
# Ending sessions writes an audit row in the same transaction.
USERSESSIONS_ADAPTER = "tenants.sessions.PortalUserSessionsAdapter"
# allauth's own tracking writes on every request; tenants.sessions.SessionActivityMiddleware
# does it at most every USERSESSIONS_ACTIVITY_SECONDS per session instead.
USERSESSIONS_TRACK_ACTIVITY = False
USERSESSIONS_ACTIVITY_SECONDS = 300

# PORTAL BRANDING
# ------------------------------------------------------------------------------
PORTAL_NAME = env("PORTAL_NAME", default="meinTHOR")
PORTAL_COMPANY = env("PORTAL_COMPANY", default="THOR")
PORTAL_SUPPORT_EMAIL = env("PORTAL_SUPPORT_EMAIL", default="meinthor@thor.de")
PORTAL_EMERGENCY_PHONE = env("PORTAL_EMERGENCY_PHONE", default="040-61 32 32")
# Letterhead and return line of letters; the office number for questions on a letter.
PORTAL_COMPANY_ADDRESS = env(
    "PORTAL_COMPANY_ADDRESS", default="THOR Wohnungsbau eG · Elbchaussee 1 · 22763 Hamburg"
)
PORTAL_COMPANY_PHONE = env("PORTAL_COMPANY_PHONE", default="040-61 32 0")
# Absolute base URL for links in e-mails sent outside a request (Celery tasks).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://localhost:8000")
# seed_demo refuses to run where this is False (production.py sets it).
PORTAL_ALLOW_DEMO_DATA = env.bool("PORTAL_ALLOW_DEMO_DATA", default=True)

# How many proxies of ours append to X-Forwarded-For (0: REMOTE_ADDR is the client).
PORTAL_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", default=0)

# TWO-FACTOR AND PASSKEYS (allauth.mfa)
# ------------------------------------------------------------------------------
# An authenticator app (TOTP) with recovery codes, and passkeys (WebAuthn), which also sign in
# without a password. Optional for tenants; clerks see everyone's contracts and bank details,
# so the admin opens only for a staff account with a second factor (tenants.middleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = PORTAL_NAME
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_FORMS = {"add_webauthn": "tenants.mfa.PortalAddWebAuthnForm"}
# Wrong codes count as failed logins (ACCOUNT_RATE_LIMITS["login_failed"], keyed per account);
# passkey sign-ins have no per-account secret to guess, so only per address.
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
# WebAuthn only over https, and never with an IP address as the site's name; the embedded demo
# (config/settings/local.py) allows plain http on localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
PORTAL_STAFF_MFA_REQUIRED = env.bool("PORTAL_STAFF_MFA_REQUIRED", default=True)

# THE APP: SIGN-IN AND JSON API (config/api.py, docs/api.md)
# ------------------------------------------------------------------------------
# Only the app client: the web pages keep allauth's own views; the browser client is not needed.
HEADLESS_CLIENTS = ("app",)
HEADLESS_ONLY = False
# The app's session token is a Django session: it expires like one (SESSION_COOKIE_AGE, two
# weeks by default) and is listed among the signed-in devices.
HEADLESS_TOKEN_STRATEGY = "tenants.apikit.AppSessionTokenStrategy"  # noqa: S105
# Requests per client (session token, or address when signed out): "number/period".
PORTAL_API_RATE_LIMIT = env("PORTAL_API_RATE_LIMIT", default="300/m")
# The browsable docs at /api/v1/docs (production.py turns them off; the schema stays).
PORTAL_API_DOCS = env.bool("PORTAL_API_DOCS", default=True)

# REGISTRATION (letter codes)
# ------------------------------------------------------------------------------
# HMAC key for stored codes. Separate from SECRET_KEY so that rotating one does not void letters.
REGISTRATION_CODE_KEY = env("PORTAL_REGISTRATION_CODE_KEY", default="")
REGISTRATION_CODE_VALID_DAYS = env.int("PORTAL_REGISTRATION_CODE_VALID_DAYS", default=180)
REGISTRATION_MAX_WRONG_NAMES = env.int("PORTAL_REGISTRATION_MAX_WRONG_NAMES", default=5)
# (attempts, seconds) per IP address and per code typed
REGISTRATION_RATE_LIMIT_IP = (env.int("PORTAL_REGISTRATION_LIMIT_IP", default=30), 3600)
REGISTRATION_RATE_LIMIT_CODE = (env.int("PORTAL_REGISTRATION_LIMIT_CODE", default=10), 3600)
# Every answer to a code check takes at least this long, whichever check failed.
REGISTRATION_MIN_RESPONSE_SECONDS = env.float("PORTAL_REGISTRATION_MIN_RESPONSE", default=0.4)
REGISTRATION_CONFIRMATION_MAX_ATTEMPTS = 5
# The six-digit e-mail code works this long; the link as long as allauth's confirmation keys.
REGISTRATION_CONFIRMATION_CODE_HOURS = 24
# Accounts created per code and hour (each sends a confirmation mail).
REGISTRATION_RATE_LIMIT_ACCOUNT = (5, 3600)
# A checked code stays good in the browser session for this long (shared computers).
REGISTRATION_SESSION_MINUTES = 30

# BANK DETAILS AND SEPA
# ------------------------------------------------------------------------------
# Fernet keys, newest first (see tenants/crypto.py for rotation). No default outside local/test.
FIELD_ENCRYPTION_KEYS = env.list("PORTAL_FIELD_ENCRYPTION_KEYS", default=[])
SEPA_CREDITOR_NAME = env("PORTAL_SEPA_CREDITOR_NAME", default="THOR Wohnungsbau eG")
SEPA_CREDITOR_ADDRESS = env("PORTAL_SEPA_CREDITOR_ADDRESS", default="Elbchaussee 1, 22763 Hamburg")
SEPA_CREDITOR_ID = env("PORTAL_SEPA_CREDITOR_ID", default="DE98ZZZ09999999999")
# A request received after this day of the month takes effect the following month.
BANK_CHANGE_CUTOFF_DAY = 20
BANK_CHANGE_CUTOFF_DAY_DECEMBER = 15
BANK_CHANGE_PROCESSING_WORKING_DAYS = 10

# DOCUMENTS
# ------------------------------------------------------------------------------
# Behind nginx: the internal location that maps to MEDIA_ROOT (e.g. "/_protected/"); Django
# checks access and answers with X-Accel-Redirect. Empty: Django streams the file itself.
DOCUMENTS_X_ACCEL_PREFIX = env("PORTAL_DOCUMENTS_X_ACCEL_PREFIX", default="")
# "stream", "x-accel" or "signed-url" (S3-compatible storage); see documents/delivery.py.
DOCUMENTS_DELIVERY = env("PORTAL_DOCUMENTS_DELIVERY", default="stream")
DOCUMENTS_SIGNED_URL_SECONDS = env.int("PORTAL_DOCUMENTS_SIGNED_URL_SECONDS", default=60)

# KONTAKT (requests and damage reports)
# ------------------------------------------------------------------------------
REQUESTS_MAX_ATTACHMENTS = env.int("PORTAL_REQUESTS_MAX_ATTACHMENTS", default=5)
REQUESTS_MAX_ATTACHMENT_BYTES = env.int("PORTAL_REQUESTS_MAX_ATTACHMENT_MB", default=10) * 2**20
# Uploads: text fields above 2.5 MB are refused (400) while they stream; a file above 2.5 MB goes
# to a temporary file, not memory. The Kontakt views also stop a file above the per-file limit,
# and a request above count × limit, while it streams (requests.attachments.limit_uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Business hours of the office (weekday 0 = Monday: (from, to) hour); outside them and on
# Hamburg holidays, damage forms say to call the emergency service in an emergency.
PORTAL_BUSINESS_HOURS = {0: (8, 17), 1: (8, 17), 2: (8, 17), 3: (8, 17), 4: (8, 14)}

# CONSUMPTION (HKVO § 6a)
# ------------------------------------------------------------------------------
# Monthly values above these (heating in kWh, water in m³) are refused as implausible.
CONSUMPTION_PLAUSIBLE_MAX = {"heating": 6000, "hot_water": 40, "cold_water": 80}

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "verbose": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "verbose"},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
