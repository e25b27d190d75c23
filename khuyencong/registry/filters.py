"""The registry's list filters, shared by the pages, their exports and the API (through the selectors)."""

import django_filters

from khuyencong.core.filters import SearchFilterSet

from .models import (
    Artisan,
    ArtisanTitle,
    CraftVillage,
    Establishment,
    EstablishmentKind,
    Product,
    ProductGroup,
)


class EstablishmentFilter(SearchFilterSet):
    """Name, code, tax code or address (accents optional); place; legal form; archived."""

    province = django_filters.NumberFilter(field_name="province_id")
    commune = django_filters.NumberFilter(field_name="commune_id")
    kind = django_filters.ChoiceFilter(choices=EstablishmentKind.choices)

    class Meta:
        model = Establishment
        fields = []


class ProductFilter(SearchFilterSet):
    """The product's or its establishment's name or code (accents optional); group; establishment; archived."""

    search_fields = ("search_text", "establishment__search_text")

    group = django_filters.ChoiceFilter(choices=ProductGroup.choices)
    establishment = django_filters.NumberFilter(field_name="establishment_id")

    class Meta:
        model = Product
        fields = []


class CraftVillageFilter(SearchFilterSet):
    """Name, code, trade or decision number (accents optional); place; archived."""

    province = django_filters.NumberFilter(field_name="province_id")
    commune = django_filters.NumberFilter(field_name="commune_id")

    class Meta:
        model = CraftVillage
        fields = []


class ArtisanFilter(SearchFilterSet):
    """Name, code or trade (accents optional); title; place; establishment; craft village; archived."""

    province = django_filters.NumberFilter(field_name="province_id")
    title = django_filters.ChoiceFilter(choices=ArtisanTitle.choices)
    establishment = django_filters.NumberFilter(field_name="establishment_id")
    craft_village = django_filters.NumberFilter(field_name="craft_village_id")

    class Meta:
        model = Artisan
        fields = []
