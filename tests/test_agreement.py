"""The fast-path evaluator agrees with the reference evaluators on a random M-sized workbook
(and, with the same comparisons, on S, the built-in Hjerteregionen workbook).

The workbook is built from a random spec of the largest counts the schema allows (50 projects
x 100 cost lines, ``bench/bench_specs.py``'s L), drawn with ``random.Random(SEED)``: ``SEED`` is the
``BYGDEVEKST_SEED`` environment variable when set, else a fresh random number; every assertion
message names it, so ``BYGDEVEKST_SEED=<seed> pytest tests/test_agreement.py`` repeats a failure.

The spec keeps the built-in example's categories (KDD-eligible and not) and dates and draws
everything else: 1-5 municipalities, sheet names (æøå, apostrophes, punctuation,
names that look like cell references), whole-kroner amounts (0, small, ordinary and up to
1e9), working groups, hours with up to two decimals (and 0, and missing municipalities) and
financing. A :class:`Plan` per seed decides whether the KDD total is under, at or over the cap,
whether KDD may exceed the eligible costs, whether every project balances and whether every
municipality has hours, so that each rule's status formula takes either branch across seeds.

Every formula cell (about 16 000) is compared, numbers within the checker's half-øre tolerance
(``checks.TOLERANCE``), text exactly, our ``""`` equal to a blank:

* our fast path, reached exactly as ``check`` reaches it (``check_workbook`` itself is run and
  the (values, formulas, names) it hands to ``evaluate`` are recorded), takes every shape;
* LibreOffice, recalculating a copy whose saved values were all replaced by stale ones,
  gives our value in every formula cell;
* the ``formulas`` route (every shape parsed by formulas' Parser and computed by its compiled
  function, :func:`bygdevekst_xl.evaluate.fallback.fallback`) gives our value in every cell (about
  6 s on M, where the full ``formulas.ExcelModel`` needs a minute). None of the deliberate
  differences from ``formulas`` listed in ``bygdevekst_xl/evaluate.py`` can arise here: the
  workbook's formulas never sum text, compare blanks with FALSE or use ``--``, ``^`` or
  ``&``, and their only criteria are a category name, 1, "<=0" and "OK".

The hourly rate is drawn too, among rates (750, 50, 15 kr) where hours with two decimals price
to exactly half a krone, so the in-kind value ``ROUND(ROUND(ROUND(hours,6)*Timesats,6),0)`` sits on the
rounding knife-edge that summing in a different order would tip (``compute.HOURS_DECIMALS``).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

import bygdevekst_xl.evaluate as evaluate_module
import bygdevekst_xl.evaluate.compile as ec
from bygdevekst_xl.check import Report, check_workbook
from bygdevekst_xl.check.rules import TOLERANCE
from bygdevekst_xl.compute import budget_totals, project_totals
from bygdevekst_xl.evaluate import DEFAULT_LIMITS, ErrorValue, Evaluation, Limits
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.model import MAX_COST_LINES, MAX_PROJECTS, Budget
from bygdevekst_xl.office import read_values, recalculate_libreoffice, soffice_path
from bygdevekst_xl.scheme import MAX_KDD_CAP, breaches, within_scheme
from bygdevekst_xl.spec import (
    RESERVED_SHEETS,
    SpecError,
    budget_from_dict,
    budget_to_dict,
    example_path,
    load_spec,
)
from bygdevekst_xl.texts import (
    MISSING_HOURS,
    NOT_BALANCED,
    OK,
    OVER_CAP,
    OVER_ELIGIBLE,
    SEE_RULES,
    SUMMARY_SHEET,
)
from bygdevekst_xl.xlsx import read_workbook
from tests import damage
from tests.compare import EXCEL_EPOCH, CellKey, disagreements, is_number

SEED: int = (
    int(os.environ["BYGDEVEKST_SEED"])
    if os.environ.get("BYGDEVEKST_SEED", "").strip()
    else random.randrange(2**32)
)
PROJECTS, COST_LINES = MAX_PROJECTS, MAX_COST_LINES  # bench/bench_specs.py SIZES["L"]
MIN_FORMULA_CELLS = 10_000  # it has about 11 000; fewer means something was not compared
STALE_NUMBER, STALE_TEXT = "-7777777", "Utdatert"

MUNICIPALITIES = [
    "Hammerfest",
    "Hasvik",
    "Måsøy",
    "Loppa",
    "Nordkapp",
    "Kvænangen",
    "Porsanger",
    "Båtsfjord",
    "Sør-Varanger",
    "Lebesby",
]
WORDS = [
    "Bolig",
    "Næring",
    "Fiskeri",
    "Havbruk",
    "Reiseliv",
    "Kultur",
    "Skole",
    "Tørrfisk",
    "Blåbær",
    "Ærfugl",
    "Øya",
    "Ålesund",
    "Sjøsamisk",
    "Ungdom",
    "Bredbånd",
    "Frivillighet",
    "Ola's",
    "R&D",
    "(ny)",
    "50 %",
    "Plan+",
    "Test-1",
    "Hei!",
    "#1",
    "a,b",
    "x=y",
    "$kr",
    "@hjem",
    "{x}",
    "«sitat»",
    "–",
]


def seeded(message: object) -> str:
    """An assertion message naming the seed that reproduces it."""
    return f"[BYGDEVEKST_SEED={SEED}] {message}"


# --- the random spec --------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What one seed chose for the workbook as a whole, so that the rules take either branch."""

    cap: str  # the KDD total is "under", "at" or "over" the cap
    kdd_within_eligible: bool  # KDD never above a project year's eligible costs
    balanced: bool  # every project balances (else project 2 and ~40 % of the others do not)
    hours_complete: bool  # every municipality has hours (else project 2 lacks some)


def kroner(rng: random.Random) -> int:
    """A whole-kroner amount: 0, small, ordinary or (rarely) very large."""
    r = rng.random()
    if r < 0.10:
        return 0
    if r < 0.25:
        return rng.randint(1, 999)
    if r < 0.98:
        return rng.randint(1_000, 500_000)
    return rng.randint(10_000_000, 1_000_000_000)


def hours(rng: random.Random, *, positive: bool = False) -> float | int:
    """Hours: 0 (unless ``positive``), whole, or with one or two decimals (12.5, 7.25)."""
    if not positive and rng.random() < 0.2:
        return 0
    value = round(rng.uniform(0.25, 400), rng.choice([0, 1, 2])) or 0.5
    return int(value) if value.is_integer() and rng.random() < 0.5 else value


def text(rng: random.Random, words: int) -> str:
    """Some words, punctuation and æøå; sometimes starting with = (still text, not a formula)."""
    out = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"=SUM({out})" if rng.random() < 0.02 else out


def sheet_name(rng: random.Random, i: int, used: set[str]) -> str:
    """A new valid sheet name (≤ 31 characters, none of []:*?/\\), unique ignoring case."""
    while True:
        words = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
        name = rng.choice(
            [
                f"{i} {words}",
                f"{i} {words}",
                f"{words} {i}",
                f"Tiltak_{i}",  # a plain identifier: unquoted in formulas
                f"XY{i}",  # looks like a cell reference
                f"R{i}C{i % 9 + 1}",  # looks like an R1C1 reference
                f"Ærfugl{i}",
            ]
        )[:31].strip()
        if name and name[0] != "'" and name[-1] != "'" and name.casefold() not in used:
            used.add(name.casefold())
            return name


def random_spec(seed: int) -> tuple[dict[str, Any], Plan]:
    """A random spec of M size on the built-in example's pilot and categories, and its plan."""
    rng = random.Random(seed)
    plan = Plan(
        cap=rng.choice(["under", "at", "over"]),
        kdd_within_eligible=rng.random() < 0.5,
        balanced=rng.random() < 0.35,
        hours_complete=rng.random() < 0.35,
    )
    base = budget_to_dict(load_spec(example_path()))
    categories = base["categories"]
    eligible = {c["id"] for c in categories if c["kdd_eligible"]}
    assert eligible and len(eligible) < len(categories), seeded("example lost a category kind")
    municipalities = rng.sample(MUNICIPALITIES, rng.randint(1, 5))
    used = {s.casefold() for s in RESERVED_SHEETS}
    projects = []
    for i in range(1, PROJECTS + 1):
        costs = [
            {
                "category": rng.choice(categories)["id"],
                "description": text(rng, rng.randint(1, 4)),
                "amounts": [kroner(rng), kroner(rng)],
            }
            for _ in range(COST_LINES)
        ]
        complete = plan.hours_complete or i != 2
        hours_of = {
            m: [hours(rng, positive=complete), hours(rng)]
            for m in municipalities
            if plan.hours_complete or rng.random() < 0.9
        }
        if not complete:  # project 2 has a working group and a municipality without hours
            hours_of[municipalities[0]] = [0, 0]
        kdd, statsforvalteren = [], []
        for y in range(2):
            cash = sum(c["amounts"][y] for c in costs)
            may = sum(c["amounts"][y] for c in costs if c["category"] in eligible)
            k = rng.choice([may, rng.randint(0, may if plan.kdd_within_eligible else cash)])
            s = cash - k
            off_balance = (i == 2 and y == 0) or (i > 2 and rng.random() < 0.4)
            if not plan.balanced and off_balance:
                off = rng.choice([-50_000, -1, 1, 999, 123_457])
                s = s + off if s + off >= 0 else s + abs(off)
            kdd.append(k)
            statsforvalteren.append(s)
        projects.append(
            {
                "id": f"p{i:02d}_{rng.choice(['bolig', 'naering', 'kultur', 'x'])}",
                "name": f"Prosjekt {i} {text(rng, rng.randint(1, 3))}",
                "sheet": sheet_name(rng, i, used),
                "working_group": i in (1, 2) or rng.random() < 0.5,
                "description": [text(rng, 5) for _ in range(rng.randint(0, 3))],
                "costs": costs,
                "hours": hours_of,
                "financing": {"kdd": kdd, "statsforvalteren": statsforvalteren},
            }
        )
    total_kdd = sum(sum(p["financing"]["kdd"]) for p in projects)
    cap = {
        "under": total_kdd + rng.randint(1, total_kdd + 1),
        "at": total_kdd,
        "over": rng.randint(0, max(total_kdd - 1, 0)),
    }[plan.cap]
    rate = rng.choice([700, 750, 50, 15, 1234])
    pilot = {**base["pilot"], "municipalities": municipalities, "kdd_cap": cap, "hourly_rate": rate}
    return {"pilot": pilot, "categories": categories, "projects": projects}, plan


# --- fixtures ---------------------------------------------------------------------------


@dataclass
class Checked:
    """``check`` run on the workbook, with what it handed to the evaluator and the routes."""

    values: dict[CellKey, object]
    formulas: dict[CellKey, str]
    names: dict[str, str]
    evaluation: Evaluation
    report: Report
    own_parser: list[str] = field(default_factory=list)
    formulas_parser: list[str] = field(default_factory=list)
    formulas_fallback: list[str] = field(default_factory=list)


def recording(target: list[str], func: Callable[[str], Any]) -> Callable[[str], Any]:
    """``func``, appending each shape it is called with to ``target``."""

    def wrapper(shape: str) -> Any:
        target.append(shape)
        return func(shape)

    return wrapper


@pytest.fixture(scope="module")
def spec_and_plan() -> tuple[dict[str, Any], Plan]:
    """The random M spec of this seed, and the plan it was drawn with."""
    return random_spec(SEED)


@pytest.fixture(scope="module")
def plan(spec_and_plan: tuple[dict[str, Any], Plan]) -> Plan:
    return spec_and_plan[1]


@pytest.fixture(scope="module")
def budget(spec_and_plan: tuple[dict[str, Any], Plan]) -> Budget:
    """The random spec, validated against the schema and the cross-checks."""
    try:
        return budget_from_dict(spec_and_plan[0], f"random M spec, seed {SEED}")
    except SpecError as exc:
        pytest.fail(seeded(f"the random spec is invalid:\n{exc}"))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, budget: Budget) -> Path:
    """The generated workbook (read-only)."""
    path = tmp_path_factory.mktemp("agreement") / f"random-m-{SEED}.xlsx"
    path.write_bytes(workbook_bytes(budget))
    return path


@pytest.fixture(scope="module")
def checked(workbook: Path, budget: Budget) -> Checked:
    """``check`` run on the random M workbook, recorded."""
    return check_recording(workbook, budget)


def check_recording(workbook: Path, budget: Budget) -> Checked:
    """Run ``check_workbook`` and record the evaluator's input, result and parse routes."""
    calls: list[tuple[Any, Any, Any, Evaluation]] = []
    real_evaluate_workbook = evaluate_module.evaluate_workbook

    def recording_evaluate_workbook(content: Any, *, limits: Limits = DEFAULT_LIMITS) -> Evaluation:
        evaluation = real_evaluate_workbook(content, limits=limits)
        values: dict[CellKey, object] = {}
        formulas: dict[CellKey, str] = {}
        for name, sheet in content.sheets.items():
            values.update(((name, a), v) for a, v in sheet.values.items())
            values.update(((name, a), ErrorValue(code)) for a, code in sheet.errors.items())
            formulas.update(((name, a), text) for a, text in sheet.formulas.items())
        calls.append((values, formulas, content.names, evaluation))
        return evaluation

    own: list[str] = []
    parser: list[str] = []
    fallback: list[str] = []
    with (
        mock.patch.object(evaluate_module, "evaluate_workbook", recording_evaluate_workbook),
        mock.patch.object(ec, "parse_own", recording(own, ec.parse_own)),
        mock.patch.object(ec, "parse_with_formulas", recording(parser, ec.parse_with_formulas)),
        mock.patch.object(ec, "fallback", recording(fallback, ec.fallback)),
    ):
        report = check_workbook(workbook, budget)
    assert len(calls) == 1, seeded(
        f"check_workbook called evaluate_workbook {len(calls)} times, not once"
    )
    values, formulas, names, evaluation = calls[0]
    return Checked(
        values=dict(values),
        formulas=dict(formulas),
        names=dict(names or {}),
        evaluation=evaluation,
        report=report,
        own_parser=own,
        formulas_parser=parser,
        formulas_fallback=fallback,
    )


# --- tests ------------------------------------------------------------------------------


@pytest.mark.slow
def test_fast_path_evaluates_every_formula_cell_of_a_random_m_workbook(checked: Checked) -> None:
    """check's own route evaluates all ~16 000 formula cells, every shape parsed by our parser
    and compiled to the fast path: nothing unsupported, circular, left to formulas or an error."""
    evaluation = checked.evaluation
    assert len(checked.formulas) > MIN_FORMULA_CELLS, seeded(len(checked.formulas))
    assert not evaluation.unsupported, seeded(evaluation.unsupported)
    assert not evaluation.circular, seeded(sorted(evaluation.circular)[:10])
    assert not checked.formulas_parser, seeded(
        f"left to formulas' Parser: {checked.formulas_parser}"
    )
    assert not checked.formulas_fallback, seeded(
        f"computed by formulas: {checked.formulas_fallback}"
    )
    assert len(set(checked.own_parser)) >= 10, seeded(f"only shapes {set(checked.own_parser)}")
    missing = set(checked.formulas) - set(evaluation.values)
    assert not missing, seeded(f"no value for {sorted(missing)[:10]}")
    errors = {k: v for k, v in evaluation.values.items() if isinstance(v, ErrorValue)}
    assert not errors, seeded(f"error values: {list(errors.items())[:10]}")
    kinds = Counter(type(v).__name__ for v in evaluation.values.values())
    assert set(kinds) == {"float", "str"}, seeded(kinds)


@pytest.mark.office
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) missing")
def test_libreoffice_recalculation_agrees_on_every_formula_cell(
    checked: Checked, workbook: Path, tmp_path: Path
) -> None:
    """LibreOffice, recalculating a copy whose saved values are all stale, gives the fast path's
    value in every formula cell of the random M workbook."""
    assert_libreoffice_agrees(checked, workbook, tmp_path, MIN_FORMULA_CELLS)


def assert_libreoffice_agrees(
    checked: Checked, workbook: Path, tmp_path: Path, min_cells: int
) -> None:
    """LibreOffice recalculates a stale copy of *workbook*; every formula cell must agree."""

    def stale(xml: str) -> str:
        def replace(m: re.Match[str]) -> str:
            value = STALE_TEXT if ' t="str"' in m.group(1) else STALE_NUMBER
            return m.group(1) + value + m.group(2)

        return re.sub(r"(<c [^>]*><f>[^<]*</f><v>)[^<]*(</v>)", replace, xml)

    with zipfile.ZipFile(workbook) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    poisoned = damage.with_parts(workbook, tmp_path / "stale.xlsx", dict.fromkeys(parts, stale))
    saved = {
        (name, address): sheet.cached.get(address)
        for name, sheet in read_workbook(poisoned).sheets.items()
        for address in sheet.formulas
    }
    fresh = [k for k in checked.formulas if saved.get(k) not in (float(STALE_NUMBER), STALE_TEXT)]
    assert not fresh, seeded(f"saved values left as they were: {fresh[:10]}")

    [out] = recalculate_libreoffice([poisoned], tmp_path / "libreoffice")
    theirs = read_values(out)
    cells = sorted(checked.formulas)
    assert len(cells) > min_cells, seeded(len(cells))
    found = disagreements(checked.evaluation.values, theirs, cells, "LibreOffice")
    assert found == [], seeded(
        f"{len(found)} of {len(cells)} cells differ:\n" + "\n".join(found[:40])
    )


@pytest.mark.slow
def test_formulas_route_agrees_on_every_formula_cell(checked: Checked) -> None:
    """Every shape parsed by formulas' Parser and computed by formulas' compiled function gives
    the fast path's value in every formula cell of the random M workbook (~6 s on M)."""
    assert_formulas_route_agrees(checked, MIN_FORMULA_CELLS)


def assert_formulas_route_agrees(checked: Checked, min_cells: int) -> None:
    """Evaluate *checked*'s input again with every shape parsed and computed by formulas."""
    parser: list[str] = []
    fallback: list[str] = []

    def never_fast(tree: Any, n_refs: int) -> str:
        raise ec.NotFast("forced through formulas")

    with (
        mock.patch.object(ec, "parse_own", lambda shape: None),
        mock.patch.object(ec, "parse_with_formulas", recording(parser, ec.parse_with_formulas)),
        mock.patch.object(ec, "shape_source", never_fast),
        mock.patch.object(ec, "fallback", recording(fallback, ec.fallback)),
    ):
        theirs = evaluate_module.evaluate(checked.values, checked.formulas, checked.names)
    shapes = set(checked.own_parser)
    assert set(parser) == shapes, seeded(f"not parsed by formulas: {shapes - set(parser)}")
    assert set(fallback) == shapes, seeded(f"not computed by formulas: {shapes - set(fallback)}")
    assert not theirs.unsupported, seeded(theirs.unsupported)
    assert not theirs.circular, seeded(sorted(theirs.circular)[:10])
    cells = sorted(checked.formulas)
    assert len(cells) > min_cells, seeded(len(cells))
    found = disagreements(checked.evaluation.values, theirs.values, cells, "formulas")
    assert found == [], seeded(
        f"{len(found)} of {len(cells)} cells differ:\n" + "\n".join(found[:40])
    )


def test_check_agrees_with_the_python_recomputation(
    checked: Checked, budget: Budget, plan: Plan
) -> None:
    """check's totals, recomputed totals, rule statuses and findings are those the Python
    recomputation (compute.budget_totals) gives of the spec within the scheme (a cap over
    4 000 000 kr is the scheme's, and an error), and the plan's branches were taken."""
    spec, budget = budget, within_scheme(budget)
    report, t = checked.report, budget_totals(budget)
    assert report.totals == t, seeded(f"{report.totals} != {t}")
    for anchor, expected in {
        "costs": t.costs,
        "in_kind": t.in_kind,
        "total_costs": t.total_costs,
        "kdd_total": t.kdd,
        "statsforvalteren": t.statsforvalteren,
        "own_share": t.in_kind,
        "financing": t.financing,
        "balance": t.balance,
        "kdd_eligible": t.kdd_eligible,
    }.items():
        got = report.recomputed[anchor]
        assert abs(got - expected) <= TOLERANCE, seeded(f"{anchor}: {got} != {expected}")

    years, municipalities = budget.pilot.years, budget.pilot.municipalities
    expected_findings: Counter[tuple[str, str | None, str | None]] = Counter()
    for breach in breaches(spec):
        expected_findings["spec-against-scheme", None, breach.what] += 1
    if t.kdd > t.kdd_cap:
        expected_findings["kdd-over-cap", SUMMARY_SHEET, None] += 1
    if t.kdd > t.kdd_eligible:
        expected_findings["kdd-over-eligible", SUMMARY_SHEET, None] += 1
    unbalanced = missing_hours = over_project_eligible = False
    for project in budget.projects:
        pt = project_totals(budget, project)
        for y, (kdd, eligible) in enumerate(zip(pt.kdd, pt.kdd_eligible, strict=True)):
            if kdd > eligible:
                over_project_eligible = True
                what = f"{project.name} {years[y]}"
                expected_findings["kdd-over-eligible-project", project.sheet, what] += 1
        for y, balance in enumerate(pt.balance):
            if balance != 0:
                unbalanced = True
                expected_findings["not-balanced", project.sheet, f"{project.name} {years[y]}"] += 1
        for m, municipality in enumerate(municipalities):
            if project.working_group and sum(pt.hours_by_municipality[m]) <= 0:
                missing_hours = True
                expected_findings["missing-hours", project.sheet, municipality] += 1
    found = Counter((f.code, f.sheet, f.params.get("what")) for f in report.findings)
    assert found == expected_findings, seeded(
        f"unexpected {found - expected_findings}, missing {expected_findings - found}"
    )
    errors = {"kdd-over-cap", "kdd-over-eligible", "kdd-over-eligible-project", "not-balanced"}
    errors.add("spec-against-scheme")
    assert report.ok == (not any(code in errors for code, _, _ in expected_findings)), seeded(
        report.errors[:5]
    )

    statuses = {
        "rule_cap": OK if t.kdd <= t.kdd_cap else OVER_CAP,
        "rule_eligible": OK if t.kdd <= t.kdd_eligible else OVER_ELIGIBLE,
        "rule_eligible_projects": OVER_ELIGIBLE if over_project_eligible else OK,
        "rule_balance": NOT_BALANCED if unbalanced else OK,
        "rule_hours": MISSING_HOURS if missing_hours else OK,
        "rule_categories": OK,
    }
    statuses["rule_all"] = OK if set(statuses.values()) == {OK} else SEE_RULES
    got = {key: report.recomputed[key] for key in statuses}
    assert got == statuses, seeded(f"rule statuses {got}, Python says {statuses}")
    if spec.pilot.kdd_cap <= MAX_KDD_CAP:
        assert (got["rule_cap"] == OK) == (plan.cap != "over"), seeded(plan)
    assert (got["rule_balance"] == OK) == plan.balanced, seeded(plan)
    assert (got["rule_hours"] == OK) == plan.hours_complete, seeded(plan)
    if plan.kdd_within_eligible:
        assert got["rule_eligible"] == OK, seeded(plan)


def test_comparison_reports_exactly_the_cells_that_differ(checked: Checked) -> None:
    """The comparison has teeth: of ~16 000 equal cells it reports exactly a number off by
    1 kr, a changed status text and a missing value, and nothing for an int, a date serial or
    a difference under half an øre."""
    rng = random.Random(SEED)
    ours = checked.evaluation.values
    cells = sorted(checked.formulas)
    numbers = [
        k
        for k in cells
        if is_number(ours[k]) and 1 <= float(ours[k]) < 2_000_000 and float(ours[k]).is_integer()
    ]
    texts = [k for k in cells if isinstance(ours[k], str) and ours[k]]
    assert len(cells) > MIN_FORMULA_CELLS and numbers and texts, seeded(len(cells))
    changed, retyped, missing, nudged, as_int, as_date = rng.sample(numbers, 6)
    status = rng.choice(texts)

    assert disagreements(ours, dict(ours), cells, "copy") == [], seeded("a copy differs")
    theirs = dict(ours)
    theirs[changed] = float(ours[changed]) + 1
    theirs[status] = f"{ours[status]}!"
    del theirs[missing]
    theirs[retyped] = str(ours[retyped])
    theirs[nudged] = float(ours[nudged]) + TOLERANCE / 2
    theirs[as_int] = int(float(ours[as_int]))
    theirs[as_date] = EXCEL_EPOCH + dt.timedelta(days=float(ours[as_date]))
    found = disagreements(ours, theirs, cells, "theirs")
    reported = {line.split(": ours ")[0] for line in found}
    expected = {f"{s}!{a}" for s, a in (changed, status, missing, retyped)}
    assert reported == expected, seeded(f"reported {found}, expected {sorted(expected)}")
    assert len(found) == 4, seeded(found)


# --- S: the built-in Hjerteregionen workbook ------------------------------------------------

MIN_FORMULA_CELLS_S = 700  # S has 730


@pytest.fixture(scope="module")
def example_checked(example_workbook: Path, example_budget: Budget) -> Checked:
    """``check`` run on the generated Hjerteregionen workbook, recorded."""
    return check_recording(example_workbook, example_budget)


@pytest.mark.office
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) missing")
def test_libreoffice_agrees_on_every_formula_cell_of_s(
    example_checked: Checked, example_workbook: Path, tmp_path: Path
) -> None:
    """The same comparison on S: LibreOffice, recalculating a stale copy, gives the fast
    path's value in every one of the example's formula cells."""
    assert not example_checked.formulas_fallback
    assert_libreoffice_agrees(example_checked, example_workbook, tmp_path, MIN_FORMULA_CELLS_S)


def test_formulas_route_agrees_on_every_formula_cell_of_s(example_checked: Checked) -> None:
    """The same comparison on S through formulas' Parser and compiled functions (the whole
    ``formulas.ExcelModel`` agrees on S too: test_evaluate.py)."""
    assert_formulas_route_agrees(example_checked, MIN_FORMULA_CELLS_S)
