"""Demo programmes with targets: the national programme 2026–2030 (Decision 2646/QĐ-BCT) and Cà Mau's local
programme 2026–2030. Repeatable (by code); the targets are set through the same service as the page.

The figures are illustrative for the demo (the notes say so): an installation records the targets of the
decisions it follows. What was achieved is never stored: the progress page computes it from the records.
"""

from khuyencong.programme import target_services
from khuyencong.programme.target_models import TargetProgramme

NATIONAL = {
    "code": "CTKCQG-2026-2030",
    "name": "Chương trình khuyến công quốc gia giai đoạn 2026–2030",
    "scope": "national",
    "start_year": 2026,
    "end_year": 2030,
    "decision_no": "2646/QĐ-BCT",
    "issued_by": "Bộ Công Thương",
    "notes": "Chỉ tiêu minh họa cho bản trình diễn; nhập chỉ tiêu theo Chương trình ban hành kèm Quyết định.",
}
# indicator: value for the whole period
NATIONAL_TARGETS = {
    "projects": 1_500,
    "support_national": 1_250_000_000_000,
    "establishments": 1_200,
    "certified_region": 250,
    "certified_national": 100,
    "jobs": 15_000,
    "trainees": 20_000,
    "machines": 1_000,
}

CA_MAU = {
    "code": "CTKC-CM-2026-2030",
    "name": "Chương trình khuyến công tỉnh Cà Mau giai đoạn 2026–2030",
    "scope": "province",
    "start_year": 2026,
    "end_year": 2030,
    "decision_no": "1520/QĐ-UBND",
    "issued_by": "Ủy ban nhân dân tỉnh Cà Mau",
    "notes": "Chỉ tiêu minh họa cho bản trình diễn (theo Chỉ thị 20/CT-BCT, mỗi tỉnh ban hành chương trình 2026–2030).",
}
# indicator: (per year 2026..2030, whole period or None: the sum of the years)
CA_MAU_TARGETS = {
    "projects": ([6, 7, 8, 8, 9], None),
    "support_national": ([1_500_000_000, 1_500_000_000, 2_000_000_000, 2_000_000_000, 2_000_000_000], None),
    "support_local": ([2_500_000_000, 3_000_000_000, 3_000_000_000, 3_500_000_000, 3_500_000_000], None),
    "counterpart": ([5_000_000_000] * 5, None),
    "establishments": ([5, 6, 7, 7, 8], 30),
    "certified_province": ([8, 8, 10, 10, 12], 40),
    "certified_region": ([0, 2, 0, 3, 0], None),
    "jobs": ([40, 50, 50, 60, 60], None),
    "trainees": ([60, 60, 80, 80, 100], None),
    "machines": ([10, 12, 12, 15, 15], None),
}
YEARS = [2026, 2027, 2028, 2029, 2030]


def _programme(user, data):
    existing = TargetProgramme.objects.filter(code=data["code"]).first()
    if existing:
        return existing, False
    return target_services.create_target_programme(user=user, data=data), True


def load(ctx):
    say = ctx.get("say") or (lambda msg: None)
    users = ctx["users"]
    organiser = users.get("cuc.khuyencong") or users["admin"]
    national, created = _programme(organiser, NATIONAL)
    if created:
        target_services.set_targets(
            user=organiser,
            programme=national,
            targets=[{"indicator": k, "year": None, "value": v} for k, v in NATIONAL_TARGETS.items()],
        )
    officer = users["sct.camau"]
    local, created = _programme(officer, {**CA_MAU, "province": ctx["province"]})
    if created:
        rows = []
        for indicator, (per_year, period) in CA_MAU_TARGETS.items():
            rows += [
                {"indicator": indicator, "year": y, "value": v} for y, v in zip(YEARS, per_year, strict=True)
            ]
            if period is not None:
                rows.append({"indicator": indicator, "year": None, "value": period})
        target_services.set_targets(user=officer, programme=local, targets=rows)
    ctx["target_programmes"] = {"national": national, "local": local}
    say(f"Programme targets: {national.code}, {local.code}")
