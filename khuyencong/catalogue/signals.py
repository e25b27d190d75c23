"""Keep the catalogue read model in step with every save that can change it (forms, services, imports, admin)."""

from django.db.models.signals import post_delete, post_save

from . import services


def _result_changed(sender, instance, **kwargs):
    services.refresh_products([instance.product_id])


def _certificate_changed(sender, instance, **kwargs):
    from khuyencong.selection.models import Result

    services.refresh_products(
        Result.objects.filter(pk=instance.result_id).values_list("product_id", flat=True)
    )


def _ocop_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    services.refresh_products([instance.product_id])


def _product_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    services.refresh_products([instance.pk])


def _establishment_changed(sender, instance, **kwargs):
    if kwargs.get("raw") or kwargs.get("created"):
        return
    services.refresh_establishments([instance.pk])


def _round_changed(sender, instance, **kwargs):
    if kwargs.get("raw") or kwargs.get("created"):
        return
    services.refresh_rounds([instance.pk])


def connect() -> None:
    from khuyencong.registry.models import Establishment, OcopRating, Product
    from khuyencong.selection.models import Certificate, Result, Round

    post_save.connect(_result_changed, sender=Result, dispatch_uid="catalogue_result_saved")
    post_delete.connect(_result_changed, sender=Result, dispatch_uid="catalogue_result_deleted")
    post_save.connect(_certificate_changed, sender=Certificate, dispatch_uid="catalogue_certificate_saved")
    post_delete.connect(
        _certificate_changed, sender=Certificate, dispatch_uid="catalogue_certificate_deleted"
    )
    post_save.connect(_product_changed, sender=Product, dispatch_uid="catalogue_product_saved")
    post_save.connect(_ocop_changed, sender=OcopRating, dispatch_uid="catalogue_ocop_saved")
    post_delete.connect(_ocop_changed, sender=OcopRating, dispatch_uid="catalogue_ocop_deleted")
    post_save.connect(
        _establishment_changed, sender=Establishment, dispatch_uid="catalogue_establishment_saved"
    )
    post_save.connect(_round_changed, sender=Round, dispatch_uid="catalogue_round_saved")
