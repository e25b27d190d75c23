"""Issue 16, language: the import's messages speak the reader's language, and still name row, column and why.

In English no Vietnamese label leaks into a message (the codes a reader writes, with their English labels);
in Vietnamese no English code does (the Vietnamese labels a reader writes)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from khuyencong.interchange.models import ImportJob
from khuyencong.interchange.services import import_file
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PROJECTS = "code,year,title,programme,activity,province,support_approved,status\n"


@pytest.fixture
def admin():
    return make_user("admin", username="root-lang")


def _import(tmp_path, admin, text, kind, language):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    with translation.override(language):
        report = import_file(user=admin, kind=kind, path=str(path))
        return report, [str(e) for e in report.errors], list(report.notices)


def test_an_unknown_activity_lists_the_codes_with_english_labels_in_english(tmp_path, admin):
    _report, errors, _n = _import(
        tmp_path, admin, PROJECTS + "P-1,2024,A,local,sewing,96,1000,approved\n", "projects", "en"
    )
    assert len(errors) == 1
    message = errors[0]
    assert message.startswith("row 2, column activity: “sewing” is not one of: ")
    assert "training (Vocational training and skills)" in message
    assert "Đào tạo nghề" not in message


def test_an_unknown_activity_lists_the_vietnamese_labels_in_vietnamese(tmp_path, admin):
    _report, errors, _n = _import(
        tmp_path, admin, PROJECTS + "P-1,2024,A,local,sewing,96,1000,approved\n", "projects", "vi"
    )
    assert len(errors) == 1
    message = errors[0]
    assert message.startswith("dòng 2, cột activity: “sewing” không thuộc các giá trị: ")
    assert "Đào tạo nghề, truyền nghề" in message
    assert "training (" not in message and "machinery" not in message


@pytest.mark.parametrize(
    ("language", "expected", "leak"),
    [
        ("en", "row 2, column kind: “shop” is not one of: enterprise (Enterprise); ", "Doanh nghiệp"),
        ("vi", "dòng 2, cột kind: “shop” không thuộc các giá trị: Doanh nghiệp; Hợp tác xã", "enterprise"),
    ],
)
def test_an_unknown_kind_of_establishment_in_each_language(tmp_path, admin, language, expected, leak):
    _report, errors, _n = _import(
        tmp_path, admin, "code,name,kind,province\nE-1,A,shop,96\n", "establishments", language
    )
    assert errors[0].startswith(expected) and leak not in errors[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "row 1, column kind: required column is missing"),
        ("vi", "dòng 1, cột Loại hình: thiếu cột bắt buộc"),
    ],
)
def test_a_missing_column_is_named_as_the_reader_writes_it(tmp_path, admin, language, expected):
    _report, errors, _n = _import(
        tmp_path, admin, "code,name,province\nE-1,A,96\n", "establishments", language
    )
    assert expected in errors
    if language == "vi":
        assert not any("kind (" in e for e in errors)
    else:
        assert not any("Loại hình" in e for e in errors)


@pytest.mark.parametrize(
    ("language", "expected", "leak"),
    [
        ("en", "Columns not used (unknown): “Ghi chú”.", "không dùng"),
        ("vi", "Các cột không dùng (không nhận ra): “Ghi chú”.", "not used"),
    ],
)
def test_the_unused_column_warning_in_each_language(tmp_path, admin, language, expected, leak):
    report, errors, notices = _import(
        tmp_path, admin, "code,name,kind,province,Ghi chú\nE-1,A,household,96,x\n", "establishments", language
    )
    assert not errors and notices == [expected]


def test_a_file_checked_in_vietnamese_warns_in_english_when_read_in_english(client):
    """The check runs in the language of the page that started it; the unused-column warning is written when
    the report is read, so a reader switching to English reads it in English (and the other way round)."""
    officer = make_user("province_officer", username="sct96", province_id=96)
    client.force_login(officer)
    text = "code;name;kind;province;Ghi chú\nV-1;A;household;96;x\n"
    client.post(
        "/data/",
        {"kind": "establishments", "file": SimpleUploadedFile("a.csv", text.encode(), "text/csv")},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    job = ImportJob.objects.get()
    page = client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert "Các cột không dùng (không nhận ra): “Ghi chú”." in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(f"/data/imports/{job.pk}/progress/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Columns not used (unknown): “Ghi chú”." in page and "không dùng" not in page
