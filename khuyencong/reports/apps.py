from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "khuyencong.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from khuyencong.core.extensions import register_section
        from khuyencong.core.selectors import register_panel

        from . import panels, signals

        signals.connect()

        register_panel(panels.dashboard_panel)
        register_section("establishment", panels.journey_section)
