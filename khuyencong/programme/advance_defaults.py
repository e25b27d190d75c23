"""Demo defaults of the advance rules (shared/domain.md, Circular 36/2013/TT-BCT on national plans).

Loaded as data (a migration and the demo) and edited in the admin; code never reads these constants to
decide a payment — `programme.services.advance_rule` reads the `AdvanceRule` rows in force.
"""

import datetime
from decimal import Decimal

CIRCULAR_36_2013 = "Thông tư số 36/2013/TT-BCT"
CIRCULAR_36_2013_FROM = datetime.date(2014, 2, 10)

# activity, most that may be advanced (% of the approved support), only once the work done is over (%), wording
ADVANCES = [
    (
        "training",
        Decimal("70"),
        None,
        "Đề án đào tạo nghề, truyền nghề: tạm ứng tối đa 70 % kinh phí hỗ trợ được duyệt",
    ),
    (
        "consulting",
        Decimal("70"),
        None,
        "Đề án tư vấn, hỗ trợ (đầu tư, tiếp thị, xây dựng thương hiệu): tạm ứng tối đa 70 % kinh phí hỗ trợ được duyệt",
    ),
    (
        "cluster",
        Decimal("30"),
        Decimal("50"),
        "Hạ tầng cụm công nghiệp: tạm ứng tối đa 30 % kinh phí hỗ trợ khi khối lượng hoàn thành trên 50 %",
    ),
]


def ensure_advance_rules(AdvanceRule) -> None:
    """Create the default advance rules once (the model passed in so a migration can call it too)."""
    for activity, share, progress, wording in ADVANCES:
        AdvanceRule.objects.get_or_create(
            activity=activity,
            effective_from=CIRCULAR_36_2013_FROM,
            defaults=dict(
                max_share_percent=share,
                min_progress_percent=progress,
                citation=CIRCULAR_36_2013,
                wording=wording,
            ),
        )
