from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "khuyencong.interchange"
    label = "interchange"
    verbose_name = _("Import and export")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(
            models.ImportJob, exclude_fields=["updated_at", "created_at", "report", "heartbeat_at"]
        )

        from khuyencong.core.worker import register_sweep

        from .services import fail_stale_jobs

        register_sweep(fail_stale_jobs)
