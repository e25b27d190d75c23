"""The import pages: upload, check, preview, confirm, error sheet; exports from URLs; who may do what."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from khuyencong.interchange.models import ImportJob
from khuyencong.registry.models import Establishment
from tests.factories import EstablishmentFactory, make_user

HEADER = "code;name;kind;province;commune\n"


def upload(client, text, kind="establishments", name="co-so.csv"):
    return client.post(
        "/data/", {"kind": kind, "file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")}
    )


@pytest.fixture
def officer(db):
    return make_user("province_officer", username="sct96", province_id=96)


def test_bad_file_is_refused_with_every_row_and_an_error_sheet(client, officer):
    client.force_login(officer)
    response = upload(
        client, HEADER + "V-1;A;household;96;Sông Đốc\nV-2;B;nonsense;96;\nV-3;C;household;Nowhere;\n"
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/imports/{job.pk}/"
    page = client.get(f"/data/imports/{job.pk}/").content.decode()
    assert "hx-post" in page and 'data-testid="progress"' in page
    response = client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"})
    text = response.content.decode()
    assert "Tệp bị từ chối: không có gì được lưu." in text
    assert "<td>3</td>" in text and "<td>4</td>" in text
    job.refresh_from_db()
    assert job.status == "refused" and not Establishment.objects.filter(code__startswith="V-").exists()
    sheet = client.get(f"/data/imports/{job.pk}/errors.xlsx")
    ws = load_workbook(BytesIO(sheet.getvalue())).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi" and rows[1][0] == "V-1" and rows[1][5] is None
    assert "kind" in rows[2][5] and "province" in rows[3][5]


def test_good_file_previews_then_imports(client, officer):
    client.force_login(officer)
    upload(client, HEADER + "V-1;A;household;96;Sông Đốc\n")
    job = ImportJob.objects.get()
    text = client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"}).content.decode()
    assert 'data-testid="preview"' in text and not Establishment.objects.filter(code="V-1").exists()
    assert 'data-testid="samples"' in text and "V-1" in text
    text = client.post(f"/data/imports/{job.pk}/run/", {"phase": "import"}).content.decode()
    assert 'data-testid="imported"' in text
    assert Establishment.objects.get(code="V-1").commune_id == 32098
    assert client.get(f"/data/imports/{job.pk}/progress/").status_code == 200


def test_import_needs_a_check_first(client, officer):
    client.force_login(officer)
    upload(client, HEADER + "V-1;A;household;96;\n")
    job = ImportJob.objects.get()
    assert client.post(f"/data/imports/{job.pk}/run/", {"phase": "import"}).status_code == 403


def test_who_may_import(client, officer):
    commune = make_user("commune_officer", username="xa")
    client.force_login(commune)
    assert "upload-form" not in client.get("/data/").content.decode()
    assert upload(client, HEADER + "V-1;A;household;96;\n").status_code == 403
    client.force_login(officer)
    upload(client, HEADER + "V-1;A;household;96;\n")
    job = ImportJob.objects.get()
    client.force_login(make_user("province_officer", username="ct", province_id=92))
    assert client.get(f"/data/imports/{job.pk}/").status_code == 404


def test_wrong_file_type_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(
        "/data/", {"kind": "establishments", "file": SimpleUploadedFile("x.xlsx", b"not a zip")}
    )
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_export_urls_follow_filters_and_scope(client, officer):
    EstablishmentFactory(code="CM-A", province_id=96, commune_id=32098)
    EstablishmentFactory(code="BL-A", province_id=96, legacy_province_id=95, commune_id=None)
    EstablishmentFactory(code="CT-A", province_id=92, commune_id=None)
    client.force_login(officer)
    response = client.get("/data/export/establishments.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "CM-A" in body and "BL-A" in body and "CT-A" not in body
    response = client.get("/data/export/establishments.xlsx", {"province": "95"})
    codes = [
        r[0]
        for r in load_workbook(BytesIO(response.getvalue())).active.iter_rows(min_row=2, values_only=True)
    ]
    assert codes == ["BL-A"]
    assert client.get("/data/export/nothing.xlsx").status_code == 404
