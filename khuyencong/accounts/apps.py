from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "khuyencong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from . import second_factor  # noqa: F401  (registers its system check)
        from .models import User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        # Enrolment, confirmation and removal are audited; each login's counters and the secret are not.
        counters = ["throttling_failure_timestamp", "throttling_failure_count", "last_used_at"]
        auditlog.register(TOTPDevice, exclude_fields=["key", "last_t", "drift", *counters])
        auditlog.register(StaticDevice, exclude_fields=counters)
