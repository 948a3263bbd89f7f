"""Property: for generated ledgers, every line is counted once and every figure is the sum of
its postings (read back through a municipal CSV in every amount notation)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bygdevekst_xl.accounts.classify import Classifier
from bygdevekst_xl.accounts.csv_ledger import read_csv
from bygdevekst_xl.accounts.ledger import LedgerInfo, kroner
from bygdevekst_xl.accounts.mapping import map_from_dict
from bygdevekst_xl.accounts.report import build_report
from bygdevekst_xl.spec import example_path, load_spec
from tests.accounts_fixtures import MAP, PROJECT_CODES, Row, write_csv

BUDGET = load_spec(example_path())
MAPPING = map_from_dict(MAP, BUDGET)
PERIOD = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
ACCOUNTS = {
    "10100": ("cost", "prosjektledelse"),
    "11600": ("cost", "reiser"),
    "11500": ("cost", "kurs"),
    "12700": ("cost", "utredninger"),
    "14290": ("ignored", "vat"),
    "17290": ("ignored", "vat"),
    "17000": ("income", "kdd"),
    "18100": ("income", "statsforvalteren"),
    "13700": ("refused", "unplaced"),
}
rows = st.lists(
    st.builds(
        Row,
        voucher=st.sampled_from(["1", "2", "3", "10", "11"]),
        line=st.sampled_from(["1", "2", "3"]),
        date=st.dates(dt.date(2023, 11, 1), dt.date(2026, 2, 28)),
        account=st.sampled_from(sorted(ACCOUNTS)),
        project=st.sampled_from([*PROJECT_CODES, "777777", ""]),
        ore=st.integers(-(10**11), 10**11),
        text=st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), max_size=12),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)))
def test_every_figure_is_the_sum_of_its_postings(generated, as_of):
    """Lines read = cost + income + ignored + outside + refused; each cost figure (per project,
    category and year; in the period; to the as-of date) and each funder's booked income is the
    sum of exactly the postings that belong to it, rounded once."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "hb.csv", generated, encoding="iso-8859-1")
        classifier = Classifier(MAPPING, PERIOD)
        info = LedgerInfo(path, "csv")
        classifier.add_all(read_csv(path, MAP["columns"], info))
    report = build_report(BUDGET, MAPPING, classifier.result, [info], [], as_of)
    counts = report.classified.counts()
    assert counts["read"] == len(generated)
    assert sum(counts[k] for k in ("cost", "income", "ignored", "outside", "refused")) == len(
        generated
    )

    seen: set[tuple[str, str]] = set()
    cost: dict[tuple[str, str, int], int] = defaultdict(int)
    to_date: dict[tuple[str, str], int] = defaultdict(int)
    income: dict[str, int] = defaultdict(int)
    outside = 0
    for r in generated:
        project = PROJECT_CODES.get(r.project)
        if project is None:
            outside += 1
            continue
        if (r.voucher, r.line) in seen:
            continue
        seen.add((r.voucher, r.line))
        if not PERIOD[0] <= r.date <= PERIOD[1]:
            continue
        place, target = ACCOUNTS[r.account]
        if place == "cost":
            cost[(project, target, r.date.year)] += r.ore
            if r.date <= as_of:
                to_date[(project, target)] += r.ore
        elif place == "income" and r.date <= as_of:
            income[target] -= r.ore
    assert counts["outside"] == outside
    years = BUDGET.pilot.years
    for line in report.lines:
        per_year = tuple(kroner(cost[(line.project, line.category, y)]) for y in years)
        assert line.actual == per_year
        assert line.total_actual == kroner(
            sum(cost[(line.project, line.category, y)] for y in years)
        )
        assert line.cumulative == kroner(to_date[(line.project, line.category)])
    covered = {(x.project, x.category) for x in report.lines}
    assert {(p, c) for (p, c, _y), ore in cost.items()} <= covered
    for f in report.financing:
        assert f.booked == kroner(income[f.funder])
        assert 0 <= f.request <= max(0, f.tilsagn - f.received - f.hold_back)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(-(10**9), 10**9),
    st.lists(
        st.tuples(st.sampled_from(sorted(PROJECT_CODES)), st.integers(0, 10**6)),
        max_size=3,
        unique_by=lambda share: share[0],
    ),
    st.sampled_from(["1.10", "1.30"]),
)
def test_saft_shares_never_count_a_line_twice(ore, shares, version):
    """A SAF-T line split over projects gives postings that add up to the line, each share
    signed as the line (1.10's AnalysisAmount) or as its own side (1.30)."""
    from bygdevekst_xl.accounts.saft import read_saft
    from tests.accounts_fixtures import saft_text

    row = Row("5", "1", dt.date(2024, 6, 1), "11600", "", ore)
    parts = [(code, min(amount, abs(ore))) for code, amount in shares]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.xml"
        text = saft_text([row], version=version, shares={("5", "1"): parts} if parts else {})
        path.write_text(text, "utf-8")
        postings = list(read_saft(path, LedgerInfo(path, "saf-t")))
    assert sum(p.ore for p in postings) == ore
    sign = 1 if ore >= 0 else -1
    by_project = {p.project: p.ore for p in postings if p.project}
    assert by_project == {code: sign * amount for code, amount in parts}
    assert len({p.key for p in postings}) == len(postings)
