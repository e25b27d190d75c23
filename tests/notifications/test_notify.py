"""Telling users: once per key (held by the database), the mail only after the caller's transaction commits."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from khuyencong.core.counts import is_cache_bump
from khuyencong.notifications.models import Notification
from khuyencong.notifications.services import notify
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_notification_inside_a_transaction_that_rolls_back_sends_nothing(
    django_capture_on_commit_callbacks,
):
    user = make_user("province_officer", email="sct@example.vn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify([user], kind="other", subject="Đã mở chấm điểm")
            raise RuntimeError("the step failed after telling")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_notification_that_commits_sends_one_mail_after_the_commit(django_capture_on_commit_callbacks):
    user = make_user("province_officer", email="sct@example.vn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notify([user], kind="other", subject="Đã mở chấm điểm", body="Hồ sơ chờ chấm", url="/selection/")
            assert mail.outbox == []  # nothing leaves while the transaction (and its locks) are open
    assert len([callback for callback in callbacks if not is_cache_bump(callback)]) == 1
    (message,) = mail.outbox
    assert message.subject == "Đã mở chấm điểm" and message.to == ["sct@example.vn"]
    assert "Hồ sơ chờ chấm" in message.body and "/selection/" in message.body
    assert Notification.objects.get(user=user).mailed_at is not None


def test_a_user_without_an_e_mail_is_told_in_the_site_only(django_capture_on_commit_callbacks):
    user = make_user("judge", email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify([user], kind="other", subject="Thông báo") == 1
    assert [callback for callback in callbacks if not is_cache_bump(callback)] == [] and mail.outbox == []
    assert Notification.objects.filter(user=user).count() == 1


def test_a_key_tells_a_user_once_and_the_database_holds_it(django_capture_on_commit_callbacks):
    user = make_user("judge", email="gk@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([user, user], kind="deadline", subject="Sắp hết hạn", key="deadline-1") == 1
        assert notify([user], kind="deadline", subject="Sắp hết hạn", key="deadline-1") == 0
    assert Notification.objects.filter(user=user, key="deadline-1").count() == 1
    assert len(mail.outbox) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=user, kind="deadline", subject="Lần nữa", key="deadline-1")


def test_notifications_without_a_key_may_repeat():
    user = make_user("judge")
    notify([user], kind="other", subject="Một")
    notify([user], kind="other", subject="Một")
    assert Notification.objects.filter(user=user).count() == 2


def test_the_task_does_not_mail_twice(django_capture_on_commit_callbacks):
    from khuyencong.notifications.tasks import send_notification_mail

    user = make_user("judge", email="gk@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="other", subject="Một lần")
    pk = Notification.objects.get(user=user).pk
    assert send_notification_mail.call(pk, "") is False
    assert len(mail.outbox) == 1


def test_the_bell_and_the_list_page_show_the_unread(client):
    user = make_user("establishment", email="")
    notify([user], kind="other", subject="Hồ sơ đã được nhận")
    client.force_login(user)
    home = client.get("/").content.decode()
    assert 'data-testid="unread">1<' in home and 'href="/notifications/"' in home
    page = client.get("/notifications/").content.decode()
    assert "Hồ sơ đã được nhận" in page and "Thông báo" in page
    client.post("/notifications/")
    assert not user.notifications.filter(read_at__isnull=True).exists()
    assert 'data-testid="unread"' not in client.get("/").content.decode()


def test_core_counts_notifications_without_importing_selection():
    from pathlib import Path

    import khuyencong.core as core

    for path in Path(core.__file__).parent.rglob("*.py"):
        assert "khuyencong.selection" not in path.read_text() or "notif" not in path.read_text(), path
