"""Audit entries for writes that bypass model signals (`bulk_create`, `bulk_update`).

django-auditlog writes one `LogEntry` per `save()` from a signal. A bulk write sends no signal, so
the writer records the same entries itself, in one INSERT per batch: the history of an imported
record then reads exactly like the history of one entered through a form (same actor, same
`changes`, shown by `LogEntry.objects.get_for_object`). `additional_data` says where it came from.
"""

from auditlog.cid import get_cid
from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function, model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django.utils.encoding import smart_str


def bulk_log(pairs, *, actor, additional_data: dict | None = None, batch_size: int = 1000) -> int:
    """Record a CREATE (old is None) or UPDATE entry for each (old, new) pair whose fields differ.

    `old` is a copy of the instance as it was before the change (for updates), `new` the saved
    instance (with its primary key). Returns how many entries were written.
    """
    now = timezone.now()
    cid = get_cid()
    if connection.vendor == "sqlite":
        return _insert(pairs, actor=actor, additional_data=additional_data, now=now, cid=cid)
    entries = []
    content_types = {}
    for old, new, changes in _changed(pairs):
        model = type(new)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        entries.append(
            LogEntry(
                content_type=content_types[model],
                object_pk=str(new.pk),
                object_id=new.pk,
                object_repr=str(new),
                action=LogEntry.Action.CREATE if old is None else LogEntry.Action.UPDATE,
                changes=changes,
                actor=actor if getattr(actor, "pk", None) else None,
                actor_email=getattr(actor, "email", None),
                timestamp=now,
                cid=cid,
                additional_data=additional_data,
            )
        )
    if connection.vendor == "postgresql":
        _copy(entries)
    else:
        LogEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)


# the fields of an entry that differ from record to record; the others are the same for a whole call
_VARYING = ("object_pk", "object_id", "object_repr", "action", "changes")


def _changed(pairs):
    """(old, new, changes) for each pair whose record changed; a creation's diff worked out per model once."""
    creations = {}
    for old, new in pairs:
        if old is None:
            model = type(new)
            if model not in creations:
                creations[model] = _CreationDiff(new)
            changes = creations[model].diff(new)
        else:
            changes = model_instance_diff(old, new)
        if changes:
            yield old, new, changes


def _insert(pairs, *, actor, additional_data, now, cid) -> int:
    """`bulk_log` on SQLite: the same entries, written by one executemany (`core.bulk`) without a `LogEntry`
    instance each. The fields every entry shares are converted to their database values once."""
    from .bulk import execute_insert, insert_fields

    fields = insert_fields(LogEntry)
    template = LogEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_email=getattr(actor, "email", None),
        timestamp=now,
        cid=cid,
        additional_data=additional_data,
    )
    changes_field = LogEntry._meta.get_field("changes")
    id_field = LogEntry._meta.get_field("object_id")
    at = {f.attname: i for i, f in enumerate(fields) if f.attname in _VARYING}
    content_types, shared, rows = {}, {}, []
    for old, new, changes in _changed(pairs):
        model = type(new)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
            template.content_type = content_types[model]
            shared[model] = [
                None if f.attname in _VARYING else f.get_db_prep_save(f.pre_save(template, True), connection)
                for f in fields
            ]
        row = list(shared[model])
        row[at["object_pk"]] = str(new.pk)
        row[at["object_id"]] = id_field.get_db_prep_save(new.pk, connection)
        row[at["object_repr"]] = str(new)
        row[at["action"]] = int(LogEntry.Action.CREATE if old is None else LogEntry.Action.UPDATE)
        row[at["changes"]] = changes_field.get_db_prep_save(changes, connection)
        rows.append(row)
    if rows:
        execute_insert(LogEntry, fields, rows)
    return len(rows)


def _copy(entries: list) -> None:
    """Write the entries with one COPY (PostgreSQL): `bulk_create` sends them as arrays (UNNEST) whose JSON
    `changes` psycopg escapes quote by quote, four times slower for an import's 500 entries (0.6 s against
    0.16 s). Nothing reads the new entries' ids, so COPY's lack of RETURNING costs nothing."""
    if not entries:
        return
    fields = [f for f in LogEntry._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(LogEntry._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for entry in entries:
                copy.write_row([f.get_db_prep_save(f.pre_save(entry, True), connection) for f in fields])


class _CreationDiff:
    """`model_instance_diff(None, new)` for many new records of one model, the same dict for each, faster: the
    fields tracked, how each is read and their "before" values are worked out once per model, not per field and
    record (an import of 100,000 rows); plain and foreign-key fields are read as auditlog reads them, inline."""

    PLAIN, FOREIGN_KEY, OTHER, SAME = range(4)
    # what smart_str(value) is for these types, without its checks (an import reads ~30 fields of every row)
    _STR = frozenset({int, bool, float, type(None)})

    def __init__(self, instance):
        from django.conf import settings
        from django.db.models import DateTimeField, JSONField, ManyToOneRel, OneToOneRel

        fields = set(get_fields_in_model(instance))
        model_fields = auditlog.get_model_fields(type(instance))
        if model_fields and (model_fields["include_fields"] or model_fields["exclude_fields"]) and fields:
            if model_fields["include_fields"]:
                fields = [f for f in fields if f.name in model_fields["include_fields"]]
            if model_fields["exclude_fields"]:
                fields = [f for f in fields if f.name not in model_fields["exclude_fields"]]
        masked = set(model_fields["mask_fields"]) if model_fields else set()
        self.mask = get_mask_function(model_fields.get("mask_callable")) if masked else None
        self.fields = []
        for f in fields:
            if isinstance(f, DateTimeField | JSONField) or f.name in masked or not f.concrete:
                how = self.OTHER
            elif (
                not settings.AUDITLOG_USE_FK_STRING_REPRESENTATION
                and (f.one_to_one or f.many_to_one)
                and hasattr(f, "rel_class")
            ):
                how = self.FOREIGN_KEY
            else:
                how = self.PLAIN
            # nothing is read from None: every field's value before is its default's string, "None"
            attname = getattr(f, "attname", f.name)
            same = None
            if isinstance(f, ManyToOneRel) and not isinstance(f, OneToOneRel) and f.name not in masked:
                # a reverse foreign key reads as its manager, the same text for every record ("app.Model.None")
                how, same = self.SAME, get_field_value(instance, f)
            self.fields.append((f, f.name, attname, how, get_field_value(None, f), f.name in masked, same))

    def diff(self, new) -> dict | None:
        diff = {}
        strings = self._STR
        for field, name, attname, how, old_value, masked, same in self.fields:
            if how == self.PLAIN:
                new_value = getattr(new, name)
                if type(new_value) is not str:
                    new_value = str(new_value) if type(new_value) in strings else smart_str(new_value)
            elif how == self.SAME:
                new_value = same
            elif how == self.FOREIGN_KEY:
                new_value = getattr(new, attname)
                if type(new_value) is not int and new_value is not None:  # smart_str leaves those as they are
                    new_value = smart_str(new_value, strings_only=True)
            else:
                new_value = get_field_value(new, field)
            if old_value != new_value:
                if masked:
                    diff[name] = (self.mask(smart_str(old_value)), self.mask(smart_str(new_value)))
                else:
                    diff[name] = (
                        old_value if type(old_value) is str else smart_str(old_value),
                        new_value if type(new_value) is str else smart_str(new_value),
                    )
        return diff or None
