from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "khuyencong.api"
    label = "api"
