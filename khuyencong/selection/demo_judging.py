"""Demo of fair judging and appeals: a Cà Mau round whose results the council approved two days ago, scored by
three members (one lenient on the handicraft, one far off on a sheet, one conflict declared), with the appeal
period running and one appeal awaiting the council's answer. Repeatable: a second run changes nothing."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .models import (
    Appeal,
    AppealTransition,
    Assignment,
    Conflict,
    CouncilMember,
    Dossier,
    DossierTransition,
    Result,
    Round,
    RoundStatus,
    RoundTransition,
    Score,
    ScoreItem,
)

CODE = "CM-T-2025-D2"
# product code → each member's share of the maximum (None: conflict declared, no sheet)
SHEETS = {
    "SP-001": {"giamkhao1": "0.82", "giamkhao2": "0.86", "giamkhao3": "0.79"},
    "SP-002": {"giamkhao1": "0.88", "giamkhao2": "0.93", "giamkhao3": "0.90"},
    "SP-003": {"giamkhao1": "0.70", "giamkhao2": "0.95", "giamkhao3": "0.71"},
    "SP-005": {"giamkhao1": "0.66", "giamkhao2": "0.74", "giamkhao3": None},
    "SP-006": {"giamkhao1": "0.61", "giamkhao2": "0.72", "giamkhao3": "0.64"},
}


def load(ctx, version) -> None:
    users, products, province = ctx["users"], ctx["products"], ctx["province"]
    officer = users["sct.camau"]
    if Round.objects.filter(code=CODE).exists() or not all(code in products for code in SHEETS):
        return
    today = timezone.localdate()
    approved_at = timezone.now() - datetime.timedelta(days=2)
    round_ = Round.objects.create(
        code=CODE,
        year=2025,
        level="province",
        title="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Cà Mau năm 2025 (đợt 2)",
        province=province,
        rubric=version,
        status=RoundStatus.APPROVED,
        registration_opens=today - datetime.timedelta(days=70),
        registration_closes=today - datetime.timedelta(days=40),
        scoring_opens=today - datetime.timedelta(days=30),
        scoring_closes=today - datetime.timedelta(days=10),
        quota=4,
        min_sheets=2,
        appeal_days=10,
        certificate_validity_months=36,
        outlier_threshold=Decimal("12"),
    )
    seats = {
        name: CouncilMember.objects.create(round=round_, user=users[name], role=seat)
        for name, seat in [
            ("giamkhao1", "chair"),
            ("giamkhao2", "member"),
            ("giamkhao3", "member"),
            ("sct.camau", "secretary"),
        ]
    }
    criteria = list(version.criteria.all())
    submitted = approved_at - datetime.timedelta(days=8)
    rows = []
    for code, shares in SHEETS.items():
        product = products[code]
        dossier = Dossier.objects.create(
            round=round_,
            product=product,
            establishment=product.establishment,
            status="eligible",
            summary=product.description or product.name,
            registered_by=officer,
            submitted_at=submitted - datetime.timedelta(days=20),
        )
        totals = []
        for name, share in shares.items():
            member = seats[name]
            Assignment.objects.create(member=member, dossier=dossier)
            if share is None:
                Conflict.objects.create(
                    member=member,
                    dossier=dossier,
                    kind="soft",
                    reason="Từng tham gia tư vấn thành lập tổ hợp tác của cơ sở",
                )
                continue
            sheet = Score.objects.create(dossier=dossier, member=member)
            points = [
                (c, (c.max_points * Decimal(share) * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2)
                for c in criteria
            ]
            for criterion, value in points:
                ScoreItem.objects.create(score=sheet, criterion=criterion, points=value)
            sheet.total = sum((v for _c, v in points), Decimal(0))
            sheet.submitted_at = submitted
            sheet.save(update_fields=["total", "submitted_at"])
            totals.append(sheet.total)
        mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        rows.append((dossier, mean))
    rows.sort(key=lambda pair: -pair[1])
    for i, (dossier, mean) in enumerate(rows):
        passed = mean >= round_.pass_mark
        dossier.status = "passed" if passed else "not_passed"
        dossier.selected = passed and i < round_.quota
        dossier.save(update_fields=["status", "selected"])
        for action, from_status, to_status in [
            ("mark_scored", "eligible", "scored"),
            ("pass" if passed else "fail", "scored", dossier.status),
        ]:
            DossierTransition.objects.create(
                dossier=dossier, action=action, from_status=from_status, to_status=to_status, user=officer
            )
        Result.objects.create(
            round=round_, product=dossier.product, dossier=dossier, score=mean, certified=dossier.selected
        )
    for action, from_status, to_status, days in [
        ("open_registration", "draft", "registration", 70),
        ("open_scoring", "registration", "scoring", 30),
        ("close_scoring", "scoring", "review", 9),
        ("approve", "review", "approved", 2),
    ]:
        step = RoundTransition.objects.create(
            round=round_, action=action, from_status=from_status, to_status=to_status, user=officer
        )
        RoundTransition.objects.filter(pk=step.pk).update(at=timezone.now() - datetime.timedelta(days=days))
    Round.objects.filter(pk=round_.pk).update(scores_locked=True)  # approved: sheets and results sealed
    rep = users["coso.khomuc"]
    appealed = Dossier.objects.get(round=round_, product=products["SP-001"])
    appeal = Appeal.objects.create(
        dossier=appealed,
        grounds=(
            "Tiêu chí thị trường chưa tính hợp đồng xuất khẩu sang Đài Loan ký tháng 3/2025 "
            "(đã nộp kèm hồ sơ bổ sung)."
        ),
        lodged_by=rep,
        lodged_at=timezone.now() - datetime.timedelta(days=1),
    )
    AppealTransition.objects.create(
        appeal=appeal, action="lodge", from_status="", to_status="lodged", user=rep, note=appeal.grounds
    )
