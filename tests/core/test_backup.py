"""`khuyencong backup` / `restore`: the round trip is equal (every model's rows, every file, every audit
entry), on the suite's database (SQLite, and PostgreSQL in CI's second run) and from SQLite into
PostgreSQL; a damaged, newer or non-empty target is refused with a clear message."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from khuyencong.core import backup
from khuyencong.geo.services import load_places
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)
PG = "postgres://postgres@127.0.0.1:5432"


def canonical(lines) -> list[str]:
    """Rows as sorted JSON (PostgreSQL's jsonb keeps an object's keys in an order of its own)."""
    return sorted(json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False) for line in lines)


def dump_lines() -> list[str]:
    out = io.StringIO()
    backup.dump_rows(out)
    return canonical(out.getvalue().splitlines())


def audit_entries():
    return sorted(
        (
            e.content_type.natural_key(),
            e.object_pk,
            e.action,
            json.dumps(e.changes, sort_keys=True),
            e.actor_id,
            e.timestamp.isoformat(),
        )
        for e in LogEntry.objects.select_related("content_type")
    )


def files(settings):
    return {
        f"{prefix}/{p.relative_to(root).as_posix()}": backup.sha256(p)
        for prefix, root in (
            ("media", Path(settings.MEDIA_ROOT)),
            ("private", Path(settings.PRIVATE_MEDIA_ROOT)),
        )
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def populated(settings):
    """A province's data: users, records (audited), an import job with its private file, photos."""
    load_places()
    officer = make_user("province_officer", username="sct96bk", province_id=96)
    with set_actor(officer):
        for i in range(3):
            establishment = EstablishmentFactory(code=f"BK-{i}", name=f"Cơ sở Sông Đốc {i}", province_id=96)
            ProductFactory(establishment=establishment, name=f"Khô mực loại {i}")
        establishment.name = "Cơ sở đổi tên"
        establishment.save()
    (Path(settings.MEDIA_ROOT) / "photos").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "photos" / "kho-muc.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(2048))
    (Path(settings.PRIVATE_MEDIA_ROOT) / "dossiers").mkdir(parents=True, exist_ok=True)
    (Path(settings.PRIVATE_MEDIA_ROOT) / "dossiers" / "ho-so.pdf").write_bytes(
        b"%PDF-1.4 " + os.urandom(4096)
    )
    assert LogEntry.objects.count() >= 7
    return officer


def empty_everything(settings):
    import shutil

    call_command("flush", interactive=False, verbosity=0)
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(root)
        Path(root).mkdir()


def test_round_trip_is_equal(populated, settings, tmp_path):
    before = {
        "rows": dump_lines(),
        "counts": backup.row_counts(),
        "audit": audit_entries(),
        "files": files(settings),
    }
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    native = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    assert {
        "manifest.json",
        "data.jsonl",
        native,
        "media/photos/kho-muc.jpg",
        "private/dossiers/ho-so.pdf",
    } <= set(names)
    assert manifest["counts"]["registry.establishment"] == 3 and manifest["counts"]["auditlog.logentry"] >= 7
    assert "0001_initial" in manifest["migrations"]["registry"]
    assert manifest["files"]["media/photos/kho-muc.jpg"] == before["files"]["media/photos/kho-muc.jpg"]

    empty_everything(settings)
    assert backup.row_counts()["registry.establishment"] == 0 and not files(settings)
    out = io.StringIO()
    call_command("restore", str(archive), "--verify", stdout=out)
    assert "verified" in out.getvalue()
    assert dump_lines() == before["rows"]
    assert backup.row_counts() == before["counts"]
    assert audit_entries() == before["audit"]
    assert files(settings) == before["files"]
    # new rows get new ids (sequences were reset on PostgreSQL)
    make_user("commune_officer", username="after-restore", province_id=96)


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(populated, settings, tmp_path):
    archive = tmp_path / "b.tar.gz"
    backup.create_backup(archive)
    with pytest.raises(
        CommandError,
        match="not empty: it holds 1 accounts.user, .* auditlog.logentry, 3 registry.establishment",
    ):
        call_command("restore", str(archive))
    EstablishmentFactory(code="EXTRA", province_id=96)
    call_command("restore", str(archive), "--force", "--verify", stdout=io.StringIO())
    assert backup.row_counts()["registry.establishment"] == 3


def _rewrite(archive, target, change_manifest=None, change_file=None):
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json" and change_manifest:
                manifest = json.loads(data)
                change_manifest(manifest)
                data = json.dumps(manifest).encode()
            elif change_file and member.name == change_file[0]:
                data = change_file[1](data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_restore_refuses_damaged_truncated_and_newer_archives(populated, settings, tmp_path):
    archive = tmp_path / "b.tar.gz"
    backup.create_backup(archive)
    empty_everything(settings)

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="is damaged or truncated and cannot be restored"):
        call_command("restore", str(truncated))

    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, change_file=("data.jsonl", lambda d: d.replace(b"BK-1", b"BK-7")))
    with pytest.raises(CommandError, match="is damaged: data.jsonl does not match its SHA-256"):
        call_command("restore", str(damaged))

    newer = tmp_path / "newer.tar.gz"
    _rewrite(
        archive, newer, change_manifest=lambda m: m["migrations"]["registry"].append("0099_from_the_future")
    )
    with pytest.raises(CommandError, match=r"made by a newer version .* registry\.0099_from_the_future"):
        call_command("restore", str(newer))
    assert backup.row_counts()["registry.establishment"] == 0  # nothing restored by any of them


def test_verify_names_what_differs(populated, settings, tmp_path):
    manifest = backup.create_backup(tmp_path / "b.tar.gz")
    assert backup.verify_restored(manifest) == []
    EstablishmentFactory(code="EXTRA", province_id=96)
    (Path(settings.MEDIA_ROOT) / "photos" / "kho-muc.jpg").write_bytes(b"changed")
    problems = backup.verify_restored(manifest)
    assert "registry.establishment: 4 rows, the archive has 3" in problems
    assert "media/photos/kho-muc.jpg: SHA-256 differs" in problems


def _pg_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG}/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


@pytest.mark.skipif(not _pg_answers(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_a_sqlite_backup_restores_into_postgresql(populated, settings, tmp_path):
    """A province moving from its laptop (SQLite) to a server (PostgreSQL)."""
    if connection.vendor != "sqlite":
        pytest.skip("the suite's database is not SQLite")
    import psycopg

    archive = tmp_path / "laptop.tar.gz"
    backup.create_backup(archive)
    name = f"ops_restore_from_sqlite_{os.getpid()}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"{PG}/{name}",
            "MEDIA_ROOT": str(tmp_path / "m"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "p"),
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
        }
        run = subprocess.run(
            [sys.executable, "-m", "khuyencong.cli", "restore", str(archive), "--verify"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr
        assert "verified" in run.stdout
        script = (
            "import django, io, json; django.setup()\n"
            "from khuyencong.core import backup\n"
            "from tests.factories import make_user\n"
            "out = io.StringIO(); backup.dump_rows(out)\n"
            "rows = out.getvalue().splitlines()\n"
            "make_user('commune_officer', username='on-the-server', province_id=96)\n"  # sequences were reset
            "print(json.dumps(rows))\n"
        )
        run = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert run.returncode == 0, run.stderr
        assert canonical(json.loads(run.stdout.splitlines()[-1])) == dump_lines()
        assert files(settings) == {
            f"{prefix}/{p.relative_to(tmp_path / short).as_posix()}": backup.sha256(p)
            for prefix, short in (("media", "m"), ("private", "p"))
            for p in (tmp_path / short).rglob("*")
            if p.is_file()
        }
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
