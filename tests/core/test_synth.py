"""`khuyencong synth`: a deterministic synthetic dataset, filled as real imports fill it."""

import pytest
from django.core.management import CommandError, call_command

from khuyencong.catalogue import selectors as catalogue
from khuyencong.catalogue.models import CatalogueEntry
from khuyencong.core import synth
from khuyencong.core.text import fold
from khuyencong.programme.models import Project
from khuyencong.registry.models import Establishment, Product, validate_tax_code
from khuyencong.selection.models import Certificate, Result, Round

pytestmark = pytest.mark.django_db


def test_tiny_dataset_is_complete_and_consistent():
    counts = synth.build(scale="tiny", seed=5)
    spec = synth.SCALES["tiny"]
    assert Establishment.objects.count() == counts["establishments"] == spec.establishments
    assert Product.objects.count() == spec.products
    assert Project.objects.count() == spec.projects
    assert Result.objects.count() == spec.results
    assert Round.objects.count() == counts["rounds"] == 3 * 10 + 10
    assert Certificate.objects.count() == counts["certificates"] > 0
    for e in Establishment.objects.select_related("commune")[:50]:
        assert e.search_text == fold(
            " ".join(filter(None, [e.name, e.code, e.tax_code, e.address, e.industry]))
        )
        assert e.commune.province_id == e.province_id
        assert e.legacy_province is None or e.legacy_province.successor_id == e.province_id
        if e.tax_code:
            validate_tax_code(e.tax_code)
    for p in Product.objects.all()[:50]:
        assert p.search_text == fold(" ".join(filter(None, [p.name, p.code, p.description[:500]])))
    for j in Project.objects.all()[:50]:
        assert j.search_text == fold(f"{j.code} {j.title}")
    assert all(2016 <= y <= 2025 for y in Project.objects.values_list("year", flat=True))
    # the read model holds exactly the certified, unrevoked products
    public = set(Result.objects.filter(catalogue.PUBLIC_RESULT).values_list("product_id", flat=True))
    assert set(CatalogueEntry.objects.values_list("product_id", flat=True)) == public
    assert catalogue.catalogue().count() == len(public)


def test_same_seed_same_records():
    synth.build(scale="tiny", seed=5)
    first = list(Establishment.objects.order_by("code").values_list("code", "name", "tax_code", "commune_id"))
    results = list(
        Result.objects.order_by("round__code", "product__code").values_list("round__code", "product__code")
    )
    Certificate.objects.all().delete()
    Result.objects.all().delete()
    Round.objects.all().delete()
    Project.objects.all()._raw_delete(Project.objects.db)
    CatalogueEntry.objects.all().delete()
    Product.objects.all()._raw_delete(Product.objects.db)
    Establishment.objects.all()._raw_delete(Establishment.objects.db)
    synth.build(scale="tiny", seed=5)
    assert (
        list(Establishment.objects.order_by("code").values_list("code", "name", "tax_code", "commune_id"))
        == first
    )
    assert (
        list(
            Result.objects.order_by("round__code", "product__code").values_list(
                "round__code", "product__code"
            )
        )
        == results
    )


def test_the_command_refuses_a_second_dataset():
    call_command("synth", "--scale", "tiny")
    with pytest.raises(CommandError, match="already"):
        call_command("synth", "--scale", "tiny")
