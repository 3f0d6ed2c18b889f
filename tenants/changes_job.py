"""The change feed's export as a job (tenants/jobs.py): started from the admin's job list, it
claims every change not exported yet and leaves the file as the job's download.

One chunk: the claim is one transaction. Permission `tenants.add_changeexport`: the file holds
full IBANs of approved bank changes, so only operations (the superuser, or whoever is given the
permission) exports; the file is kept 14 days like the letters and every download is audited.
"""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .changes import FORMATS, changes_export
from .jobs import JobError, job_start
from .models import Job, JobChunk, User
from .registry import JobKind

KEY = "export_changes"
SCOPE = "erp-changes"
PERMISSION = "tenants.add_changeexport"


def changes_export_job_start(*, fmt: str, by: User) -> Job:
    return job_start(kind=KEY, scope=SCOPE, params={"format": fmt}, by=by)


def _plan(job: Job) -> list[dict]:
    fmt = (job.params or {}).get("format")
    if fmt not in FORMATS:
        raise JobError(_("Unknown export format."), code="unknown_format")
    return [{"format": fmt}]


def _run_chunk(job: Job, chunk: JobChunk) -> dict:
    fmt = chunk.payload["format"]
    name = f"aenderungen-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    output = io.StringIO()
    batch = changes_export(output=output, fmt=fmt, file_name=name, by=job.created_by)
    if batch is None:
        return {"changes": 0}
    data = output.getvalue().encode("utf-8-sig" if fmt == "csv" else "utf-8")
    chunk.result_file.save(name, ContentFile(data), save=False)
    return {"changes": batch.count, "batch": batch.pk}


def _finish(job: Job) -> None:
    chunk = job.chunks.get()
    count = job.counts.get("changes", 0)
    if not chunk.result_file:
        job.report = str(_("No change since the last export."))
        return
    with chunk.result_file.open("rb") as handle:
        job.result_file.save(
            chunk.result_file.name.rsplit("/", 1)[-1], ContentFile(handle.read()), save=False
        )
    job.report = str(
        _(
            "%(count)d change(s) exported as batch %(batch)s; acknowledge it with "
            "`manage.py export_changes --ack %(batch)s` once the ERP has read the file."
        )
        % {"count": count, "batch": job.counts.get("batch")}
    )


CHANGES_EXPORT_JOB = JobKind(
    key=KEY,
    label=_("Changes to the ERP"),
    permission=PERMISSION,
    plan=_plan,
    run_chunk=_run_chunk,
    finish=_finish,
    chunk_size=1,
    keep_result_days=14,
)
