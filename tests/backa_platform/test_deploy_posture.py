"""The production posture (issue 14 §7): `check --deploy` clean with production settings from the environment,
HTTPS enforced behind the ingress with the probes exempt, and security headers with a Content Security
Policy on every answer, which no template needs to loosen."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def production_environment(**overrides) -> dict:
    key = Fernet.generate_key().decode()
    environment = {
        **os.environ,
        "DEBUG": "0",
        "BACKA_REQUIRE_SECRET_KEY": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PERSONNUMMER_ENCRYPTION_KEYS": key,
        "PERSONNUMMER_LOOKUP_KEY": Fernet.generate_key().decode(),
        "AUDIT_CHAIN_KEY": secrets.token_urlsafe(32),
        # What the chart sets (helm/backa-platform/templates/_helpers.tpl): TLS ends at the ingress.
        "HTTPS": "1",
        "BEHIND_PROXY": "1",
        "CENTRAL_DOMAIN": "backabarnet.example.se",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(overrides)
    return environment


def manage(*args, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_is_missing_without_https():
    # The same environment without HTTPS=1: the check must complain (so the clean run above means something).
    result = manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="0")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


@pytest.fixture
def https_behind_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.REDIS_URL = ""


def test_plain_http_is_redirected_to_https(db, https_behind_proxy):
    response = Client(HTTP_HOST="ystad.localhost").get("/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://ystad.localhost/login/"


def test_probes_on_the_pod_ip_over_plain_http_are_not_redirected(db, https_behind_proxy):
    for path in ("/healthz", "/readyz"):
        response = Client(HTTP_HOST="10.1.2.3").get(path)
        assert response.status_code in (200, 503), (path, response.status_code)  # never 301
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("localhost", "/login/"),
        ("localhost", "/ansok/"),
        ("ystad.localhost", "/login/"),
        ("ystad.localhost", "/api/me/"),
    ],
)
def test_every_answer_carries_the_security_headers_and_the_csp(db, https_behind_proxy, host, path):
    response = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https").get(path)
    assert response.status_code in (200, 401), response.status_code
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def test_no_template_needs_inline_script_or_style():
    # The policy allows neither: one would be silently blocked in the browser (tests/e2e/test_csp.py sees it).
    templates = [path for folder in django_settings.TEMPLATES[0]["DIRS"] for path in Path(folder).rglob("*.html")]
    templates += [
        path for package in ("modules", "tenants", "api") for path in (ROOT / package).rglob("templates/**/*.html")
    ]
    assert templates
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert not found, found
