from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app as celery_app
from tenants.models import OutboundEmail
from tenants.services import (
    EMAIL_DELIVERY_BATCH,
    email_deliver,
    email_queue,
    email_queue_many,
    email_sweep,
)
from tenants.tasks import email_send_batch_task, email_send_task

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def queue_welcome(to="maria@example.org"):
    return email_queue(to=to, template="test_notice", context={"name": "Maria"})


@pytest.fixture(autouse=True)
def _test_template(settings, tmp_path):
    """A tiny e-mail template so these tests do not depend on a real notice's wording."""
    folder = tmp_path / "templates" / "emails"
    folder.mkdir(parents=True)
    (folder / "test_notice_subject.txt").write_text("Neue Nachricht für {{ name }}")
    (folder / "test_notice_message.txt").write_text("Hallo {{ name }}, es gibt Neues.")
    (folder / "test_notice_message.html").write_text("<p>Hallo {{ name }}, es gibt Neues.</p>")
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [tmp_path / "templates", *engine["DIRS"]]
    settings.TEMPLATES = [engine]


@pytest.fixture
def broker_down(settings):
    """Celery publishes to a Redis port where nothing listens, as when Redis has stopped."""
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.update(previous)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class FailingBackend:
    """An SMTP server that refuses the connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


class PickyBackend(locmem.EmailBackend):
    """An SMTP server that counts its connections and refuses mail for kaputt@… addresses.

    Like Django's SMTP backend, sending without an open connection opens one for the call.
    """

    connections = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        PickyBackend.connections += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        opened_here = self.open()
        try:
            if any(to.startswith("kaputt") for message in messages for to in message.to):
                raise SMTPRecipientsRefused({"kaputt@example.org": (550, b"No such user")})
            return super().send_messages(messages)
        finally:
            if opened_here:
                self.close()


@pytest.fixture
def picky(settings):
    settings.EMAIL_BACKEND = "tests.tenants.test_outbox.PickyBackend"
    PickyBackend.connections = 0
    return PickyBackend


def test_mail_is_stored_then_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue_welcome()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["maria@example.org"]
    assert sent.subject == "Neue Nachricht für Maria"
    assert sent.body == "Hallo Maria, es gibt Neues."
    assert sent.alternatives[0].mimetype == "text/html"


def test_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_welcome()

    email_send_task.delay(email.pk)
    email_send_task.apply(args=[email.pk])

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_mail_waits_while_redis_is_down_and_the_sweeper_sends_it_later(
    broker_down, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_welcome()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert mail.outbox == []

    # Redis is back (the eager mode stands in for the restarted broker and worker).
    celery_app.conf.task_always_eager = True
    settings.PORTAL_OUTBOX_SWEEP_AFTER = 0
    assert email_sweep() == 1

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_sweeper_leaves_fresh_mail_alone(settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        queue_welcome()
    settings.PORTAL_OUTBOX_SWEEP_AFTER = 3600

    assert email_sweep() == 0


def test_smtp_failure_is_recorded_and_a_later_attempt_succeeds(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.tenants.test_outbox.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_welcome()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert "SMTP server unreachable" in email.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The sweeper respects the backoff ...
    assert email_sweep(older_than_seconds=0) == 0
    # ... and sends once the next attempt is due.
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert email_sweep(older_than_seconds=0) == 1

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_mail_is_marked_failed_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "tests.tenants.test_outbox.FailingBackend"
    settings.PORTAL_OUTBOX_MAX_ATTEMPTS = 2
    email = queue_welcome()

    email_send_task.apply(args=[email.pk])
    email_send_task.apply(args=[email.pk])

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 2


def test_password_reset_mail_goes_through_the_outbox(client, django_capture_on_commit_callbacks):
    UserFactory(email="vergesslich@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "Vergesslich@example.org"}
        )

    assert response.status_code == 302
    row = OutboundEmail.objects.get(to="vergesslich@example.org")
    assert row.kind.startswith("account/email/password_reset")
    assert row.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert "meinTHOR" in sent.body
    assert "/konto/password/reset/key/" in sent.body
    assert "<html" in sent.alternatives[0].content
    # The reset link is erased from the outbox once sent: clerks cannot use it.
    assert "/konto/password/reset/key/" not in row.body_text + row.body_html
    assert row.sensitive


def test_password_reset_for_unknown_address_does_not_reveal_it(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})

    # Same answer as for a known address; only the mailbox owner learns there is no account,
    # and is pointed to the letter code instead of a sign-up that does not exist.
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["niemand@example.org"]]
    assert "/registrieren/" in mail.outbox[0].body
    assert OutboundEmail.objects.get().kind == "account/email/unknown_account"


def test_send_pending_mail_waits_for_the_retry_delay_unless_told_now(
    settings, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    settings.EMAIL_BACKEND = "tests.tenants.test_outbox.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_welcome()
    email.refresh_from_db()
    assert email.next_attempt_at > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    out = StringIO()
    call_command("send_pending_mail", stdout=out)
    assert "0 pending e-mail(s) dispatched." in out.getvalue()
    assert mail.outbox == []

    out = StringIO()
    call_command("send_pending_mail", "--now", stdout=out)
    assert "1 pending e-mail(s) dispatched." in out.getvalue()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_send_pending_mail_help_says_what_the_default_leaves_alone():
    from tenants.management.commands.send_pending_mail import Command

    parser = Command().create_parser("manage.py", "send_pending_mail")
    help_text = " ".join(parser.format_help().split())

    assert "(default: all pending)" not in help_text
    assert "retry delay" in help_text and "--now" in help_text


def test_a_mailing_goes_out_in_batches_each_over_one_connection(
    picky, django_capture_on_commit_callbacks
):
    count = 2 * EMAIL_DELIVERY_BATCH + 3
    with django_capture_on_commit_callbacks(execute=True):
        emails = email_queue_many(
            template="test_notice",
            messages=[(f"mieter{n}@example.org", {"name": f"M{n}"}) for n in range(count)],
        )

    assert len(mail.outbox) == count
    assert {message.to[0] for message in mail.outbox} == {email.to for email in emails}
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == count
    assert picky.connections == 3  # 25 + 25 + 3, not one connection per mail


def test_one_refused_mail_does_not_hold_up_the_rest_of_its_batch(picky):
    emails = email_queue_many(
        template="test_notice",
        messages=[
            ("anna@example.org", {"name": "Anna"}),
            ("kaputt@example.org", {"name": "Kaputt"}),
            ("bernd@example.org", {"name": "Bernd"}),
        ],
    )

    email_send_batch_task.apply(args=[[email.pk for email in emails]])

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "bernd@example.org",
    ]
    refused = OutboundEmail.objects.get(to="kaputt@example.org")
    assert refused.status == OutboundEmail.Status.PENDING
    assert refused.attempts == 1
    assert "No such user" in refused.last_error
    assert refused.next_attempt_at > timezone.now()  # the sweeper tries again later


def test_a_batch_run_twice_sends_each_mail_once(picky):
    emails = email_queue_many(
        template="test_notice",
        messages=[(f"mieter{n}@example.org", {"name": f"M{n}"}) for n in range(3)],
    )
    ids = [email.pk for email in emails]

    email_send_batch_task.apply(args=[ids])
    email_send_batch_task.apply(args=[ids])

    assert len(mail.outbox) == 3
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}


def test_a_batch_on_a_slow_relay_hands_the_rest_to_a_new_task(picky, monkeypatch):
    from tenants import services

    monkeypatch.setattr(services, "EMAIL_BATCH_SECONDS", 0)  # every row "takes too long"
    emails = email_queue_many(
        template="test_notice",
        messages=[(f"mieter{n}@example.org", {"name": f"M{n}"}) for n in range(3)],
    )

    email_send_batch_task.apply(args=[[email.pk for email in emails]])

    assert sorted(message.to[0] for message in mail.outbox) == [
        f"mieter{n}@example.org" for n in range(3)
    ]
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}


class TimeIsUpBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        raise SoftTimeLimitExceeded()


def test_a_task_whose_time_is_up_counts_no_attempt_against_the_mail(settings):
    settings.EMAIL_BACKEND = "tests.tenants.test_outbox.TimeIsUpBackend"
    email = queue_welcome()

    with pytest.raises(SoftTimeLimitExceeded):
        email_deliver(email_id=email.pk)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 0
    assert email.last_error == ""
