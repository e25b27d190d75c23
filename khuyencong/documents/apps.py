from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "khuyencong.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Signatory, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.IssuedDocument, exclude_fields=["updated_at", "created_at"])
