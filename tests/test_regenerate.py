"""regenerate: a changed spec, the typed values of an edited workbook, nothing lost."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.cli import main
from bygdevekst_xl.compute import budget_totals
from bygdevekst_xl.extract import extract
from bygdevekst_xl.layout import LAYOUT_VERSION
from bygdevekst_xl.office import edit_with_libreoffice, soffice_path, uno_python
from bygdevekst_xl.regenerate import RefusedError, regenerate
from bygdevekst_xl.spec import load_spec
from tests import damage
from tests.compare import places

P2 = "2 Boligbygging"
NEW_PROJECT = {
    "id": "ungdom",
    "name": "Ungdom og bolyst",
    "sheet": "6 Ungdom",
    "working_group": True,
    "description": ["Tiltak for unge voksne."],
    "costs": [
        {"category": "arbeidsgrupper", "description": "Ungdomspanel", "amounts": [20_000, 20_000]}
    ],
    "hours": {"Hammerfest": [20, 20], "Hasvik": [20, 20], "Måsøy": [20, 20]},
    "financing": {"kdd": [20_000, 20_000], "statsforvalteren": [0, 0]},
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_spec(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def restructured(example_dict: dict) -> dict:
    """A project added, one renamed, the rest re-ordered."""
    data = copy.deepcopy(example_dict)
    by_id = {p["id"]: p for p in data["projects"]}
    by_id["arbeidsliv"]["name"] = "Kompetansehuber og variert arbeidsliv"
    by_id["arbeidsliv"]["sheet"] = "3 Kompetanse"
    order = ["markedsforing", "prosjektledelse", "plankontor", "arbeidsliv", "boligbygging"]
    data["projects"] = [by_id[i] for i in order[:2]] + [NEW_PROJECT] + [by_id[i] for i in order[2:]]
    return data


def without_marketing(example_dict: dict) -> dict:
    """The spec with project 5 (Markedsføring, which holds amounts) removed."""
    data = copy.deepcopy(example_dict)
    data["projects"] = [p for p in data["projects"] if p["id"] != "markedsforing"]
    return data


@pytest.fixture
def unrecorded_workbook(example_workbook, tmp_path) -> Path:
    """The example as a version before generation records made it: regenerate cannot tell
    what a person changed, so every value of a removed project is an orphan."""
    return damage.without_record(example_workbook, tmp_path / "unrecorded.xlsx")


@pytest.fixture
def officer_workbook(example_workbook, tmp_path) -> Path:
    """The example as a finance officer leaves it: a line inserted and typed, values changed, saved
    by LibreOffice."""
    if soffice_path() is None or uno_python() is None:
        pytest.skip("LibreOffice with Python-UNO missing")
    edits = {
        (P2, "A9"): "Kurs og kompetanse",
        (P2, "B9"): "Kurs i tomteutvikling",
        (P2, "C9"): 20_000,
        (P2, "D9"): 0,
        (P2, "C30"): 370_000,
        ("4 Plankontor", "C19"): 130,
        ("1 Prosjektledelse", "B8"): "Reiser (endret tekst)",
    }
    return edit_with_libreoffice(
        example_workbook, tmp_path / "officer.xlsx", edits, insert_rows=[(P2, 9)]
    )


@pytest.mark.office
def test_every_typed_value_reaches_its_new_place(officer_workbook, example_dict, tmp_path):
    """Regenerated with a project added, one renamed and the rest re-ordered, every typed value
    sits at its new place, the totals are right and the checker passes."""
    before = digest(officer_workbook)
    spec = write_spec(tmp_path / "new.yaml", restructured(example_dict))
    out = tmp_path / "new.xlsx"
    result = regenerate(officer_workbook, spec, out)
    assert digest(officer_workbook) == before
    assert result.left_out == []
    assert "project 'ungdom' added (Ungdom og bolyst)" in result.changes
    assert any("renamed" in c and "arbeidsliv" in c for c in result.changes)
    got = {p.id: p for p in extract(out).projects}
    assert [p.id for p in extract(out).projects] == [
        "markedsforing",
        "prosjektledelse",
        "ungdom",
        "plankontor",
        "arbeidsliv",
        "boligbygging",
    ]
    bolig = got["boligbygging"]
    lines = [(c.category, c.description, c.amounts) for c in bolig.costs]
    assert lines[2] == ("kurs", "Kurs i tomteutvikling", (20_000, 0))  # the inserted row
    assert lines[3] == ("reiser", "Reiser for arbeidsgruppen", (50_000, 50_000))
    assert bolig.statsforvalteren == (370_000, 100_000)
    assert got["plankontor"].hours_of("Hammerfest") == (130, 120)
    assert got["prosjektledelse"].costs[1].description == "Reiser (endret tekst)"
    assert got["arbeidsliv"].name == "Kompetansehuber og variert arbeidsliv"
    assert got["arbeidsliv"].sheet == "3 Kompetanse"
    assert got["ungdom"].costs[0].description == "Ungdomspanel"
    report = check_workbook(out, load_spec(spec))
    assert report.findings == []
    assert report.totals == budget_totals(result.budget)


def test_removed_project_with_amounts_is_refused(
    unrecorded_workbook, example_dict, tmp_path, capsys
):
    """Removing a project that holds amounts from a workbook without a record refuses, lists
    the values, and writes nothing."""
    data = without_marketing(example_dict)
    spec = write_spec(tmp_path / "new.yaml", data)
    out = tmp_path / "new.xlsx"
    with pytest.raises(RefusedError) as caught:
        regenerate(unrecorded_workbook, spec, out)
    left_out = caught.value.result.left_out
    assert {v.project for v in left_out} == {"markedsforing"}
    assert ("5 Markedsføring", "C7", 300_000) in {(v.sheet, v.cell, v.value) for v in left_out}
    assert not out.exists()
    assert main(["regenerate", str(unrecorded_workbook), "--spec", str(spec), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "ville gått tapt: 5 Markedsføring!C7 = 300\u00a0000" in err and not out.exists()
    assert "prosjektet 'markedsforing' er fjernet: kostnadslinjen" in err


def test_drop_orphans_drops_and_lists_them(unrecorded_workbook, example_dict, tmp_path, capsys):
    """--drop-orphans writes the workbook without the removed project and lists what it dropped."""
    data = without_marketing(example_dict)
    spec = write_spec(tmp_path / "new.yaml", data)
    out = tmp_path / "new.xlsx"
    assert (
        main(
            [
                "regenerate",
                str(unrecorded_workbook),
                "--spec",
                str(spec),
                "-o",
                str(out),
                "--drop-orphans",
                "--json",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["left_out_treatment"] == "drop" and len(report["left_out"]) > 0
    assert "5 Markedsføring" not in openpyxl.load_workbook(out, read_only=True).sheetnames
    assert check_workbook(out, load_spec(spec)).ok


def test_archive_orphans_keeps_them_in_a_sheet(unrecorded_workbook, example_dict, tmp_path):
    """--archive-orphans keeps every value without a place in the Arkiv sheet, outside all totals."""
    data = without_marketing(example_dict)
    data["categories"] = [c for c in data["categories"] if c["id"] != "kurs"]
    for project in data["projects"]:
        project["costs"] = [c for c in project["costs"] if c["category"] != "kurs"]
    spec = write_spec(tmp_path / "new.yaml", data)
    out = tmp_path / "new.xlsx"
    result = regenerate(unrecorded_workbook, spec, out, orphans="archive")
    archive = openpyxl.load_workbook(out)["Arkiv"]
    rows = [[c.value for c in row] for row in archive.iter_rows(min_row=5)]
    assert len(rows) == len(result.left_out)
    kept = {(r[1], r[2], r[4]) for r in rows}
    assert ("5 Markedsføring", "C7", 300_000) in kept
    assert ("1 Prosjektledelse", "C9", 40_000) in kept  # a 'kurs' line whose category is gone
    report = check_workbook(out, load_spec(spec))
    # Archived values count in no total; taking the 'kurs' lines out unbalances those projects.
    assert {f.code for f in report.findings} == {
        "sheet-extra",
        "not-balanced",
        "kdd-over-eligible",
        "kdd-over-eligible-project",
    }
    assert report.totals == budget_totals(result.budget)
    assert report.totals.costs == budget_totals(load_spec(spec)).costs


def test_output_is_never_the_input_and_never_overwritten_silently(
    example_workbook, example_dict, tmp_path, capsys
):
    """Regenerate refuses to write over its input, needs --force for an existing output, and
    leaves the input unchanged."""
    spec = write_spec(tmp_path / "new.yaml", example_dict)
    before = digest(example_workbook)
    assert (
        main(
            [
                "regenerate",
                str(example_workbook),
                "--spec",
                str(spec),
                "-o",
                str(example_workbook),
                "--force",
                "--lang",
                "en",
            ]
        )
        == 2
    )
    assert "would overwrite the input" in capsys.readouterr().err
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"someone's file")
    assert main(["regenerate", str(example_workbook), "--spec", str(spec), "-o", str(out)]) == 2
    assert out.read_bytes() == b"someone's file"
    assert (
        main(["regenerate", str(example_workbook), "--spec", str(spec), "-o", str(out), "--force"])
        == 0
    )
    assert (tmp_path / "out.backup-1.xlsx").read_bytes() == b"someone's file"
    assert digest(example_workbook) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_content_that_cannot_be_carried_is_warned_about(example_workbook, example_dict, tmp_path):
    """A sheet a person added and a value typed outside the input areas are listed as warnings."""
    edited = damage.with_openpyxl(
        example_workbook,
        tmp_path / "e.xlsx",
        lambda wb: (wb.create_sheet("Notater"), wb[P2].__setitem__("H3", "ring Hasvik")),
    )
    spec = write_spec(tmp_path / "new.yaml", example_dict)
    result = regenerate(edited, spec, tmp_path / "out.xlsx")
    assert "sheet 'Notater' was added by a person and is not carried over" in result.warnings
    assert any("H3" in w and "ring Hasvik" in w for w in result.warnings)


def older_layout(source: Path, target: Path) -> Path:
    """*source* as layout 1 made it: in-kind values priced from the unrounded hour sum."""
    import re
    import zipfile

    with zipfile.ZipFile(source) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]

    def old_formulas(xml: str) -> str:
        pattern = r"ROUND\(ROUND\(ROUND\(([A-Z]+\d+),6\)\*Timesats,6\),0\)"
        return re.sub(pattern, r"ROUND(\1*Timesats,0)", xml)

    def old_version(xml: str) -> str:
        return xml.replace(f"<vt:lpwstr>{LAYOUT_VERSION}</vt:lpwstr>", "<vt:lpwstr>1</vt:lpwstr>")

    edits = dict.fromkeys(sheets, old_formulas) | {"docProps/custom.xml": old_version}
    return damage.with_parts(source, target, edits)


def test_a_workbook_from_an_older_layout_is_named_and_regenerated_without_a_spec(
    example_workbook, example_budget, tmp_path, capsys
):
    """check names the older layout as the cause of the changed formulas; regenerate without
    --spec brings the workbook to the current layout with every typed value and no warning."""
    old = older_layout(example_workbook, tmp_path / "gammel.xlsx")
    report = check_workbook(old, example_budget)
    codes = {f.code for f in report.findings}
    assert codes == {"other-layout", "formula-changed"}
    [note] = [f for f in report.findings if f.code == "other-layout"]
    assert (note.found, note.expected) == ("1", LAYOUT_VERSION)
    assert "regenerate" in note.message("en")

    new = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(old), "-o", str(new)]) == 0
    out = capsys.readouterr().out
    assert "warning" not in out
    assert check_workbook(new, example_budget).findings == []
    assert extract(new) == extract(old) == example_budget


def test_an_input_beyond_any_total_is_carried_and_the_new_workbook_still_reads(
    example_workbook, example_budget, tmp_path
):
    """1E308 hours typed into a cell is kept (never dropped), its totals are cached as #NUM!
    rather than the 'inf' no spreadsheet reads, and check names the cell."""

    def huge(wb):
        wb[P2]["C19"] = 1e308

    typed = damage.with_openpyxl(example_workbook, tmp_path / "typed.xlsx", huge)
    new = tmp_path / "ny.xlsx"
    regenerate(typed, None, new)
    report = check_workbook(new, example_budget)
    assert ("hours-invalid", P2, "C19") in places(report.findings)
    [finding] = [f for f in report.findings if f.code == "hours-invalid"]
    assert finding.found == 1e308
    assert report.totals.in_kind == float("inf")


@pytest.mark.parametrize("typed", ["22. november 2023", -1e308, "2023-11-01 kl. 12"])
def test_a_damaged_date_on_parametre_is_kept_and_named(
    example_workbook, example_budget, tmp_path, typed
):
    """A deadline that is no date survives regeneration as typed (no crash, nothing cut
    short) and check warns about it at its cell."""

    def damage_date(wb):
        wb["Parametre"]["B8"] = typed

    source = damage.with_openpyxl(example_workbook, tmp_path / "dato.xlsx", damage_date)
    new = tmp_path / "ny.xlsx"
    regenerate(source, None, new)
    kept = openpyxl.load_workbook(new)["Parametre"]["B8"].value
    assert kept == typed if isinstance(typed, str) else float(kept) == typed
    report = check_workbook(new, example_budget)
    assert ("date-invalid", "Parametre", "B8") in places(report.findings)


def _written_with(monkeypatch, change):
    """Make regenerate's renderer write ``change(bytes)`` instead of what it laid out."""
    import bygdevekst_xl.regenerate.regeneration as regeneration

    real = regeneration.render
    monkeypatch.setattr(regeneration, "render", lambda *a, **k: change(real(*a, **k)))


def test_a_workbook_that_reads_back_otherwise_than_meant_is_not_written(
    example_workbook, tmp_path, monkeypatch, capsys
):
    """The bytes about to be written are read back through the one reading and compared
    input by input: an amount that came out otherwise is named, exit 1, nothing written."""
    import io
    import re
    import zipfile

    reading = check_workbook(example_workbook)
    assert reading.ok
    part = damage.sheet_part(example_workbook, P2)

    def one_amount_changed(data: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                body = source.read(item)
                if item.filename == part:
                    text = body.decode("utf-8")
                    text, n = re.subn(r'(<c r="C7"[^>]*><v>)350000(</v>)', r"\g<1>350001\2", text)
                    assert n == 1
                    body = text.encode("utf-8")
                target.writestr(item, body)
        return out.getvalue()

    _written_with(monkeypatch, one_amount_changed)
    output = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(example_workbook), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert f"{P2}!C7" in err and "350" in err
    assert not output.exists()


def test_a_fault_the_new_workbook_brings_refuses_and_one_it_carries_over_does_not(
    example_workbook, tmp_path, monkeypatch
):
    """The new workbook is checked before it is written: an error the old workbook did not
    have refuses (nothing written); the same error in both is the workbook's own and is
    carried over. The old workbook is checked only to tell the two apart."""
    import bygdevekst_xl.check.workbook as workbook
    from bygdevekst_xl.check.findings import Finding
    from bygdevekst_xl.regenerate import NotWrittenAsMeant

    real = workbook.check_edited
    checked: list[str] = []
    faulty: set[str] = set()

    def check_edited(edited):
        report = real(edited)
        checked.append(edited.path.name)
        if edited.path.name in faulty:
            report.findings.append(Finding("formula-overwritten", P2, "F7"))
        return report

    monkeypatch.setattr(workbook, "check_edited", check_edited)
    clean = tmp_path / "ren.xlsx"
    regenerate(example_workbook, None, clean)
    assert checked == ["ren.xlsx"]  # the written one only: the old one had nothing to excuse

    checked.clear()
    faulty.add("ny.xlsx")
    with pytest.raises(NotWrittenAsMeant) as refused:
        regenerate(example_workbook, None, tmp_path / "ny.xlsx")
    assert [(d.code, d.cell) for d in refused.value.differences] == [("formula-overwritten", "F7")]
    assert checked == ["ny.xlsx", example_workbook.name]
    assert not (tmp_path / "ny.xlsx").exists()

    faulty.add(example_workbook.name)
    regenerate(example_workbook, None, tmp_path / "ny.xlsx")
    assert (tmp_path / "ny.xlsx").exists()


def test_a_typed_formula_that_gives_another_input_in_the_new_workbook_is_not_written(
    example_workbook, tmp_path, monkeypatch
):
    """A category picked by a formula into Parametre's list is carried with its reference
    re-pointed; should the re-pointing go wrong (here: one column right, at the KDD flag), the
    new workbook's category is unknown where the old one's was not, and regenerate refuses
    naming the cell, instead of excusing it as a value the spec wrote."""
    import re

    import bygdevekst_xl.regenerate.regeneration as regeneration
    from bygdevekst_xl.dataclass import replace
    from bygdevekst_xl.edited import read_edited
    from bygdevekst_xl.model import Formula
    from bygdevekst_xl.regenerate import NotWrittenAsMeant

    reading = read_edited(example_workbook)
    place = reading.read.places["prosjektledelse"]
    cell = f"A{place.cost_row(1) + 1}"  # the second cost line's category
    row = next(
        a[1:]
        for a, v in reading.content.sheets[reading.read.parameters].values.items()
        if v == "Reiser" and a.startswith("A")
    )

    def typed(wb):
        wb[place.sheet][cell] = f"=Parametre!A{row}"

    source = damage.with_openpyxl(example_workbook, tmp_path / "formel.xlsx", typed)
    assert check_workbook(source).ok
    regenerate(source, None, tmp_path / "riktig.xlsx")  # carried as meant: written
    assert check_workbook(tmp_path / "riktig.xlsx").ok

    real = regeneration.carry_formulas

    def one_column_right(*args, **kwargs):
        problems = real(*args, **kwargs)
        for sheet in args[3].sheets:
            for key, laid in list(sheet.cells.items()):
                if isinstance(laid.value, Formula):
                    text = re.sub(r"!\$?A", "!B", laid.value.text)
                    sheet.cells[key] = replace(laid, value=replace(laid.value, text=text))
        return problems

    monkeypatch.setattr(regeneration, "carry_formulas", one_column_right)
    with pytest.raises(NotWrittenAsMeant) as refused:
        regenerate(source, None, tmp_path / "galt.xlsx")
    assert ("category-unknown", place.sheet, cell) in [
        (d.code, d.sheet, d.cell) for d in refused.value.differences
    ]
    assert not (tmp_path / "galt.xlsx").exists()
