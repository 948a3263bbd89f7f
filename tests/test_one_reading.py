"""One reading, one set of facts, one answer: every command sees a workbook the same way.

Each test reads one file through several commands (check, extract, regenerate, diff, council)
and asserts they agree on the totals, the content id and the verdict, that the scheme bounds
the facts on every path (--spec included), and that what a command writes keeps every value.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.cli import main
from bygdevekst_xl.council import council_pack
from bygdevekst_xl.dataclass import replace
from bygdevekst_xl.diff import diff_workbooks
from bygdevekst_xl.edited import read_edited
from bygdevekst_xl.excel import DAYS_1900_TO_1904
from bygdevekst_xl.extract import extract_spec
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.scheme import comparable, excluded_use
from bygdevekst_xl.spec import budget_from_dict, budget_to_dict, dump_spec, load_spec
from tests import damage
from tests.conftest import edited
from tests.strategies import specs

SPECS = Path(__file__).parent / "specs"
RULE_CODES = {
    "kdd-over-cap",
    "kdd-over-eligible",
    "kdd-over-eligible-project",
    "not-balanced",
    "missing-hours",
}
"""The programme's rules generate states and check finds."""


def _write(path: Path, budget) -> Path:
    path.write_bytes(workbook_bytes(budget))
    return path


def _cell_xml(cell: str, inner: str, attrs: str = "") -> str:
    return f'<c r="{cell}"{attrs}>{inner}</c>'


def _replace_cell(xml: str, cell: str, new: str) -> str:
    pattern = re.compile(rf'<c r="{cell}"(?: [^>]*)?(?:/>|>.*?</c>)', re.S)
    out, n = pattern.subn(new, xml, count=1)
    assert n == 1, f"no cell {cell}"
    return out


def formula_without_saved_value(source: Path, target: Path) -> tuple[Path, str, str]:
    """``source`` with a formula typed into the first cost amount of the first project and no
    value saved with it (as scripts and some converters write): ``=300000+60000``."""
    reading = read_edited(source)
    project = reading.budget.projects[0]
    place = reading.read.places[project.id]
    address = place.cell("cost", 0, 0)
    part = damage.sheet_part(source, project.sheet)
    style = re.search(rf'<c r="{address}"( s="\d+")?', _part_text(source, part))
    attrs = style.group(1) or "" if style else ""
    edit = {
        part: lambda xml: _replace_cell(
            xml, address, _cell_xml(address, "<f>300000+60000</f>", attrs)
        )
    }
    return damage.with_parts(source, target, edit), project.sheet, address


def _part_text(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def test_check_council_diff_extract_and_regenerate_count_the_same_budget(
    example_workbook, tmp_path
):
    """A formula typed into an input with no saved value counts with its value in every
    command: check, the council pack, diff, extract and regenerate give the same totals and
    content id (before, council read the saved values and dropped the line)."""
    book, sheet, address = formula_without_saved_value(example_workbook, tmp_path / "formel.xlsx")
    report = check_workbook(book)
    before = check_workbook(example_workbook)
    old_amount = read_edited(example_workbook).budget.projects[0].costs[0].amounts[0]
    assert report.totals.total_costs == before.totals.total_costs - old_amount + 360_000
    pack = council_pack(book, draft=True)
    assert pack.digest == report.content_digest
    decision = next(d for d in pack.documents if d.name.endswith(".txt")).data.decode()
    total = f"{report.totals.total_costs:,.0f}".replace(",", "\u00a0")
    assert total.replace("\u00a0", "") in decision.replace("\u00a0", "").replace(" ", "")
    assert diff_workbooks(book, book).differs is False
    extracted = extract_spec(book)
    assert extracted.budget.projects[0].costs[0].amounts[0] == 360_000
    assert [f.cell for f in extracted.formulas] == [f"{sheet}!{address}"]
    new = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(book), "-o", str(new)]) == 0
    again = check_workbook(new)
    assert again.totals == report.totals
    assert again.content_digest == report.content_digest
    assert read_edited(new).budget.projects[0].costs[0].amounts[0].text == "=300000+60000"


def test_a_second_pilot_goes_through_every_command_without_spec(tmp_path, capsys):
    """Fjordriket (four municipalities, 650 kr an hour, its own categories) needs no --spec:
    council takes its facts from the record (before: refused as another pilot), and check,
    diff, extract and regenerate agree on its totals."""
    budget = load_spec(SPECS / "fjordriket.yaml")
    book = _write(tmp_path / "fjord.xlsx", budget)
    assert main(["check", str(book)]) == 0
    out = capsys.readouterr().out
    digest = check_workbook(book).content_digest
    assert digest in out
    folder = tmp_path / "pakke"
    folder.mkdir()
    assert main(["council", str(book), "-o", str(folder)]) == 0
    assert f"Innholds-ID {digest}" in capsys.readouterr().out
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 3 * len(budget.pilot.municipalities)
    spec_file = tmp_path / "fjord.yaml"
    assert main(["extract", str(book), "-o", str(spec_file)]) == 0
    back = load_spec(spec_file)
    assert back == replace(budget, pilot=replace(budget.pilot, spec_date=""))
    new = tmp_path / "fjord2.xlsx"
    assert main(["regenerate", str(book), "-o", str(new)]) == 0
    assert main(["diff", str(book), str(new)]) == 0
    assert check_workbook(new).content_digest == digest


def _over_the_scheme(example_dict) -> dict:
    spec = budget_to_dict(edited(example_dict))
    spec["pilot"]["kdd_cap"] = 9_000_000
    spec["projects"][0]["financing"]["kdd"][0] += 2_000_000
    spec["projects"][0]["costs"][0]["amounts"][0] += 2_000_000
    return spec


def test_a_spec_over_the_cap_is_bounded_by_the_scheme_in_every_command(
    example_dict, tmp_path, capsys
):
    """A spec saying the cap is 9 000 000 kr: generate --strict refuses it, check --spec,
    council --spec and diff --spec judge by the scheme's 4 000 000 kr (before: all passed)."""
    spec = _over_the_scheme(example_dict)
    spec_file = tmp_path / "ni-millioner.yaml"
    spec_file.write_text(dump_spec(budget_from_dict(spec)), "utf-8")
    out = tmp_path / "ut.xlsx"
    assert main(["generate", str(spec_file), "-o", str(out), "--strict"]) == 1
    assert not out.exists()
    assert "spec-against-scheme" in capsys.readouterr().err
    assert main(["generate", str(spec_file), "-o", str(out)]) == 0
    capsys.readouterr()
    report = check_workbook(out, load_spec(spec_file))
    codes = {f.code for f in report.errors}
    assert {"spec-against-scheme", "kdd-over-cap"} <= codes
    assert report.totals.kdd_cap == 4_000_000
    assert main(["check", str(out)]) == 1
    assert "record-against-scheme" in capsys.readouterr().out
    folder = tmp_path / "pakke"
    folder.mkdir()
    assert main(["council", str(out), "--spec", str(spec_file), "-o", str(folder)]) == 1
    assert not list(folder.iterdir())
    assert main(["diff", str(out), str(out), "--spec", str(spec_file), "--json"]) == 0
    document = yaml.safe_load(capsys.readouterr().out)
    assert document["cap"]["new_cap"] == 4_000_000


def test_excluded_uses_are_found_through_invisible_characters(example_dict):
    """``Drifts\\u00adkostnader`` and a zero-width joiner read as the excluded
    "Driftskostnader"; a spec refuses such characters in names."""
    for name in ("Drifts\u00adkostnader", "Drifts\u200dkostnader", "DRIFTSKOSTNADER"):
        assert comparable(name) == "driftskostnader"
        from bygdevekst_xl.model import Category

        assert excluded_use(Category("x", name, True)) is not None
    spec = budget_to_dict(edited(example_dict))
    spec["categories"][0]["name"] = "Drifts\u00adkostnader"
    with pytest.raises(Exception, match="invisible"):
        budget_from_dict(spec)


def test_a_lead_municipality_typed_as_people_write_it_is_read_as_the_municipality(
    example_workbook, tmp_path
):
    """ "Hammerfest kommune" on Parametre is Hammerfest for check and extract alike (before:
    check OK, extract exit 2)."""
    reading = read_edited(example_workbook)
    from bygdevekst_xl.layout.places import parameter_fact_cell
    from bygdevekst_xl.layout.rows import ParameterRows

    address = parameter_fact_cell(ParameterRows.lead_municipality, 0)
    part = damage.sheet_part(example_workbook, reading.read.parameters)
    text = "<is><t>Hammerfest kommune</t></is>"
    book = damage.with_parts(
        example_workbook,
        tmp_path / "kommune.xlsx",
        {part: lambda xml: _replace_cell(xml, address, _cell_xml(address, text, ' t="inlineStr"'))},
    )
    assert read_edited(book).budget.pilot.lead_municipality == "Hammerfest"
    assert not check_workbook(book).errors
    assert extract_spec(book).budget.pilot.lead_municipality == "Hammerfest"


def test_a_lone_surrogate_is_found_at_its_cell_and_crashes_nothing(example_workbook, tmp_path):
    """``_xD800_`` typed in the project leader's name: check reports the cell, extract and
    regenerate refuse naming it, council makes a draft; none of them crashes."""
    reading = read_edited(example_workbook)
    from bygdevekst_xl.layout.places import parameter_fact_cell
    from bygdevekst_xl.layout.rows import ParameterRows

    address = parameter_fact_cell(ParameterRows.project_leader, 0)
    part = damage.sheet_part(example_workbook, reading.read.parameters)
    text = "<is><t>Kari _xD800_ Nordmann</t></is>"
    book = damage.with_parts(
        example_workbook,
        tmp_path / "surrogat.xlsx",
        {part: lambda xml: _replace_cell(xml, address, _cell_xml(address, text, ' t="inlineStr"'))},
    )
    report = check_workbook(book)
    assert [(f.code, f.cell) for f in report.errors] == [("text-unreadable", address)]
    assert main(["extract", str(book)]) == 1
    assert main(["regenerate", str(book), "-o", str(tmp_path / "ny.xlsx")]) == 1
    assert not (tmp_path / "ny.xlsx").exists()
    assert council_pack(book, draft=True).digest == report.content_digest


def as_1904(source: Path, target: Path) -> Path:
    """``source`` as old Mac Excel saves it: dates counted from 1904 (1 462 days less)."""
    reading = read_edited(source)
    from bygdevekst_xl.layout.places import parameter_fact_cell
    from bygdevekst_xl.layout.rows import ParameterRows

    part = damage.sheet_part(source, reading.read.parameters)
    cells = [
        parameter_fact_cell(row, 0)
        for row in (ParameterRows.deadline, ParameterRows.council_meeting)
    ]

    def shift(xml: str) -> str:
        for cell in cells:
            xml = re.sub(
                rf'(<c r="{cell}"[^>]*><v>)([^<]*)(</v>)',
                lambda m: m.group(1) + str(float(m.group(2)) - DAYS_1900_TO_1904) + m.group(3),
                xml,
            )
        return xml

    def workbook(xml: str) -> str:
        if "<workbookPr" in xml:
            return xml.replace("<workbookPr", '<workbookPr date1904="1"', 1)
        return xml.replace("<bookViews>", '<workbookPr date1904="1"/><bookViews>', 1)

    return damage.with_parts(source, target, {part: shift, "xl/workbook.xml": workbook})


def test_a_1904_workbook_keeps_its_dates_through_every_command(example_workbook, tmp_path):
    """In a workbook counting dates from 1904 the deadline stays 1 November 2023 in check,
    extract and regenerate (before: 31 October 2019)."""
    book = as_1904(example_workbook, tmp_path / "mac.xlsx")
    with zipfile.ZipFile(book) as archive:
        assert 'date1904="1"' in archive.read("xl/workbook.xml").decode()
    assert not check_workbook(book).errors
    pilot = extract_spec(book).budget.pilot
    assert (pilot.application_deadline, pilot.council_meeting) == ("2023-11-01", "2023-11-22")
    new = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(book), "-o", str(new)]) == 0
    assert read_edited(new).budget.pilot.application_deadline == "2023-11-01"


def with_defined_name(source: Path, target: Path, name: str, definition: str, formula: str):
    """``source`` with a workbook-level name a person defined, used by a formula typed into the
    first KDD cell of the first project (its value saved, as Excel saves it)."""
    reading = read_edited(source)
    project = reading.budget.projects[0]
    address = reading.read.places[project.id].cell("kdd", 0, 0)
    part = damage.sheet_part(source, project.sheet)
    value = reading.budget.projects[0].kdd[0]

    def names(xml: str) -> str:
        return xml.replace(
            "</definedNames>",
            f'<definedName name="{name}">{definition}</definedName></definedNames>',
        )

    def cell(xml: str) -> str:
        style = re.search(rf'<c r="{address}"( s="\d+")?', xml)
        attrs = style.group(1) or "" if style else ""
        return _replace_cell(
            xml, address, _cell_xml(address, f"<f>{formula}</f><v>{value}</v>", attrs)
        )

    return damage.with_parts(source, target, {"xl/workbook.xml": names, part: cell}), address


def test_a_name_a_person_defined_is_warned_and_carried_with_its_formula(example_workbook, tmp_path):
    """``=Dagsats*...`` with a constant name: check warns naming it, regenerate writes the name
    with the formula (before: #NAME? in the new file); a name over cells is refused."""
    value = read_edited(example_workbook).budget.projects[0].kdd[0]
    book, address = with_defined_name(
        example_workbook, tmp_path / "navn.xlsx", "Dagsats", str(value // 20), "20*Dagsats"
    )
    assert value % 20 == 0
    report = check_workbook(book)
    warned = [f for f in report.warnings if f.code == "input-formula"]
    assert [(f.cell, f.params["what"]) for f in warned] == [(address, "Dagsats")]
    assert not report.errors
    new = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(book), "-o", str(new)]) == 0
    again = read_edited(new)
    assert again.content.names["Dagsats"] == str(value // 20)
    assert again.budget.projects[0].kdd[0].value == value
    assert not check_workbook(new).errors
    over_cells, _ = with_defined_name(
        example_workbook, tmp_path / "celler.xlsx", "Sats", "Parametre!$B$5", "Sats*0+" + str(value)
    )
    assert main(["regenerate", str(over_cells), "-o", str(tmp_path / "nei.xlsx")]) == 1
    assert not (tmp_path / "nei.xlsx").exists()


@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example writes workbooks
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=specs())
def test_every_command_agrees_on_any_generated_budget(spec, tmp_path_factory):
    """For random specs (within the scheme or not): check, the council pack, diff, extract and
    regenerate give the same totals, content id and verdict, and generate --strict refuses
    exactly the specs whose broken rules check reports."""
    from bygdevekst_xl.council.figures import figures
    from bygdevekst_xl.generate import broken_rules, generated_layout

    folder = tmp_path_factory.mktemp("agree")
    budget = budget_from_dict(spec)
    book = _write(folder / "bok.xlsx", budget)
    report = check_workbook(book)
    reading = read_edited(book)
    assert report.content_digest == reading.digest
    assert report.totals == reading.totals
    pack = council_pack(book, draft=True, municipality=budget.pilot.municipalities[0])
    assert pack.digest == report.content_digest
    assert pack.report.ok == report.ok
    assert figures(reading.budget).totals == report.totals
    assert diff_workbooks(book, book).differs is False
    broken = broken_rules(budget, generated_layout(budget))
    stated = {f.code for f in (*report.errors, *report.warnings)}
    assert {f.code for f in broken} - {"spec-against-scheme"} == stated & RULE_CODES
    assert report.ok == (not any(f.severity == "error" for f in broken))
    new = folder / "ny.xlsx"
    code = main(["regenerate", str(book), "-o", str(new), "--strict"])
    assert code == (1 if broken else 0)
    if not broken:
        assert check_workbook(new).content_digest == report.content_digest
    extracted = extract_spec(book).budget
    again = check_workbook(_write(folder / "fra-spec.xlsx", extracted))
    assert (again.content_digest, again.totals) == (report.content_digest, report.totals)


def test_a_spec_making_operating_costs_eligible_is_bounded_in_check_and_regenerate(
    example_dict, example_workbook, tmp_path, capsys
):
    """A spec that marks ordinary operating costs KDD-eligible: check --spec says so and holds
    them ineligible; regenerate --spec states it as a broken rule and --strict refuses it."""
    spec = budget_to_dict(edited(example_dict))
    [k] = [i for i, c in enumerate(spec["categories"]) if c["id"] == "drift"]
    spec["categories"][k]["kdd_eligible"] = True
    path = tmp_path / "drift.yaml"
    path.write_text(dump_spec(budget_from_dict(spec)), "utf-8")
    report = check_workbook(example_workbook, load_spec(path))
    [against] = [f for f in report.errors if f.code == "spec-against-scheme"]
    assert against.params["path"] == f"categories[{k}].kdd_eligible"
    out = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(example_workbook), "--spec", str(path), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "record-against-scheme" in err
    assert not any(c.kdd_eligible for c in read_edited(out).rules.categories if c.id == "drift")
    strict = tmp_path / "streng.xlsx"
    args = ["regenerate", str(example_workbook), "--spec", str(path), "-o", str(strict)]
    assert main([*args, "--strict"]) == 1
    assert not strict.exists()
