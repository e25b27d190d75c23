"""Every CSV and XLSX the project hands out goes through the one writer: a name, title or answer that a
spreadsheet would run as a formula (= + - @ tab CR) reaches the file as text."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.outreach import services as outreach
from tests.catalogue.factories import certified_product
from tests.exports import HOSTILE, assert_csv_safe, assert_xlsx_safe, body
from tests.factories import EstablishmentFactory, make_user
from tests.outreach.factories import answers_for, make_rep, make_survey

pytestmark = pytest.mark.django_db


def test_the_public_catalogue_export_writes_no_live_formula(client):
    for i, name in enumerate(HOSTILE):
        certified_product(name=name, code=f"SP-{i}")
    response = client.get("/catalogue/export.csv")
    assert response.status_code == 200
    assert_csv_safe(body(response))


def test_survey_exports_write_no_live_formula(client):
    officer = make_user("province_officer", username="sct96", province_id=96)
    reps = [
        make_rep(EstablishmentFactory(name=value, code=f"CS-{i}"), username=f"rep{i}")
        for i, value in enumerate(HOSTILE)
    ]
    survey = make_survey(officer)
    for rep, value in zip(reps, HOSTILE, strict=True):
        outreach.submit_response(
            user=rep, survey=survey, answers=answers_for(survey, text=value.strip() or "x")
        )
    client.force_login(officer)
    assert_csv_safe(body(client.get(reverse("outreach:survey_export", args=[survey.pk, "csv"]))))
    assert_xlsx_safe(body(client.get(reverse("outreach:survey_export", args=[survey.pk, "xlsx"]))))


def test_interchange_exports_write_no_live_formula(client):
    officer = make_user("province_officer", username="sct96", province_id=96)
    for i, name in enumerate(HOSTILE):
        EstablishmentFactory(name=name, code=f"CS-{i}", province_id=96)
    client.force_login(officer)
    assert_csv_safe(body(client.get("/data/export/establishments.csv")))
    assert_xlsx_safe(body(client.get("/data/export/establishments.xlsx")))


def test_the_establishment_journey_xlsx_writes_no_live_formula(client):
    officer = make_user("province_officer", username="sct96", province_id=96)
    est = EstablishmentFactory(name=HOSTILE[0], province_id=96)
    client.force_login(officer)
    response = client.get(f"/reports/establishments/{est.pk}/", {"format": "xlsx"})
    assert response.status_code == 200
    assert_xlsx_safe(body(response), hostile=[f"{HOSTILE[0]} ({est.code})"])


def test_the_summary_report_xlsx_holds_no_formula(client):
    officer = make_user("province_officer", username="sct96", province_id=96)
    client.force_login(officer)
    response = client.get("/reports/summary.xlsx", {"province": "96"})
    assert response.status_code == 200
    assert_xlsx_safe(body(response), hostile=[])


def test_the_error_sheet_of_a_refused_import_writes_no_live_formula(client):
    officer = make_user("province_officer", username="sct96", province_id=96)
    client.force_login(officer)
    text = io.StringIO(newline="")
    csv.writer(text).writerows(
        [["code", "name", "kind", "province"]]
        + [[f"X-{i}", v, "nonsense", "96"] for i, v in enumerate(HOSTILE)]
    )
    upload = SimpleUploadedFile("co-so.csv", text.getvalue().encode(), "text/csv")
    client.post("/data/", {"kind": "establishments", "file": upload})
    from khuyencong.interchange.models import ImportJob

    job = ImportJob.objects.get()
    client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"})
    response = client.get(f"/data/imports/{job.pk}/errors.xlsx")
    assert response.status_code == 200
    assert_xlsx_safe(body(response))
