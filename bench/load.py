"""Load generator (a second process): N clients with keep-alive connections request a list of paths in turn.

    python bench/load.py '{"port": 18710, "paths": ["/catalogue/"], "clients": 8, "seconds": 10}'

Prints one JSON object: requests, errors, status counts, throughput (req/s), p50/p95/p99 latency (ms).

Requests started during the warm-up are not measured. A page slower than the window would otherwise leave
nothing measured (every request in flight began in the warm-up): until `min_requests` are measured the
clients go on past the window, up to `max_seconds` in all. A request that fails is still measured, at the
time it took, under its status: "timeout" when the client gave up after `timeout` s, "no-answer" when the
server closed the connection without answering (gunicorn kills a worker busy past its own 30 s timeout).
"""

import http.client
import json
import socket
import sys
import threading
import time


def client(cfg, clock, out, index, measured):
    paths = cfg["paths"]
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "vi", **cfg.get("headers", {})}
    timeout = cfg.get("timeout", 60)

    def connect():
        return http.client.HTTPConnection("127.0.0.1", cfg["port"], timeout=timeout)

    conn = connect()
    n = index
    while True:
        now = time.perf_counter()
        if now >= clock["hard"] or (now >= clock["deadline"] and len(measured) >= cfg["min_requests"]):
            break
        path = paths[n % len(paths)]
        n += cfg["clients"]
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = str(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = connect()
        except (TimeoutError, socket.timeout):
            status = "timeout"
            conn.close()
            conn = connect()
        except (OSError, http.client.HTTPException):
            status = "no-answer"
            conn.close()
            conn = connect()
        end = time.perf_counter()
        if start >= clock["warm_until"]:
            out.append((end - start, status))
            measured.append(1)


def main() -> None:
    cfg = json.loads(sys.argv[1])
    clients, seconds, warmup = cfg.get("clients", 8), cfg.get("seconds", 10), cfg.get("warmup", 2)
    cfg["clients"] = clients
    cfg["min_requests"] = cfg.get("min_requests", clients)
    start = time.perf_counter()
    clock = {"warm_until": start + warmup, "deadline": start + warmup + seconds,
             "hard": start + max(warmup + seconds, cfg.get("max_seconds", 120))}
    samples: list[list] = [[] for _ in range(clients)]
    measured: list[int] = []
    threads = [threading.Thread(target=client, args=(cfg, clock, samples[i], i, measured)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    allsamples = sorted(s for part in samples for s in part)
    latencies = sorted(s[0] for s in allsamples)
    statuses: dict[str, int] = {}
    for _lat, status in allsamples:
        statuses[status] = statuses.get(status, 0) + 1
    elapsed = time.perf_counter() - clock["warm_until"]

    def pct(p):
        if not latencies:
            return None
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    print(json.dumps({
        "requests": len(latencies), "errors": sum(n for s, n in statuses.items() if not s.startswith(("2", "3"))),
        "statuses": statuses, "rps": round(len(latencies) / elapsed, 2) if elapsed > 0 else 0,
        "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99), "measured_seconds": round(elapsed, 1),
        "window_seconds": seconds,
    }))


if __name__ == "__main__":
    main()
