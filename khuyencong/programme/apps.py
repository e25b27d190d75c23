from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "khuyencong.programme"
    label = "programme"
