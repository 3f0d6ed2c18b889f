"""The retention schedule on a database with old data: what is due goes, what must stay stays."""

from datetime import datetime, timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from documents.models import Delivery, Document
from requests.models import Attachment, Category, ContactRequest
from tenants.models import AuditEntry, OutboundEmail
from tenants.retention import RULES, retention_apply
from tests.tenants.factories import TenantFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 6, 15, 12, 0))


def ago(**kwargs) -> datetime:
    return NOW - timedelta(**kwargs)


def outbox_mail(*, created_at, status=OutboundEmail.Status.SENT, subject="Ihre Abrechnung"):
    email = OutboundEmail.objects.create(
        to="mieterin@example.org",
        from_email="portal@thor.example",
        subject=subject,
        body_text="Guten Tag, Ihre IBAN endet auf 1234.",
        body_html="<p>Guten Tag, Ihre IBAN endet auf 1234.</p>",
        status=status,
    )
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=created_at)
    return email


def audit(action: str, created_at, tenant=None) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action, object_type="tenants.User", object_id="1", created_at=created_at,
        tenant=tenant,
    )  # fmt: skip


def request_with_photo(tenant, *, number: int, closed_at=None) -> Attachment:
    request = ContactRequest.objects.create(
        reference=f"A-2020-{number:06d}",
        tenant=tenant,
        category=Category.objects.get(name="Wasser/Sanitär"),
        subject="Wasserschaden",
        status=ContactRequest.Status.DONE if closed_at else ContactRequest.Status.IN_PROGRESS,
        created_at=ago(days=2000),
        closed_at=closed_at,
    )
    photo = default_storage.save(f"requests/2020/01/photo{number}", ContentFile(b"jpeg"))
    thumb = default_storage.save(f"requests/2020/01/thumb{number}", ContentFile(b"jpeg"))
    return Attachment.objects.create(
        request=request, file=photo, thumbnail=thumb, original_name="foto.jpg",
        content_type="image/jpeg", size=4, created_at=ago(days=2000),
    )  # fmt: skip


def delivery(tenant, *, published_at, title) -> Delivery:
    document = Document.objects.create(
        kind=Document.Kind.choices[0][0], title=title, year=published_at.year,
        file=default_storage.save("documents/x.pdf", ContentFile(b"%PDF")), original_name="x.pdf",
    )  # fmt: skip
    return Delivery.objects.create(document=document, tenant=tenant, published_at=published_at)


def session(user, *, last_seen_at) -> UserSession:
    return UserSession.objects.create(
        user=user, ip="192.0.2.1", user_agent="Firefox", last_seen_at=last_seen_at,
        session_key=f"key-{last_seen_at:%Y%m%d}",
    )  # fmt: skip


@pytest.fixture
def old_world():
    tenant = TenantFactory()
    return {
        "tenant": tenant,
        "mail_old": outbox_mail(created_at=ago(days=91)),
        "mail_young": outbox_mail(created_at=ago(days=89)),
        "mail_old_pending": outbox_mail(
            created_at=ago(days=200), status=OutboundEmail.Status.PENDING
        ),
        "photo_closed_long_ago": request_with_photo(
            tenant, number=1, closed_at=ago(days=3 * 365 + 5)
        ),
        "photo_closed_recently": request_with_photo(tenant, number=2, closed_at=ago(days=700)),
        "photo_open": request_with_photo(tenant, number=3),
        "sign_in_old": audit("user.signed_in", ago(days=400), tenant),
        "sign_in_old_2": audit("user.signed_in", ago(days=380), tenant),
        "sign_in_young": audit("user.signed_in", ago(days=300), tenant),
        # § 147 AO counts from the end of the year: 2015's entries may go in 2026, 2016's not.
        "audit_2015": audit(
            "tenant.phone", timezone.make_aware(datetime(2015, 12, 31, 23)), tenant
        ),
        "audit_2016": audit("tenant.phone", timezone.make_aware(datetime(2016, 1, 2)), tenant),
        "delivery_2015": delivery(
            tenant, published_at=timezone.make_aware(datetime(2015, 3, 1)), title="BK 2014"
        ),
        "delivery_2016": delivery(
            tenant, published_at=timezone.make_aware(datetime(2016, 3, 1)), title="BK 2015"
        ),
        "device_old": session(tenant.user, last_seen_at=ago(days=370)),
        "device_young": session(tenant.user, last_seen_at=ago(days=10)),
    }


def exists(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).exists()


def by_key(report):
    return {rule.key: rule for rule in report.rules}


def test_what_is_due_goes_and_what_must_stay_stays(old_world, django_capture_on_commit_callbacks):
    w = old_world
    old_files = [w["photo_closed_long_ago"].file.name, w["photo_closed_long_ago"].thumbnail.name]

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(now=NOW, batch_size=1)

    w["mail_old"].refresh_from_db()
    assert (w["mail_old"].body_text, w["mail_old"].body_html) == ("", "")
    assert w["mail_old"].subject == "Ihre Abrechnung"  # the fact of the mail stays
    assert OutboundEmail.objects.get(pk=w["mail_young"].pk).body_text.startswith("Guten Tag")
    assert OutboundEmail.objects.get(pk=w["mail_old_pending"].pk).body_text  # not yet delivered

    assert not exists(w["photo_closed_long_ago"])
    assert not any(default_storage.exists(name) for name in old_files)
    for kept in ("photo_closed_recently", "photo_open"):
        assert exists(w[kept]) and default_storage.exists(w[kept].file.name)
    assert ContactRequest.objects.count() == 3  # only the files go, the requests stay

    assert not exists(w["sign_in_old"]) and not exists(w["sign_in_old_2"])
    assert exists(w["sign_in_young"])
    assert not exists(w["audit_2015"]) and exists(w["audit_2016"])
    assert not exists(w["delivery_2015"]) and exists(w["delivery_2016"])
    assert Document.objects.count() == 2  # the documents themselves are not this schedule's
    assert not exists(w["device_old"]) and exists(w["device_young"])

    rules = by_key(report)
    assert (rules["outbox-bodies"].done, rules["outbox-bodies"].kept) == (1, 2)
    assert (rules["request-attachments"].done, rules["request-attachments"].kept) == (1, 2)
    assert rules["request-attachments"].files_deleted == 2
    assert (rules["sign-in-records"].done, rules["sign-in-records"].kept) == (2, 1)
    assert rules["audit-trail"].done == 1 and rules["audit-trail"].kept >= 1
    assert (rules["delivery-proof"].done, rules["delivery-proof"].kept) == (1, 1)
    assert (rules["signed-in-devices"].done, rules["signed-in-devices"].kept) == (1, 1)
    text = "\n".join(report.lines())
    assert "sign-in-records: did delete 2" in text and "kept 1: younger than 12 months" in text
    assert "§ 147 AO" in text


def test_a_second_run_finds_nothing_due(old_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(now=NOW)
        again = retention_apply(now=NOW)

    assert all(rule.due == 0 and rule.done == 0 for rule in again.rules)


def test_dry_run_changes_nothing_and_reports_what_would_go(old_world):
    before = {
        "mail": OutboundEmail.objects.get(pk=old_world["mail_old"].pk).body_text,
        "audit": AuditEntry.objects.count(),
        "attachments": Attachment.objects.count(),
        "deliveries": Delivery.objects.count(),
        "devices": UserSession.objects.count(),
    }

    report = retention_apply(now=NOW, dry_run=True)

    assert before == {
        "mail": OutboundEmail.objects.get(pk=old_world["mail_old"].pk).body_text,
        "audit": AuditEntry.objects.count(),
        "attachments": Attachment.objects.count(),
        "deliveries": Delivery.objects.count(),
        "devices": UserSession.objects.count(),
    }
    assert default_storage.exists(old_world["photo_closed_long_ago"].file.name)
    rules = by_key(report)
    assert rules["sign-in-records"].due == 2 and rules["sign-in-records"].done == 0
    assert rules["outbox-bodies"].due == 1
    assert "dry run" in report.lines()[0]
    assert "sign-in-records: would delete 2" in "\n".join(report.lines())


def test_every_rule_names_what_how_long_and_the_legal_reason():
    keys = [rule.key for rule in RULES]
    assert len(keys) == len(set(keys))
    for rule in RULES:
        assert str(rule.what) and str(rule.reason) and str(rule.kept_because)
        assert rule.action in ("delete", "anonymise")


def test_the_command_prints_the_report(old_world, capsys):
    call_command("apply_retention", "--dry-run")

    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out
    for rule in RULES:
        assert rule.key in out
    assert "accounts after the tenancy" in out
    assert OutboundEmail.objects.get(pk=old_world["mail_old"].pk).body_text  # nothing changed


def test_the_daily_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tenants.tasks.retention_apply_task" in tasks


def test_a_file_another_row_still_uses_stays(django_capture_on_commit_callbacks):
    tenant = TenantFactory()
    old = request_with_photo(tenant, number=1, closed_at=ago(days=4 * 365))
    young = request_with_photo(tenant, number=2, closed_at=ago(days=10))
    Attachment.objects.filter(pk=young.pk).update(file=old.file.name)  # one photo, two rows

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(now=NOW)

    assert not exists(old) and exists(young)
    assert default_storage.exists(old.file.name)  # still shown with the younger request
    assert not default_storage.exists(old.thumbnail.name)
    assert by_key(report)["request-attachments"].files_deleted == 1
