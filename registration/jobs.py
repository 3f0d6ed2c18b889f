"""Registration letters as a job (tenants/jobs.py): codes and letters part by part, one PDF.

Params: {"tenant_ids": [...]} (the admin's selection) or {"unregistered": true,
"property_id": optional} (every tenant who needs a letter, of one property's current
contracts or of all). The tenants are looked up once, when the job starts, so the parts stay
the same whatever happens meanwhile; a part re-run after a worker died finds its codes
either all committed with its letters (and the part done) or none.
"""

import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from documents.pdf import concatenate_pdfs
from tenants.jobs import JobError
from tenants.models import Contract, Job, JobChunk, Tenant
from tenants.registry import JobKind

from .models import LetterBatch, RegistrationCode
from .services import registration_letters_issue_part, tenants_needing_letters

logger = logging.getLogger(__name__)

KEY = "registration_letters"
PERMISSION = "registration.issue_letters"
# ~23 letters a second (benchmarks/results/letters.md): a part takes a few seconds, far
# inside the 60 s soft time limit, and 1,000 letters make 20 parts for the workers to share.
CHUNK_SIZE = 50


def letters_plan(job: Job) -> list[dict]:
    params = job.params or {}
    if params.get("tenant_ids") is not None:
        tenants = tenants_for_ids(params["tenant_ids"])
    elif params.get("unregistered"):
        tenants = tenants_needing_letters()
        if params.get("property_id"):
            current = Contract.objects.current().filter(unit__property_id=params["property_id"])
            tenants = tenants.filter(pk__in=current.values("partners"))
    else:
        raise JobError(_("The letter job names no tenants."), code="no_params")
    ids = list(
        tenants.order_by("postal_code", "street", "last_name", "pk").values_list("pk", flat=True)
    )
    if not ids:
        raise JobError(_("No tenant needs a letter."), code="no_tenants")
    source = params.get("source", LetterBatch.Source.ADMIN)
    batch = LetterBatch.objects.create(created_by=job.created_by, source=source)
    return [
        {"batch_id": batch.pk, "tenant_ids": ids[start : start + CHUNK_SIZE]}
        for start in range(0, len(ids), CHUNK_SIZE)
    ]


def tenants_for_ids(tenant_ids):
    """The selected tenants who have no access yet (those with one need no letter)."""
    return Tenant.objects.filter(pk__in=tenant_ids, user__isnull=True)


def letters_run_chunk(job: Job, chunk: JobChunk) -> dict:
    batch = LetterBatch.objects.get(pk=chunk.payload["batch_id"])
    pdf, counts = registration_letters_issue_part(
        tenant_ids=chunk.payload["tenant_ids"], batch=batch, issued_by=job.created_by
    )
    if pdf is not None:
        chunk.result_file.save(
            f"registrierungsbriefe-{job.pk}-{chunk.index:04d}.pdf", ContentFile(pdf), save=False
        )
    return counts


def letters_finish(job: Job) -> None:
    """All parts in order into one PDF for the print shop; the batch gets its letter count."""
    chunks = list(job.chunks.order_by("index"))
    parts = [chunk.result_file for chunk in chunks if chunk.result_file]

    def contents():
        # One part file open at a time: concatenate_pdfs copies it and goes on to the next.
        for part in parts:
            with part.storage.open(part.name, "rb") as handle:
                yield handle

    if parts:
        # Written to a file on disk and stored from there in blocks: however many letters,
        # neither the pages nor the PDF are held in memory.
        with tempfile.TemporaryFile(prefix="registrierungsbriefe-") as combined:
            concatenate_pdfs(contents(), combined)
            job.result_file.save(
                f"registrierungsbriefe-{timezone.localdate():%Y-%m-%d}.pdf",
                File(combined),
                save=False,
            )
    batch_id = chunks[0].payload["batch_id"] if chunks else None
    letters = RegistrationCode.objects.filter(batch_id=batch_id).count()
    LetterBatch.objects.filter(pk=batch_id).update(letter_count=letters)
    skipped = job.counts.get("skipped", 0)
    with translation.override("de"):
        lines = [
            ngettext(
                "%(count)d letter with a new code.", "%(count)d letters with a new code.", letters
            )
            % {"count": letters}
        ]
        if skipped:
            lines.append(
                ngettext(
                    "%(count)d tenant got no letter (has an access meanwhile).",
                    "%(count)d tenants got no letter (have an access meanwhile).",
                    skipped,
                )
                % {"count": skipped}
            )
        lines.append(_g("Older codes of these tenants no longer work."))
    job.report = "\n".join(lines)
    # The parts hold the same codes as the result: once that is committed, they go.
    if parts:
        names, storage = [part.name for part in parts], parts[0].storage
        job.chunks.update(result_file="")
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def letters_on_fail(job: Job) -> None:
    """A failed letter job printed nothing: the codes its finished parts issued are revoked,
    so those tenants count as needing a letter again, and the part PDFs (plain codes) go."""
    chunks = list(job.chunks.all())
    batch_ids = {chunk.payload.get("batch_id") for chunk in chunks}
    revoked = RegistrationCode.objects.filter(
        batch_id__in=batch_ids, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    parts = [chunk.result_file.name for chunk in chunks if chunk.result_file]
    JobChunk.objects.filter(pk__in=[chunk.pk for chunk in chunks]).update(result_file="")
    with translation.override("de"):
        note = ngettext(
            "The job failed: %(count)d code it had issued was revoked; start the letters again.",
            "The job failed: %(count)d codes it had issued were revoked; start the letters again.",
            revoked,
        ) % {"count": revoked}
    Job.objects.filter(pk=job.pk).update(report=f"{job.report}\n{note}".strip())
    storage = JobChunk._meta.get_field("result_file").storage

    def delete_parts():
        for name in parts:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Letter job %s: could not delete %s", job.pk, name)

    transaction.on_commit(delete_parts)


LETTERS_JOB = JobKind(
    key=KEY,
    label=_("Registration letters"),
    permission=PERMISSION,
    plan=letters_plan,
    run_chunk=letters_run_chunk,
    finish=letters_finish,
    chunk_size=CHUNK_SIZE,
    # The PDF holds every letter's code in plain text: kept only until the print shop has it.
    keep_result_days=settings.PORTAL_LETTER_RESULT_DAYS,
    on_fail=letters_on_fail,
)
