from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    label = "core"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import checks  # noqa: F401 (registers the system checks)
        from .counts import record_changed
        from .planner import analyse_new_indexes
        from .search import ensure_indexes

        post_save.connect(record_changed, dispatch_uid="core.counts.record_saved")
        post_delete.connect(record_changed, dispatch_uid="core.counts.record_deleted")

        post_migrate.connect(create_cache_table, sender=self)
        post_migrate.connect(ensure_indexes, sender=self, dispatch_uid="core.search.ensure_indexes")
        post_migrate.connect(
            analyse_new_indexes, sender=self, dispatch_uid="core.planner.analyse_new_indexes"
        )


def create_cache_table(using="default", verbosity=1, **kwargs):
    """`migrate` also makes the database cache's table (settings.caches), so no separate step is needed."""
    from django.conf import settings
    from django.core.management import call_command

    if using != "default":
        return
    if any(c["BACKEND"].endswith("db.DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
