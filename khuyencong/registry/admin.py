from django.contrib import admin
from django.db import models

from .models import Establishment, OcopRating, Product, ProductCertification, ProductPhoto


class ProductInline(admin.TabularInline):
    model = Product
    fields = ["code", "name", "group"]
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "commune", "archived_at"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "code", "tax_code", "search_text"]
    autocomplete_fields = ["commune", "legacy_district"]
    inlines = [ProductInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request, obj=None):
        return False


class CertificationInline(admin.TabularInline):
    model = ProductCertification
    extra = 0


class OcopRatingInline(admin.TabularInline):
    model = OcopRating
    extra = 0
    fields = ["stars", "level", "score", "decision_no", "decision_date", "valid_until", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(OcopRating)
class OcopRatingAdmin(admin.ModelAdmin):
    list_display = ["product", "stars", "level", "decision_no", "decision_date", "valid_until"]
    list_filter = ["stars", "level"]
    search_fields = ["product__name", "product__code", "decision_no"]
    autocomplete_fields = ["product"]
    readonly_fields = ["recorded_by"]
    date_hierarchy = "decision_date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "establishment", "archived_at"]
    list_filter = ["group"]
    search_fields = ["name", "code", "search_text"]
    autocomplete_fields = ["establishment"]
    inlines = [CertificationInline, OcopRatingInline]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ProductPhoto)
