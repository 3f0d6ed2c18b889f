"""A consistent backup of the portal: the database and every stored file its rows refer to.

`backup_create()` takes one read snapshot (PostgreSQL: `REPEATABLE READ, READ ONLY`; SQLite:
one transaction) and, in it, dumps every installed model (`dumpdata --all --natural-foreign`,
without content types and permissions, which `migrate` creates) and lists the file of every
FileField row (`apps.get_models()`, so a new FileField is covered without registering it).
The files are then copied out of the storage with their size and SHA-256 into a manifest. A
file a row refers to but the storage lacks is recorded as "missing", never skipped silently.

The dump holds decrypted IBANs (`EncryptedCharField` serialises the plain value), so the whole
dump is encrypted with the newest key of `PORTAL_FIELD_ENCRYPTION_KEYS`; restoring needs the
keys that were valid when the backup was taken.

`backup_restore()` loads such a backup into a freshly migrated, empty database and an empty
storage, copies the files back and checks every checksum.

Layout of a backup folder:

    manifest.json                 format, time, dump checksum, one entry per file
    database.json.gz.fernet       the dump (gzip JSON, Fernet-encrypted)
    files/<storage name>          the stored files under their names in the storage
"""

import datetime
import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import json as json_serializers
from django.core.serializers import register_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.utils import timezone

from tenants.crypto import fernet
from tenants.files import _file_fields

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.json.gz.fernet"
FILES = "files"
# Content types and permissions are created by `migrate` (post_migrate) and referred to by
# natural key; sessions are logins, not records worth restoring.
NOT_DUMPED = ("contenttypes", "auth.permission", "sessions")
CHUNK = 1024 * 1024
# Django's JSON format cuts times to milliseconds; proofs of delivery keep their microseconds.
SERIALIZER = "portaljson"


class _ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializers.Serializer):
    """Django's JSON serializer, times in full (registered as "portaljson")."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = _ExactEncoder


Deserializer = json_serializers.Deserializer


def _register_serializer() -> None:
    register_serializer(SERIALIZER, __name__)


class BackupError(Exception):
    """The backup or restore cannot start (target not empty, backup unreadable)."""


@dataclass
class BackupReport:
    path: Path
    files: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    models: dict[str, int] = field(default_factory=dict)


@dataclass
class RestoreReport:
    restored: int = 0
    already_there: int = 0
    objects: int = 0
    # Recorded as missing when the backup was taken.
    missing_at_backup: list[str] = field(default_factory=list)
    # Listed in the manifest, but the copy in the backup folder is gone.
    missing: list[str] = field(default_factory=list)
    # Copy in the backup or the restored file differs from the manifest's checksum.
    mismatched: list[str] = field(default_factory=list)

    def failed(self, *, allow_missing: bool = False) -> bool:
        return bool(
            self.missing or self.mismatched or (self.missing_at_backup and not allow_missing)
        )


def _sha256_stream(stream, copy_to=None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest(), size


def _sha256_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return _sha256_stream(stream)


def _inside(root: Path, name: str) -> Path:
    """The path of a storage name below `root`; refuses names that would leave it."""
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()) or target == root.resolve():
        raise BackupError(f"Unsafe file name in the backup: {name!r}")
    return target


def _not_dumped() -> list[str]:
    installed = {config.label for config in apps.get_app_configs()}
    return [label for label in NOT_DUMPED if label.split(".")[0] in installed]


def _references(using: str) -> dict[str, list[str]]:
    """{storage name: ["app.model.field:pk", …]} of every FileField row, in the current snapshot."""
    references: dict[str, list[str]] = {}
    for model, model_field in _file_fields():
        rows = (
            model._base_manager.using(using)
            .exclude(**{model_field.attname: ""})
            .exclude(**{f"{model_field.attname}__isnull": True})
            .values_list("pk", model_field.attname)
            .order_by("pk")
        )
        for pk, name in rows.iterator():
            references.setdefault(name, []).append(
                f"{model._meta.label_lower}.{model_field.name}:{pk}"
            )
    return references


def _snapshot(using: str) -> tuple[bytes, dict[str, list[str]], dict[str, int]]:
    """The gzip JSON dump and the file references, read in one snapshot."""
    connection = connections[using]
    _register_serializer()
    with tempfile.TemporaryDirectory() as scratch:
        fixture = Path(scratch) / f"database.{SERIALIZER}.gz"
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                # The first statement of the transaction: every later query sees its snapshot.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            call_command(
                "dumpdata",
                format=SERIALIZER,
                natural_foreign=True,
                use_base_manager=True,
                exclude=_not_dumped(),
                database=using,
                output=str(fixture),
                verbosity=0,
            )
            references = _references(using)
        dump = fixture.read_bytes()
    counts: dict[str, int] = {}
    for row in json.loads(gzip.decompress(dump)):
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return dump, references, counts


def backup_create(output: Path, *, using: str = "default") -> BackupReport:
    """Write a backup into the folder `output` (created; must not exist or be empty)."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty.")
    output.mkdir(mode=0o700, parents=True, exist_ok=True)
    started = timezone.now()
    dump, references, counts = _snapshot(using)
    encrypted = fernet().encrypt(dump)
    dump_path = output / DUMP
    dump_path.write_bytes(encrypted)
    os.chmod(dump_path, 0o600)

    report = BackupReport(path=output, models=counts)
    files_root = output / FILES
    entries = []
    for name in sorted(references):
        entry = {"name": name, "references": references[name]}
        target = _inside(files_root, name)
        if not default_storage.exists(name):
            entry["status"] = "missing"
            report.missing.append(name)
        else:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as source, target.open("wb") as copy:
                sha256, size = _sha256_stream(source, copy_to=copy)
            os.chmod(target, 0o600)
            entry.update(status="ok", size=size, sha256=sha256)
            report.files += 1
            report.bytes += size
        entries.append(entry)

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database_vendor": connections[using].vendor,
        "dump": {"name": DUMP, "sha256": hashlib.sha256(encrypted).hexdigest()},
        "models": counts,
        "files": entries,
        "missing": report.missing,
    }
    manifest_path = output / MANIFEST
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    os.chmod(manifest_path, 0o600)
    return report


def _not_empty(using: str) -> list[str]:
    """Tables that hold data a fresh `migrate` does not create."""
    models = {apps.get_model(settings.AUTH_USER_MODEL)}
    models |= {apps.get_model("tenants", "Tenant"), apps.get_model("tenants", "Contract")}
    models |= {model for model, _field in _file_fields()}
    return sorted(
        model._meta.label for model in models if model._base_manager.using(using).exists()
    )


def _clear_seed_data(using: str) -> None:
    """Empty every table but content types and permissions (rows seeded by migrations).

    The dump holds those tables as they were; seeded rows left in place could clash with them.
    """
    connection = connections[using]
    kept = {
        apps.get_model("contenttypes", "ContentType")._meta.db_table,
        apps.get_model("auth", "Permission")._meta.db_table,
    }
    existing = set(connection.introspection.table_names())
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        & existing - kept
    )
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    connection.ops.execute_sql_flush(statements)


def backup_read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((Path(source) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in {source}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def backup_restore(source: Path, *, using: str = "default") -> RestoreReport:
    """Load a backup into an empty database and storage; check every file's checksum."""
    source = Path(source)
    manifest = backup_read_manifest(source)
    encrypted = (source / DUMP).read_bytes()
    if hashlib.sha256(encrypted).hexdigest() != manifest["dump"]["sha256"]:
        raise BackupError(f"{DUMP} does not match the checksum in the manifest.")
    not_empty = _not_empty(using)
    if not_empty:
        raise BackupError(
            "The database is not empty (rows in " + ", ".join(not_empty) + "). "
            "Restore only into a freshly migrated database."
        )

    report = RestoreReport()
    files_root = source / FILES
    to_copy: list[tuple[dict, Path]] = []
    for entry in manifest["files"]:
        name = entry["name"]
        if entry["status"] != "ok":
            report.missing_at_backup.append(name)
            continue
        copy = _inside(files_root, name)
        if not copy.is_file():
            report.missing.append(name)
            continue
        if _sha256_file(copy)[0] != entry["sha256"]:
            report.mismatched.append(name)
            continue
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as present:
                if _sha256_stream(present)[0] != entry["sha256"]:
                    raise BackupError(
                        f"The storage already holds a different file {name}. "
                        "Restore only into an empty media storage."
                    )
            report.already_there += 1
            continue
        to_copy.append((entry, copy))

    dump = fernet().decrypt(encrypted)
    _register_serializer()
    with tempfile.TemporaryDirectory() as scratch:
        fixture = Path(scratch) / f"database.{SERIALIZER}.gz"
        fixture.write_bytes(dump)
        with transaction.atomic(using=using):
            _clear_seed_data(using)
            call_command("loaddata", str(fixture), database=using, verbosity=0)
    report.objects = sum(manifest["models"].values())

    for entry, copy in to_copy:
        name = entry["name"]
        with copy.open("rb") as stream:
            stored = default_storage.save(name, File(stream, name=name))
        if stored != name:
            default_storage.delete(stored)
            raise BackupError(f"The storage stored {name} as {stored}.")
        with default_storage.open(name, "rb") as restored:
            if _sha256_stream(restored)[0] != entry["sha256"]:
                report.mismatched.append(name)
                continue
        report.restored += 1
    return report
