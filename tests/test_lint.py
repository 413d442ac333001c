"""ruff finds nothing in the code (the README's test command runs it through this test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_no_error_in_the_code() -> None:
    """`ruff check casefiles flows tests` reports nothing; its findings are printed if not."""
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([str(ruff), "check", "casefiles", "flows", "tests"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
