"""Indexed search over the folded `search_text` of the big tables: the whole country in milliseconds.

`core.filters.folded_search` asks this module for the condition of each word. The answer is what a
`search_text LIKE '%word%'` would find (the tests compare both paths), found through an index:

- SQLite: an FTS5 table with the `trigram` tokenizer over the table's `search_text` (external content: the
  index holds no second copy of the text), kept by triggers on insert, update and delete, so `save()`, bulk
  writes, imports and raw SQL all keep it; a quoted phrase of three characters or more matches exactly the
  rows that contain it as a substring. Words of one or two characters have no trigram: they are matched with
  LIKE (the other words of the query still narrow the rows through the index).
- PostgreSQL: a GIN index with `gin_trgm_ops` (pg_trgm) on `search_text`, which `LIKE '%word%'` uses.
  The text is folded in Python (`core.text.fold`), so `unaccent` is not needed: "kho muc" finds "Khô mực"
  because both sides are folded the same way.

A word over several fields (a product's own text or its establishment's) becomes one `pk IN (… UNION …)`
subquery, so each side is looked up through its own index instead of an OR across a join scanning every row.

The migrations of the owning apps create the indexes (`create_index`, SQLite or PostgreSQL only); SQLite drops
a table's triggers when a later migration rebuilds the table, so `post_migrate` puts them back and rebuilds the
index whenever one is missing (`ensure_indexes`).
"""

import hashlib

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

# tables whose `search_text` is indexed (and the migration that indexes them)
INDEXED_TABLES = frozenset({"registry_establishment", "registry_product", "programme_project"})
MIN_INDEXED = 3  # a trigram: shorter words cannot use the index


def fts_table(table: str) -> str:
    return f"{table}_fts"


def _trigger_sql(table: str) -> dict[str, str]:
    fts = fts_table(table)
    return {
        f"{fts}_ai": f"""CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN
            INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END""",
        f"{fts}_ad": f"""CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN
            INSERT INTO "{fts}"("{fts}", rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
        f"{fts}_au": f"""CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE OF id, search_text ON "{table}"
            BEGIN
            INSERT INTO "{fts}"("{fts}", rowid, search_text) VALUES ('delete', old.id, old.search_text);
            INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END""",
    }


def create_index(schema_editor, table: str) -> None:
    """The search index of `table` (a migration's RunPython): FTS5 on SQLite, pg_trgm on PostgreSQL."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        fts = fts_table(table)
        schema_editor.execute(
            f"""CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(search_text, content='{table}',
            content_rowid='id', tokenize='trigram')"""
        )
        for sql in _trigger_sql(table).values():
            schema_editor.execute(sql)
        schema_editor.execute(f"""INSERT INTO "{fts}"("{fts}") VALUES ('rebuild')""")
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_trgm" ON "{table}" USING gin (search_text gin_trgm_ops)'
        )


def drop_index(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        fts = fts_table(table)
        for name in _trigger_sql(table):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        schema_editor.execute(f'DROP TABLE IF EXISTS "{fts}"')
    elif vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')


def ensure_indexes(using="default", **kwargs) -> None:
    """After `migrate` on SQLite: every index's triggers are there (a table rebuilt by a migration loses them);
    when one was missing, its rows may have changed unseen, so the index is rebuilt from the table."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for _type, name in cur.fetchall()}
        for table in sorted(INDEXED_TABLES):
            fts = fts_table(table)
            if fts not in present:
                continue  # not migrated yet
            triggers = _trigger_sql(table)
            if all(name in present for name in triggers):
                continue
            for sql in triggers.values():
                cur.execute(sql)
            cur.execute(f"""INSERT INTO "{fts}"("{fts}") VALUES ('rebuild')""")


# --- the condition of one word -----------------------------------------------------------------------------
def _indexed(connection, table: str) -> bool:
    if table not in INDEXED_TABLES or connection.vendor not in ("sqlite", "postgresql"):
        return False
    if connection.vendor == "sqlite":
        key = "_khuyencong_fts_tables"
        known = getattr(connection, key, None)
        if known is None:  # one look per connection at which indexes the database has (migrations applied)
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_fts' ESCAPE '\\'"
                )
                known = {name for (name,) in cur.fetchall()}
            setattr(connection, key, known)
        return fts_table(table) in known
    return True


def forget_index_cache(connection) -> None:
    """After creating or dropping an index on an open connection (migrations, tests)."""
    if hasattr(connection, "_khuyencong_fts_tables"):
        del connection._khuyencong_fts_tables


def _like(connection, word: str) -> str:
    return "%" + connection.ops.prep_for_like_query(word) + "%"


def _own_match(connection, model, words: list[str]) -> tuple[str, list]:
    """SQL selecting the pks of `model` whose search_text contains every word (through its index)."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    long_words = [w for w in words if len(w) >= MIN_INDEXED]
    short_words = [w for w in words if len(w) < MIN_INDEXED]
    escape = " ESCAPE '\\'" if connection.vendor == "sqlite" else ""
    if connection.vendor == "sqlite" and long_words:
        fts = fts_table(table)
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        sql, params = f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', [match]
        if short_words:
            likes = " AND ".join(f'"{table}"."search_text" LIKE %s{escape}' for _ in short_words)
            sql = f'SELECT "{table}"."{pk}" FROM "{table}" WHERE "{table}"."{pk}" IN ({sql}) AND {likes}'
            params += [_like(connection, w) for w in short_words]
        return sql, params
    likes = " AND ".join(f'"search_text" LIKE %s{escape}' for _ in words)
    return f'SELECT "{pk}" FROM "{table}" WHERE {likes}', [_like(connection, w) for w in words]


def dense_threshold(rows: int) -> int:
    """How many matching rows make words "common" in a table of `rows`: from half of the table on, walking the
    list's own order and checking each row with LIKE reads fewer rows than the index would return (even when the
    matches all sit at the end of that order); below, the index returns fewer rows than any walk may read."""
    return max(1_000, rows // 2)


def _dense(connection, model, words: list[str]) -> bool:
    """Whether the index would return so many rows of `model` that LIKE over the list's order is faster."""
    long_words = [w for w in words if len(w) >= MIN_INDEXED]
    if connection.vendor != "sqlite" or not long_words:
        return False
    fts = fts_table(model._meta.db_table)
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)

    def count() -> bool:
        with connection.cursor() as cur:
            cur.execute(f'SELECT max(rowid) FROM "{model._meta.db_table}"')
            limit = dense_threshold(cur.fetchone()[0] or 0)
            cur.execute(
                f'SELECT count(*) FROM (SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s LIMIT {limit})',
                [match],
            )
            return cur.fetchone()[0] >= limit

    from .counts import cached

    # counting the matches reads the index's lists of every trigram (tens of ms for common words): the answer is
    # kept until the data changes, like the lists' counts
    key = "dense:" + hashlib.sha1(f"{connection.alias}:{fts}:{match}".encode()).hexdigest()
    return cached(key, lambda: int(count())) == 1


def _field_match(connection, model, path: list[str], words: list[str]) -> tuple[str, list] | None:
    """SQL selecting the pks of `model` whose `path` (ending in search_text) contains the words, or None when the
    path is better matched with LIKE (no index, or the words are too common for the index to help)."""
    if path == ["search_text"]:
        if not _indexed(connection, model._meta.db_table) or _dense(connection, model, words):
            return None
        return _own_match(connection, model, words)
    try:
        field = model._meta.get_field(path[0])
    except Exception:
        return None
    if not (field.many_to_one and field.concrete):  # a foreign key held by this row
        return None
    inner = _field_match(connection, field.related_model, path[1:], words)
    if inner is None:
        return None
    table, pk = model._meta.db_table, model._meta.pk.column
    return f'SELECT "{pk}" FROM "{table}" WHERE "{field.column}" IN ({inner[0]})', inner[1]


def word_condition(queryset, fields: tuple[str, ...], words: list[str]) -> Q:
    """The condition "every one of `words` is in one of `fields`" when `fields` is one field, or "the one word is
    in one of `fields`" (len(words) == 1).

    One field on PostgreSQL: LIKE, which the planner answers through the trigram index or along the list's order.
    Otherwise each field through its index (one `pk IN (… UNION …)`), unless a field has no index or the words
    are common in it: then all of them with LIKE (an OR of an index lookup and a LIKE helps no plan).
    """
    connection = connections[queryset.db]
    found = []
    if not (connection.vendor == "postgresql" and len(fields) == 1):
        for field in fields:
            match = _field_match(connection, queryset.model, field.split("__"), words)
            if match is None:
                found = []
                break
            found.append(match)
    if found and fields == ("search_text",) and connection.vendor == "sqlite":
        # one field of this table: the index for the long words, LIKE on the same rows for the short ones
        long_words = [w for w in words if len(w) >= MIN_INDEXED]
        condition = (
            Q(pk__in=RawSQL(*_own_match(connection, queryset.model, long_words))) if long_words else Q()
        )
        for word in words:
            if len(word) < MIN_INDEXED:
                condition &= Q(search_text__contains=word)
        return condition
    if found:
        sql = " UNION ".join(s for s, _p in found)
        params = [p for _s, ps in found for p in ps]
        return Q(pk__in=RawSQL(sql, params))
    condition = Q()
    for field in fields:
        each = Q()
        for word in words:
            each &= Q(**{f"{field}__contains": word})
        condition |= each
    return condition
