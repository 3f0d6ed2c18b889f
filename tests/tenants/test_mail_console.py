"""Embedded mode: links in mail point to where `make run` serves; the console lists each mail in
one line, the file in var/mail/ holds it whole."""

import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from tenants.mail_backends import ConsoleAndFileBackend
from tenants.models import OutboundEmail
from tenants.services import email_deliver, tenant_account_link

from .factories import TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def test_console_shows_one_line_per_mail_and_the_file_keeps_the_whole_mail(tmp_path):
    console = StringIO()
    backend = ConsoleAndFileBackend(file_path=tmp_path, console=console)
    messages = []
    for n in (1, 2):
        message = EmailMultiAlternatives(
            subject=f"Betreff {n}", body=f"Geheimer Text {n}", to=[f"mieterin{n}@example.com"]
        )
        message.attach_alternative(f"<p>HTML-Text {n}</p>", "text/html")
        messages.append(message)

    assert backend.send_messages(messages) == 2

    [stored] = list(tmp_path.iterdir())
    lines = console.getvalue().splitlines()
    assert lines == [
        f'E-mail to mieterin1@example.com "Betreff 1" -> {stored}',
        f'E-mail to mieterin2@example.com "Betreff 2" -> {stored}',
    ]
    assert "Geheimer Text" not in console.getvalue()
    assert "HTML-Text" not in console.getvalue()
    content = stored.read_text()
    assert "Geheimer Text 1" in content and "HTML-Text 2" in content


def test_delivered_outbox_mail_is_listed_with_its_file_under_var_mail(
    settings, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    settings.EMAIL_BACKEND = "tenants.mail_backends.ConsoleAndFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "var" / "mail"
    email = OutboundEmail.objects.create(
        to="mieterin@example.com", subject="Ihre Abrechnung", body_text="Der ganze Text"
    )

    email_deliver(email_id=email.pk)

    out = capsys.readouterr().out
    [stored] = list((tmp_path / "var" / "mail").iterdir())
    assert out == f'E-mail to mieterin@example.com "Ihre Abrechnung" -> var/mail/{stored.name}\n'
    assert "Der ganze Text" in stored.read_text()


def test_link_in_mail_comes_from_portal_base_url(settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8111"
    tenant = TenantFactory(user=None)

    with django_capture_on_commit_callbacks(execute=True):
        tenant_account_link(tenant=tenant, user=UserFactory(), by=None)

    [message] = mail.outbox
    assert "http://127.0.0.1:8111" in message.body
    assert "http://127.0.0.1:8111" in message.alternatives[0][0]
    assert "127.0.0.1:8000" not in message.body


def make_run_dry(port: str, **env: str) -> str:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("PORTAL_BASE_URL", "HOST", "PORT")
    }
    environment.update(env)
    result = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_gives_the_server_its_own_address_for_links():
    commands = make_run_dry("8111").splitlines()

    [runserver] = [c for c in commands if "manage.py runserver" in c]
    # Links name localhost (passkeys refuse an IP address); the server listens on loopback.
    assert runserver.startswith("PORTAL_BASE_URL=http://localhost:8111 ")
    assert runserver.endswith("runserver 127.0.0.1:8111")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_keeps_a_portal_base_url_from_the_environment():
    commands = make_run_dry("8111", PORTAL_BASE_URL="https://portal.example").splitlines()

    [runserver] = [c for c in commands if "manage.py runserver" in c]
    assert runserver.startswith("PORTAL_BASE_URL=https://portal.example ")
