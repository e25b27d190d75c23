from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    label = "core"
