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
