from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "khuyencong.interchange"
    label = "interchange"
