"""No log line carries a one-time invitation link: production refuses the console e-mail backend, and the
development backend keeps each mail whole in a file and prints it with its tokens masked."""

import os
import re
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.accounts.services import invitation_create

REPO = Path(__file__).resolve().parents[2]
SETTINGS = "from django.conf import settings; print(settings.EMAIL_BACKEND)"


def _settings_with(**overrides) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "EMAIL_BACKEND")}
    key = Fernet.generate_key().decode()
    env.update(
        SECRET_KEY="x" * 50,
        PERSONNUMMER_ENCRYPTION_KEYS=key,
        PERSONNUMMER_LOOKUP_KEY=key,
        AUDIT_CHAIN_KEY="k" * 43,
        DJANGO_SETTINGS_MODULE="backa_platform.settings",
        **overrides,
    )
    command = [sys.executable, "-c", f"import django; django.setup(); {SETTINGS}"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, cwd=REPO)


def test_production_refuses_the_console_backend_at_start_with_a_clear_message():
    console = "django.core.mail.backends.console.EmailBackend"
    result = _settings_with(BACKA_REQUIRE_SECRET_KEY="1", EMAIL_BACKEND=console)
    assert result.returncode != 0
    assert "is refused in production" in result.stderr and "invitation links" in result.stderr


def test_production_sends_by_smtp_and_development_writes_files_unless_told_otherwise():
    production = _settings_with(BACKA_REQUIRE_SECRET_KEY="1")
    development = _settings_with(DEBUG="1", BACKA_REQUIRE_SECRET_KEY="1")
    assert production.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", production.stderr
    assert development.stdout.strip() == "backa_platform.core.mail.DevelopmentEmailBackend", development.stderr
    # Development may still choose the console, knowingly.
    console = _settings_with(DEBUG="1", EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert console.returncode == 0, console.stderr


def test_the_development_backend_prints_no_usable_invitation_link(
    ystad, settings, tmp_path, capfd, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "backa_platform.core.mail.DevelopmentEmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    with tenant_context(ystad), django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="ny@ystad.se", full_name="Ny Kurator", role=User.Role.STAFF, acting_user=None)

    printed = capfd.readouterr().out
    (mail_file,) = tmp_path.iterdir()
    token = re.search(r"http://ystad\.localhost/invitation/([A-Za-z0-9_-]+)/", mail_file.read_text()).group(1)
    assert "ny@ystad.se" in printed and "http://ystad.localhost/invitation/[dold, se filen]/" in printed
    assert token not in printed and str(mail_file) in printed
