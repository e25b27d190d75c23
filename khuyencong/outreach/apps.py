from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "khuyencong.outreach"
    label = "outreach"
    verbose_name = _("Market linkage and capacity")

    def ready(self):
        from auditlog.registry import auditlog

        from khuyencong.core.extensions import register_section
        from khuyencong.core.selectors import register_panel

        from . import models, selectors

        auditlog.register(models.Event, exclude_fields=["search_text", "updated_at", "created_at"])
        auditlog.register(
            models.Participation, exclude_fields=["updated_at", "created_at"], m2m_fields={"products"}
        )
        auditlog.register(models.Outcome, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Training, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.TrainingParticipant, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Survey, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Question, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Invitation, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Response, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Answer)

        from khuyencong.notifications.services import register_reminders

        from .services import send_survey_reminders

        register_reminders(send_survey_reminders)
        register_section("establishment", selectors.establishment_section)
        register_panel(selectors.dashboard_panel)
