"""The platform's main job on a fresh machine, the way a developer gets it: `make run` with DATABASE_URL and
REDIS_URL unset (embedded PostgreSQL; make run's own worker on a broker in files) from an empty state folder. In
Chromium a municipality applies, the national coordinator approves, the tenant is provisioned (pg_dump of
the embedded server's own version), its contact person follows the e-mailed invitation, sets a password and
signs in on the new tenant's host. Then the server is stopped with SIGTERM, `make run` starts again on the
same state folder and the new tenant still answers.

`make test-embedded` runs this (marker `embedded`, not part of `make test`)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from stdnum import luhn

from backa_platform import embedded_database
from tenants.models import County, Tenant
from tests.factories import browser_second_step, browser_sign_in

pytestmark = pytest.mark.embedded

REPO = Path(__file__).resolve().parents[2]
SUBDOMAIN = "e2e-embedded"
CONTACT = "anna@e2e-embedded.se"
PASSWORD = "Ett långt lösenord 2026!"
START_TIMEOUT = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MakeRun:
    """`make run` in its own process group, its output (the e-mails, their tokens masked, too) in a file."""

    def __init__(self, state_dir: Path, port: int, log: Path):
        self.state_dir, self.port, self.log = state_dir, port, log
        self.process = None

    def start(self) -> None:
        # Neither the caller's database and Redis nor what a `make test-embedded` around this test exported: its
        # flags (-n, -j, -s) and the public URL's port, which the Makefile derives from PORT (8000 there).
        unset = {
            "DATABASE_URL",
            "REDIS_URL",
            "MAKEFLAGS",
            "MFLAGS",
            "MAKELEVEL",
            "PUBLIC_URL_PORT",
            "PUBLIC_URL_SCHEME",
        }
        env = {key: value for key, value in os.environ.items() if key not in unset}
        env.update(BACKA_STATE_DIR=str(self.state_dir), PYTHONUNBUFFERED="1")
        # `-o install`: the virtualenv this test runs in is already installed; everything else is `make run`.
        # The demo IdP on a free port too: two runs side by side must not share 8010.
        command = ["make", "-o", "install", "run", f"PORT={self.port}", f"IDP_PORT={free_port()}", f"VENV={sys.prefix}"]
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_until_answering()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"make run exited with {self.process.returncode}:\n{self.output()[-5000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"make run did not answer within {START_TIMEOUT} s:\n{self.output()[-5000:]}")

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.output()):
                return match
            time.sleep(0.5)
        pytest.fail(f"{pattern!r} not in make run's output:\n{self.output()[-5000:]}")

    def wait_for_mail(self, pattern: str, timeout: float = 120) -> re.Match:
        """A mail as sent: the development backend keeps each one whole under the state folder's ``mail`` and
        prints it with its tokens masked, so the invitation link is read from the file, never from the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for mail in sorted((self.state_dir / "mail").glob("*")):
                if match := re.search(pattern, mail.read_text(errors="replace")):
                    assert match.group(0) not in self.output(), "a one-time link was printed to the log"
                    return match
            time.sleep(0.5)
        pytest.fail(f"{pattern!r} in no mail under {self.state_dir / 'mail'}:\n{self.output()[-5000:]}")

    def terminate(self) -> None:
        """SIGTERM to make and everything it started (runserver and its autoreloader), as a terminal would."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def state_dir():
    # The embedded server runs as the unprivileged `pgserver` user under root: it must reach this folder
    # (embedded_database opens the path up to it).
    # Not under pytest's tmp_path: another pytest session on this machine closes /tmp/pytest-of-<user> again.
    folder = Path(tempfile.mkdtemp(prefix="backa-embedded-")) / "state"
    yield folder
    embedded_database.stop(folder)
    shutil.rmtree(folder.parent)


def test_a_new_municipality_on_the_embedded_platform_survives_a_restart(state_dir, tmp_path, browser):
    port = free_port()
    run = MakeRun(state_dir, port, tmp_path / "make-run.log")
    central = f"http://localhost:{port}"
    tenant_site = f"http://{SUBDOMAIN}.localhost:{port}"
    page = browser.new_context(locale="sv-SE").new_page()
    try:
        run.start()
        sign_in_line = run.wait_for(rf"http://localhost:{port}/login/\s+(\S+@\S+)\s+(\S+)")
        coordinator_email, coordinator_password = sign_in_line.group(1), sign_in_line.group(2)

        body = "212000902"  # a municipality's number, not a demo tenant's
        page.goto(central + "/ansok/")
        page.get_by_label("Organisationens namn").fill("E2E Inbäddade kommun")
        page.get_by_label("Organisationsnummer").fill(f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}")
        page.get_by_label("Typ").select_option(Tenant.Kind.MUNICIPALITY.value)
        page.get_by_label("Län").select_option(County.SKANE.value)
        page.get_by_label("Önskad adress (subdomän)").fill(SUBDOMAIN)
        page.get_by_label(re.compile(r"^Kontaktperson\b(?!ens)")).fill("Anna Ansvarig")
        page.get_by_label("Kontaktpersonens e-post").fill(CONTACT)
        page.get_by_role("group", name="Samverkansparter").get_by_label("Polisen").check()
        page.get_by_role("button", name="Skicka ansökan").click()
        page.wait_for_url(f"{central}/ansok/kvitto/**")

        sign_in(page, central, coordinator_email, coordinator_password)
        page.goto(central + "/konsol/ansokningar/")
        page.get_by_role("link", name="E2E Inbäddade kommun").click()
        page.get_by_label("Beslut").select_option("approve")
        # make run's own worker (a broker in files, no Redis) provisions the tenant after the approval commits.
        with page.expect_navigation(timeout=120_000):
            page.get_by_role("button", name="Spara beslut").click()
        assert "Ansökan är beviljad" in page.content()

        link = run.wait_for_mail(rf"{re.escape(tenant_site)}/invitation/[A-Za-z0-9_-]+/").group(0)
        page.context.clear_cookies()
        page.goto(link)
        page.get_by_label("Nytt lösenord").fill(PASSWORD)
        page.get_by_label("Upprepa lösenordet").fill(PASSWORD)
        page.get_by_role("button", name="Spara lösenord och logga in").click()
        browser_second_step(page, tenant_site, CONTACT)  # the first sign-in enrols the authenticator
        page.wait_for_url(f"{tenant_site}/")

        sign_in(page, tenant_site, CONTACT, PASSWORD)
        assert page.get_by_role("heading", level=1).inner_text() == "E2E Inbäddade kommun"
        # The web process that just answered is the runtime role, not the embedded server's superuser: only the
        # worker (provisioning) is the owner. Its connection stays open (CONN_MAX_AGE).
        assert "backa_runtime" in session_roles(state_dir)

        # Stopped as a terminal's Ctrl-C or a service manager would, then started again on the same state.
        run.terminate()
        run.start()
        sign_in(page, tenant_site, CONTACT, PASSWORD)
        assert page.get_by_role("heading", level=1).inner_text() == "E2E Inbäddade kommun"
        assert "server version mismatch" not in run.output()
    finally:
        page.context.close()
        run.terminate()


def session_roles(state_dir: Path) -> set[str]:
    import psycopg

    with psycopg.connect(embedded_database.ensure_running(state_dir)) as conn:
        rows = conn.execute(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE backend_type = 'client backend' "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return {row[0] for row in rows}


def sign_in(page, base: str, email: str, password: str) -> None:
    page.context.clear_cookies()
    browser_sign_in(page, base, email, password)
    page.wait_for_url(f"{base}/")
