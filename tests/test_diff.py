"""diff: two versions of the budget compared in budget terms, with the effect of the changes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from bygdevekst_xl.cli import main
from bygdevekst_xl.diff import Change, diff_workbooks
from bygdevekst_xl.diff.compare import _Line, match_lines
from bygdevekst_xl.diff.render import as_dict, as_markdown, as_text
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.model import CostLine
from bygdevekst_xl.office import (
    edit_with_libreoffice,
    gnumeric_path,
    recalculate_gnumeric,
    recalculate_libreoffice,
    soffice_path,
    uno_python,
)
from tests import damage
from tests.conftest import edited

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "schemas" / "diff-report.schema.json").read_text()
)
P1, P2, P4 = "1 Prosjektledelse", "2 Boligbygging", "4 Plankontor"


def write(path: Path, budget) -> Path:
    path.write_bytes(workbook_bytes(budget))
    return path


def brief(changes: list[Change]) -> set[tuple]:
    """Each change as (code, old, new, old cell, new cell)."""
    return {(c.code, _hashable(c.old), _hashable(c.new), c.old_cell, c.new_cell) for c in changes}


def _hashable(value):
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def effect(report, code: str, **params) -> tuple[float, float]:
    [found] = [e for e in report.effects if e.code == code and e.params == params]
    return found.old, found.new


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["diff", *args, "--json"])
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    return code, document


def test_the_same_workbook_shows_no_difference(example_workbook, tmp_path, capsys):
    """A workbook compared with a copy of itself: exit 0, no change, and the text says so."""
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(example_workbook.read_bytes())
    assert main(["diff", str(example_workbook), str(copy)]) == 0
    assert "Ingen forskjeller i budsjettet." in capsys.readouterr().out
    code, document = run_json(capsys, str(example_workbook), str(copy))
    assert code == 0 and document["differs"] is False
    assert document["changes"] == [] and document["formulas"] == []


def test_lines_and_projects_reordered_in_the_spec_are_no_change(example_dict, tmp_path):
    """Cost lines and projects in another order (other rows, other sheets) are no difference."""
    old = write(tmp_path / "old.xlsx", edited(example_dict))
    data = edited(example_dict)
    projects = list(reversed(data.projects))
    projects = [p.__class__(**{**p.__dict__, "costs": tuple(reversed(p.costs))}) for p in projects]
    new = write(tmp_path / "new.xlsx", data.__class__(data.pilot, data.categories, tuple(projects)))
    report = diff_workbooks(old, new)
    assert not report.differs, as_text(report)


def test_rules_changed_in_parametre_are_named_with_their_cells(example_dict, tmp_path, capsys):
    """Cap, hourly rate and a category's eligibility: each change with its Parametre cell, the
    own shares in kroner follow the rate, and a cap below KDD is said first with its verdict."""
    old = write(tmp_path / "old.xlsx", edited(example_dict))
    categories = [dict(c) for c in example_dict["categories"]]
    categories[1]["kdd_eligible"] = False  # reiser
    new = write(
        tmp_path / "new.xlsx",
        edited(
            example_dict,
            **{"pilot.kdd_cap": 3_000_000, "pilot.hourly_rate": 750, "categories": categories},
        ),
    )
    report = diff_workbooks(old, new)
    assert brief(report.changes) == {
        ("cap", 4_000_000, 3_000_000, ("Parametre", "B4"), ("Parametre", "B4")),
        ("rate", 700, 750, ("Parametre", "B5"), ("Parametre", "B5")),
        ("category-eligibility", True, False, ("Parametre", "B24"), ("Parametre", "B24")),
    }
    assert report.formulas == []
    assert effect(report, "own-kroner", municipality="Hasvik") == (1160 * 700, 1160 * 750)
    assert effect(report, "kdd-headroom") == (890_000, -110_000)
    verdicts = {v.rule: (v.old, v.new) for v in report.verdicts}
    assert verdicts["rule_cap"] == (True, False) and verdicts["rule_eligible"] == (True, False)
    text = as_text(report).splitlines()
    assert text[1] == (
        "  !! Den nye versjonen er over KDD-taket: 3\u00a0110\u00a0000\u00a0kr søkt, "
        "110\u00a0000\u00a0kr over taket på 3\u00a0000\u00a0000\u00a0kr"
    )
    cap_line = (
        "KDD-tak for hele perioden: 4\u00a0000\u00a0000\u00a0kr → 3\u00a0000\u00a0000\u00a0kr  "
        "[Parametre!B4]"
    )
    assert any(cap_line in line for line in text)
    english = as_text(report, "en")
    assert "The new version is over the KDD cap" in english.splitlines()[1]
    code, document = run_json(capsys, str(old), str(new))
    assert code == 1 and document["warnings"][0].startswith("Den nye versjonen er over KDD-taket")
    assert main(["diff", str(old), str(new), "--markdown"]) == 1
    markdown = capsys.readouterr().out.splitlines()
    assert markdown[0] == "## Endringer i budsjettet"
    assert markdown[4].startswith("> **Den nye versjonen er over KDD-taket")
    assert (
        "| Egenandel Hasvik, kroner | 812\u00a0000\u00a0kr | 870\u00a0000\u00a0kr | +58\u00a0000\u00a0kr |"
        in markdown
    )


def test_projects_added_removed_and_sheet_renamed(example_dict, tmp_path):
    """A project removed, one added and a sheet renamed (in the project register) are named,
    with the register cell in the file that has them, and KDD moves by their financing."""
    old = write(tmp_path / "old.xlsx", edited(example_dict))
    data = json.loads(json.dumps(example_dict))
    marketing = data["projects"].pop(4)
    marketing.update(id="ungdom", name="Ungdom og bolyst", sheet="6 Ungdom")
    data["projects"].append(marketing)
    data["projects"][3]["sheet"] = "4 Plankontoret"
    new = write(tmp_path / "new.xlsx", edited(data))
    report = diff_workbooks(old, new)
    assert brief(report.changes) == {
        (
            "sheet-renamed",
            "4 Plankontor",
            "4 Plankontoret",
            ("Parametre", "D39"),
            ("Parametre", "D39"),
        ),
        ("project-added", None, "Ungdom og bolyst", None, ("Parametre", "C40")),
        ("project-removed", "Markedsføring", None, ("Parametre", "C40"), None),
    }
    assert effect(report, "kdd-total") == (3_110_000, 3_110_000)
    assert [e.params for e in report.effects if e.code == "balance" and e.changed] == []


def test_lines_are_matched_by_category_and_description_then_position():
    """Sorted lines match by (category, description); duplicates pair in order; a description
    edited matches by category and amounts; a retyped row matches by position; the rest are
    added or removed."""

    def lines(*specs):
        return [_Line(row, CostLine(c, d, a)) for row, (c, d, a) in enumerate(specs)]

    old = lines(
        ("reiser", "Reiser", (1, 2)),
        ("kurs", "Kurs", (3, 4)),
        ("kurs", "Kurs", (5, 6)),
        ("drift", "Husleie", (7, 8)),
        ("drift", "Strøm", (9, 9)),
        ("utredninger", "Gammel", (1, 1)),
    )
    new = lines(
        ("kurs", "Kurs", (3, 4)),
        ("drift", "Husleie kontor", (7, 8)),
        ("reiser", "Reiser", (1, 2)),
        ("kurs", "Kurs", (5, 7)),
        ("drift", "Strøm og varme", (10, 10)),
        ("reiser", "Ny", (2, 2)),
    )
    pairs = {
        (o.line.description if o else None, n.line.description if n else None)
        for o, n in match_lines(old, new)
    }
    assert pairs == {
        ("Reiser", "Reiser"),
        ("Kurs", "Kurs"),
        ("Husleie", "Husleie kontor"),
        ("Strøm", "Strøm og varme"),
        ("Gammel", "Ny"),
    }
    pairs_by_row = [(o.row if o else None, n.row if n else None) for o, n in match_lines(old, new)]
    assert (1, 0) in pairs_by_row and (2, 3) in pairs_by_row  # duplicates in their order


def test_unreadable_files_exit_2_with_one_line_each(tmp_path, capsys):
    """Two files that are no budget workbooks: exit 2, one line naming each, in JSON too."""
    text = tmp_path / "notes.xlsx"
    text.write_text("prosjekt;beløp\n", "utf-8")
    missing = tmp_path / "missing.xlsx"
    assert main(["diff", str(text), str(missing)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert str(text) in lines[0] and str(missing) in lines[1]
    code, document = run_json(capsys, str(text), str(missing))
    assert code == 2 and document["differs"] is None and str(missing) in document["error"]


# --------------------------------------------------------------- through LibreOffice and Gnumeric


def _needs_uno() -> None:
    if soffice_path() is None or uno_python() is None:
        pytest.skip("LibreOffice with Python-UNO missing")


VALUE_EDITS = {
    (P2, "C7"): 400_000,  # Mulighetsstudie 2024
    (P2, "A9"): None,  # the line "Reiser for arbeidsgruppen" cleared ...
    (P2, "B9"): None,
    (P2, "C9"): None,
    (P2, "D9"): None,
    (P2, "A10"): "Kurs og kompetanse",  # ... and a new line typed in a blank row
    (P2, "B10"): "Studietur",
    (P2, "C10"): 7_000,
    (P2, "D10"): 3_000,
    (P2, "D28"): 150_000,  # KDD 2025
    (P4, "C19"): 130,  # Hammerfest's hours 2024
    ("Parametre", "C37"): "Boligbygging og nye botilbud",  # the project renamed
}
FORMULA_EDITS = {
    (P2, "C15"): 500_000,  # "Sum kostnader" 2024 typed over
    (P2, "C31"): "=SUM(C28:C29)",  # "Sum finansiering" 2024 without the own share
    (P1, "C7"): "=1000000+50000",  # an input that became a formula (same value)
}


@pytest.fixture(scope="module")
def officer_edits(example_workbook, tmp_path_factory) -> Path:
    """The example with known value and formula changes typed in LibreOffice over UNO."""
    _needs_uno()
    out = tmp_path_factory.mktemp("diff") / "edited.xlsx"
    return edit_with_libreoffice(example_workbook, out, {**VALUE_EDITS, **FORMULA_EDITS})


@pytest.mark.office
def test_changes_typed_in_libreoffice_are_exactly_those(example_workbook, officer_edits, capsys):
    """Values typed in LibreOffice show as exactly those changes, in budget terms, each with
    its cell in both files; formula changes apart; and their effect on KDD and the own shares."""
    report = diff_workbooks(example_workbook, officer_edits)

    def cell(address: str) -> tuple[str, str]:
        return (P2, address)

    assert brief(report.changes) == {
        (
            "project-renamed",
            "Økt boligbygging og utvikling av nye botilbud",
            "Boligbygging og nye botilbud",
            ("Parametre", "C37"),
            ("Parametre", "C37"),
        ),
        ("line-amount", 350_000, 400_000, cell("C7"), cell("C7")),
        ("line-added", None, (("2024", 7_000), ("2025", 3_000)), None, cell("A10")),
        ("line-removed", (("2024", 50_000), ("2025", 50_000)), None, cell("A9"), None),
        ("financing", 90_000, 150_000, cell("D28"), cell("D28")),
        ("hours", 120, 130, (P4, "C19"), (P4, "C19")),
    }
    amount = next(c for c in report.changes if c.code == "line-amount")
    assert amount.params == {
        "project": "Boligbygging og nye botilbud",
        "line": "Mulighetsstudie for minihusklynger",
        "category": "Eksterne utredninger",
        "year": 2024,
    }
    assert brief(report.formulas) == {
        ("input-formula", None, "=1000000+50000", (P1, "C7"), (P1, "C7")),
        ("formula-overwritten", None, 500_000, cell("C15"), cell("C15")),
        ("formula-changed", None, "=SUM(C28:C29)", cell("C31"), cell("C31")),
    }
    assert effect(report, "kdd-total") == (3_110_000, 3_170_000)
    assert effect(report, "kdd-headroom") == (890_000, 830_000)
    assert effect(report, "own-hours", municipality="Hammerfest") == (1160, 1170)
    assert effect(report, "own-kroner", municipality="Hammerfest") == (812_000, 819_000)
    assert effect(report, "own-hours", municipality="Hasvik") == (1160, 1160)
    assert effect(report, "total-costs") == (
        7_296_000,
        7_296_000 + 50_000 + 10_000 - 100_000 + 7_000,
    )
    text = as_text(report)
    assert (
        "Boligbygging og nye botilbud · Mulighetsstudie for minihusklynger · 2024: "
        "350\u00a0000\u00a0kr → 400\u00a0000\u00a0kr  [2 Boligbygging!C7]" in text
    )
    assert (
        "Egenandel Hammerfest, kroner: 812\u00a0000\u00a0kr → 819\u00a0000\u00a0kr (+7\u00a0000\u00a0kr)"
        in text
    )
    assert "2 Boligbygging · Sum kostnader · 2024: formelen er skrevet over med en verdi" in text
    # the municipalities' own share is kroner (hours × rate), and its label says so
    assert "Kommunal egenandel (timer × timesats): 2\u00a0436\u00a0000\u00a0kr → " in text
    assert "egenandel i timer" not in text
    assert "endringer i budsjettet, " in text and "(er)" not in text
    markdown = as_markdown(report, "en")
    assert (
        "| Own share Hammerfest, hours | 1\u00a0160 hours | 1\u00a0170 hours | +10 hours |"
        in markdown
    )
    code, document = run_json(capsys, str(example_workbook), str(officer_edits), "--lang", "en")
    assert code == 1
    assert document == json.loads(json.dumps(as_dict(report, "en")))


@pytest.mark.office
def test_the_other_way_round_restores_the_formulas(example_workbook, officer_edits):
    """NEW → OLD: every value change reversed, every formula change restored, KDD back."""
    forward = diff_workbooks(example_workbook, officer_edits)
    back = diff_workbooks(officer_edits, example_workbook)
    assert len(back.changes) == len(forward.changes)
    assert {c.code for c in back.formulas} == {"formula-restored"}
    assert {c.new_cell for c in back.formulas} == {c.new_cell for c in forward.formulas}
    assert effect(back, "kdd-total") == (3_170_000, 3_110_000)


@pytest.mark.office
def test_a_sort_a_move_and_new_looks_in_libreoffice_are_no_difference(example_workbook, tmp_path):
    """Lines sorted and cut and pasted, a row inserted inside a table, a column widened, cells
    coloured and a sheet moved (each on a protected sheet, unprotected and protected again):
    no difference; and each edit took."""
    _needs_uno()
    from bygdevekst_xl.xlsx import read_workbook

    out = edit_with_libreoffice(
        example_workbook,
        tmp_path / "tidied.xlsx",
        {},
        insert_rows=[("3 Arbeidsliv", 9)],
        operations=[
            ("sort", P2, "A7:D9", 1, True),
            ("move_range", P1, "A9:D9", "A12"),
            ("width", P2, 1, 9000),
            ("style", P2, "A7:E9", "CellBackColor", 0xFFCC00),
            ("move_sheet", "Parametre", 1),
        ],
    )
    content = read_workbook(out)
    assert list(content.sheets)[1] == "Parametre"
    assert content.sheets[P2].values["B7"] == "Reiser for arbeidsgruppen"  # sorted
    assert content.sheets[P1].values["A12"] == "Kurs og kompetanse"  # moved ...
    assert "A9" not in content.sheets[P1].values  # ... not copied
    assert content.sheets["3 Arbeidsliv"].values["A17"] == "Sum kostnader"  # a row inserted
    assert content.sheets[P2].protected
    report = diff_workbooks(example_workbook, out)
    assert not report.differs, as_text(report)
    assert main(["diff", str(example_workbook), str(out)]) == 0


@pytest.mark.office
def test_libreoffice_and_gnumeric_resaves_are_no_difference(example_workbook, tmp_path):
    """The workbook opened and saved again by LibreOffice and by Gnumeric: no difference,
    including between the two re-saves."""
    if soffice_path() is None or gnumeric_path() is None:
        pytest.skip("LibreOffice or Gnumeric missing")
    [libre] = recalculate_libreoffice([example_workbook], tmp_path / "lo")
    gnumeric = recalculate_gnumeric(example_workbook, tmp_path / "gnumeric.xlsx")
    for old, new in ((example_workbook, libre), (example_workbook, gnumeric), (libre, gnumeric)):
        report = diff_workbooks(old, new)
        assert not report.differs, as_text(report)


@pytest.mark.office
def test_rows_inserted_above_a_table_are_no_difference(example_workbook, tmp_path):
    """A row inserted at the top of a project sheet (a stamp above the tables): no difference."""
    _needs_uno()
    out = edit_with_libreoffice(
        example_workbook, tmp_path / "stamped.xlsx", {(P2, "A1"): "Utkast"}, insert_rows=[(P2, 1)]
    )
    report = diff_workbooks(example_workbook, out)
    assert not report.differs, as_text(report)


@pytest.mark.office
def test_a_sheet_renamed_in_libreoffice_is_named_and_nothing_else(example_workbook, tmp_path):
    """A project sheet renamed in LibreOffice: the rename is the one change, its values stay."""
    _needs_uno()
    out = edit_with_libreoffice(
        example_workbook, tmp_path / "renamed.xlsx", {}, operations=[("rename", P2, "Bolig")]
    )
    report = diff_workbooks(example_workbook, out)
    assert brief(report.changes) == {
        ("sheet-renamed", P2, "Bolig", ("Parametre", "D37"), ("Parametre", "D37"))
    }
    assert report.formulas == []


@pytest.mark.slow
def test_two_hostile_files_get_one_line_each_within_bounds(example_workbook, tmp_path):
    """An XXE workbook against a zip bomb: exit 2, one line naming each file and what it is,
    within the same time and memory bounds as check (the same reader limits)."""
    from tests.test_hostile import MEMORY_BOUND_MB, XXE, _with_sheet1, run_bounded

    xxe = _with_sheet1(example_workbook, tmp_path / "xxe.xlsx", XXE)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(example_workbook) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(300):  # 300 MB of blanks that deflate to a few hundred KB
                part.write(b" " * (1 << 20))
    result = run_bounded("diff", "--lang", "en", str(xxe), str(bomb), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert str(xxe) in lines[0] and "DTD" in lines[0]
    assert str(bomb) in lines[1] and "zip bomb" in lines[1].lower()
    assert "root:" not in result.stdout + result.stderr
    assert result.peak_mb < MEMORY_BOUND_MB


def test_a_total_typed_over_in_both_versions_is_found_by_its_project(example_dict, tmp_path):
    """A total typed over in both versions is no change, even when its project was renamed in
    between (the row is known by the project's id); a different typed value is one change,
    with the cell in both files."""
    summary = "Samlet budsjett og finansiering"

    def typed_over(path: Path, value: int) -> Path:
        def edit(wb):
            wb[summary]["E7"] = value  # KDD 2024 of project 2, a formula in the map

        return damage.with_openpyxl(path, path.with_name(f"{path.stem}-{value}.xlsx"), edit)

    old = typed_over(write(tmp_path / "old.xlsx", edited(example_dict)), 95_000)
    renamed = write(tmp_path / "new.xlsx", edited(example_dict, **{"projects.1.name": "Bolig"}))
    report = diff_workbooks(old, typed_over(renamed, 95_000))
    assert [c.code for c in report.changes] == ["project-renamed"]
    assert report.formulas == []
    report = diff_workbooks(old, typed_over(renamed, 99_000))
    assert brief(report.formulas) == {
        ("formula-overwritten", 95_000, 99_000, (summary, "E7"), (summary, "E7"))
    }
    assert report.formulas[0].params["what"] == "Bolig · 2024 · KDD"


def test_tiny_decimal_differences_are_none_but_text_is_one(example_workbook, tmp_path):
    """An amount a thousandth of a krone off, hours a ten-millionth off and a 0 typed in a
    blank cell are no difference; an amount typed as text ("150 000") is one, at its cell."""

    def edit(wb):
        wb[P2]["C7"] = 350_000.001
        wb[P2]["C19"] = 150.0000001
        wb[P2]["C10"] = 0
        wb[P1]["D7"] = "1 080 000"

    new = damage.with_openpyxl(example_workbook, tmp_path / "new.xlsx", edit)
    report = diff_workbooks(example_workbook, new)
    assert brief(report.changes) == {
        ("line-amount", 1_080_000, "1 080 000", (P1, "D7"), (P1, "D7"))
    }
    assert "1\u00a0080\u00a0000\u00a0kr → «1 080 000»" in as_text(report)
    assert effect(report, "cash-costs") == pytest.approx((4_860_000, 4_860_000 - 1_080_000))


def test_spec_changes_are_told_from_workbook_edits(
    example_workbook, example_dict, tmp_path, capsys
):
    """Both versions carry a generation record: the diff says they come from different specs,
    and marks the change regenerate took from the new spec apart from an edit made in the
    workbook (text and JSON, valid against the schema)."""
    from bygdevekst_xl.regenerate import regenerate
    from bygdevekst_xl.spec import dump_spec

    edited_copy = damage.with_openpyxl(
        example_workbook, tmp_path / "a2.xlsx", lambda wb: wb[P2].__setitem__("C19", 160)
    )
    spec = tmp_path / "ny.yaml"
    spec.write_text(
        dump_spec(edited(example_dict, **{"projects.0.costs.0.amounts.0": 1_055_000})), "utf-8"
    )
    new = tmp_path / "ny.xlsx"
    regenerate(edited_copy, spec, new)
    report = diff_workbooks(example_workbook, new)
    origins = {(c.code, report.provenance.origin(c)) for c in report.changes}
    assert origins == {("line-amount", "spec"), ("hours", "workbook")}
    assert report.provenance.same_spec is False
    assert main(["diff", "--json", str(example_workbook), str(new)]) == 1
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    assert document["generation"]["same_spec"] is False
    assert {c["origin"] for c in document["changes"]} == {"spec", "workbook"}


def test_a_version_as_generated_is_not_read_again_for_the_spec_changes(
    example_workbook, example_dict, tmp_path, monkeypatch
):
    """A workbook that is its record's workbook byte for byte, read under its record, serves
    for the changes between the specs as it is: no workbook is generated to disk and read
    again, and the report is the one reading both afresh gives (which an edited copy, its
    bytes no longer the generated ones, still gets)."""
    import importlib

    import bygdevekst_xl.diff.versions as versions

    provenance = importlib.import_module("bygdevekst_xl.diff.provenance")  # not the function

    new = write(
        tmp_path / "ny.xlsx",
        edited(example_dict, **{"projects.0.costs.0.amounts.0": 1_055_000}),
    )
    touched = damage.with_openpyxl(
        new, tmp_path / "ny2.xlsx", lambda wb: wb[P2].__setitem__("C19", 160)
    )
    reads: list[Path] = []
    read_version = versions.read_version
    monkeypatch.setattr(versions, "read_version", lambda p: reads.append(p) or read_version(p))
    reused = diff_workbooks(example_workbook, new)
    assert reads == []
    reused_edited = diff_workbooks(example_workbook, touched)
    assert [p.name for p in reads] == ["new.xlsx"]
    monkeypatch.setattr(provenance, "_as_generated", lambda version, data: False)
    assert diff_workbooks(example_workbook, new) == reused
    assert diff_workbooks(example_workbook, touched) == reused_edited
    origins = {(c.code, reused_edited.provenance.origin(c)) for c in reused_edited.changes}
    assert origins == {("line-amount", "spec"), ("hours", "workbook")}


def test_the_same_spec_is_said(example_workbook, tmp_path):
    """Two copies generated from the same spec say so; an edit is marked as made in the workbook."""
    copy = damage.with_openpyxl(
        example_workbook, tmp_path / "b.xlsx", lambda wb: wb[P2].__setitem__("C19", 160)
    )
    report = diff_workbooks(example_workbook, copy)
    assert report.provenance.same_spec is True
    assert "samme spesifikasjon" in as_text(report, "nb")
    assert [report.provenance.origin(c) for c in report.changes] == ["workbook"]


def test_application_facts_changed_are_named_in_both_languages_and_formats(
    example_dict, tmp_path, capsys
):
    """A renamed pilot, a moved council meeting, a new project leader and a contact person
    added: each is a change under "Søknaden" with its Parametre cell, in text, Markdown and JSON,
    and the diff exits 1; the budget itself has no change."""
    old = write(tmp_path / "old.xlsx", edited(example_dict))
    new = write(
        tmp_path / "new.xlsx",
        edited(
            example_dict,
            **{
                "pilot.name": "Hjerteregionen Vest",
                "pilot.council_meeting": "2023-12-06",
                "pilot.project_leader": "Kari Nordmann",
                "pilot.contact_person": "Ola Nordmann",
            },
        ),
    )
    report = diff_workbooks(old, new)
    assert brief(report.changes) == {
        (
            "pilot-name",
            "Hjerteregionen",
            "Hjerteregionen Vest",
            ("Parametre", "B7"),
            ("Parametre", "B7"),
        ),
        ("council-meeting", "2023-11-22", "2023-12-06", ("Parametre", "B9"), ("Parametre", "B9")),
        (
            "project-leader",
            "Johan Vaséli",
            "Kari Nordmann",
            ("Parametre", "B10"),
            ("Parametre", "B10"),
        ),
        ("contact-person", None, "Ola Nordmann", ("Parametre", "B14"), ("Parametre", "B14")),
    }
    text = as_text(report)
    assert "Ingen forskjeller" not in text
    assert "  Søknaden:" in text and "  Budsjett:" not in text
    assert "Søker (piloten): «Hjerteregionen» → «Hjerteregionen Vest»  [Parametre!B7]" in text
    assert "Kommunestyremøte: 22.11.2023 → 06.12.2023  [Parametre!B9]" in text
    assert "Kontaktperson: tom → «Ola Nordmann»" in text
    english = as_text(report, "en")
    assert "  The application:" in english
    assert "Council meeting: 2023-11-22 → 2023-12-06  [Parametre!B9]" in english
    markdown = as_markdown(report)
    assert (
        "### Søknaden" in markdown
        and "- Prosjektleder: «Johan Vaséli» → «Kari Nordmann»" in markdown
    )
    code, document = run_json(capsys, str(old), str(new))
    assert code == 1 and document["differs"] is True
    assert {c["code"] for c in document["changes"]} == {
        "pilot-name",
        "council-meeting",
        "project-leader",
        "contact-person",
    }
    assert main(["diff", str(old), str(new)]) == 1


def test_the_effects_come_from_each_versions_map(example_workbook, tmp_path):
    """The totals the effects use are the map's, which are the budget's own recomputation:
    budget_totals and project_totals of the version's budget (as the diff computed them)."""
    from bygdevekst_xl.compute import budget_totals, project_totals
    from bygdevekst_xl.diff import read_version

    edited_book = damage.with_openpyxl(
        example_workbook, tmp_path / "new.xlsx", lambda wb: wb[P2].__setitem__("C7", 12_345)
    )
    for path in (example_workbook, edited_book):
        version = read_version(path)
        budget = version.read.budget
        assert version.layout.totals == budget_totals(budget)
        for project in budget.projects:
            assert version.layout.projects[project.id][1] == project_totals(budget, project)


def test_a_project_the_same_in_both_is_compared_only_when_a_number_is_not_finite(
    example_budget,
):
    """An equal project over the same years has no change to find; one holding an infinity
    (which same() never finds equal) or another year is compared value by value."""
    from types import SimpleNamespace

    from bygdevekst_xl.dataclass import replace
    from bygdevekst_xl.diff.compare import _unchanged
    from bygdevekst_xl.model import Formula

    def pair(years_old=(2024, 2025), years_new=(2024, 2025)):
        def version(years):
            return SimpleNamespace(
                read=SimpleNamespace(budget=SimpleNamespace(pilot=SimpleNamespace(years=years)))
            )

        return SimpleNamespace(old=version(years_old), new=version(years_new))

    project = example_budget.projects[1]
    same = replace(project)
    assert _unchanged(pair(), project, same)
    assert not _unchanged(pair(years_new=(2025, 2026)), project, same)
    assert not _unchanged(pair(), project, replace(project, name="Annet"))
    for infinite in (float("inf"), Formula("=1/0", float("-inf"), "A!C7")):
        odd = replace(project, kdd=(infinite, 0))
        assert not _unchanged(pair(), odd, replace(odd))
