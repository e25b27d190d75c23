"""The keys an import has met (to refuse a code or tax code given twice in a file) are kept by the database."""

import pytest
from django.db import connection

from khuyencong.interchange.importers import SeenKeys

pytestmark = pytest.mark.django_db


def test_seen_keys_answer_the_first_value_given_with_a_key():
    seen = SeenKeys()
    seen.clear()
    assert seen.first("key", {"CS-1": ""}) == {}
    assert seen.first("tax", {"0100109106": "CS-1"}) == {}
    assert seen.first("tax", {"0100109106": "CS-2", "0300588569": "CS-3"}) == {"0100109106": "CS-1"}
    seen.clear()
    assert seen.first("tax", {"0100109106": "CS-2"}) == {}


def test_on_sqlite_the_seen_keys_are_kept_in_a_temporary_file_not_in_memory(tmp_path):
    """A 400,000-row import meets ~800,000 keys: kept in memory (the settings' temp_store=MEMORY) they made the
    import's memory grow with its rows. A fresh connection in a transaction, as an import's, moves them to disk."""
    import sqlite3

    from khuyencong.interchange.importers import _temporary_tables_on_disk

    raw = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    raw.execute("PRAGMA temp_store=MEMORY")
    raw.execute("BEGIN")
    cursor = raw.cursor()
    _temporary_tables_on_disk(cursor)
    assert raw.execute("PRAGMA temp_store").fetchone()[0] == 1  # FILE
    raw.execute("PRAGMA temp_store=MEMORY")  # allowed: no temporary table yet
    raw.execute("CREATE TEMPORARY TABLE t (x)")
    _temporary_tables_on_disk(cursor)  # SQLite refuses now: the keys stay in memory, the import goes on
    assert raw.execute("PRAGMA temp_store").fetchone()[0] == 2
    raw.execute("ROLLBACK")


def test_the_seen_keys_ask_sqlite_for_a_temporary_file(monkeypatch):
    from khuyencong.interchange import importers

    asked = []
    monkeypatch.setattr(importers, "_temporary_tables_on_disk", asked.append)
    SeenKeys().clear()
    assert len(asked) == (1 if connection.vendor == "sqlite" else 0)
