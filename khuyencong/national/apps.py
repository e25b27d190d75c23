from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "khuyencong.national"
    label = "national"
    verbose_name = _("National plan")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Registration, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.RegistrationLine, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Allocation, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.RegistrationTransition)
        auditlog.register(models.RegistrationReport, exclude_fields=["updated_at", "created_at"])
