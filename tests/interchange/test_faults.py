"""Background imports that survive faults: a job whose worker stopped (past its lease) is shown failed
with the reason and Retry / Cancel; retry re-enqueues after commit; cancel stops a queued or running
import before its next chunk; nothing of an import that did not finish is saved."""

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks import default_task_backend

from khuyencong.core.counts import is_cache_bump
from khuyencong.interchange import services, tasks
from khuyencong.interchange.models import ImportJob
from khuyencong.interchange.tasks import progress_cache, run_import
from khuyencong.registry.models import Establishment
from tests.factories import make_user

HEADER = "code;name;kind;province;commune\n"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
REASON = "Tiến trình xử lý nền đã dừng trước khi công việc hoàn tất."


@pytest.fixture
def officer(db):
    return make_user("province_officer", username="sct96kt", province_id=96)


def rows(n, prefix="F"):
    return HEADER + "".join(f"{prefix}-{i};Cơ sở {i};household;96;\n" for i in range(n))


def upload(client, text):
    client.post(
        "/data/",
        {"kind": "establishments", "file": SimpleUploadedFile("co-so.csv", text.encode(), "text/csv")},
    )
    return ImportJob.objects.latest("pk")


def queued(client, officer, settings, text=None, phase="check"):
    """A job waiting in a queue nobody works (as with a real worker not yet at it)."""
    settings.TASKS = DUMMY
    client.force_login(officer)
    job = upload(client, text or rows(3))
    if phase == "import":
        job.status = ImportJob.Status.CHECKED
        job.save()
    client.post(f"/data/imports/{job.pk}/run/", {"phase": phase})
    job.refresh_from_db()
    assert job.status == "running" and job.queued
    return job


def claimed_and_silent(job, seconds_ago):
    """A worker took the job, then went silent (killed): its lease is `seconds_ago` old."""
    job = tasks._claim(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    job.refresh_from_db()
    return job


def test_a_job_past_its_lease_is_shown_failed_with_the_reason_and_retry_and_cancel(client, officer, settings):
    settings.IMPORT_LEASE_SECONDS = 60
    job = queued(client, officer, settings)
    job = claimed_and_silent(job, seconds_ago=61)
    assert services.is_stale(job)
    page = client.get(f"/data/imports/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and job.failure == "worker_stopped" and job.phase == "check"
    assert REASON in page and 'data-testid="retry"' in page and 'data-testid="cancel"' in page
    assert "Chạy lại" in page and "Hủy" in page
    # the list of recent imports says so too
    assert "Thất bại: công việc nền đã dừng" in client.get("/data/").content.decode()


def test_a_job_within_its_lease_or_beating_in_the_cache_is_not_failed(client, officer, settings):
    settings.IMPORT_LEASE_SECONDS = 60
    job = queued(client, officer, settings)
    job = claimed_and_silent(job, seconds_ago=30)
    assert not services.is_stale(job) and services.fail_stale_jobs() == 0
    # the row's lease is old, but the task beats in the cache (SQLite: its write transaction holds the row)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=300))
    job.refresh_from_db()
    tasks.Lease(job).beat()
    assert not services.is_stale(job)
    client.get(f"/data/imports/{job.pk}/progress/")
    job.refresh_from_db()
    assert job.status == "running"
    progress_cache().delete(job.beat_key())
    assert services.fail_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == "failed"


def test_a_queued_job_is_never_stale(client, officer, settings):
    settings.IMPORT_LEASE_SECONDS = 1
    job = queued(client, officer, settings)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1))
    assert services.fail_stale_jobs() == 0
    page = client.get(f"/data/imports/{job.pk}/").content.decode()
    assert 'data-testid="progress"' in page and 'data-testid="cancel"' in page


def test_the_jobs_of_a_dead_worker_fail_at_once(client, officer, settings):
    job = queued(client, officer, settings)
    job = claimed_and_silent(job, seconds_ago=0)
    assert services.fail_stale_jobs("elsewhere:1") == 0
    assert services.fail_stale_jobs(job.worker) == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.failure == "worker_stopped"


def test_retry_enqueues_after_commit_and_runs_the_same_step(
    client, officer, settings, django_capture_on_commit_callbacks
):
    job = queued(client, officer, settings, phase="import")  # run by hand below: on_commit here is Django's
    job = claimed_and_silent(job, seconds_ago=3600)
    services.fail_if_stale(job)
    before = len(default_task_backend.results)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/data/imports/{job.pk}/retry/", follow=True)
        assert len(default_task_backend.results) == before  # not enqueued inside the transaction
    callbacks = [callback for callback in callbacks if not is_cache_bump(callback)]
    assert len(callbacks) == 1
    callbacks[0]()
    [*_old, result] = default_task_backend.results
    assert result.args[:2] == [job.pk, "import"]
    job.refresh_from_db()
    assert job.status == "running" and job.queued and job.failure == "" and job.attempts == 1
    assert "Đã chạy lại lần nhập" in response.content.decode()
    assert run_import.call(job.pk, "import", "vi") == "done"
    job.refresh_from_db()
    assert job.attempts == 2 and Establishment.objects.filter(code__startswith="F-").count() == 3


def test_retry_refused_unless_stopped(client, officer, settings):
    job = queued(client, officer, settings)
    response = client.post(f"/data/imports/{job.pk}/retry/", follow=True)
    assert "Lần nhập này chưa dừng: không có gì để chạy lại." in response.content.decode()


def test_cancel_a_queued_job_and_the_worker_skips_it(client, officer, settings):
    job = queued(client, officer, settings)
    response = client.post(f"/data/imports/{job.pk}/cancel/", follow=True)
    job.refresh_from_db()
    assert job.status == "cancelled" and job.failure == "cancelled"
    text = response.content.decode()
    assert "Đã hủy lần nhập; không có gì được lưu." in text and 'data-testid="retry"' in text
    assert run_import.call(job.pk, "check", "vi") == "cancelled"  # the queued task, when a worker gets to it
    assert client.post(f"/data/imports/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert job.status == "running"


def _during_write(action):
    """Run the real import, doing `action()` once, after the first chunk of the write pass is written."""
    real = services.import_file

    def import_file(**kwargs):
        outer = kwargs["progress"]
        done = []

        def progress(step, n, total):
            if step == "write" and not done:
                done.append(n)
                assert Establishment.objects.filter(code__startswith="C-").count() == services.CHUNK
                action()
            outer(step, n, total)

        return real(**{**kwargs, "progress": progress})

    return mock.patch.object(tasks, "import_file", side_effect=import_file)


def test_cancel_a_running_import_between_chunks_writes_nothing(client, officer, settings):
    job = queued(client, officer, settings, text=rows(services.CHUNK * 2 + 10, "C"), phase="import")
    with _during_write(lambda: services.cancel_job(user=officer, job=job)):
        assert run_import.call(job.pk, "import", "vi") == "cancelled"
    assert not Establishment.objects.filter(code__startswith="C-").exists()  # the first chunk was rolled back
    job.refresh_from_db()
    assert job.status == "cancelled" and job.phase == "import"
    page = client.get(f"/data/imports/{job.pk}/").content.decode()
    assert (
        "Lần nhập chưa hoàn tất: không có gì được lưu." in page
        and "Đã hủy trước khi công việc hoàn tất." in page
    )


def test_cancel_request_on_the_row_alone_stops_it(client, officer, settings):
    """A worker on another machine does not see this machine's cache: the row's flag stops it too."""
    job = queued(client, officer, settings, text=rows(services.CHUNK + 10, "C"), phase="import")

    def ask():
        ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)

    with _during_write(ask):
        assert run_import.call(job.pk, "import", "vi") == "cancelled"
    assert not Establishment.objects.filter(code__startswith="C-").exists()


def test_cancel_through_the_cache_alone_stops_it(client, officer, settings):
    """On SQLite the import's write transaction holds the row: the cancel reaches the task through the cache."""
    job = queued(client, officer, settings, text=rows(services.CHUNK + 10, "C"), phase="import")

    def ask():
        progress_cache().set(ImportJob.objects.get(pk=job.pk).cancel_key(), True)

    with _during_write(ask):
        assert run_import.call(job.pk, "import", "vi") == "cancelled"
    assert not Establishment.objects.filter(code__startswith="C-").exists()


def test_a_job_failed_while_its_task_still_runs_writes_nothing(client, officer, settings):
    """Its lease ran out (the worker froze), the job was failed: when the task wakes it gives up whole."""
    job = queued(client, officer, settings, text=rows(services.CHUNK + 10, "C"), phase="import")

    def lost():
        current = ImportJob.objects.get(pk=job.pk)
        assert services._fail(current, ImportJob.Failure.WORKER_STOPPED)

    with _during_write(lost):
        assert run_import.call(job.pk, "import", "vi") == "lost"
    assert not Establishment.objects.filter(code__startswith="C-").exists()
    job.refresh_from_db()
    assert job.status != "done"  # (here the failing shared the import's transaction and was rolled back too)


def test_the_running_page_offers_cancel_and_says_when_cancelling(client, officer, settings):
    job = queued(client, officer, settings)
    job = claimed_and_silent(job, seconds_ago=0)
    text = client.get(f"/data/imports/{job.pk}/progress/").content.decode()
    assert 'data-testid="cancel"' in text
    response = client.post(f"/data/imports/{job.pk}/cancel/", follow=True)
    text = response.content.decode()
    assert "Đang hủy: lần nhập sẽ dừng trước nhóm dòng tiếp theo; không có gì được lưu." in text
    assert 'data-testid="cancelling"' in text and 'data-testid="cancel"' not in text


def test_who_may_retry_and_cancel(client, officer, settings):
    job = queued(client, officer, settings)
    services.cancel_job(user=officer, job=job)
    colleague = make_user("province_officer", username="sct96kt2", province_id=96)
    stranger = make_user("province_officer", username="sct92kt", province_id=92)
    commune = make_user("commune_officer", username="xa96kt", province_id=96)
    client.force_login(stranger)
    assert client.get(f"/data/imports/{job.pk}/").status_code == 404
    assert client.post(f"/data/imports/{job.pk}/retry/").status_code == 404
    client.force_login(commune)
    assert client.post(f"/data/imports/{job.pk}/retry/").status_code == 404
    client.force_login(colleague)
    assert 'data-testid="retry"' in client.get(f"/data/imports/{job.pk}/").content.decode()
    client.post(f"/data/imports/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == "running"


def test_transitions_table_matches_the_statuses():
    statuses = set(ImportJob.Status.values)
    for sources, target in services.JOB_TRANSITIONS.values():
        assert set(sources) <= statuses and target in statuses
