"""The local stack's compose file is valid Compose and wires the platform through PgBouncer in session mode.

No Docker engine runs here: the file is checked against the Compose Specification's JSON schema (the copy
vendored in the check-jsonschema package), before and after interpolating the ${VAR:-default} values.
"""

import configparser
import importlib.resources
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
REPO = DEPLOY.parent


def compose_schema() -> dict:
    vendored = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    return json.loads(vendored.read_text())


def interpolate(text: str) -> str:
    """Compose's ${VAR:-default} with an empty environment: every variable takes its default."""
    return re.sub(r"\$\{[A-Z_][A-Z0-9_]*(?::?-([^}]*))?\}", lambda match: match.group(1) or "", text)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(interpolate((DEPLOY / "compose.yaml").read_text()))


def errors_against_schema(document: dict) -> list[str]:
    schema = compose_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def test_compose_file_is_valid_against_the_compose_specification(compose):
    raw = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert errors_against_schema(raw) == []
    assert errors_against_schema(compose) == []


def test_the_schema_check_would_catch_a_broken_compose_file(compose):
    broken = json.loads(json.dumps(compose))
    broken["services"]["web"]["depends_on"]["bootstrap"]["condition"] = "when_it_feels_like_it"
    broken["services"]["worker"]["restart_policy"] = "always"
    assert len(errors_against_schema(broken)) >= 2


def test_stack_has_database_pooler_broker_and_the_three_processes_of_one_image(compose):
    services = compose["services"]
    assert {"postgres", "pgbouncer", "redis", "bootstrap", "web", "worker", "beat"} <= set(services)
    images = {services[name]["image"] for name in ("bootstrap", "web", "worker", "beat")}
    assert images == {"backa-platform:local"}
    assert [services[name]["command"][0] for name in ("bootstrap", "web", "worker", "beat")] == [
        "bootstrap",
        "web",
        "worker",
        "beat",
    ]
    assert services["beat"]["deploy"]["replicas"] == 1


def test_application_reaches_postgresql_only_through_pgbouncer_in_session_mode(compose):
    for name in ("bootstrap", "web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert "@pgbouncer:6432/" in environment["DATABASE_URL"]
        assert environment["DATABASE_POOLER_MODE"] == "session"
    ini = configparser.ConfigParser()
    ini.read(DEPLOY / "pgbouncer" / "pgbouncer.ini")
    assert ini["pgbouncer"]["pool_mode"] == "session"
    assert ini["pgbouncer"]["server_reset_query"] == "DISCARD ALL"


def test_tenants_are_created_before_web_worker_and_beat_start(compose):
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["depends_on"]["bootstrap"]["condition"] == "service_completed_successfully"
    assert compose["services"]["bootstrap"]["environment"]["BACKA_SEED_DEMO"] == "1"
    assert compose["services"]["web"]["healthcheck"]["test"][-1] == "/readyz/web"


def test_application_containers_run_read_only_without_capabilities(compose):
    for name in ("bootstrap", "web", "worker", "beat"):
        service = compose["services"][name]
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in service["security_opt"]


def test_image_is_multi_stage_non_root_without_build_tools_and_checks_health():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = re.split(r"^FROM ", dockerfile, flags=re.MULTILINE)[1:]
    assert len(stages) == 2, "a build stage and a run stage"
    run_stage = stages[-1]
    assert re.search(r"^USER 10001", run_stage, flags=re.MULTILINE)
    # The one Debian package the run stage installs is a runtime program, not a build tool: xmlsec1, with which
    # pysaml2 verifies SAML signatures (federated sign-in). Anything else apt-get installs there fails.
    installs = re.findall(r"apt-get install ([^\\&\n]*)", run_stage)
    assert all(set(line.split()) - {"-y", "-qq", "--no-install-recommends"} == {"xmlsec1"} for line in installs)
    for tool in ("pip install", "gcc", "build-essential"):
        assert tool not in run_stage
    assert "collectstatic" in stages[0]
    assert "HEALTHCHECK" in run_stage and "/healthz" in run_stage
    assert 'ENTRYPOINT ["/app/deploy/entrypoint.sh"]' in run_stage
    assert "BACKA_REQUIRE_SECRET_KEY=1" in run_stage
    # Every file the image copies exists in the repository.
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, flags=re.MULTILINE):
        for path in source.split():
            assert (REPO / path).exists(), path
