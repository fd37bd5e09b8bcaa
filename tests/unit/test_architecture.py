"""The dependency rules of architecture.md, the types of domain and storage, and the code
style, checked by tools on every test run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed in the test environment"
    return found


def test_import_contracts_hold():
    """domain/ has no Qt or SQLAlchemy; export/ never reaches storage; the CLI has no Qt."""
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_ruff_is_clean():
    result = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_and_storage_type_check_strictly():
    """mypy --strict over the files pyproject.toml names (domain, storage, atomic writes)."""
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


MODULE_LIMIT = 450


def test_no_module_is_over_the_line_limit():
    """Modules stay readable in one sitting (migration scripts are generated and exempt)."""
    versions = ROOT / "journal_app" / "storage" / "migrations" / "versions"
    long = {str(path.relative_to(ROOT)): count
            for path in (ROOT / "journal_app").rglob("*.py")
            if versions not in path.parents
            and (count := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LIMIT}
    assert not long, long
