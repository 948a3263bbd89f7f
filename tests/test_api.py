"""The library face: every command as a function with a typed result, five lines from the README."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bygdevekst_xl as bx
from bygdevekst_xl.check.workbook import Report
from bygdevekst_xl.council import Pack
from bygdevekst_xl.diff import DiffReport
from bygdevekst_xl.edited import Edited
from bygdevekst_xl.extract import Extracted
from bygdevekst_xl.generate import Generated
from bygdevekst_xl.regenerate import Regeneration

ROOT = Path(__file__).resolve().parents[1]


def test_generate_and_check_from_python_as_the_readme_shows(tmp_path):
    """The README's example runs as written: generate from a Budget, check, and every other
    command's function gives its typed result, agreeing with the check on totals and id."""
    budget = bx.load_spec(bx.example_path())
    generated = bx.generate_workbook(budget, tmp_path / "hjerteregionen.xlsx")
    report = bx.check_workbook(tmp_path / "hjerteregionen.xlsx")
    assert isinstance(generated, Generated) and isinstance(report, Report)
    assert report.ok and report.totals == generated.totals
    reading = bx.read_edited(tmp_path / "hjerteregionen.xlsx")
    assert isinstance(reading, Edited) and reading.digest == report.content_digest
    extracted = bx.extract_spec(tmp_path / "hjerteregionen.xlsx")
    assert isinstance(extracted, Extracted) and extracted.budget.projects == budget.projects
    diff = bx.diff_workbooks(tmp_path / "hjerteregionen.xlsx", tmp_path / "hjerteregionen.xlsx")
    assert isinstance(diff, DiffReport) and not diff.differs
    pack = bx.council_pack(tmp_path / "hjerteregionen.xlsx", municipality="Hasvik")
    assert isinstance(pack, Pack) and pack.digest == report.content_digest
    assert sorted(d.name for d in pack.documents)[0] == "kommunestyre-hasvik.pdf"
    new = bx.regenerate_workbook(tmp_path / "hjerteregionen.xlsx", tmp_path / "ny.xlsx")
    assert isinstance(new, Regeneration) and new.written is not None and not new.broken
    values = bx.recalculate(tmp_path / "hjerteregionen.xlsx")
    total = report.recomputed["total_costs"]
    assert total == report.totals.total_costs and total in values.values()


def test_a_spec_path_works_wherever_a_budget_does_and_the_scheme_holds(tmp_path, example_dict):
    """Functions take a Budget or a YAML path alike; a spec over the cap is bounded here too."""
    from bygdevekst_xl.spec import budget_from_dict, dump_spec

    spec = dict(example_dict)
    spec["pilot"] = {**spec["pilot"], "kdd_cap": 9_000_000}
    path = tmp_path / "ni.yaml"
    path.write_text(dump_spec(budget_from_dict(spec)), "utf-8")
    bx.generate_workbook(path, tmp_path / "a.xlsx")
    report = bx.check_workbook(tmp_path / "a.xlsx", path)
    assert report.totals.kdd_cap == 4_000_000
    assert "spec-against-scheme" in {f.code for f in report.errors}


def test_importing_the_package_stays_cheap():
    """``import bygdevekst_xl`` loads no reader, evaluator or writer; they load on first use."""
    code = (
        "import sys, bygdevekst_xl\n"
        "heavy = [m for m in ('bygdevekst_xl.api', 'bygdevekst_xl.xlsx', 'bygdevekst_xl.evaluate',"
        " 'xlsxwriter', 'reportlab') if m in sys.modules]\n"
        "print(heavy)\n"
        "bygdevekst_xl.check_workbook\n"
        "print('bygdevekst_xl.api' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]


def test_the_package_says_it_is_typed():
    """py.typed ships, so a developer's type checker uses the package's hints."""
    assert (ROOT / "bygdevekst_xl" / "py.typed").is_file()
