"""A synthetic dataset at the scale of a province or of the whole country, for benchmarks and capacity tests.

`build(scale="national")` writes, with raw bulk inserts (auditlog off), establishments, products, projects
2016–2025, selection rounds, results and certificates shaped like real data: Vietnamese names, places
that exist (a commune of the record's province, a former province that became part of it), every
denormalised field filled as the services and imports fill it (`search_text` folded, the catalogue read
model rebuilt). The same seed gives the same records.
"""

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from khuyencong.core.text import fold

CODE_PREFIX = "SY"


@dataclass(frozen=True)
class Scale:
    provinces: int
    establishments: int
    products: int
    projects: int
    province_rounds_per_year: int
    results: int


SCALES = {
    # 34 provinces × 10 years of province rounds + 10 national + 10 region rounds = 360 rounds.
    "national": Scale(
        provinces=34,
        establishments=300_000,
        products=600_000,
        projects=150_000,
        province_rounds_per_year=1,
        results=40_000,
    ),
    "province": Scale(
        provinces=1,
        establishments=9_000,
        products=18_000,
        projects=4_500,
        province_rounds_per_year=1,
        results=1_200,
    ),
    "tiny": Scale(
        provinces=3, establishments=300, products=600, projects=150, province_rounds_per_year=1, results=120
    ),
}
YEARS = list(range(2016, 2026))
CERTIFICATES_FROM = 2019  # certificates are issued in the system from this year; older results are history

_FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
_MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Thanh", "Ngọc", "Quốc", "Đức", "Kim", "Xuân"]
_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
]
_FORMS = [
    ("household", "Hộ kinh doanh {person}"),
    ("household", "Cơ sở {craft} {person}"),
    ("cooperative", "Hợp tác xã {craft} {place}"),
    ("cooperative_group", "Tổ hợp tác {craft} {place}"),
    ("enterprise", "Công ty TNHH {craft} {place}"),
    ("enterprise", "Công ty cổ phần {craft} {place}"),
]
# (group, product names, craft of the establishment)
_CRAFTS = [
    (
        "agro_processing",
        [
            "Khô mực",
            "Khô cá sặc",
            "Tôm khô",
            "Mắm ba khía",
            "Nước mắm",
            "Bánh phồng tôm",
            "Mật ong",
            "Trà sen",
            "Cà phê bột",
            "Gạo thơm",
            "Bánh tráng",
            "Kẹo dừa",
            "Chả cá",
            "Nem chua",
        ],
        "Chế biến thực phẩm",
    ),
    (
        "handicraft",
        [
            "Chiếu cói",
            "Giỏ lục bình",
            "Nón lá",
            "Gốm men",
            "Tranh thêu",
            "Mây tre đan",
            "Đồ gỗ mỹ nghệ",
            "Lụa tơ tằm",
            "Sơn mài",
            "Khăn thổ cẩm",
        ],
        "Thủ công mỹ nghệ",
    ),
    (
        "machinery",
        ["Máy tách hạt", "Máy sấy nông sản", "Dao rèn", "Lưỡi cày", "Máy xay xát", "Bơm nước"],
        "Cơ khí",
    ),
    ("other", ["Phân hữu cơ", "Than sinh học", "Gạch không nung", "Túi vải"], "Sản xuất hàng tiêu dùng"),
]
_QUALIFIERS = ["", "", "đặc biệt", "loại 1", "truyền thống", "cao cấp", "hữu cơ", "túi 500g", "hộp quà"]
_STATUSES = ["settled"] * 12 + [
    "approved",
    "contracted",
    "in_progress",
    "accepted",
    "proposed",
    "appraised",
    "cancelled",
]
_ACTIVITIES = [
    "training",
    "management",
    "demo_model",
    "machinery",
    "product_dev",
    "fair",
    "consulting",
    "information",
    "cleaner",
    "cooperation",
]
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code(n: int) -> str | None:
    """A valid 10-digit tax code derived from n (None when the check digit would be 10)."""
    digits = [int(c) for c in f"{n:09d}"[-9:]]
    check = 10 - sum(d * w for d, w in zip(digits, _TAX_WEIGHTS, strict=True)) % 11
    return None if check == 10 else "".join(map(str, digits)) + str(check)


_MARKETS = ["", "Chợ địa phương", "Siêu thị Co.opmart, Bách Hóa Xanh", "Xuất khẩu Nhật Bản"]


def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0x41, 0x1EFA):
        ch = chr(code)
        folded = fold(ch)
        if folded != ch and len(folded) == 1:
            table[code] = folded
    return table


_FOLD = _fold_table()


def fast_fold(text: str) -> str:
    """`fold` for the NFC Vietnamese text built here (single spaces, no control characters), by one translate."""
    return text.translate(_FOLD)


class RawInsert:
    """Rows written with one `executemany` per batch (explicit ids from the table's current maximum)."""

    BATCH = 5000

    def __init__(self, model, fields: list[str], now):
        meta = model._meta
        qn = connection.ops.quote_name
        self.model = model
        columns = [meta.get_field(f.removesuffix("_id") if f != "id" else "id").column for f in fields]
        self.sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with connection.cursor() as cur:
            cur.execute(f"SELECT MAX({qn('id')}) FROM {qn(meta.db_table)}")
            self.next_id = (cur.fetchone()[0] or 0) + 1
        stamp = connection.ops.adapt_datetimefield_value(now)
        self.prefix = (stamp, stamp)
        self.rows: list[tuple] = []

    def date(self, value: dt.date):
        return connection.ops.adapt_datefield_value(value)

    def add(self, *values) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *self.prefix, *values))
        if len(self.rows) >= self.BATCH:
            self.flush()
        return pk

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cur:
                cur.executemany(self.sql, self.rows)
            self.rows = []


class AlreadyLoaded(Exception):
    pass


def build(*, scale: str = "national", seed: int = 13, stdout=None) -> dict:
    """Write the dataset; returns counts and timings. Refuses a database that already holds one."""
    from auditlog.context import disable_auditlog

    from khuyencong.geo.models import Commune, LegacyDistrict, LegacyProvince, Province, Region
    from khuyencong.geo.services import load_places
    from khuyencong.programme.models import Project
    from khuyencong.registry.models import Establishment, Product
    from khuyencong.selection.models import Certificate, Result, Round

    spec = SCALES[scale]
    rng = random.Random(seed)
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    if Establishment.objects.filter(code__startswith=f"{CODE_PREFIX}-").exists():
        raise AlreadyLoaded("A synthetic dataset is already in this database; use an empty one.")
    if not Province.objects.exists():
        load_places()
    timings: dict[str, float] = {}
    start = time.perf_counter()

    provinces = list(Province.objects.order_by("code"))
    if spec.provinces == 1:
        provinces = [p for p in provinces if p.code == 96] or provinces[:1]
    else:
        provinces = provinces[: spec.provinces]
    communes: dict[int, list[tuple[int, str]]] = {}
    for code, name, prov in Commune.objects.filter(province__in=provinces).values_list(
        "code", "name", "province_id"
    ):
        communes.setdefault(prov, []).append((code, name))
    legacy: dict[int, list[int]] = {}
    for code, succ in LegacyProvince.objects.filter(successor__in=provinces).values_list(
        "code", "successor_id"
    ):
        legacy.setdefault(succ, []).append(code)
    districts: dict[int, list[int]] = {}
    for code, lp in LegacyDistrict.objects.values_list("code", "legacy_province_id"):
        districts.setdefault(lp, []).append(code)
    # Provinces weighted unevenly, as real registries are (a large province holds several times a small one).
    weights = [1 + (i * 7919) % 5 for i in range(len(provinces))]

    now = timezone.now()
    with disable_auditlog(), transaction.atomic():
        # --- establishments ------------------------------------------------------------------------
        ests: list[
            tuple[int, int, int | None, int | None, int]
        ] = []  # (pk, province, commune, legacy, craft)
        writer = RawInsert(
            Establishment,
            [
                "id",
                "created_at",
                "updated_at",
                "code",
                "name",
                "kind",
                "tax_code",
                "industry",
                "province_id",
                "commune_id",
                "legacy_province_id",
                "legacy_district_id",
                "address",
                "phone",
                "email",
                "website",
                "representative",
                "workers",
                "founded",
                "description",
                "markets",
                "search_text",
            ],
            now,
        )
        tax_n = seed * 10_000_000
        for i in range(spec.establishments):
            province = rng.choices(provinces, weights)[0]
            commune_code, commune_name = rng.choice(communes[province.code])
            craft = rng.randrange(len(_CRAFTS))
            kind, pattern = rng.choice(_FORMS)
            person = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
            place = commune_name.split(" ", 1)[-1]
            industry = _CRAFTS[craft][2]
            name = pattern.format(
                person=person,
                craft=industry.lower() if "{craft} {person}" in pattern else industry,
                place=place,
            )
            lp = rng.choice(legacy.get(province.code, [None])) if rng.random() < 0.6 else None
            tax = None
            if kind != "household" or rng.random() < 0.3:
                while tax is None:
                    tax_n += 1
                    tax = tax_code(tax_n)
            code = f"{CODE_PREFIX}-{province.code:02d}-{i:06d}"
            address = f"Số {rng.randint(1, 300)}, ấp {rng.randint(1, 12)}, {commune_name}"
            district = rng.choice(districts[lp]) if lp and districts.get(lp) and rng.random() < 0.5 else None
            pk = writer.add(
                code,
                name,
                kind,
                tax,
                industry,
                province.code,
                commune_code,
                lp,
                district,
                address,
                f"0{rng.choice([28, 29, 90, 91, 93, 97])}{rng.randrange(10**7):07d}",
                f"coso{i}@example.vn" if rng.random() < 0.4 else "",
                "",
                person,
                rng.randint(1, 200),
                rng.randint(1980, 2024),
                "",
                rng.choice(_MARKETS),
                fast_fold(" ".join(filter(None, [name, code, tax, address, industry]))),
            )
            ests.append((pk, province.code, commune_code, lp, craft))
        writer.flush()
        timings["establishments"] = time.perf_counter() - start
        say(f"  {len(ests)} establishments ({timings['establishments']:.0f} s)")

        # --- products: every establishment one, then extra ones at random --------------------------
        t = time.perf_counter()
        prods: list[tuple[int, int, int]] = []  # (pk, establishment index, province)
        writer = RawInsert(
            Product,
            [
                "id",
                "created_at",
                "updated_at",
                "code",
                "establishment_id",
                "name",
                "group",
                "description",
                "is_set",
                "photo",
                "thumbnail",
                "search_text",
            ],
            now,
        )
        for i in range(spec.products):
            idx = i if i < len(ests) else rng.randrange(len(ests))
            craft = _CRAFTS[ests[idx][4]]
            base = rng.choice(craft[1])
            name = f"{base} {rng.choice(_QUALIFIERS)}".strip()
            code = f"{CODE_PREFIX}P-{i:07d}"
            description = f"{base} làm theo phương pháp truyền thống, nguyên liệu địa phương."
            pk = writer.add(
                code,
                ests[idx][0],
                name,
                craft[0],
                description,
                False,
                "",
                "",
                fast_fold(f"{name} {code} {description[:500]}"),
            )
            prods.append((pk, idx, ests[idx][1]))
        writer.flush()
        timings["products"] = time.perf_counter() - t
        say(f"  {len(prods)} products ({timings['products']:.0f} s)")

        # --- projects 2016–2025 -----------------------------------------------------------------
        t = time.perf_counter()
        writer = RawInsert(
            Project,
            [
                "id",
                "created_at",
                "updated_at",
                "code",
                "year",
                "title",
                "programme",
                "activity",
                "establishment_id",
                "province_id",
                "commune_id",
                "legacy_province_id",
                "status",
                "support_requested",
                "support_approved",
                "support_settled",
                "total_cost",
                "counterpart",
                "jobs",
                "trainees",
                "machines",
                "products_developed",
                "decision_no",
                "decision_date",
                "settled_date",
                "contract_no",
                "acceptance_record",
                "settlement_note",
                "cancel_reason",
                "description",
                "technology_line",
                "local_materials",
                "search_text",
                "support_paid",
                "budget_chapter",
                "budget_type",
                "budget_item",
                "budget_section",
                "budget_subsection",
            ],
            now,
        )
        for i in range(spec.projects):
            pk, province, commune, lp, craft = ests[rng.randrange(len(ests))]
            year = rng.choice(YEARS)
            status = rng.choice(_STATUSES) if year < 2024 else rng.choice(_STATUSES[8:])
            approved = rng.randrange(30, 1500) * 1_000_000
            settled = approved - rng.randrange(0, 6) * 1_000_000 if status == "settled" else None
            activity = rng.choice(_ACTIVITIES)
            code = f"{CODE_PREFIX}J-{year}-{i:06d}"
            title = f"Hỗ trợ {_CRAFTS[craft][2].lower()} năm {year}"
            writer.add(
                code,
                year,
                title,
                "national" if rng.random() < 0.3 else "local",
                activity,
                pk,
                province,
                commune,
                lp,
                status,
                approved,
                approved,
                settled,
                approved * rng.randint(2, 6),
                approved * rng.randint(1, 5),
                rng.randint(0, 40),
                rng.randint(0, 60) if activity == "training" else 0,
                rng.randint(1, 5) if activity == "machinery" else 0,
                0,
                f"{rng.randint(1, 999)}/QĐ-SCT",
                writer.date(dt.date(year, rng.randint(1, 6), rng.randint(1, 28))),
                writer.date(dt.date(year, 12, rng.randint(1, 28))) if settled is not None else None,
                "",
                "",
                "",
                "",
                "",
                False,
                False,
                fast_fold(f"{code} {title}"),
                settled or 0,  # a settled project is paid its settled amount (a database constraint)
                "",
                "",
                "",
                "",
                "",
            )
        writer.flush()
        timings["projects"] = time.perf_counter() - t
        say(f"  {spec.projects} projects ({timings['projects']:.0f} s)")

        # --- rounds: each province every year, the region and the country each year --------------
        t = time.perf_counter()
        regions = list(Region.objects.order_by("code"))
        rounds = []
        for year in YEARS:
            for p in provinces:
                rounds.append(
                    Round(
                        code=f"{CODE_PREFIX}R-{year}-{p.code:02d}",
                        year=year,
                        level="province",
                        title=f"Bình chọn sản phẩm CNNT tiêu biểu {p.short_name} {year}",
                        province_id=p.code,
                        is_historical=True,
                        status="decided",
                        legacy_province_id=rng.choice(legacy.get(p.code, [None])) if year < 2025 else None,
                        decision_no=f"{rng.randint(1, 999)}/QĐ-UBND",
                        decision_date=dt.date(year, 10, 15),
                    )
                )
            if scale == "national":
                region = regions[year % len(regions)] if regions else None
                rounds.append(
                    Round(
                        code=f"{CODE_PREFIX}R-{year}-KV",
                        year=year,
                        level="region",
                        title=f"Bình chọn cấp khu vực {year}",
                        region=region,
                        is_historical=True,
                        status="decided",
                        decision_date=dt.date(year, 11, 20),
                    )
                )
            rounds.append(
                Round(
                    code=f"{CODE_PREFIX}R-{year}-QG",
                    year=year,
                    level="national",
                    title=f"Bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia {year}",
                    is_historical=True,
                    status="decided",
                    decision_no=f"{rng.randint(1, 999)}/QĐ-BCT",
                    decision_date=dt.date(year, 12, 10),
                )
            )
        Round.objects.bulk_create(rounds, batch_size=1000)
        by_place = {(r.year, r.level, r.province_id): r for r in rounds}

        # --- results: most at province level; the best go on to the region and the country -------
        by_province: dict[int, list[int]] = {}
        for n, (_pk, _e, prov) in enumerate(prods):
            by_province.setdefault(prov, []).append(n)
        seen: set[tuple[int, int]] = set()
        results = []
        while len(results) < spec.results:
            year = rng.choice(YEARS)
            roll = rng.random()
            if scale == "national":
                level = "province" if roll < 0.8 else "region" if roll < 0.93 else "national"
            else:
                level = "province" if roll < 0.9 else "national"
            p = rng.choice(provinces).code
            pool = by_province.get(p)
            if not pool:
                continue
            n = pool[int(len(pool) * rng.random() ** 3)]  # a few products go far, most once
            rnd = by_place.get((year, level, p if level == "province" else None))
            if rnd is None or (rnd.pk, n) in seen:
                continue
            seen.add((rnd.pk, n))
            certified = rng.random() < 0.68
            score = round(rng.uniform(55, 95), 2)
            results.append(
                Result(
                    round=rnd,
                    product_id=prods[n][0],
                    score=score,
                    certified=certified,
                    prize=rng.choice(["A", "B", "C", ""]) if certified else "",
                    decision_no=rnd.decision_no,
                    decision_date=rnd.decision_date,
                    certificate_no=f"{rnd.code}-{len(results):05d}"
                    if certified and year < CERTIFICATES_FROM
                    else "",
                )
            )
        Result.objects.bulk_create(results, batch_size=5000)
        certificates = []
        for r in results:
            if r.certified and r.round.year >= CERTIFICATES_FROM:
                issued = r.round.decision_date or dt.date(r.round.year, 12, 1)
                certificates.append(
                    Certificate(
                        result=r,
                        number=f"{r.round.year}/{r.round.code}/{len(certificates) + 1:05d}",
                        token=uuid.UUID(int=rng.getrandbits(128), version=4),
                        issued_on=issued,
                        valid_until=issued.replace(year=issued.year + 3),
                        signer="Giám đốc Sở Công Thương",
                        revoked_at=None,
                    )
                )
        # about one certificate in a hundred revoked
        for c in certificates[::97]:
            c.revoked_at = timezone.make_aware(dt.datetime(c.issued_on.year + 1, 3, 1))
            c.revoked_reason = "Sản phẩm không còn đáp ứng tiêu chí."
        Certificate.objects.bulk_create(certificates, batch_size=5000)
        timings["selection"] = time.perf_counter() - t
        say(
            f"  {len(rounds)} rounds, {len(results)} results, {len(certificates)} certificates "
            f"({timings['selection']:.0f} s)"
        )

        t = time.perf_counter()
        from khuyencong.catalogue.services import rebuild_catalogue

        entries = rebuild_catalogue()
        timings["catalogue"] = time.perf_counter() - t
        say(f"  catalogue read model: {entries} products ({timings['catalogue']:.0f} s)")
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Establishment, Product, Project]):
            cur.execute(sql)
        cur.execute("ANALYZE")
    timings["total"] = time.perf_counter() - start
    return {
        "scale": scale,
        "seed": seed,
        "provinces": len(provinces),
        "establishments": len(ests),
        "products": len(prods),
        "projects": spec.projects,
        "rounds": len(rounds),
        "results": len(results),
        "certificates": len(certificates),
        "catalogue": entries,
        "seconds": timings,
    }
