import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
# All CELERY_* settings live in config/settings; see base.py for the beat schedule.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
