"""PgBouncer in session mode between the platform and PostgreSQL keeps every tenant's rows in its own schema.

django-tenants keeps the tenant in the connection's search_path. This test starts a real PgBouncer (Debian's
package, deploy/tools/install-pgbouncer.sh) in session mode with a pool of only two server connections, then
runs the platform through it: gunicorn with two workers and a Celery worker, both with CONN_MAX_AGE=0 so that
every request and every task takes a server connection another tenant's request or task has just used. It
interleaves logins and API calls on Ystad's and Region Skåne's hosts with invitation tasks for both (whose
ids overlap: the same id means a different person in each schema), and then finds every row in its own
tenant. PgBouncer's log shows the server connections were indeed handed from client to client.

A control experiment runs the same logins and API calls through a PgBouncer misconfigured in transaction mode
and must see tenants cross (in runs here about half of the 40 sessions broke: requests answered as
anonymous, logins refused, or another tenant's rows), so the check has teeth.
"""

import contextlib
import hashlib
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from backa_platform.celery import app as celery_app
from modules.accounts.models import Invitation, User
from modules.accounts.services import invitation_create, user_create
from tests.factories import TEST_PASSWORD, audit_last_id, audit_tail_delete, demo_tenant, http_sign_in

REPO = Path(__file__).resolve().parents[2]
PGBOUNCER = "/usr/sbin/pgbouncer"  # Debian's package (deploy/tools/install-pgbouncer.sh)
PGBOUNCER_PORT = 6481
WEB_PORT = 8801
SERVER_POOL_SIZE = 2
STAFF_PER_TENANT = 3
INVITATIONS_PER_TENANT = 12
ROUNDS_PER_USER = 4

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL for the Celery worker"),
]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def workdir():
    path = Path(tempfile.mkdtemp(prefix="backa-pgbouncer-"))
    path.chmod(0o777)  # pgbouncer drops to the postgres user when started as root
    yield path
    if os.environ.get("BACKA_KEEP_TEST_LOGS"):  # pgbouncer, gunicorn and Celery logs, for debugging
        shutil.copytree(path, "/tmp/backa-pgbouncer-logs", dirs_exist_ok=True)
    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def running_pgbouncer(workdir: Path, port: int, pool_mode: str = "session"):
    """A pgbouncer process of its own; yields its log file."""
    if not os.access(PGBOUNCER, os.X_OK):
        installer = REPO / "deploy" / "tools" / "install-pgbouncer.sh"
        result = subprocess.run(["bash", str(installer)], capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            pytest.fail(f"pgbouncer is not installed and {installer.name} failed:\n{result.stderr}", pytrace=False)
    (workdir / "userlist.txt").write_text('"postgres" ""\n')
    ini = workdir / f"pgbouncer-{port}.ini"
    ini.write_text(
        f"""
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir = {workdir}
auth_type = trust
auth_file = {workdir}/userlist.txt
pool_mode = {pool_mode}
server_reset_query = DISCARD ALL
default_pool_size = {SERVER_POOL_SIZE}
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
logfile = {workdir}/pgbouncer-{port}.log
pidfile = {workdir}/pgbouncer-{port}.pid
log_connections = 1
log_disconnections = 1
"""
    )
    for path in workdir.iterdir():
        if path.is_file():
            path.chmod(0o666)
    command = [PGBOUNCER, str(ini)]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres"]  # pgbouncer refuses to run as root
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, "pgbouncer")
        yield workdir / f"pgbouncer-{port}.log"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def pgbouncer(workdir):
    with running_pgbouncer(workdir, PGBOUNCER_PORT) as log:
        yield log


def platform_env(workdir: Path, pgbouncer_port: int) -> dict:
    database = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgresql://{database['USER']}@127.0.0.1:{pgbouncer_port}/{database['NAME']}",
        DATABASE_POOLER_MODE="session",
        # A connection per request and per task: every one takes a server connection another tenant just used.
        DATABASE_CONN_MAX_AGE="0",
        # The worker too: a reused connection would hold one of the two server connections for good.
        CELERY_DB_REUSE_MAX="0",
        SECRET_KEY=settings.SECRET_KEY,
        DEBUG="0",
        PUBLIC_URL_SCHEME="http",
        PUBLIC_URL_PORT="",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(workdir / "mail"),
        PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    )
    return env


@contextlib.contextmanager
def running_platform(workdir: Path, pgbouncer_port: int, web_port: int, with_worker: bool = True):
    """gunicorn (2 workers) and a Celery worker (2 processes), both talking to PostgreSQL through PgBouncer."""
    env = platform_env(workdir, pgbouncer_port)
    bin_dir = Path(sys.executable).parent
    web = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "--config",
            str(REPO / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "2",
            "--access-logfile",
            str(workdir / f"access-{web_port}.log"),
            "backa_platform.wsgi:application",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / f"gunicorn-{web_port}.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    worker = None
    if with_worker:
        worker = subprocess.Popen(
            [
                str(bin_dir / "celery"),
                "-A",
                "backa_platform",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / "celery.log", "wb"),  # noqa: SIM115
        )
    try:
        wait_for_port(web_port, web, "gunicorn")
        yield f"http://127.0.0.1:{web_port}"
    finally:
        stop(web)
        if worker is not None:
            stop(worker)


@pytest.fixture(scope="module")
def platform(django_db_setup, pgbouncer, workdir):
    with running_platform(workdir, PGBOUNCER_PORT, WEB_PORT) as base_url:
        yield base_url


def make_people(tenant, label: str) -> dict[str, str]:
    """An admin, staff, and an account whose e-mail also exists in the other tenant (with another name)."""
    people = {}
    with tenant_context(tenant):
        for email, role in [
            (f"pgb-admin@{label}.example.se", User.Role.LOCAL_ADMIN),
            *[(f"pgb-staff{n}@{label}.example.se", User.Role.STAFF) for n in range(STAFF_PER_TENANT)],
            ("pgb-shared@example.se", User.Role.LOCAL_ADMIN),
        ]:
            user_create(email=email, full_name=f"{label} {email.split('@')[0]}", role=role, password=TEST_PASSWORD)
            people[email] = f"{label} {email.split('@')[0]}"
    return people


def log_in(base_url: str, host: str, email: str) -> requests.Session:
    session = requests.Session()
    session.headers["Host"] = host
    http_sign_in(session, base_url, email)  # password, then the authenticator's enrolment and code
    return session


def visit(base_url: str, hosts: dict, people: dict, label: str, email: str) -> list[str]:
    """Log in on the tenant's host, then ask who I am and whom I may see, several times; return what was wrong."""
    problems = []
    other = "skane" if label == "ystad" else "ystad"
    try:
        session = log_in(base_url, hosts[label], email)
        for _round in range(ROUNDS_PER_USER):
            response = session.get(f"{base_url}/api/me/", timeout=30)
            if response.status_code != 200 or response.json().get("full_name") != people[label][email]:
                problems.append(f"{email} on {label}: {response.status_code} {response.text[:80]}")
                continue
            if people[label][email].endswith("admin") or email == "pgb-shared@example.se":
                listed = {row["email"] for row in session.get(f"{base_url}/api/users/", timeout=30).json()["results"]}
                own = set(people[label])
                foreign = {address for address in people[other] if address != "pgb-shared@example.se"}
                if not own <= listed or listed & foreign:
                    problems.append(f"{label}'s user list on its host: {sorted(listed)}")
    except (AssertionError, AttributeError, KeyError, ValueError, requests.RequestException) as error:
        problems.append(f"{email} on {label}: {type(error).__name__} {error}")
    return problems


def visits(people: dict) -> list[tuple[str, str]]:
    """Every account of both tenants, in an order that interleaves the tenants."""
    order = [(label, email) for label in people for email in people[label]]
    random.Random(8).shuffle(order)
    return order


def read_mails(folder: Path) -> list:
    """Django's file-based backend appends to one file per connection and second, a line of 79 dashes after each."""
    separator = b"\n" + b"-" * 79 + b"\n"
    files = sorted(folder.glob("*.log")) if folder.exists() else []
    return [
        message_from_bytes(chunk) for path in files for chunk in path.read_bytes().split(separator) if chunk.strip()
    ]


def _invitation_ids_in_step(tenants) -> None:
    """Start both tenants' invitation ids at the same number, so the same ids exist in both schemas whatever other
    tests made before (a sequence is not rolled back with a test's transaction)."""
    sequences = []
    for tenant in tenants:
        with tenant_context(tenant), connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence('accounts_invitation', 'id')")
            (sequence,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value FROM {sequence}")  # noqa: S608 - PostgreSQL's own name
            sequences.append((sequence, cursor.fetchone()[0]))
    start = max(last_value for _sequence, last_value in sequences)
    with connection.cursor() as cursor:
        for sequence, _last_value in sequences:
            cursor.execute("SELECT setval(%s, %s)", [sequence, start])


def test_requests_and_tasks_through_pgbouncer_in_session_mode_stay_in_their_own_tenant(
    committed_db, pgbouncer, platform, workdir
):
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    tenants = {"ystad": ystad, "skane": skane}
    audit_before = {label: audit_last_id(tenant) for label, tenant in tenants.items()}
    hosts = {label: tenant.primary_domain for label, tenant in tenants.items()}
    invitations: dict[str, list[int]] = {"ystad": [], "skane": []}
    sessions_before = {}
    for label, tenant in tenants.items():
        with tenant_context(tenant):
            sessions_before[label] = set(Session.objects.values_list("session_key", flat=True))
    _invitation_ids_in_step(tenants.values())
    people = {}
    try:
        people = {label: make_people(tenant, label) for label, tenant in tenants.items()}

        celery_app.conf.task_always_eager = False
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(visit, platform, hosts, people, label, email) for label, email in visits(people)]
            # Meanwhile, invitations alternate between the tenants; a worker mails each one.
            for n in range(INVITATIONS_PER_TENANT):
                for label, tenant in tenants.items():
                    with tenant_context(tenant), transaction.atomic():
                        invitation = invitation_create(
                            email=f"pgb-invited{n}@{label}.example.se",
                            full_name=f"Inbjuden {n}",
                            role=User.Role.STAFF,
                            acting_user=None,
                        )
                    invitations[label].append(invitation.pk)
            problems = [problem for future in futures for problem in future.result()]
        assert problems == []

        # Same ids in both schemas: a task that ran in the wrong schema would mail the other tenant's person.
        assert set(invitations["ystad"]) & set(invitations["skane"])

        expected_mails = 2 * INVITATIONS_PER_TENANT
        deadline = time.monotonic() + 90
        while len(read_mails(workdir / "mail")) < expected_mails and time.monotonic() < deadline:
            time.sleep(0.25)
        mails = read_mails(workdir / "mail")
        assert len(mails) == expected_mails, (workdir / "celery.log").read_text()[-3000:]

        links = {}
        for mail in mails:
            recipient = mail["To"]
            assert recipient not in links, f"{recipient} was mailed twice"
            body = mail.get_payload(decode=True).decode()
            links[recipient] = re.search(r"http://([a-z.]+)/invitation/([\w-]+)/", body).groups()
        for label, tenant in tenants.items():
            with tenant_context(tenant):
                for invitation in Invitation.objects.filter(pk__in=invitations[label]):
                    host, token = links[invitation.email]
                    assert host == hosts[label], f"{invitation.email} got a link to {host}"
                    # The token the worker mailed is the one stored in this tenant's own row.
                    assert hashlib.sha256(token.encode()).hexdigest() == invitation.token_hash

        # Every login wrote its session and last_login into its own tenant's schema only.
        for label, tenant in tenants.items():
            with tenant_context(tenant):
                new_sessions = Session.objects.exclude(session_key__in=sessions_before[label])
                user_ids = {int(session.get_decoded()["_auth_user_id"]) for session in new_sessions}
                ours = User.objects.filter(email__in=people[label])
                assert user_ids == set(ours.values_list("pk", flat=True))
                assert new_sessions.count() == len(people[label])
                assert all(user.last_login is not None for user in ours)
                assert {user.full_name for user in ours} == set(people[label].values())

        # PgBouncer really handed server connections from client to client (between tenants).
        log = pgbouncer.read_text()
        client_logins = len(re.findall(r"login attempt", log))
        server_connections = len(re.findall(r"new connection to server", log))
        assert server_connections <= 2 * SERVER_POOL_SIZE
        assert client_logins >= 5 * server_connections, (client_logins, server_connections)
    finally:
        for label, tenant in tenants.items():
            audit_tail_delete(tenant, after=audit_before[label])  # sign-ins name the accounts
            with tenant_context(tenant):
                Invitation.objects.filter(pk__in=invitations[label]).delete()
                Session.objects.exclude(session_key__in=sessions_before[label]).delete()
                User.objects.filter(email__in=people.get(label, {})).delete()


def test_demo_tenants_answer_on_the_hosts_the_pooled_run_uses(ystad, skane):
    # Also makes pytest-django create the test database when this module runs alone: committed_db by itself
    # does not ask for it.
    assert (ystad.primary_domain, skane.primary_domain) == ("ystad.localhost", "skane.localhost")
    assert ystad.schema_name != skane.schema_name


def test_the_same_interleaving_through_pgbouncer_in_transaction_mode_crosses_tenants(committed_db, workdir):
    """The control experiment: the check above has teeth. The same logins and API calls through a PgBouncer
    misconfigured in transaction mode (the platform is told "session": the settings refuse anything else) see
    the other tenant's accounts or lose their sessions, because a server connection, and with it a tenant's
    search_path, is handed to another request between transactions."""
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    tenants = {"ystad": ystad, "skane": skane}
    audit_before = {label: audit_last_id(tenant) for label, tenant in tenants.items()}
    hosts = {label: tenant.primary_domain for label, tenant in tenants.items()}
    schemas = [*tenants.values(), _tenant_public()]
    sessions_before = {}
    for tenant in schemas:
        with tenant_context(tenant):
            sessions_before[tenant.schema_name] = set(Session.objects.values_list("session_key", flat=True))
    people = {}
    try:
        people = {label: make_people(tenant, label) for label, tenant in tenants.items()}
        with (
            running_pgbouncer(workdir, PGBOUNCER_PORT + 1, pool_mode="transaction"),
            running_platform(workdir, PGBOUNCER_PORT + 1, WEB_PORT + 1, with_worker=False) as base_url,
            ThreadPoolExecutor(max_workers=4) as pool,
        ):
            futures = [pool.submit(visit, base_url, hosts, people, label, email) for label, email in visits(people)]
            problems = [problem for future in futures for problem in future.result()]
        assert problems, "transaction mode should have crossed tenants; if it did not, the check above proves nothing"
    finally:
        for tenant in schemas:
            with tenant_context(tenant):
                Session.objects.exclude(session_key__in=sessions_before[tenant.schema_name]).delete()
        for label, tenant in tenants.items():
            audit_tail_delete(tenant, after=audit_before[label])  # sign-ins name the accounts
            with tenant_context(tenant):
                User.objects.filter(email__in=people.get(label, {})).delete()


def _tenant_public():
    from tenants.models import Tenant

    return Tenant.objects.get(kind=Tenant.Kind.CENTRAL)
