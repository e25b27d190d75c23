from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "khuyencong.selection"
    label = "selection"
