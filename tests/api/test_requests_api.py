"""Kontakt in the app: the same topics, forms, limits, texts and services as the pages."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from requests.models import Attachment, Category, ContactRequest, Message
from requests.selectors import category_groups
from requests.services import request_reply_by_clerk, request_status_set
from tenants.models import Area, AuditEntry
from tests.tenants.factories import ContractFactory, TeamFactory, UnitFactory

from .access_requests import INTERNAL, SUBJECT, owner_request, png, water
from .kit import AppClient, problem, token_for

pytestmark = pytest.mark.django_db


def speaking(user, language: str) -> AppClient:
    user.language = language
    user.save(update_fields=["language"])
    return AppClient(token_for(user))


def damage(**extra) -> dict:
    return {
        "category": water().pk,
        "message": "Wasser unter der Spüle",
        "location": "Küche",
        "since": "gestern",
        "getting_worse": "yes",
        **extra,
    }


def pdf(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_categories_are_the_pages_topics_with_their_forms_in_the_accounts_language(world):
    app = speaking(world.owner.user, "en")

    response = app.get("requests/categories")

    assert response.status_code == 200
    body = response.json()
    page_order = [c.pk for _group, members in category_groups() for c in members]
    assert [c["id"] for g in body["groups"] for c in g["categories"]] == page_order
    water_entry = next(c for g in body["groups"] for c in g["categories"] if c["id"] == water().pk)
    assert water_entry["name"] == "Water/plumbing" and water_entry["group"] == "damage"
    assert water_entry["shows_emergency"] and water_entry["photos_allowed"]
    fields = {f["name"]: f for f in water_entry["fields"]}
    assert list(fields) == [
        "location",
        "since",
        "getting_worse",
        "access",
        "subject",
        "message",
        "attachments",
    ]  # the page's order; one flat: no unit choice
    assert fields["location"] == {
        "name": "location",
        "label": "Where in the flat?",
        "kind": "text",
        "required": True,
        "help_text": "e.g. bathroom, under the sink",
        "max_length": 200,
        "choices": [],
    }
    assert fields["message"]["kind"] == "textarea" and fields["attachments"]["kind"] == "files"
    assert [c["value"] for c in fields["getting_worse"]["choices"]] == ["yes", "no", "unknown"]
    assert body["emergency"]["phone"] == "040-61 32 32"
    assert "112" in body["emergency"]["gas_hint"]
    assert body["attachments"] == {
        "max_files": 5,
        "max_file_bytes": 10 * 2**20,
        "content_types": ["image/jpeg", "image/png", "image/heic", "application/pdf"],
    }
    address = next(c for g in body["groups"] for c in g["categories"] if c["group"] == "address")
    assert not next(f for f in address["fields"] if f["name"] == "message")["required"]

    german = speaking(world.owner.user, "de").get("requests/categories").json()
    names = [c["name"] for g in german["groups"] for c in g["categories"]]
    assert "Wasser/Sanitär" in names and "Water/plumbing" not in names
    assert german["emergency"]["gas_hint"].startswith("Bei Gasgeruch")


def test_outside_business_hours_the_emergency_notice_says_call_now(world, monkeypatch):
    monkeypatch.setattr("requests.api.is_business_hours", lambda moment: False)
    app = speaking(world.owner.user, "de")

    emergency = app.get("requests/categories").json()["emergency"]

    assert emergency["outside_business_hours"] is True
    assert emergency["title"] == "Wir sind gerade außerhalb der Geschäftszeiten."
    assert emergency["phone_uri"].startswith("tel:+49")


def test_a_tenant_with_two_flats_chooses_the_unit(world):
    second = ContractFactory(partners=[world.owner], unit=UnitFactory())
    app = speaking(world.owner.user, "de")

    body = app.get("requests/categories").json()
    water_entry = next(c for g in body["groups"] for c in g["categories"] if c["id"] == water().pk)
    unit = water_entry["fields"][0]
    assert unit["name"] == "unit" and unit["kind"] == "choice" and unit["required"]
    assert {c["value"] for c in unit["choices"]} == {
        str(world.owner_contract.unit.pk),
        str(second.unit.pk),
    }

    refused = app.post("requests", data=damage())
    assert refused.status_code == 422
    assert problem(refused)["errors"] == [
        {"field": "unit", "message": "Bitte wählen Sie die Wohnung oder den Stellplatz."}
    ]
    created = app.post("requests", data=damage(unit=second.unit.pk))
    assert created.status_code == 201
    assert ContactRequest.objects.get().unit == second.unit


def test_a_damage_report_with_a_photo_is_saved_routed_confirmed_and_audited(
    world, django_capture_on_commit_callbacks
):
    TeamFactory(area=Area.TECHNICAL, name="Team Technik", email="technik@thor.example")
    app = speaking(world.owner.user, "de")

    with django_capture_on_commit_callbacks(execute=True):
        response = app.post("requests", data=damage(), files={"attachments": [png("bad.png")]})

    assert response.status_code == 201, response.content
    body = response.json()
    contact = ContactRequest.objects.get()
    assert body["reference"] == contact.reference and body["status"] == "received"
    assert body["unit"].startswith("Wohnung")  # one flat: chosen automatically
    assert contact.unit == world.owner_contract.unit
    assert {"label": "Wo in der Wohnung?", "value": "Küche"} in body["details"]
    [message] = body["messages"]
    assert message["body"] == "Wasser unter der Spüle" and message["author"] == "Sie"
    [photo] = message["attachments"]
    assert photo["name"] == "bad.png" and photo["content_type"] == "image/png"
    assert photo["thumbnail_path"] == photo["download_path"] + "?thumbnail=true"
    assert [change["status"] for change in body["status_history"]] == ["received"]

    entry = AuditEntry.objects.get(action="request.created")
    assert entry.actor == world.owner.user and entry.changes["attachments"] == 1
    assert contact.routed_at is not None  # routed after commit, by the task
    assert world.owner.user.email in [m.to[0] for m in mail.outbox]  # the confirmation

    download = app.get(photo["download_path"])
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    preview = app.get(photo["thumbnail_path"])
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Bitte höchstens 2 Dateien je Anliegen."),
        ("en", "At most 2 files per request, please."),
    ],
)
def test_too_many_files_are_refused_and_nothing_is_saved(world, settings, language, expected):
    settings.REQUESTS_MAX_ATTACHMENTS = 2
    app = speaking(world.owner.user, language)

    response = app.post(
        "requests", data=damage(), files={"attachments": [png("a.png"), png("b.png"), png("c.png")]}
    )

    assert response.status_code == 422
    assert problem(response)["errors"] == [{"field": "attachments", "message": expected}]
    assert not ContactRequest.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "„gross.pdf“ ist größer als 97,7\xa0KB"),
        ("en", "“gross.pdf” is larger than 97.7\xa0KB"),
    ],
)
def test_a_file_above_the_limit_is_refused_while_it_uploads(world, settings, language, expected):
    settings.REQUESTS_MAX_ATTACHMENT_BYTES = 100_000
    app = speaking(world.owner.user, language)

    response = app.post(
        "requests", data=damage(), files={"attachments": [pdf("gross.pdf", 500_000)]}
    )

    assert response.status_code == 422
    [error] = problem(response)["errors"]
    assert error["field"] == "attachments" and error["message"].startswith(expected)
    assert not ContactRequest.objects.exists()


def test_a_file_that_is_no_photo_is_refused_by_its_content(world):
    app = speaking(world.owner.user, "en")
    fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00not a photo", content_type="image/png")

    response = app.post("requests", data=damage(), files={"attachments": [fake]})

    assert response.status_code == 422
    assert "is not a photo" in problem(response)["errors"][0]["message"]
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Bitte geben Sie an, wo in der Wohnung der Schaden ist."),
        ("en", "Please tell us where in the flat the damage is."),
    ],
)
def test_the_forms_errors_name_their_fields_in_the_accounts_language(world, language, expected):
    app = speaking(world.owner.user, language)

    response = app.post("requests", data=damage(location="", getting_worse="sometimes"))

    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in problem(response)["errors"]}
    assert errors["location"] == expected
    assert set(errors) == {"location", "getting_worse"}
    assert not ContactRequest.objects.exists()


def test_an_unknown_or_inactive_topic_is_refused(world):
    app = speaking(world.owner.user, "de")
    Category.objects.filter(pk=water().pk).update(is_active=False)

    response = app.post("requests", data=damage())

    assert response.status_code == 422
    assert [e["field"] for e in problem(response)["errors"]] == ["category"]
    assert not ContactRequest.objects.exists()


def test_the_list_is_newest_first_with_the_latest_answer_never_an_internal_note(world):
    older = owner_request(world, subject="Älteres Anliegen")
    ContactRequest.objects.filter(pk=older.pk).update(
        created_at=older.created_at - timedelta(days=3)
    )
    newer = owner_request(world)
    request_reply_by_clerk(contact_request=newer, clerk=world.clerk, body="NOTIZ2", internal=True)
    app = speaking(world.owner.user, "en")

    response = app.get("requests?page_size=1")

    assert response.status_code == 200
    body = response.json()
    [item] = body["results"]
    assert item["reference"] == newer.reference and item["subject"] == SUBJECT
    assert item["category"] == {"id": water().pk, "name": "Water/plumbing"}
    assert item["status"] == "in_progress" and item["status_label"] == "In progress"
    assert item["latest_answer"] == "Wir kommen morgen." and item["answers"] == 1
    assert body["next"]
    following = app.get(body["next"].removeprefix("http://testserver")).json()
    assert [i["reference"] for i in following["results"]] == [older.reference]
    text = json.dumps([body, following], ensure_ascii=False)
    assert INTERNAL not in text and "NOTIZ2" not in text


def test_a_reply_with_a_photo_appears_in_the_detail_and_notes_never_do(world):
    contact = owner_request(world)
    app = speaking(world.owner.user, "de")
    url = f"requests/{contact.reference}"

    response = app.post(
        f"{url}/messages",
        data={"message": "Es tropft jetzt stärker."},
        files={"attachments": [png("mehr.png")]},
    )

    assert response.status_code == 201, response.content
    detail = app.get(url).json()
    assert detail == response.json()
    bodies = [(m["from_tenant"], m["body"]) for m in detail["messages"]]
    assert bodies == [
        (True, "Unter der Spüle ist es nass."),
        (False, "Wir kommen morgen."),
        (True, "Es tropft jetzt stärker."),
    ]
    assert detail["messages"][1]["author"].endswith(f"({world.clerk.first_name})")
    assert [a["name"] for a in detail["messages"][2]["attachments"]] == ["mehr.png"]
    assert INTERNAL not in json.dumps(detail, ensure_ascii=False)
    assert Message.objects.filter(internal=True).count() == 1


def test_an_internal_notes_file_is_not_offered_for_download(world):
    contact = owner_request(world)
    note = Message.objects.get(internal=True)
    hidden = Attachment.objects.create(
        request=contact,
        message=note,
        original_name="intern.pdf",
        content_type="application/pdf",
        size=3,
        file="requests/intern.pdf",
    )
    app = speaking(world.owner.user, "de")

    detail = app.get(f"requests/{contact.reference}").json()
    response = app.get(f"requests/{contact.reference}/attachments/{hidden.pk}")

    assert "intern.pdf" not in json.dumps(detail)
    assert response.status_code == 404
    problem(response)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Dieses Anliegen ist abgeschlossen. Bitte senden Sie uns ein neues."),
        ("en", "This request is closed. Please send us a new one."),
    ],
)
def test_no_reply_once_the_request_is_done(world, language, expected):
    contact = owner_request(world)
    request_status_set(contact_request=contact, status="done", clerk=world.clerk)
    app = speaking(world.owner.user, language)

    response = app.post(f"requests/{contact.reference}/messages", data={"message": "Noch etwas"})

    assert response.status_code == 409
    body = problem(response)
    assert body["code"] == "closed" and body["detail"] == expected
    assert not Message.objects.filter(body="Noch etwas").exists()
    assert app.get(f"requests/{contact.reference}").json()["can_reply"] is False


def test_an_empty_reply_is_refused_with_the_pages_message(world):
    contact = owner_request(world)
    app = speaking(world.owner.user, "en")

    response = app.post(f"requests/{contact.reference}/messages", data={"message": ""})

    assert response.status_code == 422
    assert problem(response)["errors"] == [
        {"field": "message", "message": "Please write your answer."}
    ]


def test_replies_count_towards_the_requests_file_limit(world, settings):
    settings.REQUESTS_MAX_ATTACHMENTS = 2
    contact = owner_request(world)  # one photo already
    app = speaking(world.owner.user, "en")

    response = app.post(
        f"requests/{contact.reference}/messages",
        data={"message": "Zwei Fotos"},
        files={"attachments": [png("a.png"), png("b.png")]},
    )

    assert response.status_code == 422
    assert problem(response)["errors"][0]["message"] == "At most 2 files per request, please."


def test_after_the_tenancy_kontakt_stays_open_as_on_the_pages(world):
    world.owner_contract.end_date = date.today() - timedelta(days=30)
    world.owner_contract.start_date = date.today() - timedelta(days=400)
    world.owner_contract.save()
    app = speaking(world.owner.user, "de")

    response = app.post("requests", data=damage())

    assert response.status_code == 201
    assert response.json()["unit"] is None  # no current flat: about none, as on the page
    reply = app.post(f"requests/{response.json()['reference']}/messages", data={"message": "x"})
    assert reply.status_code == 201
