"""Demo defaults of the configurable rules (shared/domain.md): Circular 28/2018/TT-BTC ceilings and
the seed department's appraisal checklist and priority points. They are loaded as data (migration
0003 and the demo) and edited in the admin; code never reads these constants to decide."""

import datetime
from decimal import Decimal

CIRCULAR_28_2018 = "Thông tư số 28/2018/TT-BTC"
CIRCULAR_28_2018_FROM = datetime.date(2018, 5, 12)

# The national documents, as the programme's rules (number, kind, title, issued, in force from, amends, notes).
# Dates and amounts are the project's reading of the published texts: an administrator corrects them in the
# admin (a correction is audited), and a new document is added as a new row, never by editing code.
NATIONAL_REGULATIONS = [
    (
        "28/2018/TT-BTC",
        "circular",
        "Hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công",
        datetime.date(2018, 3, 28),
        CIRCULAR_28_2018_FROM,
        None,
        "",
    ),
    (
        "64/2024/TT-BTC",
        "circular",
        "Sửa đổi, bổ sung một số điều của Thông tư số 28/2018/TT-BTC",
        datetime.date(2024, 9, 6),
        datetime.date(2024, 10, 22),
        "28/2018/TT-BTC",
        "Ngày hiệu lực và mức trần của bản sửa đổi cần được đối chiếu với văn bản đăng công báo.",
    ),
    (
        "235/2025/NĐ-CP",
        "decree",
        "Sửa đổi, bổ sung Nghị định số 45/2012/NĐ-CP về khuyến công",
        datetime.date(2025, 8, 29),
        datetime.date(2025, 10, 15),
        None,
        "Bổ sung nội dung chuyển đổi số và sản xuất bền vững; đối tượng làng nghề, nghệ nhân; ưu tiên "
        "doanh nghiệp do phụ nữ, người dân tộc thiểu số làm chủ.",
    ),
]

# Ceilings of the amendment (regulation number, activity, share %, amount, line multiplier, per establishment-year,
# wording); activities it does not name keep the 28/2018 ceiling.
AMENDED_CEILINGS = [
    (
        "64/2024/TT-BTC",
        "demo_model",
        Decimal("30"),
        1_500_000_000,
        Decimal("1"),
        False,
        "Mô hình trình diễn kỹ thuật sản xuất sản phẩm mới, công nghệ mới: hỗ trợ tối đa 30 % chi phí "
        "và không quá 1.500 triệu đồng/mô hình",
    ),
]

# Activities that exist only from a date (regulation number, activity, from)
ACTIVITY_PERIODS = [
    ("235/2025/NĐ-CP", "digital", datetime.date(2025, 10, 15)),
    ("235/2025/NĐ-CP", "sustainable", datetime.date(2025, 10, 15)),
]

# activity, max share %, max amount VND, multiplier for a whole technology line, per establishment and year, wording
CEILINGS = [
    (
        "machinery",
        Decimal("50"),
        300_000_000,
        Decimal("1.5"),
        True,
        "Hỗ trợ tối đa 50 % chi phí mua máy móc, thiết bị và không quá 300 triệu đồng/cơ sở "
        "(dây chuyền công nghệ: tối đa 1,5 lần)",
    ),
    (
        "demo_model",
        Decimal("30"),
        1_000_000_000,
        Decimal("1"),
        False,
        "Mô hình trình diễn kỹ thuật sản xuất sản phẩm mới, công nghệ mới: hỗ trợ tối đa 30 % chi phí "
        "và không quá 1.000 triệu đồng/mô hình",
    ),
]

SCHEME_NAME = "Tiêu chí thẩm định và điểm ưu tiên đề án khuyến công"
SCHEME_FROM = datetime.date(2018, 5, 12)
# order, kind, label, max points, value earning full points
CRITERIA = [
    (
        1,
        "check",
        "Đối tượng thụ hưởng là cơ sở công nghiệp nông thôn đủ điều kiện",
        Decimal("0"),
        Decimal("1"),
    ),
    (2, "check", "Nội dung đề án phù hợp với hoạt động khuyến công", Decimal("0"), Decimal("1")),
    (3, "check", "Hồ sơ đề xuất đầy đủ, dự toán kinh phí hợp lý", Decimal("0"), Decimal("1")),
    (
        4,
        "certified",
        "Cơ sở có sản phẩm đã được công nhận sản phẩm CNNT tiêu biểu",
        Decimal("30"),
        Decimal("1"),
    ),
    (
        5,
        "local_materials",
        "Sử dụng nguyên liệu tại chỗ của tỉnh (thủy sản Cà Mau)",
        Decimal("25"),
        Decimal("1"),
    ),
    (6, "jobs", "Số việc làm tạo thêm (đủ điểm từ 10 lao động)", Decimal("25"), Decimal("10")),
    (
        7,
        "counterpart",
        "Tỷ lệ vốn đối ứng của cơ sở trên tổng chi phí (đủ điểm từ 50 %)",
        Decimal("20"),
        Decimal("50"),
    ),
]


# From Decree 235/2025/NĐ-CP: the same checklist and points, plus the priority it gives (weights editable)
PRIORITY_SCHEME_NAME = "Tiêu chí thẩm định và điểm ưu tiên đề án khuyến công (Nghị định 235/2025/NĐ-CP)"
PRIORITY_SCHEME_FROM = datetime.date(2025, 10, 15)
PRIORITY_CRITERIA = [
    (8, "women_owned", "Cơ sở do phụ nữ làm chủ", Decimal("10"), Decimal("1")),
    (9, "ethnic_minority", "Cơ sở do người dân tộc thiểu số làm chủ", Decimal("10"), Decimal("1")),
    (10, "disadvantaged", "Cơ sở tại xã có điều kiện kinh tế - xã hội khó khăn", Decimal("10"), Decimal("1")),
]


def ensure_priority_scheme(apps) -> None:
    AppraisalScheme = apps.get_model("programme", "AppraisalScheme")
    AppraisalCriterion = apps.get_model("programme", "AppraisalCriterion")
    scheme, created = AppraisalScheme.objects.get_or_create(
        effective_from=PRIORITY_SCHEME_FROM, defaults={"name": PRIORITY_SCHEME_NAME}
    )
    if created:
        for order, kind, label, points, full_at in [*CRITERIA, *PRIORITY_CRITERIA]:
            AppraisalCriterion.objects.create(
                scheme=scheme, order=order, kind=kind, label=label, max_points=points, full_at=full_at
            )


def ensure_national_rules(apps) -> None:
    """The national documents, their ceilings and the activities' periods (repeatable)."""
    Regulation = apps.get_model("programme", "Regulation")
    CeilingRule = apps.get_model("programme", "CeilingRule")
    ActivityPeriod = apps.get_model("programme", "ActivityPeriod")
    regulations = {}
    for number, kind, title, issued, since, amends, notes in NATIONAL_REGULATIONS:
        regulations[number], _created = Regulation.objects.get_or_create(
            number=number,
            province=None,
            defaults=dict(
                kind=kind,
                title=title,
                issued_on=issued,
                effective_from=since,
                amends=regulations.get(amends),
                notes=notes,
            ),
        )
    circular = regulations["28/2018/TT-BTC"]
    for activity, share, amount, multiplier, per_establishment, wording in CEILINGS:
        rule, _created = CeilingRule.objects.get_or_create(
            activity=activity,
            effective_from=CIRCULAR_28_2018_FROM,
            province=None,
            defaults=dict(
                max_share_percent=share,
                max_amount=amount,
                line_multiplier=multiplier,
                citation=CIRCULAR_28_2018,
                wording=wording,
                refuse=True,
                per_establishment_year=per_establishment,
                regulation=circular,
            ),
        )
        if rule.regulation_id is None:
            CeilingRule.objects.filter(pk=rule.pk).update(regulation=circular)
    for number, activity, share, amount, multiplier, per_establishment, wording in AMENDED_CEILINGS:
        regulation = regulations[number]
        CeilingRule.objects.get_or_create(
            activity=activity,
            effective_from=regulation.effective_from,
            province=None,
            defaults=dict(
                max_share_percent=share,
                max_amount=amount,
                line_multiplier=multiplier,
                citation=f"{CIRCULAR_28_2018}, sửa đổi bởi Thông tư số {number}",
                wording=wording,
                refuse=True,
                per_establishment_year=per_establishment,
                regulation=regulation,
            ),
        )
    for number, activity, since in ACTIVITY_PERIODS:
        ActivityPeriod.objects.get_or_create(
            activity=activity, available_from=since, defaults={"regulation": regulations[number]}
        )


def ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion) -> None:
    """Create the default rules once (models passed in so a migration can call it too)."""
    ensure_national_rules(CeilingRule._meta.apps)
    scheme, created = AppraisalScheme.objects.get_or_create(
        effective_from=SCHEME_FROM, defaults={"name": SCHEME_NAME}
    )
    if created:
        for order, kind, label, points, full_at in CRITERIA:
            AppraisalCriterion.objects.create(
                scheme=scheme, order=order, kind=kind, label=label, max_points=points, full_at=full_at
            )
    ensure_priority_scheme(CeilingRule._meta.apps)
