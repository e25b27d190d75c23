"""Load generator (a second process): N clients with keep-alive connections request a list of paths in turn.

    python bench/load.py '{"port": 18710, "paths": ["/catalogue/"], "clients": 8, "seconds": 10}'

Prints one JSON object: requests, errors, status counts, throughput (req/s), p50/p95/p99 latency (ms).
"""

import http.client
import json
import sys
import threading
import time


def client(cfg, deadline, warm_until, out, index):
    paths = cfg["paths"]
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "vi", **cfg.get("headers", {})}
    conn = http.client.HTTPConnection("127.0.0.1", cfg["port"], timeout=60)
    n = index
    while True:
        now = time.perf_counter()
        if now >= deadline:
            break
        path = paths[n % len(paths)]
        n += cfg["clients"]
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", cfg["port"], timeout=60)
        except (OSError, http.client.HTTPException):
            status = 599
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", cfg["port"], timeout=60)
        end = time.perf_counter()
        if start >= warm_until:
            out.append((end - start, status))


def main() -> None:
    cfg = json.loads(sys.argv[1])
    clients, seconds, warmup = cfg.get("clients", 8), cfg.get("seconds", 10), cfg.get("warmup", 2)
    cfg["clients"] = clients
    start = time.perf_counter()
    warm_until, deadline = start + warmup, start + warmup + seconds
    samples: list[list] = [[] for _ in range(clients)]
    threads = [threading.Thread(target=client, args=(cfg, deadline, warm_until, samples[i], i)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    allsamples = sorted(s for part in samples for s in part)
    latencies = sorted(s[0] for s in allsamples)
    statuses: dict[str, int] = {}
    for _lat, status in allsamples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    measured = time.perf_counter() - warm_until

    def pct(p):
        if not latencies:
            return None
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    print(json.dumps({
        "requests": len(latencies), "errors": sum(n for s, n in statuses.items() if not s.startswith(("2", "3"))),
        "statuses": statuses, "rps": round(len(latencies) / measured, 1) if measured > 0 else 0,
        "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
    }))


if __name__ == "__main__":
    main()
