"""Demo programme data for Cà Mau: the 2026 plan, projects at every step, two settled projects of 2024/2025.

Repeatable: existing plans, lines and projects (by code) are left alone. Every project is walked
through the same service functions the pages use, so its steps are recorded as an officer's.
Years 2016–2023 belong to the imported history (published figures) and are never touched here.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.programme import services
from khuyencong.programme.advance_defaults import ensure_advance_rules
from khuyencong.programme.defaults import ensure_defaults
from khuyencong.programme.models import (
    AdvanceRule,
    AppraisalCriterion,
    AppraisalScheme,
    CeilingRule,
    Plan,
    PlanLine,
    Project,
)

D = datetime.date

# The budget classification the demo department settles under: chương 417 (the Department of Industry and
# Trade), loại 280 khoản 338, mục 7000 tiểu mục 7049.
DEMO_BUDGET = {
    "budget_chapter": "417",
    "budget_type": "280",
    "budget_item": "338",
    "budget_section": "7000",
    "budget_subsection": "7049",
}
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

PLAN_2026 = {
    "title": "Kế hoạch khuyến công năm 2026 tỉnh Cà Mau",
    "national_budget": 3_000_000_000,
    "local_budget": 5_000_000_000,
    "decision_no": "45/QĐ-UBND",
    "decision_date": D(2026, 1, 15),
}
LINES_2026 = [
    ("national", "machinery", 1_500_000_000),
    ("national", "demo_model", 1_000_000_000),
    ("national", "fair", 500_000_000),
    ("local", "machinery", 1_200_000_000),
    ("local", "training", 800_000_000),
    ("local", "demo_model", 1_000_000_000),
    ("local", "information", 400_000_000),
    ("local", "product_dev", 600_000_000),
    ("local", "consulting", 500_000_000),
    ("local", "fair", 500_000_000),
]

# code, year, establishment, commune, programme, activity, title, total cost, requested, counterpart, expected jobs,
# local materials, walk to (status), extra
PROJECTS = [
    (
        "DA-2024-001",
        2024,
        "CM-001",
        32098,
        "national",
        "machinery",
        "Ứng dụng máy hút chân không và máy đóng gói trong chế biến khô mực",
        700_000_000,
        280_000_000,
        420_000_000,
        8,
        True,
        "settled",
        {
            "settle": 275_000_000,
            "dates": D(2024, 3, 1),
            "jobs": 8,
            "machines": 3,
            "payments": [(D(2024, 12, 5), 140_000_000)],
        },
    ),
    (
        "DA-2024-002",
        2024,
        "CM-002",
        32152,
        "local",
        "demo_model",
        "Mô hình trình diễn kỹ thuật chế biến chà bông tôm",
        2_100_000_000,
        600_000_000,
        1_500_000_000,
        15,
        True,
        "settled",
        {
            "settle": 600_000_000,
            "dates": D(2024, 2, 20),
            "jobs": 15,
            "products_developed": 2,
            "payments": [(D(2024, 11, 28), 300_000_000)],
        },
    ),
    (
        "DA-2025-001",
        2025,
        "CM-001",
        32098,
        "local",
        "training",
        "Đào tạo nghề chế biến khô mực xuất khẩu",
        180_000_000,
        150_000_000,
        30_000_000,
        20,
        True,
        "settled",
        {
            "settle": 148_500_000,
            "dates": D(2025, 3, 10),
            "jobs": 20,
            "trainees": 40,
            "advances": [(D(2025, 6, 2), 105_000_000)],
        },
    ),
    (
        "DA-2026-001",
        2026,
        "CM-003",
        32065,
        "local",
        "machinery",
        "Ứng dụng máy cho tôm ăn tự động tại Hộ kinh doanh Nguyễn Văn Tài",
        720_000_000,
        300_000_000,
        420_000_000,
        6,
        False,
        "proposed",
        {},
    ),
    (
        "DA-2026-002",
        2026,
        "CM-001",
        32098,
        "national",
        "demo_model",
        "Mô hình trình diễn kỹ thuật sấy khô mực bằng năng lượng mặt trời kết hợp bơm nhiệt",
        2_400_000_000,
        700_000_000,
        1_700_000_000,
        12,
        True,
        "appraised",
        {},
    ),
    (
        "DA-2026-003",
        2026,
        "CM-004",
        32191,
        "local",
        "training",
        "Đào tạo nghề chế biến bánh phồng tôm cho lao động nông thôn",
        250_000_000,
        200_000_000,
        50_000_000,
        30,
        True,
        "approved",
        {"dates": D(2026, 3, 20)},
    ),
    (
        "DA-2026-004",
        2026,
        "CM-006",
        32065,
        "national",
        "fair",
        "Hỗ trợ tham gia Hội chợ hàng CNNT tiêu biểu khu vực phía Nam năm 2026",
        180_000_000,
        150_000_000,
        30_000_000,
        0,
        True,
        "in_progress",
        {"dates": D(2026, 4, 2)},
    ),
    (
        "DA-2026-005",
        2026,
        "CM-002",
        32152,
        "local",
        "machinery",
        "Ứng dụng máy sấy tôm bằng bơm nhiệt",
        900_000_000,
        300_000_000,
        600_000_000,
        8,
        True,
        "appraised",
        {},
    ),
    (
        "DA-2026-006",
        2026,
        "CM-005",
        31825,
        "local",
        "consulting",
        "Tư vấn xây dựng thương hiệu Muối tôm Bạc Liêu",
        150_000_000,
        100_000_000,
        50_000_000,
        2,
        True,
        "cancelled",
        {"reason": "Cơ sở đã được hỗ trợ nội dung này từ nguồn kinh phí khác"},
    ),
    (
        "DA-2026-007",
        2026,
        None,
        None,
        "local",
        "information",
        "Chuyên mục khuyến công trên Đài Phát thanh – Truyền hình Cà Mau",
        120_000_000,
        120_000_000,
        0,
        0,
        False,
        "contracted",
        {"dates": D(2026, 2, 10)},
    ),
]

WALK = ["appraise", "approve", "contract", "start", "accept", "settle"]
REACHED = {
    "proposed": 0,
    "appraised": 1,
    "approved": 2,
    "contracted": 3,
    "in_progress": 4,
    "accepted": 5,
    "settled": 6,
}


def _walk(officer, project, target, extra, checks):
    start = extra.get("dates") or D(project.year, 3, 1)
    amount = project.support_requested
    if target == "cancelled":
        return services.cancel_project(user=officer, project=project, reason=extra["reason"])
    for action in WALK[: REACHED[target]]:
        if action == "appraise":
            project = services.appraise_project(
                user=officer,
                project=project,
                amount=amount,
                checks=checks,
                note="Hồ sơ đầy đủ, nội dung phù hợp",
            )
        elif action == "approve":
            project = services.approve_project(
                user=officer,
                project=project,
                decision_no=f"{project.pk + 100}/QĐ-SCT",
                decision_date=start,
                amount=amount,
            )
        elif action == "contract":
            project = services.contract_project(
                user=officer,
                project=project,
                contract_no=f"{project.pk + 10}/HĐ-KC",
                contract_date=start + datetime.timedelta(days=20),
            )
        elif action == "start":
            project = services.start_project(user=officer, project=project)
            for paid_on, tranche in extra.get("advances", []):
                services.record_disbursement(
                    user=officer,
                    project=project,
                    amount=tranche,
                    paid_on=paid_on,
                    reference=f"UNC-{paid_on:%Y%m%d}",
                )
        elif action == "accept":
            project = services.accept_project(
                user=officer,
                project=project,
                acceptance_record=f"BB-{project.pk + 50}/NT",
                acceptance_date=D(project.year, 11, 25),
                outcomes={k: extra.get(k) for k in ("jobs", "machines", "trainees", "products_developed")},
            )
        elif action == "settle":
            for paid_on, tranche in extra.get("payments", []):
                services.record_disbursement(
                    user=officer,
                    project=project,
                    amount=tranche,
                    paid_on=paid_on,
                    reference=f"UNC-{paid_on:%Y%m%d}",
                )
            for kind, name in (
                ("acceptance", "bien-ban-nghiem-thu.pdf"),
                ("settlement", "ho-so-quyet-toan.pdf"),
            ):
                services.add_document(
                    user=officer, project=project, kind=kind, upload=SimpleUploadedFile(name, DEMO_PDF)
                )
            project = services.settle_project(
                user=officer,
                project=project,
                amount=extra["settle"],
                settled_date=D(project.year, 12, 20),
                final_reference=f"UNC-QT-{project.pk:03d}",
                budget=DEMO_BUDGET,
            )
    return project


# Local ceilings recorded from the provinces' People's Council resolutions (demo values, marked so):
# (province code, number, title, issued, in force from, [(activity, share %, at most VND)])
RESOLUTIONS = [
    (
        96,
        "15/2025/NQ-HĐND",
        "Quy định nội dung, mức hỗ trợ khuyến công địa phương tỉnh Cà Mau (số liệu minh họa)",
        D(2025, 9, 19),
        D(2025, 10, 1),
        [
            ("machinery", "50", 300_000_000),
            ("demo_model", "30", 700_000_000),
            ("cleaner", "30", 300_000_000),
            ("digital", "50", 200_000_000),
            ("sustainable", "30", 300_000_000),
        ],
    ),
    (
        66,
        "…/2025/NQ-HĐND (ví dụ)",
        "Mức hỗ trợ khuyến công địa phương từ 26/7/2025 (ví dụ của tài liệu nghiệp vụ)",
        D(2025, 7, 26),
        D(2025, 7, 26),
        [("demo_model", "30", 800_000_000), ("cleaner", "30", 400_000_000)],
    ),
]


def _resolutions(admin):
    from .models import Regulation

    for province, number, title, issued, since, ceilings in RESOLUTIONS:
        if Regulation.objects.filter(number=number, province_id=province).exists():
            continue
        regulation = services.record_resolution(
            user=admin,
            province=province,
            data={
                "number": number,
                "title": title,
                "issued_on": issued,
                "effective_from": since,
                "notes": "Số liệu minh họa cho bản demo, không phải văn bản gốc.",
            },
            ceilings=[
                {
                    "activity": a,
                    "max_share_percent": share,
                    "max_amount": cap,
                    "per_establishment_year": a == "machinery",
                }
                for a, share, cap in ceilings
            ],
        )
        Regulation.objects.filter(pk=regulation.pk).update(demo=True)


def _beneficiaries(admin, establishments):
    """Decree 235/2025's beneficiaries in the demo (invented, said so): a priority flag with its evidence,
    a craft village of Thới Bình with its cooperative, and an outstanding artisan."""
    from khuyencong.registry import services as registry
    from khuyencong.registry.models import Artisan, CraftVillage

    coop = establishments.get("CM-006")
    shrimp = establishments.get("CM-002")
    if shrimp is not None and not shrimp.women_owned:
        registry.update_establishment(
            user=admin,
            establishment=shrimp,
            data={"women_owned": True, "priority_evidence": "Giám đốc HTX là nữ (minh họa cho bản demo)"},
        )
    if coop is None:
        return
    village = CraftVillage.objects.filter(code="LN-TB-01").first() or registry.create_craft_village(
        user=admin,
        data={
            "code": "LN-TB-01",
            "name": "Làng nghề đan lác Thới Bình (minh họa)",
            "trade": "Đan đát thủ công từ cây lác",
            "recognition_no": "DEMO/QĐ-UBND",
            "recognition_date": D(2016, 8, 15),
            "recognised_by": "UBND tỉnh Cà Mau (minh họa)",
            "households": 140,
            "workers": 320,
            "province_id": coop.province_id,
            "commune_id": coop.commune_id,
            "establishments": [coop],
        },
    )
    if not Artisan.objects.filter(code="NN-TB-01").exists():
        registry.create_artisan(
            user=admin,
            data={
                "code": "NN-TB-01",
                "name": "Nguyễn Thị Lác (minh họa)",
                "title": "outstanding",
                "title_year": 2022,
                "trade": "Đan lác",
                "birth_year": 1962,
                "establishment": coop,
                "craft_village": village,
                "province_id": coop.province_id,
                "commune_id": coop.commune_id,
            },
        )


def load(ctx):
    say = ctx.get("say") or (lambda msg: None)
    ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion)
    ensure_advance_rules(AdvanceRule)
    officer = ctx["users"]["sct.camau"]
    establishments = ctx["establishments"]
    province = ctx["province"]
    _resolutions(ctx["users"]["admin"])
    _beneficiaries(ctx["users"]["admin"], ctx["establishments"])

    plan = Plan.objects.filter(province=province, year=2026).first()
    if plan is None:
        plan = services.create_plan(user=officer, data={"province": province, "year": 2026, **PLAN_2026})
    for programme, activity, amount in LINES_2026:
        if not PlanLine.objects.filter(plan=plan, programme=programme, activity=activity).exists():
            services.set_plan_line(
                user=officer, plan=plan, programme=programme, activity=activity, amount=amount
            )

    scheme = services.current_scheme()
    checks = {str(c.pk): True for c in scheme.criteria.filter(kind="check")} if scheme else {}
    for (
        code,
        year,
        est,
        commune,
        programme,
        activity,
        title,
        cost,
        requested,
        counterpart,
        jobs,
        local,
        target,
        extra,
    ) in PROJECTS:
        if Project.objects.filter(code=code).exists():
            continue
        project = services.propose_project(
            user=officer,
            data={
                "code": code,
                "year": year,
                "title": title,
                "programme": programme,
                "activity": activity,
                "establishment": establishments.get(est),
                "province_id": province.pk,
                "commune_id": commune,
                "total_cost": cost,
                "support_requested": requested,
                "counterpart": counterpart,
                "expected_jobs": jobs or None,
                "local_materials": local,
                "note": "Đề xuất đưa vào kế hoạch",
            },
        )
        _walk(officer, project, target, extra, checks)
    # The ranking is left for the officer to make on the plan page: it then counts the products the
    # selection demo (loaded after this one) certifies.
    ctx["plan_2026"] = plan
    from .target_demo import load as load_targets  # the 2026–2030 programmes and their targets

    load_targets(ctx)
    say(
        f"Programme: plan 2026 of {province}, {Project.objects.filter(code__startswith='DA-').count()} demo projects"
    )
