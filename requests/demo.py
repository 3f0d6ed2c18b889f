"""Demo requests for `manage.py seed_demo`: several states, one damage report with a photo."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.models import Contract, Tenant, User
from tenants.selectors import unit_tenancies

from .attachments import check_uploads
from .defaults import categories_ensure
from .models import Category, ContactRequest
from .services import request_create, request_reply_by_clerk


def _demo_photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (200, 215, 225))
    draw = ImageDraw.Draw(image)
    draw.ellipse((220, 260, 460, 400), fill=(90, 120, 160))  # a puddle under the sink
    draw.rectangle((180, 80, 480, 200), fill=(240, 240, 240))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("wasserfleck.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_requests(stdout) -> None:
    categories_ensure(Category)
    maria = Tenant.objects.filter(user__email="mieterin@example.com").first()
    juergen = Tenant.objects.filter(user__email="mieter@example.com").first()
    clerk = User.objects.filter(email="technik@example.com").first()
    service = User.objects.filter(email="sachbearbeitung@example.com").first()
    if maria is None or ContactRequest.objects.filter(tenant=maria).exists():
        return
    flat = next((t.unit for t in _units(maria) if t.unit.kind == "flat"), None)
    water = Category.objects.get(name="Wasser/Sanitär")
    damage = request_create(
        tenant=maria,
        category=water,
        subject="Wasserfleck unter der Spüle",
        message="Unter der Küchenspüle ist seit gestern eine Pfütze, der Schrank ist feucht.",
        unit=flat,
        details={
            "location": "Küche, unter der Spüle",
            "since": "seit gestern",
            "getting_worse": "yes",
        },
        files=check_uploads([_demo_photo()]),
        user=maria.user,
    )
    if clerk is not None:
        request_reply_by_clerk(
            contact_request=damage,
            clerk=clerk,
            body="Danke für das Foto. Der Installateur kommt morgen zwischen 8 und 12 Uhr.",
            internal=False,
        )
        request_reply_by_clerk(
            contact_request=damage,
            clerk=clerk,
            body="Firma Klempner-Nord beauftragt, Auftrag 4711.",
            internal=True,
        )
    certificate = request_create(
        tenant=maria,
        category=Category.objects.get(name="Mietbescheinigung"),
        message="Ich brauche eine Mietbescheinigung für das Jobcenter.",
        unit=flat,
        user=maria.user,
    )
    if service is not None:
        request_reply_by_clerk(
            contact_request=certificate,
            clerk=service,
            body="Die Bescheinigung ist unterwegs per Post.",
            internal=False,
            status=ContactRequest.Status.DONE,
        )
    if juergen is not None:
        request_create(
            tenant=juergen,
            category=Category.objects.get(name="Allgemeine Anfrage"),
            message="Wann wird das Treppenhaus gestrichen?",
            unit=next((t.unit for t in _units(juergen)), None),
            user=juergen.user,
        )
    stdout.write(f"Requests: {ContactRequest.objects.count()}")


def _units(tenant):
    return unit_tenancies(tenant=tenant, phases=(Contract.Phase.CURRENT, Contract.Phase.UPCOMING))
