"""regenerate as a three-way merge: the record (base), a workbook a person edited in
LibreOffice (ours) and a new spec (theirs), every merge case in one pair of edits."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.cli import main
from bygdevekst_xl.edited import read_edited
from bygdevekst_xl.extract import extract
from bygdevekst_xl.office import edit_with_libreoffice, soffice_path, uno_python
from bygdevekst_xl.record import generation_id
from bygdevekst_xl.regenerate import ConflictError, RefusedError, regenerate
from bygdevekst_xl.regenerate.merge import input_cell
from bygdevekst_xl.spec import budget_from_dict
from tests import damage
from tests.test_regenerate import NEW_PROJECT

P1, P2, P3, P4 = "1 Prosjektledelse", "2 Boligbygging", "3 Arbeidsliv", "4 Plankontor"
UNGDOM = NEW_PROJECT  # the same project added, as test_regenerate adds it


def cell(example_workbook: Path, project: str, what: str, index: int = 0, year: int = 0) -> str:
    """An input cell of the generated example, through the merge's own lookup."""
    read = read_edited(example_workbook).read
    return input_cell(read, project, what, index, year)


@pytest.fixture(scope="module")
def edited(example_workbook, tmp_path_factory) -> Path:
    """The example as a person leaves it in LibreOffice: KDD 2024 of project 1 raised (as the
    spec does too), two of its lines cleared, a line inserted and typed in project 2, the
    Statsforvalteren 2024 of project 3 changed, an hour and a line amount of project 4 changed."""
    if soffice_path() is None or uno_python() is None:
        pytest.skip("LibreOffice with Python-UNO missing")
    c = lambda *args: cell(example_workbook, *args)  # noqa: E731
    edits = {
        (P1, c("prosjektledelse", "kdd")): 1_190_000,
        **{(P1, f"{col}8"): None for col in "ABCD"},  # line 2 cleared (the spec changes it)
        **{(P1, f"{col}9"): None for col in "ABCD"},  # line 3 cleared (the spec keeps it)
        (P2, "A9"): "Kurs og kompetanse",  # a row inserted between lines 2 and 3, typed
        (P2, "B9"): "Kurs i tomteutvikling",
        (P2, "C9"): 20_000,
        (P2, "D9"): 0,
        (P3, c("arbeidsliv", "statsforvalteren")): 260_000,
        (P4, c("plankontor", "hours", 0, 0)): 130,
        (P4, c("plankontor", "amount", 2, 1)): 55_000,  # a line the spec removes
    }
    out = tmp_path_factory.mktemp("merge") / "redigert.xlsx"
    return edit_with_libreoffice(example_workbook, out, edits, insert_rows=[(P2, 9)])


@pytest.fixture
def new_spec(example_dict, tmp_path) -> Path:
    """The new spec: KDD raised as in the workbook, an amount changed, a line added, a line
    removed, a project renamed, one removed and one added, and three inputs changed where the
    workbook changed them too (the conflicts)."""
    data = copy.deepcopy(example_dict)
    by_id = {p["id"]: p for p in data["projects"]}
    by_id["prosjektledelse"]["financing"]["kdd"][0] = 1_190_000  # both, the same
    by_id["prosjektledelse"]["costs"][1]["amounts"] = [90_000, 95_000]  # cleared in the workbook
    bolig = by_id["boligbygging"]
    bolig["costs"][0]["amounts"][0] = 360_000  # the spec only
    bolig["costs"].append(
        {"category": "reiser", "description": "Befaring på tomter", "amounts": [15_000, 0]}
    )
    arbeid = by_id["arbeidsliv"]
    arbeid["name"], arbeid["sheet"] = "Kompetansehuber og variert arbeidsliv", "3 Kompetanse"
    arbeid["financing"]["statsforvalteren"][0] = 270_000  # the workbook says 260 000
    arbeid["costs"] = arbeid["costs"][:3]  # "Kurs om kompetansehuber" removed, untouched
    by_id["plankontor"]["costs"] = by_id["plankontor"]["costs"][:2]  # edited in the workbook
    data["projects"] = [by_id[i] for i in ("prosjektledelse", "boligbygging", "arbeidsliv")]
    data["projects"] += [by_id["plankontor"], UNGDOM]  # markedsforing removed, untouched
    path = tmp_path / "ny.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def expected_projects(example_dict: dict, new_spec: Path, prefer: str) -> tuple:
    """Every input of the merged workbook, as a budget's projects."""
    data = yaml.safe_load(new_spec.read_text("utf-8"))
    by_id = {p["id"]: p for p in data["projects"]}
    p1 = by_id["prosjektledelse"]
    p1["costs"] = p1["costs"][:2] if prefer == "spec" else p1["costs"][:1]
    bolig = by_id["boligbygging"]["costs"]
    bolig.insert(
        2, {"category": "kurs", "description": "Kurs i tomteutvikling", "amounts": [20_000, 0]}
    )
    by_id["arbeidsliv"]["financing"]["statsforvalteren"][0] = (
        270_000 if prefer == "spec" else 260_000
    )
    plan = by_id["plankontor"]
    plan["hours"]["Hammerfest"] = [130, 120]
    if prefer == "workbook":
        old = next(p for p in example_dict["projects"] if p["id"] == "plankontor")
        plan["costs"].append({**old["costs"][2], "amounts": [50_000, 55_000]})
    return budget_from_dict(data).projects


@pytest.mark.office
def test_check_tells_which_generation_and_how_many_inputs_changed(edited, example_budget):
    """check names the generation the edited copy came from and counts the input cells changed
    since: KDD (1), two cleared lines (8), an inserted line (4), Statsforvalteren (1), an hour
    and an amount (2)."""
    report = check_workbook(edited)
    assert report.generation["id"] == generation_id(example_budget)
    assert report.generation["changed_inputs"] == 16


@pytest.mark.office
def test_a_conflict_refuses_and_lists_each_input(edited, new_spec, tmp_path, capsys):
    """Three inputs changed on both sides: regenerate writes nothing, exits 1 and lists each
    with its sheet, cell, project, line, year and the three values."""
    out = tmp_path / "ny.xlsx"
    with pytest.raises(ConflictError) as caught:
        regenerate(edited, new_spec, out)
    conflicts = {
        (c.sheet, c.cell, c.line, c.year, c.base, c.workbook, c.spec)
        for c in caught.value.result.conflicts
    }
    assert conflicts == {
        (P3, "C30", "Statsforvalteren", 2024, 250_000, 260_000, 270_000),
        (
            P4,
            "A9",
            "Reiser for arbeidsgruppen",
            None,
            ("reiser", "Reiser for arbeidsgruppen", 50_000, 50_000),
            ("reiser", "Reiser for arbeidsgruppen", 50_000, 55_000),
            "(fjernet)",
        ),
        (
            P1,
            "A8",
            "Reiser mellom kommunene og til KDD",
            None,
            ("reiser", "Reiser mellom kommunene og til KDD", 90_000, 90_000),
            "(fjernet)",
            ("reiser", "Reiser mellom kommunene og til KDD", 90_000, 95_000),
        ),
    }
    assert not out.exists()
    assert main(["regenerate", str(edited), "--spec", str(new_spec), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "3 inndata er endret både i arbeidsboka og i spesifikasjonen" in err
    assert (
        f"konflikt: {P3}!C30 (Kompetansehuber og variert arbeidsliv · Statsforvalteren · 2024): "
        "ved generering 250\u00a0000, i arbeidsboka 260\u00a0000, i spesifikasjonen 270\u00a0000"
    ) in err
    assert not out.exists()


@pytest.mark.office
@pytest.mark.parametrize("prefer", ["workbook", "spec"])
def test_every_merge_case_lands_in_every_input_cell(
    edited, new_spec, example_dict, tmp_path, capsys, prefer
):
    """With --prefer, every input of the new workbook is the merge's: a change on one side
    wins, equal changes agree, lines added on either side appear, a line removed in the spec
    and untouched goes, one cleared in the workbook stays gone, the renamed project keeps its
    inputs, the removed one goes and the added one comes; the report lists every change and
    the new workbook carries the new spec's record."""
    out = tmp_path / "ny.xlsx"
    args = ["regenerate", str(edited), "--spec", str(new_spec), "-o", str(out)]
    assert main([*args, "--prefer", prefer, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert extract(out).projects == expected_projects(example_dict, new_spec, prefer)
    applied = {c["text"] for c in report["applied"]}
    bolig, arbeid = (
        "Økt boligbygging og utvikling av nye botilbud",
        "Kompetansehuber og variert arbeidsliv",
    )
    expected = {
        f"{bolig} · Mulighetsstudie for minihusklynger · 2024: 350\u00a0000 → 360\u00a0000",
        f"{bolig} · Befaring på tomter: (ingen linje) → (15\u00a0000, 0)",
        f"{arbeid} · Kurs om kompetansehuber: (30\u00a0000, 30\u00a0000) → (fjernet)",
        f"{arbeid} · prosjektnavn: 'Et variert arbeidsliv' → '{arbeid}'",
        f"{arbeid} · arknavn: '3 Arbeidsliv' → '3 Kompetanse'",
    }
    if prefer == "spec":
        expected |= {
            f"{arbeid} · Statsforvalteren · 2024: 260\u00a0000 → 270\u00a0000",
            "Prosjektledelse · Reiser mellom kommunene og til KDD: (ingen linje) → "
            "(90\u00a0000, 95\u00a0000)",
            "Felles plan- og utviklingskontor · Reiser for arbeidsgruppen: "
            "(50\u00a0000, 55\u00a0000) → (fjernet)",
        }
    assert applied == expected
    assert len(report["resolved"]) == 3 and report["conflicts"] == []
    assert "prosjektet 'markedsforing' er fjernet" in report["changes"]
    assert report["left_out"] == []
    from bygdevekst_xl.spec import load_spec

    assert report["generation"] == generation_id(load_spec(new_spec))
    check = check_workbook(out)
    assert check.generation["id"] == report["generation"]


def test_a_removed_project_the_person_edited_is_refused_with_a_record(
    example_workbook, example_dict, tmp_path
):
    """With a record, a removed project whose inputs nobody touched goes quietly, but one a
    person changed refuses and lists its values."""
    data = copy.deepcopy(example_dict)
    data["projects"] = [p for p in data["projects"] if p["id"] != "markedsforing"]
    spec = tmp_path / "ny.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = regenerate(example_workbook, spec, tmp_path / "stille.xlsx")
    assert result.left_out == [] and "project 'markedsforing' removed" in result.changes

    def edit(wb):
        wb["5 Markedsføring"]["C8"] = 35_000

    typed = damage.with_openpyxl(example_workbook, tmp_path / "typed.xlsx", edit)
    with pytest.raises(RefusedError) as caught:
        regenerate(typed, spec, tmp_path / "ny.xlsx")
    values = {(v.sheet, v.cell, v.value) for v in caught.value.result.left_out}
    assert ("5 Markedsføring", "C8", 35_000) in values and (
        "5 Markedsføring",
        "C7",
        300_000,
    ) in values
    assert not (tmp_path / "ny.xlsx").exists()
