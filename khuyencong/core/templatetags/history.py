from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTIONS = {0: _("Created"), 1: _("Changed"), 2: _("Deleted"), 3: _("Viewed")}
_EMPTY = {"", "None", "—", None}


def _readable(value: str | None) -> str | None:
    """Audit values as a person reads them: yes/no, lists joined, no Python reprs."""
    if value is None:
        return None
    if value in {"True", "False"}:
        return str(_("yes")) if value == "True" else str(_("no"))
    if value.startswith("[") and value.endswith("]"):
        import ast

        try:
            items = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
        return ", ".join(str(item) for item in items) if isinstance(items, list | tuple) else value
    return value


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
        rows.append(
            (
                label,
                None if old_s in _EMPTY else _readable(old_s),
                None if new_s in _EMPTY else _readable(new_s),
            )
        )
    return rows


@register.filter
def action_label(entry):
    return ACTIONS.get(entry.action, entry.get_action_display())
