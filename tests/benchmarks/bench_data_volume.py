"""Scale with data (issue 17): a small instance (200 children) and a Stockholm-sized one (200,000 children,
3,000 staff in 150 units, 20 million audit entries over 5 years) in one database, measured in the same run
over a real HTTP server (gunicorn, 2 sync workers), p50/p95 and the ratio large / small.

    make bench-volume                                       # the full size (long: see the README)
    make bench-volume BENCH_ARGS="--children 20000 --audit 2000000"   # a quicker run
    .venv/bin/python -m tests.benchmarks.bench_data_volume --help
    .venv/bin/python -m tests.benchmarks.bench_data_volume --verify-only   # audit_verify of an earlier build

The database is DATABASE_URL's name + "_volume" (dropped and made again unless --reuse). Both instances are
built the same way: the reader (a Barnkontakt) and their 200 children through the platform's services, as a
staff member would make them; everything else in bulk SQL (INSERT … SELECT generate_series): staff, units,
the other children (90 % with a Barnkontakt, a few thousand with a Barnteam member and a concern). The audit
log is written from the start of the chain with COPY, each entry's MAC and hash computed here exactly as the
application and the trigger compute them (the trigger itself is bypassed for the load with
session_replication_role, as a superuser may; `audit_verify` then checks every entry), in yearly partitions
closed with their checkpoints by the platform's own maintenance.

Measured per instance, one client, sequential requests: the API child list (first page, last page), name
search, child detail, chronology, the caseload (``/api/me/attention/``), loggkontroll (API) for one child and
for one busy user over a year, the loggkontroll CSV export's time to first byte, and ``audit_verify`` (full
rate in entries/s, and incremental from the last verified head). Not collected by pytest.
"""

import argparse
import hashlib
import hmac
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.benchmarks.common import bench_database_url, ensure_database, gunicorn_start, results_write

REPO = Path(__file__).resolve().parents[2]
READER_EMAIL = "bench-reader@example.se"
WIDE_EMAIL = "bench-wide@example.se"  # a Barnteam member of every tenth child: 20 or 20,000 children
ADMIN_EMAIL = "bench-admin@example.se"
CASELOAD = 200  # the reader's children, the same in both instances
GIVEN = ("Alva", "Elsa", "Maja", "Noah", "Liam", "Hugo", "Saga", "Ella", "Nils", "Vera", "Otto", "Ebba", "Alice", "Leo")
# A name few children have (one in 10,000, all of them among the wide reader's): the wide search's other case.
RARE = "Tindra"
FAMILY = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson")
ACTIONS = ("view",) * 14 + ("list",) * 4 + ("update", "create")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=200_000, help="children in the large instance")
    parser.add_argument("--staff", type=int, default=3_000, help="staff in the large instance")
    parser.add_argument("--units", type=int, default=150, help="units in the large instance")
    parser.add_argument("--audit", type=int, default=20_000_000, help="audit entries in the large instance")
    parser.add_argument("--years", type=int, default=5, help="years the audit log spans")
    parser.add_argument("--small", type=int, default=200, help="children in the small instance (all the reader's)")
    parser.add_argument("--requests", type=int, default=40, help="requests per figure (after 3 warm-up)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8830)
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run, measure only")
    parser.add_argument("--skip-full-verify", action="store_true", help="leave out the full audit_verify")
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="with --reuse: only the full audit_verify of each instance, for each of --verify-workers, in turns",
    )
    parser.add_argument("--verify-workers", default="1,2", help="process counts for --verify-only (comma-separated)")
    parser.add_argument("--verify-rounds", type=int, default=2, help="turns of --verify-workers for --verify-only")
    parser.add_argument("--database-url", default="", help="default: DATABASE_URL with _volume appended")
    parser.add_argument("--output", default=str(REPO / ".local" / "bench"), help="folder for the JSON results")
    return parser.parse_args()


def say(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


# --- building the instances ----------------------------------------------------------------------------


def instance_prepare(*, subdomain: str, name: str, number: str) -> "Tenant":  # noqa: F821
    from tenants.models import Tenant
    from tenants.services import tenant_create

    tenant = Tenant.objects.filter(schema_name=f"t_{subdomain}").first()
    if tenant is None:
        tenant = tenant_create(
            name=name, kind=Tenant.Kind.MUNICIPALITY, organisation_number=number, county="AB", subdomain=subdomain
        )
    if tenant.status != Tenant.Status.ACTIVE:
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ACTIVE)
        tenant.refresh_from_db()
    return tenant


def people_prepare(tenant) -> dict:
    """The reader with their CASELOAD children (through the services), a local admin, and their credentials."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_tenants.utils import tenant_context

    from modules.accounts.models import User
    from modules.accounts.services import api_token_create, user_create
    from modules.children.demo import child_record_demo_seed
    from modules.children.selectors import children_visible_to

    with tenant_context(tenant):
        reader, _ = child_record_demo_seed(email=READER_EMAIL, children=CASELOAD)
        admin = User.objects.filter(email=ADMIN_EMAIL).first() or user_create(
            email=ADMIN_EMAIL, full_name="Lena Logg", role=User.Role.LOCAL_ADMIN
        )
        wide = User.objects.filter(email=WIDE_EMAIL).first() or user_create(
            email=WIDE_EMAIL, full_name="Vida Vid", role=User.Role.STAFF
        )
        children = list(children_visible_to(user=reader).order_by("pk").values_list("pk", flat=True))
        cookies = {}
        for name, user in (("admin", admin), ("wide", wide)):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookies[name] = f"sessionid={session.session_key}"
        return {
            "host": tenant.primary_domain,
            "reader_id": reader.pk,
            "reader_token": api_token_create(user=reader).key,
            "wide_id": wide.pk,
            "wide_token": api_token_create(user=wide).key,
            "admin_token": api_token_create(user=admin).key,
            "admin_cookie": cookies["admin"],
            "wide_cookie": cookies["wide"],
            "children": children,
        }


def bulk_people(cursor, *, children: int, staff: int, units: int, reader_id: int) -> None:
    """Units, staff and children beyond the reader's, in bulk: 90 % of the children get a Barnkontakt among
    the staff, one in 50 a Barnteam member (same organisation, no consent needed) and a concern."""
    now = datetime.now(UTC)
    cursor.execute(
        "INSERT INTO organisations_organisation (name, kind, created_at) VALUES (%s, 'kommun', %s)"
        " ON CONFLICT (name) DO NOTHING",
        ["Bench – förvaltningen", now],
    )
    cursor.execute("SELECT id FROM organisations_organisation WHERE name = %s", ["Bench – förvaltningen"])
    (organisation,) = cursor.fetchone()
    cursor.execute(
        "INSERT INTO organisations_unit (organisation_id, name, kind, created_at)"
        " SELECT %s, 'Enhet ' || g, (ARRAY['forskola','skola','elevhalsa','bhv'])[1 + g %% 4], %s"
        " FROM generate_series(1, %s) g",
        [organisation, now, units],
    )
    cursor.execute(
        "SELECT array_agg(id ORDER BY id) FROM organisations_unit WHERE organisation_id = %s", [organisation]
    )
    (unit_ids,) = cursor.fetchone()
    cursor.execute(
        "INSERT INTO accounts_user (password, is_superuser, email, full_name, role, is_active, is_staff,"
        " date_joined, unit_id, language, phone, session_generation)"
        " SELECT '!', false, 'personal' || g || '@bench.example.se', 'Personal ' || g, 'staff', true, false,"
        " %s, (%s::bigint[])[1 + g %% array_length(%s::bigint[], 1)], 'sv', '', 0 FROM generate_series(1, %s) g",
        [now, unit_ids, unit_ids, staff],
    )
    cursor.execute("SELECT min(id), max(id) FROM accounts_user WHERE email LIKE '%%@bench.example.se'")
    first_staff, last_staff = cursor.fetchone()
    cursor.execute("SELECT coalesce(max(id), 0) FROM children_child")
    (base,) = cursor.fetchone()
    cursor.execute(
        "INSERT INTO children_child (given_name, family_name, personnummer_ciphertext, personnummer_lookup,"
        " personnummer_prefix, is_coordination_number, birth_date, created_at, created_by_id)"
        " SELECT (%s::text[])[1 + g %% %s], (%s::text[])[1 + (g / 7) %% %s], 'bench', md5('bench' || g),"
        " to_char(d, 'YYYYMMDD'), false, d, %s, NULL"
        " FROM generate_series(1, %s) g, LATERAL (SELECT date '2008-01-01' + (g %% 6000) AS d) born",
        [list(GIVEN), len(GIVEN), list(FAMILY), len(FAMILY), now, children],
    )
    # Statistics for the tables just filled, before rows that refer to them: the foreign-key checks' cached
    # plans (made while a table held the reader's 200 children or 20 staff: a sequential scan) are made again
    # then; otherwise each of 200,000 checks scans the whole table (the build took tens of minutes).
    cursor.execute("ANALYZE children_child")
    cursor.execute("ANALYZE accounts_user")
    cursor.execute(
        "INSERT INTO children_child_units (child_id, unit_id)"
        " SELECT id, (%s::bigint[])[1 + id %% array_length(%s::bigint[], 1)] FROM children_child WHERE id > %s",
        [unit_ids, unit_ids, base],
    )
    span = last_staff - first_staff + 1
    cursor.execute(
        "INSERT INTO children_childcontact (child_id, user_id, started_at, ended_at, assigned_by_id, reason)"
        " SELECT id, %s + id %% %s, %s, NULL, NULL, '' FROM children_child WHERE id > %s AND id %% 10 <> 0",
        [first_staff, span, now, base],
    )
    cursor.execute(
        "INSERT INTO children_teammember (child_id, user_id, team_role, started_on, ends_on, ended_at, consent_id,"
        " legal_ground, added_by_id)"
        " SELECT id, %s + (id + 1) %% %s, 'Kurator', %s, NULL, NULL, NULL, '', NULL"
        " FROM children_child WHERE id > %s AND id %% 50 = 1",
        [first_staff, span, now.date(), base],
    )
    cursor.execute(
        "INSERT INTO children_concern (child_id, raised_by_id, raised_at, description, area_keys, urgency,"
        " guardians_informed, routed_to_id, acknowledged_at, acknowledged_by_id)"
        " SELECT id, %s + (id + 2) %% %s, %s, 'Oro (bench)', '[]', 'normal', NULL, NULL, %s, NULL"
        " FROM children_child WHERE id > %s AND id %% 50 = 1",
        [first_staff, span, now, now, base],
    )
    del reader_id


def audit_generate(cursor, *, schema: str, entries: int, years: int, actors: list[int], children: list[int]) -> None:
    """The whole log from the genesis: MAC and hash per entry as modules.audit computes them, COPY in order."""
    from django.conf import settings

    from modules.audit.partitions import audit_partition_create

    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=365 * years)
    step_us = int((now - timedelta(hours=1) - start).total_seconds() * 1_000_000 // max(entries, 1))
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("DELETE FROM audit_auditentry")
    cursor.execute("DELETE FROM public.audit_anchor WHERE schema_name = %s", [schema])
    for year in range(start.year, now.year + 1):
        audit_partition_create(cursor, year=year)
    key = settings.AUDIT_CHAIN_KEY.encode()
    rng = random.Random(17)
    ips = [f"10.0.{n // 250}.{n % 250 + 1}" for n in range(500)]
    previous = "0" * 64
    sha256, digest = hashlib.sha256, hmac.digest
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    start_us = int((start - epoch).total_seconds() * 1_000_000)
    began = time.perf_counter()
    with cursor.copy(
        "COPY audit_auditentry (id, at, actor_id, child_id, action, object_type, object_id, ip_address,"
        " previous_hash, hash, mac) FROM STDIN"
    ) as copy:
        lines = []
        for n in range(1, entries + 1):
            at = epoch + timedelta(microseconds=start_us + n * step_us)
            at_text = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            actor = str(actors[rng.randrange(len(actors))])
            child = str(children[rng.randrange(len(children))])
            action = ACTIONS[rng.randrange(len(ACTIONS))]
            ip = ips[rng.randrange(500)]
            fields = f"{at_text}\x1f{actor}\x1f{child}\x1f{action}\x1fchildren.child\x1f{child}\x1f{ip}"
            mac = digest(key, f"{schema}\x1f{fields}".encode(), "sha256").hex()
            entry_hash = sha256(f"{previous}\x1f{fields}\x1f{mac}".encode()).hexdigest()
            lines.append(
                f"{n}\t{at_text}\t{actor}\t{child}\t{action}\tchildren.child\t{child}\t{ip}\t{previous}\t{entry_hash}\t{mac}\n"
            )
            previous = entry_hash
            if len(lines) == 20_000:
                copy.write("".join(lines))
                lines = []
                if n % 1_000_000 == 0:
                    say(f"  {schema}: {n:,} audit entries ({n / (time.perf_counter() - began):,.0f}/s)")
        if lines:
            copy.write("".join(lines))
    cursor.execute("SET session_replication_role = origin")
    cursor.execute("SELECT setval('audit_entry_id_seq', %s)", [max(entries, 1)])


BULK_TABLES = (
    "children_child",
    "children_child_units",
    "children_childcontact",
    "children_teammember",
    "children_concern",
    "accounts_user",
)


def rare_name_ensure(tenant) -> None:
    """One child in 10,000 (ids ending in 0005: all among the wide reader's) named ``RARE``; also in a database
    built before this figure existed (``--reuse``)."""
    from django.db import connection
    from django_tenants.utils import tenant_context

    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE children_child SET given_name = %s WHERE id %% 10000 = 5 AND given_name <> %s", [RARE, RARE]
        )


def tables_vacuum(tenant) -> None:
    """As autovacuum would have by now in production: statistics, and the visibility map, without which a scan
    of an index alone (the child list's and search's name index) still reads every row it passes. Quick when
    nothing changed since the last time (``--reuse``)."""
    from django.db import connection
    from django_tenants.utils import tenant_context

    with tenant_context(tenant), connection.cursor() as cursor:
        for table in BULK_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def instance_fill(tenant, people: dict, *, children: int, staff: int, units: int, audit: int, years: int) -> dict:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from modules.audit.partitions import audit_partitions_maintain

    timings = {}
    with tenant_context(tenant), connection.cursor() as cursor:
        began = time.perf_counter()
        extra = max(children - CASELOAD, 0)
        if extra:
            bulk_people(cursor, children=extra, staff=staff, units=units, reader_id=people["reader_id"])
        # The wide reader: a Barnteam member (same organisation, no consent needed) of every tenth child.
        cursor.execute(
            "INSERT INTO children_teammember (child_id, user_id, team_role, started_on, ends_on, ended_at,"
            " consent_id, legal_ground, added_by_id)"
            " SELECT id, %s, 'Skolsköterska', %s, NULL, NULL, NULL, '', NULL FROM children_child WHERE id %% 10 = 5",
            [people["wide_id"], datetime.now(UTC).date()],
        )
        timings["people_s"] = time.perf_counter() - began
        cursor.execute("SELECT id FROM accounts_user ORDER BY id")
        actors = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM children_child ORDER BY id")
        child_ids = [row[0] for row in cursor.fetchall()]
        began = time.perf_counter()
        audit_generate(cursor, schema=tenant.schema_name, entries=audit, years=years, actors=actors, children=child_ids)
        timings["audit_s"] = time.perf_counter() - began
        began = time.perf_counter()
        maintained = audit_partitions_maintain()
        timings["checkpoints_s"] = time.perf_counter() - began
        timings["closed_years"] = list(maintained.closed)
    began = time.perf_counter()
    tables_vacuum(tenant)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze_s"] = time.perf_counter() - began
    return timings


# --- measuring -----------------------------------------------------------------------------------------


def busiest_actor(tenant, since: date) -> int:
    from django.db import connection
    from django_tenants.utils import tenant_context

    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(
            "SELECT actor_id FROM audit_auditentry WHERE at >= %s AND actor_id IS NOT NULL"
            " GROUP BY actor_id ORDER BY count(*) DESC LIMIT 1",
            [since],
        )
        return cursor.fetchone()[0]


def measure(port: int, people: dict, *, requests_per: int, actor_id: int) -> dict:
    import requests

    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    reader = {"Host": people["host"], "Authorization": f"Token {people['reader_token']}"}
    admin = {"Host": people["host"], "Authorization": f"Token {people['admin_token']}"}
    wide = {"Host": people["host"], "Authorization": f"Token {people['wide_token']}"}
    children = people["children"]
    pages = max(1, -(-len(children) // 50))
    wide_pages = max(1, -(-people["wide_children"] // 50))
    today = datetime.now(UTC).date()
    year = {"since": (today - timedelta(days=365)).isoformat(), "until": today.isoformat()}
    # The wide reader's last page as a client reaches it: by following ``next`` links from the first page
    # (once, before timing); then that URL is timed. ``page=N`` is kept as its own figure (the slow way).
    wide_last = f"{base}/api/children/"
    while True:
        response = session.get(wide_last, headers=wide)
        assert response.status_code == 200, (response.status_code, response.text[:300])
        following = response.json()["next"]
        if not following:
            break
        # The link names the tenant's host; the request goes to the local server with that Host header.
        wide_last = base + urlunsplit(urlsplit(following)._replace(scheme="", netloc=""))
    wide_html = {"Host": people["host"], "Cookie": people["wide_cookie"]}
    figures = {
        "child list, first page": lambda n: session.get(f"{base}/api/children/", headers=reader),
        "child list, last page": lambda n: session.get(f"{base}/api/children/?page={pages}", headers=reader),
        "wide list (10 %), first page": lambda n: session.get(f"{base}/api/children/", headers=wide),
        "wide list (10 %), last page (next)": lambda n: session.get(wide_last, headers=wide),
        "wide list (10 %), last page=N": lambda n: session.get(f"{base}/api/children/?page={wide_pages}", headers=wide),
        "wide list (10 %), HTML page": lambda n: session.get(f"{base}/barn/", headers=wide_html),
        "wide name search": lambda n: session.post(
            f"{base}/api/children/search/", json={"q": GIVEN[n % 12]}, headers=wide
        ),
        "wide name search, rare name": lambda n: session.post(
            f"{base}/api/children/search/", json={"q": RARE}, headers=wide
        ),
        "name search": lambda n: session.post(
            f"{base}/api/children/search/", json={"q": GIVEN[n % 12]}, headers=reader
        ),
        "child detail": lambda n: session.get(f"{base}/api/children/{children[n % len(children)]}/", headers=reader),
        "chronology": lambda n: session.get(
            f"{base}/api/children/{children[n % len(children)]}/chronology/", headers=reader
        ),
        "caseload (attention)": lambda n: session.get(f"{base}/api/me/attention/", headers=reader),
        "loggkontroll, one child": lambda n: session.get(
            f"{base}/api/access-review/", params={"child_id": children[n % len(children)]}, headers=admin
        ),
        "loggkontroll, one user, a year": lambda n: session.get(
            f"{base}/api/access-review/", params={"actor_id": actor_id, **year}, headers=admin
        ),
    }
    results = {}
    for name, call in figures.items():
        timings = []
        for n in range(requests_per + 3):
            began = time.perf_counter()
            response = call(n)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                sys.exit(f"{name}: {response.status_code} {response.text[:300]}")
            if n >= 3:
                timings.append(elapsed)
        results[name] = _summary(timings)
    # The CSV export: the time to its first byte, and to its end.
    first, whole, rows = [], [], 0
    cookie = {"Host": people["host"], "Cookie": people["admin_cookie"]}
    for _n in range(max(3, requests_per // 8)):
        began = time.perf_counter()
        with session.get(
            f"{base}/loggkontroll/export.csv", params={"actor": actor_id, **year}, headers=cookie, stream=True
        ) as response:
            assert response.status_code == 200, response.status_code
            chunks = response.iter_content(chunk_size=None)
            body = next(chunks)
            first.append((time.perf_counter() - began) * 1000)
            rows = body.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks) - 1
            whole.append((time.perf_counter() - began) * 1000)
    results["loggkontroll CSV, first byte"] = _summary(first) | {"rows": rows}
    results["loggkontroll CSV, whole"] = _summary(whole) | {"rows": rows}
    return results


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)], 1),
        "n": len(ordered),
    }


def verify(tenant, *, full: bool) -> dict:
    from django_tenants.utils import tenant_context

    from modules.audit.selectors import audit_chain_verify
    from modules.audit.services import audit_anchor_record, audit_record

    out = {}
    with tenant_context(tenant):
        if full:
            began = time.perf_counter()
            check = audit_chain_verify()
            seconds = time.perf_counter() - began
            assert check.intact, check
            out["full"] = {"entries": check.checked, "s": round(seconds, 2), "per_s": round(check.checked / seconds)}
        audit_anchor_record(kind="verified")
        for _n in range(100):
            audit_record(acting_user=None, action="view", object_type="bench", object_id="verify")
        began = time.perf_counter()
        check = audit_chain_verify(incremental=True)
        seconds = time.perf_counter() - began
        assert check.intact, check
        out["incremental"] = {"entries": check.checked, "s": round(seconds, 3)}
    return out


def verify_walks(tenants: dict, *, workers: list[int], rounds: int) -> dict:
    """The full walk of each instance with each process count, in turns (the machine's load drifts): entries/s,
    the CPU time per entry of this process and of its workers, the load average, and the peak resident memory
    of this process and of the largest worker so far (constant memory: the same after 400,000 as after
    millions of entries)."""
    import resource

    from django.db import connection
    from django_tenants.utils import tenant_context

    from modules.audit.selectors import audit_chain_verify

    out = {size: [] for size in tenants}
    for _round in range(rounds):
        for size, tenant in tenants.items():
            for count in workers:
                with tenant_context(tenant):
                    load = os.getloadavg()[0]
                    cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
                    began = time.perf_counter()
                    check = audit_chain_verify(workers=count)
                    seconds = time.perf_counter() - began
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                assert check.intact, check
                connection.set_schema_to_public()
                worker_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
                figures = {
                    "workers": count,
                    "entries": check.checked,
                    "s": round(seconds, 2),
                    "per_s": round(check.checked / seconds),
                    "cpu_us_per_entry": round((time.process_time() - cpu + worker_cpu) / check.checked * 1e6, 2),
                    "load": [round(load, 2), round(os.getloadavg()[0], 2)],
                    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                    "worker_peak_rss_mb": round(after.ru_maxrss / 1024),
                }
                say(f"  audit_verify {size}: {figures}")
                out[size].append(figures)
    return out


def main() -> None:
    args = parse_args()
    if args.verify_only:
        args.reuse = True
    url = bench_database_url(args.database_url, suffix="_volume", name="bench_data_volume")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "backa_platform.settings"
    os.environ.pop("REDIS_URL", None)
    if not args.reuse:
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenants.demo import demo_seed

    sizes = {
        "small": {"children": args.small, "staff": 20, "units": 2, "audit": args.audit * args.small // args.children},
        "large": {"children": args.children, "staff": args.staff, "units": args.units, "audit": args.audit},
    }
    built = {}
    say(f"sizes: {sizes}")
    # With --reuse, every schema is brought to this checkout's migrations (e.g. an index added since the build).
    call_command("migrate_schemas", shared=not args.reuse, interactive=False, verbosity=0)
    demo_seed()
    tenants = {
        "small": instance_prepare(subdomain="ystad", name="Ystads kommun", number="212000-1173"),
        "large": instance_prepare(subdomain="stockholm", name="Stockholms stad", number="212000-0142"),
    }
    people = {}
    for size, tenant in tenants.items():
        people[size] = people_prepare(tenant)
        if not args.reuse:
            say(f"filling {size} ({tenant.schema_name})")
            built[size] = instance_fill(tenant, people[size], years=args.years, **sizes[size])
            say(f"  {size}: {built[size]}")
        rare_name_ensure(tenant)
        if args.reuse:
            tables_vacuum(tenant)
        with tenant_context(tenant):
            from modules.accounts.models import User
            from modules.children.selectors import children_visible_to

            people[size]["wide_children"] = children_visible_to(
                user=User.objects.get(pk=people[size]["wide_id"])
            ).count()
        connection.set_schema_to_public()
    if args.verify_only:
        walks = verify_walks(
            tenants, workers=[int(count) for count in args.verify_workers.split(",")], rounds=args.verify_rounds
        )
        results_write(args.output, "volume-verify", {"args": vars(args), "results": walks})
        return

    env = dict(
        os.environ,
        SECRET_KEY=settings.SECRET_KEY,
        AUDIT_CHAIN_KEY=settings.AUDIT_CHAIN_KEY,
        GUNICORN_ACCESS_LOG="",
        GUNICORN_MAX_REQUESTS="0",
        LOG_LEVEL="WARNING",
        DEBUG="0",
        PYTHONPATH=str(REPO),
    )
    since = datetime.now(UTC).date() - timedelta(days=365)
    load = os.getloadavg()
    log = Path(tempfile.mkdtemp(prefix="backa-bench-volume-")) / "gunicorn.log"
    server = gunicorn_start(code=REPO, port=args.port, workers=args.workers, env=env, log=log, name="bench_data_volume")
    results = {}
    try:
        # Sizes take turns twice (small, large, small, large): the machine is shared and its load drifts.
        rounds = {size: [] for size in tenants}
        for _round in range(2):
            for size, tenant in tenants.items():
                actor = busiest_actor(tenant, since)
                connection.set_schema_to_public()
                say(f"measuring {size}")
                rounds[size].append(measure(args.port, people[size], requests_per=args.requests // 2, actor_id=actor))
        for size in tenants:
            merged = {}
            for name in rounds[size][0]:
                both = [figures[name] for figures in rounds[size]]
                merged[name] = {key: round(statistics.mean(f[key] for f in both), 1) for key in ("p50_ms", "p95_ms")}
                if "rows" in both[0]:
                    merged[name]["rows"] = both[0]["rows"]
            results[size] = merged
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()
    # The request figures first: a failed verification below must not lose them.
    print(f"\n{'figure':<36} {'small p50':>10} {'p95':>8} {'large p50':>10} {'p95':>8} {'p95 ratio':>10}")
    for name in results["small"]:
        small, large = results["small"][name], results["large"][name]
        ratio = large["p95_ms"] / small["p95_ms"] if small["p95_ms"] else float("nan")
        print(
            f"{name:<36} {small['p50_ms']:>10.1f} {small['p95_ms']:>8.1f} {large['p50_ms']:>10.1f} "
            f"{large['p95_ms']:>8.1f} {ratio:>10.2f}"
        )
    print(f"load average while measuring, before / after: {load[0]:.2f} / {load_after[0]:.2f}", flush=True)
    for size, tenant in tenants.items():
        say(f"audit_verify {size}")
        results[size]["audit_verify"] = verify(tenant, full=not args.skip_full_verify)
        connection.set_schema_to_public()
    for size in tenants:
        print(f"audit_verify {size}: {results[size]['audit_verify']}")
    results_write(
        args.output,
        "volume",
        {"args": vars(args), "sizes": sizes, "built": built, "load_average": [load, load_after], "results": results},
    )


if __name__ == "__main__":
    main()
