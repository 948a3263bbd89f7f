"""README.md's steps work as a newcomer pastes them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pilot_steps() -> list[str]:
    """The shell commands of "Start your own pilot", in order."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Start your own pilot", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_start_your_own_pilot_pastes_as_written(tmp_path):
    """Each command of "Start your own pilot", run as written in a folder whose .venv is this
    test's environment, succeeds: the copied example generates a workbook that checks clean."""
    steps = pilot_steps()
    assert len(steps) == 3 and all(step.startswith(("cp ", ".venv/bin/")) for step in steps)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    if not (tmp_path / ".venv" / "bin" / "bygdevekst-xl").exists():  # an environment without
        bin_dir = tmp_path / "bin"  # the console script (tests run from the source tree)
        bin_dir.mkdir()
        script = bin_dir / "bygdevekst-xl"
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m bygdevekst_xl "$@"\n')
        script.chmod(0o755)
        steps = [s.replace(".venv/bin/bygdevekst-xl", str(script)) for s in steps]
    for step in steps:
        done = subprocess.run(
            ["bash", "-c", step],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )
        assert done.returncode == 0, f"{step}\n{done.stdout}\n{done.stderr}"
    assert (tmp_path / "min-pilot.yaml").is_file() and (tmp_path / "min-pilot.xlsx").is_file()


def test_the_python_example_runs_as_written(tmp_path):
    """The README's "Use it from Python" block, run as written in an empty folder, generates
    and checks the example: five lines from import to a verdict."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", section, re.S)
    done = subprocess.run(
        [sys.executable, "-c", block],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == ["True", "7296000.0"]
    assert (tmp_path / "hjerteregionen.xlsx").is_file()
