"""Load figures: gunicorn (2 workers) on 127.0.0.1 serving the platform with 311 tenants in the database, wrk
driving authenticated API calls spread over 50 tenants' hosts, against a bare Django view returning constant
JSON on the same server in the same run.

    make bench-load                       # or: .venv/bin/python -m tests.benchmarks.bench_load --help
    make bench-load BENCH_ARGS="--paths /api/me/,/api/users/ --auth session"

The database is DATABASE_URL's name + "_bench" (kept between runs: the 311 tenants are built once). Tenant
schemas are not built by migrations (~1.4 s each here): Ystad's migrated schema is dumped once with pg_dump
and replayed under 308 new names in one transaction, and the Tenant and Domain rows are inserted in bulk.

Each variant starts its own gunicorn with different settings, so "before" and "after" run on the same data:
  baseline   plain django-tenants: the host looked up in public on every request, SET search_path before
             every query (TENANT_DOMAIN_CACHE_SECONDS=0, TENANT_LIMIT_SET_CALLS=0), persistent connections
  optimized  the platform's defaults: per-process host cache, one SET search_path per request
  no-persistent  baseline with Django's default CONN_MAX_AGE=0 (a new PostgreSQL connection per request)
"""

import argparse
import importlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import bench_database_url, ensure_database, gunicorn_start, results_write

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BENCH_EMAIL = "bench-admin@example.se"
BENCH_PASSWORD = "Bänkprov-för-last-311"  # noqa: S105 - a benchmark account in a benchmark database
TEMPLATE_SUBDOMAIN = "ystad"

VARIANTS = {
    "baseline": {"TENANT_DOMAIN_CACHE_SECONDS": "0", "TENANT_LIMIT_SET_CALLS": "0", "DATABASE_CONN_MAX_AGE": "60"},
    "optimized": {"TENANT_DOMAIN_CACHE_SECONDS": "10", "TENANT_LIMIT_SET_CALLS": "1", "DATABASE_CONN_MAX_AGE": "60"},
    "no-persistent": {"TENANT_DOMAIN_CACHE_SECONDS": "0", "TENANT_LIMIT_SET_CALLS": "0", "DATABASE_CONN_MAX_AGE": "0"},
}
BARE_PATH = "/bench/constant/"
# Reference views without authentication (tests/benchmarks/views.py): what the child API is bounded by.
FLOOR_PATHS = {"one-query tenant view": "/bench/one-query/", "audited read floor": "/bench/audited-floor/"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenants", type=int, default=311, help="tenants in the database (default 311)")
    parser.add_argument("--spread", type=int, default=50, help="tenants whose hosts the load is spread over")
    parser.add_argument(
        "--paths",
        default="/api/me/,/api/children/,/api/children/{child_id}/",
        help="comma-separated authenticated GET paths; {name} is filled from --path-values",
    )
    parser.add_argument(
        "--path-values",
        default="tests.benchmarks.child_paths:child_id",
        help="module:function called as f(tenant=..., user=...) inside each tenant, returning {name: value}",
    )
    parser.add_argument(
        "--auth",
        choices=["token", "session"],
        default="token",
        help="how the API calls authenticate: an API token (as API clients do; default) or a signed-in session",
    )
    parser.add_argument(
        "--floors",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure a one-query tenant view and the least an audited read can cost (default: yes)",
    )
    parser.add_argument("--variants", default="baseline,optimized", help=f"comma-separated, of {list(VARIANTS)}")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="rounds over all variants, interleaved; the median is reported"
    )
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up before each measurement")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--port", type=int, default=8810)
    parser.add_argument("--database-url", default="", help="default: DATABASE_URL with _bench appended to its name")
    parser.add_argument("--output", default=str(REPO / ".local" / "bench"), help="folder for the JSON results")
    parser.add_argument(
        "--other-code",
        help="another checkout (e.g. `git worktree add /tmp/main main`): each variant is also served from it, the "
        "two taking turns in every round, so a change is measured against what it changes in the same run",
    )
    return parser.parse_args()


def ensure_tenants(url: str, count: int) -> None:
    """Central + Ystad + Region Skåne by the platform's own code, the rest cloned from Ystad's schema."""
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context

    from modules.accounts.models import User
    from modules.accounts.services import user_create
    from tenants.demo import demo_seed
    from tenants.models import County, Domain, Tenant

    started = time.monotonic()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    demo_seed()
    # Schemas cloned by an earlier run (and the template) catch up with migrations added since (~2 s if none).
    call_command("migrate_all", verbosity=0)
    template = Tenant.objects.get(schema_name=f"t_{TEMPLATE_SUBDOMAIN}")
    with tenant_context(template):
        if not User.objects.filter(email=BENCH_EMAIL).exists():
            user_create(email=BENCH_EMAIL, full_name="Bänk Admin", role=User.Role.LOCAL_ADMIN, password=BENCH_PASSWORD)
    connection.set_schema_to_public()

    existing = Tenant.objects.count()
    missing = count - existing
    if missing <= 0:
        print(f"{existing} tenants already in the database")
        return
    from backa_platform import postgres_tools

    # The server's own pg_dump and psql (the embedded server's, POSTGRES_BIN_DIR, or PATH), versions checked.
    dump = subprocess.run(
        postgres_tools.command("pg_dump", "--schema", template.schema_name, "--no-owner", "--no-privileges", url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # Sessions of earlier runs are not copied along.
    dump = re.sub(r"(COPY \S+\.django_session .*?FROM stdin;\n).*?\n\\\.\n", r"\1\\.\n", dump, flags=re.DOTALL)
    first = Tenant.objects.filter(schema_name__startswith="t_bench").count()
    numbers = list(range(first, first + missing))
    # Batches of 5 schemas per transaction (one transaction for all would run out of lock slots; so did 25 with
    # PostgreSQL's default max_locks_per_transaction of 64, since the audit log has a partition per year); a
    # batch's schemas and its Tenant and Domain rows land together, so an interrupted run resumes cleanly.
    for batch_start in range(0, len(numbers), 5):
        batch = numbers[batch_start : batch_start + 5]
        script = "".join(
            f"DROP SCHEMA IF EXISTS t_bench{n:03d} CASCADE;\n" + dump.replace(template.schema_name, f"t_bench{n:03d}")
            for n in batch
        )
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
            handle.write(script)
        try:
            subprocess.run(
                postgres_tools.command(
                    "psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", handle.name, url
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        finally:
            os.unlink(handle.name)
        tenants = Tenant.objects.bulk_create(
            Tenant(
                schema_name=f"t_bench{n:03d}",
                name=f"Bänkkommun {n}",
                kind=Tenant.Kind.MUNICIPALITY,
                organisation_number=f"29{n:04d}-0000",
                county=County.SKANE,
                status=Tenant.Status.ACTIVE,
            )
            for n in batch
        )
        Domain.objects.bulk_create(
            Domain(tenant=tenant, domain=f"bench{n:03d}.localhost", is_primary=True)
            for n, tenant in zip(batch, tenants, strict=True)
        )
    print(f"{missing} tenant schemas cloned from {template.schema_name} in {time.monotonic() - started:.1f} s")


def sign_in(spread: int, path_values: str) -> list[dict]:
    """For the bench admin in each of `spread` cloned tenants: a signed-in session (as login() makes it) and
    an API token (as POST /api/token/ makes it), each as the header that carries it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_tenants.utils import tenant_context

    from modules.accounts.models import User
    from modules.accounts.services import api_token_create
    from tenants.models import Tenant

    values_for = None
    if path_values:
        module, function = path_values.split(":")
        values_for = getattr(importlib.import_module(module), function)
    targets = []
    for tenant in Tenant.objects.filter(schema_name__startswith="t_bench").order_by("schema_name")[:spread]:
        with tenant_context(tenant):
            user = User.objects.get(email=BENCH_EMAIL)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session["strong_auth"] = True  # as after the second factor (modules/accounts/strong_auth.py)
            session.create()
            token = api_token_create(user=user).key
            values = values_for(tenant=tenant, user=user) if values_for else {}
        targets.append(
            {
                "host": tenant.primary_domain,
                "session": f"Cookie: sessionid={session.session_key}",
                "token": f"Authorization: Token {token}",
                "values": values,
            }
        )
    return targets


def start_server(args, env: dict, log: Path, code: Path = REPO) -> subprocess.Popen:
    return gunicorn_start(code=code, port=args.port, workers=args.workers, env=env, log=log, name="bench_load")


def check_targets(port: int, lines: list[str]) -> None:
    """Before measuring: every kind of request answers 200 on a sample of hosts, as the signed-in bench admin."""
    import requests

    for line in lines[:: max(1, len(lines) // 5)]:
        host, credential, path = line.split("\t")
        headers = {"Host": host}
        if credential:
            name, value = credential.split(": ", 1)
            headers[name] = value
        response = requests.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=10)
        if response.status_code != 200:
            sys.exit(f"bench_load: {path} on {host} answered {response.status_code}: {response.text[:200]}")
        if path.startswith("/api/me/") and response.json()["email"] != BENCH_EMAIL:
            sys.exit(f"bench_load: {host} answered for another account")


def run_wrk(args, targets_file: Path, duration: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{duration}s",
            "--timeout",
            "5s",
            "-s",
            str(HERE / "wrk_targets.lua"),
            f"http://127.0.0.1:{args.port}",
            "--",
            str(targets_file),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    errors = sum(figures[key] for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "requests": figures["requests"],
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": errors,
        "status_errors": figures["status_errors"],
    }


def main() -> None:
    args = parse_args()
    for tool in ("wrk", "pg_dump", "psql"):
        if not shutil.which(tool):
            sys.exit(f"bench_load: {tool} is not installed (apt-get install -y wrk postgresql-client)")
    url = bench_database_url(args.database_url, suffix="_bench", name="bench_load")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    os.environ.pop("REDIS_URL", None)  # nothing here enqueues; readiness does not need Redis
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings

    ensure_tenants(url, args.tenants)
    targets = sign_in(args.spread, args.path_values)
    paths = [path for path in args.paths.split(",") if path]
    scenarios = {"bare view": BARE_PATH, **(FLOOR_PATHS if args.floors else {}), **{path: path for path in paths}}
    anonymous = {BARE_PATH, *FLOOR_PATHS.values()}

    workdir = Path(tempfile.mkdtemp(prefix="backa-bench-"))
    files = {}
    for name, path in scenarios.items():
        lines = [
            f"{target['host']}\t{'' if path in anonymous else target[args.auth]}\t{path.format(**target['values'])}"
            for target in targets
        ]
        files[name] = workdir / f"{len(files)}.tsv"
        files[name].write_text("\n".join(lines) + "\n")

    load = os.getloadavg()
    print(
        f"\n{args.tenants} tenants, load spread over {len(targets)} hosts, gunicorn {args.workers} workers, "
        f"wrk {args.threads} thread(s) x {args.connections} connections, {args.duration} s per figure, "
        f"API calls authenticated by {args.auth}; "
        f"load average before: {load[0]:.2f} (2 cores shared)\n"
    )
    codes = {"": REPO}
    if args.other_code:
        other = Path(args.other_code).resolve()
        codes[f" ({other.name})"] = other
    runs = {variant + label: (variant, code) for variant in args.variants.split(",") for label, code in codes.items()}
    rounds = {run: [] for run in runs}
    # Variants take turns (A B A B ...): the machine is shared, and its load drifts during a run.
    for _round in range(args.repeat):
        for run, (variant, code) in runs.items():
            env = dict(
                os.environ,
                SECRET_KEY=settings.SECRET_KEY,
                WEB_CONCURRENCY=str(args.workers),
                GUNICORN_ACCESS_LOG="",
                GUNICORN_MAX_REQUESTS="0",  # no worker recycling in the middle of a measurement
                LOG_LEVEL="WARNING",
                DEBUG="0",
                **VARIANTS[variant],
            )
            server = start_server(args, env, workdir / "gunicorn.log", code)
            try:
                figures = {}
                for name, targets_file in files.items():
                    check_targets(args.port, targets_file.read_text().splitlines())
                    if args.warmup:
                        run_wrk(args, targets_file, args.warmup)
                    figures[name] = run_wrk(args, targets_file, args.duration)
                rounds[run].append(figures)
            finally:
                server.terminate()
                server.wait(timeout=30)

    results = {}
    for variant, (settings_of, _code) in runs.items():
        results[variant] = {
            name: {
                key: statistics.median(round_[name][key] for round_ in rounds[variant])
                for key in ("rps", "p50_ms", "p99_ms")
            }
            | {"errors": sum(round_[name]["errors"] for round_ in rounds[variant])}
            | {"rps_per_round": [round(round_[name]["rps"]) for round_ in rounds[variant]]}
            for name in scenarios
        }
        bare = results[variant]["bare view"]["rps"]
        floor = results[variant].get("audited read floor", {}).get("rps")
        print(f"{variant}: {', '.join(f'{key}={value}' for key, value in VARIANTS[settings_of].items())}")
        print(
            f"  {'endpoint':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x bare':>7} {'x floor':>7}"
            "  rounds (x floor in each round)"
        )
        for name, figures in results[variant].items():
            # Per round: the floor and the endpoint measured minutes apart at most, under the same load.
            per_round = [
                f"{round_[name]['rps']:.0f}"
                + (f" ({round_[name]['rps'] / round_['audited read floor']['rps']:.2f})" if floor else "")
                for round_ in rounds[variant]
            ]
            print(
                f"  {name:<28} {figures['rps']:>8.0f} {figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f} "
                f"{figures['errors']:>7} {figures['rps'] / bare:>7.2f} {figures['rps'] / floor if floor else 0:>7.2f}"
                f"  {', '.join(per_round)}"
            )
        print()
    if "baseline" in results and "optimized" in results:
        print("optimized / baseline (median req/s):")
        for name in scenarios:
            print(f"  {name:<28} {results['optimized'][name]['rps'] / results['baseline'][name]['rps']:>6.2f}x")
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.2f}")
    shutil.rmtree(workdir, ignore_errors=True)

    record = {"args": vars(args), "load_average": [load, load_after], "results": results, "rounds": rounds}
    results_write(args.output, "load", record)


if __name__ == "__main__":
    main()
