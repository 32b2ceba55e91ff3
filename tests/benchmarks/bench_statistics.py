"""Benchmark: a full national statistics snapshot over N tenants (default 311), each with demo cases.

    DATABASE_URL=… .venv/bin/python tests/benchmarks/bench_statistics.py [--tenants 311] [--children 60]

Uses its own database, <DATABASE_URL's name>_bench_stats (made if missing, kept between runs). One tenant gets
demo cases through the services (modules/statistics/demo.py); its schema, data included, is dumped once
(pg_dump) and replayed under every other tenant's name, spread over the 21 counties. Then it measures what the
nightly work does: (a) every tenant computes its figures and writes them to public (the fan-out's task, run here
one tenant after another in one process, as one worker would), (b) the publication: every metric's cube built
and disclosure control applied. Target: (a) + (b) < 60 s at 311 tenants.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backa_platform.settings")

from tests.benchmarks.common import bench_database_url, ensure_database, results_write  # noqa: E402

PREFIX = "t_bstat_"
TEMPLATE = f"{PREFIX}000"


def _schema(i: int) -> str:
    return f"{PREFIX}{i:03d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=311)
    parser.add_argument("--children", type=int, default=60, help="demo cases in each tenant")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--output", default=str(ROOT / ".local" / "bench"))
    args = parser.parse_args()
    url = bench_database_url(args.database_url, suffix="_bench_stats", name="bench_statistics")
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("BACKA_DATABASE_ROLE", "owner")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context, tenant_context

    from backa_platform.celery import app
    from modules.model_config.services import model_drafts_load_defaults
    from modules.statistics.demo import statistics_demo_seed
    from modules.training.services import course_drafts_load_defaults
    from tenants.models import County, Domain, Tenant
    from tenants.releases.selectors import release_latest
    from tenants.releases.services import release_install, release_publish
    from tenants.selectors import tenants_ready
    from tenants.services import central_tenant_bootstrap, tenant_create
    from tenants.statistics.models import PublishedCube
    from tenants.statistics.services import statistics_publish, statistics_snapshot_take

    app.conf.task_always_eager = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate_schemas", interactive=False, verbosity=0)
    central_tenant_bootstrap()
    with schema_context("public"):
        release = release_latest()
        if release is None:
            model_drafts_load_defaults()
            course_drafts_load_defaults()
            release = release_publish(notes="Bench", start_rollout=False)
    template = Tenant.objects.filter(schema_name=TEMPLATE).first()
    if template is None:
        started = time.perf_counter()
        template = tenant_create(
            name="Bench statistik 000", kind=Tenant.Kind.MUNICIPALITY, organisation_number="212000-1173",
            county="M", subdomain="bstat-000", status=Tenant.Status.ACTIVE,
        )  # fmt: skip
        release_install(tenant=template, release=release)
        with tenant_context(template):
            statistics_demo_seed(schema_hint="bench", children=args.children)
        print(f"template tenant with {args.children} demo cases in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [f"{PREFIX}%"])
        existing = {row[0] for row in cursor.fetchall()}
    missing = [i for i in range(1, args.tenants) if _schema(i) not in existing]
    if missing:
        started = time.perf_counter()
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "-n", TEMPLATE, url],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        # Replayed by psql under each new name: its COPY blocks load the data in one go per table.
        pattern = re.compile(rf"\b{TEMPLATE}\b")
        for i in missing:
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input=pattern.sub(_schema(i), dump),
                           check=True, capture_output=True, text=True)  # fmt: skip
        counties = [code for code, _label in County.choices]
        rows = [
            Tenant(
                schema_name=_schema(i),
                name=f"Bench statistik {i:03d}",
                kind=Tenant.Kind.MUNICIPALITY,
                organisation_number=f"98{i:04d}-0000",
                county=counties[i % len(counties)],
                status=Tenant.Status.ACTIVE,
            )  # fmt: skip
            for i in missing
            if not Tenant.objects.filter(schema_name=_schema(i)).exists()
        ]
        created = Tenant.objects.bulk_create(rows)
        Domain.objects.bulk_create(
            Domain(tenant=t, domain=f"bstat-{t.schema_name[-3:]}.{settings.CENTRAL_DOMAIN}", is_primary=True)
            for t in created
        )
        seconds = time.perf_counter() - started
        print(f"made {len(missing)} tenant schemas (template replayed with its data) in {seconds:.1f} s")

    tenants = [t for t in tenants_ready(in_service=True) if t.schema_name.startswith(PREFIX)][: args.tenants]
    today = timezone.localdate()
    started = time.perf_counter()
    cells = 0
    per_tenant = []
    for tenant in tenants:
        one = time.perf_counter()
        with tenant_context(tenant):
            cells += statistics_snapshot_take(today=today)
        per_tenant.append(time.perf_counter() - one)
    snapshot_seconds = time.perf_counter() - started
    started = time.perf_counter()
    publication = statistics_publish(snapshot_on=today)
    publish_seconds = time.perf_counter() - started
    cubes = PublishedCube.objects.filter(publication=publication)
    hidden = shown = 0
    for cube in cubes.iterator():
        hidden += sum(1 for v in cube.values if v < 0)
        shown += sum(1 for v in cube.values if v > 0)
    per_tenant.sort()
    record = {
        "tenants": len(tenants),
        "children_per_tenant": args.children,
        "cells_written": cells,
        "snapshot_seconds": round(snapshot_seconds, 2),
        "snapshot_per_tenant_median_ms": round(1000 * per_tenant[len(per_tenant) // 2], 1),
        "publish_seconds": round(publish_seconds, 2),
        "total_seconds": round(snapshot_seconds + publish_seconds, 2),
        "published_tables": cubes.count(),
        "cells_shown_nonzero": shown,
        "cells_hidden": hidden,
        "load_average": os.getloadavg()[0],
    }
    for key, value in record.items():
        print(f"{key}: {value}")
    results_write(args.output, "bench-statistics", record)


if __name__ == "__main__":
    main()
