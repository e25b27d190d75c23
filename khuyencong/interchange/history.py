"""Generate the four interchange files of a Cà Mau history 2016–2023 that reproduce its published figures.

    python -m khuyencong.interchange.history [OUTDIR]

The published summary of Cà Mau for 2016–2023 (the seed's figures): 5 province rounds; products
certified at province level 73, region 19, national 11, district 0; support 19,510,000,000 đồng
(national 4,550,000,000 + local 14,960,000,000) of settled projects; counterpart investment
205,000,000,000; 1,759 jobs; one project still running with 700,000,000 approved.

A handful of records are of the former province Bạc Liêu (95), merged into Cà Mau in 2025, so that
`--province 95` gives its own subset; records outside the period (2015, 2024) and projects that are
proposed or cancelled check that the counting rules leave them out. Deterministic: no randomness
beyond a fixed seed. Cells use the different forms the spec accepts (grouped money, Vietnamese
labels, names with and without prefixes) so the files also exercise the parsers.
"""

import random
import sys
from pathlib import Path

from khuyencong.core import exports

PUBLISHED = {
    "place": {"province": "96", "name": "Cà Mau"},
    "from_year": 2016,
    "to_year": 2023,
    "rounds": 5,
    "certified": {"district": 0, "province": 73, "region": 19, "national": 11},
    "support": {"total": 19_510_000_000, "national": 4_550_000_000, "local": 14_960_000_000},
    "counterpart": 205_000_000_000,
    "jobs": 1759,
    "running": {"projects": 1, "approved": 700_000_000},
}

DEFAULT_DIR = Path(__file__).parent / "data" / "demo" / "ca_mau_history"

# today's communes of Cà Mau (by name, code, or with prefix) and former districts (historical rows)
CA_MAU_PLACES = [
    "Sông Đốc",
    "Xã Đầm Dơi",
    "32065",
    "Năm Căn",
    "Cái Nước",
    "Phường An Xuyên",
    "U Minh",
    "Trần Văn Thời",
    "Khánh Bình",
    "Tân Thuận",
    "Huyện Trần Văn Thời",
    "Huyện Thới Bình",
    "Huyện Đầm Dơi",
    "Phú Tân",
]
BAC_LIEU_PLACES = ["Huyện Hồng Dân", "Phường Giá Rai", "Huyện Đông Hải", "Phường Bạc Liêu", "Vĩnh Lợi"]

TRADES = [
    ("Khô cá", "agro_processing"),
    ("Tôm khô", "agro_processing"),
    ("Mắm ba khía", "agro_processing"),
    ("Bánh phồng tôm", "agro_processing"),
    ("Mật ong rừng U Minh", "agro_processing"),
    ("Chả cá thác lác", "agro_processing"),
    ("Giỏ lác", "handicraft"),
    ("Đệm bàng", "handicraft"),
    ("Đồ gỗ mỹ nghệ", "handicraft"),
    ("Máy cho tôm ăn", "machinery"),
    ("Máy sục khí ao tôm", "machinery"),
    ("Nước mắm", "agro_processing"),
    ("Muối tôm", "agro_processing"),
    ("Nhang sạch", "other"),
    ("Ghe composite", "other"),
]
TOWNS = [
    "Sông Đốc",
    "Đầm Dơi",
    "Thới Bình",
    "Năm Căn",
    "Cái Nước",
    "U Minh",
    "Rạch Gốc",
    "Tân Thuận",
    "Giá Rai",
    "Hồng Dân",
]
KINDS = [
    "household",
    "Hộ kinh doanh",
    "cooperative",
    "Hợp tác xã",
    "enterprise",
    "Doanh nghiệp",
    "cooperative_group",
]
FAMILY = [
    "Nguyễn Văn",
    "Trần Thị",
    "Lê Văn",
    "Phạm Thị",
    "Huỳnh Văn",
    "Võ Thị",
    "Đặng Văn",
    "Bùi Thị",
    "Dương Văn",
    "Lâm Thị",
]
GIVEN = [
    "Tài",
    "Lộc",
    "Hạnh",
    "Phúc",
    "Bình",
    "An",
    "Sáu",
    "Bảy",
    "Hồng",
    "Nga",
    "Minh",
    "Thanh",
    "Dũng",
    "Hoa",
]

N_ESTABLISHMENTS = 44  # CMH-001 .. CMH-044; CMH-040 .. CMH-044 are of the former Bạc Liêu
BAC_LIEU_FROM = 40
N_PRODUCTS = 82  # SPH-001 .. SPH-082


def tax_code(n: int) -> str:
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    for bump in range(100):
        base = str(200900000 + n * 13 + bump).zfill(9)
        check = 10 - sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
        if check < 10:
            return base + str(check)
    raise ValueError(n)


def grouped(amount: int, style: int) -> str:
    """The same amount written the ways provinces type it."""
    plain = f"{amount}"
    return [plain, f"{amount:,}".replace(",", "."), f"{amount:,}", f"{amount:,}".replace(",", " ")][style % 4]


def split(total: int, parts: int, rng: random.Random, unit: int, low: int) -> list[int]:
    """`parts` positive multiples of `unit` (each ≥ low) summing exactly to `total`."""
    units, min_units = total // unit, low // unit
    assert units * unit == total and units >= parts * min_units
    cuts = sorted(rng.sample(range(1, units - parts * min_units + parts), parts - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, units - parts * min_units + parts], strict=True)]
    return [(s - 1 + min_units) * unit for s in sizes]


def establishments() -> list[list]:
    rows = []
    for i in range(1, N_ESTABLISHMENTS + 1):
        trade, _group = TRADES[i % len(TRADES)]
        bac_lieu = i >= BAC_LIEU_FROM
        places = BAC_LIEU_PLACES if bac_lieu else CA_MAU_PLACES
        kind = KINDS[i % len(KINDS)]
        owner = f"{FAMILY[i % len(FAMILY)]} {GIVEN[i % len(GIVEN)]}"
        prefix = {
            "household": "Hộ kinh doanh",
            "Hộ kinh doanh": "Cơ sở",
            "cooperative": "Hợp tác xã",
            "Hợp tác xã": "HTX",
            "enterprise": "Công ty TNHH",
            "Doanh nghiệp": "Công ty Cổ phần",
            "cooperative_group": "Tổ hợp tác",
        }[kind]
        name = (
            f"{prefix} {trade} {owner}"
            if kind in ("household", "Hộ kinh doanh")
            else f"{prefix} {trade} {TOWNS[i % len(TOWNS)]}"
        )
        province = (
            ["Bạc Liêu", "95", "Tỉnh Bạc Liêu"][i % 3]
            if bac_lieu
            else ["Cà Mau", "96", "Tỉnh Cà Mau", "ca mau"][i % 4]
        )
        rows.append(
            [
                f"CMH-{i:03d}",
                name,
                kind,
                tax_code(i) if i % 5 else "",
                province,
                places[i % len(places)],
                f"Ấp {i % 9 + 1}",
                f"0290 38{i:02d} {i * 7 % 1000:03d}",
                f"coso{i:03d}@example.vn" if i % 4 == 0 else "",
                grouped(5 + i * 3 % 60, i),
                1985 + i % 35,
            ]
        )
    return rows


def products() -> list[list]:
    rows = []
    for j in range(1, N_PRODUCTS + 1):
        est = (j - 1) % N_ESTABLISHMENTS + 1
        if j in (69, 70, 71, 72, 73):  # the former Bạc Liêu's certified products
            est = BAC_LIEU_FROM + (j - 69)
        elif est >= BAC_LIEU_FROM:
            est = est - 10
        trade, group = TRADES[est % len(TRADES)]
        rows.append(
            [
                f"SPH-{j:03d}",
                f"CMH-{est:03d}",
                f"{trade} loại {j % 3 + 1} ({j})",
                group,
                f"Sản phẩm {trade.lower()} đặc trưng.",
            ]
        )
    return rows


def results(product_rows) -> list[list]:
    """Province rounds: Cà Mau 2016, 2018, 2020, 2022; Bạc Liêu 2019 (→ 5 rounds). Region 2017–2023, national 2018–2022."""  # noqa: E501
    rng = random.Random(96)
    rows = []

    def add(year, level, product, certified, score=None):
        score = score if score is not None else rng.choice(["86,5", "78", "91.25", "72,75", "88"])
        decision = f"{rng.randint(100, 2999)}/QĐ-{'UBND' if level in ('province', 'district') else 'BCT'}"
        rows.append(
            [
                str(year),
                level
                if rng.random() < 0.5
                else {
                    "district": "Cấp huyện",
                    "province": "Cấp tỉnh",
                    "region": "Cấp khu vực",
                    "national": "Cấp quốc gia",
                }[level],
                f"SPH-{product:03d}",
                score,
                ["có", "x", "1", "yes"][product % 4]
                if certified
                else ["không", "0", "no", "Không"][product % 4],
                f"GCN-{year}-{level[:2].upper()}-{product:03d}" if certified else "",
                decision if certified else "",
                f"{rng.randint(1, 28):02d}/{rng.randint(9, 12):02d}/{year}" if certified else "",
            ]
        )

    # province level: 68 distinct Cà Mau products over four rounds (some certified again later: counted once)
    ca_mau_years = [2016, 2018, 2020, 2022]
    for k, product in enumerate(range(1, 69)):
        add(ca_mau_years[k % 4], "province", product, True)
    for product in (1, 5, 9):  # certified in 2016, again in 2022: counted once
        add(2022, "province", product, True)
    for product in range(69, 74):  # the former Bạc Liêu's own round, 2019
        add(2019, "province", product, True)
    for product in (74, 75, 76):  # took part, not certified
        add(2020, "province", product, False, "61,5")
    add(2024, "province", 77, True)  # after the period
    # region level: 19 distinct products (one of Bạc Liêu), each after its province certification;
    # one of them certified twice. National level: 11 of those, each after its region certification.
    province_year = {product: ca_mau_years[(product - 1) % 4] for product in range(1, 69)} | {70: 2019}

    def after(year, years):
        return next(y for y in years if y > year)

    region = [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22, 25, 26, 29, 30, 33, 34, 70]
    region_year = {product: after(province_year[product], [2017, 2019, 2021, 2023]) for product in region}
    for product in region:
        add(region_year[product], "region", product, True)
    add(2023, "region", 2, True)
    add(2021, "region", 37, False, "68")
    for product in [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 70]:
        add(after(region_year[product], [2018, 2020, 2022]), "national", product, True)
    # district level: only before the period (district rounds ended with the districts)
    for product in (10, 11, 12, 26):
        add(2015, "district", product, True)
    return rows


def projects() -> list[list]:
    rng = random.Random(2016)
    national = split(4_550_000_000, 10, rng, 10_000_000, 150_000_000)
    local = split(14_960_000_000, 30, rng, 10_000_000, 120_000_000)
    counterpart = split(205_000_000_000, 40, rng, 100_000_000, 800_000_000)
    jobs = split(1759, 40, rng, 1, 5)
    activities = [
        "machinery",
        "Mô hình trình diễn kỹ thuật",
        "training",
        "product_dev",
        "Hội chợ triển lãm",
        "machinery",
        "consulting",
        "Ứng dụng máy móc thiết bị tiên tiến",
        "cleaner",
        "information",
    ]
    rows = []
    amounts = [("national", a) for a in national] + [("local", a) for a in local]
    for k, (programme, settled) in enumerate(amounts):
        year = 2016 + k % 8
        est = k % N_ESTABLISHMENTS + 1
        bac_lieu = est >= BAC_LIEU_FROM
        activity = activities[k % len(activities)]
        approved = settled + (0 if k % 3 else 10_000_000)  # some settle below the approved amount
        programme_cell = (
            programme
            if k % 2
            else {"national": "Khuyến công quốc gia", "local": "Khuyến công địa phương"}[programme]
        )
        rows.append(
            [
                f"KC-{year}-{k + 1:03d}",
                year,
                f"Hỗ trợ {'ứng dụng máy móc' if 'máy' in activity or activity == 'machinery' else 'phát triển sản xuất'} cho CMH-{est:03d}",  # noqa: E501
                programme_cell,
                activity,
                f"CMH-{est:03d}",
                "Bạc Liêu" if bac_lieu else "Cà Mau",
                (BAC_LIEU_PLACES if bac_lieu else CA_MAU_PLACES)[k % 5],
                grouped(approved, k),
                grouped(settled, k + 1),
                grouped(counterpart[k], k + 2),
                jobs[k],
                "settled" if k % 2 else "Quyết toán",
                (k % 4) if activity in ("machinery", "Ứng dụng máy móc thiết bị tiên tiến") else 0,
                30 if activity == "training" else 0,
            ]
        )
    # still running in the period: one, approved 700,000,000
    rows.append(
        [
            "KC-2023-041",
            2023,
            "Hỗ trợ máy sấy năng lượng mặt trời cho CMH-007",
            "local",
            "machinery",
            "CMH-007",
            "Cà Mau",
            "Sông Đốc",
            "700.000.000",
            "",
            "1.500.000.000",
            0,
            "in_progress",
            2,
            0,
        ]
    )
    # left out by the rules: proposed, cancelled, outside the period
    rows.append(
        [
            "KC-2023-042",
            2023,
            "Đề xuất mô hình chế biến mắm ba khía",
            "local",
            "demo_model",
            "CMH-012",
            "Cà Mau",
            "Năm Căn",
            "450.000.000",
            "",
            "",
            "",
            "proposed",
            0,
            0,
        ]
    )
    rows.append(
        [
            "KC-2019-043",
            2019,
            "Hội chợ hàng CNNT tiêu biểu (hủy do dịch)",
            "national",
            "fair",
            "",
            "Cà Mau",
            "",
            "300.000.000",
            "",
            "",
            "",
            "cancelled",
            0,
            0,
        ]
    )
    rows.append(
        [
            "KC-2015-044",
            2015,
            "Hỗ trợ máy cho tôm ăn tự động",
            "local",
            "machinery",
            "CMH-003",
            "Cà Mau",
            "Huyện Thới Bình",
            "250.000.000",
            "240.000.000",
            "900.000.000",
            12,
            "settled",
            5,
            0,
        ]
    )
    rows.append(
        [
            "KC-2024-045",
            2024,
            "Đào tạo nghề đan lác",
            "local",
            "training",
            "CMH-006",
            "Cà Mau",
            "Thới Bình",
            "300.000.000",
            "",
            "",
            "",
            "approved",
            0,
            60,
        ]
    )
    return rows


HEADERS = {
    # English keys for two files, Vietnamese labels (various spellings) for the others: both are accepted
    "establishments": [
        "code",
        "name",
        "kind",
        "tax_code",
        "province",
        "commune",
        "address",
        "phone",
        "email",
        "workers",
        "founded",
    ],
    "products": ["Mã sản phẩm", "Mã cơ sở", "Tên sản phẩm", "Nhóm sản phẩm", "Mô tả"],
    "projects": [
        "Mã đề án",
        "Năm",
        "Tên đề án",
        "Nguồn kinh phí",
        "Nội dung hoạt động",
        "Mã cơ sở",
        "Tỉnh/Thành phố",
        "Xã/Phường",
        "Kinh phí hỗ trợ được duyệt",
        "Kinh phí hỗ trợ quyết toán",
        "Vốn đối ứng",
        "Lao động thu hút",
        "Trạng thái",
        "machines",
        "trainees",
    ],
    "results": [
        "round",
        "level",
        "product",
        "score",
        "certified",
        "certificate_no",
        "decision_no",
        "decision_date",
    ],
}


def build() -> dict[str, list[list]]:
    product_rows = products()
    return {
        "establishments": establishments(),
        "products": product_rows,
        "projects": projects(),
        "results": results(product_rows),
    }


def write(outdir: Path = DEFAULT_DIR) -> dict[str, Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for kind, rows in build().items():
        path = outdir / f"{kind}.csv"
        # projects: semicolon and a BOM (as Excel saves "CSV UTF-8" in Vietnamese locales); the others plain commas
        delimiter, encoding = (";", "utf-8-sig") if kind == "projects" else (",", "utf-8")
        with open(path, "w", encoding=encoding, newline="") as fh:
            exports.write_csv(fh, rows, header=HEADERS[kind], delimiter=delimiter)
        files[kind] = path
    files["projects.xlsx"] = write_projects_xlsx(outdir / "projects.xlsx")
    return files


def write_projects_xlsx(path: Path) -> Path:
    """The projects as an Excel workbook with number cells (the form most provinces hold them in)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Đề án"
    exports.append_row(ws, HEADERS["projects"])
    for row in projects():
        cells = list(row)
        for i in (8, 9, 10):  # money as number cells
            cells[i] = (
                int(str(cells[i]).replace(".", "").replace(",", "").replace(" ", "")) if cells[i] else None
            )
        exports.append_row(ws, cells)
    wb.save(path)
    return path


if __name__ == "__main__":
    for kind, path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR).items():
        print(kind, path)
