"""ruff and mypy find nothing in the code (the README's test command runs both through these
tests, so CI fails on any finding of either)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def test_ruff_finds_no_error_in_the_code() -> None:
    """`ruff check casefiles flows tests` reports nothing; its findings are printed if not."""
    done = _run("ruff", "check", "casefiles", "flows", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_error_in_the_code() -> None:
    """`mypy` (configured in pyproject.toml: the package and the flows) reports nothing; the
    SQLModel tables are reached through the typed ``tables.table_of``."""
    done = _run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
