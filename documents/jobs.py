"""Publishing an admin upload as a job: statements named by contract number, in chunks.

The admin stores the uploaded files first (private storage, random names under
jobs/uploads/<uuid>/) and starts the job; the request returns at once. Each chunk publishes its
files through `documents_publish_by_contract_number`, inside the runner's transaction, so a
worker that dies leaves the chunk undone and its re-run publishes everything once: files whose
contract already has a document of this kind and period count as "already published", and the
unique constraint `one_document_per_contract_kind_period` settles a race.

Notices: one per tenant for the whole upload, queued by the chunk that publishes the tenant's
documents, in its transaction. `plan` cuts the files with `documents_slices`, so all files of
one tenant (a flat and its garage) are in the same chunk; the notices are thus spread over the
chunks (each a task of its own, well inside the time limit) and the mails go out while the
rest is still being published. All chunks publish into one `PublishBatch` (created by `plan`,
in job_start's transaction). `finish` only notifies what is left of the batch (normally
nothing: a contract that got a new partner after `plan`); `documents_notify` skips deliveries
already notified, so nothing is sent twice.
"""

import contextlib
import io
import json
import logging
import os
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenants.csv_export import csv_writer
from tenants.jobs import job_start
from tenants.models import Job, JobChunk, User
from tenants.registry import JobKind

from .models import Delivery, Document, PublishBatch
from .services import (
    DocumentError,
    documents_notify,
    documents_publish_by_contract_number,
    documents_slices,
)

logger = logging.getLogger(__name__)

KIND = "publish_documents"
UPLOAD_DIR = "jobs/uploads"
# Each file is read from and written to the storage (object storage: two round trips), so a
# chunk of 50 stays well inside the task's soft time limit (60 s).
CHUNK_SIZE = 50
# Problems listed in the report itself; all of them are in the downloadable CSV.
REPORT_PROBLEMS_MAX = 200

# The outcome of one file (keys of the counts and of each chunk's report).
PUBLISHED = "published"
ALREADY_PUBLISHED = "already_published"
UNKNOWN_CONTRACT = "unknown_contract_number"
NOT_A_PDF = "not_a_pdf"
OUTCOMES = {
    PUBLISHED: _("published"),
    ALREADY_PUBLISHED: _("already published"),
    UNKNOWN_CONTRACT: _("unknown contract number"),
    NOT_A_PDF: _("not a PDF"),
}


def publish_scope(*, kind: str, period: str) -> str:
    """One publishing job per kind and period at a time.

    Not per upload: the same statements sent twice (a double click, two clerks) would otherwise
    run as two jobs that race for the same documents, split the report between them and notify
    a tenant once per job.
    """
    return f"publish:{kind}:{period}"


def documents_publish_job_start(
    *,
    files: Sequence[File],
    kind: str,
    period: str,
    title: str = "",
    by: User,
) -> Job:
    """Store the uploaded files privately and start publishing them in the background.

    Raises the job's `PortalError` (no permission, the same kind and period already running);
    the stored files are removed again then.
    """
    if kind not in Document.Kind.values:
        raise DocumentError(_("Unknown kind of document."), code="unknown_kind")
    if not files:
        raise DocumentError(_("Please choose the files to publish."), code="no_files")
    period = period.strip()
    upload = uuid.uuid4().hex
    stored: list[dict[str, str]] = []
    try:
        for index, upload_file in enumerate(files):
            # A random name: the original one (a contract number) stays in the job's params.
            name = default_storage.save(f"{UPLOAD_DIR}/{upload}/{index:05d}", upload_file)
            stored.append({"name": name, "filename": upload_file.name[:200]})
        return job_start(
            kind=KIND,
            scope=publish_scope(kind=kind, period=period),
            params={
                "upload": upload,
                "files": stored,
                "kind": kind,
                "period": period,
                "title": title.strip(),
                "language": translation.get_language() or settings.LANGUAGE_CODE,
            },
            by=by,
        )
    except BaseException:
        _delete_files([entry["name"] for entry in stored], folder=upload)
        raise


def _plan(job: Job) -> list[dict]:
    batch = PublishBatch.objects.create(created_by=job.created_by, source=PublishBatch.Source.ADMIN)
    files = job.params["files"]
    slices = documents_slices(names=[entry["filename"] for entry in files], size=CHUNK_SIZE)
    return [
        {"batch": batch.pk, "files": [files[position] for position in positions]}
        for positions in slices
    ]


def _loader(name: str):
    def load() -> bytes:
        with default_storage.open(name, "rb") as stored:
            return stored.read()

    return load


def _run_chunk(job: Job, chunk: JobChunk) -> dict:
    params = job.params
    report = documents_publish_by_contract_number(
        files=[(entry["filename"], _loader(entry["name"])) for entry in chunk.payload["files"]],
        kind=params["kind"],
        period=params["period"],
        title=params.get("title") or None,
        by=job.created_by,
        batch=PublishBatch.objects.get(pk=chunk.payload["batch"]),
        notify=True,
    )
    outcome = {
        PUBLISHED: report.published,
        ALREADY_PUBLISHED: report.skipped,
        UNKNOWN_CONTRACT: report.unmatched,
        NOT_A_PDF: report.invalid,
    }
    # The chunk's own report (file name → outcome), combined by `finish`.
    chunk.result_file.save(
        f"publish-{job.pk}-{chunk.index}.json",
        ContentFile(json.dumps(outcome).encode()),
        save=False,
    )
    chunk.save(update_fields=["result_file"])
    return {key: len(names) for key, names in outcome.items()}


def _chunk_outcome(chunk: JobChunk) -> dict[str, list[str]]:
    if not chunk.result_file:
        return {}
    try:
        with chunk.result_file.open("rb") as stored:
            return json.load(stored)
    except (OSError, ValueError):
        logger.exception(
            "publish job %s: the report of chunk %s is missing", chunk.job_id, chunk.pk
        )
        return {}


def _finish(job: Job) -> None:
    """Notify once, write the report and the CSV; the runner saves the job (it holds the lock)."""
    params = job.params
    chunks = list(job.chunks.order_by("index"))
    outcome: dict[str, list[str]] = {key: [] for key in OUTCOMES}
    for chunk in chunks:
        for key, names in _chunk_outcome(chunk).items():
            outcome.setdefault(key, []).extend(names)
    batch_id = chunks[0].payload["batch"] if chunks else None
    notices = paper = 0
    if batch_id is not None:
        PublishBatch.objects.filter(pk=batch_id).update(
            published=len(outcome[PUBLISHED]),
            skipped=len(outcome[ALREADY_PUBLISHED]),
            unmatched=len(outcome[UNKNOWN_CONTRACT]) + len(outcome[NOT_A_PDF]),
        )
        # The chunks have notified their tenants; this is what is left (normally nothing).
        _left, paper = documents_notify(batch_id=batch_id)
        # One e-mail per tenant for the upload: the tenants with a notified delivery of it.
        notices = (
            Delivery.objects.filter(
                document__batch_id=batch_id, electronic=True, notified_at__isnull=False
            )
            .values("tenant_id")
            .distinct()
            .count()
        )

    # In the language of the clerk who started it: the report is read on the job's page.
    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        job.report = _report_text(params=params, outcome=outcome, notices=notices, paper=paper)
        job.result_file.save(
            f"veroeffentlichung-{job.pk}.csv", ContentFile(_report_csv(outcome)), save=False
        )

    uploaded = [entry["name"] for entry in params.get("files", [])]
    chunk_reports = [chunk.result_file.name for chunk in chunks if chunk.result_file]
    JobChunk.objects.filter(pk__in=[chunk.pk for chunk in chunks]).update(result_file="")
    # Only once the report is committed: until then a re-run still needs the files.
    upload = params.get("upload")
    transaction.on_commit(lambda: _delete_files(uploaded + chunk_reports, folder=upload))


def _report_text(*, params: dict, outcome: dict[str, list[str]], notices: int, paper: int) -> str:
    kind = dict(Document.Kind.choices).get(params["kind"], params["kind"])
    total = sum(len(names) for names in outcome.values())
    lines = [
        gettext("%(kind)s %(period)s: %(total)d file(s).")
        % {"kind": kind, "period": params["period"], "total": total},
        gettext("Published: %(count)d") % {"count": len(outcome[PUBLISHED])},
        gettext("Already published earlier: %(count)d")
        % {"count": len(outcome[ALREADY_PUBLISHED])},
        gettext("Unknown contract number: %(count)d") % {"count": len(outcome[UNKNOWN_CONTRACT])},
        gettext("Not a PDF: %(count)d") % {"count": len(outcome[NOT_A_PDF])},
        gettext("Notices by e-mail: %(notices)d; to send on paper: %(paper)d.")
        % {"notices": notices, "paper": paper},
    ]
    problems = [
        (name, OUTCOMES[key]) for key in (UNKNOWN_CONTRACT, NOT_A_PDF) for name in outcome[key]
    ]
    if problems:
        lines += ["", gettext("Not published:")]
        lines += [f"- {name}: {reason}" for name, reason in problems[:REPORT_PROBLEMS_MAX]]
        if len(problems) > REPORT_PROBLEMS_MAX:
            lines.append(
                gettext("… and %(count)d more (see the download).")
                % {"count": len(problems) - REPORT_PROBLEMS_MAX}
            )
    return "\n".join(lines)


def _report_csv(outcome: dict[str, list[str]]) -> bytes:
    output = io.StringIO()
    output.write("\ufeff")  # Excel reads umlauts in UTF-8 only with it
    writer = csv_writer(output)
    writer.writerow(["datei", "ergebnis"])
    for key, label in OUTCOMES.items():
        for name in outcome.get(key, []):
            writer.writerow([name, label])
    return output.getvalue().encode("utf-8")


def _delete_files(names: list[str], *, folder: str | None = None) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("publish job: could not delete %s", name)
    if folder:
        # Object storage has no folders; a folder still holding a file stays.
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(default_storage.path(f"{UPLOAD_DIR}/{folder}"))


def _on_fail(job: Job) -> None:
    """What the finished parts published stays published and is announced, with a report that
    says the rest was not; the uploaded files go. A new upload publishes only what is missing."""
    _finish(job)
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        note = gettext(
            "The job failed before every file was published; upload the files again to "
            "publish the rest (nothing is published twice)."
        )
    job.report = f"{note}\n\n{job.report}"
    job.save(update_fields=["report", "result_file"])


publish_documents_kind = JobKind(
    key=KIND,
    label=_("Publishing documents"),
    permission="documents.add_document",
    plan=_plan,
    run_chunk=_run_chunk,
    finish=_finish,
    chunk_size=CHUNK_SIZE,
    on_fail=_on_fail,
)
