"""The catalogue's read model: one row per product the public catalogue shows, kept by the catalogue services.

The catalogue lists certified products of the whole country, best certification first. Computing the best
level and year of every product at each request (correlated subqueries over every result) does not hold at
national scale, so the answer is stored here: `catalogue.services.refresh_products` rewrites a product's row
whenever one of its results, certificates, the product or its establishment changes (selection services,
imports and the admin alike), and `khuyencong rebuild_catalogue` rebuilds the whole table.
"""

from django.db import models


class CatalogueEntry(models.Model):
    product = models.OneToOneField(
        "registry.Product", primary_key=True, on_delete=models.CASCADE, related_name="catalogue_entry"
    )
    establishment = models.ForeignKey("registry.Establishment", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=30)
    name = models.CharField(max_length=255)
    level = models.CharField(max_length=20, help_text="the best public certification's level")
    rank = models.PositiveSmallIntegerField(help_text="LEVEL_ORDER index of `level`")
    year = models.PositiveSmallIntegerField(help_text="the best public certification's year")
    levels = models.CharField(max_length=60, help_text="every level certified at, space-separated")
    years = models.CharField(max_length=400, help_text="every year certified in, space-separated")
    search_text = models.TextField(help_text="folded product, establishment and province")
    valid_until = models.DateField(
        null=True,
        help_text="the last day any of its certificates holds; null when a certification has no known end",
    )
    ocop_stars = models.PositiveSmallIntegerField(null=True, help_text="the stars of its latest OCOP rating")
    ocop_valid_until = models.DateField(null=True, help_text="the last day that OCOP rating holds")

    class Meta:
        indexes = [
            models.Index(fields=["-rank", "-year", "name", "product"], name="catalogue_by_level"),
            models.Index(fields=["-year", "-rank", "name", "product"], name="catalogue_by_newest"),
            models.Index(fields=["name", "product"], name="catalogue_by_name"),
            models.Index(fields=["province", "-rank", "-year", "name", "product"], name="catalogue_province"),
            models.Index(fields=["establishment"], name="catalogue_establishment"),
            models.Index(fields=["ocop_stars", "ocop_valid_until"], name="catalogue_ocop"),
        ]

    def __str__(self) -> str:
        return self.name
