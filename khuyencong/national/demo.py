"""Demo data of the national plan: Cà Mau registers its national-programme proposals for 2026, the
national organiser appraises them and allocates the funds, which become the plan's national lines.
Repeatable: a registration already allocated is left as it is."""

import datetime

from khuyencong.programme import selectors as programme_selectors
from khuyencong.programme import services as programme
from khuyencong.programme.models import Plan, Project

from . import services
from .models import Registration

# code, establishment, commune, activity, title, total cost, requested, counterpart, expected jobs
PROPOSALS_2026 = [
    (
        "DA-2026-QG-01",
        "CM-002",
        32152,
        "machinery",
        "Ứng dụng dây chuyền cấp đông nhanh IQF cho tôm thẻ tại HTX Tôm sạch Đầm Dơi",
        1_900_000_000,
        450_000_000,
        1_450_000_000,
        18,
    ),
    (
        "DA-2026-QG-02",
        "CM-004",
        32191,
        "training",
        "Đào tạo nghề chế biến bánh phồng tôm xuất khẩu cho lao động nữ nông thôn",
        320_000_000,
        280_000_000,
        40_000_000,
        35,
    ),
]

# the organiser's appraisal: what each proposal gets (less than requested where the appraisal says so)
APPRAISAL = {
    "DA-2026-002": (650_000_000, "Điều chỉnh giảm chi phí thiết bị phụ trợ"),
    "DA-2026-QG-01": (450_000_000, ""),
    "DA-2026-QG-02": (250_000_000, "Giảm số lớp từ 7 xuống 6"),
}


def load(ctx):
    say = ctx.get("say") or (lambda msg: None)
    officer = ctx["users"]["sct.camau"]
    organiser = ctx["users"].get("cuc.khuyencong")
    province = ctx["province"]
    if organiser is None:
        return
    registration = Registration.objects.filter(province=province, year=2026).first()
    if registration is not None and registration.status == "allocated":
        return
    establishments = ctx["establishments"]
    for code, est, commune, activity, title, cost, requested, counterpart, jobs in PROPOSALS_2026:
        if not Project.objects.filter(code=code).exists():
            programme.propose_project(
                user=officer,
                data={
                    "code": code,
                    "year": 2026,
                    "title": title,
                    "programme": "national",
                    "activity": activity,
                    "establishment": establishments.get(est),
                    "province_id": province.pk,
                    "commune_id": commune,
                    "total_cost": cost,
                    "support_requested": requested,
                    "counterpart": counterpart,
                    "expected_jobs": jobs,
                    "note": "Đề xuất đăng ký kế hoạch khuyến công quốc gia 2026",
                },
            )
    registration = services.prepare_registration(user=officer, province_id=province.pk, year=2026)
    if registration.status in ("draft", "returned"):
        registration = services.submit_registration(
            user=officer,
            registration=registration,
            note="Tờ trình đăng ký kế hoạch khuyến công quốc gia 2026",
        )
    if registration.status == "submitted":
        lines = list(registration.lines.all())
        registration = services.appraise_registration(
            user=organiser,
            registration=registration,
            amounts={line.code: APPRAISAL.get(line.code, (line.requested, ""))[0] for line in lines},
            notes={line.code: APPRAISAL.get(line.code, (0, ""))[1] for line in lines},
        )
    # the allocation covers what was appraised and the national projects already approved this year
    amounts = dict(services.appraised_by_activity(registration))
    plan = Plan.objects.filter(province=province, year=2026).first()
    if plan is not None:
        running = programme_selectors.plan_actuals(plan)["by_programme"]["national"]["lines"]
        for line in running:
            amounts[line["activity"]] = amounts.get(line["activity"], 0) + line["committed"]
    services.allocate_registration(
        user=organiser,
        registration=registration,
        amounts={k: v for k, v in amounts.items() if v},
        decision_no="2718/QĐ-BCT",
        decision_date=datetime.date(2026, 1, 8),
        note="Giao kế hoạch và kinh phí khuyến công quốc gia năm 2026",
    )
    say(f"National plan: {province} 2026 registered, appraised and allocated")
