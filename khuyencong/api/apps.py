from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "khuyencong.api"
    label = "api"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import ApiToken

        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
