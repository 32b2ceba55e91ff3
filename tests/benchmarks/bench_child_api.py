"""Child API figures: per-request time and database statements of the authenticated child list and child
detail (access decision + audit write included), against /api/me/ as the baseline of an authenticated call.

    DATABASE_URL=... python tests/benchmarks/bench_child_api.py [--children 200] [--requests 300]

Runs in-process (Django test client, no HTTP server) against the development database's t_ystad tenant,
which it fills through `child_record_demo_seed` first (idempotent). Not collected by pytest.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backa_platform.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--email", default="barnkontakt@demo.example.se", help="the Barnkontakt of the demo children")
    parser.add_argument(
        "--profile", type=int, default=0, help="then cProfile this many child detail requests and print the top"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import tenant_context

    from modules.accounts.services import api_token_create
    from modules.children.demo import child_record_demo_seed
    from modules.children.models import Child
    from tenants.models import Tenant

    tenant = Tenant.objects.get(schema_name="t_ystad")
    with tenant_context(tenant):
        user, _ = child_record_demo_seed(email=args.email, children=args.children)
        token = api_token_create(user=user).key
        child_id = Child.objects.filter(contacts__user=user).order_by("pk").values_list("pk", flat=True).first()
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=tenant.primary_domain, HTTP_AUTHORIZATION=f"Token {token}")

    def measure(path):
        assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        statements = [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95) - 1], len(statements)

    rows = {
        "baseline GET /api/me/": measure("/api/me/"),
        f"GET /api/children/ (page of 50 of {args.children})": measure("/api/children/"),
        f"GET /api/children/{child_id}/": measure(f"/api/children/{child_id}/"),
    }
    base = rows["baseline GET /api/me/"][0]
    print(f"load average {os.getloadavg()}")
    print(f"{'request':48} {'p50 ms':>8} {'p95 ms':>8} {'statements':>10} {'x baseline':>10}")
    for name, (p50, p95, statements) in rows.items():
        print(f"{name:48} {p50:8.2f} {p95:8.2f} {statements:10d} {p50 / base:10.2f}")
    if args.profile:
        profile(client, f"/api/children/{child_id}/", args.profile)


def profile(client, path, requests):
    """Where a child detail request's time goes, in-process: cumulative time of the layers (middleware, DRF's
    authentication, permission, serializer, renderer) and every statement sent to the database."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(f"\nround trips of one request ({len(queries.captured_queries)}):")
    for query in queries.captured_queries:
        print(f"  {query['time']:>6} s  {query['sql'][:110]}")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    print(f"\n{requests} requests under the profiler: {(time.perf_counter() - started) * 1000 / requests:.2f} ms each")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
