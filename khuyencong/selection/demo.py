"""Selection demo: the rubric, Cà Mau's 2024 round (decided), the South's 2025 region round, a live 2026 round,
and one product up the four levels of the 2025 rules (commune → province → region in a batch → national).

Repeatable: every record is found by its natural key before being created. No certified result is created
for 2016–2023 (the imported history covers those years).
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from khuyencong.geo.models import Region
from khuyencong.registry.models import Product

from .models import (
    Assignment,
    Certificate,
    Conflict,
    CouncilMember,
    Criterion,
    Dossier,
    DossierDocument,
    Result,
    Round,
    RoundStatus,
    RubricVersion,
)

RUBRIC = (
    "TN-2023",
    "Khung điểm bình chọn SPCNNT tiêu biểu (theo khung Thái Nguyên 2023)",
    datetime.date(2023, 3, 1),
    "Khung tiêu chí và thang điểm công bố năm 2023: a = 40, b = 40, c = 10, d = 10",
)
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

# product, score, prize
RESULTS_2024 = [
    ("SP-001", "88.50", "A"),
    ("SP-004", "86.00", "A"),
    ("SP-002", "82.25", "B"),
    ("SP-005", "80.00", "B"),
    ("SP-003", "76.50", "C"),
    ("SP-006", "74.00", "C"),
]
RESULTS_2025 = [
    ("SP-001", "85.75", True),
    ("SP-004", "83.00", True),
    ("SP-002", "76.50", False),
    ("SP-005", "72.00", False),
]

EXTRA_PRODUCTS = [
    (
        "SP-009",
        "CM-001",
        "Mực một nắng Sông Đốc",
        "agro_processing",
        "Mực câu tươi phơi một nắng, hút chân không.",
    ),
    ("SP-010", "CM-002", "Mắm tôm chua Đầm Dơi", "agro_processing", "Tôm đất, đu đủ, riềng tỏi; ủ 30 ngày."),
    (
        "SP-011",
        "CM-006",
        "Thảm lác Thới Bình",
        "handicraft",
        "Thảm trải sàn đan từ cây lác, nhuộm màu tự nhiên.",
    ),
    (
        "SP-012",
        "CM-001",
        "Chả cá thác lác Sông Đốc",
        "agro_processing",
        "Cá thác lác nuôi tại chỗ, quết tay, đóng gói hút chân không, bảo quản lạnh.",
    ),
]

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png(color=(200, 120, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, format="PNG")
    return buffer.getvalue()


def rubric() -> RubricVersion:
    code, name, effective, source = RUBRIC
    version, _ = RubricVersion.objects.get_or_create(
        code=code, defaults={"name": name, "effective_from": effective, "source": source}
    )
    for order, (group, ccode, title, maximum) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            rubric=version,
            code=ccode,
            defaults={"group": group, "title": title, "max_points": Decimal(maximum), "order": order},
        )
    return version


def _doc(dossier, kind, name, content, user):
    if dossier.documents.filter(kind=kind).exists():
        return
    doc = DossierDocument(dossier=dossier, kind=kind)
    doc.attach(ContentFile(content, name=name), user)
    doc.save()


def load(ctx):
    users, products = ctx["users"], ctx["products"]
    say = ctx.get("say", lambda m: None)
    province = ctx["province"]
    officer, admin = users["sct.camau"], users["admin"]
    version = rubric()
    south = Region.objects.filter(code="south").first()
    for code, est, name, group, desc in EXTRA_PRODUCTS:
        products[code], _ = Product.objects.get_or_create(
            code=code,
            defaults=dict(establishment=ctx["establishments"][est], name=name, group=group, description=desc),
        )

    # 1. Cà Mau province round 2024, decided; A and B go on to the region.
    r2024, _ = Round.objects.get_or_create(
        code="CM-T-2024",
        defaults=dict(
            year=2024,
            level="province",
            title="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Cà Mau năm 2024",
            province=province,
            rubric=version,
            status=RoundStatus.DECIDED,
            registration_opens=datetime.date(2024, 5, 2),
            registration_closes=datetime.date(2024, 7, 31),
            scoring_opens=datetime.date(2024, 8, 15),
            scoring_closes=datetime.date(2024, 9, 15),
            grades_prizes=True,
            advance_prizes="A,B",
            certificate_validity_months=36,
            decision_no="2145/QĐ-UBND",
            decision_date=datetime.date(2024, 10, 15),
            decision_signer="Lâm Văn Bi, Phó Chủ tịch UBND tỉnh",
            scores_locked=True,
        ),
    )
    results_2024 = {}
    for seq, (code, score, prize) in enumerate(RESULTS_2024, start=1):
        product = products[code]
        dossier, _ = Dossier.objects.get_or_create(
            round=r2024,
            product=product,
            defaults=dict(
                establishment=product.establishment,
                status="certified",
                selected=True,
                prize=prize,
                summary=product.description or product.name,
                submitted_at=timezone.make_aware(datetime.datetime(2024, 7, 20, 9)),
                registered_by=officer,
            ),
        )
        result, _ = Result.objects.get_or_create(
            round=r2024,
            product=product,
            defaults=dict(
                dossier=dossier,
                score=Decimal(score),
                certified=True,
                prize=prize,
                certificate_no=f"CM-T-2024-{seq:03d}",
                decision_no=r2024.decision_no,
                decision_date=r2024.decision_date,
            ),
        )
        Certificate.objects.get_or_create(
            result=result,
            defaults=dict(
                number=result.certificate_no,
                issued_on=r2024.decision_date,
                valid_until=datetime.date(2027, 10, 15),
                signer=r2024.decision_signer,
            ),
        )
        results_2024[code] = result

    # 2. South region round 2025 on the province winners (A and B).
    r2025, _ = Round.objects.get_or_create(
        code="KV-NAM-2025",
        defaults=dict(
            year=2025,
            level="region",
            title="Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Nam năm 2025",
            region=south,
            rubric=version,
            status=RoundStatus.DECIDED,
            registration_opens=datetime.date(2025, 3, 1),
            registration_closes=datetime.date(2025, 5, 31),
            certificate_validity_months=36,
            decision_no="512/QĐ-BCT",
            decision_date=datetime.date(2025, 9, 20),
            decision_signer="Cục Công Thương địa phương",
            scores_locked=True,
        ),
    )
    for seq, (code, score, certified) in enumerate(RESULTS_2025, start=1):
        product = products[code]
        dossier, _ = Dossier.objects.get_or_create(
            round=r2025,
            product=product,
            defaults=dict(
                establishment=product.establishment,
                status="certified" if certified else "not_passed",
                selected=certified,
                summary=product.description or product.name,
                nominated_from=results_2024[code],
                registered_by=officer,
                submitted_at=timezone.make_aware(datetime.datetime(2025, 4, 2, 9)),
            ),
        )
        result, _ = Result.objects.get_or_create(
            round=r2025,
            product=product,
            defaults=dict(
                dossier=dossier,
                score=Decimal(score),
                certified=certified,
                certificate_no=f"KV-NAM-2025-{seq:03d}" if certified else "",
                decision_no=r2025.decision_no,
                decision_date=r2025.decision_date,
            ),
        )
        if certified:
            Certificate.objects.get_or_create(
                result=result,
                defaults=dict(
                    number=result.certificate_no,
                    issued_on=r2025.decision_date,
                    valid_until=datetime.date(2028, 9, 20),
                    signer=r2025.decision_signer,
                ),
            )

    # 3. The live 2026 Cà Mau round, open for registration, and the South's 2027 round open for nominations.
    today = timezone.localdate()
    r2026, _ = Round.objects.get_or_create(
        code="CM-T-2026",
        defaults=dict(
            year=2026,
            level="province",
            title="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Cà Mau năm 2026",
            province=province,
            rubric=version,
            status=RoundStatus.REGISTRATION,
            registration_opens=today - datetime.timedelta(days=25),
            registration_closes=today + datetime.timedelta(days=20),
            scoring_opens=today + datetime.timedelta(days=21),
            scoring_closes=today + datetime.timedelta(days=35),
            decision_due=today + datetime.timedelta(days=50),
            quota=10,
            grades_prizes=True,
            advance_prizes="A,B",
            certificate_validity_months=36,
        ),
    )
    Round.objects.get_or_create(
        code="KV-NAM-2027",
        defaults=dict(
            year=2027,
            level="region",
            title="Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Nam năm 2027",
            region=south,
            rubric=version,
            status=RoundStatus.REGISTRATION,
            registration_opens=today - datetime.timedelta(days=5),
            registration_closes=today + datetime.timedelta(days=120),
            certificate_validity_months=36,
        ),
    )
    seats = {}
    council = [
        ("giamkhao1", "chair"),
        ("giamkhao2", "member"),
        ("giamkhao3", "member"),
        ("sct.camau", "secretary"),
    ]
    for username, seat_role in council:
        seats[username], _ = CouncilMember.objects.get_or_create(
            round=r2026, user=users[username], defaults={"role": seat_role}
        )
    live = [
        (
            "SP-007",
            "eligible",
            "",
            "HTX Đan lát Lác Thới Bình: giỏ lác nhiều kích cỡ, 60 lao động nữ tại địa phương.",
        ),
        ("SP-010", "submitted", "", "Mắm tôm chua theo công thức truyền thống Đầm Dơi, đạt chứng nhận ATTP."),
        (
            "SP-011",
            "returned",
            "Bổ sung ảnh sản phẩm và giấy chứng nhận hộ kinh doanh còn hiệu lực.",
            "Thảm lác nhuộm màu tự nhiên, bán tại chợ nổi và cửa hàng lưu niệm.",
        ),
        (
            "SP-009",
            "draft",
            "",
            "Mực câu Sông Đốc phơi một nắng, đóng gói hút chân không, bán tại Co.opmart.",
        ),
    ]
    for code, status, note, summary in live:
        product = products[code]
        registrant = users["coso.khomuc"] if code == "SP-009" else officer
        dossier, created = Dossier.objects.get_or_create(
            round=r2026,
            product=product,
            defaults=dict(
                establishment=product.establishment,
                status=status,
                summary=summary,
                screening_note=note,
                annual_revenue=1_850_000_000 if code == "SP-009" else 620_000_000,
                workers=product.establishment.workers,
                markets=product.establishment.markets,
                registered_by=registrant,
                submitted_at=None if status == "draft" else timezone.now() - datetime.timedelta(days=3),
            ),
        )
        _doc(dossier, "registration_form", "phieu-dang-ky.pdf", TINY_PDF, registrant)
        if status in ("eligible", "submitted"):
            _doc(dossier, "photo", "anh-san-pham.png", _png(), registrant)
        if status == "eligible":
            for username in ("giamkhao1", "giamkhao2", "giamkhao3"):
                Assignment.objects.get_or_create(member=seats[username], dossier=dossier)
            Conflict.objects.get_or_create(
                member=seats["giamkhao3"],
                dossier=dossier,
                defaults={
                    "reason": "Là cán bộ Liên minh HTX trực tiếp tư vấn thành lập HTX Đan lát Lác Thới Bình"
                },
            )
    _four_levels(ctx, products["SP-012"])
    from . import demo_judging

    demo_judging.load(
        ctx, version
    )  # a round approved two days ago: the judging diagnostic, an appeal pending
    say(
        f"Selection: {Round.objects.count()} rounds, {Dossier.objects.count()} dossiers, {Certificate.objects.count()} certificates"  # noqa: E501
    )
    _ = admin


# --- one product up the four levels of the 2025 rules, each run by its own organiser ----------------------


def _decide(round_, product, *, score, number, signer, on):
    """Record a level's outcome for the product's carried-over dossier (the council's work is not replayed)."""
    dossier = round_.dossiers.get(product=product)
    if dossier.status != "certified":
        Dossier.objects.filter(pk=dossier.pk).update(status="certified", selected=True)
    result, _ = Result.objects.get_or_create(
        round=round_,
        product=product,
        defaults=dict(
            dossier=dossier,
            score=Decimal(score),
            certified=True,
            certificate_no=number,
            decision_no=round_.decision_no,
            decision_date=round_.decision_date,
        ),
    )
    Certificate.objects.get_or_create(
        result=result,
        defaults=dict(number=number, issued_on=on, valid_until=on.replace(year=on.year + 3), signer=signer),
    )
    return result


def _level_round(code, *, organiser, registration, **fields):
    """A round of the 2025 rules, created open for registration (`_close` records its decision once the
    winners of the level below were carried in; a second run finds it as it was left)."""
    from .selectors import rule_set_in_force

    round_, created = Round.objects.get_or_create(
        code=code,
        defaults=dict(
            rubric=RubricVersion.objects.filter(code="PL4-TT26-2025").first() or rubric(),
            rule_set=rule_set_in_force(registration[0]),
            organiser=organiser,
            status=RoundStatus.REGISTRATION,
            registration_opens=registration[0],
            registration_closes=registration[1],
            certificate_validity_months=36,
            **fields,
        ),
    )
    return round_, created


def _close(round_, decided):
    if round_.status == RoundStatus.DECIDED:
        return
    round_.decision_no, round_.decision_date, round_.decision_signer = decided
    round_.status, round_.scores_locked = RoundStatus.DECIDED, True
    round_.save()


def _four_levels(ctx, product):
    """Chả cá thác lác Sông Đốc: the commune round of xã Sông Đốc (its commune officer), Cà Mau's province round
    (the province's officer), the South's region round (the national organiser, the province's batch with its
    letter, 30 working days across Tết 2026) and the 2027 national round (nominated by the organiser). Each hop
    is the nomination service: the dossier and its papers are carried over, nothing retyped."""
    from khuyencong.geo.models import Commune

    from . import services

    users = ctx["users"]
    commune_officer, officer = users["xa.songdoc"], users["sct.camau"]
    organiser = users.get("cuc.khuyencong") or users["admin"]
    today = timezone.localdate()
    south = Region.objects.filter(code="south").first()
    commune = Commune.objects.filter(pk=32098).first()
    if south is None or commune is None:
        return

    xa, _ = _level_round(
        "XA-SD-2025",
        organiser="commune_officer",
        registration=(datetime.date(2025, 8, 1), datetime.date(2025, 8, 31)),
        year=2025,
        level="commune",
        title="Bình chọn sản phẩm CNNT tiêu biểu xã Sông Đốc năm 2025",
        province=ctx["province"],
        commune=commune,
    )
    dossier, _ = Dossier.objects.get_or_create(
        round=xa,
        product=product,
        defaults=dict(
            establishment=product.establishment,
            status="submitted",
            summary="Chả cá thác lác Sông Đốc: cá nuôi tại chỗ, quết tay theo cách làm truyền thống, không hàn the.",
            annual_revenue=1_240_000_000,
            workers=18,
            markets="Cà Mau, Bạc Liêu, Cần Thơ; cửa hàng OCOP tỉnh",
            registered_by=users["coso.khomuc"],
            submitted_at=timezone.make_aware(datetime.datetime(2025, 8, 20, 9)),
        ),
    )
    _doc(dossier, "registration_form", "phieu-dang-ky.pdf", TINY_PDF, users["coso.khomuc"])
    _doc(dossier, "photo", "cha-ca.png", _png((230, 200, 160)), users["coso.khomuc"])
    _close(xa, ("45/QĐ-UBND", datetime.date(2025, 9, 30), "Chủ tịch UBND xã Sông Đốc"))
    _decide(
        xa, product, score="87.25", number="XA-SD-2025-001", signer="UBND xã Sông Đốc", on=xa.decision_date
    )

    tinh, created = _level_round(
        "CM-T-2025",
        organiser="province_officer",
        registration=(datetime.date(2025, 10, 1), today + datetime.timedelta(days=30)),
        year=2025,
        level="province",
        title="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Cà Mau năm 2025 (đợt 2)",
        province=ctx["province"],
    )
    if created:
        services.nominate(user=commune_officer, source=xa, target=tinh)
    _close(tinh, ("3120/QĐ-UBND", datetime.date(2025, 12, 10), "Phó Chủ tịch UBND tỉnh Cà Mau"))
    Round.objects.filter(pk=tinh.pk).update(registration_closes=datetime.date(2025, 11, 15))
    _decide(
        tinh, product, score="85.50", number="CM-T-2025-101", signer="UBND tỉnh Cà Mau", on=tinh.decision_date
    )

    kv, created = _level_round(
        "KV-NAM-2026",
        organiser="national_organiser",
        registration=(datetime.date(2026, 1, 5), today + datetime.timedelta(days=30)),
        year=2026,
        level="region",
        title="Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Nam năm 2026",
        region=south,
    )
    if created:
        [carried] = services.nominate(
            user=officer,
            source=tinh,
            target=kv,
            result_ids=list(tinh.results.filter(product=product).values_list("pk", flat=True)),
        )
        batch = carried.batch
        services.update_batch(
            user=officer,
            batch=batch,
            data={"letter_no": "152/UBND-KT", "letter_date": datetime.date(2026, 1, 14)},
            letter=ContentFile(TINY_PDF, name="cong-van-152-UBND-KT.pdf"),
        )
        services.submit_batch(user=officer, batch=batch)
        # sent on Thursday 15 January 2026: the 30 working days run across Tết Bính Ngọ (16–20 Feb)
        type(batch).objects.filter(pk=batch.pk).update(
            submitted_at=timezone.make_aware(datetime.datetime(2026, 1, 15, 9, 30))
        )
        batch.refresh_from_db()
        services.accept_batch(user=organiser, batch=batch)
    _close(
        kv, ("215/QĐ-BCT", datetime.date(2026, 3, 4), "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")
    )
    Round.objects.filter(pk=kv.pk).update(registration_closes=datetime.date(2026, 1, 31))
    _decide(
        kv, product, score="84.00", number="KV-NAM-2026-007", signer="Bộ Công Thương", on=kv.decision_date
    )

    qg, created = _level_round(
        "QG-2027",
        organiser="national_organiser",
        registration=(today - datetime.timedelta(days=10), today + datetime.timedelta(days=90)),
        year=2027,
        level="national",
        title="Bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia năm 2027",
    )
    if created:
        services.nominate(user=organiser, source=kv, target=qg)
