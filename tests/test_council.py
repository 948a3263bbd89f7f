"""The council pack: figures in 1 000 kr that add up, PDFs that hold them, refusals."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.cli import main
from bygdevekst_xl.compute import project_totals
from bygdevekst_xl.council.figures import (
    ROUNDING_NOT_BALANCED,
    ROUNDING_WIDER,
    SOURCES,
    tables,
)
from bygdevekst_xl.council.fonts import fonts_for
from bygdevekst_xl.council.rounding import (
    Cell,
    controlled_round,
    largest_remainder,
    round_half_away,
)
from bygdevekst_xl.council.words import hours_text, kroner_text, thousands
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.messages import NBSP
from bygdevekst_xl.office import gnumeric_path, recalculate_gnumeric
from bygdevekst_xl.spec import budget_from_dict
from tests.conftest import edited
from tests.damage import with_openpyxl
from tests.strategies import specs

MUNICIPALITIES = ("Hammerfest", "Hasvik", "Måsøy")


def adjacent(rounded: int, exact: int) -> bool:
    """``rounded`` (thousands) is one of the two whole thousands nearest ``exact`` (kroner)."""
    return exact // 1000 <= rounded <= -(-exact // 1000)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(-3_000_000, 3_000_000), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_controlled_rounding_adds_up_and_stays_adjacent(table):
    """Every cell, row, column and grand total is one of its two nearest thousands, rows and
    columns add up to their totals, and the grand total is the nearest thousand."""
    cells = [Cell(value, (i,), (j,)) for i, row in enumerate(table) for j, value in enumerate(row)]
    r = controlled_round(cells)
    n = len(table[0])
    for k, cell in enumerate(cells):
        assert adjacent(r.cells[k], cell.value)
    for i, row in enumerate(table):
        assert r.rows[(i,)] == sum(r.cells[i * n : (i + 1) * n])
        assert adjacent(r.rows[(i,)], sum(row))
    for j in range(n):
        assert r.cols[(j,)] == sum(r.cells[j::n])
        assert adjacent(r.cols[(j,)], sum(row[j] for row in table))
    assert r.grand == sum(r.cells) == round_half_away(sum(map(sum, table)))


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 10**9),
    st.lists(st.one_of(st.integers(0, 2000), st.floats(0, 2000)), min_size=1, max_size=6),
)
def test_largest_remainder_shares_add_up_to_the_total(total, weights):
    """Shares add up to the total exactly, each within one unit of its proportional quota."""
    shares = largest_remainder(total, weights)
    assert sum(shares) == total
    weight = sum(weights)
    for share, w in zip(shares, weights, strict=True):
        quota = total * w / weight if weight else total / len(weights)
        assert quota - 1 < share < quota + 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_tables_add_up_agree_and_round_to_the_nearest_thousands_for_any_budget(spec):
    """For any budget, every printed row and column of the tables adds up, the tables agree with
    each other, each figure is one of its two nearest thousands (unless the rule printed says
    otherwise) and the grand totals are the nearest thousands."""
    budget = budget_from_dict(spec)
    per_project = [project_totals(budget, p) for p in budget.projects]
    t = tables(budget, per_project)
    p, n = t.plan, len(budget.pilot.years)
    for row, exact in zip(p.costs, per_project, strict=True):
        assert sum(row[:n]) == row[n]
        if ROUNDING_WIDER not in t.rule:
            assert all(adjacent(row[y], round(exact.total_costs[y])) for y in range(n))
    for y in range(n + 1):
        assert p.cost_totals[y] == sum(row[y] for row in p.costs)
        assert p.financing_totals[y] == sum(p.financing[s][y] for s in SOURCES)
    for s in SOURCES:
        assert sum(p.financing[s][:n]) == p.financing[s][n]
    assert p.cost_totals[n] == round_half_away(round(sum(sum(x.total_costs) for x in per_project)))
    assert p.financing_totals[n] == round_half_away(
        round(sum(sum(x.financing) for x in per_project))
    )
    for y, (_, lines) in enumerate(t.detail.blocks[:-1]):
        *body, total = lines
        assert [line.cost for line in body] == [row[y] for row in p.costs]
        assert total.cost == sum(line.cost for line in body) == p.cost_totals[y]
        for s in SOURCES:
            assert total.sources[s] == sum(line.sources[s] for line in body) == p.financing[s][y]
        for line in lines:
            assert line.financing == sum(line.sources.values())
            assert line.balance == line.financing - line.cost
    (period,) = t.detail.blocks[-1][1]
    assert (period.cost, period.financing) == (p.cost_totals[n], p.financing_totals[n])
    balanced = all(b == 0 for x in per_project for b in x.balance)
    assert (ROUNDING_NOT_BALANCED in t.rule) != balanced
    if balanced:
        assert all(line.balance == 0 for _, lines in t.detail.blocks for line in lines)


def uneven_workbook(example_dict, path: Path) -> Path:
    """A balanced workbook whose amounts and hours are not whole thousands."""
    path.write_bytes(workbook_bytes(uneven_budget(example_dict)))
    return path


def uneven_budget(example_dict):
    """The example with odd kroner and quarter hours, still balanced."""
    return edited(
        example_dict,
        **{
            "projects.0.costs.0.amounts": [1_050_499, 1_080_777],
            "projects.0.financing.kdd": [1_180_499, 1_210_777],
            "projects.0.hours.Hammerfest": [60.5, 61.25],
            "projects.1.hours.Hasvik": [150.75, 149],
            "projects.4.costs.0.amounts": [300_321, 200_650],
            "projects.4.financing.statsforvalteren": [300_321, 200_650],
        },
    )


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as pdftotext lays it out (whitespace kept)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in out.replace("\u00a0", " ").split("\f") if page.strip()]


def numbers(line: str) -> list[int]:
    """The whole numbers of a table line, columns split at two or more spaces."""
    cells = [c for c in re.split(r"\s{2,}", line.strip()) if re.fullmatch(r"-?\d{1,3}( \d{3})*", c)]
    return [int(c.replace(" ", "")) for c in cells]


def block(text: str, first: str, last: str) -> list[list[int]]:
    """The number rows after the line matching ``first`` up to the one starting with ``last``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(first, line.strip()))
    end = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(last))
    return [numbers(line) for line in lines[start + 1 : end + 1] if numbers(line)]


def test_pdfs_hold_each_municipalitys_share_and_the_checked_totals(
    tmp_path, example_dict, example_budget, capsys
):
    """Each municipality's PDF holds its hours and kroner, the check's totals (exact, and in
    1 000 kr after the stated rounding), tables that add up as printed, and on every page the
    content digest that `check` reports."""
    budget = uneven_budget(example_dict)
    workbook = tmp_path / "budsjett.xlsx"
    workbook.write_bytes(workbook_bytes(budget))
    report = check_workbook(workbook, example_budget)
    assert report.ok
    t = report.totals
    out = tmp_path / "pakke"
    out.mkdir()
    assert main(["council", str(workbook), "-o", str(out)]) == 0
    assert main(["check", "--json", str(workbook)]) == 0
    digest = json.loads(capsys.readouterr().out.splitlines()[-1])["content_digest"]
    assert digest == report.content_digest
    assert main(["check", str(workbook)]) == 0
    assert f"Innholds-ID: {digest}" in capsys.readouterr().out
    in_kind_shares = 0
    for m in MUNICIPALITIES:
        slug = {"Måsøy": "masoy"}.get(m, m.lower())
        pages = pdf_pages(out / f"kommunestyre-{slug}.pdf")
        text = "\n".join(pages)
        for page in pages:
            assert f"innholds-ID {digest}" in page
        assert "støtteberettigede kostnader" in text and "støttbar" not in text
        for value in (t.total_costs, t.kdd, t.statsforvalteren, t.in_kind, t.kdd_headroom):
            assert f"{round(value):,} kr".replace(",", " ") in text
        costs = block(text, "Kostnadsplan", "Sum kostnader")
        *rows, total = costs
        assert total[-1] == round_half_away(round(t.total_costs))
        for row in costs:
            assert sum(row[:-1]) == row[-1]
        assert [sum(col) for col in zip(*rows, strict=True)] == total
        *rows, fin_total = block(text, "Finansieringsplan", "Sum finansiering")
        assert fin_total[-1] == round_half_away(round(t.financing))
        assert [sum(col) for col in zip(*rows, strict=True)] == fin_total
        for source, row in zip(SOURCES, rows, strict=True):
            assert sum(row[:-1]) == row[-1]
            assert adjacent(row[-1], round(getattr(t, source)))
        detail_rows = block(text, r"Prosjekt\s+Kostnader", "Sum hele perioden")
        n = len(budget.projects)
        assert len(detail_rows) == 2 * (n + 1) + 1
        for cost, *sources, funded, balance in detail_rows:
            assert funded == sum(sources) and balance == funded - cost
        years = [detail_rows[y * (n + 1) : (y + 1) * (n + 1)] for y in range(2)]
        for y, (*lines, year_total) in enumerate(years):
            assert [sum(col) for col in zip(*lines, strict=True)] == year_total
            assert year_total[0] == total[y] and year_total[4] == fin_total[y]
        assert detail_rows[-1][0] == fin_total[-1] == total[-1]
        hours = [sum(project.hours_of(m)[y] for project in budget.projects) for y in range(2)]
        share = block(text, r"Prosjekt\s+Timer", f"Sum {m}")
        share_total = next(
            line for line in text.splitlines() if line.strip().startswith(f"Sum {m}")
        )
        assert f"{hours_label(sum(hours))}" in share_total
        kroner = int(re.split(r"\s{2,}", share_total.strip())[-1].replace(" ", ""))
        assert kroner == sum(hours) * budget.pilot.hourly_rate  # quarter hours at 700 kr: exact
        assert sum(r[-1] for r in share) == 2 * kroner  # project rows plus their total
        in_kind_shares += kroner
        decision = (out / f"vedtak-{slug}.txt").read_text("utf-8")
        written_hours = hours_label(sum(hours)).replace(" ", NBSP)  # no-break spaces in numbers
        assert f"egeninnsats på {written_hours} timer" in decision
        assert f"verdsatt til {kroner:,}{NBSP}kr".replace(",", NBSP) in decision
        assert not re.search(r"\d \d{3}\b|\d kr\b", decision)
        assert re.search(r"^1\. Kommunestyret i " + m, decision, re.M)
        word = docx.Document(str(out / f"vedtak-{slug}.docx"))
        points = [p.text for p in word.paragraphs if p.style.name == "List Number"]
        assert [f"{i}. {p}" for i, p in enumerate(points, 1)] == re.findall(
            r"^\d+\. .*$", decision, re.M
        )
        assert f"Innholds-ID {digest}" in word.sections[0].footer.paragraphs[0].text
    assert in_kind_shares == round(t.in_kind)


def hours_label(hours: float) -> str:
    """Hours as the pack writes them: ``1 160`` or ``150,75``."""
    whole, _, decimals = f"{hours:.6f}".rstrip("0").rstrip(".").partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return f"{grouped},{decimals}" if decimals else grouped


def over_cap(example_workbook: Path, target: Path) -> Path:
    def edit(wb):
        wb["1 Prosjektledelse"]["C28"] = 2_500_000
        wb["1 Prosjektledelse"]["C7"] = 2_370_000

    return with_openpyxl(example_workbook, target, edit)


def test_a_workbook_with_errors_is_refused_unless_draft(tmp_path, example_workbook, capsys):
    """With errors the command exits 1 listing them and writes nothing; --draft writes the pack
    with UTKAST on every page and the errors listed, under another content digest."""
    workbook = over_cap(example_workbook, tmp_path / "over.xlsx")
    out = tmp_path / "pakke"
    out.mkdir()
    assert main(["council", str(workbook), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "kdd-over-cap" in err and "--draft" in err
    assert list(out.iterdir()) == []
    assert (
        main(["council", str(workbook), "-o", str(out), "--municipality", "hasvik", "--draft"]) == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "kommunestyre-hasvik.pdf",
        "vedtak-hasvik.docx",
        "vedtak-hasvik.txt",
    ]
    pages = pdf_pages(out / "kommunestyre-hasvik.pdf")
    assert len(pages) > 1
    for page in pages:
        assert "UTKAST" in page
    text = "\n".join(pages)
    assert "Over taket" in text and "kdd-over-cap" in text
    assert (out / "vedtak-hasvik.txt").read_text("utf-8").startswith("UTKAST")
    word = docx.Document(str(out / "vedtak-hasvik.docx"))
    assert word.sections[0].header.paragraphs[0].text == "UTKAST"
    clean = check_workbook(example_workbook, budget_rules())
    assert clean.content_digest and clean.content_digest not in text


def budget_rules():
    from bygdevekst_xl.spec import example_path, load_spec

    return load_spec(example_path())


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.xlsx"], "missing.xlsx: no such file"),
        (["WB", "-o", "EXISTING/vedtak-hasvik.txt"], "is not a folder"),
        (["WB", "--municipality", "Oslo"], "no municipality 'Oslo'"),
        (["WB", "-o", "EXISTING"], "file exists and differs; use --force"),
    ],
)
def test_bad_paths_give_one_line_and_exit_2(tmp_path, example_workbook, capsys, args, message):
    """A missing workbook, a file given as the folder, an unknown municipality or an output that
    would overwrite a different file: one line naming it on stderr, exit 2, nothing written."""
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "vedtak-hasvik.txt").write_text("someone's notes", "utf-8")
    args = [
        str(example_workbook)
        if a == "WB"
        else str(existing)
        if a == "EXISTING"
        else str(tmp_path / a.lower())
        if a.startswith("EXISTING/")
        else str(tmp_path / a)
        if a.endswith(("xlsx", "nowhere"))
        else a
        for a in args
    ]
    assert main(["council", "--lang", "en", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert sorted(p.name for p in existing.iterdir()) == ["vedtak-hasvik.txt"]
    assert (existing / "vedtak-hasvik.txt").read_text("utf-8") == "someone's notes"


@pytest.mark.office
@pytest.mark.skipif(gnumeric_path() is None, reason="Gnumeric (ssconvert) missing")
def test_content_digest_survives_a_resave_and_follows_the_inputs(
    tmp_path, example_dict, example_budget
):
    """Re-saved by Gnumeric (other bytes, same inputs) the workbook keeps its content digest;
    one changed hour gives another."""
    workbook = uneven_workbook(example_dict, tmp_path / "budsjett.xlsx")
    resaved = recalculate_gnumeric(workbook, tmp_path / "gnumeric.xlsx")
    assert resaved.read_bytes() != workbook.read_bytes()
    digest = check_workbook(workbook, example_budget).content_digest
    assert digest and check_workbook(resaved, example_budget).content_digest == digest
    changed = example_dict["projects"][2]["hours"]["Hasvik"]
    example_dict["projects"][2]["hours"]["Hasvik"] = [changed[0] + 1, changed[1]]
    other = uneven_workbook(example_dict, tmp_path / "endret.xlsx")
    assert check_workbook(other, example_budget).content_digest != digest


def test_sami_letters_are_printed_not_boxed(tmp_path, example_dict, capsys):
    """Letters Helvetica lacks (ŋ, č, đ, ŧ in Sami names) are printed in DejaVu Sans, or the
    command warns that this machine has no font for them."""
    text = "Samarbeid med Porsáŋgu, Čáhcesuolu og Deatnu."
    budget = edited(example_dict, **{"projects.0.description": [text]})
    workbook = tmp_path / "samisk.xlsx"
    workbook.write_bytes(workbook_bytes(budget))
    assert main(["council", str(workbook), "-o", str(tmp_path), "--municipality", "Hasvik"]) == 0
    printed = "\n".join(pdf_pages(tmp_path / "kommunestyre-hasvik.pdf"))
    if fonts_for([text]).missing:
        assert "ŋ" in capsys.readouterr().err
    else:
        assert text in " ".join(printed.split())


def test_the_pack_writes_numbers_with_no_break_spaces_and_a_true_minus():
    """Amounts and hours in the draft decision (and the attachment) never break over a line
    and show a negative with a minus sign (U+2212), not a hyphen."""
    assert thousands(1_180_000) == "1\u00a0180\u00a0000"
    assert thousands(-12_500) == "\u221212\u00a0500"
    assert kroner_text(-12_500) == "\u221212\u00a0500\u00a0kr"
    assert hours_text(1161.75) == "1\u00a0161,75"
    assert hours_text(-2.5) == "\u22122,5"
