"""Concurrent reads in one tenant: 8 readers, each signed in with its own session and reading its own child,
against gunicorn on 127.0.0.1, "before" (the code at --before-ref, checked out in a temporary git worktree)
and "after" (this checkout), on the same database, taking turns.

    make bench-reads                      # or: .venv/bin/python -m tests.benchmarks.bench_concurrent_reads --help

Every read of a child writes an audit entry, whose INSERT takes the tenant's chain lock (a trigger,
modules/audit/migrations/0004). Before, the child's page and most API reads ran in one transaction with
that entry, so the lock was held until the page was built and the tenant's readers took turns; after, the
entry commits by itself before the page is built and the lock is held for the insert alone.

The database is DATABASE_URL's name + "_reads" (kept between runs): the demo tenants built by the platform's
own code (`demo_seed`), and in Ystad one Barnkontakt with --readers made-up children. Both variants use the
same schema (the code between them changes no migration). Not collected by pytest.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from tests.benchmarks.common import bench_database_url, ensure_database, gunicorn_start, results_write

REPO = Path(__file__).resolve().parents[2]
READER_EMAIL = "bench-reader@example.se"
SCENARIOS = {"child's page": "/barn/{child_id}/", "API chronology": "/api/children/{child_id}/chronology/"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=8, help="concurrent readers, one child each (default 8)")
    parser.add_argument("--workers", type=int, default=8, help="gunicorn sync workers (default 8: one per reader)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up before each measurement")
    parser.add_argument("--repeat", type=int, default=2, help="rounds over both variants, interleaved; median")
    parser.add_argument("--before-ref", default="i13-base", help="git ref of the 'before' code (default i13-base)")
    parser.add_argument("--variants", default="before,after", help="comma-separated, of before, after")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of {list(SCENARIOS)}")
    parser.add_argument("--port", type=int, default=8820)
    parser.add_argument("--database-url", default="", help="default: DATABASE_URL with _reads appended to its name")
    parser.add_argument("--output", default=str(REPO / ".local" / "bench"), help="folder for the JSON results")
    return parser.parse_args()


def prepare(readers: int) -> tuple[str, list[dict]]:
    """The demo tenants, a Barnkontakt with `readers` children in Ystad, and one signed-in session per reader
    (made as login() makes it). Returns Ystad's host and, per reader, its session cookie and child id."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context

    from modules.children.demo import child_record_demo_seed
    from modules.children.selectors import children_visible_to
    from tenants.demo import DEMO_TENANTS, demo_seed
    from tenants.models import Tenant

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    demo_seed()
    call_command("migrate_all", verbosity=0)
    ystad = next(demo for demo in DEMO_TENANTS if demo.subdomain == "ystad")
    tenant = Tenant.objects.get(organisation_number=ystad.organisation_number)
    with tenant_context(tenant):
        user, _ = child_record_demo_seed(email=READER_EMAIL, children=readers)
        children = list(children_visible_to(user=user).order_by("pk").values_list("pk", flat=True)[:readers])
        assert len(children) == readers, children
        targets = []
        for child_id in children:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session["strong_auth"] = True  # as after the second factor (modules/accounts/strong_auth.py)
            session.create()
            targets.append({"cookie": f"sessionid={session.session_key}", "child_id": child_id})
    connection.set_schema_to_public()
    return tenant.primary_domain, targets


def start_server(args, code: Path, env: dict, log: Path) -> subprocess.Popen:
    return gunicorn_start(
        code=code,
        port=args.port,
        workers=args.workers,
        env=dict(env, PYTHONPATH=str(code)),
        log=log,
        name="bench_concurrent_reads",
    )


def drive(port: int, host: str, targets: list[dict], path: str, seconds: float) -> dict:
    """One thread per reader, each asking for its own child's `path` again and again for `seconds`."""
    import requests

    latencies: list[list[float]] = [[] for _ in targets]
    errors = [0] * len(targets)
    start_line = threading.Barrier(len(targets) + 1)
    stop_at = [0.0]

    def reader(n: int) -> None:
        session = requests.Session()
        headers = {"Host": host, "Cookie": targets[n]["cookie"]}
        url = f"http://127.0.0.1:{port}{path.format(child_id=targets[n]['child_id'])}"
        start_line.wait()
        while time.monotonic() < stop_at[0]:
            began = time.perf_counter()
            try:
                ok = session.get(url, headers=headers, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            if ok:
                latencies[n].append((time.perf_counter() - began) * 1000)
            else:
                errors[n] += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(len(targets))]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    began = time.monotonic()
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(value for values in latencies for value in values)
    if not every:
        return {"rps": 0.0, "p50_ms": 0.0, "p95_ms": 0.0, "requests": 0, "errors": sum(errors)}
    return {
        "rps": len(every) / elapsed,
        "p50_ms": statistics.median(every),
        "p95_ms": every[max(0, int(len(every) * 0.95) - 1)],
        "requests": len(every),
        "errors": sum(errors),
    }


def main() -> None:
    args = parse_args()
    url = bench_database_url(args.database_url, suffix="_reads", name="bench_concurrent_reads")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "backa_platform.settings"
    os.environ.pop("REDIS_URL", None)  # nothing here enqueues
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings

    host, targets = prepare(args.readers)
    variants = [variant for variant in args.variants.split(",") if variant]
    scenarios = {name: SCENARIOS[name] for name in args.scenarios.split(",") if name}
    workdir = Path(tempfile.mkdtemp(prefix="backa-bench-reads-"))
    code = {"after": REPO}
    if "before" in variants:
        code["before"] = workdir / "before"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--quiet", "--detach", str(code["before"]), args.before_ref],
            check=True,
        )
    env = dict(
        os.environ,
        SECRET_KEY=settings.SECRET_KEY,
        GUNICORN_ACCESS_LOG="",
        GUNICORN_MAX_REQUESTS="0",  # no worker recycling in the middle of a measurement
        LOG_LEVEL="WARNING",
        DEBUG="0",
    )
    load = os.getloadavg()
    print(
        f"\n{args.readers} readers, one child each, in one tenant ({host}); gunicorn {args.workers} sync workers; "
        f"{args.duration} s per figure, {args.repeat} rounds; 'before' = {args.before_ref}; "
        f"load average before: {load[0]:.2f} (2 cores shared)\n"
    )
    rounds = {variant: {name: [] for name in scenarios} for variant in variants}
    try:
        # Variants take turns (A B A B ...): the machine is shared and its load drifts during a run.
        for _round in range(args.repeat):
            for variant in variants:
                server = start_server(args, code[variant], env, workdir / "gunicorn.log")
                try:
                    for name, path in scenarios.items():
                        if args.warmup:
                            drive(args.port, host, targets, path, args.warmup)
                        rounds[variant][name].append(drive(args.port, host, targets, path, args.duration))
                finally:
                    server.terminate()
                    server.wait(timeout=30)
    finally:
        if "before" in code:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(code["before"])], check=False)
        shutil.rmtree(workdir, ignore_errors=True)

    results = {
        variant: {
            name: {key: statistics.median(figure[key] for figure in figures) for key in ("rps", "p50_ms", "p95_ms")}
            | {"errors": sum(figure["errors"] for figure in figures)}
            | {"rps_per_round": [round(figure["rps"], 1) for figure in figures]}
            for name, figures in by_name.items()
        }
        for variant, by_name in rounds.items()
    }
    print(f"  {'variant':<8} {'reads of':<16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}  rounds (req/s)")
    for name in scenarios:
        for variant in variants:
            figures = results[variant][name]
            print(
                f"  {variant:<8} {name:<16} {figures['rps']:>8.1f} {figures['p50_ms']:>8.1f} "
                f"{figures['p95_ms']:>8.1f} {figures['errors']:>7}  {figures['rps_per_round']}"
            )
    if {"before", "after"} <= set(variants):
        print("\nafter / before (median req/s):")
        for name in scenarios:
            print(f"  {name:<16} {results['after'][name]['rps'] / results['before'][name]['rps']:>6.2f}x")
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.2f}")

    record = {"args": vars(args), "load_average": [load, load_after], "results": results, "rounds": rounds}
    results_write(args.output, "reads", record)


if __name__ == "__main__":
    main()
