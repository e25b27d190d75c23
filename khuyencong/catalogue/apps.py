from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "khuyencong.catalogue"
    label = "catalogue"
