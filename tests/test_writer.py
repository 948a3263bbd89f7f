"""The written file: what Excel and openpyxl see in it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.layout import build_layout
from bygdevekst_xl.layout.cells import SheetLayout, WorkbookLayout
from bygdevekst_xl.writer import WriteError, render
from bygdevekst_xl.writer.styles import AMOUNT_FORMAT
from bygdevekst_xl.xlsx.styles import is_date_format
from tests.conftest import edited

INJECTIONS = ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1:A2)", "\t=cmd", '=HYPERLINK("http://x")']


@pytest.fixture(scope="module")
def formulas_wb(example_workbook):
    return openpyxl.load_workbook(example_workbook)


@pytest.fixture(scope="module")
def values_wb(example_workbook):
    return openpyxl.load_workbook(example_workbook, data_only=True)


def test_same_spec_gives_the_same_bytes(example_budget):
    """Two runs on the same spec give byte-identical files."""
    assert workbook_bytes(example_budget) == workbook_bytes(example_budget)


def test_every_formula_cell_has_our_cached_value(example_budget, formulas_wb, values_wb):
    """openpyxl (data_only) reads the computed value of every formula before any recalculation."""
    layout = build_layout(example_budget)
    checked = 0
    for sheet in layout.sheets:
        for cell in sheet.cells.values():
            if cell.kind != "formula":
                continue
            assert formulas_wb[sheet.name][cell.address].value == cell.formula
            cached = values_wb[sheet.name][cell.address].value
            expected = cell.value
            assert cached == expected, f"{sheet.name}!{cell.address}"
            checked += 1
    assert checked == sum(1 for s in layout.sheets for c in s.cells.values() if c.kind == "formula")


def test_inputs_are_unlocked_and_everything_else_locked(example_budget, formulas_wb):
    """Inputs are unlocked with the input fill; labels and formulas are locked; sheets protected."""
    layout = build_layout(example_budget)
    for sheet in layout.sheets:
        ws = formulas_wb[sheet.name]
        assert ws.protection.sheet is True
        assert ws.protection.password is None
        for cell in sheet.cells.values():
            xl = ws[cell.address]
            assert xl.protection.locked is (cell.kind != "input"), f"{sheet.name}!{cell.address}"
            if cell.kind == "input":
                assert xl.fill.fgColor.rgb == "FFFFF2CC"


def test_inputs_have_validation_with_bokmal_messages(example_budget, formulas_wb):
    """Categories come from the Kategorier list; amounts are whole kroner ≥ 0; hours ≥ 0."""
    project = example_budget.projects[1]
    ws = formulas_wb[project.sheet]
    rules: dict[tuple[str, str | None], list] = {}
    for dv in ws.data_validations.dataValidation:
        rules.setdefault((dv.type, dv.formula1), []).append(dv)
    [category] = rules[("list", "Kategorier")]
    assert str(category.sqref) == "A7:A14"
    assert category.errorTitle == "Ukjent kategori" and category.showErrorMessage
    amounts = rules[("whole", "0")]
    assert {str(dv.sqref) for dv in amounts} == {"C7:D14", "C28:D29"}
    assert all(dv.operator == "greaterThanOrEqual" for dv in amounts)
    assert amounts[0].promptTitle == "Beløp i hele kroner"
    [hours] = rules[("decimal", "0")]
    assert str(hours.sqref) == "C19:D21"


def test_amounts_show_whole_kroner(example_budget, formulas_wb):
    """Amount cells use the kroner number format; the total row is bold."""
    layout = build_layout(example_budget)
    ws = formulas_wb["Samlet budsjett og finansiering"]
    cell = ws[layout.anchor("kdd_total").address]
    assert cell.number_format == AMOUNT_FORMAT
    assert cell.font.b


def test_number_formats_are_tagged_norwegian(formulas_wb):
    """Every format that groups thousands or has a decimal or per cent sign carries Excel's
    bokmål locale tag [$-414], so LibreOffice shows 1 180 000 kr and 42,6 % whatever the
    reader's locale; the kroner format still shows negatives in red with a minus sign."""
    assert AMOUNT_FORMAT == '[$-414]#,##0 "kr";[Red]-#,##0 "kr"'
    formats = {
        cell.number_format
        for ws in formulas_wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.number_format != "General"
    }
    grouped = {f for f in formats if "," in f or "." in f or "%" in f}
    assert grouped and all(f.startswith("[$-414]") for f in grouped if "yy" not in f), grouped
    assert "[$-414]0.0 %" in formats
    assert not any(is_date_format(f) for f in grouped if "yy" not in f)  # no false date alarm


def test_defined_names_are_workbook_level(example_budget, formulas_wb):
    """Every defined name of the layout is in the file, workbook-scoped, pointing where it says."""
    layout = build_layout(example_budget)
    defined = formulas_wb.defined_names
    for name, reference in layout.names.items():
        assert defined[name].attr_text == reference


def test_print_setup_is_a4_at_a_scale_with_breaks_only_between_blocks(formulas_wb, example_budget):
    """Every sheet prints on A4 at a fixed scale (so Excel keeps the page breaks), upright when
    narrow, with the sheet name in the footer; a page break only ever comes before a heading."""
    from bygdevekst_xl.layout import build_layout

    layout = build_layout(example_budget)
    for ws in formulas_wb.worksheets:
        sheet = layout.sheet(ws.title)
        assert ws.page_setup.orientation == ("portrait" if sheet.portrait else "landscape")
        assert ws.page_setup.paperSize == 9
        assert 10 <= int(ws.page_setup.scale) <= 100
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&A" in ws.oddFooter.left.text
        for brk in ws.row_breaks.brk:
            assert sheet.cells[(brk.id, 0)].style == "heading", (ws.title, brk.id)


def test_text_from_the_spec_is_never_a_formula(example_dict, tmp_path):
    """Spec text starting with =, +, -, @ or a tab is stored as a string cell, never a formula."""
    changes = {f"projects.1.costs.{i}.description": text for i, text in enumerate(INJECTIONS[:3])}
    changes["projects.1.name"] = INJECTIONS[3]
    changes["pilot.project_leader"] = INJECTIONS[4]
    changes["projects.2.description"] = [INJECTIONS[5]]
    budget = edited(example_dict, **changes)
    path = tmp_path / "inj.xlsx"
    path.write_bytes(workbook_bytes(budget))
    wb = openpyxl.load_workbook(path)
    ws = wb[budget.projects[1].sheet]
    for i, text in enumerate(INJECTIONS[:3]):
        assert ws.cell(7 + i, 2).value == text and ws.cell(7 + i, 2).data_type == "s"
    assert ws["A1"].value == "Prosjekt 2: " + INJECTIONS[3]
    params = wb["Parametre"]
    assert params["B10"].value == INJECTIONS[4] and params["B10"].data_type == "s"
    assert wb[budget.projects[2].sheet]["A3"].value == "• " + INJECTIONS[5]


def test_xlsxwriter_refusals_are_errors():
    """A layout xlsxwriter refuses (a sheet name over 31 characters) fails the build."""
    layout = WorkbookLayout([SheetLayout("x" * 40)], {}, {})
    with pytest.raises(Exception, match="31"):
        render(layout, created=dt.datetime(2023, 1, 1), title="t")


def test_xlsxwriter_warnings_are_errors():
    """A cell xlsxwriter warns about (a string over 32 767 characters) fails the build."""
    sheet = SheetLayout("A")
    sheet.label(0, 0, "x" * 40_000)
    with pytest.raises(WriteError):
        render(WorkbookLayout([sheet], {}, {}), created=dt.datetime(2023, 1, 1), title="t")


def test_fast_formula_preparation_matches_xlsxwriter(example_budget):
    """Skipping xlsxwriter's future-function passes writes exactly what xlsxwriter would."""
    from xlsxwriter.worksheet import Worksheet

    from bygdevekst_xl.writer import _Worksheet

    fast, reference = _Worksheet(), Worksheet()
    formulas = {
        c.formula
        for s in build_layout(example_budget).sheets
        for c in s.cells.values()
        if c.kind == "formula"
    }
    formulas |= {"=XLOOKUP(A1,B1:B2,C1:C2)", "=SUM(A1)+UNIQUE(B1:B3)", "=_xlfn.SINGLE(A1)"}
    for formula in formulas:
        assert fast._prepare_formula(formula) == reference._prepare_formula(formula), formula


def test_row_heights_grow_only_for_text_that_wraps():
    """A row grows for wrapped text longer than its column (or merged span) or with line
    breaks; one-line text, other styles and rows of a set height keep theirs."""
    from bygdevekst_xl.writer.pages import blocks, row_heights

    sheet = SheetLayout("x", widths={0: 10, 1: 10})
    sheet.label(0, 0, "a" * 10, "wrap")  # fits exactly: one line
    sheet.label(1, 0, "a" * 11, "wrap")  # two lines
    sheet.input(2, 0, "a\nb\nc", "text", "input_text")  # three lines by its breaks
    sheet.label(3, 0, "a" * 15, "wrap")  # merged over two columns: fits
    sheet.merges.append((3, 0, 3, 1))
    sheet.label(4, 0, "a" * 50, "text")  # does not wrap
    sheet.label(5, 0, "a" * 50, "wrap")
    sheet.heights[5] = 20  # set by the layout: kept
    sheet.label(6, 0, "", "wrap")
    sheet.label(7, 0, "Tabell", "heading")
    sheet.label(9, 0, "a" * 31, "wrap")  # four lines
    assert row_heights(sheet) == {
        0: 15,
        1: 30,
        2: 45,
        3: 15,
        4: 15,
        5: 20,
        6: 15,
        7: 15,
        8: 15,
        9: 60,
    }
    assert blocks(sheet, row_heights(sheet)) == [(7, 9)]


@pytest.mark.parametrize(
    ("where", "before", "after"),
    [
        ("an amount", r'(<c r="C7"[^>]*><v>)1050000(</v>)', r"\g<1>1050001\2"),
        ("a formula", r"<f>SUM\(C7:D7\)</f>", "<f>SUM(C7:C7)</f>"),
        ("a label", r"(<c r=\"A6\"[^>]*t=\")s(\"><v>)\d+(</v>)", r"\1n\g<2>7\3"),
    ],
)
def test_generate_reads_back_what_it_writes_and_refuses_what_is_not_as_meant(
    example_budget, tmp_path, monkeypatch, capsys, where, before, after
):
    """The bytes about to be written are read back through the reader and every cell compared
    with the layout: an amount, a formula or a label that came out otherwise is named at its
    cell, exit 1, and nothing is written."""
    import io
    import re
    import zipfile

    import bygdevekst_xl.generate as generate
    from bygdevekst_xl.cli import main
    from bygdevekst_xl.spec import dump_spec

    sheet_part = "xl/worksheets/sheet3.xml"  # 1 Prosjektledelse: Forside, combined, then it
    real = generate.render

    def changed(*args, **kwargs):
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(real(*args, **kwargs))) as source,
            zipfile.ZipFile(out, "w") as target,
        ):
            for item in source.infolist():
                body = source.read(item)
                if item.filename == sheet_part:
                    text, n = re.subn(before, after, body.decode("utf-8"), count=1)
                    assert n == 1, where
                    body = text.encode("utf-8")
                target.writestr(item, body)
        return out.getvalue()

    spec = tmp_path / "spec.yaml"
    spec.write_text(dump_spec(example_budget), "utf-8")
    output = tmp_path / "ny.xlsx"
    assert main(["generate", str(spec), "-o", str(output)]) == 0  # as meant: written
    output.unlink()
    monkeypatch.setattr(generate, "render", changed)
    assert main(["generate", str(spec), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert "1 Prosjektledelse!" in err and "ikke som ment" in err, err
    assert not output.exists()
