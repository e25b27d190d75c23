import pytest

from khuyencong.interchange.history import DEFAULT_DIR
from khuyencong.interchange.services import import_file
from tests.factories import make_user

HISTORY = ["establishments", "products", "projects", "results"]


def import_history(user=None, directory=DEFAULT_DIR, overrides=None):
    reports = {}
    for kind in HISTORY:
        path = (overrides or {}).get(kind) or directory / f"{kind}.csv"
        reports[kind] = import_file(user=user, kind=kind, path=str(path))
        assert reports[kind].ok, [str(e) for e in reports[kind].errors]
    return reports


@pytest.fixture
def admin(db):
    return make_user("admin", username="admin1")


@pytest.fixture
def history(admin):
    return import_history(admin)


@pytest.fixture(autouse=True)
def _commit_hooks_at_once(request, monkeypatch):
    """A test runs in a transaction that never commits; run what the commit would start (the import task,
    which the suite's backend runs in the request) at once. `@pytest.mark.deferred_commit` keeps Django's."""
    if "deferred_commit" in request.keywords or "transactional_db" in request.fixturenames:
        return
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
