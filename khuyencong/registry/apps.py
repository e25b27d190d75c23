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
