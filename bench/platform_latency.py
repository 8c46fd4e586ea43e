#!/usr/bin/python3
"""Latency of the issue-18 write paths next to a baseline, on one keep-alive connection each.

    bench/platform_latency.py [--build build] [--n 300]

Starts `stockbell serve` on a fresh database and measures, alternating in rounds, p50/p99 of:
  upsert      POST /api/v1/products, one product with 3 variants, notifying nobody (the baseline)
  inventory   POST /api/v1/inventory, one item, notifying nobody
  order       POST /api/v1/orders, two items, a new orderId each time
  shopify     a signed products/update delivery (the fixture's 3-variant sweater, ~4.4 KB),
              a new X-Shopify-Webhook-Id each time
Every answer is checked (200/202); figures print as one JSON object.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "stockbell-shopify-test-secret"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    binary = os.path.join(args.build, "server", "stockbell")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        key = subprocess.run([binary, "keys", "create", "--db", db, "--store", "bench", "--kind", "secret"],
                             check=True, capture_output=True, text=True).stdout.strip()
        server = subprocess.Popen([binary, "serve", "--db", db, "--port", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        try:
            banner = server.stdout.readline()
            port = int(banner.split("http://")[1].split()[0].rsplit(":", 1)[1])
            conn = http.client.HTTPConnection("127.0.0.1", port)
            auth = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}

            def call(method, path, body, headers, expect):
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                if r.status != expect:
                    sys.exit(f"{path}: {r.status} {data[:300]!r}")
                return data

            hook = json.loads(call("PUT", "/api/v1/integrations/shopify", json.dumps(
                {"shopDomain": "stockbell-test.myshopify.com", "webhookSecret": SECRET, "currency": "USD"}),
                auth, 200))["integration"]["webhookUrl"]
            hook = hook[hook.index("/api/v1/"):]
            fixture = os.path.join(ROOT, "tests", "fixtures", "platforms", "shopify")
            sweater = open(os.path.join(fixture, "product_update_variants_restock.json"), "rb").read()
            signature = base64.b64encode(hmac.new(SECRET.encode(), sweater, hashlib.sha256).digest()).decode()
            upsert = json.dumps({"products": [{"productId": "BASE", "title": "Baseline", "variants": [
                {"variantId": f"BASE-{i}", "title": str(i), "priceCents": 100, "inventoryQuantity": 5}
                for i in range(3)]}]})
            inventory = json.dumps({"items": [{"productId": "BASE", "variantId": "BASE-1", "inventoryQuantity": 5}]})
            call("POST", "/api/v1/products", upsert, auth, 200)
            counter = [0]

            def order():
                counter[0] += 1
                return json.dumps({"orderId": f"O-{counter[0]}", "totalCents": 200, "currency": "USD",
                                   "customer": {"email": "buyer@example.com"},
                                   "items": [{"productId": "BASE", "variantId": "BASE-0", "title": "B", "quantity": 1,
                                              "priceCents": 100},
                                             {"productId": "BASE", "variantId": "BASE-1", "title": "B", "quantity": 1,
                                              "priceCents": 100}]})

            def delivery():
                counter[0] += 1
                return {"Content-Type": "application/json", "X-Shopify-Topic": "products/update",
                        "X-Shopify-Hmac-Sha256": signature, "X-Shopify-Shop-Domain": "stockbell-test.myshopify.com",
                        "X-Shopify-Webhook-Id": f"bench-{counter[0]}"}

            paths = {
                "upsert": lambda: call("POST", "/api/v1/products", upsert, auth, 200),
                "inventory": lambda: call("POST", "/api/v1/inventory", inventory, auth, 200),
                "order": lambda: call("POST", "/api/v1/orders", order(), auth, 202),
                "shopify": lambda: call("POST", hook, sweater, delivery(), 200),
            }
            times = {name: [] for name in paths}
            for _ in range(20):  # warm-up
                for fn in paths.values():
                    fn()
            for _ in range(args.n):
                for name, fn in paths.items():
                    start = time.perf_counter()
                    fn()
                    times[name].append((time.perf_counter() - start) * 1000)
            base = statistics.median(times["upsert"])
            out = {name: {"p50_ms": round(statistics.median(t), 3), "p99_ms": round(percentile(t, 99), 3),
                          "p50_vs_upsert": round(statistics.median(t) / base, 2)} for name, t in times.items()}
            out["n"] = args.n
            print(json.dumps(out, indent=1))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
