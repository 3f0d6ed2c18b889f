"""The clerk's request page in the admin, as the three clerk groups see it (never a superuser)."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from documents.models import Document
from requests.models import Attachment, Category, ContactRequest, ScheduledAddressChange
from requests.services import request_reply_by_clerk
from requests.tasks import scheduled_address_changes_apply_task
from tenants.models import AuditEntry
from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(name="wasserfleck.jpg"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (120, 140, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def tenant():
    tenant = TenantFactory(
        first_name="Maria", last_name="Müller", street="Alte Straße 1", postal_code="22763"
    )
    ContractFactory(partners=[tenant])
    return tenant


@pytest.fixture
def clerk(client):
    """Log in a new member of one clerk group (the real groups from sync_clerk_groups)."""
    call_command("sync_clerk_groups", verbosity=0)

    def login(group: str):
        user = StaffFactory(first_name="Klara", last_name="Kraft")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return user

    return login


def send(client, tenant, category_name, data):
    client.force_login(tenant.user)
    category = Category.objects.get(name=category_name)
    response = client.post(reverse("requests:create", args=[category.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ContactRequest.objects.filter(tenant=tenant).latest("pk")


def damage_report(client, tenant):
    return send(
        client,
        tenant,
        "Wasser/Sanitär",
        {
            "message": "Unter der Spüle steht Wasser.",
            "location": "Küche",
            "since": "gestern",
            "getting_worse": "yes",
            "attachments": [jpeg()],
        },
    )


def address_request(client, tenant, valid_from=None):
    data = {"street": "Neue Straße 5", "postal_code": "20095", "city": "Hamburg"}
    if valid_from:
        data["valid_from"] = valid_from.isoformat()
    return send(client, tenant, "Änderung der Postanschrift", data)


def document_request(client, tenant):
    return send(
        client,
        tenant,
        "Dokument anfordern",
        {"message": "Bitte die Abrechnung", "document": "Betriebskostenabrechnung", "year": 2024},
    )


def change_page(contact_request):
    return reverse("admin:requests_contactrequest_change", args=[contact_request.pk])


def press(client, contact_request, button, **extra):
    return client.post(
        change_page(contact_request),
        {"status": contact_request.status, "assigned_to": "", button: "1", **extra},
    )


def test_technik_reads_message_photo_details_and_history_of_a_damage_report(client, tenant, clerk):
    report = damage_report(client, tenant)
    colleague = StaffFactory(first_name="Tom", last_name="Technik")
    request_reply_by_clerk(
        contact_request=report, clerk=colleague, body="Klempner-Nord beauftragt.", internal=True
    )
    photo = Attachment.objects.get()
    clerk("Technik")

    page = client.get(change_page(report)).content.decode()

    assert "Unter der Spüle steht Wasser." in page
    assert "Klempner-Nord beauftragt." in page and "Interne Notiz – die Mieterin" in page
    thumbnail = reverse("admin:requests_attachment_thumbnail", args=[photo.pk])
    full = reverse("admin:requests_attachment_download", args=[photo.pk])
    assert f'<a href="{full}" target="_blank"' in page and f'<img src="{thumbnail}"' in page
    # The details in words, with the form's German labels; no raw JSON.
    assert "<dt>Wo in der Wohnung?</dt><dd>Küche</dd>" in page
    assert "<dt>Wird es schlimmer?</dt><dd>ja</dd>" in page
    assert "getting_worse" not in page
    history = page.split("request-history")[1]
    assert "Eingegangen" in history and "Maria Müller" in history
    assert client.get(thumbnail).status_code == 200
    response = client.get(full)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    ("group", "button", "allowed"),
    [
        ("Kundenservice", "_apply_address", True),
        ("Mietenbuchhaltung", "_apply_address", False),
        ("Technik", "_apply_address", False),
        ("Kundenservice", "_send_document", True),
        ("Mietenbuchhaltung", "_send_document", True),
        ("Technik", "_send_document", False),
    ],
)
def test_each_button_needs_its_own_permission(client, tenant, clerk, group, button, allowed):
    if button == "_apply_address":
        contact_request = address_request(client, tenant)
    else:
        contact_request = document_request(client, tenant)
    clerk(group)

    page = client.get(change_page(contact_request)).content.decode()

    assert (f'name="{button}"' in page) is allowed
    assert 'name="_reply"' in page  # every group may answer
    if allowed:
        return
    response = press(
        client,
        contact_request,
        button,
        document_file=SimpleUploadedFile("brief.pdf", PDF),
        document_title="Abrechnung",
    )
    assert response.status_code == 403
    tenant.refresh_from_db()
    contact_request.refresh_from_db()
    assert tenant.street == "Alte Straße 1"
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="tenant.address_changed").exists()
    assert contact_request.is_open and contact_request.messages.count() == 1


def test_kundenservice_applies_an_address_valid_today(client, tenant, clerk):
    contact_request = address_request(client, tenant, valid_from=timezone.localdate())
    clerk("Kundenservice")

    response = press(client, contact_request, "_apply_address")

    assert response.status_code == 302
    tenant.refresh_from_db()
    contact_request.refresh_from_db()
    assert (tenant.street, tenant.postal_code) == ("Neue Straße 5", "20095")
    assert AuditEntry.objects.filter(action="tenant.address_changed", tenant=tenant).count() == 1
    assert contact_request.status == ContactRequest.Status.DONE
    assert not ScheduledAddressChange.objects.exists()


def test_a_future_address_is_scheduled_and_applied_on_its_date_not_before(
    client, tenant, clerk, django_capture_on_commit_callbacks
):
    moving_day = timezone.localdate() + timedelta(days=10)
    contact_request = address_request(client, tenant, valid_from=moving_day)
    clerk("Kundenservice")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = press(client, contact_request, "_apply_address")

    assert response.status_code == 302
    tenant.refresh_from_db()
    contact_request.refresh_from_db()
    assert tenant.street == "Alte Straße 1"
    assert contact_request.status == ContactRequest.Status.DONE
    day = date_format(moving_day, "SHORT_DATE_FORMAT")
    assert f"Wir übernehmen Ihre neue Anschrift wie gewünscht zum {day}." in mail.outbox[-1].body
    page = client.get(change_page(contact_request)).content.decode()
    assert f"Die neue Anschrift wird am {day} übernommen." in page
    assert 'name="_apply_address"' not in page

    def run_on(day):
        with mock.patch("django.utils.timezone.localdate", return_value=day):
            return scheduled_address_changes_apply_task.apply().get()

    assert run_on(moving_day - timedelta(days=1)) == 0
    tenant.refresh_from_db()
    assert tenant.street == "Alte Straße 1"

    assert run_on(moving_day) == 1
    assert run_on(moving_day) == 0  # idempotent
    call_command("apply_scheduled_addresses", stdout=io.StringIO())
    tenant.refresh_from_db()
    assert (tenant.street, tenant.postal_code) == ("Neue Straße 5", "20095")
    assert AuditEntry.objects.filter(action="tenant.address_changed", tenant=tenant).count() == 1
    assert ScheduledAddressChange.objects.get().applied_at is not None
    page = client.get(change_page(contact_request)).content.decode()
    assert f"Die neue Anschrift wurde am {day} übernommen." in page


def test_kundenservice_answers_with_a_pdf_through_the_multipart_form(
    client, tenant, clerk, django_capture_on_commit_callbacks
):
    contact_request = document_request(client, tenant)
    clerk("Kundenservice")

    page = client.get(change_page(contact_request)).content.decode()
    assert '<form enctype="multipart/form-data"' in page  # else the browser drops the file

    with django_capture_on_commit_callbacks(execute=True):
        response = press(
            client,
            contact_request,
            "_send_document",
            document_title="Betriebskostenabrechnung 2024",
            document_file=SimpleUploadedFile("bk2024.pdf", PDF),
        )

    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.DONE
    client.force_login(tenant.user)
    documents = client.get(reverse("documents:index")).content.decode()
    assert "Betriebskostenabrechnung 2024" in documents


def test_status_received_and_the_date_label_are_distinct(client, tenant, clerk):
    report = damage_report(client, tenant)

    tenant_list = client.get(reverse("requests:index")).content.decode()
    assert "Eingegangen" in tenant_list and "Eingegangen am" not in tenant_list
    history = client.get(reverse("requests:detail", args=[report.reference])).content.decode()
    assert ": eingegangen</li>" in history
    clerk("Technik")
    page = client.get(change_page(report)).content.decode()
    assert "Eingegangen am" in page  # the label of the date
    assert '<option value="received" selected>eingegangen</option>' in page
    changelist = client.get(reverse("admin:requests_contactrequest_changelist")).content.decode()
    assert "eingegangen am" not in changelist.lower()
    with translation.override("en"):
        assert str(ContactRequest.Status.RECEIVED.label) == "received"
        assert str(ContactRequest._meta.get_field("created_at").verbose_name) == "received on"


def test_request_list_has_only_narrow_columns(client, tenant, clerk):
    damage_report(client, tenant)
    clerk("Technik")

    page = client.get(reverse("admin:requests_contactrequest_changelist")).content.decode()

    for column in ("reference", "subject_short", "tenant_short", "status", "due", "assignee"):
        assert f"column-{column}" in page
    assert "column-category" not in page and "column-updated_at" not in page


def test_an_overdue_request_is_marked_in_its_due_date_column(client, tenant, clerk):
    report = damage_report(client, tenant)
    ContactRequest.objects.filter(pk=report.pk).update(due_date="2020-01-06")
    clerk("Technik")

    page = client.get(reverse("admin:requests_contactrequest_changelist")).content.decode()

    assert '06.01.2020<br><span class="request-overdue">überfällig</span>' in page


def test_admin_sections_carry_the_clerks_words(client, clerk):
    clerk("Kundenservice")

    page = client.get(reverse("admin:index")).content.decode()

    for title in ("Anliegen", "Stammdaten", "Dokumente", "Bankverbindungen", "Verbräuche"):
        assert f">{title}<" in page
    assert "Meine Verträge" not in page and "Meine Dokumente" not in page


def test_clerk_page_query_count_does_not_grow_with_messages_and_attachments(
    client, tenant, clerk, count_queries
):
    report = damage_report(client, tenant)
    technician = clerk("Technik")
    url = change_page(report)
    client.get(url)  # warm caches (content types, permissions)
    few = count_queries(lambda: client.get(url))

    photo = Attachment.objects.get()
    for number in range(6):
        message = request_reply_by_clerk(
            contact_request=report, clerk=technician, body=f"Antwort {number}", internal=False
        )
        Attachment.objects.create(
            request=report,
            message=message,
            file=photo.file.name,
            thumbnail=photo.thumbnail.name,
            original_name=f"foto{number}.jpg",
            content_type="image/jpeg",
            size=photo.size,
        )
    many = count_queries(lambda: client.get(url))

    assert few == many


def test_saving_a_stale_page_does_not_undo_a_colleagues_change(
    client, django_capture_on_commit_callbacks
):
    """Clerk A loaded the page before clerk B closed the request and took it over; A's save of
    the old page must neither reopen it nor hand it back."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from requests.models import Category, ContactRequest
    from requests.services import request_create
    from tests.tenants.factories import StaffFactory, TenantFactory

    call_command("sync_clerk_groups", verbosity=0)
    clerk_a, clerk_b = StaffFactory(), StaffFactory()
    for clerk in (clerk_a, clerk_b):
        clerk.groups.add(Group.objects.get(name="Kundenservice"))
    contact_request = request_create(
        tenant=TenantFactory(),
        category=Category.objects.get(name="Allgemeine Anfrage"),
        message="Frage",
    )
    ContactRequest.objects.filter(pk=contact_request.pk).update(assigned_to=clerk_a)
    url = reverse("admin:requests_contactrequest_change", args=[contact_request.pk])
    client.force_login(clerk_a)
    loaded = client.get(url).context["adminform"].form
    stale = {
        name: loaded[name].value() or ""
        for name in loaded.fields
        if name in ("status", "assigned_to", "assigned_team")
    }
    stale |= {f"initial-{name}": value for name, value in stale.items()}
    # Meanwhile clerk B closes it and takes it over.
    ContactRequest.objects.filter(pk=contact_request.pk).update(
        status=ContactRequest.Status.DONE, assigned_to=clerk_b
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, stale)

    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.DONE
    assert contact_request.assigned_to == clerk_b
