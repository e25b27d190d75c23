from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "khuyencong.selection"
    label = "selection"
    verbose_name = _("Product selection")

    def ready(self):
        from auditlog.registry import auditlog

        from khuyencong.core.extensions import register_section
        from khuyencong.core.selectors import register_panel

        from . import models, sections

        for model in (
            models.Round,
            models.Result,
            models.Certificate,
            models.RubricVersion,
            models.Criterion,
            models.Dossier,
            models.DossierDocument,
            models.CouncilMember,
            models.Assignment,
            models.Conflict,
            models.Reopening,
            models.RuleSet,
            models.NominationBatch,
            models.NominationLetter,
            models.Appeal,
        ):
            auditlog.register(model, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Score, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.ScoreItem)
        register_section("product", sections.product_section)
        register_section("establishment", sections.establishment_section)
        register_panel(sections.dashboard_panel)

        from khuyencong.core.templatetags.history import register_display_choices
        from khuyencong.registry.models import ProductGroup

        register_display_choices("selection.Round", "product_groups", ProductGroup.choices)

        from khuyencong.notifications.services import register_reminders

        from .services import send_batch_reminders, send_expiry_reminders, send_reminders

        register_reminders(send_reminders)
        register_reminders(send_expiry_reminders)
        register_reminders(send_batch_reminders)
