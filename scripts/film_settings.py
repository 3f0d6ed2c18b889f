"""Settings for the portal the film and screenshot scripts start: the local settings, with mail
written to a throw-away folder (the film reads the confirmation code from it), not var/mail/."""

from config.settings.local import *  # noqa: F403
from config.settings.local import env

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("FILM_MAIL_DIR")
