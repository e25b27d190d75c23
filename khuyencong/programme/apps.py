from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "khuyencong.programme"
    label = "programme"
    verbose_name = _("Industrial promotion programme")

    def ready(self):
        from auditlog.registry import auditlog

        from khuyencong.accounts import permissions
        from khuyencong.core.extensions import register_section
        from khuyencong.core.selectors import register_panel

        from . import models, selectors

        auditlog.register(models.Plan, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.PlanLine, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Project, exclude_fields=["search_text", "updated_at", "created_at"])
        auditlog.register(models.ProjectTransition)
        auditlog.register(models.Appraisal)
        auditlog.register(models.Ranking)
        auditlog.register(models.Disbursement, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.ProjectDocument, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.CeilingRule, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.AdvanceRule, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.AppraisalScheme, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.AppraisalCriterion)
        auditlog.register(models.Regulation, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.ActivityPeriod, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.TargetProgramme, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.ProgrammeTarget, exclude_fields=["updated_at", "created_at"])

        def programme_panel(user):
            from django.urls import reverse

            if not permissions.sees_records(user):
                return []
            numbers = selectors.dashboard_numbers(user)
            url = reverse("programme:project_list")
            return [
                {
                    "key": "support_approved",
                    "label": _("Support approved this year"),
                    "icon": "cash-coin",
                    "value": numbers["approved"],
                    "format": "money",
                    "url": f"{url}?year={numbers['year']}",
                },
                {
                    "key": "projects_running",
                    "label": _("Projects running"),
                    "icon": "hourglass-split",
                    "value": numbers["running"],
                    "url": f"{url}?status=running",
                },
            ]

        register_panel(programme_panel)

        def support_section(request, establishment):
            data = selectors.establishment_support(establishment)
            if not data["projects"]:
                return None
            return {"template": "programme/_establishment_support.html", "context": data, "order": 20}

        register_section("establishment", support_section)
