"""Audit entries for writes that bypass model signals (`bulk_create`, `bulk_update`).

django-auditlog writes one `LogEntry` per `save()` from a signal. A bulk write sends no signal, so
the writer records the same entries itself, in one INSERT per batch: the history of an imported
record then reads exactly like the history of one entered through a form (same actor, same
`changes`, shown by `LogEntry.objects.get_for_object`). `additional_data` says where it came from.
"""

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone


def bulk_log(pairs, *, actor, additional_data: dict | None = None, batch_size: int = 1000) -> int:
    """Record a CREATE (old is None) or UPDATE entry for each (old, new) pair whose fields differ.

    `old` is a copy of the instance as it was before the change (for updates), `new` the saved
    instance (with its primary key). Returns how many entries were written.
    """
    now = timezone.now()
    cid = get_cid()
    entries = []
    content_types = {}
    for old, new in pairs:
        changes = model_instance_diff(old, new)
        if not changes:
            continue
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
    LogEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)
