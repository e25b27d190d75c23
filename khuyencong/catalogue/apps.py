from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "khuyencong.catalogue"
    label = "catalogue"

    def ready(self):
        from khuyencong.core.extensions import register_section

        from . import sections, signals

        signals.connect()

        register_section("product", sections.product_section)
        register_section("establishment", sections.establishment_section)
