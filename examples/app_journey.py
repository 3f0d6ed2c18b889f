"""The meinTHOR app's main journey, for developers of the native app: read it top to bottom.

1. sign in (django-allauth's headless API for apps; a second factor if the account has one),
2. list the documents and download the newest,
3. report damage with a photo,
4. read the answer of the clerk,
5. sign out.

Everything under /api/v1/ goes through the typed client generated from the schema
(clients/meinthor_client, httpx). Sign-in and sign-out are allauth's own endpoints, called with
httpx directly. Run it against the demo (`make run`):

    .venv/bin/python examples/app_journey.py --base-url http://localhost:8000 \\
        --email mieterin@example.com --password 'Demo-Passwort-2026!' --photo foto.png

tests/api/test_app_journey.py runs the same functions against a live server.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clients.meinthor_client import AuthenticatedClient
from clients.meinthor_client.api.documents import document_file, document_list
from clients.meinthor_client.api.requests import (
    request_category_list,
    request_create,
    request_detail,
)
from clients.meinthor_client.models import (
    DocumentOut,
    Problem,
    RequestCreateMultiPartBodyParams,
    RequestDetail,
)
from clients.meinthor_client.types import File

APP = "/_allauth/app/v1"
# The app names itself so that the tenant's list of signed-in devices says "meinTHOR-App".
USER_AGENT = "meinTHOR-App/1.0 (Linux; Python example)"


class JourneyError(Exception):
    """The portal said no; the message is its text for people (German or English)."""


def sign_in(
    base_url: str,
    email: str,
    password: str,
    *,
    second_factor: Callable[[], str] | None = None,
    language: str = "de",
) -> AuthenticatedClient:
    """Sign in and return a client that sends the session token with every call."""
    headers = {"Accept-Language": language, "User-Agent": USER_AGENT}
    with httpx.Client(base_url=base_url, headers=headers) as http:
        answer = http.post(f"{APP}/auth/login", json={"email": email, "password": password})
        body = answer.json()
        token = body.get("meta", {}).get("session_token")
        pending = [f["id"] for f in body.get("data", {}).get("flows", []) if f.get("is_pending")]
        if answer.status_code == 401 and "mfa_authenticate" in pending:
            # The account has a second factor: the code of the authenticator app.
            if second_factor is None:
                raise JourneyError("This account needs the code of its authenticator app.")
            answer = http.post(
                f"{APP}/auth/2fa/authenticate",
                json={"code": second_factor()},
                headers={"X-Session-Token": token},
            )
            body = answer.json()
            token = body.get("meta", {}).get("session_token", token)
        if answer.status_code != 200:
            errors = body.get("errors") or [{"message": f"HTTP {answer.status_code}"}]
            raise JourneyError(errors[0]["message"])
    return AuthenticatedClient(
        base_url=base_url,
        token=token,
        prefix="",
        auth_header_name="X-Session-Token",
        headers=headers,
    )


def newest_document(client: AuthenticatedClient) -> DocumentOut | None:
    """The first page of "Meine Dokumente" is newest first; `next` would fetch the following."""
    page = _ok(document_list.sync_detailed(client=client, page_size=10))
    for document in page.results:
        badge = "NEU " if document.new else "    "
        print(f"{badge}{document.published_at:%d.%m.%Y}  {document.title}")
    return page.results[0] if page.results else None


def download(client: AuthenticatedClient, document: DocumentOut, folder: Path) -> Path:
    """Download a document (recorded as opened, exactly as on the web) under its own name."""
    response = document_file.sync_detailed(client=client, document_id=document.id)
    if response.status_code != 200:
        raise JourneyError(_problem_text(response.content))
    name = _file_name(response.headers.get("content-disposition", "")) or f"{document.id}.pdf"
    target = folder / name
    target.write_bytes(response.content)
    return target


def report_damage(
    client: AuthenticatedClient, *, photo: bytes, photo_name: str, message: str, location: str
) -> RequestDetail:
    """Report water damage with a photo: the topic from the list, the fields its form asks."""
    topics = _ok(request_category_list.sync_detailed(client=client))
    water = next(
        category
        for group in topics.groups
        for category in group.categories
        if category.damage and category.photos_allowed and "Wasser" in category.name
    )
    body = RequestCreateMultiPartBodyParams(
        category=water.id,
        message=message,
        location=location,
        since="heute",
        attachments=[File(payload=BytesIO(photo), file_name=photo_name, mime_type="image/png")],
    )
    created = _ok(request_create.sync_detailed(client=client, body=body))
    print(f"Gesendet: {created.reference} – {created.status_label}")
    return created


def answers(client: AuthenticatedClient, reference: str) -> list[str]:
    """The clerk's answers to the request so far (internal notes never reach the app)."""
    detail = _ok(request_detail.sync_detailed(client=client, reference=reference))
    return [message.body for message in detail.messages if not message.from_tenant]


def wait_for_answer(client: AuthenticatedClient, reference: str, *, seconds: float) -> list[str]:
    """Poll politely (the rate limit counts every call) until a clerk has answered."""
    deadline = time.monotonic() + seconds
    while True:
        found = answers(client, reference)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(5)


def sign_out(client: AuthenticatedClient) -> None:
    """End the app session: the token is useless afterwards."""
    client.get_httpx_client().delete(f"{APP}/auth/session")


def _ok(response):
    """The parsed answer of a `*.sync_detailed` call, or the portal's problem as an error."""
    result = response.parsed
    if isinstance(result, Problem):
        raise JourneyError(result.detail)
    if result is None:
        raise JourneyError(f"Unexpected answer {response.status_code}: {response.content[:200]!r}")
    return result


def _problem_text(content: bytes) -> str:
    try:
        return Problem.from_dict(httpx.Response(200, content=content).json()).detail
    except Exception:
        return "The portal gave an unexpected answer."


def _file_name(disposition: str) -> str:
    """filename*=UTF-8''… (the real name) or filename="…" (its ASCII form)."""
    from urllib.parse import unquote

    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "filename*" and value.lower().startswith("utf-8''"):
            return Path(unquote(value[7:])).name
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "filename":
            return Path(value.strip('"')).name
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://localhost:8000")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password")
    parser.add_argument("--photo", type=Path, required=True, help="a PNG photo of the damage")
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for an answer")
    args = parser.parse_args()
    password = args.password or getpass.getpass("Passwort: ")

    client = sign_in(args.base_url, args.email, password, second_factor=lambda: input("Code: "))
    try:
        document = newest_document(client)
        if document is not None:
            print(f"Heruntergeladen: {download(client, document, Path.cwd())}")
        created = report_damage(
            client,
            photo=args.photo.read_bytes(),
            photo_name=args.photo.name,
            message="Unter der Spüle tropft es.",
            location="Küche",
        )
        for answer in wait_for_answer(client, created.reference, seconds=args.wait):
            print(f"Antwort: {answer}")
    finally:
        sign_out(client)


if __name__ == "__main__":
    main()
