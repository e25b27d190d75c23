"""The official selection data a fresh install needs: the rule sets in force by date (Circular 26/2014/TT-BCT,
then as amended by 38/2025/TT-BCT from 1 July 2025) and the official score sheet (Annex 4: 40/40/10/10 with its
sub-criteria). Loaded with the schema (migration 0010) and again by `load(apps)` wherever a database was emptied
(a transactional test); editable in the admin afterwards, a round keeping the versions it started with."""

import datetime
from decimal import Decimal

from django.apps import apps as django_apps

RULE_SETS = [
    {
        "code": "TT26-2014",
        "name": "Thông tư 26/2014/TT-BCT về tổ chức bình chọn sản phẩm CNNT tiêu biểu",
        "effective_from": datetime.date(2014, 10, 15),
        "source": "Thông tư 26/2014/TT-BCT ngày 28/8/2014, sửa đổi bởi Thông tư 14/2018/TT-BCT",
        "levels": ["district", "province", "region", "national"],
        "organisers": {
            "district": "province_officer",
            "province": "province_officer",
            "region": "national_organiser",
            "national": "national_organiser",
        },
    },
    {
        "code": "TT26-2014-SD-2025",
        "name": "Thông tư 26/2014/TT-BCT sửa đổi bởi Thông tư 38/2025/TT-BCT (chính quyền hai cấp)",
        "effective_from": datetime.date(2025, 7, 1),
        "source": "Văn bản hợp nhất 46/VBHN-BCT ngày 13/10/2025 (Thông tư 26/2014, 14/2018, 38/2025)",
        "levels": ["commune", "province", "region", "national"],
        "organisers": {
            "commune": "commune_officer",
            "province": "province_officer",
            "region": "national_organiser",
            "national": "national_organiser",
        },
    },
]
DEFAULTS = {
    "direct_entry": False,
    "min_sheets": None,
    "certificate_validity_months": 36,
    "appeal_days": 10,
    "region_working_days": 30,
}

SCORE_SHEET = {
    "code": "PL4-TT26-2025",
    "name": "Phiếu chấm điểm sản phẩm CNNT tiêu biểu (Phụ lục 4, Thông tư 26/2014/TT-BCT, sửa đổi năm 2025)",
    "effective_from": datetime.date(2025, 7, 1),
    "source": "Phụ lục 4 Thông tư 26/2014/TT-BCT (VBHN 46/VBHN-BCT): a = 40, b = 40, c = 10, d = 10",
}
CRITERIA = [
    ("a", "a1", "Doanh thu và hiệu quả sản xuất, kinh doanh", 15),
    ("a", "a2", "Thị trường tiêu thụ (trong tỉnh, ngoài tỉnh, xuất khẩu)", 15),
    ("a", "a3", "Khả năng mở rộng quy mô, sản xuất hàng loạt", 10),
    ("b", "b1", "Chất lượng sản phẩm, tiêu chuẩn áp dụng", 10),
    ("b", "b2", "Công nghệ, thiết bị sản xuất", 10),
    ("b", "b3", "Tạo việc làm, thu nhập cho lao động nông thôn", 8),
    ("b", "b4", "Sử dụng nguyên liệu tại chỗ", 6),
    ("b", "b5", "Bảo vệ môi trường, an toàn lao động", 6),
    ("c", "c1", "Kiểu dáng, thiết kế", 4),
    ("c", "c2", "Bao bì, nhãn mác", 3),
    ("c", "c3", "Bản sắc văn hóa địa phương", 3),
    ("d", "d1", "Thương hiệu, nhãn hiệu được bảo hộ", 4),
    ("d", "d2", "Giải thưởng, chứng nhận đã đạt (OCOP, ISO ...)", 3),
    ("d", "d3", "Tiêu chí khác (tính mới, sáng tạo)", 3),
]


def load(apps=None, schema_editor=None):
    """Create what is missing (repeatable); `apps` is the migration's registry, or the project's."""
    apps = apps or django_apps
    RuleSet = apps.get_model("selection", "RuleSet")
    RubricVersion = apps.get_model("selection", "RubricVersion")
    Criterion = apps.get_model("selection", "Criterion")
    for data in RULE_SETS:
        RuleSet.objects.get_or_create(code=data["code"], defaults={**DEFAULTS, **data})
    sheet, created = RubricVersion.objects.get_or_create(
        code=SCORE_SHEET["code"], defaults={**SCORE_SHEET, "aggregation": "mean"}
    )
    if created:
        for order, (group, code, title, maximum) in enumerate(CRITERIA):
            Criterion.objects.create(
                rubric=sheet, group=group, code=code, title=title, max_points=Decimal(maximum), order=order
            )
