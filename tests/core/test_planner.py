"""An index a migration adds to an analysed SQLite database gets its statistics at once: without them the planner
took a new index for the API's list of establishments and sorted the whole country instead of walking the list's
(name, id) index (1.4–1.9 s a page instead of 7 ms on the national dataset)."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

from khuyencong.core.planner import analyse_new_indexes, tables_missing_statistics
from khuyencong.registry import selectors
from tests.factories import EstablishmentFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics"),
]

NEW_INDEX = "establishment_report_figures"


def _stat_indexes(table: str) -> set:
    with connection.cursor() as cur:
        cur.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = %s", [table])
        return {idx for (idx,) in cur.fetchall()}


def _index_added_after_analyze():
    """The state the national dataset was in: analysed, then a migration added an index."""
    EstablishmentFactory.create_batch(30)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        cur.execute("DELETE FROM sqlite_stat1 WHERE idx = %s", [NEW_INDEX])


def test_an_index_added_after_analyze_is_analysed_after_migrate():
    _index_added_after_analyze()
    assert NEW_INDEX not in _stat_indexes("registry_establishment")
    assert "registry_establishment" in tables_missing_statistics(connection)

    # what `migrate` sends when it has applied the migrations
    core = apps.get_app_config("core")
    post_migrate.send(
        sender=core, app_config=core, verbosity=0, interactive=False, using="default", plan=[], apps=apps
    )

    assert NEW_INDEX in _stat_indexes("registry_establishment")


def test_the_api_list_walks_the_name_order_once_statistics_are_complete():
    _index_added_after_analyze()
    analyse_new_indexes()
    admin = UserFactory(role="admin")
    qs = selectors.establishment_list(admin).order_by("name", "pk")[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " | ".join(row[-1] for row in cur.fetchall())
    assert "establishment_name_order" in plan
    assert "TEMP B-TREE" not in plan  # no sort of every establishment


def test_a_database_never_analysed_is_left_alone():
    EstablishmentFactory.create_batch(3)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert analyse_new_indexes() == []
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cur.fetchone() is None
