# Production image: gunicorn for web; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint (PDF letters) needs Pango; the fonts are served by the portal itself.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/production.txt

COPY . .
# collectstatic needs settings but no real secrets or services.
RUN DJANGO_SECRET_KEY=build-only PORTAL_REGISTRATION_CODE_KEY=build-only \
    PORTAL_FIELD_ENCRYPTION_KEYS=fPZXLa3ZQbdPdvS3jm0t7x0yE6m1Ht9oQkzcM2wN1nY= DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal

EXPOSE 8000
# The access log leaves out query strings: the letter's QR link carries the registration code.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)s"]
