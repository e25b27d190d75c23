"""The registry's and projects' search goes through an index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) and
finds exactly what `LIKE '%word%'` finds, whatever wrote the rows."""

import pytest
from django.db import connection

from khuyencong.core import search, synth
from khuyencong.core.filters import folded_search, like_search
from khuyencong.programme.models import Project
from khuyencong.registry import selectors
from khuyencong.registry.models import Establishment, Product
from tests.factories import EstablishmentFactory, ProductFactory

pytestmark = pytest.mark.django_db

QUERIES = [
    "kho muc",
    "KHÔ MỰC",
    "kho mu",  # a partial last word, as typed
    "mực",
    "hop tac xa",
    "htx",
    "xa",  # one short word: no trigram, LIKE alone
    "nguyen van",
    "nguyễn v",
    "ca mau",
    "chieu coi",
    "nuoc mam phu",
    "o",
    "50%",
    "a_b",
    'quote"d',
    "tnhh mtv",
    "khô mực nước mắm",  # words in different records: nothing
    "SYN",
    "syn-e",
    "0290",
    "zzzz",
]


def _ids(qs):
    return sorted(qs.values_list("pk", flat=True))


def _assert_same(model, fields, query):
    qs = model.objects.all()
    indexed, plain = _ids(folded_search(qs, fields, query)), _ids(like_search(qs, fields, query))
    assert indexed == plain, (model.__name__, fields, query)
    return indexed


def _uses_index(qs) -> bool:
    sql = str(qs.query)
    return "_fts" in sql if connection.vendor == "sqlite" else "UNION" in sql


@pytest.mark.parametrize("common", [False, True], ids=["through-the-index", "words-common-enough-for-like"])
def test_indexed_search_finds_what_like_finds_on_the_synthetic_set(common, monkeypatch):
    if common:  # every word counts as common: the list's order is walked with LIKE
        monkeypatch.setattr(search, "dense_threshold", lambda rows: 1)
    synth.build(scale="tiny", seed=3)
    EstablishmentFactory(name="Hợp tác xã Khô mực Sông Đốc", address="Ấp 50% a_b")
    EstablishmentFactory(name='Cơ sở "quote"d" Nguyễn Văn Tài')
    ProductFactory(name="Khô mực câu", description="Nước mắm phú quốc")
    found = {}
    for query in QUERIES:
        found[query] = _assert_same(Establishment, ("search_text",), query)
        _assert_same(Product, ("search_text",), query)
        _assert_same(Product, ("search_text", "establishment__search_text"), query)
        _assert_same(Project, ("search_text", "establishment__search_text"), query)
    # the comparison is not vacuous: the queries find rows, and not every row
    assert found["kho muc"] and set(found["kho muc"]) <= set(found["kho mu"])
    assert found["KHÔ MỰC"] == found["kho muc"]
    assert 0 < len(found["hop tac xa"]) < Establishment.objects.count()
    assert found["zzzz"] == [] and found["khô mực nước mắm"] == []
    assert found["50%"] and found["a_b"] and found['quote"d']
    # and on SQLite the index is what answers (unless the words are common); PostgreSQL's planner picks the
    # trigram index for LIKE itself (one field), the subquery form is for several fields
    if connection.vendor == "sqlite":
        assert (
            _uses_index(folded_search(Establishment.objects.all(), ("search_text",), "kho muc")) is not common
        )
    both = folded_search(Product.objects.all(), ("search_text", "establishment__search_text"), "kho")
    assert _uses_index(both) is not (common and connection.vendor == "sqlite")


def test_the_index_follows_every_kind_of_write(officer):
    est = EstablishmentFactory(name="Cơ sở Chiếu cói Kim Sơn")
    assert selectors.establishment_list(officer, query="chieu coi").get() == est
    est.name = "Cơ sở Nước mắm Phú Quốc"
    est.save()
    assert not selectors.establishment_list(officer, query="chieu coi").exists()
    assert selectors.establishment_list(officer, query="nuoc mam").get() == est
    # bulk writes (imports, synth) skip save() and signals: the database keeps the index
    others = [EstablishmentFactory.build(name=f"Hộ Khô cá lóc {i}", code=f"BULK-{i}") for i in range(3)]
    for e in others:
        e.fill_search_text()
    Establishment.objects.bulk_create(others)
    assert selectors.establishment_list(officer, query="kho ca loc").count() == 3
    Establishment.objects.filter(code="BULK-0").update(search_text="hop tac xa tom kho")
    assert selectors.establishment_list(officer, query="kho ca loc").count() == 2
    assert selectors.establishment_list(officer, query="tom kho").count() == 1
    Establishment.objects.filter(code__startswith="BULK-")._raw_delete(connection.alias)
    assert not selectors.establishment_list(officer, query="kho ca loc").exists()
    # a product is found by its establishment's name too
    product = ProductFactory(name="Bánh phồng tôm", establishment=est)
    assert list(selectors.product_list(officer, query="phu quoc banh")) == [product]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers only")
def test_triggers_lost_in_a_table_rebuild_come_back_with_the_rows_they_missed(officer):
    est = EstablishmentFactory(name="Cơ sở Mây tre đan")
    with connection.cursor() as cur:
        for name in search._trigger_sql("registry_establishment"):
            cur.execute(f'DROP TRIGGER "{name}"')  # what a migration rebuilding the table does
        cur.execute("UPDATE registry_establishment SET search_text = 'co so gom su' WHERE id = %s", [est.pk])
    assert not folded_search(Establishment.objects.all(), ("search_text",), "gom su").exists()  # stale
    search.ensure_indexes(using=connection.alias)
    assert folded_search(Establishment.objects.all(), ("search_text",), "gom su").get() == est
    assert not folded_search(Establishment.objects.all(), ("search_text",), "may tre").exists()
    est.name = "Cơ sở Sơn mài"
    est.save()
    assert folded_search(Establishment.objects.all(), ("search_text",), "son mai").get() == est


def test_the_index_exists_on_this_database():
    tables = connection.introspection.table_names()
    if connection.vendor == "sqlite":
        assert {"registry_establishment_fts", "registry_product_fts", "programme_project_fts"} <= set(tables)
    else:
        with connection.cursor() as cur:
            cur.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_search_trgm'")
            names = {n for (n,) in cur.fetchall()}
        assert {"registry_establishment_search_trgm", "registry_product_search_trgm"} <= names
