"""The benchmark's load generator measures a page slower than its window (the national /reports/ page once left
nothing measured: every request in flight had begun during the warm-up, so the table read "None ms, 0 req/s")."""

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path == "/close":  # a server that drops the connection without answering (a killed worker)
            self.close_connection = True
            self.connection.close()
            return
        time.sleep(1.5)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def load(port, **cfg):
    cfg = {"port": port, "clients": 2, "seconds": 0.5, "warmup": 0.5, **cfg}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), json.dumps(cfg)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)


def test_a_page_slower_than_the_window_is_measured_and_failures_are_named():
    port = int(os.environ.get("BENCH_LOAD_TEST_PORT", "18761"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        slow = load(port, paths=["/"], min_requests=2, max_seconds=20)
        assert slow["requests"] >= 2 and slow["errors"] == 0
        assert slow["p95"] >= 1500 and slow["rps"] > 0
        assert slow["measured_seconds"] > slow["window_seconds"]
        gave_up = load(port, paths=["/"], min_requests=2, max_seconds=20, timeout=0.5)
        assert gave_up["statuses"].get("timeout", 0) >= 2 and gave_up["errors"] == gave_up["requests"]
        dropped = load(port, paths=["/close"], min_requests=2, max_seconds=5)
        assert set(dropped["statuses"]) == {"no-answer"}
    finally:
        server.shutdown()
        server.server_close()
