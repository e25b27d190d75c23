"""The registration report a province sends each year (and the organiser's consolidation) as PDF in the state's
layout: the figures read back from the PDF's text equal the records to the đồng."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from khuyencong.core.money import group_digits
from khuyencong.documents.models import Signatory, SignatoryKind
from khuyencong.national import report, services
from tests.factories import make_user
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[ \t\u00a0]+", " ", text)


@pytest.fixture
def people():
    return {
        "province": make_user("province_officer", username="sct.cm", province_id=96),
        "other": make_user("province_officer", username="sct.ct", province_id=92),
        "organiser": make_user("national_organiser", username="cuc"),
    }


@pytest.fixture
def registration(people):
    ProjectFactory(
        code="QG-1",
        title="Mô hình trình diễn kỹ thuật sấy khô mực bằng năng lượng mặt trời",
        programme="national",
        activity="demo_model",
        total_cost=2_345_678_901,
        counterpart=1_641_975_231,
        support_requested=703_703_670,
    )
    ProjectFactory(
        code="QG-2",
        programme="national",
        activity="machinery",
        total_cost=612_345_679,
        counterpart=312_345_678,
        support_requested=300_000_001,
    )
    ProjectFactory(
        code="QG-3",
        programme="national",
        activity="machinery",
        total_cost=400_000_000,
        counterpart=220_000_000,
        support_requested=180_000_000,
    )
    reg = services.prepare_registration(user=people["province"], province_id=96, year=2026)
    return services.submit_registration(user=people["province"], registration=reg)


def test_the_registration_report_carries_every_figure_to_the_dong(people, registration):
    Signatory.objects.create(
        kind=SignatoryKind.REPORT,
        province_id=96,
        superior_body="UBND TỈNH CÀ MAU",
        issuing_body="SỞ CÔNG THƯƠNG",
        symbol="BC-SCT",
        place_name="Cà Mau",
        authority="KT. GIÁM ĐỐC",
        title="PHÓ GIÁM ĐỐC",
        name="Nguyễn Văn Bình",
        recipients="Như trên\nUBND tỉnh (để báo cáo)\nLưu: VT, KCTV",
    )
    data = report.render_registration_pdf(registration, on=datetime.date(2026, 2, 5))
    text = pdf_text(data)
    assert "BÁO CÁO" in text and "Đăng ký kế hoạch khuyến công quốc gia năm 2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Cà Mau, ngày 05 tháng 02 năm 2026" in text
    assert "/BC-SCT" in text
    # the signer and "Nơi nhận" come from the signatories setup
    assert "PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn Bình" in text and "KT. GIÁM ĐỐC" in text
    assert "Nơi nhận:" in text and "- Lưu: VT, KCTV." in text
    lines = list(registration.lines.all())
    for line in lines:
        assert line.code in text
        for amount in (line.total_cost, line.requested, line.counterpart):
            assert group_digits(amount) in text, (line.code, amount)
    # the machinery subtotal and the totals, Vietnamese-style, equal the sums of the records
    assert group_digits(300_000_001 + 180_000_000) == "480.000.001" and "480.000.001" in text
    requested = sum(line.requested for line in lines)
    assert requested == 1_183_703_671
    assert text.count("1.183.703.671") >= 3  # the sentence, the summary table, the list
    assert group_digits(sum(line.total_cost for line in lines)) in text
    assert group_digits(sum(line.counterpart for line in lines)) in text
    assert "gồm 3 đề án" in text


def test_the_report_is_downloaded_from_the_registration_page(client, people, registration):
    client.force_login(people["province"])
    page = client.get(reverse("national:registration_detail", args=[registration.pk])).content.decode()
    url = reverse("national:registration_pdf", args=[registration.pk])
    assert url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "bao-cao-dang-ky-kcqg-96-2026" in response["Content-Disposition"]
    assert "1.183.703.671" in pdf_text(response.content)
    client.force_login(people["other"])  # another province's officer
    assert client.get(url).status_code == 404


def test_the_consolidated_allocation_as_pdf_equals_the_records(client, people, registration):
    reg = services.appraise_registration(
        user=people["organiser"],
        registration=registration,
        amounts={"QG-1": 703_703_670, "QG-2": 250_000_001, "QG-3": 0},
    )
    services.allocate_registration(
        user=people["organiser"],
        registration=reg,
        amounts={"demo_model": 650_000_333, "machinery": 250_000_001},
        decision_no="15/QĐ-BCT",
        decision_date=datetime.date(2026, 1, 20),
    )
    client.force_login(people["organiser"])
    response = client.get(reverse("national:consolidation"), {"year": 2026, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Cà Mau" in text and "15/QĐ-BCT" in text
    assert "900.000.334" in text  # allocated: 650.000.333 + 250.000.001
    assert "953.703.671" in text  # appraised
    assert "1.183.703.671" in text  # requested


def test_the_report_is_signed_with_the_organisations_certificate_as_a_task_on_commit(
    client, people, registration, settings, django_capture_on_commit_callbacks
):
    from khuyencong.documents import signing

    settings.PDF_SIGNING_DEMO = True
    client.force_login(people["province"])
    url = reverse("national:registration_detail", args=[registration.pk])
    assert "Chưa ký" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("national:sign_report", args=[registration.pk]))
    report_row = registration.reports.get()
    assert report_row.failure == ""
    page = client.get(url).content.decode()
    assert "Đã ký số" in page, page[page.find('id="report"') :][:600]
    assert report_row.status == "signed" and report_row.revision == registration.revision
    signed = client.get(reverse("national:registration_pdf", args=[registration.pk])).content
    assert signed == report_row.signed.open("rb").read()
    assert signed.startswith(report_row.original.open("rb").read())  # the issued bytes, a signature added
    assert signing.check_pdf(signed).ok
    assert "1.183.703.671" in pdf_text(signed)
    # the organiser does not sign the province's report
    client.force_login(people["organiser"])
    client.post(reverse("national:sign_report", args=[registration.pk]))
    assert registration.reports.count() == 1
