"""An organisation sets who signs its documents; the next documents carry it."""

import pytest
from django.core.exceptions import PermissionDenied

from khuyencong.documents import layout, services
from khuyencong.documents.models import Signatory, SignatoryKind
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_page_starts_from_the_defaults_and_saves_the_report_signer(client):
    officer = make_user("province_officer", username="sct", province_id=96)
    client.force_login(officer)
    page = client.get("/documents/signatories/").content.decode()
    assert "GIÁM ĐỐC" in page and "SỞ CÔNG THƯƠNG" in page  # the defaults, to start from
    data = {
        "kind": "report",
        "report-superior_body": "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU",
        "report-issuing_body": "SỞ CÔNG THƯƠNG",
        "report-symbol": "BC-SCT",
        "report-place_name": "Cà Mau",
        "report-title": "GIÁM ĐỐC",
        "report-name": "Nguyễn Văn Đức",
        "report-recipients": "UBND tỉnh\nLưu: VT",
    }
    assert client.post("/documents/signatories/", data).status_code == 302
    saved = Signatory.objects.get(kind="report", province_id=96)
    assert saved.name == "Nguyễn Văn Đức"
    issuer = layout.issuer_for(SignatoryKind.REPORT, province=saved.province)
    assert issuer.name == "Nguyễn Văn Đức" and issuer.recipients == ["UBND tỉnh", "Lưu: VT"]
    data["report-title"] = ""
    page = client.post("/documents/signatories/", data).content.decode()
    assert "Trường này là bắt buộc" in page or "bắt buộc" in page


def test_another_province_and_a_representative_cannot_set_the_signer():
    other = make_user("province_officer", username="ct", province_id=92)
    with pytest.raises(PermissionDenied):
        services.save_signatory(
            user=other,
            kind="decision",
            province=96,
            data={"issuing_body": "X", "place_name": "Y", "title": "Z"},
        )
    from khuyencong.accounts.permissions import can_configure_signatory

    assert not can_configure_signatory(make_user("viewer", username="v"), None)
    assert can_configure_signatory(make_user("national_organiser", username="n"), None)
