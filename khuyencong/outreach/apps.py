from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "khuyencong.outreach"
    label = "outreach"
