"""The letter job's one PDF: its parts joined in order, streaming, and the part files gone."""

import io
import tracemalloc

import pdfplumber
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from pypdf import PdfReader

from documents.pdf import concatenate_pdfs, html_to_pdf
from registration import jobs as letter_jobs
from tenants.jobs import job_run_chunk, job_start
from tenants.models import Job
from tests.tenants.factories import StaffFactory, TenantFactory

pytestmark = pytest.mark.django_db


def texts(pdf_bytes: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def part(name: str, pages: int) -> bytes:
    return html_to_pdf(
        "".join(
            f'<p style="break-after: page">{name} Seite {page} – Müller</p>'
            for page in range(1, pages + 1)
        )
    )


def test_every_page_of_every_part_in_order_from_bytes_and_files(tmp_path):
    first, second, third = part("Eins", 2), part("Zwei", 1), part("Drei", 3)
    (tmp_path / "zwei.pdf").write_bytes(second)
    output = io.BytesIO()

    with open(tmp_path / "zwei.pdf", "rb") as handle:
        count = concatenate_pdfs(iter([first, handle, third]), output)

    expected = [
        "Eins Seite 1 – Müller",
        "Eins Seite 2 – Müller",
        "Zwei Seite 1 – Müller",
        "Drei Seite 1 – Müller",
        "Drei Seite 2 – Müller",
        "Drei Seite 3 – Müller",
    ]
    assert count == 6
    assert texts(output.getvalue()) == expected
    # A well-formed file: a strict reader finds the catalog, the page tree and the xref.
    reader = PdfReader(io.BytesIO(output.getvalue()), strict=True)
    assert len(reader.pages) == 6
    assert all(page["/Parent"].get_object()["/Count"] == 6 for page in reader.pages)


def test_no_parts_make_an_empty_but_valid_pdf():
    output = io.BytesIO()
    assert concatenate_pdfs([], output) == 0
    assert len(PdfReader(io.BytesIO(output.getvalue()), strict=True).pages) == 0


def test_memory_stays_flat_in_the_number_of_parts():
    """Ten times the parts may not take ten times the memory: each part is released after it
    is copied (the old writer held every page until the end)."""
    letter = part("Brief", 10)

    class Sink:  # the output file on disk, which takes no memory
        def write(self, data: bytes) -> int:
            return len(data)

    def peak(parts: int) -> int:
        tracemalloc.start()
        try:
            concatenate_pdfs((letter for _ in range(parts)), Sink())
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    few, many = peak(5), peak(50)
    # Kept to the end: 8 bytes per object and page. The whole writer of before grew by
    # about 25 times the parts' size (every page's objects, parsed).
    assert many - few < 45 * len(letter)


def test_the_letter_job_joins_its_parts_in_order_and_deletes_the_part_files(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(letter_jobs, "CHUNK_SIZE", 2)
    call_command("sync_clerk_groups", stdout=io.StringIO())
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    tenants = [
        TenantFactory(user=None, last_name=f"Reihe{i}", postal_code="20095", street="A 1")
        for i in range(5)
    ]
    job = job_start(
        kind=letter_jobs.KEY,
        scope="test",
        params={"tenant_ids": [t.pk for t in tenants]},
        by=clerk,
    )
    chunks = list(job.chunks.order_by("index"))
    assert len(chunks) == 3
    with django_capture_on_commit_callbacks(execute=True):
        for chunk in chunks[:-1]:
            job_run_chunk(chunk_id=chunk.pk)
    storage = Job._meta.get_field("result_file").storage
    parts = [name for name in job.chunks.values_list("result_file", flat=True) if name]
    assert len(parts) == 2 and all(storage.exists(name) for name in parts)

    with django_capture_on_commit_callbacks(execute=True):
        job_run_chunk(chunk_id=chunks[-1].pk)
    job.refresh_from_db()

    assert job.state == Job.State.DONE
    with job.result_file.open("rb") as handle:
        letters = texts(handle.read())
    job.result_file.delete(save=False)
    order = [next(f"Reihe{i}" for i in range(5) if f"Reihe{i}" in text) for text in letters]
    assert order == [f"Reihe{i}" for i in range(5)]
    # The parts held the same codes: gone from the storage, and no chunk names a file.
    assert not any(storage.exists(name) for name in parts)
    assert not any(job.chunks.values_list("result_file", flat=True))
