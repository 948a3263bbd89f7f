"""The design's rules that code review alone would let slip: one map, one home for Excel facts."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bygdevekst_xl"
MAP_HOMES = ("layout", "excel.py", "xlsx", "evaluate", "office")
"""Where addresses may be computed: the map (layout/), the Excel facts, the reader and the
evaluator (which work on any workbook's raw addresses), and the office drivers (tests only)."""

FORBIDDEN = {
    "row arithmetic on a row plan": re.compile(r"\b\w+_(first|last)\s*[+-]"),
    "an A1 address built from a row": re.compile(r"""f["']\$?[A-Z]{1,3}\$?\{"""),
    "a row plan built outside layout/": re.compile(r"\b(Project|Parameter|Summary)Rows\("),
    "a regular expression over defined names": re.compile(
        r"re\.(findall|search|match|fullmatch|sub)\([^)]*\bnames?\b"
    ),
    "the Excel epoch written again": re.compile(r"1899,\s*12,\s*30"),
}


def outside_the_map() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if not str(path.relative_to(PACKAGE)).startswith(MAP_HOMES)
    ]


def test_no_address_is_computed_outside_the_map():
    """Only layout/ decides where things go: no row arithmetic on row plans, no A1 strings
    built by hand, no row plans and no regular expressions over defined names elsewhere."""
    problems = [
        f"{path.relative_to(PACKAGE)}:{number}: {what}: {line.strip()}"
        for path in outside_the_map()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        for what, pattern in FORBIDDEN.items()
        if pattern.search(line)
    ]
    assert problems == []


def test_the_architecture_test_has_teeth(tmp_path):
    """Each forbidden pattern matches the kind of line it is meant to stop."""
    samples = {
        "row arithmetic on a row plan": "row = rows.cost_first + i",
        "an A1 address built from a row": 'cell = f"A{row}"',
        "a row plan built outside layout/": "rows = ProjectRows(8, 3, 10)",
        "a regular expression over defined names": 're.findall(r"\\d+", names[key])',
        "the Excel epoch written again": "dt.datetime(1899, 12, 30)",
    }
    for what, line in samples.items():
        assert FORBIDDEN[what].search(line), what


ONE_READING = re.compile(r"\b(read_workbook|evaluate_workbook|read_budget|locate|read_record)\(")
"""The steps of reading a workbook: only the one reading (``edited/reading.py``) takes them."""
READING_HOMES = ("edited", "xlsx", "evaluate", "office", "accounts/readback.py")
"""The one reading and the parts it is made of (and the office drivers, tests only; and the
accounts command reading back the accounts workbook it wrote, which is no budget workbook)."""


def test_no_command_reads_a_workbook_another_way():
    """check, extract, regenerate, diff and council get a workbook from ``read_edited`` only:
    no other module reads, evaluates, reads the inputs of, locates or resolves the facts of a
    workbook itself, so no two commands can see the same file differently."""
    problems = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not str(path.relative_to(PACKAGE)).startswith(READING_HOMES)
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if ONE_READING.search(line) and not line.lstrip().startswith(("def ", "#", '"""'))
    ]
    assert problems == []


def test_the_one_reading_test_has_teeth():
    """The pattern finds a second route into a workbook, and the package keeps its top level
    small (the flow shows in its packages: at most 17 top-level modules)."""
    for line in (
        "content = read_workbook(path)",
        "values = evaluate_workbook(content).values",
        "found = read_record(content.custom_properties)",
    ):
        assert ONE_READING.search(line), line
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 17, modules


def test_the_package_makes_its_data_classes_with_its_own_dataclass_module():
    """``bygdevekst_xl.dataclass``, not the standard ``dataclasses`` (which imports ``inspect``
    and compiles six methods a class: a third of checking the example was its start-up); only
    ``dataclass.py`` names the standard module, for type checkers."""
    standard = re.compile(r"^\s*(from dataclasses import|import dataclasses)", re.M)
    problems = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "dataclass.py" and standard.search(path.read_text("utf-8"))
    ]
    assert problems == []
    assert standard.search("import dataclasses\n") and standard.search(
        "    from dataclasses import x"
    )
