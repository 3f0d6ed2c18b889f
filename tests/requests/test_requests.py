import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery_app import app as celery_app
from requests.models import Attachment, Category, ContactRequest, Message
from requests.services import contact_request_assignment, request_reply_by_clerk
from requests.tasks import contact_requests_route_pending_task
from tenants.assignment import assignment_route
from tenants.calendar import is_business_hours
from tenants.models import Area, AuditEntry, ClerkResponsibility, Team
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import (
    ContractFactory,
    StaffFactory,
    TeamFactory,
    TenantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def jpeg(name="foto.jpg", size=(40, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 140, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="rechnung.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test\n", content_type="application/pdf")


@pytest.fixture
def world():
    """A tenant in a property whose technical clerk and customer service team are known."""
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    contract = ContractFactory(partners=[tenant])
    prop = contract.unit.property
    technician = StaffFactory(email="technik@thor.example")
    ClerkResponsibility.objects.create(
        property=prop,
        area=Area.TECHNICAL,
        clerk=technician,
        team=TeamFactory(
            area=Area.TECHNICAL, name="Team Technik", email="technik-team@thor.example"
        ),
    )
    TeamFactory(area=Area.CUSTOMER_SERVICE, name="Team Kundenservice", email="service@thor.example")
    return tenant, contract, technician


def water():
    return Category.objects.get(name="Wasser/Sanitär")


def report_damage(client, **extra):
    data = {
        "message": "Wasser unter der Spüle",
        "location": "Küche",
        "since": "gestern",
        "getting_worse": "yes",
        **extra,
    }
    return client.post(reverse("requests:create", args=[water().pk]), data)


def test_damage_report_is_routed_to_the_technical_clerk_and_both_are_told(
    client, world, django_capture_on_commit_callbacks
):
    tenant, contract, technician = world
    client.force_login(tenant.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = report_damage(client, attachments=[jpeg()])

    request = ContactRequest.objects.get()
    assert response.url == reverse("requests:detail", args=[request.reference])
    assert request.reference.startswith(f"A-{request.created_at.year}-")
    assert request.unit == contract.unit  # one contract: chosen automatically
    assert request.assigned_to == technician and request.due_date is not None
    assert request.details["location"] == "Küche"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([technician.email, tenant.user.email])
    clerk_mail = next(m for m in mail.outbox if m.to == [technician.email])
    assert request.reference in clerk_mail.subject
    assert tenant.last_name not in clerk_mail.body  # no more personal data than needed
    assert f"/admin/requests/contactrequest/{request.pk}/" in clerk_mail.body
    tenant_mail = next(m for m in mail.outbox if m.to == [tenant.user.email])
    assert request.reference in tenant_mail.body and "040-61 32 32" in tenant_mail.body
    attachment = Attachment.objects.get()
    assert attachment.original_name == "foto.jpg" and attachment.thumbnail
    assert "foto" not in attachment.file.name  # random storage name


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (Area.TECHNICAL, "clerk"),  # a responsibility with a clerk
        (Area.CUSTOMER_SERVICE, "default_team"),  # no responsibility: the area's default team
    ],
)
def test_routing_table(world, area, expected, django_capture_on_commit_callbacks):
    from requests.services import request_create

    tenant, contract, technician = world
    category = Category.objects.filter(area=area).first()
    with django_capture_on_commit_callbacks(execute=True):
        request = request_create(tenant=tenant, category=category, message="x", unit=contract.unit)

    request.refresh_from_db()
    if expected == "clerk":
        assert request.assigned_to == technician
    else:
        assert request.assigned_to is None
        assert request.assigned_team == Team.objects.get(name="Team Kundenservice")


def test_inactive_clerk_falls_back_to_the_team(world, django_capture_on_commit_callbacks):
    from requests.services import request_create

    tenant, contract, technician = world
    technician.is_active = False
    technician.save()
    with django_capture_on_commit_callbacks(execute=True):
        request = request_create(tenant=tenant, category=water(), message="x", unit=contract.unit)

    request.refresh_from_db()
    assert request.assigned_to is None and request.assigned_team.name == "Team Technik"
    assert "technik-team@thor.example" in [m.to[0] for m in mail.outbox]


def test_routing_twice_assigns_and_notifies_once(world, django_capture_on_commit_callbacks):
    from requests.services import request_create

    tenant, contract, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        request = request_create(tenant=tenant, category=water(), message="x", unit=contract.unit)
    sent = len(mail.outbox)

    assignment_route(rules=contact_request_assignment, item_id=request.pk)

    assert len(mail.outbox) == sent
    assert AuditEntry.objects.filter(action="request.routed").count() == 1


def test_redis_down_request_is_saved_and_routed_later_by_the_sweeper(
    client, world, django_capture_on_commit_callbacks
):
    tenant, _, technician = world
    client.force_login(tenant.user)
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = report_damage(client)
    finally:
        celery_app.conf.update(task_always_eager=eager, broker_url=broker)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    assert response.status_code == 302  # the tenant is not bothered with the outage
    request = ContactRequest.objects.get()
    assert request.routed_at is None and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert contact_requests_route_pending_task(older_than_seconds=0) == 1

    request.refresh_from_db()
    assert request.assigned_to == technician
    assert technician.email in [m.to[0] for m in mail.outbox]


def test_tenant_with_several_units_must_choose(client, world):
    tenant, contract, _ = world
    ContractFactory(partners=[tenant], unit=UnitFactory(property=contract.unit.property))
    client.force_login(tenant.user)

    response = report_damage(client)

    assert response.status_code == 200
    assert "Bitte wählen Sie die Wohnung oder den Stellplatz" in response.content.decode()
    assert 'value="Küche"' in response.content.decode()  # nothing typed is lost


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("foto.jpg", b"MZ\x90\x00not a photo", content_type="image/jpeg"),
            "kein Foto",
        ),
        (SimpleUploadedFile("gross.pdf", b"%PDF-1.4\n" + b"0" * (10 * 2**20 + 1)), "höchstens"),
    ],
)
def test_attachments_are_checked_by_content_and_size(client, world, upload, message):
    tenant, _, _ = world
    client.force_login(tenant.user)

    response = report_damage(client, attachments=[upload])

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_too_many_attachments(client, world, settings):
    settings.REQUESTS_MAX_ATTACHMENTS = 2
    tenant, _, _ = world
    client.force_login(tenant.user)

    response = report_damage(client, attachments=[jpeg("a.jpg"), jpeg("b.jpg"), pdf()])

    assert "höchstens 2 Dateien" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_heic_photo_is_accepted_and_gets_a_thumbnail(client, world):
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(buffer, "HEIF")
    tenant, _, _ = world
    client.force_login(tenant.user)

    report_damage(client, attachments=[SimpleUploadedFile("IMG_0001.HEIC", buffer.getvalue())])

    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/heic" and attachment.thumbnail


def test_internal_notes_never_reach_the_tenant(client, world, django_capture_on_commit_callbacks):
    tenant, _contract, technician = world
    client.force_login(tenant.user)
    report_damage(client)
    request = ContactRequest.objects.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        request_reply_by_clerk(
            contact_request=request, clerk=technician, body="GEHEIM: Mieter nervt", internal=True
        )
        request_reply_by_clerk(
            contact_request=request,
            clerk=technician,
            body="Der Installateur kommt morgen.",
            internal=False,
        )

    page = client.get(reverse("requests:detail", args=[request.reference])).content.decode()
    assert "Der Installateur kommt morgen." in page
    assert "GEHEIM" not in page
    assert all("GEHEIM" not in m.body for m in mail.outbox)
    assert [m.to for m in mail.outbox] == [[tenant.user.email]]
    assert "Der Installateur kommt morgen." in mail.outbox[0].body


def test_tenant_answers_while_open_and_not_after_done(client, world):
    from requests.services import request_status_set

    tenant, _, technician = world
    client.force_login(tenant.user)
    report_damage(client)
    request = ContactRequest.objects.get()
    url = reverse("requests:detail", args=[request.reference])

    client.post(url, {"message": "Es wird schlimmer!", "attachments": [jpeg("mehr.jpg")]})
    assert Message.objects.filter(request=request, body="Es wird schlimmer!").exists()
    assert Attachment.objects.filter(request=request, original_name="mehr.jpg").exists()

    request_status_set(contact_request=request, status=ContactRequest.Status.DONE, clerk=technician)
    client.post(url, {"message": "Noch etwas"})
    assert not Message.objects.filter(body="Noch etwas").exists()


def test_access_table(client, world):
    tenant, _, _ = world
    client.force_login(tenant.user)
    report_damage(client, attachments=[jpeg()])
    request = ContactRequest.objects.get()
    attachment = Attachment.objects.get()
    urls = [
        reverse("requests:index"),
        reverse("requests:choose"),
        reverse("requests:create", args=[water().pk]),
        reverse("requests:detail", args=[request.reference]),
        reverse("requests:attachment", args=[request.reference, attachment.pk]),
        reverse("requests:thumbnail", args=[request.reference, attachment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response.url, url
    other = TenantFactory()
    client.force_login(other.user)
    for url in urls[3:]:
        assert client.get(url).status_code == 404, url
    # Guessing an attachment id under one's own request does not work either.
    own = ContactRequest.objects.create(
        reference="A-2000-000001", tenant=other, category=water(), subject="x"
    )
    url = reverse("requests:attachment", args=[own.reference, attachment.pk])
    assert client.get(url).status_code == 404


def test_attachment_download_has_the_right_name_and_type(client, world):
    tenant, _, _ = world
    client.force_login(tenant.user)
    report_damage(client, attachments=[pdf("Rechnung Klempner März.pdf")])
    request = ContactRequest.objects.get()
    attachment = Attachment.objects.get()

    response = client.get(reverse("requests:attachment", args=[request.reference, attachment.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''Rechnung%20Klempner%20M%C3%A4rz.pdf" in response["Content-Disposition"]


def test_no_attachment_under_media_url(client, world, settings):
    tenant, _, _ = world
    client.force_login(tenant.user)
    report_damage(client, attachments=[jpeg()])
    attachment = Attachment.objects.get()

    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404


def test_list_query_count_is_constant(client, world, count_queries):
    from requests.services import request_create

    tenant, contract, technician = world
    client.force_login(tenant.user)

    def add(n):
        for _ in range(n):
            r = request_create(tenant=tenant, category=water(), message="x", unit=contract.unit)
            request_reply_by_clerk(
                contact_request=r, clerk=technician, body="Antwort", internal=False
            )

    add(2)
    few = count_queries(lambda: client.get(reverse("requests:index")))
    add(20)
    many = count_queries(lambda: client.get(reverse("requests:index")))
    assert few == many


def test_clerk_list_query_count_is_constant(client, world, count_queries):
    from requests.services import request_create

    tenant, contract, technician = world
    technician.is_superuser = True
    technician.save()
    client.force_login(technician)
    url = reverse("admin:requests_contactrequest_changelist")

    request_create(tenant=tenant, category=water(), message="x", unit=contract.unit)
    few = count_queries(lambda: client.get(url))
    for _ in range(15):
        request_create(tenant=TenantFactory(), category=water(), message="x", unit=contract.unit)
    many = count_queries(lambda: client.get(url))
    assert few == many


def test_clerk_list_shows_my_requests_first_and_filters_overdue(client, world):
    from requests.services import request_create

    tenant, contract, technician = world
    clerk_groups_sync()
    technician.groups.add(Group.objects.get(name="Technik"))
    client.force_login(technician)
    other = request_create(
        tenant=tenant, category=Category.objects.get(name="Allgemeine Anfrage"), message="x"
    )
    mine = request_create(tenant=tenant, category=water(), message="x", unit=contract.unit)
    ContactRequest.objects.filter(pk=other.pk).update(due_date="2020-01-01")

    page = client.get(reverse("admin:requests_contactrequest_changelist")).content.decode()
    assert page.index(mine.reference) < page.index(other.reference)
    overdue = client.get(reverse("admin:requests_contactrequest_changelist"), {"due": "overdue"})
    body = overdue.content.decode().split("<tbody>")[-1]
    assert other.reference in body and mine.reference not in body


def test_clerk_replies_in_the_admin_and_can_reassign(
    client, world, django_capture_on_commit_callbacks
):
    tenant, _, technician = world
    clerk_groups_sync()
    technician.groups.add(Group.objects.get(name="Technik"))
    client.force_login(tenant.user)
    report_damage(client)
    request = ContactRequest.objects.get()
    client.force_login(technician)
    url = reverse("admin:requests_contactrequest_change", args=[request.pk])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "status": "received",
                "assigned_to": technician.pk,
                "reply_body": "Wir kommen.",
                "reply_status": "in_progress",
                "_reply": "Senden",
            },
        )
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.IN_PROGRESS
    assert mail.outbox[-1].to == [tenant.user.email]

    colleague = StaffFactory(email="kollege@thor.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"status": "in_progress", "assigned_to": colleague.pk, "_save": "Sichern"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.assigned_to == colleague
    assert mail.outbox[-1].to == ["kollege@thor.example"]


def test_address_change_is_applied_by_the_clerk_in_one_step(client, world):
    tenant, _, _technician = world
    clerk_groups_sync()
    client.force_login(tenant.user)
    category = Category.objects.get(name="Änderung der Postanschrift")
    client.post(
        reverse("requests:create", args=[category.pk]),
        {"street": "Neue Straße 5", "postal_code": "20095", "city": "Hamburg"},
    )
    request = ContactRequest.objects.get()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)

    client.post(
        reverse("admin:requests_contactrequest_change", args=[request.pk]),
        {"status": request.status, "assigned_to": "", "_apply_address": "1"},
    )

    tenant.refresh_from_db()
    request.refresh_from_db()
    assert (tenant.street, tenant.postal_code, tenant.city) == ("Neue Straße 5", "20095", "Hamburg")
    assert request.status == ContactRequest.Status.DONE
    assert AuditEntry.objects.filter(action="tenant.address_changed").exists()


def test_emergency_notice_on_damage_pages_and_outside_business_hours(client, world, monkeypatch):
    tenant, _, _ = world
    client.force_login(tenant.user)
    page = client.get(reverse("requests:create", args=[water().pk])).content.decode()
    assert "040-61 32 32" in page
    general = Category.objects.get(name="Allgemeine Anfrage")
    assert (
        "Notdienst"
        not in client.get(reverse("requests:create", args=[general.pk]))
        .content.decode()
        .split("<main")[1]
        .split("</main>")[0]
    )

    night = datetime(2026, 11, 25, 23, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr("requests.views.timezone.now", lambda: night)
    page = client.get(reverse("requests:create", args=[water().pk])).content.decode()
    assert "außerhalb der Geschäftszeiten" in page


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (datetime(2026, 11, 25, 10, 0), True),  # Wednesday morning
        (datetime(2026, 11, 25, 18, 0), False),  # Wednesday evening
        (datetime(2026, 11, 27, 15, 0), False),  # Friday afternoon (closes at 14)
        (datetime(2026, 11, 28, 10, 0), False),  # Saturday
        (datetime(2026, 12, 25, 10, 0), False),  # Christmas
    ],
)
def test_business_hours(moment, open_):
    assert is_business_hours(moment.replace(tzinfo=ZoneInfo("Europe/Berlin"))) is open_


def test_clerk_opens_the_tenants_photo_in_the_admin(client, world):
    tenant, _, technician = world
    clerk_groups_sync()
    technician.groups.add(Group.objects.get(name="Technik"))
    client.force_login(tenant.user)
    report_damage(client, attachments=[jpeg()])
    attachment = Attachment.objects.get()
    client.force_login(technician)

    response = client.get(reverse("admin:requests_attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    client.force_login(tenant.user)  # not a clerk: the admin refuses
    assert (
        client.get(reverse("admin:requests_attachment_download", args=[attachment.pk])).status_code
        == 302
    )


def test_the_property_decides_who_gets_the_request(world, django_capture_on_commit_callbacks):
    from requests.services import request_create

    tenant, contract, technician = world
    elsewhere = ContractFactory(partners=[tenant])
    other_clerk = StaffFactory(email="technik-west@thor.example")
    ClerkResponsibility.objects.create(
        property=elsewhere.unit.property,
        area=Area.TECHNICAL,
        clerk=other_clerk,
        team=Team.objects.get(name="Team Technik"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        here = request_create(tenant=tenant, category=water(), message="x", unit=contract.unit)
        there = request_create(tenant=tenant, category=water(), message="x", unit=elsewhere.unit)

    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.assigned_to, there.assigned_to) == (technician, other_clerk)


def test_a_tenant_reply_tells_the_clerk(client, world, django_capture_on_commit_callbacks):
    tenant, _, technician = world
    client.force_login(tenant.user)
    with django_capture_on_commit_callbacks(execute=True):
        report_damage(client)
    request = ContactRequest.objects.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("requests:detail", args=[request.reference]), {"message": "Noch da"})

    assert [m.to for m in mail.outbox] == [[technician.email]]


def test_replying_with_a_stale_form_does_not_undo_newer_changes(
    client, world, django_capture_on_commit_callbacks
):
    from requests.services import request_status_set

    tenant, _, technician = world
    clerk_groups_sync()
    technician.groups.add(Group.objects.get(name="Technik"))
    client.force_login(tenant.user)
    with django_capture_on_commit_callbacks(execute=True):
        report_damage(client)
    request = ContactRequest.objects.get()
    # The clerk's page still shows "received"; meanwhile the request moved on.
    request_status_set(
        contact_request=request, status=ContactRequest.Status.WAITING, clerk=technician
    )
    client.force_login(technician)

    client.post(
        reverse("admin:requests_contactrequest_change", args=[request.pk]),
        {"status": "received", "assigned_to": "", "reply_body": "Hallo", "_reply": "Senden"},
    )

    request.refresh_from_db()
    assert request.status == ContactRequest.Status.WAITING
    assert request.assigned_to == technician


def test_unknown_status_is_refused(world):
    from requests.services import RequestError, request_create

    tenant, contract, technician = world
    request = request_create(tenant=tenant, category=water(), message="x", unit=contract.unit)

    with pytest.raises(RequestError):
        request_reply_by_clerk(
            contact_request=request, clerk=technician, body="x", internal=False, status="hacked"
        )


def test_a_giant_image_is_refused_before_decoding(client, world):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # 81 megapixels in a few kilobytes
    tenant, _, _ = world
    client.force_login(tenant.user)

    response = report_damage(
        client, attachments=[SimpleUploadedFile("bombe.png", buffer.getvalue())]
    )

    assert response.status_code == 200
    assert "9000 × 9000 Pixel" in response.content.decode()
    assert not ContactRequest.objects.exists()


def _png_header_and_rows(width, height, mode_bytes=b"\x08\x06"):
    """A valid 8-bit RGBA PNG of zeros, compressed row by row: tiny file, huge when decoded."""
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">II", width, height) + mode_bytes + b"\x00\x00\x00"
    compressor = zlib.compressobj(9)
    row = bytes(1 + width * 4)  # filter byte + RGBA
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_small_png_that_decodes_to_240_mb_is_refused_without_decoding(client, world, monkeypatch):
    import time
    import tracemalloc

    from PIL import ImageFile

    data = _png_header_and_rows(7740, 7740)
    assert len(data) < 300_000  # the file is small; decoded it would be 7740 × 7740 × 4 bytes
    decoded = []
    original_load = ImageFile.ImageFile.load

    def spy_load(image):
        decoded.append(image.size)
        return original_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)
    tenant, _, _ = world
    client.force_login(tenant.user)
    files = [SimpleUploadedFile(f"bombe{i}.png", data) for i in range(5)]

    tracemalloc.start()
    started = time.monotonic()
    try:
        response = report_damage(client, attachments=files)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    seconds = time.monotonic() - started

    assert response.status_code == 200
    assert "„bombe0.png“ hat 7740 × 7740 Pixel" in response.content.decode()
    assert "Wasser unter der Spüle" in response.content.decode()  # the input is kept
    assert not ContactRequest.objects.exists()
    assert decoded == []  # only the header was read
    assert seconds < 1.5  # decoding one of them alone takes over a second
    assert peak < 20 * 2**20


def test_a_large_jpeg_photo_is_accepted_because_it_decodes_at_reduced_size(client, world):
    from PIL import Image

    buffer = io.BytesIO()
    # 27 megapixels: 108 MB decoded in full, but JPEG decodes at 1/8 for the thumbnail.
    Image.new("RGB", (6000, 4500), (120, 140, 200)).save(buffer, "JPEG", quality=30)
    tenant, _, _ = world
    client.force_login(tenant.user)

    response = report_damage(
        client, attachments=[SimpleUploadedFile("kamera.jpg", buffer.getvalue())]
    )

    assert response.status_code == 302
    assert Attachment.objects.get().thumbnail


def test_make_thumbnail_keeps_the_photo_upright(world):
    from PIL import Image

    from requests.attachments import make_thumbnail

    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise when taken
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400)).save(buffer, "JPEG", exif=exif)

    with Image.open(make_thumbnail(buffer.getvalue())) as thumbnail:
        assert thumbnail.size == (160, 320)


@pytest.fixture
def bytes_reaching_storage(monkeypatch):
    """How many bytes of uploaded files Django's own handlers (memory, temporary file) got."""
    from django.core.files import uploadhandler

    received = []
    for cls in (uploadhandler.MemoryFileUploadHandler, uploadhandler.TemporaryFileUploadHandler):
        original = cls.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            received.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(cls, "receive_data_chunk", spy)
    return received


def test_a_file_above_the_limit_is_stopped_while_it_uploads(
    client, world, settings, bytes_reaching_storage
):
    settings.REQUESTS_MAX_ATTACHMENT_BYTES = 100_000
    tenant, _, _ = world
    client.force_login(tenant.user)
    big = SimpleUploadedFile("gross.pdf", b"%PDF-1.4\n" + b"0" * 1_000_000)

    response = report_damage(client, attachments=[big])

    html = response.content.decode()
    assert response.status_code == 200
    assert "„gross.pdf“ ist größer als 97,7\xa0KB" in html
    assert "Wasser unter der Spüle" in html and "Küche" in html  # the input is kept
    assert not ContactRequest.objects.exists()
    assert sum(bytes_reaching_storage) <= 100_000  # the rest was dropped, never stored


def test_files_together_above_count_times_limit_are_stopped_while_they_upload(
    client, world, settings, bytes_reaching_storage
):
    settings.REQUESTS_MAX_ATTACHMENT_BYTES = 100_000
    settings.REQUESTS_MAX_ATTACHMENTS = 2
    tenant, _, _ = world
    client.force_login(tenant.user)
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n" + b"0" * 90_000) for i in range(4)]

    response = report_damage(client, attachments=files)

    assert "Ihre Dateien sind zusammen größer als 195,3\xa0KB" in response.content.decode()
    assert not ContactRequest.objects.exists()
    assert sum(bytes_reaching_storage) <= 200_000


def test_a_reply_with_a_file_above_the_limit_is_stopped_while_it_uploads(
    client, world, settings, bytes_reaching_storage
):
    tenant, _, _ = world
    client.force_login(tenant.user)
    report_damage(client)
    request = ContactRequest.objects.get()
    settings.REQUESTS_MAX_ATTACHMENT_BYTES = 100_000

    response = client.post(
        reverse("requests:detail", args=[request.reference]),
        {
            "message": "Hier das Video",
            "attachments": [SimpleUploadedFile("video.pdf", b"%PDF-1.4\n" + b"0" * 500_000)],
        },
    )

    assert response.status_code == 200
    assert "„video.pdf“ ist größer als" in response.content.decode()
    assert not Message.objects.filter(body="Hier das Video").exists()
    assert sum(bytes_reaching_storage) <= 100_000


def test_the_upload_limited_views_still_check_the_csrf_token(world):
    from django.test import Client

    tenant, _, _ = world
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(tenant.user)

    response = report_damage(strict, attachments=[jpeg()])

    assert response.status_code == 403
    assert not ContactRequest.objects.exists()
