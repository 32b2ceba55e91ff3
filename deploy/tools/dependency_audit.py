"""`make audit`: the installed dependencies against the known vulnerabilities (pip-audit, PyPI's JSON API).

Fails when a dependency has a known vulnerability that a newer release fixes (upgrade it), and when any
dependency could not be audited at all (`--strict`): an unreachable vulnerability source is a failed audit,
never a silent pass. A vulnerability without a fixed release is printed, not failed on (nothing to upgrade to).
The project itself (installed editable, not on PyPI) is left out.
"""

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = [
    str(Path(sys.executable).with_name("pip-audit")),
    "--strict",
    "--skip-editable",
    "--local",
    "--progress-spinner",
    "off",
    "--format",
    "json",
    "--timeout",
    "15",
]


def findings(report: dict) -> tuple[list[str], list[str]]:
    """(vulnerabilities with a fix, vulnerabilities without one), one line each."""
    fixable, unfixable = [], []
    for dependency in report.get("dependencies", []):
        for vulnerability in dependency.get("vulns", []):
            fixes = vulnerability.get("fix_versions") or []
            line = f"{dependency['name']} {dependency['version']}: {vulnerability['id']}"
            if fixes:
                fixable.append(f"{line} (fixed in {', '.join(fixes)})")
            else:
                unfixable.append(f"{line} (no fixed release yet)")
    return fixable, unfixable


def main() -> int:
    result = subprocess.run(PIP_AUDIT, capture_output=True, text=True, timeout=300)  # noqa: S603 - our own command
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        # --strict stopped on a dependency it could not look up (or pip-audit failed otherwise): no report.
        print("dependency audit: FAILED, the audit did not complete:", file=sys.stderr)
        print(result.stderr.strip() or result.stdout.strip(), file=sys.stderr)
        return 2
    fixable, unfixable = findings(report)
    for line in unfixable:
        print(f"dependency audit: known, no fix to upgrade to: {line}")
    for line in fixable:
        print(f"dependency audit: VULNERABLE, upgrade: {line}", file=sys.stderr)
    audited = len(report.get("dependencies", []))
    print(f"dependency audit: {audited} dependencies audited, {len(fixable)} fixable vulnerabilities")
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main())
