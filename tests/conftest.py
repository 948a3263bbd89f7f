"""Shared fixtures: the built-in example, generated workbooks and spec editing helpers."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.model import Budget
from bygdevekst_xl.spec import budget_from_dict, example_path, load_spec


@pytest.fixture(scope="session")
def example_budget() -> Budget:
    """The built-in Hjerteregionen budget."""
    return load_spec(example_path())


@pytest.fixture
def example_dict() -> dict[str, Any]:
    """The built-in spec as plain data, fresh for each test to edit."""
    return yaml.safe_load(example_path().read_text("utf-8"))


@pytest.fixture(scope="session")
def example_workbook(tmp_path_factory: pytest.TempPathFactory, example_budget: Budget) -> Path:
    """The generated Hjerteregionen workbook (read-only: copy it before changing it)."""
    path = tmp_path_factory.mktemp("example") / "hjerteregionen.xlsx"
    path.write_bytes(workbook_bytes(example_budget))
    return path


@pytest.fixture(scope="module")
def budget_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small xlsxwriter budget for the reader tests (see tests/xlsx_fixtures.py)."""
    from tests.xlsx_fixtures import write_budget

    return write_budget(tmp_path_factory.mktemp("budget") / "budsjett.xlsx")


def edited(spec: dict[str, Any], **changes: Any) -> Budget:
    """A budget from a deep copy of ``spec`` with dotted-path changes applied."""
    data = copy.deepcopy(spec)
    for dotted, value in changes.items():
        target = data
        parts = dotted.split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value
    return budget_from_dict(data)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that runs an office program is slow as well (``-m "not slow"`` skips it)."""
    for item in items:
        if item.get_closest_marker("office") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI (BYGDEVEKST_REQUIRE_OFFICE=1) the real-client tests must run, never be skipped."""
    import os

    if os.environ.get("BYGDEVEKST_REQUIRE_OFFICE") != "1":
        return
    from bygdevekst_xl.office import gnumeric_path, soffice_path, uno_python

    missing = [
        name
        for name, found in (
            ("soffice", soffice_path()),
            ("ssconvert", gnumeric_path()),
            ("python3-uno", uno_python()),
        )
        if not found
    ]
    if missing:
        pytest.exit(f"BYGDEVEKST_REQUIRE_OFFICE=1 but missing: {', '.join(missing)}", returncode=1)
