"""`can` in every template: the user's permissions by name, e.g. `{% if can.answers_surveys %}`.

Questions about an object take the `{% allowed "manage_round" round as manage %}` tag
(`accounts/templatetags/permissions.py`). Both ask `accounts.permissions`, nothing else.
"""

from . import permissions


class UnknownPermission(Exception):
    """A template asked for a permission that does not exist: an error, never a silent "no"."""


class Can:
    """`can.<predicate>` answers `permissions.<predicate>(user)` for the predicates that take only the user."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        predicate = permissions.USER_PREDICATES.get(name)
        if predicate is None:
            raise UnknownPermission(f"no permission named {name!r} in accounts.permissions.USER_PREDICATES")
        return predicate(self._user)


def can(request):
    return {"can": Can(getattr(request, "user", None))}
