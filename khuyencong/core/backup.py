"""Backup and restore: one .tar.gz holding the database twice, the uploads, and a manifest.

The archive (`khuyencong backup FILE`):

- `manifest.json`: format, app version, date, database vendor, the migrations applied per app, the row
  count of every model, and the SHA-256 of every other file in the archive;
- `data.jsonl`: every row of every model (Django's JSON-lines serialisation, foreign keys to content
  types and permissions by natural key): database-neutral, what `restore` loads, so a SQLite backup
  restores into PostgreSQL;
- `database.sqlite3` (SQLite's online backup API) or `database.pgdump` (`pg_dump --format=custom`):
  the native copy, for restoring by hand with the database's own tools;
- `media/…` and `private/…`: MEDIA_ROOT and PRIVATE_MEDIA_ROOT.

`restore` refuses a damaged archive (truncated, or a file whose hash differs), one made by a newer
version (migrations this code does not have), and a database that is not empty (unless `force`).
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
DATA = "data.jsonl"
MANIFEST = "manifest.json"
# recreated by `migrate` for the code's models: loaded rows refer to them by natural key
NOT_DUMPED = {"contenttypes.contenttype", "auth.permission"}
# A database is "not empty" when it has any of these: a freshly migrated one has reference data (places,
# appraisal criteria, ceilings) but no user, no audit entry, no record and no job.
SIGNS_OF_USE = [
    "accounts.user",
    "auditlog.logentry",
    "registry.establishment",
    "registry.product",
    "programme.project",
    "interchange.importjob",
    "django_tasks_db.dbtaskresult",
]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("khuyencong")
    except PackageNotFoundError:
        return "unknown"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def models():
    """Every concrete model with a table of its own, in a stable order."""
    return sorted(
        (m for m in apps.get_models() if m._meta.managed and not m._meta.proxy),
        key=lambda m: m._meta.label_lower,
    )


def row_counts(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.using(using).count() for m in models()}


def applied_migrations(using=DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


class PreciseEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's rounds them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def dump_rows(out, using=DEFAULT_DB_ALIAS) -> None:
    """Every row of every model as JSON lines, foreign keys to content types and permissions by natural key."""
    for model in models():
        if model._meta.label_lower in NOT_DUMPED:
            continue
        rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000)
        serializers.serialize("jsonl", rows, stream=out, use_natural_foreign_keys=True, cls=PreciseEncoder)


def _dump_native(folder: Path, using: str) -> str:
    connection = connections[using]
    if connection.vendor == "sqlite":
        import sqlite3

        target = folder / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # the online backup API: consistent while in use
        finally:
            destination.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        params = connection.get_connection_params()
        env = {**os.environ}
        if params.get("password"):
            env["PGPASSWORD"] = str(params["password"])
        command = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--file",
            str(target),
            "--dbname",
            params["dbname"],
        ]
        for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
            if params.get(key):
                command += [flag, str(params[key])]
        try:
            subprocess.run(command, check=True, env=env, capture_output=True, text=True)
        except FileNotFoundError:
            raise BackupError(
                "pg_dump was not found: install the PostgreSQL client (postgresql-client)"
            ) from None
        except subprocess.CalledProcessError as exc:
            raise BackupError(f"pg_dump failed: {exc.stderr.strip()}") from None
        return target.name
    return ""


def _upload_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def create_backup(path, using=DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `path`; returns its manifest."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="khuyencong-backup-") as tmp:
        folder = Path(tmp)
        with transaction.atomic(using=using):  # one consistent view of every table (PostgreSQL; SQLite)
            counts = row_counts(using)
            migrations = applied_migrations(using)
            with open(folder / DATA, "w", encoding="utf-8") as out:
                dump_rows(out, using)
        native = _dump_native(folder, using)
        files = {DATA: sha256(folder / DATA)}
        if native:
            files[native] = sha256(folder / native)
        uploads = []
        for prefix, root in _upload_roots().items():
            if not root.is_dir():
                continue
            for file in sorted(p for p in root.rglob("*") if p.is_file()):
                name = f"{prefix}/{file.relative_to(root).as_posix()}"
                files[name] = sha256(file)
                uploads.append((name, file))
        manifest = {
            "format": FORMAT,
            "app": "khuyencong",
            "version": app_version(),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": connections[using].vendor,
            "native_dump": native,
            "migrations": migrations,
            "counts": counts,
            "files": files,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / DATA, arcname=DATA)
            if native:
                tar.add(folder / native, arcname=native)
            for name, file in uploads:
                tar.add(file, arcname=name)
        os.replace(partial, path)  # never a half-written archive under the real name
    return manifest


# --- restore ---------------------------------------------------------------------------------------------


def read_archive(path, folder: Path) -> dict:
    """Unpack the archive into `folder` and check it whole. Returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{path} is damaged or truncated and cannot be restored ({exc})") from None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} has no readable manifest: it is not a khuyencong backup ({exc})") from None
    if manifest.get("app") != "khuyencong" or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a khuyencong backup of format {FORMAT}")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    expected = set(manifest["files"])
    if missing := sorted(expected - present):
        raise BackupError(f"{path} is incomplete: {len(missing)} file(s) missing, e.g. {missing[0]}")
    if extra := sorted(present - expected):
        raise BackupError(f"{path} holds files its manifest does not list, e.g. {extra[0]}")
    for name, digest in manifest["files"].items():
        if sha256(folder / name) != digest:
            raise BackupError(f"{path} is damaged: {name} does not match its SHA-256 in the manifest")
    return manifest


def unknown_migrations(manifest, using=DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations applied in the archive's database that this code does not have (a newer version made it)."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]


def holding(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    """What the database holds that a freshly migrated one does not (users, audit entries, records, jobs)."""
    found = {}
    for label in SIGNS_OF_USE:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if count := model._base_manager.using(using).count():
            found[label] = count
    return found


def _migrate_to(manifest, using) -> None:
    """Bring the database's schema to the archive's: up to the last migration it had applied in each app."""
    executor = MigrationExecutor(connections[using])
    graph = executor.loader.graph
    targets = []
    for app, names in manifest["migrations"].items():
        nodes = [(app, name) for name in names if (app, name) in graph.nodes]
        if nodes:  # an app's migrations are one chain: its last applied one has the longest plan
            targets.append(max(nodes, key=lambda node: len(graph.forwards_plan(node))))
    executor.migrate(targets)


def _reset_sequences(using) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def restore_backup(path, *, force=False, verify=False, using=DEFAULT_DB_ALIAS, log=print) -> dict:
    """Restore the archive into this installation's database and upload folders. Returns the manifest."""
    from auditlog.context import disable_auditlog

    with tempfile.TemporaryDirectory(prefix="khuyencong-restore-") as tmp:
        folder = Path(tmp)
        manifest = read_archive(path, folder)
        if unknown := unknown_migrations(manifest, using):
            raise BackupError(
                f"{path} was made by a newer version of khuyencong ({manifest.get('version')}): this code does not "
                f"know its migrations {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}. "
                "Install that version (or a later one) first, then restore."
            )
        _migrate_to(manifest, using)
        found = holding(using)
        uploads = [root for root in _upload_roots().values() if root.is_dir() and any(root.rglob("*"))]
        if (found or uploads) and not force:
            what = ", ".join(f"{count} {label}" for label, count in found.items())
            folders = ", ".join(str(root) for root in uploads)
            reasons = [
                f"it holds {what}" if found else "",
                f"the upload folders are not empty ({folders})" if uploads else "",
            ]
            raise BackupError(
                "Refusing to restore into a database that is not empty: "
                + "; ".join(r for r in reasons if r)
                + ". Restore into an empty database (a new one, migrated or not), or pass --force to replace "
                "everything there with the archive."
            )
        log(
            f"restoring {sum(manifest['counts'].values())} rows and {len(manifest['files']) - 2} files "
            f"from a {manifest['database']} backup of {manifest['created_at']}"
        )
        with transaction.atomic(using=using):
            call_command("flush", interactive=False, database=using, verbosity=0)  # the reference rows too
            with disable_auditlog():  # the audit entries come from the archive, not from the loading
                call_command("loaddata", str(folder / DATA), database=using, verbosity=0)
            _reset_sequences(using)
        for prefix, root in _upload_roots().items():
            source = folder / prefix
            if force and root.is_dir():
                shutil.rmtree(root)
            root.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, root, dirs_exist_ok=True)
        call_command("migrate", database=using, verbosity=0)  # an older archive: on to this code's schema
        if verify:
            problems = verify_restored(manifest, using)
            if problems:
                raise BackupError(
                    "The restored data differs from the archive's manifest: " + "; ".join(problems[:10])
                )
            log("verified: every model's row count and every file's SHA-256 match the manifest")
    return manifest


def verify_restored(manifest, using=DEFAULT_DB_ALIAS) -> list[str]:
    """What differs between this installation and the manifest (counts, file hashes); empty when equal."""
    problems = []
    counts = row_counts(using)
    for label, expected in manifest["counts"].items():
        if label in NOT_DUMPED:
            continue
        if counts.get(label, 0) != expected:
            problems.append(f"{label}: {counts.get(label, 0)} rows, the archive has {expected}")
    roots = _upload_roots()
    for name, digest in manifest["files"].items():
        prefix, _, rest = name.partition("/")
        if prefix not in roots or not rest:
            continue
        file = roots[prefix] / rest
        if not file.is_file():
            problems.append(f"{name}: missing")
        elif sha256(file) != digest:
            problems.append(f"{name}: SHA-256 differs")
    return problems
