"""Real concurrency on the embedded SQLite: a gunicorn server with 4 worker processes on one database file,
8 threads creating establishments through the API while 3 sessions approve the same results at once.

Before write transactions took the lock when they began (`transaction_mode: IMMEDIATE`) this gave hundreds
of 500 "database is locked". Counts only, no timing (throughput is in `make bench`: bench/concurrency.py).
"""

import importlib.util
from pathlib import Path

import pytest

# long, and without the test database: run first (see conftest.pytest_collection_modifyitems)
pytestmark = pytest.mark.early

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_concurrency", ROOT / "bench" / "concurrency.py")
concurrency = importlib.util.module_from_spec(spec)
spec.loader.exec_module(concurrency)


def test_eight_api_writers_and_three_concurrent_approvals_get_no_server_error(tmp_path):
    result = concurrency.scenario(
        f"sqlite:///{tmp_path}/office.sqlite3", 18151, writers_n=8, requests_each=12, workdir=tmp_path
    )
    writes, approvals = result["writes"]["statuses"], result["approvals"]["statuses"]
    assert writes == {"2xx": 8 * 12}, result["writes"]["errors"]
    assert approvals == {
        "3xx": 3
    }  # each approval answers with the results page (a refusal is a message there)
    assert result["stored"] == {
        "establishments": 96,
        "results": result["dossiers"],
        "round_status": "approved",
    }
    assert result["server_errors"] == []
