"""Stored files and their rows: no file without a row, neither after a rollback nor a crash.

Two halves. `atomic_with_files()` is `transaction.atomic()` that deletes the files stored in it
with `file_store()` when the block fails, so a rolled-back publication or upload leaves nothing
on disk. What it cannot see (an outer plain `atomic()` rolled back later, a killed worker) is
found by `orphaned_files_cleanup()`, which the beat runs daily: it walks the folders of every
FileField of every installed model (`apps.get_models()`, so a new FileField is covered without
registering it) and deletes files no row refers to.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

logger = logging.getLogger(__name__)

_scopes = threading.local()


def _stack() -> list[list[tuple[Storage, str]]]:
    if not hasattr(_scopes, "stack"):
        _scopes.stack = []
    return _scopes.stack


@contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[None]:
    """`transaction.atomic()` that deletes the files `file_store()` wrote in it if it fails.

    Nested blocks hand their files to the enclosing one on success, so a failure further out
    deletes them too.
    """
    stack = _stack()
    stored: list[tuple[Storage, str]] = []
    stack.append(stored)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:
                # The daily cleanup gets it.
                logger.warning("Could not delete %s after a rollback", name, exc_info=True)
        raise
    else:
        if len(stack) > 1:
            stack[-2].extend(stored)
    finally:
        stack.pop()


def file_store(field_file: FieldFile, name: str, content: File) -> None:
    """Store the content in the field (not saving the row); undone if the enclosing
    `atomic_with_files()` block fails."""
    field_file.save(name, content, save=False)
    stack = _stack()
    if stack:
        stack[-1].append((field_file.storage, field_file.name))


@dataclass
class OrphanReport:
    orphaned: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept_young: int = 0
    referenced: int = 0
    folders: list[str] = field(default_factory=list)


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, model_field)
        for model in apps.get_models()
        if not model._meta.proxy
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.FileField)
    ]


def _folder(model_field: models.FileField) -> str:
    """The top folder a FileField stores into ("documents", "jobs"), or "" if unknown."""
    try:
        sample = model_field.generate_filename(None, "probe")
    except Exception:  # an upload_to that needs a real instance
        logger.warning("No folder for %s; its files are not checked", model_field, exc_info=True)
        return ""
    folder, _sep, rest = sample.replace("\\", "/").partition("/")
    # A field storing at the top of the storage gives no folder of its own to walk.
    return folder if rest else ""


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def orphaned_files_cleanup(*, older_than: timedelta, dry_run: bool = False) -> OrphanReport:
    """Delete stored files that no row refers to and that are older than `older_than`.

    Young files are left alone: an upload in flight is stored before its row is committed.
    """
    report = OrphanReport()
    referenced: dict[int, set[str]] = {}
    folders: dict[int, tuple[Storage, set[str]]] = {}
    for model, model_field in _file_fields():
        storage = model_field.storage
        names = referenced.setdefault(id(storage), set())
        names.update(
            model._default_manager.exclude(**{model_field.attname: ""})
            .exclude(**{f"{model_field.attname}__isnull": True})
            .values_list(model_field.attname, flat=True)
            .iterator()
        )
        folder = _folder(model_field)
        if folder:
            folders.setdefault(id(storage), (storage, set()))[1].add(folder)
    limit = timezone.now() - older_than
    for key, (storage, storage_folders) in folders.items():
        for folder in sorted(storage_folders):
            report.folders.append(folder)
            for name in _walk(storage, folder):
                if name in referenced[key]:
                    report.referenced += 1
                elif storage.get_modified_time(name) > limit:
                    report.kept_young += 1
                else:
                    report.orphaned.append(name)
                    if not dry_run:
                        storage.delete(name)
                        report.deleted.append(name)
    if report.deleted:
        logger.info("Deleted %d orphaned file(s)", len(report.deleted))
    return report
