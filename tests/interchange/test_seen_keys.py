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


def test_on_sqlite_the_seen_keys_are_kept_in_a_temporary_file_not_in_memory():
    """A 400,000-row import meets ~800,000 keys: kept in memory they made its memory grow with its rows."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's temporary storage")
    SeenKeys().clear()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        assert cursor.fetchone()[0] == 1  # FILE
