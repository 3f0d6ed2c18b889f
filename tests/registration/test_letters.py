import io

import pdfplumber
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from registration import codes
from registration.models import LetterBatch, RegistrationCode
from registration.services import registration_letters_issue
from tenants.models import Job
from tenants.roles import clerk_groups_sync
from tests.tenants.factories import StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
WINDOW = {"x0": 20 * MM, "top": 45 * MM, "x1": 105 * MM, "bottom": 90 * MM}


def words_on_page(pdf_bytes, page=0):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return pdf.pages[page].extract_words(), len(pdf.pages)


def inside_window(word, tolerance=0.01):
    return (
        word["x0"] >= WINDOW["x0"] - tolerance
        and word["x1"] <= WINDOW["x1"] + tolerance
        and word["top"] >= WINDOW["top"] - tolerance
        and word["bottom"] <= WINDOW["bottom"] + tolerance
    )


def issue(tenants):
    buffer = io.BytesIO()
    batch = registration_letters_issue(tenants=tenants, output=buffer)
    return batch, buffer.getvalue()


def test_address_lies_in_the_din_window_and_the_code_is_printed(monkeypatch):
    tenant = TenantFactory(
        user=None,
        first_name="Zoë",
        last_name="Núñez-Straßburger",
        street="Rosenweg 7",
        postal_code="20095",
        city="Hamburg",
    )
    issued = []
    original = codes.generate
    monkeypatch.setattr(codes, "generate", lambda: issued.append(original()) or issued[-1])

    batch, pdf = issue([tenant])

    words, pages = words_on_page(pdf)
    assert pages == 1
    address = [w for w in words if w["text"] in {"Zoë", "Núñez-Straßburger", "Rosenweg", "20095"}]
    assert len(address) == 4
    assert all(inside_window(w) for w in address), address
    return_line = [w for w in words if w["text"] == "THOR" and inside_window(w)]
    assert return_line, "the sender's return line sits in the window's upper zone"
    assert return_line[0]["bottom"] <= (45 + 17.7) * MM
    assert codes.display(issued[0]) in " ".join(w["text"] for w in words)
    assert batch.letter_count == 1


def test_one_pdf_with_a_page_per_tenant_and_older_codes_revoked():
    tenants = [TenantFactory(user=None) for _ in range(3)]
    issue(tenants[:1])
    old = RegistrationCode.objects.get(tenant=tenants[0])

    batch, pdf = issue(tenants)

    assert words_on_page(pdf)[1] == 3
    old.refresh_from_db()
    assert old.status == RegistrationCode.Status.REVOKED
    assert RegistrationCode.objects.filter(batch=batch).count() == 3


def test_admin_action_downloads_letters_and_records_the_batch(
    client, django_capture_on_commit_callbacks
):
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    client.force_login(clerk)
    waiting = TenantFactory(user=None)
    registered = TenantFactory()

    # The letters are a job (tests/registration/test_letter_jobs.py); here it runs at commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:tenants_tenant_changelist"),
            {
                "action": "issue_registration_letters",
                "_selected_action": [waiting.pk, registered.pk],
            },
        )

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:tenants_job_change", args=[job.pk]
    )
    download = client.get(reverse("admin:tenants_job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert words_on_page(b"".join(download.streaming_content))[1] == 1
    batch = LetterBatch.objects.get()
    assert batch.created_by == clerk
    assert batch.source == LetterBatch.Source.ADMIN
    assert batch.letter_count == 1
    code = RegistrationCode.objects.get()
    assert code.tenant == waiting and code.issued_by == clerk
    history = client.get(reverse("admin:tenants_tenant_change", args=[waiting.pk]))
    assert "Registrierungscodes (Verlauf)" in history.content.decode()


def test_technical_clerks_cannot_issue_letters(client):
    clerk_groups_sync()
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Technik"))
    client.force_login(clerk)
    tenant = TenantFactory(user=None)

    client.post(
        reverse("admin:tenants_tenant_changelist"),
        {"action": "issue_registration_letters", "_selected_action": [tenant.pk]},
    )

    assert not RegistrationCode.objects.exists()


def test_command_writes_letters_for_unregistered_tenants_only(tmp_path, capsys):
    waiting = [TenantFactory(user=None) for _ in range(2)]
    TenantFactory()  # registered
    output = tmp_path / "letters.pdf"

    call_command("issue_registration_letters", "--unregistered", "--output", str(output))
    assert words_on_page(output.read_bytes())[1] == 2
    assert "2 letters written" in capsys.readouterr().out

    # Everyone has a valid code now: nothing to do on the second run.
    call_command("issue_registration_letters", "--unregistered", "--output", str(output))
    assert "No tenant needs a letter" in capsys.readouterr().out
    assert RegistrationCode.objects.filter(tenant__in=waiting).count() == 2


def test_command_for_named_tenants(tmp_path):
    tenant = TenantFactory(user=None, tenant_number="424242")
    output = tmp_path / "one.pdf"

    call_command("issue_registration_letters", "--tenant", "424242", "--output", str(output))

    assert RegistrationCode.objects.get().tenant == tenant


def test_plain_code_is_not_logged_while_issuing(caplog, monkeypatch):
    caplog.set_level("DEBUG")
    issued = []
    original = codes.generate
    monkeypatch.setattr(codes, "generate", lambda: issued.append(original()) or issued[-1])

    issue([TenantFactory(user=None)])

    logged = " ".join(r.getMessage() for r in caplog.records)
    assert issued and issued[0] not in logged and codes.display(issued[0]) not in logged


def test_a_long_foreign_address_stays_inside_the_window():
    tenant = TenantFactory(
        user=None,
        title="Prof. Dr.",
        first_name="Maria-Magdalena",
        last_name="von Müller-Lüdenscheidt-Wichtelhausen",
        address_extra="c/o Hausverwaltung Nord, Hinterhaus 3. OG",
        street="Langer Straßenname mit Hausnummer 123a",
        postal_code="1010",
        city="Wien",
        country="AT",
    )

    _, pdf = issue([tenant])

    lines = tenant.postal_address_lines
    assert len(lines) <= 6 and lines[-1] == "ÖSTERREICH"
    words, _ = words_on_page(pdf)
    block = [w for w in words if w["text"] in {"ÖSTERREICH", "Wien", "c/o", "Langer"}]
    assert {w["text"] for w in block} == {"ÖSTERREICH", "Wien", "c/o", "Langer"}
    assert all(inside_window(w) for w in block), block
