"""The notifications table moved from selection without losing a row; duplicate keys stop the migration by name."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("notifications", None)]  # selection's 0006 and later depend on it and are unapplied with it


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    if targets != BEFORE:
        return None
    loader = MigrationExecutor(connection).loader
    # the state of what is applied now (apps whose migrations need the move are unapplied with it)
    applied = [key for key in loader.applied_migrations if key in loader.graph.nodes]
    return loader.project_state(applied).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _old_rows(apps):
    User = apps.get_model("accounts", "User")
    Old = apps.get_model("selection", "Notification")
    user = User.objects.create(username="coso.cu", email="coso@example.vn")
    return user, Old


def test_existing_notifications_survive_the_move():
    try:
        apps = _migrate(BEFORE)
        user, Old = _old_rows(apps)
        Old.objects.create(
            user_id=user.pk, kind="deadline", subject="Sắp hết hạn nộp hồ sơ", key="deadline-1"
        )
        Old.objects.create(user_id=user.pk, kind="other", subject="Hồ sơ bị trả lại")
    finally:
        _migrate(_latest())
    from khuyencong.notifications.models import Notification

    assert sorted(Notification.objects.filter(user_id=user.pk).values_list("subject", flat=True)) == [
        "Hồ sơ bị trả lại",
        "Sắp hết hạn nộp hồ sơ",
    ]
    assert Notification._meta.db_table in connection.introspection.table_names()
    assert "selection_notification" not in connection.introspection.table_names()


def test_a_user_told_twice_under_one_key_stops_the_migration_naming_the_rows():
    apps = _migrate(BEFORE)
    user, Old = _old_rows(apps)
    first = Old.objects.create(user_id=user.pk, kind="deadline", subject="Một", key="deadline-1")
    second = Old.objects.create(user_id=user.pk, kind="deadline", subject="Hai", key="deadline-1")
    try:
        with pytest.raises(RuntimeError) as exc:
            _migrate(_latest())
        assert "one_notification_per_key" in str(exc.value)
        assert f"key 'deadline-1': notifications [{first.pk}, {second.pk}]" in str(exc.value)
    finally:
        with connection.cursor() as cursor:  # wherever the failed run left the table, keep one row and finish
            table = (
                "notifications_notification"
                if "notifications_notification" in connection.introspection.table_names()
                else "selection_notification"
            )
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [second.pk])
        _migrate(_latest())
