"""Tests for bygdevekst_xl.evaluate, checked against formulas.ExcelModel where it agrees."""

from __future__ import annotations

import logging
import math
import pickle
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bygdevekst_xl.evaluate.compile as ec
import bygdevekst_xl.evaluate.fallback as ef
from bygdevekst_xl.evaluate import CIRCULAR, ErrorValue, Evaluation, Limits, evaluate

P = "Parametre"
OKT = "2 Økt boligbygging"
ARB = "3 Arbeidsliv-æøå"
NAMES = {
    "Kategorier": "Parametre!$A$12:$A$20",
    "Kategori_KDD": "Parametre!$B$12:$B$20",
    "KDD_Tak": "Parametre!$B$4",
}


# --- helpers ---------------------------------------------------------------------------


def read_workbook(path: Path) -> tuple[dict, dict, dict]:
    """Constants, formulas and defined names of an xlsx, as the checker reads them."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    values, formulas = {}, {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if cell.data_type == "f":
                    formulas[(ws.title, cell.coordinate)] = cell.value
                else:
                    values[(ws.title, cell.coordinate)] = cell.value
    names = {name: d.attr_text for name, d in wb.defined_names.items()}
    return values, formulas, names


_MODEL_KEY = re.compile(r"^'\[[^\]]+\](?P<sheet>.+)'!(?P<addr>[A-Z]+[0-9]+)$")


def reference_values(path: Path, formula_cells) -> dict:
    """Every formula cell's value computed by formulas.ExcelModel."""
    import formulas
    import numpy as np
    import schedula as sh

    logging.getLogger("schedula").setLevel(logging.CRITICAL)
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    by_upper = {(sheet.upper(), addr): (sheet, addr) for sheet, addr in formula_cells}
    out = {}
    for key, rng in solution.items():
        m = _MODEL_KEY.match(str(key))
        if m is None or (m["sheet"], m["addr"]) not in by_upper:
            continue
        v = rng.value[0, 0] if hasattr(rng, "value") else rng
        if v is sh.EMPTY:
            v = 0.0
        elif isinstance(v, formulas.tokens.operand.XlError):
            v = ErrorValue(str(v))
        elif isinstance(v, (bool, np.bool_)):
            v = bool(v)
        elif isinstance(v, (int, float, np.number)):
            v = float(v)
        out[by_upper[(m["sheet"], m["addr"])]] = v
    return out


def same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def assert_agrees(path: Path) -> Evaluation:
    """Evaluate an xlsx with evaluate() and ExcelModel; every formula cell must agree."""
    values, formulas, names = read_workbook(path)
    ours = evaluate(values, formulas, names)
    theirs = reference_values(path, formulas)
    assert set(theirs) == set(formulas)
    mismatches = {
        k: (formulas[k], ours.values[k], theirs[k])
        for k in formulas
        if not same(ours.values[k], theirs[k])
    }
    assert not mismatches
    assert not ours.circular
    assert not ours.unsupported
    return ours


def write_budget(path: Path) -> None:
    """A small grant budget like ours: three sheets, defined names, formulas across sheets."""
    wb = xlsxwriter.Workbook(str(path))
    p, s, t = wb.add_worksheet(P), wb.add_worksheet(OKT), wb.add_worksheet(ARB)
    p.write("B4", 0.25)
    for i, (cat, rate) in enumerate([("Lønn", 1.0), ("Reise", 0.5), ("Utstyr", 0.4)]):
        p.write(f"A{12 + i}", cat)
        p.write(f"B{12 + i}", rate)
    for name, ref in NAMES.items():
        wb.define_name(name, "=" + ref)
    rows = [
        ("Lønn", 10, 2.5),
        ("Reise", 3, None),
        (None, 4, 4),
        ("lønn", None, None),  # criteria are case-insensitive
        ("Ukjent", 7, 1),
        ("Utstyr", 0, 12.25),
    ]
    for r, (cat, c, d) in enumerate(rows, start=8):
        if cat is not None:
            s.write(f"A{r}", cat)
        if c is not None:
            s.write(f"C{r}", c)
        if d is not None:
            s.write(f"D{r}", d)
        s.write_formula(f"E{r}", f"=SUM(C{r}:D{r})")
        s.write_formula(f"F{r}", f'=IF(A{r}="",0,SUMIF(Kategorier,A{r},Kategori_KDD)*E{r})')
        s.write_formula(f"G{r}", f"=ROUND(E{r}*KDD_Tak,2)")
        s.write_formula(f"H{r}", f'=IF(MIN(C{r}:D{r})>0,"OK","Mangler timer")')
        s.write_formula(f"I{r}", f"=MAX(C{r}:D{r})-MIN(C{r}:D{r})")
        s.write_formula(f"J{r}", f"=COUNTIF(Kategorier,A{r})")
        s.write_formula(f"K{r}", f"=C{r}/D{r}")  # #DIV/0! where D is empty or 0
        s.write_formula(f"L{r}", f'=A{r}&": "&E{r}')
    s.write_formula("E16", "=SUM(E8:E14)")  # E14 is empty
    s.write_formula("F16", "=SUM(F8:F13)")
    s.write_formula("C16", '=COUNTIF(A8:A14,"Lønn")')
    s.write_formula("D16", '=SUMIF(C8:C13,">2",D8:D13)')
    s.write_formula("G16", "=ABS(-E16)+ROUND(2.675,2)")
    s.write_formula("H16", '=IF(AND(E16>0,F16>=0),"OK","Sjekk")')
    s.write_formula("I16", "=OR(C8>50,D8>50)")
    s.write_formula("J16", "=MIN(E8:E13)+MAX(E8:E13)")
    s.write_formula("K16", '=COUNTIF(C8:D13,">=4")+SUMIF(A8:A13,"<>Reise",E8:E13)')
    t.write_formula("E5", f"='{OKT}'!E16+{P}!$B$4")
    t.write_formula("F5", f'=IF(MIN(\'{OKT}\'!E30:E32)>0,"OK","Mangler timer")')
    t.write_formula("G5", f"=SUM('{OKT}'!C8:D13)*KDD_Tak")
    t.write_formula("H5", "=ROUND(G5/3,1)+E5")
    t.write_formula("I5", f'=IF(\'{OKT}\'!A30="","tom","fylt")')
    t.write_formula("J5", f"=VLOOKUP(\"Reise\",{P}!A12:B20,2,FALSE)*'{OKT}'!F16")  # fallback
    t.write_formula("K5", f"='{OKT}'!K9+1")
    wb.close()


# --- agreement with formulas ------------------------------------------------------------


def test_budget_workbook_agrees_with_formulas_excelmodel(tmp_path: Path) -> None:
    """Every formula of a budget-like workbook (quoted æøå sheet names, defined names,
    SUM/SUMIF/IF/MIN/MAX/ROUND/COUNTIF chained across sheets, empty cells in ranges)
    gets the same value from evaluate() as from formulas.ExcelModel."""
    path = tmp_path / "budget.xlsx"
    write_budget(path)
    ours = assert_agrees(path)
    v = ours.values
    assert v[(OKT, "E8")] == 12.5
    assert v[(OKT, "F8")] == 12.5  # Lønn rate 1.0
    assert v[(OKT, "F11")] == 0.0  # "lønn" with no amounts
    assert v[(OKT, "F12")] == 0.0  # unknown category
    assert v[(OKT, "H9")] == "OK"  # the empty D9 is ignored by MIN
    assert v[(OKT, "H11")] == "Mangler timer"
    assert v[(OKT, "K9")] == ErrorValue("#DIV/0!")
    assert v[(OKT, "L8")] == "Lønn: 12.5"
    assert v[(ARB, "F5")] == "Mangler timer"
    assert v[(ARB, "I5")] == "tom"
    assert v[(ARB, "K5")] == ErrorValue("#DIV/0!")
    assert v[(ARB, "E5")] == pytest.approx(v[(OKT, "E16")] + 0.25)


_GRID = [f"{c}{r}" for c in "ABCD" for r in range(1, 6)]
_numbers = st.one_of(
    st.integers(-20, 20),
    st.floats(-100, 100, allow_nan=False).map(lambda x: round(x, 2)),
)
_ranges = st.tuples(
    st.sampled_from("ABCD"), st.sampled_from("ABCD"), st.integers(1, 5), st.integers(1, 5)
).map(lambda t: f"{min(t[0], t[1])}{min(t[2], t[3])}:{max(t[0], t[1])}{max(t[2], t[3])}")


def _expressions(earlier: list[str]) -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(_GRID + earlier),
        st.integers(0, 9).map(str),
        _ranges.map(lambda r: f"SUM({r})"),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]}{t[1]}{t[2]})"),
            st.lists(st.one_of(inner, _ranges), min_size=1, max_size=3).map(
                lambda xs: f"{'SUM' if len(xs) % 2 else 'MAX'}({','.join(xs)})"
            ),
            st.tuples(inner, st.integers(0, 2)).map(lambda t: f"ROUND({t[0]},{t[1]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"IF({t[0]}>{t[1]},{t[2]},-{t[2]})"),
            inner.map(lambda x: f"ABS({x})"),
            _ranges.map(lambda r: f"MIN({r})"),
        )

    return st.recursive(leaves, extend, max_leaves=6)


@st.composite
def _sheets(draw: st.DrawFn) -> tuple[dict, dict]:
    cells = draw(st.dictionaries(st.sampled_from(_GRID), _numbers, max_size=20))
    formulas: dict[str, str] = {}
    for i in range(1, draw(st.integers(1, 5)) + 1):
        formulas[f"F{i}"] = "=" + draw(_expressions(list(formulas)))
    return cells, formulas


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sheets())
def test_random_sum_and_arithmetic_agree_with_formulas(tmp_path_factory, sheet) -> None:
    """Random grids of numbers (with gaps) and random SUM/MIN/MAX/ROUND/IF/ABS and
    arithmetic formulas, chained through other formula cells, agree with ExcelModel."""
    cells, formulas = sheet
    path = tmp_path_factory.mktemp("hyp") / "random.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Ark 1")
    for addr, value in cells.items():
        ws.write_number(addr, value)
    for addr, text in formulas.items():
        ws.write_formula(addr, text)
    wb.close()
    assert_agrees(path)


# --- behaviour ---------------------------------------------------------------------------


def test_circular_reference_is_detected_without_hanging() -> None:
    """A1=B1+1, B1=A1+1 is circular; a cell summing them depends on the cycle and a cell
    referring to itself is one: all four get #CIRC! and are reported, while an unrelated
    cell is still evaluated."""
    formulas = {
        ("S", "A1"): "=B1+1",
        ("S", "B1"): "=A1+1",
        ("S", "C1"): "=SUM(A1:B1)*2",
        ("S", "D1"): "=E1+1",
        ("S", "F1"): "=F1",  # refers to itself
    }
    result = evaluate({("S", "E1"): 1}, formulas)
    assert result.circular == {("S", "A1"), ("S", "B1"), ("S", "C1"), ("S", "F1")}
    for key in result.circular:
        assert result.values[key] == CIRCULAR
    assert str(CIRCULAR) == "#CIRC!"
    assert result.values[("S", "D1")] == 2.0
    assert not result.unsupported


def test_long_chain_needs_no_recursion() -> None:
    """A chain of 50 000 cells, each adding 1 to the previous one, evaluates (no
    RecursionError) to 50 000."""
    n = 50_000
    formulas = {("S", f"A{i}"): f"=A{i - 1}+1" for i in range(2, n + 1)}
    result = evaluate({("S", "A1"): 1}, formulas)
    assert result.values[("S", f"A{n}")] == float(n)
    assert not result.circular


@pytest.mark.parametrize(
    ("formula", "reason_part", "code"),
    [
        ("=_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(2)", "LAMBDA", "#NAME?"),
        ("=LAMBDA(x,x+1)(2)", "LAMBDA", "#NAME?"),
        ('=INDIRECT("A1")', "INDIRECT", "#NAME?"),
        ("=INDIRECT(B1)", "INDIRECT", "#NAME?"),
        ("=OFFSET(A1,1,1)", "OFFSET", "#NAME?"),
        ("=FOOBAR(1)", "unknown function FOOBAR", "#NAME?"),
        ("=SUM(1,", "parse", "#NAME?"),
        ("='[other.xlsx]Sheet1'!A1", "external", "#REF!"),
        ("=[1]Sheet1!A1+1", "external", "#REF!"),
        ("=Tabell1[Beløp]", "structured", "#NAME?"),
        ("='Finnes ikke'!A1", "unknown sheet", "#REF!"),
        ("=SUM(A1:B2 B1:B3)", "operator", "#NAME?"),
    ],
)
def test_unsupported_formulas_are_reported_not_raised(formula, reason_part, code) -> None:
    """Formulas we cannot evaluate go to `unsupported` with a reason, get an error value,
    and cells that use them see that error; evaluate() does not raise."""
    formulas = {("S", "C1"): formula, ("S", "D1"): "=C1+1", ("S", "E1"): "=A1*2"}
    result = evaluate({("S", "A1"): 2, ("S", "B1"): "A1"}, formulas)
    assert reason_part.lower() in result.unsupported[("S", "C1")].lower()
    assert result.values[("S", "C1")] == ErrorValue(code)
    assert result.values[("S", "D1")] == ErrorValue(code)
    assert result.values[("S", "E1")] == 4.0
    assert set(result.unsupported) == {("S", "C1")}


def test_long_and_odd_formulas_never_raise() -> None:
    """A 150-term sum evaluates; a 1 200-term sum (whose parse the formulas package takes
    seconds for) is refused at its cell; odd input (leading zeros, non-text formula, bad
    address) is reported, not raised."""
    values = {("S", f"A{i}"): i for i in range(1, 1201)}
    formulas = {
        ("S", "B1"): "=" + "+".join(f"A{i}" for i in range(1, 1201)),
        ("S", "B2"): "=007+1",
        ("S", "B3"): 42,
        ("S", "1A"): "=1",
        ("S", "B4"): "=" + "+".join(f"A{i}" for i in range(1, 151)),
    }
    result = evaluate(values, formulas)
    assert result.values[("S", "B4")] == 150 * 151 / 2
    assert "formula with 1199 operators" in result.unsupported[("S", "B1")]
    assert set(result.unsupported) == {("S", "B1"), ("S", "B2"), ("S", "B3"), ("S", "1A")}
    assert all(isinstance(result.values[k], ErrorValue) for k in result.unsupported)


_formula_alphabet = st.sampled_from([*"AB12$:!'\"(),;+-*/^&=<>% #.{}[]_xæ", "SUM(", "IF("])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_formula_alphabet, max_size=25).map("".join), min_size=1, max_size=4))
def test_garbage_formulas_never_raise(texts: list[str]) -> None:
    """Whatever text a formula holds, evaluate() returns a value for every formula cell."""
    formulas = {("S", f"C{i}"): "=" + t for i, t in enumerate(texts, 1)}
    result = evaluate({("S", "A1"): 1, ("S", "B2"): "x"}, formulas)
    assert set(result.values) == set(formulas)


def test_div0_and_other_errors_propagate() -> None:
    """#DIV/0! propagates through arithmetic, SUM ranges and comparisons; IFERROR stops it;
    an error constant read by openpyxl as "#N/A" counts as that error."""
    values = {("S", "A1"): 5, ("S", "A2"): 0, ("S", "A3"): "#N/A"}
    formulas = {
        ("S", "B1"): "=A1/A2",
        ("S", "B2"): "=B1+1",
        ("S", "B3"): "=SUM(A1:B2)",
        ("S", "B4"): "=IF(B1>0,1,2)",
        ("S", "B5"): "=IFERROR(B2,-1)",
        ("S", "B6"): "=A1/Z99",  # empty divisor
        ("S", "B7"): "=A3*2",
        ("S", "B8"): "=IF(TRUE,1,B1)",  # the branch not taken does not matter
    }
    v = evaluate(values, formulas).values
    div0 = ErrorValue("#DIV/0!")
    assert (v[("S", "B1")], v[("S", "B2")], v[("S", "B3")], v[("S", "B4")]) == (div0,) * 4
    assert v[("S", "B5")] == -1.0
    assert v[("S", "B6")] == div0
    assert v[("S", "B7")] == ErrorValue("#N/A")
    assert v[("S", "B8")] == 1.0
    assert str(div0) == "#DIV/0!"


def test_empty_cell_compares_equal_to_empty_text_and_zero() -> None:
    """An absent cell is "" in text comparisons and 0 in arithmetic, like Excel; a cell
    holding 0 or text is not "" ."""
    values = {("S", "A2"): "x", ("S", "A3"): 0, ("S", "A4"): ""}
    formulas = {
        ("S", "B1"): '=IF(A1="",0,1)',
        ("S", "B2"): '=IF(A2="",0,1)',
        ("S", "B3"): '=A3=""',
        ("S", "B4"): '=A4=""',
        ("S", "B5"): "=A1=0",
        ("S", "B6"): "=A1+1",
        ("S", "B7"): '=A1&"!"',
        ("S", "B8"): "=A1",
        ("S", "B9"): '=COUNTIF(A1:A4,"")',
    }
    v = evaluate(values, formulas).values
    assert v[("S", "B1")] == 0.0
    assert v[("S", "B2")] == 1.0
    assert v[("S", "B3")] is False
    assert v[("S", "B4")] is True
    assert v[("S", "B5")] is True
    assert v[("S", "B6")] == 1.0
    assert v[("S", "B7")] == "!"
    assert v[("S", "B8")] == 0.0
    assert v[("S", "B9")] == 2.0


def test_names_and_sheet_names_are_case_insensitive() -> None:
    """Defined names and sheet names match regardless of case; the result keys keep the
    workbook's own sheet names."""
    values = {(P, "B4"): 0.25, (OKT, "E31"): 100}
    formulas = {
        (ARB, "A1"): "='2 ØKT BOLIGBYGGING'!E31+PARAMETRE!$B$4",
        (ARB, "A2"): "=kdd_tak*4",
        (ARB, "A3"): "=SUM('2 økt boligbygging'!E30:E32)",
    }
    result = evaluate(values, formulas, NAMES)
    assert result.values == {(ARB, "A1"): 100.25, (ARB, "A2"): 1.0, (ARB, "A3"): 100.0}


def test_criteria_functions_follow_excel() -> None:
    """SUMIF/COUNTIF criteria: a cell value, comparison strings, wildcards, "<>" and
    numbers stored as text; results are floats."""
    values = {("S", f"A{i}"): v for i, v in enumerate(["Lønn", "Reise", "lønn", 5, "5"], 1)}
    values.update({("S", f"B{i}"): float(i) for i in range(1, 7)})
    values[("S", "C1")] = "Lønn"
    formulas = {
        ("S", "D1"): "=SUMIF(A1:A6,C1,B1:B6)",
        ("S", "D2"): '=SUMIF(A1:A6,">4",B1:B6)',
        ("S", "D3"): '=COUNTIF(A1:A6,"<>Lønn")',
        ("S", "D4"): '=COUNTIF(A1:A6,"R*")',
        ("S", "D5"): "=COUNTIF(A1:A6,5)",
        ("S", "D6"): '=SUMIF(B1:B6,"<=2")',
        ("S", "D7"): '=SUMIFS(B1:B6,A1:A6,"?ønn",B1:B6,">1")',
    }
    v = evaluate(values, formulas).values
    assert v[("S", "D1")] == 4.0
    assert v[("S", "D2")] == 4.0  # the text "5" is not > 4
    assert v[("S", "D3")] == 4.0  # Reise, 5, "5" and the empty A6
    assert v[("S", "D4")] == 1.0
    assert v[("S", "D5")] == 2.0
    assert v[("S", "D6")] == 3.0
    assert v[("S", "D7")] == 3.0
    assert all(type(x) is float for x in v.values())


def test_criteria_sharing_a_range_match_as_each_cell_tested_alone() -> None:
    """Criteria on one range are tested once per run (a mask per range and criterion, a text
    index per range): two sums over other columns, a COUNTIF and a SUMIFS on the same
    category column give what testing each cell gives (text case-insensitive, never a number
    or a logical), and a second run over other values sees its own values, not the first's."""

    def run(categories: list[object], amounts: list[float]) -> dict:
        values = {("S", f"A{i}"): v for i, v in enumerate(categories, 1) if v is not None}
        values.update({("S", f"B{i}"): a for i, a in enumerate(amounts, 1)})
        values.update({("S", f"C{i}"): 10 * a for i, a in enumerate(amounts, 1)})
        values[("S", "E1")] = "lønn"
        formulas = {
            ("S", "D1"): "=SUMIF($A$1:$A$8,E1,B$1:B$8)",
            ("S", "D2"): "=SUMIF($A$1:$A$8,E1,C$1:C$8)",
            ("S", "D3"): "=COUNTIF($A$1:$A$8,E1)",
            ("S", "D4"): '=SUMIFS(C$1:C$8,$A$1:$A$8,"Lønn",B$1:B$8,">2")',
            ("S", "D5"): '=SUMIF($A$1:$A$8,"Reise",B$1:B$8)',
            ("S", "D6"): '=SUMIF($A$1:$A$8,"Bolig",B$1:B$8)',
        }
        return evaluate(values, formulas).values

    categories = ["Lønn", "LØNN", 5, None, True, "lønn ", "Reise", "lønn"]
    first = run(categories, [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0])
    assert first[("S", "D1")] == 131.0  # rows 1, 2 and 8; not "lønn " (a space), 5 or TRUE
    assert first[("S", "D2")] == 1310.0
    assert first[("S", "D3")] == 3.0
    assert first[("S", "D4")] == 1280.0  # row 8 alone has an amount above 2
    assert first[("S", "D5")] == 64.0
    assert first[("S", "D6")] == 0.0
    second = run(categories[::-1], [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0])
    assert second[("S", "D1")] == 1.0 + 64.0 + 128.0  # the same column, reversed
    assert second[("S", "D3")] == 3.0
    assert second[("S", "D4")] == 640.0 + 1280.0
    assert second[("S", "D5")] == 2.0


def test_criteria_read_only_the_matched_cells_of_the_sum_range() -> None:
    """SUMIF and friends sum the matched cells alone, row by row over a 2-D range: an error
    in a cell that does not match is not seen, one that matches is the result; SUMIFS takes
    the cells every criterion matches (none: 0), AVERAGEIF counts numbers matched only."""
    values = {("S", f"A{i}"): v for i, v in enumerate(["x", "y", "x", "y", "x"], 1)}
    values.update({("S", f"B{i}"): v for i, v in enumerate(["a", "b", "a", "b", "b"], 1)})
    values.update({("S", f"C{i}"): float(i) for i in range(1, 6)})
    values.update({("S", f"D{i}"): 10.0 * i for i in range(1, 6)})
    values[("S", "C2")] = "#DIV/0!"  # an error in a row that "x" does not match
    values[("S", "D4")] = "#N/A"
    values[("S", "D5")] = "text"
    formulas = {
        ("S", "E1"): '=SUMIF(A1:B5,"x",C1:D5)',  # A1, A3, A5 of the 2-D range: C1, C3, C5
        ("S", "E2"): '=SUMIF(A1:B5,"b",C1:D5)',  # B2, B4, B5: D2, D4 (#N/A), D5
        ("S", "E3"): '=SUMIFS(C1:C5,A1:A5,"x",B1:B5,"a")',  # rows 1 and 3
        ("S", "E4"): '=COUNTIFS(A1:A5,"y",B1:B5,"a")',  # no row
        ("S", "E5"): '=SUMIFS(C1:C5,A1:A5,"y",B1:B5,"a")',
        ("S", "E6"): '=AVERAGEIF(A1:A5,"x",D1:D5)',  # 10, 30 and the text in D5
        ("S", "E7"): '=SUMIF(A1:A5,"y",C1:C5)',  # C2 is #DIV/0!
        ("S", "E8"): '=COUNTIF(A1:B5,"?")',
    }
    v = evaluate(values, formulas).values
    assert v[("S", "E1")] == 9.0
    assert v[("S", "E2")] == ErrorValue("#N/A")
    assert v[("S", "E3")] == 4.0
    assert v[("S", "E4")] == 0.0
    assert v[("S", "E5")] == 0.0
    assert v[("S", "E6")] == 20.0
    assert v[("S", "E7")] == ErrorValue("#DIV/0!")
    assert v[("S", "E8")] == 10.0


def test_each_shape_is_parsed_once(monkeypatch) -> None:
    """10 000 rows of =SUM(Cn:Dn) (and 10 000 of a longer IF/SUMIF row) parse through the
    formulas Parser a handful of times, not once a row; a total over all rows comes last."""
    calls: list[str] = []
    parse, compile_ = ec.parse_shape, ef.compile_with_formulas

    def counting_parse(shape: str):
        calls.append(shape)
        return parse(shape)

    def counting_compile(shape: str):
        calls.append(shape)
        return compile_(shape)

    monkeypatch.setattr(ec, "parse_shape", counting_parse)
    monkeypatch.setattr(ef, "compile_with_formulas", counting_compile)
    values, formulas = {}, {}
    for r in range(8, 10_008):
        values[("S", f"C{r}")] = r
        values[("S", f"D{r}")] = 1
        formulas[("S", f"E{r}")] = f"=SUM(C{r}:D{r})"
        formulas[("S", f"F{r}")] = f'=IF(C{r}="",0,SUMIF(C$8:C$20,C{r},D$8:D$20)*E{r})'
    formulas[("S", "E10009")] = "=SUM(E8:E10007)"  # a big range of formula cells
    result = evaluate(values, formulas)
    assert 2 <= len(calls) <= 4
    assert result.values[("S", "E10007")] == 10008.0
    assert result.values[("S", "E10009")] == sum(r + 1 for r in range(8, 10_008))
    assert result.values[("S", "F15")] == 16.0
    assert result.values[("S", "F25")] == 0.0


def test_formulas_differing_in_other_digits_are_not_confused() -> None:
    """The scan cache keys on the formula with its digits blanked: formulas that differ in
    sheet-name digits, literals or name digits, or sit behind non-ASCII sheet names, still
    get their own references and values."""
    values = {("1 Øst", f"A{r}"): r for r in range(1, 30)}
    values.update({("2 Øst", f"A{r}"): 100 * r for r in range(1, 30)})
    values[("S", "Z1")] = 7
    names = {"Sats1": "'1 Øst'!$A$2", "Sats2": "'2 Øst'!$A$2"}
    formulas = {}
    for r in range(1, 30):
        formulas[("S", f"A{r}")] = f"='1 Øst'!A{r}*2"
        formulas[("S", f"B{r}")] = f"='2 Øst'!A{r}*3"
        formulas[("S", f"C{r}")] = f"=SUM('1 Øst'!A{r}:A{r + 1})+Sats{1 + r % 2}"
        formulas[("S", f"D{r}")] = f'=IF(Z1>5,"{r % 3}x","y")&A{r}'
    v = evaluate(values, formulas, names).values
    for r in range(1, 30):
        assert v[("S", f"A{r}")] == 2.0 * r
        assert v[("S", f"B{r}")] == 300.0 * r
        sats = 2 if r % 2 == 0 else 200
        assert v[("S", f"C{r}")] == r + (r + 1 if r < 29 else 0) + sats
        assert v[("S", f"D{r}")] == f"{r % 3}x{2 * r}"


def test_the_same_text_on_another_sheet_refers_to_that_sheet() -> None:
    """A text scanned on one sheet is reused on another (its program moved there): its own
    cells, ranges and rows are the other sheet's, a sheet it names stays that sheet, and a
    whole column or a table of its own sheet is scanned afresh."""
    values = {("P1", f"{c}{r}"): r * k for r in range(1, 6) for c, k in (("A", 1), ("B", 10))}
    values.update({("P2", f"{c}{r}"): r * k for r in range(1, 9) for c, k in (("A", 2), ("B", 20))})
    texts = {
        "C1": "=SUM(A1:B1)+A2",
        "C2": "=P1!A1+A1",
        "C3": "=SUM(A:A)",
        "C4": "=SUM(3:3)",
        "C5": "=SUM(P2!A1:A2)*B5",
    }
    formulas = {(s, a): t for s in ("P1", "P2") for a, t in texts.items()}
    v = evaluate(values, formulas).values
    assert [v[("P1", a)] for a in texts] == [13, 2, 15, 3 + 30 + 15, 6 * 50]
    assert [v[("P2", a)] for a in texts] == [26, 3, 72, 6 + 60 + 72, 6 * 100]


def test_a_program_serves_every_sheet_and_counts_once_a_sheet() -> None:
    """Formulas differing only in their rows share one scan across sheets (own-sheet
    references are each sheet's own, a named sheet stays that sheet), yet each sheet's first
    such formula counts as a scan against max_scans, as if scanned there in full."""
    values = {
        (s, f"A{r}"): 10.0 * k + r for k, s in enumerate(("P1", "P2", "P3")) for r in range(9)
    }
    formulas = {
        (s, f"C{r}"): f"=A{r}*2+SUM(A{r}:A{r + 1})+P1!A{r}"
        for s in ("P1", "P2", "P3")
        for r in (1, 3, 5)
    }
    v = evaluate(values, formulas).values
    for k, s in enumerate(("P1", "P2", "P3")):
        for r in (1, 3, 5):
            a = 10.0 * k
            assert v[(s, f"C{r}")] == (a + r) * 2 + (a + r) + (a + r + 1) + r
    limited = evaluate(values, formulas, limits=Limits(max_scans=2))
    assert set(limited.unsupported) == {("P3", f"C{r}") for r in (1, 3, 5)}
    assert limited.values[("P2", "C5")] == v[("P2", "C5")]


def test_whole_columns_double_minus_and_row() -> None:
    """A:A covers the used rows, --TRUE is 1 (formulas would keep TRUE), ROW() is the
    cell's own row."""
    values = {("S", "A1"): 1, ("S", "A500"): 2, ("S", "B1"): True}
    formulas = {
        ("S", "C1"): "=SUM(A:A)",
        ("S", "C2"): "=--B1+0.5",
        ("S", "C3"): "=ROW()*10+COLUMN(B7)+ROWS(A1:A4)",
        ("S", "C4"): "=SUM(1:1)",
    }
    v = evaluate(values, formulas).values
    assert v[("S", "C1")] == 3.0
    assert v[("S", "C2")] == 1.5
    assert v[("S", "C3")] == 36.0
    assert v[("S", "C4")] == 1.0 + 3.0  # A1 + C1 (B1 is TRUE: ignored in a range)


def test_check_and_help_import_nothing_they_do_not_use() -> None:
    """The command line, the one reading and the checker load no YAML parser, no writer
    (xlsxwriter), no formulas, no socket and no JSON-schema validator at import: each is
    imported where it is first used (the start of every command pays for what it imports)."""
    code = (
        "import sys, bygdevekst_xl.cli, bygdevekst_xl.check.workbook, bygdevekst_xl.edited;"
        "heavy = {'yaml', 'xlsxwriter', 'formulas', 'numpy', 'socket', 'jsonschema'};"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_does_not_load_formulas() -> None:
    """Importing the module leaves the formulas package unimported (it costs ~1 s)."""
    import subprocess
    import sys

    code = "import sys, bygdevekst_xl.evaluate; print('formulas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- our own parser: the same trees as the formulas Parser, no formulas import ------------


@pytest.fixture(scope="module")
def hjerteregionen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated Hjerteregionen workbook."""
    from bygdevekst_xl.generate import workbook_bytes
    from bygdevekst_xl.spec import example_path, load_spec

    path = tmp_path_factory.mktemp("hjerteregionen") / "hjerteregionen.xlsx"
    path.write_bytes(workbook_bytes(load_spec(example_path())))
    return path


def identical(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def evaluate_both_routes(values: dict, formulas: dict, names: dict | None = None) -> list[str]:
    """Evaluate with our own parser, then with every shape parsed by formulas; assert the
    same result, that our parser took every shape, and that both parsers built the same
    tree (so the same compiled Python source). Returns the distinct shapes."""
    shapes: list[str] = []
    to_formulas: list[str] = []
    parse_own, parse_formulas = ec.parse_own, ec.parse_with_formulas

    def recording_own(shape: str):
        shapes.append(shape)
        return parse_own(shape)

    def recording_formulas(shape: str):
        to_formulas.append(shape)
        return parse_formulas(shape)

    with (
        mock.patch.object(ec, "parse_own", recording_own),
        mock.patch.object(ec, "parse_with_formulas", recording_formulas),
    ):
        ours = evaluate(values, formulas, names)
    assert not to_formulas, "our parser left these shapes to formulas"
    with mock.patch.object(ec, "parse_own", lambda shape: None):
        theirs = evaluate(values, formulas, names)
    mismatches = {
        k: (formulas[k], ours.values[k], theirs.values[k])
        for k in formulas
        if not identical(ours.values[k], theirs.values[k])
    }
    assert not mismatches
    assert ours.unsupported == theirs.unsupported
    assert ours.circular == theirs.circular
    for shape in shapes:
        own, parsed = parse_own(shape), parse_formulas(shape)
        assert repr(own) == repr(parsed), shape
        n_refs = len(re.findall(r"_[CR]\d+", shape))
        try:
            source = ec.shape_source(own, n_refs)
        except ec.NotFast:
            continue
        assert source == ec.shape_source(parsed, n_refs)
    return shapes


def test_own_parser_matches_formulas_on_the_generated_workbook(hjerteregionen: Path) -> None:
    """Every distinct shape of the generated Hjerteregionen workbook (cross-sheet refs,
    defined names, SUM/SUMIF/COUNTIF/MIN/MAX/IF/AND/ROUND, criteria like "<=0") is parsed by
    our parser into the tree the formulas Parser gives; both routes give identical values."""
    values, formulas, names = read_workbook(hjerteregionen)
    shapes = evaluate_both_routes(values, formulas, names)
    assert len(set(shapes)) >= 10
    assert any("COUNTIF(" in s and '"<=0"' in s for s in shapes)


_SHEETS = {"S": "S!", "B": "'2 Boligbygging'!", "P": "Parametre!"}
_CELLS = [f"{c}{r}" for c in "ABCD" for r in range(1, 5)]
_cell_values = st.one_of(
    st.integers(-5, 5),
    st.floats(-100, 100, allow_nan=False).map(lambda x: round(x, 2)),
    st.sampled_from(["x", "3", "", "OK", "Lønn", "#N/A", "#DIV/0!", True, False]),
)
_leaves = st.one_of(
    st.sampled_from(_CELLS),
    st.sampled_from(["$A$1", "B$2", "'2 Boligbygging'!C15", "KDD_Tak", "Timesats"]),
    st.sampled_from(["0", "1", "7", "2.5", ".5", "00", "00.5", "1E+3", "1.5e-3", "2E-2"]),
    st.sampled_from(['"a"', '"a""b"', '""', '"3"', '"OK"', '"<=0"', '"<>x"']),
    st.sampled_from(["TRUE", "FALSE", "true", "#DIV/0!", "#N/A", "#REF!", "#ref!"]),
)
_formula_ranges = st.sampled_from(["A1:B2", "A1:A4", "B1:B4", "C1:D4", "$A$1:$D$1"])
_BINARY_OPS = ["+", "-", "*", "/", "^", "&", "=", "<>", "<", "<=", ">", ">=", "--", "+-", "-+"]
_AGGREGATE_NAMES = ["SUM", "MIN", "MAX", "AND", "OR", "AVERAGE", "COUNT", "COUNTA", "sum"]
_IFS = ["IF({},{},{})", "IF({},{})", "IF({},,{})", "IF({},{},)"]
_ONE_ARG = ["ABS", "NOT", "ISNUMBER", "ISTEXT", "ISBLANK", "ISLOGICAL", "ISERROR"]


def _grammar(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One more level of operators and fast-path function calls around ``inner``."""
    pair = st.tuples(inner, inner)
    return st.one_of(
        st.tuples(inner, st.sampled_from(_BINARY_OPS), inner).map("".join),
        st.tuples(st.sampled_from(["-", "+", "--", "-+-", "+-"]), inner).map("".join),
        inner.map(lambda x: f"({x})%" if x.endswith("%") else f"{x}%"),
        inner.map(lambda x: f"({x})"),
        st.tuples(
            st.sampled_from(_AGGREGATE_NAMES),
            st.lists(st.one_of(inner, _formula_ranges), min_size=1, max_size=3),
        ).map(lambda t: f"{t[0]}({','.join(t[1])})"),
        st.tuples(st.sampled_from(_IFS), inner, inner, inner).map(lambda t: t[0].format(*t[1:])),
        pair.map(lambda t: f"IFERROR({t[0]},{t[1]})"),
        st.tuples(st.sampled_from(["ROUND", "ROUNDUP", "ROUNDDOWN"]), pair).map(
            lambda t: f"{t[0]}({t[1][0]},{t[1][1]})"
        ),
        st.tuples(st.sampled_from(_ONE_ARG), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["A1:A4", "C1:C4"]), inner).map(
            lambda t: f"COUNTIF({t[0]},{t[1]})"
        ),
        st.tuples(st.sampled_from(["A1:A4", "B1:B4"]), inner).map(
            lambda t: f"SUMIF({t[0]},{t[1]},D1:D4)"
        ),
        st.tuples(inner, inner).map(lambda t: f'SUMIFS(D1:D4,A1:A4,{t[0]},B1:B4,"<>"&{t[1]})'),
    )


_expressions_own = st.recursive(_leaves, _grammar, max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(_CELLS), _cell_values, max_size=16),
    st.lists(_expressions_own, min_size=1, max_size=4),
)
def test_own_parser_matches_formulas_on_random_expressions(cells, expressions) -> None:
    """Random arithmetic, comparison, text, percent, sign-run and fast-function expressions
    over a grid of numbers, text, logicals, errors and blanks: our parser builds the tree
    the formulas Parser builds, and both routes evaluate to identical values."""
    values: dict = {("S", addr): v for addr, v in cells.items()}
    values.update({("2 Boligbygging", "C15"): 12.5, (P, "B4"): 0.25, (P, "B5"): 800})
    formulas = {("S", f"F{i}"): f"={x}" for i, x in enumerate(expressions, 1)}
    evaluate_both_routes(values, formulas, {"KDD_Tak": f"{P}!$B$4", "Timesats": f"{P}!$B$5"})


_shape_tokens = st.sampled_from(
    [
        *("_C0", "_C1", "_R2", "1", "0", "2.5", ".5", "1E+3", "1e-2", "00", "007", "1."),
        *('"a"', '"a""b"', '""', "TRUE", "false", "#N/A", "#div/0!"),
        *("+", "-", "--", "*", "/", "^", "&", "=", "<>", "<", "<=", ">", ">=", "%"),
        *("(", ")", ",", ",", "SUM(", "IF(", "round(", "IFERROR(", "VLOOKUP(", "_C0("),
        *(" ", ":", "{", "}", "@", ";", "!", "\n"),
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_shape_tokens, min_size=1, max_size=12).map(lambda ts: "=" + "".join(ts)))
def test_own_parser_accepts_only_what_formulas_reads_the_same(shape: str) -> None:
    """Whenever our parser accepts a shape made of random tokens, the formulas Parser
    accepts it too and builds the same tree; what ours rejects goes to formulas."""
    own = ec.parse_own(shape)
    if own is not None:
        assert repr(own) == repr(ec.parse_with_formulas(shape))


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=-2^2", 4.0),  # Excel: unary minus binds tighter than ^
        ("=0-2^2", -4.0),
        ("=2^3^2", 64.0),  # left-associative
        ("=2+3*4^2/8-1", 7.0),
        ("=-A1%*2", -0.04),
        ("=50%", 0.5),
        ("=1E20", 1e20),  # formulas cannot parse this; Excel can
        ("=1.5e-3*1E+3", 1.5),
        ("=.5+00.5", 1.0),
        ('="a""b"&1+2', 'a"b3'),
        ('="x"&1=1', False),  # & binds tighter than =
        ("=1<2=TRUE", True),
        ("=IF(A1,,1)", 0.0),
        ("=IF(A1=2,)", 0.0),
        ("=SUM(A1,)+1--1", 4.0),
        ("=--TRUE+-+-A1", 3.0),
        ("=#N/A", ErrorValue("#N/A")),
        ('=COUNTIF(A1:A2,"<=0")', 0.0),
    ],
)
def test_own_parser_grammar(formula: str, expected: object) -> None:
    """Numbers, percent, strings with "" escapes, errors, empty arguments and Excel's
    operator precedence evaluate as Excel does."""
    result = evaluate({("S", "A1"): 2}, {("S", "B1"): formula})
    assert not result.unsupported
    assert identical(result.values[("S", "B1")], expected)


@pytest.mark.parametrize(
    "shape",
    [
        "= 1+2",  # whitespace (formulas ignores it here, or reads it as intersection)
        "=1 +2",
        "=_R0 _R1",
        "=_C0:_C1",
        "={1,2}",
        "=007+1",  # no Python literal: formulas fails later
        "=1.",
        "=50%%",
        "=1=<2",
        "=SUM((1)(2))",  # formulas reads this as SUM(1,2)
        "=(1,2)",
        '="a\nb"',  # formulas drops newlines even inside text
        "=VLOOKUP(1,_R0,2)",  # not a fast-path function
        "=_xlfn.SUM(1)",
        "=FOO",
        "=@_C0",
        "=",
        "=1+",
        "=SUM(1",
    ],
)
def test_own_parser_leaves_other_syntax_to_formulas(shape: str) -> None:
    """Syntax outside the fast-path grammar, and other functions, are not ours to parse."""
    assert ec.parse_own(shape) is None


def test_other_functions_still_use_formulas_and_unsupported_as_before() -> None:
    """A shape with a function outside the fast path is compiled by formulas; an unknown
    function and a parse error are reported as before."""
    values = {("S", "A1"): 2, ("S", "A2"): 3}
    formulas = {
        ("S", "B1"): "=VLOOKUP(3,A1:A2,1,FALSE)+SUM(A1:A2)",
        ("S", "B2"): "=FOOBAR(A1)",
        ("S", "B3"): "=SUM(A1:A2",
        ("S", "B4"): "= A1 + 1",
    }
    result = evaluate(values, formulas)
    assert result.values[("S", "B1")] == 8.0
    assert result.values[("S", "B4")] == 3.0
    assert set(result.unsupported) == {("S", "B2"), ("S", "B3")}
    assert result.unsupported[("S", "B2")] == "unknown function FOOBAR"
    assert result.unsupported[("S", "B3")] == "cannot parse formula (ParenthesesError)"


@pytest.mark.slow
def test_generated_workbook_evaluates_without_importing_formulas(hjerteregionen: Path) -> None:
    """Evaluating the generated workbook (read with openpyxl here, evaluated in a fresh
    process) imports neither formulas nor numpy, and every formula cell has the value
    formulas.ExcelModel computes."""
    values, formulas, names = read_workbook(hjerteregionen)
    code = (
        "import pickle, sys\n"
        "from bygdevekst_xl.evaluate import evaluate\n"
        "values, formulas, names = pickle.load(sys.stdin.buffer)\n"
        "result = evaluate(values, formulas, names)\n"
        "loaded = sorted(m for m in ('formulas', 'numpy', 'schedula') if m in sys.modules)\n"
        "pickle.dump((result, loaded), sys.stdout.buffer)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps((values, formulas, names)),
        capture_output=True,
        check=True,
    )
    ours, loaded = pickle.loads(run.stdout)
    assert loaded == []
    assert len(ours.values) == len(formulas) > 500
    assert not ours.unsupported
    assert not ours.circular
    theirs = reference_values(hjerteregionen, formulas)
    assert set(theirs) == set(formulas)
    mismatches = {
        k: (formulas[k], ours.values[k], theirs[k])
        for k in formulas
        if not same(ours.values[k], theirs[k])
    }
    assert not mismatches


def test_texts_that_cannot_be_formulas_sit_among_ones_that_are() -> None:
    """A formula that is no text or longer than Excel allows is unsupported at its cell, and
    formulas around it (of its very shape, before and after) are read as usual; a plain
    ``=A1`` of a blank cell is 0 and ``=SUM(range)`` passes the range's first error on."""
    long = "=" + "+".join(["A1"] * 3000)
    formulas = {
        ("S", "B1"): "=A1*2",
        ("S", "B2"): 42,
        ("S", "B3"): long,
        ("S", "B4"): "=A4*2",
        ("S", "B5"): "  =A5*2 ",
        ("S", "C1"): "=Z9",
        ("S", "C2"): "=SUM(A1:A5)",
        ("S", "C3"): "=SUM(A5:A6)",
    }
    values = {("S", "A1"): 1.0, ("S", "A4"): 4.0, ("S", "A5"): 5.0, ("S", "A6"): "#N/A"}
    result = evaluate(values, formulas)
    assert result.unsupported == {
        ("S", "B2"): "formula is not text",
        ("S", "B3"): "formula of 9000 characters (Excel allows 8192); not evaluated",
    }
    assert [result.values[("S", f"B{r}")] for r in (1, 4, 5)] == [2.0, 8.0, 10.0]
    assert result.values[("S", "C1")] == 0.0
    assert result.values[("S", "C2")] == 10.0
    assert result.values[("S", "C3")] == ErrorValue("#N/A")


# --- the work budget (limits.py) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("=" + "+".join(["A1"] * 3000), "formula of 9000 characters (Excel allows 8192)"),
        ("=" + "(" * 5000 + "1" + ")" * 5000, "formula of 10002 characters"),
        ("=" + "IF(A1," * 100 + "1" + ",0)" * 100, "formula nested 100 levels deep"),
        ("=" + "(" * 65 + "1" + ")" * 65, "formula nested 65 levels deep (Excel allows 64)"),
        ("=" + "-".join(["1"] * 400), "formula with 399 operators"),
        ("={" + ",".join(["1"] * 30000) + "}", "formula of 60002 characters"),
    ],
)
def test_formulas_past_the_limits_are_refused_at_their_cell(formula, reason) -> None:
    """Formulas longer or deeper than Excel allows, or with more operators than the checker
    evaluates, are unsupported at their cell (no RecursionError, no slow fallback); a
    formula at the limits next to them evaluates."""
    formulas = {
        ("S", "B1"): formula,
        ("S", "B2"): "=B1+1",
        ("S", "B3"): "=" + "IF(A1," * 63 + "7" + ",0)" * 63,
    }
    result = evaluate({("S", "A1"): 1}, formulas)
    assert result.unsupported[("S", "B1")].startswith(reason)
    assert isinstance(result.values[("S", "B2")], ErrorValue)
    assert result.values[("S", "B3")] == 7
    assert set(result.unsupported) == {("S", "B1")}


def test_a_range_to_the_last_row_reads_only_the_used_rows() -> None:
    """=SUM(A1:B1048576) in several cells reads as far as the sheet is used (like A:B), not
    two million cells each; SUMIF and COUNTIF over such ranges agree with the used part."""
    values = {("S", f"A{i}"): i for i in range(1, 101)}
    values[("S", "B5")] = 1000
    formulas = {("S", f"C{i}"): f"=SUM(A1:B1048576)+{i}" for i in range(1, 6)}
    formulas[("S", "D1")] = '=SUMIF(A1:A1048576,">50",B1:B1048576)'
    formulas[("S", "D2")] = "=COUNTIF(A1:A1048576,5)"
    used = 5 * 2 * 100 + 2 * 100 + 100  # SUM of A:B five times, SUMIF of A and B, COUNTIF of A
    result = evaluate(values, formulas, limits=Limits(max_cells_read=used))
    assert [result.values[("S", f"C{i}")] for i in range(1, 6)] == [
        5050 + 1000 + i for i in range(1, 6)
    ]
    assert result.values[("S", "D1")] == 0 and result.values[("S", "D2")] == 1
    assert not result.unsupported  # within a budget of the used cells only


def test_a_range_too_large_even_where_used_is_refused() -> None:
    """A range of millions of used cells (a value at the sheet's far corner) is refused at
    the cell, without building the range."""
    values = {("S", "A1"): 1, ("S", "XFD1048576"): 2}
    result = evaluate(values, {("T", "A1"): "=SUM(S!A1:XFD1048576)", ("T", "A2"): "=S!A1"})
    assert "a range of" in result.unsupported[("T", "A1")]
    assert result.values[("T", "A2")] == 1


def test_the_cells_read_in_all_are_bounded() -> None:
    """Past the budget of cells read through ranges, further formulas are refused at their
    cells (#VALUE!), and the evaluation ends."""
    values = {("S", f"A{i}"): 1 for i in range(1, 101)}
    formulas = {("S", f"B{i}"): "=SUM($A$1:$A$100)" for i in range(1, 5)}
    result = evaluate(values, formulas, limits=Limits(max_cells_read=250))
    ok = [k for k in formulas if result.values[k] == 100]
    refused = [k for k in formulas if k in result.unsupported]
    assert len(ok) == 2 and len(refused) == 2
    assert all(result.values[k] == ErrorValue("#VALUE!") for k in refused)
    assert "more than 250 cells in all" in result.unsupported[refused[0]]


def test_text_is_bounded_as_excel_bounds_it() -> None:
    """REPT and & past 32 767 characters give #VALUE! (without building the text: REPT of
    10^9 would take gigabytes); at the limit they give the text."""
    values = {("S", "A1"): "x" * 20_000}
    formulas = {
        ("S", "B1"): '=LEN(REPT("x",10^9))',
        ("S", "B2"): '=LEN(REPT("x",32767))',
        ("S", "B3"): "=A1&A1",
        ("S", "B4"): '=LEN(A1&REPT("y",12767))',
    }
    result = evaluate(values, formulas)
    assert result.values[("S", "B1")] == ErrorValue("#VALUE!")
    assert result.values[("S", "B2")] == 32767
    assert result.values[("S", "B3")] == ErrorValue("#VALUE!")
    assert result.values[("S", "B4")] == 32767
    assert not result.unsupported


def test_distinct_formulas_are_bounded() -> None:
    """Past the number of distinct formulas scanned or compiled, their characters in all, or
    those compiled through the slow formulas package, further ones are refused at their
    cells; rows of one formula share a shape."""
    formulas = {("S", f"C{i}"): f"=A{i}+1" for i in range(1, 50)}  # one shape
    formulas.update({("S", f"B{i}"): f"=A1*{i}+{'1' * i}" for i in range(1, 9)})
    result = evaluate({("S", "A1"): 1}, formulas, limits=Limits(max_shapes=5))
    refused = {k for k in result.unsupported}
    assert len(refused) == 4 and all(k[1][0] == "B" for k in refused)
    assert "more than 5 distinct formulas" in next(iter(result.unsupported.values()))
    result = evaluate({("S", "A1"): 1}, formulas, limits=Limits(max_shape_chars=60))
    # 6 shapes of =C*C+1…, 9–16 characters
    assert {k[1] for k in result.unsupported} == {"B6", "B7", "B8"}
    assert "more than 60 characters in all" in result.unsupported[("S", "B6")]
    # scanned in full: C1-C9, C10-C49 (two), B1
    result = evaluate({("S", "A1"): 1}, formulas, limits=Limits(max_scans=3))
    assert {k[1] for k in result.unsupported} == {f"B{i}" for i in range(2, 9)}
    assert "more than 3 distinct formulas" in result.unsupported[("S", "B2")]
    slow = {("S", f"D{i}"): f'=LEN(UPPER("{"x" * i}"))' for i in range(1, 4)}
    result = evaluate({}, slow, limits=Limits(max_fallback_shapes=1))
    assert result.values[("S", "D1")] == 1
    assert len(result.unsupported) == 2
    reason = "more than 1 distinct formulas that need the slow evaluator"
    assert reason in next(iter(result.unsupported.values()))


def test_rept_and_len_take_the_fast_path_and_the_fallback_is_bounded_too() -> None:
    """REPT and LEN are evaluated without the formulas package (REPT of 10^9 is #VALUE!
    before any text is built); through formulas (a shape the fast path cannot take) REPT
    is bounded the same way."""
    values = {("S", "A1"): "ab"}
    fast = {
        ("S", "B1"): "=REPT(A1,2.7)",
        ("S", "B2"): '=REPT("x",-1)',
        ("S", "B3"): "=REPT(1/0,2)",
        ("S", "B4"): "=LEN(TRUE)",
        ("S", "B5"): '=REPT(A1,"a")',
    }
    result = evaluate(values, fast)
    assert [result.values[k] for k in fast] == [
        "abab",
        ErrorValue("#VALUE!"),
        ErrorValue("#DIV/0!"),
        4,
        ErrorValue("#VALUE!"),
    ]
    slow = {("S", "C1"): '=LEN(UPPER(REPT("x",10^9)))', ("S", "C2"): "=LEN(UPPER(REPT(A1,3)))"}
    result = evaluate(values, slow)
    assert result.values[("S", "C1")] == ErrorValue("#VALUE!")
    assert result.values[("S", "C2")] == 6


def test_joined_text_past_excels_limit_is_value_error_and_blanks_count_nothing() -> None:
    """Through the formulas package, CONCAT of a range with 60 000 blank cells joins only its
    texts (blanks add nothing); TEXTJOIN keeping the blanks passes 32 767 characters with its
    delimiters and is #VALUE!, as in Excel; so is SUBSTITUTE growing a text past it."""
    values = {("S", "A1"): "ab", ("S", "A60000"): "z", ("S", "B1"): "x" * 20_000}
    formulas = {
        ("S", "C1"): "=LEN(CONCAT(A1:A60000))",
        ("S", "C2"): '=LEN(TEXTJOIN(",",FALSE,A1:A60000))',
        ("S", "C3"): '=LEN(TEXTJOIN(",",TRUE,A1:A60000))',
        ("S", "C4"): '=LEN(SUBSTITUTE(B1,"x","yy"))',
        ("S", "C5"): '=LEN(SUBSTITUTE(B1,"x",""))',
    }
    result = evaluate(values, formulas)
    assert result.values[("S", "C1")] == 3
    assert result.values[("S", "C2")] == ErrorValue("#VALUE!")
    assert result.values[("S", "C3")] == 4
    assert result.values[("S", "C4")] == ErrorValue("#VALUE!")
    assert result.values[("S", "C5")] == 0
    assert not result.unsupported


def _content(sheets: dict[str, tuple[dict, dict, dict]], names: dict[str, str]) -> object:
    """A WorkbookContent of sheets given as (values, formulas, errors)."""
    from bygdevekst_xl.xlsx.content import SheetContent, WorkbookContent

    held = {
        name: SheetContent(name, "visible", values=v, formulas=f, errors=e)
        for name, (v, f, e) in sheets.items()
    }
    return WorkbookContent(Path("x.xlsx"), held, names, {}, None, [], False, {})


def test_a_cell_evaluated_on_its_own_has_its_value_in_the_whole_evaluation() -> None:
    """evaluate_workbook evaluates a cell with only the cells it depends on when asked for
    one value (the one reading asks for inputs holding formulas): every cell's value so,
    asked in any order, is its value when every cell is evaluated; cycles, errors, unknown
    functions, ranges over formulas, names and other sheets alike."""
    from bygdevekst_xl.evaluate import evaluate_workbook

    values = {f"A{r}": r for r in range(1, 21)} | {"B1": "x", "B2": "#N/A"}
    formulas = {f"C{r}": f"=SUM(A{r}:A{r + 1})*2" for r in range(1, 20)}
    formulas |= {
        "D1": "=SUM(C1:C19)+Sats",
        "D2": "=D3+1",
        "D3": "=D2+1",  # a cycle
        "D4": "=D3*0+5",  # after the cycle
        "D5": '=VALUE("40 000")',  # an error starts here
        "D6": "=D5+D1",
        "D7": "=NOSUCHFUNCTION(1)",
        "D8": "=IFERROR(D7,7)+T!A1",
        "D9": '=SUMIF(B1:B2,"x",A1:A2)+E1',
        "D10": "=B2",
    }
    other = ({"B1": 3}, {"A1": "=S!D1/2", "A2": "=A1+S!E1"}, {})
    sheets = {"S": (values, formulas, {"E1": "#DIV/0!"}), "T": other}
    names = {"Sats": "T!$B$1"}
    whole = evaluate_workbook(_content(sheets, names)).values
    cells = list(whole)
    for order in (cells, cells[::-1], cells[len(cells) // 2 :] + cells[: len(cells) // 2]):
        evaluation = evaluate_workbook(_content(sheets, names))
        for cell in order:
            assert evaluation.holds(cell)
            assert repr(evaluation.value(cell)) == repr(whole[cell]), cell
        assert repr(dict(evaluation.values)) == repr(whole)
    evaluation = evaluate_workbook(_content(sheets, names))
    assert evaluation.value(("S", "A1")) is None and not evaluation.holds(("S", "A1"))
    assert evaluation.on_demand[("S", "D4")] == CIRCULAR and ("S", "D4") in evaluation.on_demand
    assert ("S", "Z9") not in evaluation.on_demand
    assert ("S", "D2") in whole and whole[("S", "D2")] == CIRCULAR
    assert evaluation.unsupported == evaluate_workbook(_content(sheets, names)).unsupported
