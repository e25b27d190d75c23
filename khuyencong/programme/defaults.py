"""Demo defaults of the configurable rules (shared/domain.md): Circular 28/2018/TT-BTC ceilings and
the seed department's appraisal checklist and priority points. They are loaded as data (migration
0003 and the demo) and edited in the admin; code never reads these constants to decide."""

import datetime
from decimal import Decimal

CIRCULAR_28_2018 = "Thông tư số 28/2018/TT-BTC"
CIRCULAR_28_2018_FROM = datetime.date(2018, 5, 12)

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


def ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion) -> None:
    """Create the default rules once (models passed in so a migration can call it too)."""
    for activity, share, amount, multiplier, per_establishment, wording in CEILINGS:
        CeilingRule.objects.get_or_create(
            activity=activity,
            effective_from=CIRCULAR_28_2018_FROM,
            defaults=dict(
                max_share_percent=share,
                max_amount=amount,
                line_multiplier=multiplier,
                citation=CIRCULAR_28_2018,
                wording=wording,
                refuse=True,
                per_establishment_year=per_establishment,
            ),
        )
    scheme, created = AppraisalScheme.objects.get_or_create(
        effective_from=SCHEME_FROM, defaults={"name": SCHEME_NAME}
    )
    if created:
        for order, kind, label, points, full_at in CRITERIA:
            AppraisalCriterion.objects.create(
                scheme=scheme, order=order, kind=kind, label=label, max_points=points, full_at=full_at
            )
