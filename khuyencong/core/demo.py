"""Realistic demo data for one province (Cà Mau), repeatable: a second run changes nothing.

Each area adds its own demo records in `khuyencong/<app>/demo.py` with a `load(ctx)` function;
`ctx` carries the users and records created before it (see DEMO_AREAS for the order).
"""

import datetime
from importlib import import_module

from django.contrib.auth import get_user_model
from django.db import transaction

from khuyencong.accounts.models import Role
from khuyencong.core.months import add_months
from khuyencong.geo.models import Province
from khuyencong.geo.services import load_places
from khuyencong.registry.models import (
    Establishment,
    OcopRating,
    Product,
    ProductCertification,
    ocop_level_for,
)

DEMO_PASSWORD = "demo-khuyencong"

# (username, full name, role, province, commune, establishment code, superuser)
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", Role.ADMIN, None, None, None, True),
    ("sct.camau", "Trần Thị Thu (Sở Công Thương Cà Mau)", Role.PROVINCE_OFFICER, 96, None, None, False),
    ("xa.songdoc", "Lê Văn Bình (UBND xã Sông Đốc)", Role.COMMUNE_OFFICER, 96, 32098, None, False),
    ("giamkhao1", "Phạm Minh Chánh (Sở Khoa học và Công nghệ)", Role.JUDGE, 96, None, None, False),
    ("giamkhao2", "Nguyễn Thị Hồng (Hội Liên hiệp Phụ nữ)", Role.JUDGE, 96, None, None, False),
    ("giamkhao3", "Võ Văn Kiệt (Liên minh Hợp tác xã)", Role.JUDGE, 96, None, None, False),
    (
        "coso.khomuc",
        "Huỳnh Văn Sáu (Công ty Khô mực Sông Đốc)",
        Role.ESTABLISHMENT,
        96,
        32098,
        "CM-001",
        False,
    ),
    (
        "coso.tomsach",
        "Phan Thị Hoa (Hợp tác xã Tôm sạch Đầm Dơi)",
        Role.ESTABLISHMENT,
        96,
        32152,
        "CM-002",
        False,
    ),
    ("bo.cuc", "Cục Công Thương địa phương (Bộ Công Thương)", Role.VIEWER, None, None, None, False),
    (
        "cuc.khuyencong",
        "Nguyễn Văn Quốc (Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công)",
        Role.NATIONAL_ORGANISER,
        None,
        None,
        None,
        False,
    ),
    ("sct.cantho", "Đỗ Thanh Hải (Sở Công Thương Cần Thơ)", Role.PROVINCE_OFFICER, 92, None, None, False),
]


def tax_code(prefix: str) -> str:
    """A valid 10-digit tax code from 9 digits (the 10th is the check digit)."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    for bump in range(100):
        base = str(int(prefix) + bump).zfill(9)[:9]
        check = 10 - sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
        if check < 10:
            return base + str(check)
    raise ValueError(prefix)


# code, name, kind, tax prefix, province, commune, legacy province, legacy district, address, phone, workers, founded, industry, description, markets  # noqa: E501
ESTABLISHMENTS = [
    (
        "CM-001",
        "Công ty TNHH Khô mực Sông Đốc",
        "enterprise",
        "200123456",
        96,
        32098,
        96,
        968,
        "Ấp Cơ Khí, xã Sông Đốc",
        "0290 3851 234",
        45,
        2009,
        "Chế biến thủy sản",
        "Khô mực câu Sông Đốc, phơi nắng tự nhiên, không chất bảo quản.",
        "Co.opmart, Bách Hóa Xanh; xuất khẩu Hàn Quốc",
    ),
    (
        "CM-002",
        "Hợp tác xã Tôm sạch Đầm Dơi",
        "cooperative",
        "200234567",
        96,
        32152,
        96,
        None,
        "Ấp Tân Long, xã Đầm Dơi",
        "0290 3855 678",
        32,
        2015,
        "Chế biến thủy sản",
        "Tôm khô, chà bông tôm từ tôm nuôi quảng canh sinh thái.",
        "Lotte Mart; đại lý tại TP. Hồ Chí Minh",
    ),
    (
        "CM-003",
        "Hộ kinh doanh Nguyễn Văn Tài",
        "household",
        "200345678",
        96,
        32065,
        96,
        967,
        "Ấp 7, xã Thới Bình",
        "0913 456 789",
        8,
        2012,
        "Cơ khí",
        "Chế tạo máy cho tôm ăn tự động, tiết kiệm 30 % thức ăn.",
        "Đại lý vật tư thủy sản Cà Mau, Bạc Liêu, Sóc Trăng",
    ),
    (
        "CM-004",
        "Cơ sở Bánh phồng tôm Năm Căn",
        "household",
        "200456789",
        96,
        32191,
        96,
        None,
        "Khóm 2, xã Năm Căn",
        "0290 3877 111",
        15,
        2005,
        "Chế biến thực phẩm",
        "Bánh phồng tôm truyền thống, 40 % tôm tươi.",
        "Siêu thị Co.opmart; chợ đầu mối Bình Điền",
    ),
    (
        "CM-005",
        "Công ty Cổ phần Muối tôm Bạc Liêu",
        "enterprise",
        "190567890",
        96,
        31825,
        95,
        954,
        "Phường Bạc Liêu",
        "0291 3822 333",
        20,
        2014,
        "Chế biến thực phẩm",
        "Muối tôm, muối ớt tôm đặc sản Bạc Liêu.",
        "Bách Hóa Xanh",
    ),
    (
        "CM-006",
        "Hợp tác xã Đan lát Lác Thới Bình",
        "cooperative",
        "200678901",
        96,
        32065,
        96,
        967,
        "Ấp 2, xã Thới Bình",
        "0290 3860 222",
        60,
        2017,
        "Thủ công mỹ nghệ",
        "Giỏ, túi, thảm đan từ cây lác.",
        "Xuất khẩu Nhật Bản qua đối tác",
    ),
    (
        "CT-001",
        "Công ty TNHH Bánh tráng Thuận Hưng",
        "enterprise",
        "180789012",
        92,
        31135,
        None,
        None,
        "Phường Ninh Kiều",
        "0292 3811 444",
        25,
        2010,
        "Chế biến thực phẩm",
        "Bánh tráng, bánh phồng.",
        "",
    ),
]

# code, establishment code, name, group, description
PRODUCTS = [
    ("SP-001", "CM-001", "Khô mực câu Sông Đốc", "agro_processing", "Mực câu tươi, phơi khô tự nhiên."),
    ("SP-002", "CM-002", "Tôm khô Đầm Dơi", "agro_processing", "Tôm sú, tôm thẻ nuôi sinh thái, sấy khô."),
    ("SP-003", "CM-002", "Chà bông tôm", "agro_processing", "Tôm khô xé sợi, tẩm gia vị."),
    (
        "SP-004",
        "CM-003",
        "Máy cho tôm ăn tự động",
        "machinery",
        "Hẹn giờ, điều chỉnh lượng thức ăn, dùng điện lưới hoặc năng lượng mặt trời.",
    ),
    (
        "SP-005",
        "CM-004",
        "Bánh phồng tôm Năm Căn",
        "agro_processing",
        "Bánh phồng tôm 40 % tôm tươi, đóng gói 500 g.",
    ),
    ("SP-006", "CM-005", "Muối tôm Bạc Liêu", "agro_processing", "Muối hạt, tôm khô, ớt."),
    ("SP-007", "CM-006", "Giỏ lác Thới Bình", "handicraft", "Giỏ đan thủ công từ cây lác."),
    ("SP-008", "CT-001", "Bánh tráng Thuận Hưng", "agro_processing", "Bánh tráng gạo."),
]

# legal representatives named on the establishments' pages
REPRESENTATIVES = {
    "CM-001": "Huỳnh Văn Sáu",
    "CM-002": "Phan Thị Hoa",
    "CM-003": "Nguyễn Văn Tài",
    "CM-004": "Lâm Thị Năm",
    "CM-005": "Trương Minh Đức",
    "CM-006": "Dương Thị Lan",
    "CT-001": "Lê Thuận Hưng",
}

DEMO_AREAS = ["programme", "national", "selection", "documents", "interchange", "outreach", "catalogue"]


@transaction.atomic
def load_demo(stdout=None) -> dict:
    def say(msg):
        if stdout:
            stdout.write(msg)

    counts = load_places()
    say(
        f"Places: {counts['provinces']} provinces, {counts['communes']} communes, "
        f"{counts['legacy_provinces']} former provinces, {counts['legacy_districts']} former districts"
    )

    establishments = {}
    for (
        code,
        name,
        kind,
        tax,
        province,
        commune,
        lp,
        ld,
        address,
        phone,
        workers,
        founded,
        industry,
        desc,
        markets,
    ) in ESTABLISHMENTS:
        est, _ = Establishment.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=kind,
                tax_code=tax_code(tax),
                province_id=province,
                commune_id=commune,
                legacy_province_id=lp,
                legacy_district_id=ld,
                address=address,
                phone=phone,
                workers=workers,
                founded=founded,
                industry=industry,
                description=desc,
                markets=markets,
                representative=REPRESENTATIVES.get(code, ""),
            ),
        )
        establishments[code] = est
    products = {}
    for code, est, name, group, desc in PRODUCTS:
        products[code], _ = Product.objects.get_or_create(
            code=code,
            defaults=dict(establishment=establishments[est], name=name, group=group, description=desc),
        )
    # OCOP ratings (the sister programme): one current 4★, one 3★ close to its expiry (the reminder shows), one 5★
    today = datetime.date.today()
    for code, stars, number, decided in [
        ("SP-001", 4, "OCOP-CM-2023-012", datetime.date(2024, 3, 15)),
        ("SP-005", 3, "1205/QĐ-UBND", add_months(today, -36) + datetime.timedelta(days=20)),
        ("SP-002", 5, "2210/QĐ-BNN-KTHT", datetime.date(2025, 11, 20)),
    ]:
        if code in products:
            OcopRating.objects.get_or_create(
                product=products[code],
                decision_no=number,
                defaults=dict(
                    stars=stars,
                    level=ocop_level_for(stars),
                    decision_date=decided,
                    valid_until=add_months(decided, 36),
                ),
            )
    ProductCertification.objects.get_or_create(
        product=products["SP-005"],
        kind="food_safety",
        name="Giấy chứng nhận cơ sở đủ điều kiện ATTP",
        defaults=dict(issuer="Sở Y tế Cà Mau", number="ATTP-145/2024"),
    )

    User = get_user_model()
    users = {}
    for username, full_name, role, province, commune, est_code, superuser in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _, last = full_name.partition(" (")[0].rpartition(" ")
            user = User(
                username=username,
                first_name=last,
                last_name=first,
                role=role,
                province_id=province,
                commune_id=commune,
                establishment=establishments.get(est_code),
                is_superuser=superuser,
                is_staff=superuser,
                email=f"{username}@example.vn",
                organisation=full_name.partition(" (")[2].rstrip(")"),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user

    ctx = {
        "users": users,
        "establishments": establishments,
        "products": products,
        "province": Province.objects.get(code=96),
        "say": say,
    }
    for area in DEMO_AREAS:
        try:
            module = import_module(f"khuyencong.{area}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"khuyencong.{area}.demo":
                raise
            continue
        module.load(ctx)
    say(
        f"Establishments: {Establishment.objects.count()}, products: {Product.objects.count()}, users: {User.objects.count()}"  # noqa: E501
    )
    return ctx
