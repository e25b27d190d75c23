#!/usr/bin/env python
"""Extract Vietnam's pre-2025 administrative units into khuyencong/geo/data/legacy_units.json.

Since 1 July 2025 Vietnam has 34 provinces and no district level. Records made before
that date (applications, certificates, producer addresses) still refer to the old 63
provinces and their districts. Those units, with their official GSO codes, are the
data of the PyPI package ``vietnam-provinces`` 0.6.0 (data snapshot 2025-01-04). That
release shares its distribution name with the current one (2025.x, a project
dependency), so the two cannot be installed side by side. This script therefore
downloads the 0.6.0 archive into a temporary directory, reads the embedded
``vietnam_provinces/data/nested-divisions.json`` straight from the archive without
installing anything, and writes a compact JSON file that the project ships.

Each old province also gets ``new_province_code``, the code of the current (post
1 July 2025) province it was merged into. See ``OLD_TO_NEW_PROVINCE``.

Usage (from the repository root)::

    .venv/bin/python scripts/extract_legacy_units.py [--archive PATH] [--output PATH]

Re-running it produces a byte-identical file.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "vietnam-provinces"
VERSION = "0.6.0"
SOURCE = f"{PACKAGE} {VERSION}"
DATA_MEMBER_SUFFIX = "vietnam_provinces/data/nested-divisions.json"

# sha256 of vietnam_provinces-0.6.0-py3-none-any.whl as published on PyPI.
KNOWN_SHA256 = {
    "vietnam_provinces-0.6.0-py3-none-any.whl": "4b5772870efdcb7c58a64fbdc0e0c9ce497e67017a0c189dff99582ddadb7815",
}

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "khuyencong" / "geo" / "data" / "legacy_units.json"

EXPECTED_PROVINCES = 63
# The 0.6.0 data (GSO, retrieved 2025-01-04) has 696 district-level units: the count
# after the 2023-2025 district/commune rearrangements, including the island districts
# Hoàng Sa (498, no wards) and Trường Sa (576).
EXPECTED_DISTRICTS = 696
EXPECTED_DISTRICTS_PER_PROVINCE = {96: 9, 95: 7}  # Cà Mau, Bạc Liêu

# Old (pre-1 July 2025) province code -> current province code.
# Source: Resolution No. 202/2025/QH15 of the National Assembly (12 June 2025) on the
# arrangement of provincial-level administrative units, in force from 1 July 2025.
# 11 provinces/cities were not merged and keep their codes; for each of the 23 merged
# provinces the code is the one the current `vietnam_provinces` package (2025.x) uses
# for the new province (checked below against the installed package).
OLD_TO_NEW_PROVINCE: dict[int, int] = {
    # Not merged (11)
    1: 1,  # Thành phố Hà Nội
    4: 4,  # Cao Bằng
    11: 11,  # Điện Biên
    12: 12,  # Lai Châu
    14: 14,  # Sơn La
    20: 20,  # Lạng Sơn
    22: 22,  # Quảng Ninh
    38: 38,  # Thanh Hóa
    40: 40,  # Nghệ An
    42: 42,  # Hà Tĩnh
    46: 46,  # Thành phố Huế
    # Tuyên Quang (8) = Tuyên Quang + Hà Giang
    8: 8,
    2: 8,
    # Lào Cai (15) = Lào Cai + Yên Bái
    10: 15,
    15: 15,
    # Thái Nguyên (19) = Thái Nguyên + Bắc Kạn
    19: 19,
    6: 19,
    # Phú Thọ (25) = Phú Thọ + Vĩnh Phúc + Hòa Bình
    25: 25,
    26: 25,
    17: 25,
    # Bắc Ninh (24) = Bắc Ninh + Bắc Giang
    27: 24,
    24: 24,
    # Hưng Yên (33) = Hưng Yên + Thái Bình
    33: 33,
    34: 33,
    # Thành phố Hải Phòng (31) = Hải Phòng + Hải Dương
    31: 31,
    30: 31,
    # Ninh Bình (37) = Ninh Bình + Hà Nam + Nam Định
    37: 37,
    35: 37,
    36: 37,
    # Quảng Trị (44) = Quảng Trị + Quảng Bình
    45: 44,
    44: 44,
    # Thành phố Đà Nẵng (48) = Đà Nẵng + Quảng Nam
    48: 48,
    49: 48,
    # Quảng Ngãi (51) = Quảng Ngãi + Kon Tum
    51: 51,
    62: 51,
    # Gia Lai (52) = Gia Lai + Bình Định
    64: 52,
    52: 52,
    # Khánh Hòa (56) = Khánh Hòa + Ninh Thuận
    56: 56,
    58: 56,
    # Đắk Lắk (66) = Đắk Lắk + Phú Yên
    66: 66,
    54: 66,
    # Lâm Đồng (68) = Lâm Đồng + Đắk Nông + Bình Thuận
    68: 68,
    67: 68,
    60: 68,
    # Đồng Nai (75) = Đồng Nai + Bình Phước
    75: 75,
    70: 75,
    # Thành phố Hồ Chí Minh (79) = Hồ Chí Minh + Bình Dương + Bà Rịa - Vũng Tàu
    79: 79,
    74: 79,
    77: 79,
    # Tây Ninh (80) = Tây Ninh + Long An
    72: 80,
    80: 80,
    # Đồng Tháp (82) = Đồng Tháp + Tiền Giang
    87: 82,
    82: 82,
    # Vĩnh Long (86) = Vĩnh Long + Bến Tre + Trà Vinh
    86: 86,
    83: 86,
    84: 86,
    # An Giang (91) = An Giang + Kiên Giang
    89: 91,
    91: 91,
    # Thành phố Cần Thơ (92) = Cần Thơ + Sóc Trăng + Hậu Giang
    92: 92,
    94: 92,
    93: 92,
    # Cà Mau (96) = Cà Mau + Bạc Liêu
    96: 96,
    95: 96,
}

PROVINCE_CODENAME_PREFIXES = ("thanh_pho_", "tinh_")


def download_archive(dest: Path) -> Path:
    """Download the 0.6.0 distribution (no dependencies, nothing installed) into dest."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--disable-pip-version-check",
        f"{PACKAGE}=={VERSION}",
        "-d",
        str(dest),
    ]
    try:
        subprocess.run(cmd, check=True, stdout=sys.stderr)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        # Fallback when this interpreter has no pip: let uv unpack the wheel into a
        # scratch directory (not into any environment) and read the data from there.
        uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
        if not Path(uv).exists():
            raise SystemExit(f"pip download failed ({exc}) and uv is not available") from exc
        target = dest / "unpacked"
        subprocess.run(
            [
                uv,
                "pip",
                "install",
                "--no-deps",
                "--no-cache",
                "--target",
                str(target),
                f"{PACKAGE}=={VERSION}",
            ],
            check=True,
            stdout=sys.stderr,
        )
        return target
    archives = [p for p in dest.iterdir() if p.name.endswith((".whl", ".zip", ".tar.gz", ".tgz"))]
    if len(archives) != 1:
        raise SystemExit(f"expected one downloaded archive in {dest}, found {archives}")
    return archives[0]


def read_nested_json(source: Path) -> list[dict]:
    """Return the parsed nested-divisions.json from a wheel/sdist archive or unpacked tree."""
    if source.is_dir():
        matches = sorted(
            p for p in source.rglob("nested-divisions.json") if p.as_posix().endswith(DATA_MEMBER_SUFFIX)
        )
        if len(matches) != 1:
            raise SystemExit(f"expected one {DATA_MEMBER_SUFFIX} under {source}, found {matches}")
        return json.loads(matches[0].read_text(encoding="utf-8"))

    expected = KNOWN_SHA256.get(source.name)
    if expected is not None:
        actual = hashlib.sha256(source.read_bytes()).hexdigest()
        if actual != expected:
            raise SystemExit(f"sha256 mismatch for {source.name}: {actual} != {expected}")
    else:
        print(f"warning: no pinned sha256 for {source.name}", file=sys.stderr)

    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            names = [n for n in zf.namelist() if n.endswith(DATA_MEMBER_SUFFIX)]
            if len(names) != 1:
                raise SystemExit(f"expected one {DATA_MEMBER_SUFFIX} in {source.name}, found {names}")
            raw = zf.read(names[0])
    elif tarfile.is_tarfile(source):
        with tarfile.open(source) as tf:
            members = [m for m in tf.getmembers() if m.isfile() and m.name.endswith(DATA_MEMBER_SUFFIX)]
            if len(members) != 1:
                raise SystemExit(f"expected one {DATA_MEMBER_SUFFIX} in {source.name}, found {members}")
            fh = tf.extractfile(members[0])
            assert fh is not None
            raw = fh.read()
    else:
        raise SystemExit(f"{source} is neither a zip nor a tar archive")
    return json.load(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


def short_province_codename(codename: str) -> str:
    """'tinh_ca_mau' -> 'ca_mau', 'thanh_pho_ho_chi_minh' -> 'ho_chi_minh' (as in the current package)."""
    for prefix in PROVINCE_CODENAME_PREFIXES:
        if codename.startswith(prefix):
            return codename[len(prefix) :]
    raise ValueError(f"unexpected province codename {codename!r}")


def normalise_name(name: str) -> str:
    # Two GSO district names capitalise the prefix ("Thành Phố Bắc Kạn", "Thành Phố Đồng Hới").
    if name.startswith("Thành Phố "):
        return "Thành phố " + name[len("Thành Phố ") :]
    return name


def current_provinces() -> dict[int, str]:
    """The 34 current provinces from the installed `vietnam_provinces` (2025.x): code -> codename."""
    from vietnam_provinces import Province

    current = {int(p.code): p.codename for p in Province.iter_all()}
    assert len(current) == 34, f"installed vietnam_provinces has {len(current)} provinces, expected 34"
    return current


def build(nested: list[dict]) -> dict:
    current = current_provinces()

    # The mapping must be total over the 63 old codes and onto the 34 current codes.
    old_codes = {p["code"] for p in nested}
    assert len(nested) == EXPECTED_PROVINCES == len(old_codes), len(nested)
    assert set(OLD_TO_NEW_PROVINCE) == old_codes, (
        f"unmapped: {sorted(old_codes - set(OLD_TO_NEW_PROVINCE))}, "
        f"unknown: {sorted(set(OLD_TO_NEW_PROVINCE) - old_codes)}"
    )
    assert set(OLD_TO_NEW_PROVINCE.values()) == set(current), (
        f"targets not current: {sorted(set(OLD_TO_NEW_PROVINCE.values()) - set(current))}, "
        f"current never targeted: {sorted(set(current) - set(OLD_TO_NEW_PROVINCE.values()))}"
    )
    # Every current province carries the name of one of the old provinces merged into it.
    for new_code, new_codename in current.items():
        merged = [
            short_province_codename(p["codename"])
            for p in nested
            if OLD_TO_NEW_PROVINCE[p["code"]] == new_code
        ]
        assert new_codename in merged, f"{new_code} {new_codename} not among merged {merged}"
    # Unmerged provinces keep their code.
    for new_code in current:
        merged = [c for c, n in OLD_TO_NEW_PROVINCE.items() if n == new_code]
        if len(merged) == 1:
            assert merged == [new_code], (new_code, merged)

    provinces = []
    districts = []
    for p in sorted(nested, key=lambda p: p["code"]):
        provinces.append(
            {
                "code": p["code"],
                "name": normalise_name(p["name"]),
                "codename": short_province_codename(p["codename"]),
                "new_province_code": OLD_TO_NEW_PROVINCE[p["code"]],
            }
        )
        for d in sorted(p["districts"], key=lambda d: d["code"]):
            districts.append(
                {
                    "code": d["code"],
                    "name": normalise_name(d["name"]),
                    "codename": d["short_codename"],
                    "province_code": p["code"],
                }
            )

    assert len(districts) == EXPECTED_DISTRICTS, f"{len(districts)} districts, expected {EXPECTED_DISTRICTS}"
    assert len({d["code"] for d in districts}) == len(districts), "duplicate district codes"
    assert len({p["codename"] for p in provinces}) == len(provinces), "duplicate province codenames"
    seen = set()
    for d in districts:
        key = (d["province_code"], d["codename"])
        assert key not in seen, f"duplicate district codename within province: {key}"
        seen.add(key)
    for code, expected in EXPECTED_DISTRICTS_PER_PROVINCE.items():
        n = sum(1 for d in districts if d["province_code"] == code)
        assert n == expected, f"province {code} has {n} districts, expected {expected}"
    prefixes = ("Thành phố ", "Tỉnh ")
    assert all(p["name"].startswith(prefixes) for p in provinces)
    prefixes = ("Thành phố ", "Huyện ", "Quận ", "Thị xã ")
    assert all(d["name"].startswith(prefixes) for d in districts), [
        d["name"] for d in districts if not d["name"].startswith(prefixes)
    ]

    return {"source": SOURCE, "provinces": provinces, "districts": districts}


def dumps(data: dict) -> str:
    """Valid compact JSON with one unit per line, for readable diffs."""

    def one(obj: object) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    lines = ["{" + f'"source":{one(data["source"])},']
    for key, closing in (("provinces", "],"), ("districts", "]")):
        lines.append(f"{one(key)}:[")
        items = data[key]
        lines.extend(one(item) + ("," if i < len(items) - 1 else "") for i, item in enumerate(items))
        lines.append(closing)
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == data
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--archive", type=Path, help="use this local 0.6.0 wheel/sdist instead of downloading"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="legacy-units-") as tmp:
        source = args.archive or download_archive(Path(tmp))
        nested = read_nested_json(source)
        data = build(nested)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dumps(data), encoding="utf-8")
    print(
        f"wrote {args.output}: {len(data['provinces'])} provinces, {len(data['districts'])} districts",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
