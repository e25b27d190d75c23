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
