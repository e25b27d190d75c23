"""The web import runs as a background task: the request only enqueues it, the page polls a progress bar
that the worker writes to the progress cache, then shows the report. `khuyencong serve` runs the worker."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks import TaskResultStatus, default_task_backend

from khuyencong.interchange.models import ImportJob
from khuyencong.interchange.tasks import progress_cache, run_import
from khuyencong.registry.models import Establishment
from tests.factories import make_user

HEADER = "code;name;kind;province;commune\n"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def officer(db):
    return make_user("province_officer", username="sct96bg", province_id=96)


def _upload(client, text):
    client.post(
        "/data/",
        {"kind": "establishments", "file": SimpleUploadedFile("co-so.csv", text.encode(), "text/csv")},
    )
    return ImportJob.objects.get()


def test_request_enqueues_and_the_page_polls_until_the_worker_is_done(client, officer, settings):
    settings.TASKS = (
        DUMMY  # a queue nobody works: the task stays enqueued, as with a real worker not yet at it
    )
    client.force_login(officer)
    job = _upload(client, HEADER + "B-1;A;household;96;Sông Đốc\n")

    text = client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"}).content.decode()
    job.refresh_from_db()
    assert job.status == "running" and job.phase == "check" and job.task_id
    assert 'data-testid="progress"' in text and "hx-get" in text and "Đang chờ tiến trình xử lý nền" in text
    [result] = default_task_backend.results
    assert result.status == TaskResultStatus.READY and result.args[:2] == [job.pk, "check"]
    # a second click does not start a second task
    client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"})
    assert len(default_task_backend.results) == 1
    # reloading the page while it runs shows the polling bar, not a new start
    page = client.get(f"/data/imports/{job.pk}/").content.decode()
    assert "hx-post" not in page and "hx-get" in page

    # the worker writes progress where the web process reads it
    progress_cache().set(job.progress_key(), {"phase": "validate", "done": 1000, "total": 6000})
    text = client.get(f"/data/imports/{job.pk}/progress/").content.decode()
    assert "Đang kiểm tra các dòng" in text and "1.000 / 6.000" in text and 'aria-valuenow="16"' in text

    assert run_import.call(job.pk, "check", "vi") == "checked"  # what the worker does
    text = client.get(f"/data/imports/{job.pk}/progress/").content.decode()
    assert 'data-testid="preview"' in text and "hx-get" not in text
    assert progress_cache().get(job.progress_key()) is None

    client.post(f"/data/imports/{job.pk}/run/", {"phase": "import"})
    job.refresh_from_db()
    assert job.status == "running" and not Establishment.objects.filter(code="B-1").exists()
    run_import.call(job.pk, "import", "vi")
    text = client.get(f"/data/imports/{job.pk}/progress/").content.decode()
    assert 'data-testid="imported"' in text and Establishment.objects.filter(code="B-1").exists()


def test_a_failing_task_refuses_the_file_with_a_message(client, officer, settings):
    settings.TASKS = DUMMY
    client.force_login(officer)
    job = _upload(client, HEADER + "B-2;A;household;96;\n")
    client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"})
    with mock.patch("khuyencong.interchange.tasks.import_file", side_effect=RuntimeError("disk")):
        assert run_import.call(job.pk, "check", "vi") == "refused"
    text = client.get(f"/data/imports/{job.pk}/progress/").content.decode()
    assert "dừng vì một lỗi ngoài dự kiến" in text


def test_tests_run_tasks_in_the_request(client, officer):
    """The suite's backend runs the task at once: the POST answers with the report."""
    client.force_login(officer)
    job = _upload(client, HEADER + "B-3;A;household;96;\n")
    text = client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"}).content.decode()
    assert 'data-testid="preview"' in text


def test_worker_connection_keeps_the_import_in_memory_on_sqlite(db):
    """So the pages polling the progress can still read while the import writes (no spill, no lock)."""
    from django.db import connection

    from khuyencong.interchange import tasks

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    tasks._keep_sqlite_readable()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -tasks.SQLITE_CACHE_KIB
