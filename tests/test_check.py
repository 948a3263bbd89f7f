"""The checker: a clean workbook passes; each kind of damage is found at its cell with its code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.cli import main
from bygdevekst_xl.compute import budget_totals
from bygdevekst_xl.layout import build_layout
from tests import damage
from tests.compare import places

ROOT = Path(__file__).resolve().parents[1]
P2, P3, P5 = "2 Boligbygging", "3 Arbeidsliv", "5 Markedsføring"
SUMMARY = "Samlet budsjett og finansiering"
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "check-report.schema.json").read_text("utf-8"))


def test_fresh_workbook_has_no_findings(example_workbook, example_budget, capsys):
    """The generated workbook checks clean: no findings, exit 0, totals equal the spec's."""
    report = check_workbook(example_workbook, example_budget)
    assert report.findings == []
    assert report.totals == budget_totals(example_budget)
    layout = build_layout(example_budget)
    for key, value in report.recomputed.items():
        assert (
            value == pytest.approx(layout.anchor(key).value)
            if not isinstance(value, str)
            else value == layout.anchor(key).value
        )
    assert main(["check", str(example_workbook)]) == 0
    out = capsys.readouterr().out
    assert "Resultat: OK (0 feil, 0 advarsler)" in out


def _set(sheet: str, **cells):
    def edit(wb):
        for address, value in cells.items():
            wb[sheet][address] = value

    return edit


def _multi(*edits: tuple[str, dict]):
    def edit(wb):
        for sheet, cells in edits:
            for address, value in cells.items():
                wb[sheet][address] = value

    return edit


def _edit_wb(fn):
    return fn


DAMAGES = {
    # name: (edit through openpyxl, expected (code, sheet, cell))
    "kdd over the cap": (
        _set("1 Prosjektledelse", C28=2_500_000, C7=2_370_000),
        ("kdd-over-cap", SUMMARY, "E27"),
    ),
    "kdd over eligible costs": (
        _set(P5, C28=360_000, C29=0),
        ("kdd-over-eligible", SUMMARY, "E27"),
    ),
    "kdd moved onto a project's ineligible costs": (
        _multi(
            ("1 Prosjektledelse", {"C28": 1_080_000, "C29": 100_000}),
            (P5, {"C28": 160_000, "C29": 200_000}),
        ),
        ("kdd-over-eligible-project", P5, "C51"),
    ),
    "project not balanced": (_set(P2, D29=100_001), ("not-balanced", P2, "D50")),
    "total typed over": (_set(P2, C15=440_000), ("formula-overwritten", P2, "C15")),
    "range misses a line": (_set(P2, D15="=SUM(D7:D8)"), ("formula-changed", P2, "D15")),
    "line total deleted": (_set(P2, E8=None), ("line-formula-missing", P2, "E8")),
    "line total of the next line": (_set(P2, E8="=SUM(C9:D9)"), ("line-formula-moved", P2, "E8")),
    "line without a category": (_set(P2, B11="Uten kategori"), ("spec-invalid", P2, None)),
    "amount whole at 15 digits only": (
        _set(P2, A11="Eksterne utredninger", D11=300_000.00000000006),
        ("spec-invalid", P2, None),
    ),
    "range misses a line, total": (_set(P2, D15="=SUM(D7:D8)"), ("total-mismatch", P2, "D15")),
    "line typed below the table": (_set(P2, C16=5000), ("value-outside-table", P2, "C16")),
    "amount as text": (_set(P2, C9="150 000"), ("amount-not-number", P2, "C9")),
    "negative amount": (_set(P2, D9=-5), ("amount-negative", P2, "D9")),
    "fractional amount": (_set(P2, D9=10.5), ("amount-fractional", P2, "D9")),
    "unknown category": (_set(P2, A10="Lobbyisme", C10=1000), ("category-unknown", P2, "A10")),
    "amount without category": (_set(P2, C11=1000), ("category-missing", P2, "A11")),
    "hours as text": (_set(P3, C21="mange"), ("hours-invalid", P3, "C21")),
    "hours beyond any number": (_set(P3, C21=1e308), ("hours-invalid", P3, "C21")),
    "amount far too large": (_set(P2, D9=2e12), ("amount-too-large", P2, "D9")),
    "date typed as text": (
        _set("Parametre", B9="22. november"),
        ("date-invalid", "Parametre", "B9"),
    ),
    "error in a formula": (_set(P2, C15="=SUM(#REF!)"), ("error-value", P2, "C15")),
    "circular reference": (_set(P2, C11="=C15"), ("circular-reference", P2, "C11")),
    "unknown function": (_set(P2, G3='=INDIRECT("C7")'), ("unsupported-formula", P2, "G3")),
    "cap changed": (_set("Parametre", B4=9_000_000), ("rule-changed", "Parametre", "B4")),
    "eligibility changed": (_set("Parametre", B27=1), ("rule-changed", "Parametre", "B27")),
    "municipality without hours": (_set(P3, C21=0, D21=0), ("missing-hours", P3, "C21")),
    "sheet deleted": (lambda wb: wb.remove(wb[P5]), ("sheet-missing", P5, None)),
    "sheet added": (lambda wb: wb.create_sheet("Notater"), ("sheet-extra", "Notater", None)),
    "name deleted": (lambda wb: wb.defined_names.pop("Timesats"), ("name-missing", None, None)),
    "manual calculation": (
        lambda wb: setattr(wb.calculation, "calcMode", "manual"),
        ("manual-calculation", None, None),
    ),
    "protection removed": (
        lambda wb: setattr(wb[P2].protection, "sheet", False),
        ("protection-lost", P2, None),
    ),
    "validation removed": (
        lambda wb: setattr(wb[P2].data_validations, "dataValidation", []),
        ("validation-lost", P2, "A7"),
    ),
    "row hidden": (
        lambda wb: setattr(wb[P2].row_dimensions[8], "hidden", True),
        ("hidden-row", P2, "A8"),
    ),
}
EXPECTED_SEVERITY_EXIT = {
    "line-formula-missing": 0,
    "line-formula-moved": 0,
    "missing-hours": 0,
    "sheet-extra": 0,
    "protection-lost": 0,
    "validation-lost": 0,
    "hidden-row": 0,
}


@pytest.mark.parametrize("name", list(DAMAGES))
def test_damage_is_found_at_its_cell(name, example_workbook, example_budget, tmp_path, capsys):
    """Each kind of damage yields its code at its sheet and cell, in text and JSON, with the exit code."""
    edit, (code, sheet, cell) = DAMAGES[name]
    path = damage.with_openpyxl(example_workbook, tmp_path / "damaged.xlsx", edit)
    report = check_workbook(path, example_budget)
    assert (code, sheet, cell) in places(report.findings), [
        (f.code, f.sheet, f.cell) for f in report.findings
    ]
    expected_exit = EXPECTED_SEVERITY_EXIT.get(code, 1)
    assert main(["check", str(path)]) == expected_exit
    text = capsys.readouterr().out
    assert code in text and (cell or "-") in text
    assert main(["check", "--json", "--lang", "en", str(path)]) == expected_exit
    document = json.loads(capsys.readouterr().out, parse_constant=_not_json)
    jsonschema.validate(document, REPORT_SCHEMA)
    assert any(
        f["code"] == code and f["sheet"] == sheet and f["cell"] == cell
        for f in document["findings"]
    )


def _not_json(constant: str) -> None:
    raise AssertionError(f"{constant} is not JSON; strict readers refuse it")


def test_stale_cached_value_is_a_warning_with_both_numbers(
    example_workbook, example_budget, tmp_path
):
    """A saved value that disagrees with the recomputed one is a warning giving both numbers."""
    part = damage.sheet_part(example_workbook, SUMMARY)
    path = damage.with_parts(
        example_workbook,
        tmp_path / "stale.xlsx",
        {part: lambda xml: damage.set_cached_value(xml, "E27", "123")},
    )
    report = check_workbook(path, example_budget)
    [finding] = [f for f in report.findings if f.code == "cached-stale"]
    assert (finding.sheet, finding.cell, finding.found) == (SUMMARY, "E27", 123)
    assert finding.expected == report.totals.kdd
    assert report.ok


def test_macros_are_an_error(example_workbook, example_budget, tmp_path):
    """A workbook carrying a VBA project is reported."""
    path = damage.with_parts(
        example_workbook,
        tmp_path / "m.xlsx",
        {},
        extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0fake"},
    )
    report = check_workbook(path, example_budget)
    assert "macros" in {f.code for f in report.findings}
    assert not report.ok


def test_messages_in_english_and_bokmal(example_workbook, example_budget, tmp_path, capsys):
    """--lang en gives English messages; the default is bokmål."""
    path = damage.with_openpyxl(example_workbook, tmp_path / "d.xlsx", _set(P2, C9="150 000"))
    main(["check", str(path)])
    assert "Beløpet er tekst («150 000»), ikke et tall" in capsys.readouterr().out
    main(["check", "--lang", "en", str(path)])
    assert "The amount is text («150 000»), not a number" in capsys.readouterr().out


def test_json_report_is_valid_against_its_schema(
    example_workbook, example_budget, tmp_path, capsys
):
    """--json prints one document per file, valid against schemas/check-report.schema.json."""
    schema = REPORT_SCHEMA
    bad = damage.with_openpyxl(example_workbook, tmp_path / "d.xlsx", _set(P2, C9="150 000", C15=1))
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("a;b\n1;2\n", "utf-8")
    code = main(["check", "--json", str(example_workbook), str(bad), str(not_xlsx)])
    assert code == 2
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["ok"] for d in documents] == [True, False, False]
    for document in documents:
        jsonschema.validate(document, schema)
    assert documents[0]["totals"]["kdd"] == budget_totals(example_budget).kdd
    assert all(type(v) is int for v in documents[0]["totals"].values())  # 2436000, not 2436000.0
    assert "error" in documents[2]


def test_several_files_give_a_count_and_the_worst_exit_code(example_workbook, tmp_path, capsys):
    """Checking several files prints each result, a final count, and exits with the worst code."""
    bad = damage.with_openpyxl(example_workbook, tmp_path / "d.xlsx", _set(P2, C15=1))
    assert main(["check", str(example_workbook), str(bad)]) == 1
    assert (
        "2 filer kontrollert: 1 uten feil, 1 med feil, 0 kunne ikke leses"
        in capsys.readouterr().out
    )
    assert main(["check", "--lang", "en", str(example_workbook), str(bad)]) == 1
    assert "2 files checked: 1 ok, 1 with errors, 0 unreadable" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "tom fil"), (b"a;b\n1;2\n", "CSV"), (b"PK\x03\x04broken", "zip")],
)
def test_unreadable_files_exit_2_with_one_line(tmp_path, content, message):
    """A file that is not a workbook gives exit 2 and one line naming it, no traceback."""
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "bygdevekst_xl", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr and "Traceback" not in result.stderr
    assert message.lower() in result.stderr.lower()


def test_a_different_workbook_is_not_ours(tmp_path):
    """A valid xlsx that is not a budget workbook exits 2 saying so."""
    import xlsxwriter

    path = tmp_path / "other.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Ark1").write("A1", 1)
    wb.close()
    assert main(["check", str(path)]) == 2


def test_a_lost_table_label_alone_is_a_warning_the_name_still_finds_the_table(
    example_workbook, tmp_path, capsys
):
    """Typing over the "Sum kostnader" label is a label-changed warning: the defined name
    Kostnader_<id> still says where the cost table is, so the budget checks as before."""
    path = damage.with_openpyxl(
        example_workbook, tmp_path / "uten-sum.xlsx", _set(P2, A15="Totalt")
    )
    assert main(["check", "--json", str(path)]) == 0
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["code"], finding["sheet"], finding["cell"]) == ("label-changed", P2, "A15")


def test_a_lost_table_label_and_name_is_one_line_naming_the_file_and_sheet(
    example_workbook, tmp_path, capsys
):
    """With both the label and the defined name gone, nothing says where the cost table ends:
    exit 2 with one line naming the file, the sheet and what to type back."""

    def edit(wb):
        _set(P2, A15="Totalt")(wb)
        del wb.defined_names["Kostnader_boligbygging"]

    path = damage.with_openpyxl(example_workbook, tmp_path / "uten-sum.xlsx", edit)
    assert main(["check", str(path)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"feil: {path}: arket '{P2}': finner ingen kostnadstabell")
    assert "«Sum kostnader»" in line
    assert main(["check", "--lang", "en", str(path)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {path}: sheet '{P2}': no cost table")
    assert "'Sum kostnader'" in line


def test_kdd_moved_onto_ineligible_costs_is_the_one_broken_rule(
    example_workbook, example_budget, tmp_path
):
    """100 000 kr of KDD moved from Prosjektledelse to Markedsføring: totals stay within the
    eligible costs and balanced, yet the project-year rule is red in the file and an error."""
    edit = DAMAGES["kdd moved onto a project's ineligible costs"][0]
    path = damage.with_openpyxl(example_workbook, tmp_path / "moved.xlsx", edit)
    report = check_workbook(path, example_budget)
    assert {f.code for f in report.errors} == {"kdd-over-eligible-project"}
    (finding,) = report.errors
    assert (finding.expected, finding.found) == (60_000, 160_000)
    assert "Markedsføring 2024" in finding.message("nb")
    assert report.recomputed["rule_eligible"] == "OK"
    assert report.recomputed["rule_balance"] == "OK"
    assert report.recomputed["rule_eligible_projects"] == "Over støtteberettigede kostnader"
    assert report.recomputed["rule_all"] == "Se regler"
