"""One error hierarchy: every error a user meets carries its exit code and names its place."""

from __future__ import annotations

import pytest

from bygdevekst_xl.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, BygdevekstError
from bygdevekst_xl.extract import ExtractError
from bygdevekst_xl.files import OutputError
from bygdevekst_xl.inputs import NotOurWorkbook
from bygdevekst_xl.regenerate import RefusedError
from bygdevekst_xl.spec import SpecError
from bygdevekst_xl.texts import RESERVED_SHEETS
from bygdevekst_xl.writer import WriteError
from bygdevekst_xl.xlsx import ReadError
from tests.conftest import edited


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (SpecError, EXIT_BAD_INPUT),
        (ReadError, EXIT_BAD_INPUT),
        (NotOurWorkbook, EXIT_BAD_INPUT),
        (OutputError, EXIT_BAD_INPUT),
        (WriteError, EXIT_BAD_INPUT),
        (ExtractError, EXIT_FINDINGS),
        (RefusedError, EXIT_FINDINGS),
    ],
)
def test_every_error_is_one_of_ours_with_its_exit_code(error, code):
    """Each error class derives from BygdevekstError and says which exit code it means."""
    assert issubclass(error, BygdevekstError)
    assert error.exit_code == code


def test_a_spec_error_has_one_line_per_problem_naming_its_path():
    """SpecError.lines() gives `source: path: message` for each problem."""
    error = SpecError("budsjett.yaml", ["pilot.kdd_cap: must be ≥ 0", "projects[1].id: duplicate"])
    assert error.lines() == [
        "budsjett.yaml: pilot.kdd_cap: must be ≥ 0",
        "budsjett.yaml: projects[1].id: duplicate",
    ]


@pytest.mark.parametrize("reserved", RESERVED_SHEETS)
def test_a_project_sheet_may_not_take_a_reserved_name(example_dict, reserved):
    """Forside, the combined sheet, Parametre and Arkiv (where regenerate archives values) are
    refused as project sheet names, naming the spec path."""
    with pytest.raises(SpecError) as refused:
        edited(example_dict, **{"projects.0.sheet": reserved})
    assert any(line.startswith("projects[0].sheet") for line in refused.value.problems)
