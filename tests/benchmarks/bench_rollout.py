"""Benchmark: roll a release out to N tenants (default 311) with two Celery worker processes.

    DATABASE_URL=… REDIS_URL=… .venv/bin/python tests/benchmarks/bench_rollout.py [--tenants 311] [--drop]

Uses the development database (not the test one). Tenant schemas are made cheaply: one tenant is created
with its migrations, its schema is dumped once (pg_dump, structure and the migration records) and replayed
under each new name; the registry rows are bulk-inserted. Prints total time, per-tenant medians and the
share of worker time spent outside the install transaction (queueing, tenant lookup, task overhead).
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backa_platform.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from backa_platform.celery import app  # noqa: E402
from modules.model_config.models import ModelItem  # noqa: E402
from modules.model_config.services import model_drafts_load_defaults  # noqa: E402
from modules.training.services import course_drafts_load_defaults  # noqa: E402
from tenants.models import Domain, Tenant  # noqa: E402
from tenants.releases.models import Release, RolloutTarget  # noqa: E402
from tenants.releases.selectors import rollout_progress  # noqa: E402
from tenants.releases.services import release_publish, rollout_start  # noqa: E402
from tenants.services import central_tenant_bootstrap, tenant_create  # noqa: E402

EXTRA_WORKER_ARGS = os.environ.get("BENCH_WORKER_ARGS", "").split()
TEMPLATE_SUBDOMAIN = "bench-000"
TEMPLATE_SCHEMA = "t_bench_000"


def _schema(i: int) -> str:
    return f"t_bench_{i:03d}"


def _existing_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't_bench_%%'")
        return {row[0] for row in cursor.fetchall()}


def ensure_tenants(count: int) -> list[Tenant]:
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    central_tenant_bootstrap()
    template = Tenant.objects.filter(schema_name=TEMPLATE_SCHEMA).first()
    if template is None:
        template = tenant_create(
            name="Bench 000", kind=Tenant.Kind.MUNICIPALITY, organisation_number="212000-1173"
            if not Tenant.objects.filter(organisation_number="212000-1173").exists() else "212000-0142",
            county="M", subdomain=TEMPLATE_SUBDOMAIN, status=Tenant.Status.ACTIVE,
        )  # fmt: skip
    existing = _existing_schemas()
    missing = [i for i in range(1, count) if _schema(i) not in existing]
    if missing:
        started = time.perf_counter()
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "-n", TEMPLATE_SCHEMA, settings.DATABASE_URL],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        # Keep the statements, drop psql meta-commands and the search_path reset.
        dump = "\n".join(
            line for line in dump.splitlines() if not line.startswith("\\") and "set_config('search_path'" not in line
        )
        pattern = re.compile(rf"\b{TEMPLATE_SCHEMA}\b")
        with connection.cursor() as cursor:
            for i in missing:
                cursor.execute(pattern.sub(_schema(i), dump))
        rows = [
            Tenant(
                schema_name=_schema(i),
                name=f"Bench {i:03d}",
                kind=Tenant.Kind.MUNICIPALITY,
                organisation_number=f"99{i:04d}-0000",
                county="M",
                status=Tenant.Status.ACTIVE,
            )  # fmt: skip
            for i in missing
            if not Tenant.objects.filter(schema_name=_schema(i)).exists()
        ]
        created = Tenant.objects.bulk_create(rows)
        Domain.objects.bulk_create(
            Domain(tenant=tenant, domain=f"bench-{tenant.schema_name[-3:]}.{settings.CENTRAL_DOMAIN}", is_primary=True)
            for tenant in created
        )
        print(f"made {len(missing)} tenant schemas (template DDL replayed) in {time.perf_counter() - started:.1f} s")
    return list(Tenant.objects.filter(schema_name__startswith="t_bench_").order_by("schema_name")[:count])


def forget_unpublished_installs(tenants: list[Tenant]) -> None:
    """Installed releases whose release row is gone (a wiped public schema) would be refused as conflicts."""
    from django.db.models import Q
    from django_tenants.utils import schema_context

    from modules.model_config.models import InstalledRelease

    published = Q()
    for version, checksum in Release.objects.values_list("version", "checksum"):
        published |= Q(version=version, checksum=checksum)
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            stale = InstalledRelease.objects.exclude(published) if published else InstalledRelease.objects.all()
            stale.delete()


def drop_tenants() -> None:
    for schema in sorted(_existing_schemas()):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
    Tenant.objects.filter(schema_name__startswith="t_bench_").delete()
    print("bench tenants dropped")


def start_workers(n: int) -> list[subprocess.Popen]:
    env = {**os.environ, "CELERY_TENANT_CACHE_SECONDS": "600", "LOG_LEVEL": "WARNING"}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "backa_platform",
                "worker",
                "-P",
                "solo",
                "-l",
                "warning",
                "-n",
                f"bench{i}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )  # fmt: skip
        for i in range(n)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        if len(replies) >= n:
            return workers
    raise SystemExit("workers did not start")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=311)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drop", action="store_true", help="drop the bench tenants and exit")
    args = parser.parse_args()
    if not settings.REDIS_URL:
        raise SystemExit("REDIS_URL must be set: the benchmark uses real workers.")
    if args.drop:
        drop_tenants()
        return

    tenants = ensure_tenants(args.tenants)
    print(f"tenants: {len(tenants)}")
    forget_unpublished_installs(tenants)
    model_drafts_load_defaults()
    course_drafts_load_defaults()
    # A new release each run: change one draft wording.
    item = ModelItem.objects.get(release__isnull=True, kind="areas", key="trygghet")
    item.description_en = f"Protected from abuse, neglect or harm (bench {timezone.now():%H%M%S%f})."
    item.save()
    release = release_publish(notes="Benchmark release", start_rollout=False)
    bundle_kb = len(str(release.bundle)) / 1024
    app.control.purge()
    workers = start_workers(args.workers)
    try:
        started = time.perf_counter()
        rollout = rollout_start(release=release, tenants=tenants)
        while True:
            progress = rollout_progress(rollout)
            if progress["finished"]:
                break
            if time.perf_counter() - started > 300:
                print("gave up after 300 s", progress)
                break
            time.sleep(0.1)
        wall = time.perf_counter() - started
    finally:
        stop_workers(workers)

    targets = list(rollout.targets.all())
    installed = [t for t in targets if t.state == RolloutTarget.State.INSTALLED]
    install_ms = [t.install_ms for t in installed]
    task_ms = [(t.installed_at - t.started_at).total_seconds() * 1000 for t in installed]
    latency_s = [(t.installed_at - t.enqueued_at).total_seconds() for t in installed]
    worker_time = args.workers * wall
    inside = sum(install_ms) / 1000
    print(f"release {release.version}: bundle {bundle_kb:.0f} KiB, {len(installed)}/{len(targets)} installed, "
          f"{sum(t.state == RolloutTarget.State.FAILED for t in targets)} failed")  # fmt: skip
    print(f"total wall time: {wall:.2f} s (target < 15 s for 311)")
    print(f"throughput: {len(installed) / wall:.1f} tenants/s with {args.workers} workers")
    print(f"per tenant, inside the install transaction: median {statistics.median(install_ms):.1f} ms")
    print(f"per tenant, task body (lock, install, state): median {statistics.median(task_ms):.1f} ms")
    print(f"per tenant, enqueued → installed: median {statistics.median(latency_s):.2f} s")
    print(
        f"share of worker time outside the install transaction: {1 - inside / worker_time:.1%} "
        f"({worker_time - inside:.1f} of {worker_time:.1f} worker-seconds)"
    )


if __name__ == "__main__":
    main()
