"""Throughput of the establishments import (full validation, one transaction), on SQLite or PostgreSQL.

    .venv/bin/python bench/import_establishments.py --rows 10000 [--rows 100000] [--database URL]

Generates a CSV of N establishment rows in the spec's columns (Vietnamese headers, communes by name,
valid tax codes), imports it into an empty, migrated database through
`khuyencong.interchange.services.import_file` (what the CLI and the web import call) and prints
rows/s (wall clock, and per second of this process's CPU, steadier on a shared machine) and the peak Python memory of the import (tracemalloc). Without --database a temporary SQLite
file is used; a PostgreSQL URL's database is emptied (flushed) first.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database: str | None) -> None:
    os.environ["DATABASE_URL"] = database or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from khuyencong.geo.services import load_places

    load_places()


def write_csv(path: Path, rows: int) -> None:
    from khuyencong.core.demo import tax_code
    from khuyencong.geo.models import Commune

    communes = list(
        Commune.objects.filter(province_id__in=[96, 92, 1, 79]).values_list("province__name", "name")
    )
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "Mã cơ sở",
                "Tên cơ sở",
                "Loại hình",
                "Mã số thuế",
                "Tỉnh/Thành phố",
                "Xã/Phường",
                "Địa chỉ",
                "Điện thoại",
                "Email",
                "Số lao động",
                "Năm thành lập",
            ]
        )
        for i in range(rows):
            province, commune = communes[i % len(communes)]
            out.writerow(
                [
                    f"CS-{i:07d}",
                    f"Cơ sở sản xuất chế biến số {i}",
                    "Hộ kinh doanh",
                    tax_code(str(100000000 + i * 10)),
                    province,
                    commune,
                    f"Số {i % 300} đường {i % 40}",
                    f"0290{i % 1000000:06d}",
                    f"coso{i}@example.vn" if i % 3 == 0 else "",
                    str(i % 90 + 1),
                    str(1980 + i % 45),
                ]
            )


def run(rows: int) -> dict:
    from django.db import connection

    from khuyencong.interchange.services import import_file
    from khuyencong.registry.models import Establishment

    path = Path(tempfile.mkdtemp()) / f"establishments-{rows}.csv"
    write_csv(path, rows)
    Establishment.objects.all().delete()
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    report = import_file(user=None, kind="establishments", path=str(path))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.ok and report.written and report.created == rows, [str(e) for e in report.errors[:5]]
    return {
        "database": connection.vendor,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "rows_per_cpu_s": round(rows / cpu),
        "peak_mib": round(peak / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per file (repeatable)")
    parser.add_argument("--database", help="a DATABASE_URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    setup(args.database)
    for rows in args.rows or [10_000]:
        result = run(rows)
        print(" ".join(f"{k}={v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
