"""Benchmark of onboarding at national scale, against plain django-tenants on the same database.

    make bench-tenants                       # 100 and 311 tenants
    .venv/bin/python tests/benchmarks/bench_tenants.py --sizes 50 --samples 5   # a quick run

Uses its own database (<DATABASE_URL's name>_bench, dropped and made again). For every size it measures
(a) provisioning a new tenant until it answers on its domain (approve → worker steps → GET /login/ 200),
    against Tenant.save() with migrations (django-tenants' own path);
(b) migrate-all with nothing pending, against `migrate_schemas` (standard and multiprocessing);
(c) one new AddField migration applied to every tenant, against the same two.
The tenants themselves are built with the fast path (template replay), not with migrations.
Every command in (b) and (c) is timed as a whole process (python start-up included, for all alike).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def _bench_url() -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        sys.exit("Set DATABASE_URL (the benchmark makes and drops <name>_bench on that server).")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path + "_bench"))


def _env(addfield: bool = False) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_bench_url(),
        DJANGO_SETTINGS_MODULE="tests.benchmarks.bench_settings",
        BENCH_ADDFIELD="1" if addfield else "0",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)  # tasks run eagerly in the measuring process: the worker's own code path
    return env


def _run(args: list[str], *, addfield=False, quiet=True) -> float:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=_env(addfield), capture_output=quiet, text=True, check=False
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{(result.stdout or '')[-2000:]}\n{(result.stderr or '')[-2000:]}")
    return elapsed


def _manage(*args, addfield=False) -> float:
    return _run([PYTHON, "manage.py", *args], addfield=addfield)


def _phase(name: str, *args, addfield=False) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "_phase", name, *args],
        cwd=ROOT,
        env=_env(addfield),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"phase {name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


# --- phases, run in a child process with Django set up on the benchmark database -------------------


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def phase_setup():
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)
    from modules.accounts.models import User
    from modules.accounts.services import user_create
    from tenants.services import central_tenant_bootstrap

    central_tenant_bootstrap()
    if not User.objects.filter(email="bench@example.se").exists():
        user_create(email="bench@example.se", full_name="Bench", role=User.Role.NATIONAL_COORDINATOR)
    print("ok")


def _organisation_number(n: int) -> str:
    from stdnum import luhn
    from stdnum.se import orgnr

    body = f"2{n:08d}"  # 2xxxxxxxx: a legal person's number (Luhn check digit)
    return orgnr.format(body + luhn.calc_check_digit(body))


def phase_grow(target: str):
    from tenants.models import Domain, Tenant
    from tenants.provisioning.schema import schema_create_from_template, template_current
    from tenants.selectors import tenants_local

    target = int(target)
    existing = tenants_local().count()
    template = template_current()
    started = time.monotonic()
    for n in range(existing, target):
        tenant = Tenant(
            schema_name=f"t_bench{n:04d}",
            name=f"Bench {n}",
            kind=Tenant.Kind.MUNICIPALITY,
            organisation_number=_organisation_number(n),
            county="M",
            status=Tenant.Status.ACTIVE,
        )
        tenant.auto_create_schema = False
        tenant.save()
        schema_create_from_template(schema_name=tenant.schema_name, template=template)
        Domain.objects.create(tenant=tenant, domain=f"bench{n:04d}.localhost", is_primary=True)
    print(f"{target - existing} tenants in {time.monotonic() - started:.1f} s")


def _answers(domain: str) -> bool:
    from django.db import connection
    from django.test import Client

    response = Client(HTTP_HOST=domain).get("/login/")
    connection.set_schema_to_public()
    return response.status_code == 200


def _drop_tenant(tenant) -> None:
    from django.db import connection

    from tenants.onboarding.models import Application

    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')
    Application.objects.filter(tenant=tenant).delete()
    tenant.delete()


def phase_provision(samples: str, baseline_samples: str):
    from modules.accounts.models import User
    from tenants.models import Domain, Tenant
    from tenants.onboarding.services import application_approve, application_submit
    from tenants.provisioning import tasks
    from tenants.provisioning.schema import spare_schemas_refill, template_current

    template_current()
    spare_schemas_refill()
    # The pool is refilled by another worker task after each claim; here it runs between samples,
    # outside the timed region (tasks are eager in this process and would otherwise run inline).
    tasks.refill_spare_schemas.apply_async = lambda *args, **kwargs: None
    coordinator = User.objects.get(email="bench@example.se")
    fast, slow = [], []
    for n in range(int(samples)):
        application = application_submit(
            organisation_name=f"Ny {n}",
            organisation_number=_organisation_number(900_000 + n),
            kind="municipality",
            county="M",
            subdomain=f"ny{n}",
            contact_name="Kontakt",
            contact_email=f"kontakt@ny{n}.example.se",
            partners=["kommun"],
        )
        started = time.monotonic()
        # Tasks run eagerly here: the approval's commit runs the provisioning job as the worker would.
        tenant = application_approve(application=application, acting_user=coordinator).tenant
        assert _answers(f"ny{n}.localhost"), "new tenant does not answer"
        fast.append(time.monotonic() - started)
        tenant.refresh_from_db()
        assert tenant.status == Tenant.Status.ONBOARDING
        _drop_tenant(tenant)
        spare_schemas_refill()
    for n in range(int(baseline_samples)):
        started = time.monotonic()
        tenant = Tenant(
            schema_name=f"t_plain{n}",
            name=f"Plain {n}",
            kind=Tenant.Kind.MUNICIPALITY,
            organisation_number=_organisation_number(950_000 + n),
            county="M",
            status=Tenant.Status.ACTIVE,
        )
        tenant.save(verbosity=0)  # django-tenants: CREATE SCHEMA and run every migration
        Domain.objects.create(tenant=tenant, domain=f"plain{n}.localhost", is_primary=True)
        assert _answers(f"plain{n}.localhost")
        slow.append(time.monotonic() - started)
        _drop_tenant(tenant)

    def p95(values):
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

    print(
        f"{statistics.median(fast):.3f} {p95(fast):.3f} {statistics.median(slow):.3f} {p95(slow):.3f} "
        f"{len(fast)} {len(slow)}"
    )


def phase_reset_addfield():
    """Undo the AddField in every schema (and its records), so the baselines apply it again."""
    from django.db import connection

    from tenants.migrate_all import tenant_schemas

    with connection.cursor() as cursor:
        for schema in tenant_schemas():
            cursor.execute(f'ALTER TABLE "{schema}".benchapp_benchnote DROP COLUMN IF EXISTS body')
            cursor.execute(
                f"DELETE FROM \"{schema}\".django_migrations WHERE app = 'benchapp' AND name = '0002_benchnote_body'"
            )
        cursor.execute("DELETE FROM public.django_migrations WHERE app = 'benchapp' AND name = '0002_benchnote_body'")
    print("ok")


def phase_migrate_all_seconds():
    """migrate_all in-process: its own time, without python start-up."""
    from tenants.migrate_all import migrate_all

    report = migrate_all()
    assert not report.failed, report.failed
    print(f"{report.seconds:.3f} {len(report.migrated)} {len(report.skipped)}")


PHASES = {
    "setup": phase_setup,
    "grow": phase_grow,
    "provision": phase_provision,
    "reset_addfield": phase_reset_addfield,
    "migrate_all_seconds": phase_migrate_all_seconds,
}


# --- the orchestrator ----------------------------------------------------------------------------


def _recreate_database():
    url = urlsplit(_bench_url())
    name = url.path.lstrip("/")
    admin = urlunsplit(url._replace(path="/postgres"))
    subprocess.run(  # noqa: S603
        ["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"', "-c", f'CREATE DATABASE "{name}"'],  # noqa: S607
        check=True,
        capture_output=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,311", help="tenant counts to measure at, ascending")
    parser.add_argument("--samples", type=int, default=15, help="new tenants provisioned per size (fast path)")
    parser.add_argument("--baseline-samples", type=int, default=5, help="tenants created by migrations per size")
    parser.add_argument("--skip-baselines", action="store_true", help="only our own figures (quick)")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    print(f"database {_bench_url().rsplit('/', 1)[-1]}, sizes {sizes}", flush=True)
    _recreate_database()
    _phase("setup")
    results = {}
    for size in sizes:
        print(f"\n== {size} tenants ==", flush=True)
        print("  grow:", _phase("grow", str(size)), flush=True)
        a = _phase("provision", str(options.samples), "0" if options.skip_baselines else str(options.baseline_samples))
        fast_median, fast_p95, slow_median, slow_p95, *_ = (float(x) for x in a.split())
        print(f"  (a) provision → answers: median {fast_median:.3f} s, p95 {fast_p95:.3f} s", flush=True)
        if not options.skip_baselines:
            print(f"      Tenant.save() with migrations: median {slow_median:.3f} s, p95 {slow_p95:.3f} s", flush=True)
        row = {"a_median": fast_median, "a_p95": fast_p95, "a_base_median": slow_median, "a_base_p95": slow_p95}

        row["b"] = _manage("migrate_all", "-v", "0")
        row["b_inproc"] = float(_phase("migrate_all_seconds").split()[0])
        print(f"  (b) migrate_all, nothing pending: {row['b']:.2f} s ({row['b_inproc']:.2f} s in-process)", flush=True)
        if not options.skip_baselines:
            row["b_std"] = _manage("migrate_schemas", "-v", "0")
            row["b_mp"] = _manage("migrate_schemas", "-v", "0", "--executor", "multiprocessing")
            print(f"      migrate_schemas: {row['b_std']:.2f} s, multiprocessing: {row['b_mp']:.2f} s", flush=True)

        row["c"] = _manage("migrate_all", "-v", "0", addfield=True)
        print(f"  (c) migrate_all, one AddField in every tenant: {row['c']:.2f} s", flush=True)
        _phase("reset_addfield", addfield=True)
        row["c_inproc"] = float(_phase("migrate_all_seconds", addfield=True).split()[0])
        print(f"      ({row['c_inproc']:.2f} s in-process, template already rebuilt)", flush=True)
        if not options.skip_baselines:
            _phase("reset_addfield", addfield=True)
            row["c_std"] = _manage("migrate_schemas", "-v", "0", addfield=True)
            _phase("reset_addfield", addfield=True)
            row["c_mp"] = _manage("migrate_schemas", "-v", "0", "--executor", "multiprocessing", addfield=True)
            print(f"      migrate_schemas: {row['c_std']:.2f} s, multiprocessing: {row['c_mp']:.2f} s", flush=True)
        # Back to the base migration state for the next size (the base template is rebuilt on demand).
        _phase("reset_addfield", addfield=True)
        _manage("migrate_all", "-v", "0")
        results[size] = row

    print("\n== summary ==")
    for size, row in results.items():
        line = f"{size:>4} tenants: (a) {row['a_median']:.3f}/{row['a_p95']:.3f} s median/p95"
        if "b_std" in row:
            line += (
                f" vs {row['a_base_median']:.2f} s (x{row['a_base_median'] / row['a_median']:.0f});"
                f" (b) {row['b']:.2f} s vs {row['b_std']:.1f}/{row['b_mp']:.1f} s"
                f" (x{row['b_std'] / row['b']:.0f});"
                f" (c) {row['c']:.2f} s vs {row['c_std']:.1f}/{row['c_mp']:.1f} s (x{row['c_std'] / row['c']:.0f})"
            )
        else:
            line += f"; (b) {row['b']:.2f} s; (c) {row['c']:.2f} s"
        print(line)
    if len(results) > 1:
        first, last = min(results), max(results)
        for key in ("a_median", "b", "c", "b_std", "c_std"):
            if key in results[first] and results[first][key]:
                print(f"growth {first}→{last} tenants, {key}: x{results[last][key] / results[first][key]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_phase":
        _django()
        PHASES[sys.argv[2]](*sys.argv[3:])
    else:
        main()
