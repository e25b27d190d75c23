from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "khuyencong.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from khuyencong.core.selectors import register_panel

        from .selectors import dashboard_panel

        register_panel(dashboard_panel)

        from khuyencong.core.worker import register_daily

        from .services import send_reminders

        register_daily(send_reminders)  # the background worker reminds of deadlines once a day

        from auditlog.registry import auditlog

        from .models import Preference

        auditlog.register(Preference, exclude_fields=["updated_at"])
