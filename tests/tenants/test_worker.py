"""A real Celery worker against the real Redis of REDIS_URL (CI always has one)."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery_app import app as celery_app
from tenants.models import OutboundEmail
from tenants.services import email_queue_message

from ..conftest import CI

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") and not CI, reason="needs REDIS_URL (set in CI)"
    ),
]


@pytest.fixture
def worker():
    celery_app.conf.update(task_always_eager=False, broker_url=os.environ["REDIS_URL"])
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    celery_app.conf.task_always_eager = True


def test_a_real_worker_delivers_queued_mail(worker):
    from django.core.mail import EmailMessage

    [row] = email_queue_message(
        message=EmailMessage("Worker-Test", "Hallo vom Worker", to=["worker@example.org"]),
        kind="test",
    )

    for _ in range(100):
        row.refresh_from_db()
        if row.status == OutboundEmail.Status.SENT:
            break
        import time

        time.sleep(0.1)

    assert row.status == OutboundEmail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Worker-Test"]


def test_healthz_sees_the_real_broker(worker, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
