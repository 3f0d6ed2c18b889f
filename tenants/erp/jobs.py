"""The ERP import as a job (tenants/jobs.py), so it can run in a worker and leave its report in
the admin's job list ("Aufträge im Hintergrund"): one chunk, because the import must validate
everything before it changes anything and then applies it in one transaction.

Permission `tenants.add_property`: importing base data is the superuser's (docs/permissions.md:
only the superuser edits base data). One import at a time (scope "erp").
"""

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from tenants.jobs import JobError, job_start
from tenants.models import Job, JobChunk, User
from tenants.registry import JobKind

from .format import FormatError
from .importer import erp_import

KEY = "erp_import"
SCOPE = "erp"
PERMISSION = "tenants.add_property"


def erp_import_job_start(*, directory: str, by: User) -> Job:
    return job_start(kind=KEY, scope=SCOPE, params={"directory": str(directory)}, by=by)


def _plan(job: Job) -> list[dict]:
    if not (job.params or {}).get("directory"):
        raise JobError(_("The import job names no directory."), code="no_directory")
    return [{"directory": job.params["directory"]}]


def _run_chunk(job: Job, chunk: JobChunk) -> dict:
    try:
        report = erp_import(directory=chunk.payload["directory"], by=job.created_by)
    except FormatError as error:
        raise JobError(str(error), code="erp_format") from error
    chunk.result_file.save(
        f"erp-import-{job.pk}.txt", ContentFile(report.text(limit=10_000).encode()), save=False
    )
    totals = {"created": 0, "changed": 0, "unchanged": 0, "refused": 0}
    for entity in report.entities.values():
        for name, value in entity.counts().items():
            totals[name] += value
    return {**totals, "ended": len(report.ended), "conflicts": len(report.conflicts)}


def _finish(job: Job) -> None:
    chunk = job.chunks.get()
    with chunk.result_file.open("rb") as handle:
        text = handle.read().decode()
    job.report = text
    job.result_file.save(f"erp-import-{job.pk}.txt", ContentFile(text.encode()), save=False)


ERP_IMPORT_JOB = JobKind(
    key=KEY,
    label=_("ERP master data import"),
    permission=PERMISSION,
    plan=_plan,
    run_chunk=_run_chunk,
    finish=_finish,
    chunk_size=1,
)
