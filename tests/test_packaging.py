"""The package as a pip user gets it: wheel and sdist build, the wheel installs in a fresh
virtual environment, and its `bygdevekst-xl` command generates and checks a workbook."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from bygdevekst_xl import __version__

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "bygdevekst_xl", "schemas", "workbook")


def _build(tmp_path: Path) -> tuple[Path, Path]:
    """Build the sdist and the wheel from a clean copy of the sources (offline, no isolation)."""
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, source / name)
    dist = tmp_path / "dist"
    for hook in ("build_sdist", "build_wheel"):  # one process each: setuptools keeps state
        code = f"import sys; from setuptools import build_meta as b; b.{hook}(sys.argv[1])"
        subprocess.run(
            [sys.executable, "-c", code, str(dist)], cwd=source, check=True, capture_output=True
        )
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    return sdist, wheel


@pytest.mark.slow
def test_wheel_installs_and_its_command_generates_and_checks(tmp_path):
    """Every package (layout/ included), the schema, the example and the page's templates and
    assets are in the wheel and the
    sdist; installed in a fresh venv, `bygdevekst-xl generate` and `check` work from it, and
    `--version` names the command as it was invoked."""
    sdist, wheel = _build(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("bygdevekst_xl/**/*.py")}
    for package in packages:
        assert f"{package}/__init__.py" in names, package
    assert "bygdevekst_xl/schemas/budget-spec.schema.json" in names
    assert "bygdevekst_xl/examples/hjerteregionen.yaml" in names
    page = ROOT / "bygdevekst_xl" / "serve"  # the page's templates and assets ship with it
    assets = [p for p in page.glob("*/*") if p.suffix in (".html", ".css", ".js")]
    assert len(assets) >= 7
    for asset in assets:
        assert asset.relative_to(ROOT).as_posix() in names, asset
    assert "bygdevekst_xl/schemas/council-report.schema.json" in names
    [info] = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata_text = zipfile.ZipFile(wheel).read(info).decode()
    assert "License-Expression: MIT" in metadata_text  # the SPDX string, not a license table
    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name}
    assert {"schemas/budget-spec.schema.json", "workbook/hjerteregionen.yaml"} <= members
    assert "bygdevekst_xl/layout/__init__.py" in members

    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies come from this test's environment, after the new venv's own packages.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    where = subprocess.run(
        [python, "-c", "import bygdevekst_xl.layout as m; print(m.__file__)"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(env)), where
    command = env / "bin" / "bygdevekst-xl"
    made = subprocess.run(
        [command, "generate", "-o", "b.xlsx"], cwd=tmp_path, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    checked = subprocess.run(
        [command, "check", "b.xlsx"], cwd=tmp_path, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Resultat: OK (0 feil, 0 advarsler)" in checked.stdout
    for called, shown in (
        ([command], "bygdevekst-xl"),
        ([python, "-m", "bygdevekst_xl"], "python -m bygdevekst_xl"),
    ):
        version = subprocess.run([*called, "--version"], capture_output=True, text=True)
        assert version.stdout.strip() == f"{shown} {__version__}"


def test_declared_dependencies_are_the_used_ones():
    """No unused dependency (defusedxml) is declared; formulas, used through its private
    parser API, has an upper bound."""
    requires = metadata.requires("bygdevekst_xl") or []
    runtime = [r for r in requires if "extra ==" not in r]
    assert not any(r.lower().startswith("defusedxml") for r in runtime)
    (formulas,) = [r for r in runtime if r.startswith("formulas")]
    assert "<" in formulas
