from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "khuyencong.geo"
    label = "geo"
