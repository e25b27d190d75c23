from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "khuyencong.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from auditlog.registry import auditlog

        from khuyencong.accounts import permissions
        from khuyencong.core.selectors import register_panel

        from . import models, selectors

        auditlog.register(models.Establishment, exclude_fields=["search_text", "updated_at", "created_at"])
        auditlog.register(
            models.Product, exclude_fields=["search_text", "updated_at", "created_at", "thumbnail"]
        )
        auditlog.register(models.ProductCertification)
        auditlog.register(models.ProductPhoto, exclude_fields=["thumbnail"])
        auditlog.register(models.CraftVillage, exclude_fields=["search_text", "updated_at", "created_at"])
        auditlog.register(models.Artisan, exclude_fields=["search_text", "updated_at", "created_at"])
        auditlog.register(models.EstablishmentDocument, exclude_fields=["updated_at", "created_at"])

        from khuyencong.core.extensions import register_section

        def beneficiary_section(request, establishment):
            """The establishment's priority flags (with their evidence), craft villages and artisans."""
            user = request.user
            if not (permissions.acts_for(user, establishment) or permissions.is_staff_role(user)):
                return None
            can_attach = permissions.is_staff_role(user) and permissions.can_edit_place(
                user, establishment.province_id, establishment.commune_id
            )
            labels = {
                "women_owned": _("Women-owned"),
                "ethnic_minority_owned": _("Ethnic-minority-owned"),
                "disadvantaged_commune": _("In a disadvantaged commune"),
            }
            return {
                "template": "registry/_establishment_beneficiary_section.html",
                "order": 20,
                "context": {
                    "establishment": establishment,
                    "flags": [labels[f] for f in establishment.priority_flags],
                    "documents": establishment.documents.filter(archived_at__isnull=True),
                    "can_attach": can_attach,
                    "villages": establishment.craft_villages.filter(archived_at__isnull=True),
                    "artisans": establishment.artisans.filter(archived_at__isnull=True),
                },
            }

        register_section("establishment", beneficiary_section)
        auditlog.register(models.OcopRating, exclude_fields=["updated_at", "created_at"])

        from khuyencong.notifications.services import register_reminders

        from .services import send_ocop_expiry_reminders

        register_reminders(send_ocop_expiry_reminders)

        def registry_panel(user):
            from django.urls import reverse

            if not permissions.sees_records(user):
                return []
            return [
                {
                    "key": "establishments",
                    "label": _("Establishments"),
                    "icon": "building",
                    "value": selectors.visible_establishments(user).filter(archived_at__isnull=True).count(),
                    "url": reverse("registry:establishment_list"),
                },
                {
                    "key": "products",
                    "label": _("Products"),
                    "icon": "box-seam",
                    "value": selectors.visible_products(user).filter(archived_at__isnull=True).count(),
                    "url": reverse("registry:product_list"),
                },
            ]

        register_panel(registry_panel)
