"""Casework figures: per-request time and statements of the staff start list (/api/me/attention/, every
child of a Barnkontakt with what needs attention, each logged), the compass over time of one child, the
child's process page and the start page, and the caseload (/oversikt/, /api/caseload/: 25 rows a page, each
logged), against /api/me/ as the baseline of an authenticated call.

    DATABASE_URL=... python tests/benchmarks/bench_casework.py [--children 200] [--requests 100]

Runs in-process against the development database's t_ystad tenant (`make migrate` and `seed_demo` first);
fills it through the services (one more pair of assessments per run). Not collected by pytest.
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
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--email", default="barnkontakt@demo.example.se")
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from modules.accounts.services import api_token_create
    from modules.casework.models import Plan
    from modules.casework.plan_services import Responsible
    from modules.casework.services import RatingData, action_add, assessment_make, plan_start
    from modules.children.demo import child_record_demo_seed
    from modules.children.models import Child
    from modules.model_config.bundle import install as model_items_install
    from modules.model_config.defaults import MODEL
    from modules.model_config.models import InstalledRelease
    from tenants.models import Tenant
    from tests.factories import strong_session_mark

    tenant = Tenant.objects.get(schema_name="t_ystad")
    with tenant_context(tenant):
        if not InstalledRelease.objects.filter(is_current=True).exists():
            release = InstalledRelease.objects.create(version=999, checksum="bench", is_current=True)
            model_items_install(installed_release=release, model=MODEL)
        user, _ = child_record_demo_seed(email=args.email, children=args.children)
        token = api_token_create(user=user).key
        child = Child.objects.filter(contacts__user=user).order_by("pk").first()
        areas = [area["key"] for area in MODEL["areas"]]
        for level in ("3", "2"):
            assessment_make(
                child=child,
                acting_user=user,
                assessed_on=timezone.localdate(),
                ratings=[RatingData(area_key=key, level_key=level) for key in areas],
                perspective_keys=["barnet"],
                participants="bench",
                support_level_key="barnkontakt-barnteam",
                support_level_reason="bench",
            )
        if not Plan.objects.filter(child=child).exists():
            plan = plan_start(child=child, acting_user=user, next_review_on=timezone.localdate())
            for number in range(10):
                action_add(
                    plan=plan, what=f"Insats {number}", responsible=Responsible(kind="guardians"),
                    due_on=timezone.localdate() - timedelta(days=1), acting_user=user,
                )  # fmt: skip
    connection.set_schema_to_public()
    api = Client(HTTP_HOST=tenant.primary_domain, HTTP_AUTHORIZATION=f"Token {token}")
    page = Client(HTTP_HOST=tenant.primary_domain)
    with tenant_context(tenant):  # the session and last_login live in the tenant's schema
        page.force_login(user)
    strong_session_mark(page, tenant)
    connection.set_schema_to_public()

    def measure(client, path):
        assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        statements = [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95) - 1], len(statements)

    baseline = measure(api, "/api/me/")
    print(f"{'path':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'x baseline':>10}")
    for client, path in (
        (api, "/api/me/"),
        (api, "/api/me/attention/"),
        (api, f"/api/children/{child.pk}/compass/"),
        (page, f"/barn/{child.pk}/process/"),
        (page, "/"),
    ):
        median, p95, queries = measure(client, path)
        print(f"{path:45} {median:10.2f} {p95:8.2f} {queries:8d} {median / baseline[0]:10.1f}")

    # Översikt (issue 16): the same user as a processledare, every child with an open process (a concern).
    from modules.accounts.models import User
    from modules.casework.services import concern_raise

    with tenant_context(tenant):
        for other in Child.objects.filter(contacts__user=user, concerns__isnull=True):
            concern_raise(child=other, raised_by=user, description="bench")
        User.objects.filter(pk=user.pk).update(role=User.Role.PROCESS_LEAD)
    connection.set_schema_to_public()
    try:
        for client, path in ((page, "/oversikt/"), (api, "/api/caseload/"), (page, "/oversikt/?sort=overdue")):
            median, p95, queries = measure(client, path)
            print(f"{path:45} {median:10.2f} {p95:8.2f} {queries:8d} {median / baseline[0]:10.1f}")
    finally:
        with tenant_context(tenant):
            User.objects.filter(pk=user.pk).update(role=User.Role.STAFF)


if __name__ == "__main__":
    main()
