"""Benchmarks of the reports and the import, on a generated dataset in a temporary SQLite database.

    make bench        (or: .venv/bin/python bench/run.py [--projects 20000] [--results 5000] [--rows 10000])

Prints: the programme summary selector's time against a hand-written raw SQL equivalent run in the
same process on the same data (ratio = report time ÷ raw SQL time); import throughput (rows/s) of a
generated projects CSV; and the import's peak Python memory (tracemalloc) for a small and a large
file, to show it stays flat (the file is streamed, not loaded).
"""

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db_path: str):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from khuyencong.geo.services import load_places

    load_places()


def generate(n_projects: int, n_results: int, seed: int = 1):
    from django.db import transaction

    from khuyencong.programme.models import Project
    from khuyencong.registry.models import Establishment, Product
    from khuyencong.selection.models import Result, Round

    rng = random.Random(seed)
    provinces = [96, 92, 1, 79, 48]
    legacy = {96: [96, 95], 92: [92, 93, 94], 1: [1], 79: [79, 74, 77], 48: [48, 49]}
    with transaction.atomic():
        ests = [Establishment(code=f"B-{i:05d}", name=f"Cơ sở {i}", kind="household", province_id=provinces[i % 5],
                              legacy_province_id=rng.choice(legacy[provinces[i % 5]]) if i % 3 == 0 else None)
                for i in range(2000)]
        Establishment.objects.bulk_create(ests, batch_size=1000)
        ests = list(Establishment.objects.filter(code__startswith="B-"))
        products = [Product(code=f"BP-{i:05d}", establishment=ests[i % len(ests)], name=f"Sản phẩm {i}",
                            group=rng.choice(["handicraft", "agro_processing", "machinery", "other"])) for i in range(4000)]
        Product.objects.bulk_create(products, batch_size=1000)
        products = list(Product.objects.filter(code__startswith="BP-").select_related("establishment"))
        statuses = ["settled"] * 6 + ["approved", "in_progress", "accepted", "proposed", "cancelled"]
        projects = []
        for i in range(n_projects):
            est = ests[rng.randrange(len(ests))]
            amount = rng.randrange(50, 2000) * 1_000_000
            projects.append(Project(
                code=f"BK-{i:06d}", year=rng.randint(2010, 2025), title="Đề án", programme=rng.choice(["national", "local"]),
                activity=rng.choice(["machinery", "training", "demo_model", "fair"]), establishment=est,
                province_id=est.province_id, legacy_province_id=est.legacy_province_id, status=rng.choice(statuses),
                support_approved=amount, support_settled=amount - rng.randrange(0, 5) * 1_000_000,
                counterpart=amount * rng.randint(1, 12), jobs=rng.randint(0, 80)))
        Project.objects.bulk_create(projects, batch_size=2000)
        rounds = {}
        for year in range(2012, 2026):
            for p in provinces:
                rounds[(year, "province", p)] = Round.objects.create(code=f"BR-{year}-{p}", year=year, level="province",
                                                                     title="Kỳ", province_id=p, is_historical=True)
            rounds[(year, "national", None)] = Round.objects.create(code=f"BR-{year}-QG", year=year, level="national",
                                                                    title="Kỳ QG", is_historical=True)
        seen, results = set(), []
        while len(results) < n_results:
            product = products[rng.randrange(len(products))]
            year = rng.randint(2012, 2025)
            level = "province" if rng.random() < 0.8 else "national"
            rnd = rounds[(year, level, product.establishment.province_id if level == "province" else None)]
            if (rnd.pk, product.pk) in seen:
                continue
            seen.add((rnd.pk, product.pk))
            results.append(Result(round=rnd, product=product, certified=rng.random() < 0.7))
        Result.objects.bulk_create(results, batch_size=2000)


RAW_SQL = {
    "money": """
        SELECT COALESCE(SUM(support_settled), 0),
               COALESCE(SUM(CASE WHEN programme = 'national' THEN support_settled END), 0),
               COALESCE(SUM(CASE WHEN programme = 'local' THEN support_settled END), 0),
               COALESCE(SUM(counterpart), 0), COALESCE(SUM(jobs), 0), COUNT(*)
        FROM programme_project
        WHERE province_id = %s AND year BETWEEN %s AND %s AND archived_at IS NULL AND status = 'settled'""",
    "running": """
        SELECT COUNT(*), COALESCE(SUM(support_approved), 0) FROM programme_project
        WHERE province_id = %s AND year BETWEEN %s AND %s AND archived_at IS NULL
          AND status IN ('approved', 'contracted', 'in_progress', 'accepted')""",
    "rounds": """
        SELECT COUNT(*) FROM selection_round WHERE province_id = %s AND year BETWEEN %s AND %s AND level = 'province'""",
    "certified": """
        SELECT r.level, COUNT(DISTINCT res.product_id) FROM selection_result res
        JOIN selection_round r ON r.id = res.round_id
        JOIN registry_product p ON p.id = res.product_id
        JOIN registry_establishment e ON e.id = p.establishment_id
        WHERE e.province_id = %s AND r.year BETWEEN %s AND %s AND res.certified
        GROUP BY r.level""",
}


def raw_summary(province: int, a: int, b: int) -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(RAW_SQL["money"], [province, a, b])
        total, national, local, counterpart, jobs, _n = cur.fetchone()
        cur.execute(RAW_SQL["running"], [province, a, b])
        running, approved = cur.fetchone()
        cur.execute(RAW_SQL["rounds"], [province, a, b])
        (rounds,) = cur.fetchone()
        cur.execute(RAW_SQL["certified"], [province, a, b])
        certified = dict(cur.fetchall())
    return {"rounds": rounds, "support": {"total": total, "national": national, "local": local},
            "counterpart": counterpart, "jobs": jobs, "running": {"projects": running, "approved": approved},
            "certified": {level: certified.get(level, 0) for level in ("district", "province", "region", "national")}}


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_projects_csv(path: Path, rows: int, seed: int = 2) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Mã đề án", "Năm", "Tên đề án", "Nguồn kinh phí", "Nội dung hoạt động", "Mã cơ sở", "Tỉnh/Thành phố",
                    "Xã/Phường", "Kinh phí hỗ trợ được duyệt", "Kinh phí hỗ trợ quyết toán", "Vốn đối ứng", "Lao động thu hút", "Trạng thái"])
        for i in range(rows):
            amount = rng.randrange(50, 2000) * 1_000_000
            w.writerow([f"IMP{seed}-{i:06d}", rng.randint(2016, 2024), f"Đề án nhập {i}", rng.choice(["national", "Khuyến công địa phương"]),
                        rng.choice(["machinery", "Đào tạo nghề, truyền nghề"]), f"B-{rng.randrange(2000):05d}",
                        rng.choice(["Cà Mau", "96", "Bạc Liêu"]), rng.choice(["Sông Đốc", "32065", "Huyện Hồng Dân", ""]),
                        f"{amount:,}".replace(",", "."), amount, amount * 3, rng.randint(0, 50), "Quyết toán"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--results", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--concurrency-seconds", type=float, default=20,
                        help="how long the 8 API writers run (bench/concurrency.py); 0 skips it")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    setup(str(tmp / "bench.sqlite3"))
    from django.db import connection, reset_queries

    from khuyencong.interchange.services import import_file
    from khuyencong.reports.selectors import Period, place_for, summary

    start = time.perf_counter()
    generate(args.projects, args.results)
    print(f"dataset: {args.projects} projects, {args.results} results, 2000 establishments, 4000 products "
          f"(generated in {time.perf_counter() - start:.1f}s) in {tmp}")

    place, period = place_for("96"), Period(2016, 2023)
    ours = summary(place, period)
    raw = raw_summary(96, 2016, 2023)
    same = all(ours[k] == raw[k] for k in raw)
    print(f"summary figures equal to raw SQL: {same}")
    if not same:
        print("  ours:", {k: ours[k] for k in raw}, "\n  raw: ", raw)
    from django.conf import settings

    settings.DEBUG = True
    reset_queries()
    summary(place, period)
    queries = len(connection.queries)
    settings.DEBUG = False
    t_ours = timed(lambda: summary(place, period), args.repeat)
    t_raw = timed(lambda: raw_summary(96, 2016, 2023), args.repeat)
    print(f"summary selector: {t_ours * 1000:.1f} ms ({queries} queries); raw SQL: {t_raw * 1000:.1f} ms; "
          f"ratio report/raw = {t_ours / t_raw:.2f}")
    country = place_for(None)
    t_ours_c = timed(lambda: summary(country, Period(None, None)), max(3, args.repeat // 3))
    print(f"summary of the whole country, all years: {t_ours_c * 1000:.1f} ms")

    # Throughput, without tracemalloc (it slows Python down several times).
    path = tmp / f"projects-{args.rows}.csv"
    write_projects_csv(path, args.rows, seed=args.rows)
    start = time.perf_counter()
    report = import_file(user=None, kind="projects", path=str(path))
    elapsed = time.perf_counter() - start
    assert report.ok, [str(e) for e in report.errors[:5]]
    print(f"import of a {args.rows}-row projects CSV: {elapsed:.1f}s = {args.rows / elapsed:.0f} rows/s "
          f"(whole-file validation, then the write in one transaction, audited); created {report.created}")
    start = time.perf_counter()
    report = import_file(user=None, kind="projects", path=str(path))
    elapsed = time.perf_counter() - start
    print(f"re-import of the same file: {elapsed:.1f}s = {args.rows / elapsed:.0f} rows/s; unchanged {report.unchanged}")
    # Peak memory for a small and a large file: flat, because both passes stream the file.
    for rows in (args.rows // 10, args.rows // 2):
        path = tmp / f"projects-mem-{rows}.csv"
        write_projects_csv(path, rows, seed=rows + 7)
        tracemalloc.start()
        report = import_file(user=None, kind="projects", path=str(path))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak traced Python memory importing {rows} rows: {peak / 1048576:.1f} MiB")
    if not args.keep:
        import shutil

        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.concurrency_seconds:
        # A server in its own processes on its own database (SQLite, and PostgreSQL at BENCH_POSTGRES_URL).
        sys.path.insert(0, str(ROOT / "bench"))
        import concurrency

        concurrency.run(seconds=args.concurrency_seconds)

if __name__ == "__main__":
    main()
