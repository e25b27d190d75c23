"""A small run of every benchmark of `make bench` (tiny dataset, SQLite, a second each): they keep working.

No timing is asserted: only that each benchmark ran and reported its figure and goal.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# long, and without the test database: run first (see conftest.pytest_collection_modifyitems)
pytestmark = pytest.mark.early

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_benchmark_runs_on_a_tiny_dataset(tmp_path):
    env = {
        **os.environ,
        "BENCH_DB_DIR": str(tmp_path),
        "BENCH_SECONDS": "1",
        "BENCH_WARMUP": "1",
        "BENCH_IMPORT_ROWS": "200",
        "BENCH_SKIP_IMPORT_EXPORT": "1",
        "BENCH_PORT": os.environ.get("BENCH_SMOKE_PORT", "18760"),
        "BENCH_CONCURRENCY_SECONDS": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--backend",
            "sqlite",
            "--scale",
            "tiny",
            "--only",
            "summary,http,import,export",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads(out.stdout.strip().splitlines()[-1])
    for name in [
        "synth_seconds",
        "summary_country_vs_sql",
        "summary_province_vs_sql",
        "summary_by_province_vs_sql",
        "http_bare_rps",
        "http_catalogue_page1_p95_ms",
        "http_catalogue_search_share_of_bare",
        "http_verify_p95_ms",
        "http_registry_search_p95_ms",
        "http_reports_p95_ms",
        "import_vs_executemany",
        "import_peak_memory_growth",
        "export_xlsx_seconds",
        "export_xlsx_peak_memory_growth",
    ]:
        assert {"value", "goal", "met"} <= set(results[name]), name
    # the figures compared are the same figures
    assert results["summary_country_same_figures"]["value"] is True
    assert results["summary_province_same_figures"]["value"] is True
    # every page answered 2xx under load (none may have answered at all in a second on a busy machine)
    refused = {
        k: v["unit"]
        for k, v in results.items()
        if k.endswith("_errors") and any(not s.startswith("2") for s in json.loads(v["unit"]))
    }
    assert not refused, refused
