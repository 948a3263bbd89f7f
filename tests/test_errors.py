"""One error hierarchy: every error a user meets carries its exit code and names its place."""

from __future__ import annotations

import ast
import inspect

import pytest

from bygdevekst_xl import cli
from bygdevekst_xl.cli import main
from bygdevekst_xl.council import CouncilError, Refused
from bygdevekst_xl.edited.inputs import NotOurWorkbook
from bygdevekst_xl.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, BygdevekstError
from bygdevekst_xl.extract import ExtractError
from bygdevekst_xl.files import OutputError
from bygdevekst_xl.generate import RulesBroken
from bygdevekst_xl.regenerate import ConflictError, RefusedError
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
        (ConflictError, EXIT_FINDINGS),
        (RulesBroken, EXIT_FINDINGS),
        (Refused, EXIT_FINDINGS),
        (CouncilError, EXIT_BAD_INPUT),
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


def _caught_in(function) -> list[str]:
    """The names of the exceptions a function's ``except`` clauses catch."""
    caught = []
    for node in ast.walk(ast.parse(inspect.getsource(function))):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            caught += [t.id if isinstance(t, ast.Name) else ast.unparse(t) for t in types]
    return caught


def test_the_commands_leave_errors_to_the_one_handler_in_main():
    """cli.main catches BygdevekstError once; a command catches an error of ours only where
    it goes on afterwards: check and diff with the next file, regenerate with its report,
    council with its JSON report of the errors (then raised again)."""
    assert "BygdevekstError" in _caught_in(cli.main)
    allowed = {
        "_check": {"ReadError", "NotOurWorkbook"},
        "_diff": {"Unreadable"},
        "_regenerate": {"Refusal"},
        "_council": {"Refused"},
    }
    for name in ("_generate", "_check", "_extract", "_regenerate", "_council", "_diff"):
        assert set(_caught_in(getattr(cli, name))) <= allowed.get(name, set()), name


def test_an_error_prints_in_bokmal_by_default_and_in_english_on_request(tmp_path, capsys):
    """The one handler words an error in the user's language: the same refused -o in bokmål by
    default and in English with --lang en, exit 2 both times, nothing written."""
    target = tmp_path / "budsjett.pdf"
    assert main(["generate", "-o", str(target)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.splitlines() == [
        f"feil: {target}: -o må være en fil som slutter på .xlsx for generate"
    ]
    assert main(["generate", "-o", str(target), "--lang", "en"]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.splitlines() == [
        f"error: {target}: -o must name a file ending in .xlsx for generate"
    ]
    assert not target.exists()


def test_a_strict_generate_names_each_broken_rule_after_one_error_line(
    example_dict, tmp_path, capsys
):
    """generate --strict on a spec over the cap: one error line in bokmål, then each broken
    rule at its cell, exit 1, and no file."""
    spec = tmp_path / "over.yaml"
    budget = edited(example_dict, **{"projects.0.financing.kdd.0": 5_000_000})
    from bygdevekst_xl.spec import dump_spec

    spec.write_text(dump_spec(budget), encoding="utf-8")
    out = tmp_path / "ut.xlsx"
    assert main(["generate", str(spec), "-o", str(out), "--strict"]) == EXIT_FINDINGS
    first, *rest = capsys.readouterr().err.splitlines()
    assert first.startswith("feil: ") and "regelbrudd og --strict: ingen fil er skrevet" in first
    assert rest and all(line.startswith("  brutt regel: ") for line in rest)
    assert any("kdd-over-cap" in line for line in rest)
    assert not out.exists()
