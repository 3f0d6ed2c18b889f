"""Kontakt (requests/api.py): every endpoint for every role; the owner's requests stay theirs."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from requests.attachments import check_uploads
from requests.models import Attachment, Category, ContactRequest
from requests.services import request_create, request_reply_by_clerk

from .kit import Call, Route

SUBJECT = "Wasserfleck bei Eigentlich"
INTERNAL = "GEHEIM-NOTIZ Mieter nervt"


def png(name: str = "foto.png", size=(24, 16)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def water() -> Category:
    return Category.objects.get(name="Wasser/Sanitär")


def owner_request(world, *, subject: str = SUBJECT) -> ContactRequest:
    """One of the owner's damage reports: a photo, an answer and an internal note."""
    contact = request_create(
        tenant=world.owner,
        category=water(),
        message="Unter der Spüle ist es nass.",
        subject=subject,
        unit=world.owner_contract.unit,
        details={"location": "Küche", "since": "gestern"},
        files=check_uploads([png()]),
        user=world.owner.user,
    )
    request_reply_by_clerk(contact_request=contact, clerk=world.clerk, body=INTERNAL, internal=True)
    request_reply_by_clerk(
        contact_request=contact, clerk=world.clerk, body="Wir kommen morgen.", internal=False
    )
    return contact


def _request(world) -> ContactRequest:
    if not hasattr(world, "request_"):
        world.request_ = owner_request(world)
    return world.request_


def _more(world) -> None:
    """More requests, messages, files and status changes of the owner."""
    for number in range(3):
        contact = owner_request(world, subject=f"Noch ein Anliegen {number}")
        request_reply_by_clerk(
            contact_request=contact,
            clerk=world.clerk,
            body="Erledigt.",
            internal=False,
            status="done",
        )
    contact = _request(world)
    for _number in range(3):
        request_reply_by_clerk(
            contact_request=contact, clerk=world.clerk, body="Noch etwas", internal=False
        )


def _categories(world) -> Call:
    return Call("requests/categories", scoped=False, secrets=[world.owner_contract.unit.location])


def _list(world) -> Call:
    _request(world)
    return Call("requests", scoped=False, secrets=[SUBJECT, INTERNAL])


def _create(world) -> Call:
    return Call(
        "requests",
        data={
            "category": water().pk,
            "subject": "Fenster klemmt",
            "message": "Das Fenster im Bad schließt nicht.",
            "location": "Bad",
            "since": "seit Montag",
        },
        files=lambda: {"attachments": [png()]},
        owner_status=201,
        scoped=False,
        other_status=201,
        secrets=[world.owner.last_name],
    )


def _detail(world) -> Call:
    contact = _request(world)
    return Call(f"requests/{contact.reference}", secrets=[SUBJECT, INTERNAL])


def _attachment(world) -> Call:
    contact = _request(world)
    attachment = Attachment.objects.get(request=contact)
    return Call(f"requests/{contact.reference}/attachments/{attachment.pk}")


def _reply(world) -> Call:
    contact = _request(world)
    return Call(
        f"requests/{contact.reference}/messages",
        data={"message": "Es tropft jetzt stärker."},
        files=lambda: {"attachments": [png("mehr.png")]},
        owner_status=201,
        secrets=[SUBJECT, INTERNAL],
    )


ROUTES = [
    Route("GET", "/api/v1/requests/categories", _categories, queries=3, more=_more),
    Route("GET", "/api/v1/requests", _list, queries=2, more=_more),
    Route("POST", "/api/v1/requests", _create, queries=16),
    Route("GET", "/api/v1/requests/{reference}", _detail, queries=5, more=_more),
    Route(
        "GET",
        "/api/v1/requests/{reference}/attachments/{attachment_id}",
        _attachment,
        queries=2,
        more=_more,
    ),
    Route("POST", "/api/v1/requests/{reference}/messages", _reply, queries=17),
]
