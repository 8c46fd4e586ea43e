#!/usr/bin/python3
"""Latency of the dashboard's stats routes on a big store, next to baselines of the same run.

    bench/dashboard_stats.py [--build build] [--requests 1000000] [--targets 100000] [--n 200]

Creates a database with `stockbell keys create` (so the schema, its counters and triggers are the
real ones), then writes --requests requests over --targets targets straight into SQLite in one
transaction: the migration's triggers fill the demand and activity counters exactly as the
server's writes do. Popularity is skewed (target i gets weight 1/(i+1)); creation times spread
over the last 90 days; 70% waiting, 20% notified, 10% cancelled. Then `stockbell serve` answers,
on one keep-alive connection, alternating in rounds, and p50/p95 are printed as one JSON object:

  healthz         GET /healthz (the floor: HTTP and routing)
  settings        GET /api/v1/settings (the baseline: a keyed read of one row, JSON out)
  demand          GET /api/v1/stats/demand?limit=50
  demand_page_20  GET /api/v1/stats/demand?limit=50&offset=1000 (a later page)
  timeline_30     GET /api/v1/stats/timeline?days=30
  timeline_365    GET /api/v1/stats/timeline?days=365
and, measured 3 times only (it counts every match): requests_page, GET
/api/v1/back-in-stock?status=waiting&limit=50, the existing list the dashboard's Requests page
reads; and, for scale, the same demand ranking computed by scanning requests (one SQLite query with
GROUP BY over the waiting requests, the approach the counters replace), timed in-process.
"""
import argparse
import http.client
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DAY_MS = 86_400_000


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def seed(db, requests, targets):
    random.seed(13)
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous = OFF")
    store = con.execute("SELECT id FROM stores WHERE name = 'bench'").fetchone()[0]
    now = int(time.time() * 1000)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(targets)]
    chosen = random.choices(range(1, targets + 1), weights=weights, k=requests)
    plan = []  # (id, target, created, status, at); status 0 waiting, 1 notified, 2 cancelled
    for n, target in enumerate(chosen):
        created = now - random.randrange(90 * DAY_MS)
        roll = random.random()
        status = 0 if roll < 0.7 else 1 if roll < 0.9 else 2
        plan.append((n + 1, target, created, status, min(now, created + random.randrange(10 * DAY_MS))))
    with con:
        # One subscriber per request: at most one waiting request per target and subscriber.
        con.executemany(
            "INSERT INTO subscribers(id, store_id, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            ((i + 1, store, f"s{i}@bench.example", now, now) for i in range(requests)))
        con.executemany(
            "INSERT INTO targets(id, store_id, product_id, variant_id) VALUES (?, ?, ?, ?)",
            ((i + 1, store, f"P-{i // 4}", f"P-{i // 4}-V{i % 4}") for i in range(targets)))
        # Inserted waiting, then moved on, so the triggers see what the server's writes do.
        con.executemany(
            "INSERT INTO requests(id, target_id, subscriber_id, status, created_at) VALUES (?, ?, ?, 0, ?)",
            ((i, t, i, c) for (i, t, c, _, _) in plan))
        con.executemany("UPDATE requests SET status = 1, notified_at = ? WHERE id = ?",
                        ((at, i) for (i, _, _, st, at) in plan if st == 1))
        con.executemany("UPDATE requests SET status = 2, cancelled_at = ? WHERE id = ?",
                        ((at, i) for (i, _, _, st, at) in plan if st == 2))
    con.execute("ANALYZE")
    con.close()


def scan_ranking(db, store_id=1):
    """The demand ranking by scanning requests: what the counters replace."""
    con = sqlite3.connect(db)
    started = time.perf_counter()
    con.execute(
        "SELECT r.target_id, COUNT(*) AS waiting, MIN(r.created_at) FROM requests r"
        " JOIN targets t ON t.id = r.target_id WHERE t.store_id = ? AND r.status = 0"
        " GROUP BY r.target_id ORDER BY waiting DESC, 3 LIMIT 50", (store_id,)).fetchall()
    elapsed = (time.perf_counter() - started) * 1000
    con.close()
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--targets", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    binary = os.path.join(args.build, "server", "stockbell")
    print("seeding ...", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        key = subprocess.run([binary, "keys", "create", "--db", db, "--store", "bench", "--kind", "secret"],
                             check=True, capture_output=True, text=True).stdout.strip()
        started = time.perf_counter()
        seed(db, args.requests, args.targets)
        seed_s = time.perf_counter() - started
        scans = [scan_ranking(db) for _ in range(5)]
        server = subprocess.Popen([binary, "serve", "--db", db, "--port", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        try:
            banner = server.stdout.readline()
            port = int(banner.split("http://")[1].split()[0].rsplit(":", 1)[1])
            conn = http.client.HTTPConnection("127.0.0.1", port)
            auth = {"Authorization": "Bearer " + key}
            routes = {
                "healthz": "/healthz",
                "settings": "/api/v1/settings",
                "demand": "/api/v1/stats/demand?limit=50",
                "demand_page_20": "/api/v1/stats/demand?limit=50&offset=1000",
                "timeline_30": "/api/v1/stats/timeline?days=30",
                "timeline_365": "/api/v1/stats/timeline?days=365",
            }
            times = {name: [] for name in routes}
            checked = {}
            for round_ in range(args.n + 5):
                for name, path in routes.items():
                    t0 = time.perf_counter()
                    conn.request("GET", path, headers=auth)
                    r = conn.getresponse()
                    data = r.read()
                    elapsed = (time.perf_counter() - t0) * 1000
                    if r.status != 200:
                        sys.exit(f"{path}: {r.status} {data[:300]!r}")
                    if round_ >= 5:  # warm-up rounds are not counted
                        times[name].append(elapsed)
                    checked[name] = data
            slow = []
            for _ in range(3):
                t0 = time.perf_counter()
                conn.request("GET", "/api/v1/back-in-stock?status=waiting&limit=50", headers=auth)
                r = conn.getresponse()
                r.read()
                slow.append((time.perf_counter() - t0) * 1000)
            demand = json.loads(checked["demand"])
            timeline = json.loads(checked["timeline_30"])["timeline"]["series"]
            result = {
                "requests": args.requests, "targets": args.targets, "rounds": args.n,
                "seed_seconds": round(seed_s, 1),
                "waiting_total": demand["waitingTotal"],
                "targets_waiting": demand["pagination"]["total"],
                "top_waiting": demand["demand"][0]["waiting"],
                "requested_last_30_days": sum(d["requested"] for d in timeline),
                "ms": {name: {"p50": round(statistics.median(v), 2), "p95": round(percentile(v, 95), 2)}
                       for name, v in times.items()},
                "scan_ranking_ms_p50": round(statistics.median(scans), 1),
                "requests_page_ms_median_of_3": round(statistics.median(slow), 1),
            }
            base = result["ms"]["settings"]["p50"]
            result["ratio_to_settings_p50"] = {
                name: round(v["p50"] / base, 2) for name, v in result["ms"].items()}
            print(json.dumps(result, indent=2))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
