"""Every benchmark of the national-scale issue, on SQLite and on PostgreSQL when one answers.

    make bench                              (BENCH_SCALE=province by default: one province's data)
    BENCH_SCALE=national make bench         (34 provinces, 300,000 establishments ...: long on 2 cores)
    .venv/bin/python bench/run.py --only summary,http --backends sqlite

Each backend runs in its own process (`--backend`) on a database built by `khuyencong synth` (kept between
runs: BENCH_FRESH=1 rebuilds it). Measured in the same run, so the ratios compare like with like:
- summary (country, province, by province) against one hand-written SQL query per figure;
- pages under 8 concurrent clients (a second process) against gunicorn with 2 workers in production mode,
  throughput as a share of a bare view served the same way;
- import of establishment rows against django-import-export (installed into the venv at bench time, never a
  project dependency) and one `executemany` of the same pre-parsed rows; peak memory at n and 4n rows;
- XLSX export of every establishment, time and peak memory against a tenth of them;
- concurrent writers (bench/concurrency.py) when present.
Writes bench/latest.json and docs/benchmarks.md and prints the table.
"""

import argparse
import csv
import json
import os
import platform
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# BENCH_POSTGRES_URL names a database the benchmark may drop; its name is the prefix of every database it makes
# (`<name>_national`, `<name>_concurrency`); without it, `scale_bench_*` on BENCH_PG_URL's server
_PG_URL = os.environ.get("BENCH_POSTGRES_URL", "")
PG_ADMIN_URL = _PG_URL.rpartition("/")[0] if _PG_URL else os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_PREFIX = _PG_URL.rpartition("/")[2] if _PG_URL else "scale_bench"
PORT = int(os.environ.get("BENCH_PORT", "18710"))
CLIENTS = 8
LOAD_AT_START: list[float] = []
REPEAT = 7
COLLECTED: list[bool] = []  # the report is written by --collect from the backends' kept results
# the benchmark's own process signs the session cookie the server must accept
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
# the shared cache: this project's Redis database on the bench machine, when Redis answers
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


if "REDIS_URL" not in os.environ and _redis_answers():
    os.environ["REDIS_URL"] = BENCH_REDIS


def _own_cache(i: int) -> dict:
    """The i-th backend run at the same time as others: its own Redis database (cached counts are keyed by their
    SQL, which two backends may share)."""
    url = os.environ.get("REDIS_URL")
    if not url or i == 0:
        return {}
    base, _, db = url.rpartition("/")
    return {"REDIS_URL": f"{base}/{int(db) + i}"} if db.isdigit() else {}


# --- helpers ---------------------------------------------------------------------------------------
def pg_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return False
    return subprocess.run(["psql", f"{PG_ADMIN_URL}/postgres", "-tAc", "select 1"], capture_output=True).returncode == 0


BENCH_DIR = Path(os.environ.get("BENCH_DB_DIR", tempfile.gettempdir()))


def db_url(backend: str, scale: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{BENCH_DIR}/kc-bench-{scale}.sqlite3"
    return f"{PG_ADMIN_URL}/{PG_PREFIX}_{scale}"


def result(value, goal: str, met: bool | None, unit: str = "") -> dict:
    return {"value": value, "goal": goal, "met": met, "unit": unit}


def timed(func, repeat: int = REPEAT) -> float:
    func()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    # measured as deployed: with DEBUG on, Django keeps the text of the last 9,000 queries of the connection (a
    # 500-row INSERT's is ~100 kB), which made the import's memory grow with its rows and slowed it by a third
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the database ----------------------------------------------------------------------------------
def prepare(backend: str, scale: str) -> dict:
    """Migrate and build the synthetic dataset unless the database already holds it; returns synth's timings."""
    url = db_url(backend, scale)
    marker = BENCH_DIR / f"kc-bench-{backend}-{scale}.synth.json"
    # the marker says the dataset was built; without the database itself (a SQLite file moved or renamed) the
    # run would measure an empty database
    missing = backend == "sqlite" and not Path(url.removeprefix("sqlite:///")).exists()
    fresh = os.environ.get("BENCH_FRESH") == "1" or not marker.exists() or missing
    if fresh:
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        else:
            name = url.rsplit("/", 1)[1]
            subprocess.run(["psql", f"{PG_ADMIN_URL}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
            subprocess.run(["psql", f"{PG_ADMIN_URL}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "khuyencong.settings"}
    subprocess.run([PYTHON, "-m", "khuyencong.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    if fresh:
        start = time.perf_counter()
        out = subprocess.run([PYTHON, "-m", "khuyencong.cli", "synth", "--scale", scale], env=env, check=True, cwd=ROOT,
                             capture_output=True, text=True).stdout
        info = {"seconds": round(time.perf_counter() - start, 1), "log": out.strip().splitlines()}
        marker.write_text(json.dumps(info))
    return json.loads(marker.read_text())


# --- summary against hand-written SQL --------------------------------------------------------------
def _raw_sql(place_sql: str, group: str = "") -> dict[str, str]:
    sel, grp = (f"{group}, ", f" GROUP BY {group}") if group else ("", "")
    return {
        "money": f"""SELECT {sel}COALESCE(SUM(support_settled), 0),
               COALESCE(SUM(CASE WHEN programme = 'national' THEN support_settled END), 0),
               COALESCE(SUM(CASE WHEN programme = 'local' THEN support_settled END), 0),
               COALESCE(SUM(counterpart), 0), COALESCE(SUM(jobs), 0), COUNT(*)
            FROM programme_project
            WHERE year BETWEEN %s AND %s AND archived_at IS NULL AND status = 'settled'{place_sql}{grp}""",
        "running": f"""SELECT {sel}COUNT(*), COALESCE(SUM(support_approved), 0) FROM programme_project
            WHERE year BETWEEN %s AND %s AND archived_at IS NULL
              AND status IN ('approved', 'contracted', 'in_progress', 'accepted'){place_sql}{grp}""",
        "rounds": f"""SELECT {sel}COUNT(*) FROM selection_round
            WHERE year BETWEEN %s AND %s AND level = %s{place_sql}{grp}""",
        "certified": f"""SELECT {('e.' + group + ', ') if group else ''}r.level, COUNT(DISTINCT res.product_id)
            FROM selection_result res
            JOIN selection_round r ON r.id = res.round_id
            JOIN registry_product p ON p.id = res.product_id
            JOIN registry_establishment e ON e.id = p.establishment_id
            WHERE r.year BETWEEN %s AND %s AND res.certified = %s{place_sql.replace('province_id', 'e.province_id')}
            GROUP BY {('e.' + group + ', ') if group else ''}r.level""",
    }


def raw_summary(province: int | None, a: int, b: int) -> dict:
    from django.db import connection

    place_sql, extra = (" AND province_id = %s", [province]) if province else ("", [])
    sql = _raw_sql(place_sql)
    with connection.cursor() as cur:
        cur.execute(sql["money"], [a, b, *extra])
        total, national, local, counterpart, jobs, n = cur.fetchone()
        cur.execute(sql["running"], [a, b, *extra])
        running, approved = cur.fetchone()
        cur.execute(sql["rounds"], [a, b, "province" if province else "national", *extra])
        (rounds,) = cur.fetchone()
        cur.execute(sql["certified"], [a, b, True, *extra])
        certified = dict(cur.fetchall())
    return {"rounds": rounds, "support": {"total": int(total), "national": int(national), "local": int(local)},
            "counterpart": int(counterpart), "jobs": int(jobs),
            "running": {"projects": running, "approved": int(approved)},
            "certified": {level: certified.get(level, 0) for level in ("district", "province", "region", "national")}}


def raw_by_province(a: int, b: int) -> dict:
    from django.db import connection

    sql = _raw_sql("", "province_id")
    out: dict = {}
    with connection.cursor() as cur:
        cur.execute(sql["money"], [a, b])
        for p, total, national, local, counterpart, jobs, _n in cur.fetchall():
            out.setdefault(p, {})["support"] = {"total": int(total), "national": int(national), "local": int(local)}
            out[p]["counterpart"], out[p]["jobs"] = int(counterpart), int(jobs)
        cur.execute(sql["running"], [a, b])
        for p, running, approved in cur.fetchall():
            out.setdefault(p, {})["running"] = {"projects": running, "approved": int(approved)}
        cur.execute(sql["rounds"], [a, b, "province"])
        for p, rounds in cur.fetchall():
            out.setdefault(p, {})["rounds"] = rounds
        cur.execute(sql["certified"], [a, b, True])
        for p, level, n in cur.fetchall():
            out.setdefault(p, {}).setdefault("certified", {})[level] = n
    return out


def bench_summary(results: dict) -> None:
    from django.db.models import Count

    from khuyencong.geo.selectors import PlaceFilter
    from khuyencong.registry.models import Establishment
    from khuyencong.reports.selectors import Period, place_for, summary, summary_by_province

    biggest = (Establishment.objects.order_by().values("province_id").annotate(n=Count("pk")).order_by("-n")
               .values_list("province_id", flat=True).first())
    a, b = 2016, 2025
    keys = ("rounds", "support", "counterpart", "jobs", "running", "certified")
    for name, place, code in (("country", PlaceFilter(), None), ("province", place_for(str(biggest)), biggest)):
        ours, raw = summary(place, Period(a, b)), raw_summary(code, a, b)
        equal = all(ours[k] == raw[k] for k in keys)
        t_ours = timed(lambda place=place: summary(place, Period(a, b)))
        t_raw = timed(lambda code=code: raw_summary(code, a, b))
        results[f"summary_{name}_ms"] = result(round(t_ours * 1000, 1), "< 1000 ms", t_ours < 1, "ms")
        results[f"summary_{name}_vs_sql"] = result(round(t_ours / t_raw, 2), "≤ 1.5× one SQL query per figure",
                                                   t_ours / t_raw <= 1.5 and equal, "×")
        results[f"summary_{name}_same_figures"] = result(equal, "equal to the SQL", equal)
    rows = summary_by_province(Period(a, b))
    raw = raw_by_province(a, b)
    equal = all(r["support"] == raw.get(int(r["place"]["province"]), {}).get("support", r["support"]) for r in rows)
    t_ours = timed(lambda: summary_by_province(Period(a, b)))
    t_raw = timed(lambda: raw_by_province(a, b))
    results["summary_by_province_ms"] = result(round(t_ours * 1000, 1), "< 1000 ms", t_ours < 1, "ms")
    results["summary_by_province_vs_sql"] = result(round(t_ours / t_raw, 2), "≤ 1.5× one GROUP BY per figure",
                                                   t_ours / t_raw <= 1.5 and equal, "×")
    from khuyencong.reports import rendering

    t_report = timed(lambda: rendering._report_data(PlaceFilter(), Period(None, None)), 3)
    results["reports_data_uncached_ms"] = result(round(t_report * 1000, 1), "(information: every figure of the "
                                                 "country's report page, computed without the cache)", None, "ms")


# --- pages under load ------------------------------------------------------------------------------
def bench_http(results: dict, url: str, seconds: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from khuyencong.selection.models import Certificate

    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": "admin", "is_staff": True})
    client = Client()
    client.force_login(admin)
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    from khuyencong.api.services import create_token

    _token, raw_token = create_token(user=admin, name="bench")
    numbers = list(Certificate.objects.order_by("?").values_list("number", flat=True)[:2000])
    static_root = tempfile.mkdtemp(prefix="kc-bench-static-")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT),
           "DJANGO_ENV": "production", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "STATIC_ROOT": static_root, "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "600"),
           "RATELIMIT_ENABLE": "0", "RATE_LIMITS_ENABLED": "0", "LOG_LEVEL": "ERROR"}
    subprocess.run([PYTHON, "-m", "khuyencong.cli", "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    log = open(Path(tempfile.gettempdir()) / f"kc-bench-gunicorn-{PORT}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "khuyencong.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--no-control-socket", "--log-level", "warning"], env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        import http.client

        for _ in range(120):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
                conn.request("GET", "/bench/bare/", headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        from khuyencong.registry.models import Establishment

        province = Establishment.objects.values_list("province_id", flat=True).first()
        scenarios = [
            ("bare", ["/bench/bare/"], {}),
            ("catalogue_page1", ["/catalogue/"], {}),
            ("catalogue_page50", ["/catalogue/?page=50"], {}),
            ("catalogue_search", ["/catalogue/?q=kho+muc", "/catalogue/?q=chieu+coi", "/catalogue/?q=nuoc+mam"], {}),
            ("catalogue_filtered", [f"/catalogue/?province={province}&group=agro_processing&level=province",
                                    "/catalogue/?group=handicraft&year=2022"], {}),
            ("verify", [f"/verify/{n}" for n in numbers] or ["/verify/none"], {}),
            ("registry_search", ["/registry/establishments/?q=kho+muc", "/registry/establishments/?q=hop+tac+xa",
                                 "/registry/establishments/?q=nguyen+van"], {"Cookie": cookie}),
            ("api_establishments", ["/api/v1/establishments/?limit=50"], {"Authorization": f"Bearer {raw_token}"}),
            ("reports", ["/reports/"], {"Cookie": cookie}),
        ]
        measured = {}
        for name, paths, headers in scenarios:
            # as a deployed service is, once someone has asked: one request of each page before the load (the
            # first computation of the country's report, 3-4 s, is otherwise made by both workers at once inside
            # the 2 s warm-up); verification is not primed, its 2,000 different numbers are the point
            for path in paths if name != "verify" else []:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
                    conn.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
                    conn.getresponse().read()
                except OSError:
                    pass
            # a page slower than the window is measured past it (at least CLIENTS requests, 180 s at most)
            cfg = {"port": PORT, "paths": paths, "headers": headers, "clients": CLIENTS, "seconds": seconds,
                   "warmup": float(os.environ.get("BENCH_WARMUP", "2")), "min_requests": CLIENTS,
                   "max_seconds": float(os.environ.get("BENCH_MAX_SECONDS", "180")), "timeout": 60}
            out = subprocess.run([PYTHON, str(ROOT / "bench" / "load.py"), json.dumps(cfg)], capture_output=True,
                                 text=True, check=True).stdout
            measured[name] = json.loads(out)
        bare = measured["bare"]["rps"] or 1
        for name, m in measured.items():
            ok = m["errors"] == 0 and m["requests"] > 0
            p95_goal = 1000 if name == "reports" else 50
            results[f"http_{name}_p50_ms"] = result(m["p50"], "(information)", None, "ms")
            if name != "bare":
                results[f"http_{name}_p95_ms"] = result(
                    m["p95"], f"< {p95_goal} ms" if name != "api_establishments" else "(information)",
                    (ok and m["p95"] is not None and m["p95"] < p95_goal) if name != "api_establishments" else None,
                    "ms")
            else:
                results["http_bare_p95_ms"] = result(m["p95"], "(information)", None, "ms")
            results[f"http_{name}_p99_ms"] = result(m["p99"], "(information)", None, "ms")
            results[f"http_{name}_rps"] = result(
                m["rps"], f"(information: {m['requests']} requests measured over {m['measured_seconds']} s)",
                None, "req/s")
            if name.startswith(("catalogue", "verify")):
                share = m["rps"] / bare
                results[f"http_{name}_share_of_bare"] = result(round(100 * share, 1), "≥ 70 % of the bare view",
                                                               ok and share >= 0.7, "%")
            if not ok:  # "timeout": the client gave up after 60 s; "no-answer": gunicorn killed the worker (30 s)
                results[f"http_{name}_errors"] = result(
                    m["errors"], "0 (of the requests measured)" if m["requests"] else "0 (no request answered)",
                    False, json.dumps(m["statuses"]))
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(static_root, ignore_errors=True)


# --- import ----------------------------------------------------------------------------------------
def write_establishments_csv(path: Path, rows: int, seed: int) -> list[tuple]:
    """A file of new establishments (interchange spec columns) and the same rows pre-parsed."""
    from khuyencong.core.synth import tax_code
    from khuyencong.geo.models import Commune
    from khuyencong.interchange.columns import SPECS

    rng = random.Random(seed)
    communes = list(Commune.objects.values_list("code", "province_id"))
    kinds = [("Hộ kinh doanh", "household"), ("Hợp tác xã", "cooperative"), ("Doanh nghiệp", "enterprise")]
    parsed = []
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c.label for c in SPECS["establishments"]])
        n = 0
        for i in range(rows):
            commune, province = rng.choice(communes)
            label, kind = rng.choice(kinds)
            tax = None
            while tax is None:  # every row its own (django-import-export would store a missing one as "")
                n += 1
                tax = tax_code(seed * 100_000_000 + 50_000_000 + n)
            code = f"IMP{seed}-{i:07d}"
            name = f"Cơ sở nhập {i} {rng.choice(['Khô mực', 'Chiếu cói', 'Nước mắm'])}"
            address = f"Ấp {rng.randint(1, 9)}"
            workers, founded = rng.randint(1, 90), rng.randint(1990, 2024)
            w.writerow([code, name, label, tax or "", province, commune, address, "0290123456", "", workers, founded])
            parsed.append((code, name, kind, tax, province, commune, address, "0290123456", "", workers, founded))
    return parsed


def child_import(url: str, path: str, what: str) -> None:
    """Run one import in this process (rolled back afterwards) and print rows/s and peak RSS."""
    setup_django(url)
    from django.db import transaction

    from khuyencong.interchange.services import import_file

    class Rollback(Exception):
        pass

    rows = sum(1 for _ in open(path, encoding="utf-8")) - 1
    start = time.perf_counter()
    created = 0
    try:
        with transaction.atomic():
            if what == "ours":
                report = import_file(user=None, kind="establishments", path=path)
                assert report.ok, [str(e) for e in report.errors[:5]]
                created = report.created
            elif what == "import_export":
                created = _import_export(path)
            raise Rollback
    except Rollback:
        pass
    elapsed = time.perf_counter() - start
    print(json.dumps({"rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed, "created": created,
                      "peak_rss_mib": peak_rss_mib()}))


def _import_export(path: str) -> int:
    """django-import-export with its defaults: a ModelResource of Establishment, rows matched on `code`."""
    import tablib
    from import_export import resources

    from khuyencong.registry.models import Establishment

    class EstablishmentResource(resources.ModelResource):
        class Meta:
            model = Establishment
            import_id_fields = ("code",)
            fields = ("code", "name", "kind", "tax_code", "province", "commune", "address", "phone", "email",
                      "workers", "founded")

    with open(path, encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        data = tablib.Dataset(headers=list(EstablishmentResource.Meta.fields))
        kinds = {"Hộ kinh doanh": "household", "Hợp tác xã": "cooperative", "Doanh nghiệp": "enterprise"}
        for row in reader:
            row[2] = kinds[row[2]]
            data.append([v or None if i in (3, 5, 9, 10) else v for i, v in enumerate(row)])
    outcome = EstablishmentResource().import_data(data, dry_run=False, raise_errors=True)
    return outcome.totals.get("new", 0)


def child_executemany(url: str, path: str) -> None:
    """One executemany of the same rows, already parsed (rolled back)."""
    setup_django(url)
    from django.db import connection, transaction
    from django.utils import timezone

    rows = []
    with open(path, encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        kinds = {"Hộ kinh doanh": "household", "Hợp tác xã": "cooperative", "Doanh nghiệp": "enterprise"}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        for code, name, kind, tax, province, commune, address, phone, email, workers, founded in reader:
            rows.append((now, now, code, name, kinds[kind], tax or None, int(province), int(commune), address, phone,
                         email, "", "", int(workers), int(founded), "", "", name.lower()))
    sql = ("INSERT INTO registry_establishment (created_at, updated_at, code, name, kind, tax_code, province_id, "
           "commune_id, address, phone, email, website, representative, workers, founded, description, markets, "
           "search_text, industry) VALUES (" + ", ".join(["%s"] * 18) + ", '')")
    start = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.executemany(sql, rows)
        transaction.set_rollback(True)
    elapsed = time.perf_counter() - start
    print(json.dumps({"rows": len(rows), "seconds": elapsed, "rows_per_s": len(rows) / elapsed}))


def _child(*args) -> dict:
    out = subprocess.run([PYTHON, str(Path(__file__).resolve()), *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_import(results: dict, url: str, rows: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-import-"))
    try:
        small, large = tmp / "small.csv", tmp / "large.csv"
        write_establishments_csv(small, rows, seed=7)
        write_establishments_csv(large, rows * 4, seed=8)
        ours = _child("--child", "import", url, str(small), "ours")
        big = _child("--child", "import", url, str(large), "ours")
        raw = _child("--child", "executemany", url, str(small))
        results["import_rows_per_s"] = result(round(ours["rows_per_s"]), f"(information: {rows} rows, full validation)",
                                              None, "rows/s")
        share = ours["rows_per_s"] / raw["rows_per_s"]
        results["import_vs_executemany"] = result(round(100 * share, 1), "≥ 25 % of one executemany", share >= 0.25,
                                                  "%")
        growth = big["peak_rss_mib"] / ours["peak_rss_mib"]
        results["import_peak_memory_growth"] = result(
            round(100 * (growth - 1), 1), f"within 10 % ({rows} vs {4 * rows} rows: {ours['peak_rss_mib']:.0f} vs "
            f"{big['peak_rss_mib']:.0f} MiB)", growth <= 1.10, "%")
        if os.environ.get("BENCH_SKIP_IMPORT_EXPORT") != "1" and _ensure_import_export():
            sample = tmp / "sample.csv"
            n = max(1000, min(rows, int(os.environ.get("BENCH_IE_ROWS", "5000"))))
            write_establishments_csv(sample, n, seed=9)
            theirs = _child("--child", "import", url, str(sample), "import_export")
            ratio = ours["rows_per_s"] / theirs["rows_per_s"]
            results["import_vs_django_import_export"] = result(
                round(ratio, 1), f"≥ 10× django-import-export (its rate measured on {n} rows: "
                f"{theirs['rows_per_s']:.0f} rows/s)", ratio >= 10, "×")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _ensure_import_export() -> bool:
    try:
        import import_export  # noqa: F401

        return True
    except ImportError:
        pass
    uv = shutil.which("uv") or str(Path(PYTHON).parent / "uv")
    done = subprocess.run([uv, "pip", "install", "--python", PYTHON, "--quiet", "django-import-export"],
                          capture_output=True)
    return done.returncode == 0


# --- export ----------------------------------------------------------------------------------------
def child_export(url: str, limit: str, fmt: str) -> None:
    setup_django(url)
    from khuyencong.interchange.exporters import export, queryset_for

    qs = queryset_for("establishments", None, {})
    if int(limit):
        last = qs.order_by("code").values_list("code", flat=True)[int(limit) - 1]
        qs = qs.filter(code__lte=last)
    rows = qs.count()
    handle = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
    handle.close()
    start = time.perf_counter()
    export("establishments", qs, handle.name, fmt)
    elapsed = time.perf_counter() - start
    size = os.path.getsize(handle.name)
    os.unlink(handle.name)
    print(json.dumps({"rows": rows, "seconds": elapsed, "bytes": size, "peak_rss_mib": peak_rss_mib()}))


def bench_export(results: dict, url: str) -> None:
    full = _child("--child", "export", url, "0", "xlsx")
    tenth = _child("--child", "export", url, str(max(1, full["rows"] // 10)), "xlsx")
    results["export_xlsx_seconds"] = result(round(full["seconds"], 1), f"< 60 s ({full['rows']} rows)",
                                            full["seconds"] < 60, "s")
    growth = full["peak_rss_mib"] / tenth["peak_rss_mib"]
    results["export_xlsx_peak_memory_growth"] = result(
        round(100 * (growth - 1), 1), f"flat: within 10 % ({tenth['rows']} vs {full['rows']} rows: "
        f"{tenth['peak_rss_mib']:.0f} vs {full['peak_rss_mib']:.0f} MiB)", growth <= 1.10, "%")
    csv_run = _child("--child", "export", url, "0", "csv")
    results["export_csv_seconds"] = result(round(csv_run["seconds"], 1), f"(information: {csv_run['rows']} rows)",
                                           None, "s")


# --- concurrent writers (bench/concurrency.py) ---------------------------------------------------
def bench_concurrency(results: dict, backend: str) -> None:
    """8 API writers for BENCH_CONCURRENCY_SECONDS and 3 simultaneous approvals against gunicorn: no 5xx."""
    sys.path.insert(0, str(ROOT / "bench"))
    import concurrency

    seconds = float(os.environ.get("BENCH_CONCURRENCY_SECONDS", "20"))
    with tempfile.TemporaryDirectory(prefix="kc-concurrency-") as tmp:
        if backend == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            url = f"{PG_ADMIN_URL}/{PG_PREFIX}_concurrency"
            concurrency._recreate_postgres(url)
        out = concurrency.scenario(url, PORT + 1, seconds=seconds, workdir=Path(tmp))
    w = out["writes"]
    five = w["statuses"].get("5xx", 0) + out["approvals"]["statuses"].get("5xx", 0)
    created = out["stored"]["establishments"]
    results["concurrency_writers_5xx"] = result(five, f"0 (8 API writers for {seconds:.0f} s + 3 approvals at "
                                                f"once: {w['statuses']}, approvals {out['approvals']['statuses']})",
                                                five == 0, "answers")
    results["concurrency_writes_per_s"] = result(round(created / w["elapsed"], 1), "(information: establishments "
                                                 "created per second through the API)", None, "/s")


# --- one backend -----------------------------------------------------------------------------------
def partial_path(backend: str, scale: str) -> Path:
    """Where a backend's run keeps what it measured so far (read back by --collect if the run is cut short)."""
    return BENCH_DIR / f"kc-bench-{backend}-{scale}.results.json"


def run_backend(backend: str, scale: str, only: set[str]) -> dict:
    results: dict = {}
    partial = partial_path(backend, scale)
    partial.unlink(missing_ok=True)
    started = time.perf_counter()

    def keep(section: str) -> None:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        results[f"seconds_{section}"] = result(round(time.perf_counter() - started, 1),
                                               f"(information: into this backend's run when {section} ended; "
                                               f"load average 1/5/15 min then: {load})", None, "s")
        partial.write_text(json.dumps(results))

    info = prepare(backend, scale)
    results["synth_seconds"] = result(info["seconds"], f"minutes, not an hour ({scale} dataset)",
                                      info["seconds"] < 1800, "s")
    url = db_url(backend, scale)
    setup_django(url)
    from django.core.cache import cache
    from django.db import connection

    cache.clear()  # figures cached from another dataset must not answer for this one

    keep("prepare")
    if "summary" in only:
        bench_summary(results)
        keep("summary")
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    if "http" in only:
        bench_http(results, url, seconds)
        keep("http")
    connection.close()
    if "import" in only:
        rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000" if scale == "national" else "10000"))
        bench_import(results, url, rows)
        keep("import")
    if "export" in only:
        bench_export(results, url)
        keep("export")
    if "concurrency" in only and (ROOT / "bench" / "concurrency.py").exists():
        bench_concurrency(results, backend)
        keep("concurrency")
    return results


# --- the report ------------------------------------------------------------------------------------
def machine(scale: str) -> dict:
    import sqlite3

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f"{kb / 1048576:.0f} GiB"
    except (OSError, StopIteration):
        pass
    pg = subprocess.run(["psql", f"{PG_ADMIN_URL}/postgres", "-tAc", "show server_version"], capture_output=True,
                        text=True).stdout.strip() if shutil.which("psql") else ""
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "postgresql": pg or None, "scale": scale,
            "clients": CLIENTS, "gunicorn_workers": 2, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average": os.getloadavg()[0], "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],
            "load_average_1_5_15_at_start": [round(x, 2) for x in LOAD_AT_START] or None,
            "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}


def table(results: dict, backends: list[str]) -> list[str]:
    names = []
    for backend in backends:
        for key in results:
            if key.startswith(backend + "."):
                name = key.split(".", 1)[1]
                if name not in names:
                    names.append(name)
    lines = ["| benchmark | " + " | ".join(backends) + " | goal |", "|---|" + "---|" * len(backends) + "---|"]
    for name in names:
        cells, goal = [], ""
        for backend in backends:
            r = results.get(f"{backend}.{name}")
            if r is None:
                cells.append("—")
                continue
            goal = r.get("goal") or goal
            mark = {True: " ✅", False: " ❌", None: ""}[r.get("met")]
            cells.append(f"{r['value']} {r.get('unit', '')}".strip() + mark)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {goal} |")
    return lines


def shortfall(r: dict) -> str:
    """What a result missed its goal by: "161 ms against < 50 ms: 3.2× over"."""
    import re

    value, goal = r.get("value"), r.get("goal") or ""
    have = f"{value} {r.get('unit', '')}".strip()
    found = re.search(r"([<≤≥]|within)\s*([\d.]+)", goal)
    if not isinstance(value, int | float) or isinstance(value, bool) or not found:
        return f"{have} against {goal}"
    sign, limit = found.group(1), float(found.group(2))
    if sign == "≥":
        by = f"{limit - value:.1f} short of it ({100 * value / limit:.0f} % of the goal)" if limit else ""
    else:
        by = f"{value / limit:.2f}× the limit" if limit else ""
    return f"{have} against {goal}: {by}"


def write_report(results: dict, backends: list[str], scale: str) -> None:
    doc = {"machine": machine(scale), "results": results}
    (ROOT / "bench" / "latest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    lines = table(results, backends)
    print("\n".join(lines))
    failed = [k for k, v in results.items() if v.get("met") is False]
    m = doc["machine"]
    md = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); the figures of the last committed run are in `bench/latest.json`.",
        "",
        f"Machine: {m['cpus']} cores ({m['cpu']}), {m['memory']}, Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgresql'] or '—'}; dataset `synth --scale {scale}`; "
        + (f"report written {m['date']} from what each backend's run kept (`--collect`) (the load average over "
           "1/5/15 min at the end of each section is in its `seconds_*` row"
           if COLLECTED else
           f"run {m['date']} (load average over 1/5/15 min at the start {m['load_average_1_5_15_at_start']}, at "
           f"the end {m['load_average_1_5_15_at_end']}")
        + ": other work shares the 2 cores, so absolute times are inflated; compare the ratios, measured in the "
        "same run).",
        "",
        "How: every figure on the left is measured in the same run as what it is compared with. Pages are served",
        "by gunicorn with 2 workers in production mode (`DJANGO_ENV=production`, hashed static files) and loaded by",
        f"{CLIENTS} concurrent clients from a second process; throughput is a share of `/bench/bare/`, a view that",
        "does nothing, served the same way. Imports and exports run in their own process (peak RSS); imports are",
        "rolled back afterwards. django-import-export is installed into the venv only when the benchmark runs.",
        "",
        *lines,
        "",
        "## Goals not met in this run",
        "",
        *([f"- `{name}`: {shortfall(results[name])}" for name in failed] or ["None."]),
        "",
    ]
    notes = ROOT / "bench" / "notes.md"  # why, written by whoever ran it (kept between runs)
    if notes.exists():
        md += ["", notes.read_text().strip(), ""]
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(md))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        what, *args = sys.argv[2:]
        {"import": child_import, "executemany": child_executemany, "export": child_export}[what](*args)
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", help="run one backend in this process and print its results as JSON")
    parser.add_argument("--backends", default=None, help="comma-separated: sqlite,postgresql")
    parser.add_argument("--only", default="summary,http,import,export,concurrency")
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "province"))
    parser.add_argument("--no-write", action="store_true", help="do not write bench/latest.json and docs")
    parser.add_argument("--collect", action="store_true",
                        help="run nothing: write the report from what each backend's last run kept (also a run cut "
                             "short: its missing sections are named)")
    parser.add_argument("--parallel", action="store_true", default=os.environ.get("BENCH_PARALLEL") == "1",
                        help="run the backends at the same time (BENCH_PARALLEL=1); the ratios stay within a backend")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if args.backend:
        print(json.dumps(run_backend(args.backend, args.scale, only)))
        return
    backends = args.backends.split(",") if args.backends else ["sqlite"] + (["postgresql"] if pg_answers() else [])
    results: dict = {}
    LOAD_AT_START.extend(os.getloadavg())
    command = [PYTHON, str(Path(__file__).resolve()), "--scale", args.scale, "--only", args.only]
    if args.collect:
        COLLECTED.append(True)
        outs = []
        for backend in backends:
            path = partial_path(backend, args.scale)
            kept = json.loads(path.read_text()) if path.exists() else {}
            missing = [s for s in ("summary", "http", "import", "export", "concurrency")
                       if s in only and f"seconds_{s}" not in kept]
            if missing:
                kept["run_complete"] = result(False, "every section ran", False,
                                              "cut short before: " + ", ".join(missing))
            outs.append((backend, json.dumps(kept), "", 0))
    elif args.parallel:  # every backend at once, each on its own ports (a national run does not fit otherwise)
        running = [(backend, subprocess.Popen([*command, "--backend", backend], stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                              env={**os.environ, "BENCH_PORT": str(PORT + 2 * i),
                                                   **_own_cache(i)}))
                   for i, backend in enumerate(backends)]
        outs = [(backend, *proc.communicate(), proc.returncode) for backend, proc in running]
    else:
        outs = []
        for backend in backends:
            out = subprocess.run([*command, "--backend", backend], capture_output=True, text=True, cwd=ROOT)
            outs.append((backend, out.stdout, out.stderr, out.returncode))
    for backend, stdout, stderr, code in outs:
        if code:
            print(stderr[-4000:], file=sys.stderr)
            results[f"{backend}.run"] = result(None, "the benchmark ran", False, stderr.strip()[-200:])
            continue
        for name, value in json.loads(stdout.strip().splitlines()[-1]).items():
            results[f"{backend}.{name}"] = value
    if args.no_write:
        print("\n".join(table(results, backends)))
    else:
        write_report(results, backends, args.scale)


if __name__ == "__main__":
    main()
