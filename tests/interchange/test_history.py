"""The Cà Mau history files reproduce the published summary to the đồng; re-import and round trip change nothing."""

import pytest
from auditlog.models import LogEntry

from khuyencong.interchange import exporters
from khuyencong.interchange.history import DEFAULT_DIR, PUBLISHED
from khuyencong.interchange.services import import_file
from khuyencong.programme.models import Project
from khuyencong.registry.models import Establishment
from khuyencong.reports.selectors import Period, place_for, summary
from khuyencong.selection.models import Round
from tests.conftest import shared_data
from tests.factories import make_user

from .conftest import HISTORY, import_history

# The history is imported once for the module's tests (~3 s an import); what a test writes is undone after it.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("interchange-history")]


def _import_history():
    admin = make_user("admin", username="admin1")
    return admin, import_history(admin)


imported_history = shared_data("imported_history", _import_history)


@pytest.fixture
def admin(imported_history):
    return imported_history[0]


@pytest.fixture
def history(imported_history):
    return imported_history[1]


def spec_summary(province, a=2016, b=2023):
    data = summary(place_for(province), Period(a, b))
    data.pop("settled_projects")
    return data


def test_history_reproduces_the_published_summary(history):
    assert spec_summary("96") == PUBLISHED
    assert spec_summary("Tỉnh Cà Mau") == PUBLISHED
    assert history["results"].rounds_created > 0


def test_imported_settled_projects_are_paid_to_the_dong_by_an_imported_final_payment(history):
    """The history carries no payments: each settled project gets its final payment as an imported one
    (no date), so the treasury's view holds and the settled figures stay the published ones."""
    from django.db.models import Sum

    from khuyencong.programme.models import Disbursement

    settled = Project.objects.filter(status="settled")
    assert settled.count() > 0
    payments = Disbursement.objects.filter(project__in=settled)
    assert set(payments.values_list("kind", "source")) == {("final", "import")}
    assert payments.count() == settled.count()
    assert payments.aggregate(s=Sum("amount"))["s"] == settled.aggregate(s=Sum("support_settled"))["s"]
    assert all(p.support_paid == p.support_settled for p in settled)
    assert not Disbursement.objects.exclude(project__in=settled).exists()
    # the summary counts the settled amounts, to the đồng
    assert spec_summary("96")["support"] == PUBLISHED["support"]


def test_former_province_gives_its_own_subset(history):
    bac_lieu = spec_summary("95")
    assert bac_lieu["place"] == {"province": "95", "name": "Bạc Liêu"}
    assert bac_lieu["rounds"] == 1
    assert bac_lieu["certified"] == {"district": 0, "province": 5, "region": 1, "national": 1}
    assert 0 < bac_lieu["support"]["total"] < PUBLISHED["support"]["total"]
    assert spec_summary("Bạc Liêu") == bac_lieu


def test_records_outside_the_period_and_not_settled_are_left_out(history):
    everything = spec_summary(None, None, None)
    assert everything["certified"]["district"] == 4  # the 2015 district rounds
    assert (
        everything["support"]["total"] == PUBLISHED["support"]["total"] + 240_000_000
    )  # the 2015 settled project
    assert everything["running"]["projects"] == 2  # the 2024 approved project


def test_reimport_changes_nothing(history, admin):
    entries = LogEntry.objects.count()
    rounds = Round.objects.count()
    for kind in HISTORY:
        report = import_file(user=admin, kind=kind, path=str(DEFAULT_DIR / f"{kind}.csv"))
        assert report.ok and report.written
        assert (report.created, report.updated) == (0, 0), kind
        assert report.unchanged == report.rows
    assert LogEntry.objects.count() == entries
    assert Round.objects.count() == rounds
    from khuyencong.programme.models import Disbursement

    assert Disbursement.objects.count() == Project.objects.filter(status="settled").count()
    assert spec_summary("96") == PUBLISHED


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_export_import_unchanged(history, admin, tmp_path, fmt):
    for kind in HISTORY:
        path = tmp_path / f"{kind}.{fmt}"
        exporters.export(kind, exporters.queryset_for(kind, admin), str(path), fmt)
        report = import_file(user=admin, kind=kind, path=str(path))
        assert report.ok, [str(e) for e in report.errors]
        assert (report.created, report.updated) == (0, 0), (kind, report)
        assert report.unchanged == report.rows > 0


def test_import_is_audited_with_the_actor(history, admin):
    project = Project.objects.get(code="KC-2023-041")
    entry = LogEntry.objects.get_for_object(project).first()
    assert entry is not None and entry.actor == admin


def test_places_of_the_files(history):
    bl = Establishment.objects.get(code="CMH-040")
    assert bl.province_id == 96 and bl.legacy_province_id == 95
    district_row = Establishment.objects.get(code="CMH-010")  # "Huyện Trần Văn Thời" in the commune column
    assert district_row.legacy_district_id == 968 and district_row.commune_id is None
