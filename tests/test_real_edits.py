"""Check, extract and regenerate the workbook as people really leave it (issue 11).

A corpus of real edits, made once per module: through LibreOffice over UNO (all of them in one
soffice run), a Gnumeric re-save, and Excel-shaped package XML. Each case asserts the exit code
of ``check`` and the finding at its cell; every benign case also proves that ``extract`` ->
``generate`` and ``regenerate`` keep every typed value and formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bygdevekst_xl.office import gnumeric_path, recalculate_gnumeric, soffice_path, uno_python
from tests import compare, edits
from tests.compare import same_inputs, typed_inputs
from tests.edits import (
    FRONT,
    P1,
    P2,
    P3,
    P4,
    P5,
    SUMMARY,
    Edit,
    check_json,
    codes,
    errors,
    findings_at,
)

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        soffice_path() is None or uno_python() is None, reason="LibreOffice with Python-UNO missing"
    ),
]

SHEETS = [FRONT, SUMMARY, P1, P2, P3, P4, P5, "Parametre"]
RENAMED = "3 Arbeidsliv og kompetanse"
COPY = "2 Boligbygging (2)"
PLANKONTOR_NEW = "4 Plankontor (felles)"
MAY_1_2024 = (dt.date(2024, 5, 1) - dt.date(1899, 12, 30)).days  # "1.5" typed in nb-NO


# --------------------------------------------------------------------------- the cases


def formula_constants(e: Edit) -> None:
    """Formulas without references typed into an amount and an hours cell; balance kept."""
    e.type(P2, "C7", "=12*35000", shows=420_000)
    e.type(P2, "C29", 420_000)  # Statsforvalteren pays the difference
    e.type(P4, "C19", "=3*50", shows=150)


def formula_links(e: Edit) -> None:
    """KDD as a plug (costs − Statsforvalteren), KDD linked to another project's KDD, and hours
    linked to another project's hours."""
    e.type(P1, "C28", "=C15-C29", shows=1_180_000)
    e.type(P4, "D28", "='2 Boligbygging'!D28", shows=90_000)
    e.type(P3, "C21", "='2 Boligbygging'!C20", shows=150)


def formula_category(e: Edit) -> None:
    """A category picked by a formula pointing at the category list."""
    e.type(P1, "A8", "=Parametre!" + e.address_of("Parametre", "Reiser"))
    e.expect(P1, "A8", string="Reiser")


def cap_breach(e: Edit) -> None:
    """Salary and KDD raised by 900 000 kr with formulas: KDD 4 010 000 kr > the cap."""
    e.type(P1, "C7", "=1050000+900000", shows=1_950_000)
    e.type(P1, "C28", "=1180000+900000", shows=2_080_000)
    e.expect(SUMMARY, "E47", string="Over taket")


def renamed_sheet(e: Edit) -> None:
    e.rename_sheet(P3, RENAMED)
    e.sheets_are([RENAMED if s == P3 else s for s in SHEETS])
    e.expect(SUMMARY, "B8", value=370_000)  # the combined sheet follows the rename


def note_above_cost_table(e: Edit) -> None:
    with e.unprotected(P2):
        e.insert_rows(P2, 6)
        e.type(P2, "A6", "Alle beløp er eks. mva.")
    e.expect(P2, "A7", string="Kategori")
    e.expect(P2, "C8", value=350_000)


def draft_stamp(e: Edit) -> None:
    with e.unprotected(P4):
        e.insert_rows(P4, 1)
        e.type(P4, "A1", "UTKAST – ikke send")
    e.expect(P4, "A7", string="Kategori")


def revision_notes(e: Edit) -> None:
    """A revision note row at the top of the combined sheet and of the Forside."""
    with e.unprotected(SUMMARY):
        e.insert_rows(SUMMARY, 1)
        e.type(SUMMARY, "A1", "Revidert 30.11. etter møte i styringsgruppen")
    e.expect(SUMMARY, "A6", string="2024")
    with e.unprotected(FRONT):
        e.insert_rows(FRONT, 1)
        e.type(FRONT, "A1", "Revisjon 2")
    e.expect(FRONT, "A5", string="Om søknaden")


def rows_between_blocks(e: Edit) -> None:
    """Rows inserted between the year blocks of the combined sheet and between the hours and
    the financing of a project sheet."""
    with e.unprotected(SUMMARY):
        e.insert_rows(SUMMARY, 13, 2)
        e.type(SUMMARY, "A13", "Andre prosjektår:")
    e.expect(SUMMARY, "A15", string="2025")
    with e.unprotected(P2):
        e.insert_rows(P2, 26)
    e.expect(P2, "A27", string="Finansiering")


def category_trailing_space(e: Edit) -> None:
    e.type(P1, "A8", "Reiser ")


def hidden_financing_row(e: Edit) -> None:
    """Statsforvalteren's row on Boligbygging, 350 000 kr in 2024, hidden."""
    e.hide_row(P2, 29)
    e.expect(P2, "C29", value=350_000)


def lone_space(e: Edit) -> None:
    """A lone space in an empty amount cell, and spaces in an empty category cell."""
    e.type(P1, "C10", " ")
    e.type(P1, "A11", "  ")


def stray_row_below_table(e: Edit) -> None:
    """A row of numbers typed just below a cost table's 'Sum kostnader', outside the table."""
    with e.unprotected(P2):
        e.type(P2, "C16", 10_000)
        e.type(P2, "D16", 10_000)


def stray_number_below_municipalities(e: Edit) -> None:
    """A number typed in the row below Parametre's municipality list."""
    with e.unprotected("Parametre"):
        e.type("Parametre", e.below_list("Parametre", "Kommuner"), 5_000)


def stray_number_below_projects(e: Edit) -> None:
    """A number typed in the row below Parametre's project register."""
    with e.unprotected("Parametre"):
        e.type("Parametre", e.below_list("Parametre", "Prosjekter").replace("A", "B"), 5_000)


def hours_as_date(e: Edit) -> None:
    """'1.5' hours typed in a Norwegian locale: the cell holds 1 May 2024, shown as a date."""
    e.type(P5, "C19", MAY_1_2024)
    e.number_format(P5, "C19", "DD.MM.YYYY")


def rows_inside_blocks(e: Edit) -> None:
    """A row inserted inside the 2024 block of the combined sheet, and a note row inside the
    Forside's key figures."""
    with e.unprotected(SUMMARY):
        e.insert_rows(SUMMARY, 8)
    e.expect(SUMMARY, "A9", string="Et variert arbeidsliv")
    with e.unprotected(FRONT):
        e.insert_rows(FRONT, 16)
        e.type(FRONT, "A16", "(tall per 30.11.)")
    e.expect(FRONT, "A17", string="Herav kontante kostnader")


def category_other_case(e: Edit) -> None:
    """'REISER' typed in capitals: Excel's SUMIF counts it as Reiser."""
    e.type(P1, "A8", "REISER")


def category_no_break_space(e: Edit) -> None:
    """'Kurs og kompetanse' with a no-break space: Excel's SUMIF does not count it."""
    e.type(P1, "A9", "Kurs og\u00a0kompetanse")


def hidden_hours(e: Edit) -> None:
    """The 2025 column of Arbeidsliv and Hasvik's hours row of Plankontor hidden."""
    e.hide_column(P3, 4)
    e.hide_row(P4, 20)
    e.expect(P4, "C20", value=120)


def pasted_values_sheet(e: Edit) -> None:
    """The combined sheet copied and pasted over itself as values: every formula gone."""
    with e.unprotected(SUMMARY):
        e.paste_values(SUMMARY, "A1:K53")
    e.expect(SUMMARY, "E27", value=3_110_000, formula=False)


def deleted_sheet(e: Edit) -> None:
    e.delete_sheet(P5)
    e.sheets_are([s for s in SHEETS if s != P5])


def copied_line(e: Edit) -> None:
    """A cost line copied into a spare row, KDD raised to pay for it."""
    with e.unprotected(P1):
        e.copy_paste(P1, "A9:D9", "A12")
    e.expect(P1, "A12", string="Kurs og kompetanse")
    e.expect(P1, "D12", value=40_000)
    e.type(P1, "C28", 1_220_000)
    e.type(P1, "D28", 1_250_000)


def cleared_amount(e: Edit) -> None:
    """An amount deleted (the cell cleared) and KDD lowered to match."""
    e.type(P5, "D9", None)
    e.type(P5, "D28", 30_000)


def unprotected_sheet(e: Edit) -> None:
    """A sheet unprotected to edit and left so."""
    e.unprotect(P2)
    e.type(P2, "B7", "Mulighetsstudie for minihus")


def parametre_note_row(e: Edit) -> None:
    """A note row inserted at the top of Parametre."""
    with e.unprotected("Parametre"):
        e.insert_rows("Parametre", 1)
        e.type("Parametre", "A1", "Oppdatert 30.11.")
    e.expect("Parametre", "B5", value=4_000_000)


def renamed_summary_sheet(e: Edit) -> None:
    e.rename_sheet(SUMMARY, "Samlet budsjett")
    e.expect(FRONT, "B17", value=3_110_000)  # the Forside follows the rename


def spare_row_deleted(e: Edit) -> None:
    """A spare row of Prosjektledelse's cost table deleted (whole row)."""
    with e.unprotected(P1):
        e.delete_rows(P1, 12)
    e.expect(P1, "A14", string="Sum kostnader")


def officer_session(e: Edit) -> None:
    """One afternoon's edits together: a sheet renamed, a note row above a cost table, a
    formula in an amount, lines sorted and a comment."""
    e.rename_sheet(P4, PLANKONTOR_NEW)
    with e.unprotected(P2):
        e.insert_rows(P2, 6)
        e.type(P2, "A6", "Alle beløp er eks. mva.")
    e.type(P2, "C8", "=12*35000", shows=420_000)
    e.type(P2, "C30", 420_000)
    with e.unprotected(P1):
        e.sort(P1, "A7:D9", 3, ascending=True)
    e.expect(P1, "C9", value=1_050_000)
    e.comment(P3, "C7", "Se vedtak i styringsgruppen")


def typed_values(e: Edit) -> None:
    """An amount changed (balance kept) and a new line typed into a spare row."""
    e.type(P2, "C8", 45_000)
    e.type(P2, "C29", 355_000)
    e.type(P3, "A11", "Kurs og kompetanse")
    e.type(P3, "B11", "Kurs for næringslivet")
    e.type(P3, "C11", 10_000)
    e.type(P3, "D11", 0)
    e.type(P3, "C30", 260_000)


def line_inserted_inside_table(e: Edit) -> None:
    """A whole row inserted inside a cost table (as the Forside says) and a line typed."""
    with e.unprotected(P2):
        e.insert_rows(P2, 10)
    e.type(P2, "A10", "Kurs og kompetanse")
    e.type(P2, "B10", "Kurs i tomteutvikling")
    e.type(P2, "C10", 20_000)
    e.type(P2, "D10", 0)
    e.type(P2, "C30", 370_000)


def sorted_lines(e: Edit) -> None:
    """Prosjektledelse's cost lines sorted by the 2024 amount, smallest first."""
    with e.unprotected(P1):
        e.sort(P1, "A7:D9", 3, ascending=True)
    e.expect(P1, "A7", string="Kurs og kompetanse")
    e.expect(P1, "C9", value=1_050_000)


def column_inserted(e: Edit) -> None:
    """A column for remarks inserted left of the first year in Boligbygging's tables, headed
    and used for one note (LibreOffice moves every reference and name with it)."""
    with e.unprotected(P2):
        e.insert_columns(P2, 3)
        e.type(P2, "C6", "Merknad")
        e.type(P2, "C8", "avklart med rådmannen")
    e.expect(P2, "D7", value=350_000)


def column_between_years(e: Edit) -> None:
    """An empty column inserted between the two years of Boligbygging's tables."""
    with e.unprotected(P2):
        e.insert_columns(P2, 4)
    e.expect(P2, "C7", value=350_000)


def column_deleted(e: Edit) -> None:
    """The 2025 column deleted from Boligbygging's tables: its amounts are gone."""
    with e.unprotected(P2):
        e.delete_columns(P2, 4)
    e.expect(P2, "D6", string="Sum")


def summary_column_inserted(e: Edit) -> None:
    """A column inserted at C of the combined sheet, with a note typed in it (LibreOffice moves
    every reference, name and chart with it)."""
    with e.unprotected(SUMMARY):
        e.insert_columns(SUMMARY, 3)
        e.type(SUMMARY, "C8", "merknad")
    e.expect(SUMMARY, "F21", string="KDD")


def summary_column_at_a(e: Edit) -> None:
    """An empty column inserted at A of the combined sheet: every label moves to column B."""
    with e.unprotected(SUMMARY):
        e.insert_columns(SUMMARY, 1)
    e.expect(SUMMARY, "B21", string="Sum 2024–2025")


def front_column_at_a(e: Edit) -> None:
    """A column inserted at A of the Forside, a margin with a note in it: the labels move to B
    and the figures to C."""
    with e.unprotected("Forside"):
        e.insert_columns("Forside", 1)
        e.type("Forside", "A3", "utkast til styringsgruppen")
    e.expect("Forside", "B" + e.address_of("Forside", "Kontroller")[1:], string="Kontroller")


def summary_column_deleted(e: Edit) -> None:
    """The in-kind column (C) deleted from the combined sheet: its formulas are gone."""
    with e.unprotected(SUMMARY):
        e.delete_columns(SUMMARY, 3)
    e.expect(SUMMARY, "C21", string="Sum kostnader inkl. egeninnsats")


def parametre_column_inserted(e: Edit) -> None:
    """A column inserted at B of Parametre, with a note typed beside the hourly rate: the values,
    the years, the KDD flags and the project ids move to C."""
    with e.unprotected("Parametre"):
        e.insert_columns("Parametre", 2)
        e.type("Parametre", "B5", "sjekket")
    e.expect("Parametre", "C36", string="prosjektledelse")


def parametre_column_at_a(e: Edit) -> None:
    """An empty column inserted at A of Parametre: every label, municipality and category name
    moves to column B."""
    with e.unprotected("Parametre"):
        e.insert_columns("Parametre", 1)
    e.expect("Parametre", "B17", string="Hammerfest")


def parametre_column_and_formula_category(e: Edit) -> None:
    """A column inserted at A of Parametre, then a category picked by a formula pointing at the
    category list where it is now (column B)."""
    with e.unprotected("Parametre"):
        e.insert_columns("Parametre", 1)
    e.type(P1, "A8", "=Parametre!B" + e.address_of("Parametre", "Reiser")[1:])  # A in the source
    e.expect(P1, "A8", string="Reiser")


def parametre_column_deleted(e: Edit) -> None:
    """Column D of Parametre deleted: the category notes and the register's sheet names."""
    with e.unprotected("Parametre"):
        e.delete_columns("Parametre", 4)
    e.expect("Parametre", "D35", string="Arbeidsgruppe")


def parametre_values_deleted(e: Edit) -> None:
    """Column B of Parametre deleted: the cap, the hourly rate, the facts, the first year, the
    KDD flags and the project ids."""
    with e.unprotected("Parametre"):
        e.delete_columns("Parametre", 2)
    e.expect("Parametre", "B35", string="Navn")


def hours_sorted(e: Edit) -> None:
    """Boligbygging's hours table sorted by municipality, Z to A."""
    with e.unprotected(P2):
        e.sort(P2, "A19:D21", 1, ascending=False)
    e.expect(P2, "A19", string="Måsøy")


def cut_paste_line(e: Edit) -> None:
    """Boligbygging's second line cut and pasted into a spare row further down."""
    with e.unprotected(P2):
        e.cut_paste(P2, "A8:D8", "A12")
    e.expect(P2, "A12", string="Arbeidsgrupper")
    e.expect(P2, "A8", empty=True)


def copied_sheet(e: Edit) -> None:
    e.copy_sheet(P2, COPY, len(SHEETS) + 1)
    e.sheets_are([*SHEETS, COPY])


def moved_sheet(e: Edit) -> None:
    e.move_sheet(P5, 3)
    e.sheets_are([FRONT, SUMMARY, P5, P1, P2, P3, P4, "Parametre"])


def comments_widths_filter(e: Edit) -> None:
    e.comment(P2, "C7", "Tallet er avklart med Hasvik")
    e.width(P2, 2, 12_000)
    with e.unprotected(P1):
        e.autofilter(P1, "A6:E14")


def ods_round_trip(e: Edit) -> None:
    e.ods_round_trip()
    e.expect(P1, "C7", value=1_050_000)


LIBREOFFICE_CASES = {
    f.__name__: f
    for f in (
        formula_constants,
        formula_links,
        cap_breach,
        renamed_sheet,
        note_above_cost_table,
        draft_stamp,
        revision_notes,
        rows_between_blocks,
        category_trailing_space,
        hidden_financing_row,
        lone_space,
        stray_row_below_table,
        stray_number_below_municipalities,
        stray_number_below_projects,
        hours_as_date,
        rows_inside_blocks,
        category_other_case,
        category_no_break_space,
        hidden_hours,
        pasted_values_sheet,
        deleted_sheet,
        formula_category,
        copied_line,
        cleared_amount,
        unprotected_sheet,
        parametre_note_row,
        renamed_summary_sheet,
        spare_row_deleted,
        officer_session,
        typed_values,
        line_inserted_inside_table,
        sorted_lines,
        column_inserted,
        column_between_years,
        column_deleted,
        summary_column_inserted,
        summary_column_at_a,
        front_column_at_a,
        summary_column_deleted,
        parametre_column_inserted,
        parametre_column_at_a,
        parametre_column_and_formula_category,
        parametre_column_deleted,
        parametre_values_deleted,
        hours_sorted,
        cut_paste_line,
        copied_sheet,
        moved_sheet,
        comments_widths_filter,
        ods_round_trip,
    )
}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real-edits")


@pytest.fixture(scope="module")
def corpus(example_workbook: Path, work: Path) -> dict[str, Path]:
    """Every edited workbook of this module, the LibreOffice ones from one soffice run."""
    built = edits.build_with_libreoffice(example_workbook, work, LIBREOFFICE_CASES)
    built["shared_formulas"] = edits.shared_line_formulas(
        example_workbook, work / "shared_formulas.xlsx", P1, 7, 14
    )
    built["shared_inputs"] = edits.shared_input_formulas(
        example_workbook,
        work / "shared_inputs.xlsx",
        P2,
        ["C19", "D19", "C20", "D20", "C21", "D21"],
        "3*50",
    )
    built["calc_chain"] = edits.with_calc_chain(example_workbook, work / "calc_chain.xlsx")
    built["indented_properties"] = edits.indented_custom_properties(
        example_workbook, work / "indented_properties.xlsx"
    )
    return built


@pytest.fixture(scope="module")
def gnumeric_saved(example_workbook: Path, work: Path) -> Path:
    if gnumeric_path() is None:
        pytest.skip("Gnumeric (ssconvert) missing")
    return recalculate_gnumeric(example_workbook, work / "gnumeric.xlsx")


@pytest.fixture(scope="module")
def original(example_workbook: Path) -> dict[compare.Key, Any]:
    """Every input of the generated workbook, by meaning."""
    return typed_inputs(example_workbook)


_checked: dict[Path, tuple[int, dict[str, Any]]] = {}


def checked(path: Path) -> tuple[int, dict[str, Any]]:
    """``check --json`` of a corpus workbook, run once per module."""
    if path not in _checked:
        _checked[path] = check_json(path)
    return _checked[path]


def changed(inputs: dict[compare.Key, Any], **by_key: Any) -> dict[compare.Key, Any]:
    """A copy of an input listing with some inputs changed (None: cleared); each keyword is a
    key spelled ``project__table__item__column`` (item empty for KDD and Statsforvalteren)."""
    out = dict(inputs)
    for dotted, value in by_key.items():
        project, table, item, column = dotted.split("__")
        key = (
            project,
            table,
            int(item) if table == "cost" else item,
            int(column) if column.isdigit() else column,
        )
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def keeps_inputs(workbook: Path, expected: dict[compare.Key, Any], work: Path) -> None:
    """The reader finds exactly *expected* in *workbook*; extract -> generate keeps every value
    and regenerate every typed value and formula."""
    assert same_inputs(typed_inputs(workbook), expected) == []
    code, generated, said = edits.extract_and_generate(workbook, work)
    assert code == 0, said
    assert same_inputs(typed_inputs(generated), typed_inputs(workbook, cached=True)) == []
    code, regenerated, said = edits.regenerate_to(workbook, work)
    assert code == 0, said
    assert same_inputs(typed_inputs(regenerated), expected) == []


def same_spec_and_digest(workbook: Path, original: Path, work: Path) -> None:
    """extract gives the original's spec (the pilot's facts, categories and register included)
    and regenerate a workbook with the original's content id."""
    specs = []
    for path in (workbook, original):
        spec = work / f"{path.stem}.spec.yaml"
        assert edits.run_cli("extract", path, "-o", spec, "--force")[0] == 0
        specs.append(spec.read_text(encoding="utf-8").split("\n", 1)[1])  # after "from <file>"
    assert specs[0] == specs[1]
    code, regenerated, said = edits.regenerate_to(workbook, work)
    assert code == 0, said
    assert checked(regenerated)[1]["content_digest"] == checked(original)[1]["content_digest"]


def assert_clean(path: Path) -> dict[str, Any]:
    """check exits 0 with no error; returns the report."""
    code, report = checked(path)
    assert errors(report) == [] and code == 0, report["findings"][:5]
    return report


# --------------------------------------------------------------------------- ordinary daily edits


def test_typed_values_and_a_new_line_check_clean_and_are_kept(corpus, original, work):
    """Amounts changed with the balance kept and a line typed into a spare row: check exits 0
    with no finding, and extract/regenerate keep every input."""
    code, report = checked(corpus["typed_values"])
    assert (code, report["findings"]) == (0, [])
    expected = changed(
        original,
        boligbygging__cost__1__2024=45_000,
        boligbygging__statsforvalteren____2024=355_000,
        arbeidsliv__cost__4__category="Kurs og kompetanse",
        arbeidsliv__cost__4__description="Kurs for næringslivet",
        arbeidsliv__cost__4__2024=10_000,
        arbeidsliv__cost__4__2025=0,
        arbeidsliv__statsforvalteren____2024=260_000,
    )
    keeps_inputs(corpus["typed_values"], expected, work)


def test_a_line_inserted_inside_a_cost_table_checks_clean_and_is_kept(corpus, original, work):
    """A whole row inserted inside the cost table, as the Forside says, holds a counted line:
    no error, and the line survives extract and regenerate."""
    report = assert_clean(corpus["line_inserted_inside_table"])
    assert report["totals"]["costs"] == 4_860_000 + 20_000
    lines = [
        compare.cost_line(typed_inputs(corpus["line_inserted_inside_table"]), "boligbygging", i)
        for i in range(4)
    ]
    assert ("Kurs og kompetanse", "Kurs i tomteutvikling", 20_000, 0) in lines
    expected = typed_inputs(corpus["line_inserted_inside_table"])
    assert (
        same_inputs(
            {k: v for k, v in expected.items() if k[0] != "boligbygging"},
            {k: v for k, v in original.items() if k[0] != "boligbygging"},
        )
        == []
    )
    keeps_inputs(corpus["line_inserted_inside_table"], expected, work)


def test_sorted_cost_lines_check_clean_and_are_kept(corpus, original, work):
    """Cost lines sorted in LibreOffice: check exits 0, and the lines (in their new order) are
    kept by extract and regenerate."""
    path = corpus["sorted_lines"]
    assert_clean(path)
    found = typed_inputs(path)
    old = [compare.cost_line(original, "prosjektledelse", i) for i in range(3)]
    assert [compare.cost_line(found, "prosjektledelse", i) for i in range(3)] == old[::-1]
    keeps_inputs(path, found, work)


def test_a_column_inserted_in_the_tables_is_a_warning_and_every_value_is_kept(
    corpus, original, work, example_workbook
):
    """A remarks column inserted left of the first year: the columns are found by their headers,
    the note in it is one column-inserted warning, the totals and content id are the
    original's, and extract and regenerate keep every input."""
    path = corpus["column_inserted"]
    code, report = checked(path)
    assert code == 0 and errors(report) == [], report["findings"][:5]
    assert [(f["code"], f["cell"]) for f in findings_at(report, P2, "C6")] == [
        ("column-inserted", "C6")
    ]
    assert report["totals"]["costs"] == 4_860_000
    assert report["content_digest"] == checked(example_workbook)[1]["content_digest"]
    assert same_inputs(typed_inputs(path), original) == []
    keeps_inputs(path, original, work)


def test_an_empty_column_between_the_years_changes_nothing(corpus, original, work):
    """An empty column between the two years: no finding, every input kept."""
    path = corpus["column_between_years"]
    code, report = checked(path)
    assert code == 0 and report["findings"] == [], report["findings"][:5]
    keeps_inputs(path, original, work)


def test_a_deleted_year_column_is_an_error_and_extract_refuses(corpus, work):
    """The 2025 column deleted: one column-deleted error at its header with what follows
    under it; extract and regenerate refuse, writing nothing."""
    path = corpus["column_deleted"]
    code, report = checked(path)
    assert code == 1
    [cause] = [f for f in report["findings"] if f["code"] == "column-deleted"]
    assert (cause["sheet"], cause["cell"]) == (P2, "D6")
    assert "2025" in cause["message"]
    assert edits.run_cli("extract", str(path))[0] == 1
    out = work / "slettet-ny.xlsx"
    assert edits.run_cli("regenerate", str(path), "-o", str(out))[0] == 1
    assert not out.exists()


def test_a_note_column_in_the_combined_sheet_is_one_warning_and_every_value_is_kept(
    corpus, original, work, example_workbook
):
    """A column inserted at C of the combined sheet with a note in it: the columns are found by
    the whole period's header, the note is one column-inserted warning at its cell, the totals
    and content id are the original's, and extract and regenerate keep every input (before:
    246 errors)."""
    path = corpus["summary_column_inserted"]
    code, report = checked(path)
    assert code == 0, report["findings"][:5]
    assert [(f["code"], f["sheet"], f["cell"]) for f in report["findings"]] == [
        ("column-inserted", SUMMARY, "C8")
    ]
    assert report["totals"] == checked(example_workbook)[1]["totals"]
    assert report["content_digest"] == checked(example_workbook)[1]["content_digest"]
    keeps_inputs(path, original, work)
    same_spec_and_digest(path, example_workbook, work)
    assert f"{SUMMARY}!C8" in edits.regenerate_to(path, work)[2]  # not carried: said so


def test_an_empty_column_at_a_of_the_combined_sheet_changes_nothing(corpus, original, work):
    """An empty column inserted at A of the combined sheet (every label in B): no finding,
    every input kept (before: 290 errors)."""
    path = corpus["summary_column_at_a"]
    code, report = checked(path)
    assert code == 0 and report["findings"] == [], report["findings"][:5]
    keeps_inputs(path, original, work)


def test_a_column_inserted_at_a_of_the_forside_is_one_warning_and_nothing_is_lost(
    corpus, original, work, example_workbook
):
    """A margin column inserted at A of the Forside with a note in it: the sheet's columns are
    found by its fixed headings, the note is one column-inserted warning, totals and content id
    are the original's and every input is kept (before: 53 errors)."""
    path = corpus["front_column_at_a"]
    code, report = checked(path)
    assert code == 0, report["findings"][:5]
    assert [(f["code"], f["sheet"], f["cell"]) for f in report["findings"]] == [
        ("column-inserted", "Forside", "A3")
    ]
    assert report["totals"] == checked(example_workbook)[1]["totals"]
    assert report["content_digest"] == checked(example_workbook)[1]["content_digest"]
    keeps_inputs(path, original, work)
    same_spec_and_digest(path, example_workbook, work)


def test_a_deleted_column_of_the_combined_sheet_is_one_error_and_nothing_is_lost(
    corpus, original, work
):
    """The in-kind column of the combined sheet deleted: one column-deleted error at its
    header with the #REF! cascade under it; no typed value was in it, so extract and regenerate
    go on, and regenerate lays the column out again."""
    path = corpus["summary_column_deleted"]
    code, report = checked(path)
    assert code == 1
    [cause] = report["findings"]
    assert (cause["code"], cause["sheet"], cause["cell"]) == ("column-deleted", SUMMARY, "C21")
    assert "Egeninnsats" in cause["message"] and cause["consequences"]
    assert report["totals"]["costs"] == 4_860_000
    keeps_inputs(path, original, work)
    _, regenerated, _ = edits.regenerate_to(path, work)
    assert checked(regenerated)[1]["findings"] == []


def test_a_column_inserted_in_parametre_is_a_warning_and_every_value_is_kept(
    corpus, original, work, example_workbook
):
    """A column inserted at B of Parametre with a note beside the hourly rate: the register,
    facts, categories and years are found by the register's header (before: refused as not
    ours), the note is one column-inserted warning at its cell, the totals and content id are
    the original's, and extract and regenerate keep every input."""
    path = corpus["parametre_column_inserted"]
    code, report = checked(path)
    assert code == 0, report["findings"][:5]
    assert [(f["code"], f["sheet"], f["cell"]) for f in report["findings"]] == [
        ("column-inserted", "Parametre", "B5")
    ]
    assert report["totals"] == checked(example_workbook)[1]["totals"]
    assert report["content_digest"] == checked(example_workbook)[1]["content_digest"]
    keeps_inputs(path, original, work)
    same_spec_and_digest(path, example_workbook, work)
    assert "Parametre!B5" in edits.regenerate_to(path, work)[2]  # not carried: said so
    code, said, _ = edits.run_cli("diff", str(example_workbook), str(path), "--json")
    assert code == 0 and '"differs": false' in said


def test_an_empty_column_at_a_of_parametre_changes_nothing(
    corpus, original, work, example_workbook
):
    """An empty column inserted at A of Parametre (municipalities and category names in B): no
    finding, the same spec and every input kept."""
    path = corpus["parametre_column_at_a"]
    code, report = checked(path)
    assert code == 0 and report["findings"] == [], report["findings"][:5]
    keeps_inputs(path, original, work)
    same_spec_and_digest(path, example_workbook, work)


def test_a_formula_category_into_a_moved_parametre_column_is_carried_to_its_category(
    corpus, original, work, example_workbook
):
    """A category typed as =Parametre!B<n> after a column was inserted at A of Parametre:
    counted under Reiser (a warning at the cell naming what it depends on), and regenerate,
    which writes Parametre without the inserted column, points the formula at Reiser's cell
    there (column A), not at the column B it names now."""
    path = corpus["parametre_column_and_formula_category"]
    code, report = checked(path)
    assert code == 0 and errors(report) == [], report["findings"][:5]
    assert [f["severity"] for f in report["findings"]] == ["warning"]
    reiser = Edit(example_workbook).address_of("Parametre", "Reiser")
    assert reiser.startswith("A")
    code, regenerated, said = edits.regenerate_to(path, work)
    assert code == 0, said
    expected = changed(original, prosjektledelse__cost__1__category=f"=Parametre!{reiser}")
    assert same_inputs(typed_inputs(regenerated), expected) == []


def test_a_deleted_parametre_column_is_an_error_and_extract_refuses(corpus, work):
    """Column D of Parametre deleted (the register's sheet names, the category notes): one
    column-deleted error at its header; extract and regenerate refuse naming it, writing
    nothing."""
    path = corpus["parametre_column_deleted"]
    code, report = checked(path)
    assert code == 1
    assert [(f["code"], f["sheet"], f["cell"]) for f in report["findings"]] == [
        ("column-deleted", "Parametre", "D35")
    ]
    assert "Ark" in report["findings"][0]["message"]
    code, stdout, stderr = edits.run_cli("extract", str(path))
    assert code == 1 and "Parametre!D35" in stdout + stderr
    out = work / "parametre-slettet-ny.xlsx"
    code, stdout, stderr = edits.run_cli("regenerate", str(path), "-o", str(out))
    assert code == 1 and "Parametre!D35" in stdout + stderr
    assert not out.exists()


def test_a_deleted_column_of_parametre_values_is_one_error_with_its_cascade_under_it(corpus, work):
    """Column B of Parametre deleted (cap, hourly rate, facts, a year, KDD flags, project
    ids): the projects are still found by their sheets' names, one column-deleted error at the
    register's header holds the #REF! cascade and the emptied facts (before: 444 errors), the
    totals are still computed, and extract and regenerate refuse naming it."""
    path = corpus["parametre_values_deleted"]
    code, report = checked(path)
    assert code == 1
    [cause] = report["findings"]
    assert (cause["code"], cause["sheet"], cause["cell"]) == ("column-deleted", "Parametre", "B35")
    assert "error-value" in {c["code"] for c in cause["consequences"]}
    assert report["totals"]["costs"] == 4_860_000
    code, stdout, stderr = edits.run_cli("extract", str(path))
    assert code == 1 and "Parametre!B35" in stdout + stderr
    out = work / "parametre-verdier-slettet-ny.xlsx"
    code, stdout, stderr = edits.run_cli("regenerate", str(path), "-o", str(out))
    assert code == 1 and "Parametre!B35" in stdout + stderr
    assert not out.exists()


def test_sorted_hours_check_clean_and_are_kept(corpus, original, work):
    """The hours table sorted Z to A: each municipality's hours are found by its name, no
    finding (before: label-changed warnings), every input kept."""
    path = corpus["hours_sorted"]
    code, report = checked(path)
    assert code == 0 and report["findings"] == [], report["findings"][:5]
    keeps_inputs(path, original, work)


def test_a_line_cut_and_pasted_checks_clean_and_is_kept(corpus, original, work):
    """A cost line cut and pasted into a spare row: check exits 0 and every line is kept."""
    path = corpus["cut_paste_line"]
    assert_clean(path)
    found = typed_inputs(path)
    old = [compare.cost_line(original, "boligbygging", i) for i in range(3)]
    assert [compare.cost_line(found, "boligbygging", i) for i in range(3)] == [
        old[0],
        old[2],
        old[1],
    ]
    keeps_inputs(path, found, work)


def test_a_copied_sheet_is_an_extra_sheet_and_nothing_is_lost(corpus, original, work):
    """A copy of a project sheet is one sheet-extra warning naming the copy; every input is
    kept."""
    report = assert_clean(corpus["copied_sheet"])
    assert [(f["code"], f["sheet"]) for f in report["findings"]] == [("sheet-extra", COPY)]
    keeps_inputs(corpus["copied_sheet"], original, work)


def test_a_moved_sheet_checks_clean_and_is_kept(corpus, original, work):
    """A project sheet moved to another tab position: check exits 0, every input is kept."""
    assert_clean(corpus["moved_sheet"])
    keeps_inputs(corpus["moved_sheet"], original, work)


def test_comments_widths_and_autofilter_check_clean_and_are_kept(corpus, original, work):
    """A comment, a wider column and an AutoFilter on a cost table: no error, nothing lost."""
    assert_clean(corpus["comments_widths_filter"])
    keeps_inputs(corpus["comments_widths_filter"], original, work)


def test_an_ods_round_trip_checks_clean_and_is_kept(corpus, original, work):
    """Saved as .ods and back to .xlsx in LibreOffice: no error, every input kept."""
    assert_clean(corpus["ods_round_trip"])
    keeps_inputs(corpus["ods_round_trip"], original, work)


def test_a_deleted_spare_row_checks_clean_and_is_kept(corpus, original, work):
    """A spare cost row deleted (whole row): the table shrinks with its sums, check exits 0
    with no finding, and every input is kept."""
    code, report = checked(corpus["spare_row_deleted"])
    assert (code, report["findings"]) == (0, [])
    keeps_inputs(corpus["spare_row_deleted"], original, work)


def test_an_afternoon_of_edits_together_checks_clean_and_is_kept(corpus, original, work):
    """A renamed sheet, a note row above a cost table, a formula in an amount, sorted lines and
    a comment in one workbook: check exits 0 with warnings at most, and every typed value and
    formula is kept by extract and regenerate."""
    path = corpus["officer_session"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert report["totals"]["costs"] == 4_860_000 + 70_000
    expected = changed(
        original,
        boligbygging__cost__0__2024="=12*35000",
        boligbygging__statsforvalteren____2024=420_000,
    )
    lines = [compare.cost_line(original, "prosjektledelse", i) for i in range(3)]
    for i, (category, description, *amounts) in enumerate(reversed(lines)):
        expected[("prosjektledelse", "cost", i, "category")] = category
        expected[("prosjektledelse", "cost", i, "description")] = description
        for year, amount in zip(compare.YEARS, amounts, strict=True):
            expected[("prosjektledelse", "cost", i, year)] = amount
    keeps_inputs(path, expected, work)


def test_a_copied_line_checks_clean_and_is_kept(corpus, original, work):
    """A cost line copied into a spare row and KDD raised to match: check exits 0, and both
    copies of the line are kept."""
    path = corpus["copied_line"]
    code, report = checked(path)
    assert (code, report["findings"]) == (0, [])
    line = compare.cost_line(original, "prosjektledelse", 2)
    expected = changed(
        original,
        prosjektledelse__kdd____2024=1_220_000,
        prosjektledelse__kdd____2025=1_250_000,
    )
    for column, value in zip(("category", "description", *compare.YEARS), line, strict=True):
        expected[("prosjektledelse", "cost", 3, column)] = value
    keeps_inputs(path, expected, work)


def test_a_cleared_amount_checks_clean_and_is_kept(corpus, original, work):
    """An amount cleared with the balance kept: check exits 0, and the cleared cell stays
    empty (or 0) through extract and regenerate."""
    path = corpus["cleared_amount"]
    code, report = checked(path)
    assert (code, report["findings"]) == (0, [])
    expected = changed(
        original,
        markedsforing__cost__2__2025=None,
        markedsforing__kdd____2025=30_000,
    )
    keeps_inputs(path, expected, work)


def test_a_sheet_left_unprotected_is_a_warning(corpus, original, work):
    """A sheet unprotected to edit a description and left so: a protection-lost warning,
    exit 0, the new description kept."""
    path = corpus["unprotected_sheet"]
    code, report = checked(path)
    assert code == 0
    assert ("protection-lost", P2) in {(f["code"], f["sheet"]) for f in report["findings"]}
    expected = changed(original, boligbygging__cost__0__description="Mulighetsstudie for minihus")
    keeps_inputs(path, expected, work)


# --------------------------------------------------------------------------- formulas in inputs


def test_formulas_without_references_are_ordinary_inputs(corpus, original, work):
    """=12*35000 in an amount and =3*50 in hours count as 420 000 kr and 150 hours: check
    exits 0 with no finding at those cells; extract writes the values, regenerate the formulas."""
    path = corpus["formula_constants"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert findings_at(report, P2, "C7") == [] and findings_at(report, P4, "C19") == []
    assert report["totals"]["costs"] == 4_860_000 + 70_000
    assert report["totals"]["in_kind"] == 2_436_000 + 30 * 700
    expected = changed(
        original,
        boligbygging__cost__0__2024="=12*35000",
        boligbygging__statsforvalteren____2024=420_000,
        plankontor__hours__Hammerfest__2024="=3*50",
    )
    keeps_inputs(path, expected, work)
    code, _, said = edits.extract_and_generate(path, work)
    assert code == 0 and f"{P2}" in said and "C7" in said  # extract names the formula inputs


def test_inputs_linked_to_other_cells_are_counted_and_named(corpus, original, work):
    """KDD as a plug (=C15-C29), KDD and hours linked to another project's: counted at their
    values (check exits 0), each a warning at its cell naming what it depends on; extract
    writes the values and regenerate the formulas."""
    path = corpus["formula_links"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert report["totals"]["kdd"] == 3_110_000
    plug, link = findings_at(report, P1, "C28"), findings_at(report, P4, "D28")
    assert [f["severity"] for f in plug] == ["warning"] and "C15" in plug[0]["message"]
    assert [f["severity"] for f in link] == ["warning"] and P2 in link[0]["message"]
    hours = findings_at(report, P3, "C21")
    assert [f["severity"] for f in hours] == ["warning"] and P2 in hours[0]["message"]
    expected = changed(
        original,
        prosjektledelse__kdd____2024="=C15-C29",
        plankontor__kdd____2025="='2 Boligbygging'!D28",
        arbeidsliv__hours__Hasvik__2024="='2 Boligbygging'!C20",
    )
    keeps_inputs(path, expected, work)


def test_a_cap_breach_made_with_formulas_is_found(corpus):
    """Salary and KDD raised with =1050000+900000 and =1180000+900000: check exits 1 with
    kdd-over-cap, and KDD is 4 010 000 kr, as the workbook's own rule says ("Over taket")."""
    code, report = checked(corpus["cap_breach"])
    assert code == 1
    assert ("kdd-over-cap", SUMMARY, "E27") in compare.places(report["findings"])
    assert report["totals"]["kdd"] == 4_010_000
    assert {f["code"] for f in errors(report)} == {"kdd-over-cap"}


# --------------------------------------------------------------------------- sheets and rows moved


def test_a_renamed_project_sheet_is_one_warning_and_keeps_its_project(corpus, original, work):
    """'3 Arbeidsliv' renamed (LibreOffice renames every reference with it): check exits 0 with
    one warning naming the old and the new name; extract and regenerate keep all its inputs."""
    path = corpus["renamed_sheet"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    [warning] = report["findings"]
    assert P3 in warning["message"] and RENAMED in warning["message"]
    assert report["totals"]["costs"] == 4_860_000
    keeps_inputs(path, original, work)


def test_a_note_row_above_a_cost_table_changes_nothing(corpus, original, work):
    """'Alle beløp er eks. mva.' in a row inserted above the cost table: at most a
    text-outside-table warning at that cell; every input is kept."""
    path = corpus["note_above_cost_table"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert codes(report) <= {"text-outside-table"}
    assert report["totals"]["costs"] == 4_860_000
    keeps_inputs(path, original, work)


def test_a_draft_stamp_at_the_top_of_a_project_sheet_changes_nothing(corpus, original, work):
    """A draft stamp in a row inserted at the top of a project sheet: no error, inputs kept."""
    path = corpus["draft_stamp"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert codes(report) <= {"text-outside-table"}
    keeps_inputs(path, original, work)


def test_revision_notes_at_the_top_of_the_combined_sheet_and_forside(corpus, original, work):
    """Revision notes in rows inserted at the top of the combined sheet and of the Forside: no
    error, inputs kept."""
    path = corpus["revision_notes"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert codes(report) <= {"text-outside-table"}
    keeps_inputs(path, original, work)


def test_rows_between_blocks_change_nothing(corpus, original, work):
    """Rows inserted between the year blocks of the combined sheet and between the hours and
    the financing of a project sheet: no error, inputs kept."""
    path = corpus["rows_between_blocks"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert codes(report) <= {"text-outside-table"}
    keeps_inputs(path, original, work)


def test_a_renamed_combined_sheet_is_a_warning_at_most(corpus, original, work):
    """The combined sheet renamed (the Forside's references follow it): check exits 0 with a
    warning naming the old and the new name; every input is kept."""
    path = corpus["renamed_summary_sheet"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert any("Samlet budsjett" in f["message"] for f in report["findings"])
    keeps_inputs(path, original, work)


def test_a_note_row_at_the_top_of_parametre_changes_nothing(corpus, original, work):
    """A note row inserted at the top of Parametre: no error, the cap still 4 000 000 kr, and
    every input kept."""
    path = corpus["parametre_note_row"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert codes(report) <= {"text-outside-table"}
    assert report["totals"]["kdd_cap"] == 4_000_000
    keeps_inputs(path, original, work)


def test_a_category_chosen_by_a_formula_is_counted(corpus, original, work, example_workbook):
    """A category cell holding =Parametre!A<n> (the list's 'Reiser'): counted under Reiser (no category
    finding, exit 0), a warning at the cell naming what it depends on; regenerate keeps the
    formula."""
    path = corpus["formula_category"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    at_cell = findings_at(report, P1, "A8")
    assert [f["severity"] for f in at_cell] == ["warning"]
    reiser = Edit(example_workbook).address_of("Parametre", "Reiser")
    expected = changed(original, prosjektledelse__cost__1__category=f"=Parametre!{reiser}")
    assert same_inputs(typed_inputs(path), expected) == []
    code, regenerated, said = edits.regenerate_to(path, work)
    assert code == 0, said
    assert same_inputs(typed_inputs(regenerated), expected) == []


# --------------------------------------------------------------------------- small things people do


def test_a_category_with_a_trailing_space_is_unknown_at_its_cell(corpus):
    """'Reiser ' is not counted by the workbook's SUMIF ("Mangler kategori"): check exits 1
    with category-unknown at 1 Prosjektledelse!A8."""
    code, report = checked(corpus["category_trailing_space"])
    assert code == 1
    assert "category-unknown" in {f["code"] for f in findings_at(report, P1, "A8")}


def test_a_hidden_financing_row_with_money_is_a_warning(corpus):
    """Statsforvalteren's row (350 000 kr) hidden: a hidden-row warning on that row; exit 0."""
    code, report = checked(corpus["hidden_financing_row"])
    assert code == 0
    hidden = [f for f in report["findings"] if f["code"] == "hidden-row"]
    assert hidden and all(f["severity"] == "warning" for f in hidden)
    assert {(f["sheet"], (f["cell"] or "")[1:]) for f in hidden} == {(P2, "29")}


def test_a_lone_space_in_an_empty_amount_cell_is_blank(corpus, original, work):
    """' ' typed into an empty amount cell and '  ' into an empty category cell are blank: no
    error (a warning at most), and extract and regenerate go through with every input kept."""
    path = corpus["lone_space"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    keeps_inputs(path, original, work)


def test_a_number_row_below_a_cost_table_is_found_at_its_cells(corpus):
    """Numbers typed below a cost table's 'Sum kostnader': exit 1, value-outside-table at each
    cell first, and nothing else."""
    code, report = checked(corpus["stray_row_below_table"])
    assert code == 1
    found = [(f["code"], f["sheet"], f["cell"]) for f in report["findings"]]
    assert found == [("value-outside-table", P2, "C16"), ("value-outside-table", P2, "D16")]


@pytest.mark.parametrize(
    ("case", "heading", "column"),
    [
        ("stray_number_below_municipalities", "Kommuner", "A"),
        ("stray_number_below_projects", "Prosjekter", "B"),
    ],
)
def test_a_stray_number_below_a_parametre_table_names_the_cause_first(
    corpus, example_workbook, case, heading, column
):
    """A number typed below a Parametre table: exit 1, the first finding is the cause at its
    cell, and the consequences are counted under it, not listed as many equal errors."""
    cell = column + Edit(example_workbook).below_list("Parametre", heading)[1:]
    code, report = checked(corpus[case])
    assert code == 1
    first = report["findings"][0]
    assert (first["severity"], first["sheet"], first["cell"]) == ("error", "Parametre", cell)
    assert len(report["findings"]) <= 5


def test_hours_formatted_as_a_date_are_an_error_at_the_cell(corpus):
    """'1.5' hours typed in a Norwegian locale become 1 May 2024 (45 413): number-as-date,
    an error at the cell (exit 1) saying 1.5 was probably typed; no one budgets 45 413 hours."""
    code, report = checked(corpus["hours_as_date"])
    assert code == 1
    at_cell = findings_at(report, P5, "C19")
    assert [(f["code"], f["severity"]) for f in at_cell] == [("number-as-date", "error")]
    assert "«1.5»" in at_cell[0]["message"]


def test_rows_inside_blocks_of_the_combined_sheet_and_forside_change_nothing(
    corpus, original, work
):
    """A row inserted inside the 2024 block of the combined sheet and a note row inside the
    Forside's key figures: no error, at most text-outside-table; inputs kept."""
    path = corpus["rows_inside_blocks"]
    code, report = checked(path)
    assert code == 0 and errors(report) == []
    assert codes(report) <= {"text-outside-table"}
    keeps_inputs(path, original, work)


def test_a_category_in_other_letter_case_is_counted(corpus, original, work):
    """'REISER' is counted by Excel's case-insensitive SUMIF: check exits 0 with no finding, and
    the line keeps its category through extract and regenerate."""
    code, report = checked(corpus["category_other_case"])
    assert (code, report["findings"]) == (0, [])
    keeps_inputs(corpus["category_other_case"], original, work)


def test_a_category_with_a_no_break_space_is_unknown_at_its_cell(corpus):
    """'Kurs og<NBSP>kompetanse' is another text for SUMIF: category-unknown at its cell,
    exit 1."""
    code, report = checked(corpus["category_no_break_space"])
    assert code == 1
    assert "category-unknown" in {f["code"] for f in findings_at(report, P1, "A9")}


def test_hidden_hours_row_and_column_are_warnings(corpus):
    """A hidden column of hours and amounts and a hidden hours row: hidden-row warnings on both
    sheets, exit 0."""
    code, report = checked(corpus["hidden_hours"])
    assert code == 0
    hidden = [f for f in report["findings"] if f["code"] == "hidden-row"]
    assert all(f["severity"] == "warning" for f in hidden)
    assert {f["sheet"] for f in hidden} == {P3, P4}
    assert any(f["sheet"] == P4 and (f["cell"] or "").endswith("20") for f in hidden)


def test_a_pasted_values_sheet_names_the_cause_first(corpus):
    """The combined sheet pasted over itself as values: exit 1, the first finding is on that
    sheet, and the consequences are counted under it, not listed one by one."""
    code, report = checked(corpus["pasted_values_sheet"])
    assert code == 1
    assert report["findings"][0]["sheet"] == SUMMARY
    assert len(report["findings"]) <= 5


def test_a_deleted_project_sheet_names_the_cause_first(corpus):
    """A project sheet deleted: exit 1, the first finding is sheet-missing naming it, and the
    consequences are counted under it."""
    code, report = checked(corpus["deleted_sheet"])
    assert code == 1
    first = report["findings"][0]
    assert (first["code"], first["sheet"]) == ("sheet-missing", P5)
    assert len(report["findings"]) <= 5


def with_municipality(example_dict: dict[str, Any], work: Path) -> Path:
    """The spec with a fourth municipality, so every table below the hours moves one row."""
    import yaml

    data = dict(example_dict)
    data["pilot"] = {**data["pilot"], "municipalities": [*data["pilot"]["municipalities"], "Loppa"]}
    path = work / "fire-kommuner.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_regenerate_re_points_the_references_of_input_formulas(corpus, example_dict, work):
    """Regenerated with a municipality added (the financing rows move down), the KDD plug
    refers to Statsforvalteren's new cell and the link to the other project's new KDD cell, so
    KDD keeps its value."""
    spec = with_municipality(example_dict, work)
    out = work / "re-pointed.xlsx"
    code, _, said = edits.run_cli(
        "regenerate", corpus["formula_links"], "--spec", spec, "-o", out, "--force"
    )
    assert code == 0, said
    where = compare.input_cells(out)
    typed = typed_inputs(out)
    _, stats_cell = where[("prosjektledelse", "statsforvalteren", "", 2024)]
    _, kdd_cell = where[("boligbygging", "kdd", "", 2025)]
    plug = typed[("prosjektledelse", "kdd", "", 2024)].replace("$", "")
    link = typed[("plankontor", "kdd", "", 2025)].replace("$", "")
    assert plug.startswith("=") and plug.endswith(f"-{stats_cell}")
    assert link == f"='2 Boligbygging'!{kdd_cell}"
    _, report = check_json(out)
    assert report["totals"]["kdd"] == 3_110_000


def test_regenerate_refuses_a_link_to_a_removed_project_naming_the_cell(corpus, example_dict, work):
    """Regenerated without Boligbygging, the KDD of Plankontor linked to Boligbygging's KDD has
    nothing to point at: regenerate refuses (exit 1), naming that cell, and writes nothing."""
    import yaml

    data = dict(example_dict)
    data["projects"] = [p for p in data["projects"] if p["id"] != "boligbygging"]
    spec = work / "uten-bolig.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = work / "uten-bolig.xlsx"
    code, stdout, stderr = edits.run_cli(
        "regenerate", corpus["formula_links"], "--spec", spec, "-o", out
    )
    assert code == 1 and not out.exists()
    named = [line for line in (stdout + stderr).splitlines() if P4 in line and "D28" in line]
    assert named, stdout + stderr


# --------------------------------------------------------------------------- other clients


def test_a_gnumeric_save_checks_clean_without_other_layout(gnumeric_saved, original, work):
    """Re-saved by Gnumeric: no other-layout warning, no error, every input kept."""
    code, report = checked(gnumeric_saved)
    assert "other-layout" not in codes(report)
    assert code == 0 and errors(report) == []
    keeps_inputs(gnumeric_saved, original, work)


def test_indented_custom_properties_are_read_as_the_layout_version(corpus):
    """docProps/custom.xml pretty-printed: no other-layout warning, no finding at all."""
    code, report = checked(corpus["indented_properties"])
    assert (code, report["findings"]) == (0, [])


def test_shared_formulas_as_excel_saves_them_check_clean(corpus, original, work):
    """Line totals stored as one shared formula, as Excel saves a filled-down column: no
    finding, and every input is kept."""
    code, report = checked(corpus["shared_formulas"])
    assert (code, report["findings"]) == (0, [])
    keeps_inputs(corpus["shared_formulas"], original, work)


def test_shared_formulas_in_inputs_count_as_their_value(corpus, original, work):
    """Hours filled with one shared formula =3*50 (150 each), as Excel saves a formula typed
    once and filled over the hours table: check exits 0 with no finding (a formula without
    references is an ordinary input), and regenerate writes the formula into every cell."""
    path = corpus["shared_inputs"]
    code, report = checked(path)
    assert (code, report["findings"]) == (0, [])
    expected = dict(original)
    for municipality in ("Hammerfest", "Hasvik", "Måsøy"):
        for year in compare.YEARS:
            expected[("boligbygging", "hours", municipality, year)] = "=3*50"
    keeps_inputs(path, expected, work)


def test_a_calc_chain_checks_clean(corpus, original, work):
    """Excel's calcChain.xml part in the package: no finding, every input kept."""
    code, report = checked(corpus["calc_chain"])
    assert (code, report["findings"]) == (0, [])
    keeps_inputs(corpus["calc_chain"], original, work)
