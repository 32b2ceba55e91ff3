"""`make audit` (deploy/tools/dependency_audit.py) fails on a known vulnerability with a fix and on a dependency
it could not audit, and passes on one without a fix. pip-audit's answers are given here (its source, PyPI's
per-release JSON API, is not reachable from this machine: README, Security)."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "tools" / "dependency_audit.py"
spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
dependency_audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dependency_audit)


def report(*vulns_by_dependency) -> str:
    return json.dumps(
        {
            "dependencies": [
                {"name": name, "version": version, "vulns": vulns} for name, version, vulns in vulns_by_dependency
            ],
            "fixes": [],
        }
    )


@pytest.fixture
def pip_audit_answers(monkeypatch):
    def answer(stdout: str, stderr: str = "", returncode: int = 1):
        completed = subprocess.CompletedProcess(dependency_audit.PIP_AUDIT, returncode, stdout, stderr)
        monkeypatch.setattr(dependency_audit.subprocess, "run", lambda *args, **kwargs: completed)

    return answer


def test_a_vulnerability_with_a_fix_fails_the_audit(pip_audit_answers, capsys):
    pip_audit_answers(
        report(("django", "4.2.0", [{"id": "PYSEC-2023-100", "fix_versions": ["4.2.2"]}]), ("redis", "5.0.0", []))
    )
    assert dependency_audit.main() == 1
    assert "django 4.2.0: PYSEC-2023-100 (fixed in 4.2.2)" in capsys.readouterr().err


def test_a_vulnerability_without_a_fix_is_shown_but_passes(pip_audit_answers, capsys):
    pip_audit_answers(report(("somepkg", "1.0", [{"id": "GHSA-xxxx", "fix_versions": []}])))
    assert dependency_audit.main() == 0
    assert "no fixed release yet" in capsys.readouterr().out


def test_a_dependency_that_could_not_be_audited_fails_the_audit(pip_audit_answers, capsys):
    # What pip-audit --strict answers here: no report, the dependency it could not look up named.
    pip_audit_answers("", "amqp: Dependency not found on PyPI and could not be audited: amqp (5.4.2)")
    assert dependency_audit.main() == 2
    assert "could not be audited" in capsys.readouterr().err


def test_the_audit_is_strict_and_leaves_out_only_the_project_itself():
    assert "--strict" in dependency_audit.PIP_AUDIT and "--skip-editable" in dependency_audit.PIP_AUDIT
    assert Path(dependency_audit.PIP_AUDIT[0]).exists()
