from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTIONS = {0: _("Created"), 1: _("Changed"), 2: _("Deleted"), 3: _("Viewed")}
_EMPTY = {"", "None", "—", None}


@register.filter
def history_rows(entry):
    """The field changes of an audit entry a person wants to read: no empty-to-empty, no internals."""
    rows = []
    for label, change in (entry.changes_display_dict or {}).items():
        old, new = (list(change) + [None, None])[:2]
        old_s, new_s = str(old) if old is not None else None, str(new) if new is not None else None
        if old_s in _EMPTY and new_s in _EMPTY:
            continue
        if (new_s or "").endswith(".None") or (old_s or "").endswith(".None") or label in {"ID", "id"}:
            continue
        rows.append((label, None if old_s in _EMPTY else old_s, None if new_s in _EMPTY else new_s))
    return rows


@register.filter
def action_label(entry):
    return ACTIONS.get(entry.action, entry.get_action_display())
