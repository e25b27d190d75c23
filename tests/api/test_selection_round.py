"""A whole selection round through the API only, as an outside integrator runs it with the tokens of each role:
the officer creates and opens the round, representatives register, upload their documents and submit, the
officer screens (one dossier returned with its reason, completed and re-submitted), seats the council and
assigns, a judge declares a conflict, the judges score (draft, then submit), the officer closes scoring, reads
the results (means, ranks, pass), selects, approves, records the decision, downloads the certificate PDF and
nominates the winner to the region round. No service or model is called to move the round along."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from khuyencong.geo.models import Region
from khuyencong.selection import demo
from khuyencong.selection.models import Dossier, DossierTransition, RoundTransition, RubricVersion
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db


def pdf_file(name="don-dang-ky.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% registration form\n", content_type="application/pdf")


def png_file(name="anh-san-pham.png"):
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 120, 40)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


class Client:
    """One role's API client: JSON in and out, the token in the header, the status checked."""

    def __init__(self, client, bearer, user):
        self.client, self.headers, self.user = client, bearer(user), user

    def _check(self, response, expected):
        assert response.status_code == expected, (response.status_code, response.content[:800])
        if response["Content-Type"].startswith("application/json") and response.content:
            return response.json()
        return response

    def get(self, url, expected=200, **params):
        return self._check(self.client.get(url, params, **self.headers), expected)

    def post(self, url, data=None, expected=200):
        return self._check(
            self.client.post(url, data or {}, content_type="application/json", **self.headers), expected
        )

    def put(self, url, data, expected=200):
        return self._check(
            self.client.put(url, data, content_type="application/json", **self.headers), expected
        )

    def upload(self, url, data, expected=201):
        return self._check(self.client.post(url, data, **self.headers), expected)


def test_a_full_round_from_creation_to_certificate_and_nomination(client, bearer):
    today = timezone.localdate()
    rubric = demo.rubric()
    officer = Client(client, bearer, make_user("province_officer", username="sct.api"))
    admin = Client(client, bearer, make_user("admin", username="admin.api"))
    chair = Client(client, bearer, make_user("judge", username="chair.api", first_name="Chủ tịch"))
    member = Client(client, bearer, make_user("judge", username="member.api", first_name="Ủy viên"))
    make_user("province_officer", username="secretary.api")  # seated as the secretary below
    ests = [EstablishmentFactory(province_id=96, commune_id=32098) for _ in range(2)]
    products = [ProductFactory(establishment=e, group="agro_processing") for e in ests]
    reps = [Client(client, bearer, make_user("establishment", establishment=e)) for e in ests]

    # 1. rubrics: the integrator picks the newest version
    page = officer.get("/api/v1/rubrics/")
    assert page["total"] >= 1 and rubric.pk in [r["id"] for r in page["items"]]
    rubric = RubricVersion.objects.get(pk=page["items"][0]["id"])  # the newest version (the official sheet)
    assert Decimal(officer.get(f"/api/v1/rubrics/{rubric.pk}")["max_total"]) == rubric.max_total() == 100

    # 2. the officer creates the round and opens registration
    round_ = officer.post(
        "/api/v1/rounds/",
        {
            "code": "CM-API-2026",
            "year": today.year,
            "level": "province",
            "title": "Bình chọn SPCNNTTB tỉnh Cà Mau (qua API)",
            "province": 96,
            "rubric": rubric.pk,
            "registration_opens": (today - datetime.timedelta(days=1)).isoformat(),
            "registration_closes": (today + datetime.timedelta(days=20)).isoformat(),
            "pass_mark": "70",
            "quota": 5,
            # no appeal period and no minimum of sheets (the rule set's defaults otherwise): appeals are
            # tested with their own endpoints; here the decision follows the approval at once
            "appeal_days": None,
            "min_sheets": None,
        },
        expected=201,
    )
    rid = round_["id"]
    assert round_["status"] == "draft" and round_["rubric"] == rubric.pk
    assert "open_registration" in [a["action"] for a in officer.get(f"/api/v1/rounds/{rid}/actions")]
    assert officer.post(f"/api/v1/rounds/{rid}/open-registration")["status"] == "registration"

    # 3. representatives register, upload the required documents, submit
    dossier_ids = []
    for rep, product in zip(reps, products, strict=True):
        d = rep.post(
            "/api/v1/dossiers/",
            {"round": rid, "product": product.pk, "summary": "Sản phẩm làm từ tôm tươi Năm Căn"},
            expected=201,
        )
        # without documents, submit is refused and says which document is missing
        refused = rep.post(f"/api/v1/dossiers/{d['id']}/submit", expected=400)
        assert "Thiếu tài liệu bắt buộc: Phiếu đăng ký" in refused["detail"]
        rep.upload(f"/api/v1/dossiers/{d['id']}/documents", {"kind": "registration_form", "file": pdf_file()})
        doc = rep.upload(f"/api/v1/dossiers/{d['id']}/documents", {"kind": "photo", "file": png_file()})
        docs = rep.get(f"/api/v1/dossiers/{d['id']}/documents")
        assert sorted(x["kind"] for x in docs) == ["photo", "registration_form"]
        assert all(c["ok"] for c in rep.get(f"/api/v1/dossiers/{d['id']}/checks"))
        assert rep.post(f"/api/v1/dossiers/{d['id']}/submit")["status"] == "submitted"
        dossier_ids.append(d["id"])
    d1, d2 = dossier_ids
    # the officer downloads a document through the permission check; the other representative cannot
    download = officer.get(doc["download"])
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    reps[0].get(doc["download"], expected=404)

    # 4. screening: d2 returned with its reason, completed and re-submitted; both eligible
    officer.post(f"/api/v1/dossiers/{d2}/screen", {"decision": "returned"}, expected=400)  # no reason
    returned = officer.post(
        f"/api/v1/dossiers/{d2}/screen", {"decision": "returned", "note": "Bổ sung giấy ATTP"}
    )
    assert returned["status"] == "returned" and returned["screening_note"] == "Bổ sung giấy ATTP"
    reps[1].upload(f"/api/v1/dossiers/{d2}/documents", {"kind": "quality", "file": pdf_file("attp.pdf")})
    reps[1].post(f"/api/v1/dossiers/{d2}/submit")
    for d in (d1, d2):
        assert officer.post(f"/api/v1/dossiers/{d}/screen", {"decision": "eligible"})["status"] == "eligible"

    # 5. the council: chair, member, secretary; assignment
    candidates = {p["username"]: p["id"] for p in officer.get(f"/api/v1/rounds/{rid}/council/candidates")}
    assert {"chair.api", "member.api", "secretary.api"} <= set(candidates)
    seats = {}
    for username, role in (("chair.api", "chair"), ("member.api", "member"), ("secretary.api", "secretary")):
        seat = officer.post(
            f"/api/v1/rounds/{rid}/council", {"user": candidates[username], "role": role}, expected=201
        )
        seats[username] = seat["id"]
    for username in ("chair.api", "member.api"):
        assigned = officer.post(f"/api/v1/rounds/{rid}/council/{seats[username]}/assign", {})
        assert assigned["assigned"] == 2 and assigned["member"]["assigned"] == [d1, d2]
    assert len(officer.get(f"/api/v1/rounds/{rid}/council")) == 3

    # 6. scoring opens; the member declares a conflict on d2 before scoring it
    assert officer.post(f"/api/v1/rounds/{rid}/open-scoring")["status"] == "scoring"
    to_score = member.get("/api/v1/dossiers/", to_score="true")
    assert {d["id"] for d in to_score["items"]} == {d1, d2}
    conflict = member.post(
        f"/api/v1/dossiers/{d2}/conflict",
        {"kind": "hard", "reason": "Người thân của chủ cơ sở"},
        expected=201,
    )
    assert conflict["member"] == seats["member.api"]
    member.get(f"/api/v1/dossiers/{d2}/score", expected=403)

    # 7. score sheets: a draft, then submitted (sealed)
    sheet = chair.get(f"/api/v1/dossiers/{d1}/score")
    criteria = [item["criterion"] for item in sheet["items"]]
    full = {str(c["criterion"]): str(c["max_points"]) for c in sheet["items"]}
    minus = dict(full)
    minus[str(criteria[0])] = str(Decimal(full[str(criteria[0])]) - 10)  # 90 points
    draft = chair.put(f"/api/v1/dossiers/{d1}/score", {"points": {str(criteria[0]): "8,5"}})
    assert draft["submitted_at"] is None and Decimal(draft["total"]) == Decimal("8.5")
    chair.put(f"/api/v1/dossiers/{d1}/score", {"points": full, "submit": True})
    chair.put(f"/api/v1/dossiers/{d1}/score", {"points": full, "submit": True}, expected=400)  # sealed
    member.put(f"/api/v1/dossiers/{d1}/score", {"points": minus, "submit": True})
    low = {k: str(Decimal(v) / 2) for k, v in full.items()}  # 50 points: below the pass mark
    chair.put(f"/api/v1/dossiers/{d2}/score", {"points": low, "submit": True})
    progress = officer.get(f"/api/v1/rounds/{rid}/progress")
    assert {p["dossier"]: p["conflicts"] for p in progress["dossiers"]} == {d1: 0, d2: 1}

    # 8. scoring closes; the results before approval: means, ranks, pass
    chair.get(f"/api/v1/rounds/{rid}/results", expected=403)  # no member sees points while scoring is open
    officer.get(f"/api/v1/rounds/{rid}/results", expected=400)  # computed once scoring closes
    assert officer.post(f"/api/v1/rounds/{rid}/close-scoring")["status"] == "review"
    results = chair.get(f"/api/v1/rounds/{rid}/results")
    rows = {r["dossier"]: r for r in results["rows"]}
    assert Decimal(rows[d1]["score"]) == Decimal("95.00") and rows[d1]["rank"] == 1 and rows[d1]["passed"]
    assert Decimal(rows[d2]["score"]) == Decimal("50.00") and rows[d2]["rank"] == 2 and not rows[d2]["passed"]
    assert sorted(Decimal(t) for t in rows[d1]["totals"]) == [Decimal("90.00"), Decimal("100.00")]

    # 9. selection and approval
    refused = officer.put(
        f"/api/v1/rounds/{rid}/selection", {"choices": [{"dossier": d2, "selected": True}]}, expected=400
    )
    assert refused["detail"]
    selected = officer.put(
        f"/api/v1/rounds/{rid}/selection", {"choices": [{"dossier": d1, "selected": True}]}
    )
    assert {r["dossier"]: r["selected"] for r in selected["rows"]} == {d1: True, d2: False}
    assert officer.post(f"/api/v1/rounds/{rid}/approve")["status"] == "approved"

    # 10. the decision: a certificate issued to d1's product
    decided = officer.post(
        f"/api/v1/rounds/{rid}/decision",
        {"decision_no": "123/QĐ-UBND", "decision_date": today.isoformat(), "signer": "Nguyễn Văn A"},
    )
    assert decided["round"]["status"] == "decided" and len(decided["certificates"]) == 1
    cert = decided["certificates"][0]
    assert cert["product"] == products[0].pk and cert["number"] == "CM-API-2026-001"

    # 11. the certificate PDF, to the officer and to the certified establishment's representative
    pdf = reps[0].get(f"/api/v1/certificates/{cert['id']}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    reps[1].get(f"/api/v1/certificates/{cert['id']}/pdf", expected=404)

    # 12. nomination to the region round opened by an administrator
    south = Region.objects.get(code="south")
    region_round = admin.post(
        "/api/v1/rounds/",
        {
            "code": "NAM-API-2026",
            "year": today.year,
            "level": "region",
            "title": "Bình chọn cấp khu vực phía Nam",
            "region": south.pk,
            "rubric": rubric.pk,
        },
        expected=201,
    )
    admin.post(f"/api/v1/rounds/{region_round['id']}/open-registration")
    offer = officer.get(f"/api/v1/rounds/{rid}/nominations")
    assert [t["id"] for t in offer["targets"]] == [region_round["id"]]
    assert [r["product"] for r in offer["results"]] == [products[0].pk] and offer["nominated"] == []
    nominated = officer.post(
        f"/api/v1/rounds/{rid}/nominations",
        {"target": region_round["id"], "results": [offer["results"][0]["id"]]},
        expected=201,
    )
    # a draft of the region round, submitted later with the province's batch and its committee's letter
    assert len(nominated) == 1 and nominated[0]["status"] == "draft"
    carried = Dossier.objects.get(pk=nominated[0]["id"])
    assert carried.documents.count() == 2 and carried.nominated_from.product_id == products[0].pk

    # every step was recorded by the services, with who took it
    assert list(
        RoundTransition.objects.filter(round_id=rid).values_list("action", flat=True).order_by("pk")
    ) == ["create", "open_registration", "open_scoring", "close_scoring", "approve", "decide"]
    assert DossierTransition.objects.filter(dossier_id=d2, action="return", user=officer.user).exists()
