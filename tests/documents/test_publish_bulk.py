"""Publishing many statements: one transaction per slice, bulk inserts, notices in bulk.

`documents_publish_files` (the command) and the publishing job cut the files with
`documents_slices`, so all files of one tenant are published, and the tenant notified once, in
one slice. The notices go through `tenants.services.email_queue_many`: one outbox row each, in
the recipient's language, dispatched after the commit.
"""

import pytest
from django.core import mail
from django.db import transaction

from config.celery_app import app as celery_app
from documents import services as document_services
from documents.models import Delivery, Document, PublishBatch
from documents.services import (
    document_publish,
    documents_publish_by_contract_number,
    documents_publish_files,
    documents_slices,
)
from tenants.models import AuditEntry, Contract, OutboundEmail
from tenants.services import email_languages, email_queue_many
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
KIND = "betriebskostenabrechnung"


def _files(numbers, content=PDF):
    return [(f"{number}.pdf", lambda content=content: content) for number in numbers]


def _tenants_with_contracts(count, *, prefix="2001-W", paperless=True):
    numbers = []
    for index in range(count):
        number = f"{prefix}{index:03d}"
        ContractFactory(partners=[TenantFactory(paperless=paperless)], contract_number=number)
        numbers.append(number)
    return numbers


def test_slices_keep_each_tenants_files_together_and_the_order_otherwise():
    maria, fritz = TenantFactory(), TenantFactory()
    ContractFactory(partners=[maria], contract_number="A-1")
    ContractFactory(partners=[fritz], contract_number="B-1")
    ContractFactory(partners=[fritz], contract_number="C-1")
    ContractFactory(partners=[maria, TenantFactory()], contract_number="D-1")
    names = ["A-1.pdf", "B-1.pdf", "C-1.pdf", "D-1.pdf", "unknown.pdf", "A-1_again.pdf"]

    slices = documents_slices(names=names, size=2)

    # Maria's A-1 and D-1 (and the second file for A-1) in one slice, Fritz's B-1 and C-1 in
    # another; a group larger than the size is not split.
    assert slices == [[0, 3, 5], [1, 2], [4]]
    assert sorted(i for s in slices for i in s) == list(range(len(names)))


def test_a_slice_is_published_with_a_constant_number_of_queries(
    count_queries, django_capture_on_commit_callbacks
):
    few = _tenants_with_contracts(3, prefix="3001-W")
    many = _tenants_with_contracts(12, prefix="3002-W")

    def publish(numbers, period):
        with django_capture_on_commit_callbacks(execute=False):
            documents_publish_by_contract_number(
                files=_files(numbers),
                kind=KIND,
                period=period,
                batch=PublishBatch.objects.create(source=PublishBatch.Source.COMMAND),
                notify=True,
            )

    # Documents, deliveries, audit rows and notices are inserted in bulk: four times the
    # statements, the same number of SQL statements.
    assert count_queries(lambda: publish(few, "2025")) == count_queries(
        lambda: publish(many, "2025")
    )
    assert Document.objects.count() == 15
    assert OutboundEmail.objects.count() == 15


def test_every_published_document_has_its_audit_row_and_its_deliveries():
    clerk = StaffFactory()
    maria = TenantFactory(paperless=True)
    hans = TenantFactory()
    ContractFactory(partners=[maria, hans], contract_number="4001-W01")
    ContractFactory(partners=[TenantFactory(user=None)], contract_number="4001-W02")

    report = documents_publish_files(
        files=_files(["4001-W01", "4001-W02"]), kind=KIND, period="2025", by=clerk
    )

    assert len(report.published) == 2 and report.notices == 1 and report.paper == 2
    for document in Document.objects.all():
        entry = AuditEntry.objects.get(
            action="document.published", object_type="documents.Document", object_id=document.pk
        )
        partners = set(document.deliveries.values_list("tenant__tenant_number", flat=True))
        assert set(entry.changes["tenants"]) == partners
        assert entry.changes["kind"] == KIND and entry.actor == clerk
        assert document.published_by == clerk and document.batch == report.batch
        assert document.title == "Betriebskostenabrechnung 2025" and document.year == 2025
        with document.file.open("rb") as stored:
            assert stored.read() == PDF
    electronic = dict(Delivery.objects.values_list("tenant_id", "electronic"))
    assert electronic[maria.pk] is True and electronic[hans.pk] is False


def test_notices_are_written_in_each_recipients_language(django_capture_on_commit_callbacks):
    german = TenantFactory(paperless=True)
    english = TenantFactory(paperless=True, user=UserFactory(language="en"))
    ContractFactory(partners=[german], contract_number="5001-W01")
    ContractFactory(partners=[english], contract_number="5001-W02")
    ContractFactory(partners=[english], contract_number="5001-G01")

    with django_capture_on_commit_callbacks(execute=True):
        documents_publish_files(
            files=_files(["5001-W01", "5001-W02", "5001-G01"]), kind=KIND, period="2025"
        )

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert "Ein neues Dokument" in subjects[german.user.email]
    assert "2 new documents for you" in subjects[english.user.email]
    english_mail = next(m for m in mail.outbox if m.to == [english.user.email])
    assert english_mail.body.count("- Betriebskostenabrechnung 2025") == 2
    assert "in your portal" in english_mail.body


def test_notices_are_dispatched_only_after_the_commit(django_capture_on_commit_callbacks):
    numbers = _tenants_with_contracts(3, prefix="6001-W")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = documents_publish_files(files=_files(numbers), kind=KIND, period="2025")

    # The rows are there, nothing is sent before the commit.
    assert report.notices == 3 and mail.outbox == []
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count() == 3
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 3
    assert not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()


def test_a_second_run_publishes_and_sends_nothing(django_capture_on_commit_callbacks):
    numbers = _tenants_with_contracts(4, prefix="7001-W")
    with django_capture_on_commit_callbacks(execute=True):
        documents_publish_files(files=_files(numbers), kind=KIND, period="2025")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        second = documents_publish_files(files=_files(numbers), kind=KIND, period="2025")

    assert second.published == [] and len(second.skipped) == 4 and second.notices == 0
    assert mail.outbox == [] and Document.objects.count() == 4
    assert AuditEntry.objects.filter(action="document.published").count() == 4


def test_a_slice_with_a_broken_file_publishes_the_others():
    numbers = _tenants_with_contracts(3, prefix="8001-W")
    files = _files(numbers[:2]) + _files(numbers[2:], content=b"no pdf")

    report = documents_publish_files(files=files, kind=KIND, period="2025")

    assert len(report.published) == 2 and report.invalid == [f"{numbers[2]}.pdf"]
    assert Document.objects.count() == 2


def test_a_statement_published_by_a_parallel_run_counts_as_already_published(
    monkeypatch, django_capture_on_commit_callbacks
):
    numbers = _tenants_with_contracts(3, prefix="9001-W")
    # A parallel run published the second statement after this slice looked for existing ones.
    document_publish(
        tenants=list(Contract.objects.get(contract_number=numbers[1]).partners.all()),
        kind=KIND,
        title="BK 2025",
        year=2025,
        period="2025",
        content=PDF,
        filename=f"{numbers[1]}.pdf",
        contract_number=numbers[1],
        notify=False,
    )
    monkeypatch.setattr(document_services, "_already_published", lambda **kwargs: set())

    with django_capture_on_commit_callbacks(execute=True):
        report = documents_publish_files(files=_files(numbers), kind=KIND, period="2025")

    # The bulk insert hit the unique constraint; file by file, only that one is skipped.
    assert report.skipped == [f"{numbers[1]}.pdf"]
    assert sorted(report.published) == sorted(f"{n}.pdf" for n in (numbers[0], numbers[2]))
    assert Document.objects.count() == 3
    assert AuditEntry.objects.filter(action="document.published").count() == 3
    # Everything of the period still without a notice is announced once.
    assert len(mail.outbox) == 3


def test_email_queue_many_writes_one_row_per_recipient_in_their_language(
    django_capture_on_commit_callbacks,
):
    UserFactory(email="anna@example.org", language="en")
    StaffFactory(email="clerk@example.org", language="en")  # clerks get German

    assert email_languages(["Anna@example.org ", "clerk@example.org", "x@example.org"]) == {
        "Anna@example.org ": "en",
        "clerk@example.org": "de",
        "x@example.org": "de",
    }
    tenant = TenantFactory()
    messages = [
        (address, {"tenant": tenant, "documents": [], "portal_url": "https://portal"})
        for address in ("anna@example.org", "clerk@example.org", "x@example.org")
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emails = email_queue_many(template="documents_new", messages=messages)
    assert [e.to for e in emails] == ["anna@example.org", "clerk@example.org", "x@example.org"]
    assert OutboundEmail.objects.filter(kind="documents_new").count() == 3
    assert len(callbacks) == 1  # one dispatch for the batch
    assert "for you" in emails[0].subject and "für Sie" in emails[1].subject
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.to for e in emails)


def test_email_queue_many_leaves_the_rows_to_the_sweeper_when_the_broker_is_away(
    django_capture_on_commit_callbacks,
):
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        tenant = TenantFactory()
        messages = [
            (f"p{i}@example.org", {"tenant": tenant, "documents": [], "portal_url": "x"})
            for i in range(3)
        ]
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            email_queue_many(template="documents_new", messages=messages)
    finally:
        celery_app.conf.update(previous)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count() == 3
    assert mail.outbox == []
