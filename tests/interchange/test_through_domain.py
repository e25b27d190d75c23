"""An imported record goes through the same rules and steps as one entered by hand, and reads the same."""

import datetime

import pytest
from auditlog.models import LogEntry

from khuyencong.interchange.services import import_file
from khuyencong.programme import services
from khuyencong.programme.models import Project
from khuyencong.reports.selectors import Period, place_for, summary
from tests.factories import EstablishmentFactory, make_user
from tests.programme.conftest import step

pytestmark = pytest.mark.django_db

HEADER = (
    "Mã đề án,Năm,Tên đề án,Nguồn kinh phí,Nội dung hoạt động,Mã cơ sở,Tỉnh/Thành phố,Xã/Phường,"
    "Kinh phí hỗ trợ được duyệt,Kinh phí hỗ trợ quyết toán,Vốn đối ứng,Lao động thu hút,Trạng thái\n"
)


def projects_file(tmp_path, *rows):
    path = tmp_path / "projects.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return str(path)


def walk_to_settlement(officer, establishment, *, code, year):
    """The same project entered by hand: proposed, then every step of the table to settlement."""
    project = services.propose_project(
        user=officer,
        data={
            "code": code,
            "year": year,
            "title": "Máy sấy cá khô",
            "programme": "local",
            "activity": "training",
            "establishment_id": establishment.pk,
            "province_id": 96,
            "commune_id": 32098,
            "counterpart": 350_000_000,
        },
    )
    for action in ["appraise", "approve", "contract", "start"]:
        project = step(action, user=officer, project=project)
    project = step("accept", user=officer, project=project, outcomes={"jobs": 12})
    return step("settle", user=officer, project=project, amount=140_000_000)


def figures(year):
    data = summary(place_for("96"), Period(year, year))
    return {key: data[key] for key in ("support", "counterpart", "jobs", "running", "settled_projects")}


def test_an_imported_settled_project_walks_the_table_like_one_entered_by_hand(tmp_path):
    officer = make_user("province_officer", email="canbo@camau.gov.vn")
    establishment = EstablishmentFactory(code="CS-1")
    by_hand = walk_to_settlement(officer, establishment, code="DA-TAY", year=2024)
    report = import_file(
        user=officer,
        kind="projects",
        path=projects_file(
            tmp_path,
            'DA-NHAP,2023,Máy sấy cá khô,Khuyến công địa phương,"Đào tạo nghề, truyền nghề",CS-1,'
            "Cà Mau,Sông Đốc,150.000.000,140.000.000,350.000.000,12,Quyết toán",
        ),
    )
    assert report.ok and report.written, [str(e) for e in report.errors]
    imported = Project.objects.get(code="DA-NHAP")

    def steps(project):
        return list(project.transitions.values_list("from_status", "to_status", "user"))

    assert steps(imported) == steps(by_hand)  # the same steps of the table, by the same officer
    assert set(imported.transitions.values_list("source", flat=True)) == {"import"}
    assert set(by_hand.transitions.values_list("source", flat=True)) == {"app"}
    assert imported.transitions.first().note == "Nhập từ tệp projects.csv"
    assert figures(2023) == figures(2024)
    assert imported.search_text == "da-nhap may say ca kho"
    assert Project.objects.filter(search_text__contains="may say").count() == 2
    # the history reads like a form's: one creation by the officer, with the values set
    entry = LogEntry.objects.get_for_object(imported).get()
    assert (entry.action, entry.actor, entry.actor_email) == (
        LogEntry.Action.CREATE,
        officer,
        "canbo@camau.gov.vn",
    )
    assert entry.changes["support_settled"] == ["None", "140000000"]
    assert entry.additional_data == {"import": {"kind": "projects", "file": "projects.csv"}}
    step_entries = LogEntry.objects.filter(content_type__model="projecttransition", actor=officer)
    assert step_entries.count() == 2 * 7  # every recorded step audited, imported or not


def test_an_import_moves_a_project_on_through_the_table_and_never_back(tmp_path):
    officer = make_user("province_officer")
    row = (
        "DA-1,2023,Đào tạo nghề đan lát,Khuyến công địa phương,Hội chợ triển lãm,,Cà Mau,Sông Đốc,"
        "100.000.000,{settled},0,0,{status}"
    )
    assert import_file(
        user=officer,
        kind="projects",
        path=projects_file(tmp_path, row.format(settled="", status="Đã phê duyệt")),
    ).written
    project = Project.objects.get(code="DA-1")
    assert list(project.transitions.values_list("to_status", flat=True)) == [
        "proposed",
        "appraised",
        "approved",
    ]
    assert import_file(
        user=officer,
        kind="projects",
        path=projects_file(tmp_path, row.format(settled="90.000.000", status="Quyết toán")),
    ).written
    assert list(project.transitions.values_list("to_status", flat=True))[3:] == [
        "contracted",
        "in_progress",
        "accepted",
        "settled",
    ]
    report = import_file(
        user=officer,
        kind="projects",
        path=projects_file(tmp_path, row.format(settled="", status="Đang thực hiện")),
    )
    assert not report.written
    assert [str(e) for e in report.errors] == [
        "dòng 2, cột Trạng thái: Đề án đang ở trạng thái “Quyết toán” không thể chuyển thành “Đang thực hiện”; "
        "các bước được phép từ đây: không có."
    ]
    project.refresh_from_db()
    assert project.status == "settled" and project.transitions.count() == 7


def test_an_import_is_refused_by_the_programme_rules_a_form_applies(tmp_path):
    officer = make_user("province_officer")
    elsewhere = EstablishmentFactory(code="CS-CT", province_id=92, commune_id=None)
    report = import_file(
        user=officer,
        kind="projects",
        path=projects_file(
            tmp_path,
            "DA-2,2023,Hội chợ,Khuyến công địa phương,Hội chợ triển lãm,CS-CT,Cà Mau,,100.000.000,,0,0,Đã phê duyệt",
            "DA-3,2023,Máy,Khuyến công địa phương,Hội chợ triển lãm,,Cà Mau,,100.000.000,120.000.000,0,0,Quyết toán",
        ),
    )
    messages = [str(e) for e in report.errors]
    assert messages == [
        f"dòng 2, cột Mã cơ sở: {elsewhere.name} không thuộc Cà Mau.",
        "dòng 3, cột Kinh phí hỗ trợ quyết toán: Kinh phí quyết toán 120.000.000 đ vượt kinh phí được duyệt "
        "100.000.000 đ: cần ghi rõ lý do để quyết toán.",
    ]
    assert not Project.objects.exists()


def test_the_catalogue_read_model_follows_an_import_as_it_follows_a_form(history):
    from khuyencong.catalogue.models import CatalogueEntry
    from khuyencong.catalogue.services import rebuild_catalogue

    def entries():
        return sorted(
            CatalogueEntry.objects.values_list(
                "product_id", "level", "year", "levels", "years", "search_text"
            )
        )

    after_import = entries()
    assert len(after_import) > 50
    rebuild_catalogue()
    assert entries() == after_import


def test_an_imported_history_round_is_recorded_as_a_step_of_the_round_table(history):
    from khuyencong.selection.models import Round, RoundTransition

    rounds = Round.objects.filter(is_historical=True)
    assert rounds.count() >= 5
    for round_ in rounds:
        steps = list(
            RoundTransition.objects.filter(round=round_).values_list("action", "from_status", "to_status")
        )
        assert steps == [("import", "", "decided")], round_.code
    step = RoundTransition.objects.filter(round__in=rounds).first()
    assert step.user is not None and step.note.startswith("Nhập từ tệp")


def test_an_imported_settlement_closes_with_an_imported_final_payment_for_what_was_not_paid(tmp_path):
    """A project advanced in the application and settled by a file: the final payment recorded at import is
    the settled amount less the advances; re-importing changes nothing; settling below the advances is refused."""
    from khuyencong.programme.advance_defaults import ensure_advance_rules
    from khuyencong.programme.models import AdvanceRule, Disbursement

    ensure_advance_rules(AdvanceRule)  # migration data; a browser test's flush may have removed it
    officer = make_user("province_officer")
    EstablishmentFactory(code="CS-1")
    row = (
        "DA-TU,2026,Đào tạo nghề,Khuyến công địa phương,training,CS-1,Cà Mau,Sông Đốc,"
        "150.000.000,{settled},0,0,{status}"
    )
    assert import_file(
        user=officer,
        kind="projects",
        path=projects_file(tmp_path, row.format(settled="", status="in_progress")),
    ).ok
    project = Project.objects.get(code="DA-TU")
    project.decision_date = datetime.date(2026, 3, 1)
    project.save()
    services.record_disbursement(
        user=officer, project=project, amount=100_000_000, paid_on=datetime.date(2026, 6, 1)
    )
    refused = import_file(
        user=officer,
        kind="projects",
        path=projects_file(tmp_path, row.format(settled="90.000.000", status="Quyết toán")),
    )
    assert not refused.ok and "100.000.000" in " ".join(str(e) for e in refused.errors)
    path = projects_file(tmp_path, row.format(settled="140.000.000", status="Quyết toán"))
    assert import_file(user=officer, kind="projects", path=path).ok
    project.refresh_from_db()
    payments = list(project.disbursements.values_list("kind", "source", "amount"))
    assert payments == [("advance", "app", 100_000_000), ("final", "import", 40_000_000)]
    assert project.support_paid == project.support_settled == 140_000_000
    again = import_file(user=officer, kind="projects", path=path)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert Disbursement.objects.filter(project=project).count() == 2
