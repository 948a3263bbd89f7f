"""The code base stays ruff clean: lint and format, as the README promises contributors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    """The ruff installed with the test extras (not whichever is first on PATH)."""
    command = [sys.executable, "-m", "ruff", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("args", [("check", "."), ("format", "--check", ".")])
def test_ruff_finds_nothing(args):
    result = ruff(*args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    """The package type-checks: mypy (the test extra's, configured in pyproject.toml) reports no error."""
    command = [sys.executable, "-m", "mypy"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
