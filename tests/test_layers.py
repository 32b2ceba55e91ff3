"""The layers (design section 3) are enforced by import-linter in ``make lint``: prove the lint fails on a violation.

A tiny tree with the same top-level packages is checked against the SAME contracts as the real project (read
from pyproject.toml, not copied by hand), so a contract weakened there would let this test fail too.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _importlinter_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _toml(config: dict) -> str:
    """The [tool.importlinter] table back as TOML (strings and lists of strings only, which is all it holds)."""

    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(item) for item in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {value(v)}" for key, v in config.items() if key != "contracts"]
    for contract in config["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {value(v)}" for key, v in contract.items()]
    return "\n".join(lines) + "\n"


def _run(config_path: Path, cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(config_path)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _tree(tmp_path: Path, config: dict) -> Path:
    """Every package and module the contracts name, empty: a tree that keeps every contract."""
    names = set(config["root_packages"])
    for contract in config["contracts"]:
        for field in ("source_modules", "forbidden_modules"):
            names.update(contract.get(field, []))
    for name in names:
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            package = tmp_path.joinpath(*parts[:depth])
            package.mkdir(exist_ok=True)
            (package / "__init__.py").touch()
    return tmp_path


def test_contracts_have_no_exceptions():
    for contract in _importlinter_config()["contracts"]:
        assert not contract.get("ignore_imports"), contract["name"]


def test_a_module_importing_tenants_fails_the_lint_naming_the_contract(tmp_path):
    config = _importlinter_config()
    (tmp_path / "src").mkdir()
    tree = _tree(tmp_path / "src", config)
    (tmp_path / "pyproject.toml").write_text(_toml(config))

    clean = _run(tmp_path / "pyproject.toml", tmp_path, tree)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (tree / "modules" / "x.py").write_text("import tenants\n")
    broken = _run(tmp_path / "pyproject.toml", tmp_path, tree)

    assert broken.returncode != 0
    assert "modules never import tenants or api BROKEN" in broken.stdout
    assert "modules.x -> tenants" in broken.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("tenants/x.py", "import api\n", "tenants never import api BROKEN"),
        (
            "backa_platform/core/x.py",
            "import modules\n",
            "the ground floor imports none of the packages above it BROKEN",
        ),
    ],
)
def test_the_other_contracts_fail_too(tmp_path, module, source, contract):
    config = _importlinter_config()
    (tmp_path / "src").mkdir()
    tree = _tree(tmp_path / "src", config)
    (tmp_path / "pyproject.toml").write_text(_toml(config))
    (tree / module).write_text(source)

    result = _run(tmp_path / "pyproject.toml", tmp_path, tree)

    assert result.returncode != 0
    assert contract in result.stdout


def test_the_real_tree_keeps_every_contract():
    result = _run(ROOT / "pyproject.toml", ROOT, ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
