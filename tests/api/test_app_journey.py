"""The app journey of examples/app_journey.py against the live server: sign in (also with a
second factor), list the documents and download the newest, report damage with a photo, read
the clerk's answer, sign out – through the typed client generated from the schema."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import httpx
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from documents.models import Delivery
from documents.services import document_publish
from requests.defaults import categories_ensure
from requests.models import Category, ContactRequest
from requests.services import request_reply_by_clerk
from tenants.models import Area, AuditEntry
from tests.conftest import CLERK_TOTP_SECRET, totp_code
from tests.tenants.factories import (
    PASSWORD,
    ContractFactory,
    TeamFactory,
    TenantFactory,
    UnitFactory,
)

from .conftest import make_world

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import app_journey

pytestmark = pytest.mark.django_db(transaction=True)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def tenant_with_documents():
    # The categories come from a data migration, which a transactional test run before this
    # one flushes away: the journey reports damage under "Wasser/Sanitär".
    categories_ensure(Category)
    TeamFactory(name="Technik", area=Area.TECHNICAL, email="technik@thor.example")
    world = make_world()
    pdf = b"%PDF-1.4\n% meinTHOR\n"
    for year, title in (
        (2024, "Betriebskostenabrechnung 2024"),
        (2025, "Betriebskostenabrechnung 2025"),
    ):
        document_publish(
            tenants=[world.owner],
            kind="betriebskostenabrechnung",
            title=title,
            year=year,
            content=pdf + title.encode(),
            filename=f"bk-{year}.pdf",
            contract_number=world.owner_contract.contract_number,
        )
    return world


def test_the_app_journey_against_the_live_server(live_server, tenant_with_documents, tmp_path):
    world = tenant_with_documents
    client = app_journey.sign_in(live_server.url, world.owner.user.email, PASSWORD)

    newest = app_journey.newest_document(client)
    assert newest.title == "Betriebskostenabrechnung 2025" and newest.new
    saved = app_journey.download(client, newest, tmp_path)
    assert saved.read_bytes().endswith(b"Betriebskostenabrechnung 2025")
    assert saved.suffix == ".pdf"
    delivery = Delivery.objects.get(document_id=newest.id, tenant=world.owner)
    assert delivery.first_opened_at is not None  # the proof of first opening, as on the web

    created = app_journey.report_damage(
        client, photo=_png(), photo_name="spuele.png", message="Es tropft.", location="Küche"
    )
    contact = ContactRequest.objects.get(reference=created.reference)
    assert contact.tenant == world.owner
    assert contact.attachments.count() == 1
    assert AuditEntry.objects.filter(action="request.created", object_id=str(contact.pk)).exists()
    assert app_journey.answers(client, created.reference) == []

    request_reply_by_clerk(
        contact_request=contact,
        clerk=world.clerk,
        body="Der Klempner kommt morgen.",
        internal=False,
    )
    request_reply_by_clerk(
        contact_request=contact, clerk=world.clerk, body="Intern: Rechnung prüfen", internal=True
    )
    assert app_journey.answers(client, created.reference) == ["Der Klempner kommt morgen."]

    token = client.token
    app_journey.sign_out(client)
    after = httpx.get(f"{live_server.url}/api/v1/me", headers={"X-Session-Token": token})
    assert after.status_code == 401


def test_the_journey_signs_in_with_a_second_factor(live_server, db):
    tenant = TenantFactory()
    ContractFactory(unit=UnitFactory(), partners=[tenant])
    TOTP.activate(tenant.user, CLERK_TOTP_SECRET)
    with pytest.raises(app_journey.JourneyError):
        app_journey.sign_in(live_server.url, tenant.user.email, PASSWORD)
    client = app_journey.sign_in(
        live_server.url, tenant.user.email, PASSWORD, second_factor=lambda: totp_code()
    )
    assert app_journey.newest_document(client) is None  # signed in, nothing published yet


def test_a_wrong_password_is_refused_in_the_apps_language(live_server, db):
    tenant = TenantFactory()
    with pytest.raises(app_journey.JourneyError) as refused:
        app_journey.sign_in(live_server.url, tenant.user.email, "falsch-falsch", language="de")
    assert "Passwort" in str(refused.value) or "E-Mail" in str(refused.value)
