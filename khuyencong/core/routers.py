"""Reads of report and catalogue pages go to a replica when DATABASE_REPLICA_URL is set.

The request decides (core.middleware.ReplicaReadsMiddleware marks GET requests under REPLICA_PATHS); a
model cannot tell whether it is read for a report. Sessions, users, login attempts and background jobs are
always read from the primary, so a login or a write just made is never missed because of replica lag.
"""

import contextvars

from django.conf import settings

_reads_from_replica = contextvars.ContextVar("khuyencong_replica_reads", default=False)
PRIMARY_ONLY = {
    "sessions",
    "auth",
    "accounts",
    "axes",
    "contenttypes",
    "django_tasks_database",
    "admin",
    "api",
}


def replica_configured() -> bool:
    return "replica" in settings.DATABASES


class replica_reads:  # noqa: N801 (a context manager)
    """Inside it, reads (outside PRIMARY_ONLY apps) use the replica when one is configured."""

    def __enter__(self):
        self.token = _reads_from_replica.set(True)

    def __exit__(self, *exc):
        _reads_from_replica.reset(self.token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and replica_configured() and model._meta.app_label not in PRIMARY_ONLY:
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db != "replica"


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in {"GET", "HEAD"}
            and replica_configured()
            and request.path.startswith(tuple(settings.REPLICA_PATHS))
        ):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
