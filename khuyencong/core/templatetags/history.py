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


# Fields whose stored codes are shown by label in a history: (app_label, model, field) -> choices. Fields with
# `choices` on the model need nothing; a list of codes in a JSONField (a round's product groups) registers here.
DISPLAY_CHOICES: dict[tuple[str, str, str], object] = {}


def register_display_choices(model_label: str, field: str, choices) -> None:
    """`register_display_choices("selection.Round", "product_groups", ProductGroup.choices)` in `ready()`."""
    app_label, model = model_label.split(".")
    DISPLAY_CHOICES[(app_label, model.lower(), field)] = choices


def _labels(value: str | None, choices) -> str | None:
    if value is None:
        return None
    mapping = {str(k): str(v) for k, v in choices}
    import ast

    try:
        items = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        items = value
    if isinstance(items, list | tuple):
        return ", ".join(mapping.get(str(i), str(i)) for i in items)
    return mapping.get(str(items), str(items))


def _money(value: str | None) -> str | None:
    from .vn import vnd

    if value is None or not value.lstrip("-").isdigit():
        return value
    return str(vnd(int(value)))


def _formatters(entry) -> dict:
    """verbose name -> how to show the values of the fields that need more than auditlog's display."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return {}
    formatters = {}
    for field_name in entry.changes_dict or {}:
        try:
            field = model._meta.get_field(field_name)
        except Exception:
            continue
        label = str(getattr(field, "verbose_name", field_name))
        key = (model._meta.app_label, model._meta.model_name, field_name)
        if key in DISPLAY_CHOICES:
            choices = DISPLAY_CHOICES[key]
            formatters[label] = lambda v, c=choices: _labels(v, c)
        elif getattr(field, "get_internal_type", lambda: "")() == "BigIntegerField" and not field.choices:
            formatters[label] = _money  # money is integer VND (DEVELOPING.md)
    return formatters


@register.filter
def history_rows(entry):
    """The field changes of an audit entry a person wants to read: no empty-to-empty, no internals; codes as
    their labels and money as đồng, in the reader's language."""
    rows = []
    formatters = _formatters(entry)
    for label, change in (entry.changes_display_dict or {}).items():
        old, new = (list(change) + [None, None])[:2]
        if label in formatters:
            old = formatters[label](str(old)) if old is not None else None
            new = formatters[label](str(new)) if new is not None else None
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
