"""Cached reports are forgotten when a record they count changes (forms, services, imports, admin)."""

from django.db.models.signals import post_delete, post_save


def _changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    from .rendering import invalidate

    invalidate()


def connect() -> None:
    from khuyencong.programme.models import Project
    from khuyencong.registry.models import Establishment, Product
    from khuyencong.selection.models import Certificate, Result, Round

    for model in (Project, Result, Round, Certificate, Establishment, Product):
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports_{model.__name__}_saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reports_{model.__name__}_deleted")
