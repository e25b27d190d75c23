"""Reads of report and catalogue pages go to the replica when DATABASE_REPLICA_URL is set.

No real replica can run here: it is simulated by a copy of the primary SQLite file taken before a change.
A page served from the replica does not see that change (so its reads went there); the registry, the session
and the login are read from the primary. Runs in a child process, since the database aliases are fixed when
the settings load.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from khuyencong.core.routers import PRIMARY_ONLY, ReplicaRouter

# long, and without the test database: run first (see conftest.pytest_collection_modifyitems)
pytestmark = pytest.mark.early

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import os, shutil, sys
sys.path.insert(0, os.environ["KC_ROOT"])
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from khuyencong.registry.models import Establishment
from tests.factories import make_user

if sys.argv[1] == "primary":
    call_command("migrate", verbosity=0)
    user = make_user("province_officer", username="sct.replica")
    user.set_password("pw-replica-123")
    user.save()
    connections.close_all()
    shutil.copy(os.environ["KC_PRIMARY"], os.environ["KC_REPLICA"])  # the replica, as of now
    sys.exit(0)

assert set(connections.settings) >= {"default", "replica"}
Establishment.objects.create(code="CM-AFTER", name="Cơ sở ghi sau bản sao", kind="household", province_id=96)
client = Client()
assert client.login(username="sct.replica", password="pw-replica-123")  # the session: on the primary
def reads(path):
    replica_ctx = CaptureQueriesContext(connections["replica"])
    primary_ctx = CaptureQueriesContext(connections["default"])
    with replica_ctx as replica, primary_ctx as primary:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(replica), len(primary), response.content.decode()
replica, primary, html = reads("/registry/establishments/?q=ghi+sau")
assert replica == 0 and "Cơ sở ghi sau bản sao" in html, (replica, "registry reads the primary")
replica, primary, html = reads("/reports/")
assert replica > 0, "the report read from the replica"
replica, primary, html = reads("/catalogue/")
assert replica > 0, "the catalogue read from the replica"
print("OK")
"""


def test_report_and_catalogue_pages_read_from_the_replica_and_the_rest_from_the_primary(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
            "KC_ROOT": str(ROOT),
            "KC_PRIMARY": str(primary),
            "KC_REPLICA": str(replica),
            "DATABASE_URL": f"sqlite:///{primary}",
            "AXES_ENABLED": "0",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "PROGRESS_CACHE_DIR": str(tmp_path / "progress"),
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
    )
    subprocess.run([sys.executable, "-c", SCRIPT, "primary"], env=env, cwd=ROOT, check=True, timeout=600)
    env["DATABASE_REPLICA_URL"] = f"sqlite:///{replica}"
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, "pages"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0 and out.stdout.strip().endswith("OK"), out.stderr[-3000:]


def test_without_a_replica_everything_reads_the_primary():
    from khuyencong.accounts.models import User
    from khuyencong.core.routers import replica_reads
    from khuyencong.registry.models import Establishment

    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Establishment) is None  # no "replica" alias configured
    assert "accounts" in PRIMARY_ONLY and "sessions" in PRIMARY_ONLY
    assert router.db_for_write(User) == "default" and router.allow_migrate("replica", "registry") is False
