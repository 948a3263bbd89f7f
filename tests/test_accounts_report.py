"""The accounts command end to end: which lines count, the figures, the checks, the workbook
read back through the reader and the evaluator, the JSON report and the in-kind PDF."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest
from jsonschema import Draft202012Validator

from bygdevekst_xl.accounts import run_accounts
from bygdevekst_xl.accounts.mapping import MapError
from bygdevekst_xl.cli import main
from bygdevekst_xl.evaluate import evaluate_workbook
from bygdevekst_xl.layout.accounts_sheets import BVA_SHEET, FINANCING_SHEET, VOUCHER_SHEET
from bygdevekst_xl.schema import schema_named
from bygdevekst_xl.spec import budget_from_dict, budget_to_dict
from bygdevekst_xl.xlsx import Limits, ReadError, read_workbook
from tests.accounts_fixtures import (
    MAP,
    Row,
    hours_text,
    saft_text,
    standard_rows,
    write_csv,
    write_map,
    write_workbook,
)

GRANT = {
    "kdd": {
        "tilsagn": 3_000_000,
        "tilsagn_date": "2024-01-20",
        "period": {"start": "2024-01-01", "end": "2025-12-31"},
        "payments": [{"date": "2024-03-01", "amount": 90_000}],
        "hold_back_percent": 10,
    },
    "statsforvalteren": {
        "tilsagn": 100_000,
        "tilsagn_date": "2024-02-01",
        "period": {"start": "2024-01-01", "end": "2025-12-31"},
        "payments": [{"date": "2024-03-01", "amount": 150_000}],
    },
}


@pytest.fixture
def granted(example_budget):
    """The example budget with a grant block (KDD 10 % held back; SF paid more than granted)."""
    data = budget_to_dict(example_budget)
    data["grant"] = copy.deepcopy(GRANT)
    return budget_from_dict(data)


@pytest.fixture
def files(tmp_path, granted):
    """Workbook, map, a CSV ledger of one municipality, a SAF-T of another, a time sheet."""
    workbook = write_workbook(tmp_path, granted)
    mapping = write_map(tmp_path)
    csv = write_csv(tmp_path / "hammerfest.csv", standard_rows())
    saft_rows = [
        Row("S1", "1", dt.date(2024, 8, 1), "11600", "", 30_000_00, "Reise, delt"),
        Row("S2", "1", dt.date(2024, 8, 2), "11600", "212500", 4_000_00, "Reise"),
        Row("S2", "2", dt.date(2026, 2, 1), "11600", "212500", 1_000_00, "Etter perioden"),
    ]
    saft = tmp_path / "hasvik.xml"
    saft.write_text(
        saft_text(
            saft_rows,
            version="1.10",
            shares={("S1", "1"): [("212500", 10_000_00), ("212501", 5_000_00)]},
            projects=[("212500", "2024-01-01", "2025-12-31", "Active")],
        ),
        "utf-8",
    )
    hours = tmp_path / "timer.csv"
    hours.write_text(
        hours_text(
            [
                [
                    "Hasvik",
                    "Kari",
                    "01.03.2024",
                    "212500",
                    "Arbeidsgruppe",
                    "7,5",
                    "Ola",
                    "02.03.2024",
                ],
                ["hasvik", "Kari", "05.03.2024", "prosjektledelse", "Møte", "2,25", "", ""],
                ["Måsøy", "Per", "05.03.2024", "212501", "Møte", "3", "Per", "06.03.2024"],
                ["Tromsø", "Eva", "05.03.2024", "212501", "Møte", "1", "Ola", "06.03.2024"],
            ]
        ),
        "utf-8",
    )
    return workbook, mapping, csv, saft, hours


def test_every_line_lands_in_exactly_one_place(files):
    """Costs, income, VAT ignored, outside the pilot and refused add up to the lines read."""
    workbook, mapping, csv, saft, hours = files
    run = run_accounts(workbook, [csv, saft], mapping, [hours], dt.date(2025, 12, 31))
    counts = run.report.classified.counts()
    assert counts == {
        "cost": 9,
        "income": 2,
        "ignored": 2,
        "outside": 3,
        "refused": 1,
        "read": 17,
    }
    refused = run.report.classified.of("refused")
    assert [(b.posting.voucher, b.target) for b in refused] == [("S2", "period")]
    ignored = {(b.posting.account, b.target) for b in run.report.classified.of("ignored")}
    assert ignored == {("14290", "vat"), ("17290", "vat")}
    outside = run.report.classified.outside
    assert (outside["hammerfest.csv"].count, outside["hammerfest.csv"].ore) == (2, 100_999_00)
    assert (outside["hasvik.xml"].count, outside["hasvik.xml"].ore) == (1, 15_000_00)


def test_figures_are_the_sums_of_their_postings(files):
    """Per project x category x year, in the period and cumulative to the as-of date."""
    workbook, mapping, csv, saft, hours = files
    run = run_accounts(workbook, [csv, saft], mapping, [hours], dt.date(2024, 12, 31))
    lines = {(x.project, x.category): x for x in run.report.lines}
    pl = lines[("prosjektledelse", "prosjektledelse")]
    assert pl.actual == (45_000, 52_501)  # 52 500,50 rounds half away from zero
    assert (pl.total_actual, pl.cumulative) == (97_501, 45_000)
    travel = lines[("prosjektledelse", "reiser")]
    assert travel.actual == (12_346 + 10_000 + 4_000, 0)
    assert lines[("boligbygging", "reiser")].total_actual == 5_000
    assert lines[("boligbygging", "utredninger")].total_actual == 200_000
    assert lines[("arbeidsliv", "kurs")].total_actual == 15_000
    assert pl.total_approved == 2_130_000 and pl.remaining == 2_130_000 - 45_000
    assert not run.report.final


def test_financing_request_hold_back_and_repayment(files):
    """KDD: request never above tilsagn − received − hold-back; SF: earned below received is a
    repayment, and received above the tilsagn is an error."""
    workbook, mapping, csv, saft, hours = files
    run = run_accounts(workbook, [csv, saft], mapping, [hours], dt.date(2025, 12, 31))
    kdd, sf = run.report.financing
    assert (kdd.tilsagn, kdd.received, kdd.hold_back, kdd.booked) == (
        3_000_000,
        90_000,
        300_000,
        90_000,
    )
    assert kdd.eligible == 45_000 + 52_501 + 26_346 + 5_000 + 15_000 + 8_000
    assert kdd.share == 1.0
    assert kdd.earned == kdd.eligible and kdd.request == kdd.earned - 90_000 and kdd.repayment == 0
    assert (sf.tilsagn, sf.received, sf.booked, sf.eligible) == (100_000, 150_000, 150_000, 200_000)
    assert sf.earned == 100_000 and sf.request == 0 and sf.repayment == 50_000
    codes = {f.code for f in run.findings}
    assert "received-over-tilsagn" in codes
    assert "grant-income-mismatch" not in codes


def test_checks_name_their_places(files):
    """Outside the period, self-attested, unattested, unknown municipality: each at its place."""
    workbook, mapping, csv, saft, hours = files
    run = run_accounts(workbook, [csv, saft], mapping, [hours], dt.date(2025, 12, 31))
    found = {(f.code, f.place.text("en")) for f in run.findings}
    xml_lines = saft.read_text("utf-8").splitlines()
    row = next(i for i, text in enumerate(xml_lines, 1) if "Etter perioden" in text)
    assert ("posting-outside-period", f"hasvik.xml, voucher S2, line 2 (row {row})") in found
    assert ("hours-self-attested", "timer.csv, row 4") in found
    assert ("hours-unattested", "timer.csv, row 3") in found
    assert ("hours-unknown", "timer.csv, row 5") in found
    assert any(code == "deviation-unexplained-final" for code, _ in found)
    message = next(f for f in run.findings if f.code == "hours-self-attested").message("nb")
    assert message == "Per: 3 timer 2024-03-05 er attestert av personen selv"


def test_duplicates_unplaced_accounts_and_closed_projects(tmp_path, example_budget):
    """The same (source, voucher, line) twice, an account the map does not place and a posting
    on a closed project are refused or flagged, never dropped."""
    workbook = write_workbook(tmp_path, example_budget)
    mapping = write_map(tmp_path)
    d = dt.date(2024, 5, 1)
    rows = [
        Row("7", "1", d, "10100", "212500", 1_000_00),
        Row("7", "1", d, "10100", "212500", 1_000_00),
        Row("8", "1", d, "13700", "212500", 2_000_00),
    ]
    saft = tmp_path / "closed.xml"
    saft.write_text(
        saft_text(
            [Row("9", "1", d, "10100", "212503", 3_000_00)],
            projects=[("212503", "2024-01-01", "2025-12-31", "Closed")],
        ),
        "utf-8",
    )
    run = run_accounts(workbook, [write_csv(tmp_path / "hb.csv", rows), saft], mapping)
    assert [(b.posting.voucher, b.target) for b in run.report.classified.of("refused")] == [
        ("7", "duplicate"),
        ("8", "unplaced"),
    ]
    codes = [f.code for f in run.findings if f.severity == "error"]
    assert codes.count("duplicate-posting") == 1
    assert codes.count("account-not-placed") == 1
    assert codes.count("posting-closed-project") == 1


def test_the_workbook_formulas_evaluate_to_the_report(files):
    """The written workbook, read by the reader and evaluated by the evaluator, shows every
    figure of the report (budget vs actual, financing), and the voucher list adds up."""
    workbook, mapping, csv, saft, hours = files
    run = run_accounts(workbook, [csv, saft], mapping, [hours], dt.date(2025, 12, 31))
    path = workbook.parent / "check.xlsx"
    path.write_bytes(run.workbook)
    content = read_workbook(path)
    values = evaluate_workbook(content).values
    bva = content.sheets[BVA_SHEET]
    formulas = [addr for addr in bva.formulas if "Bilagsliste" in bva.formulas[addr]]
    assert len(formulas) >= 15
    compared = 0
    for sheet, address, expected in run.checks:
        got = values.get((sheet, address), content.sheets[sheet].values.get(address))
        assert got == pytest.approx(expected), (sheet, address)
        compared += 1
    assert compared == len(run.checks) > 100
    kdd = run.report.financing[0]
    financing = content.sheets[FINANCING_SHEET]
    request = next(a for a, f in financing.formulas.items() if f.startswith("=MAX(0,MIN("))
    assert values[(FINANCING_SHEET, request)] == kdd.request
    assert VOUCHER_SHEET in content.sheets


def test_cli_writes_workbook_pdf_and_valid_json(files, capsys):
    """--json is valid against the schema; exit 1 with errors; the PDF has a page a
    municipality; the run again leaves the files alone; --lang en speaks English."""
    workbook, mapping, csv, saft, hours = files
    out = workbook.parent / "regnskap.xlsx"
    argv = [
        "accounts",
        str(workbook),
        "--ledger",
        str(csv),
        "--ledger",
        str(saft),
        "--map",
        str(mapping),
    ]
    argv += ["--hours", str(hours), "--as-of", "2025-12-31", "-o", str(out), "--json"]
    assert main(argv) == 1
    report = json.loads(capsys.readouterr().out)
    Draft202012Validator(schema_named("accounts-report.schema.json")).validate(report)
    assert report["lines"]["read"] == sum(
        report["lines"][k] for k in ("cost", "income", "ignored", "outside", "refused")
    )
    assert [i["kind"] for i in report["inputs"]] == ["csv", "saf-t", "timeliste"]
    pdf = (workbook.parent / "regnskap-egeninnsats.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 3  # one page a municipality
    before = out.read_bytes()
    assert main([*argv[:-1], "--lang", "en"]) == 1
    text = capsys.readouterr().out
    assert "Lines: read 17, cost 9, income 2, ignored 2, outside the pilot 3, refused 1" in text
    assert text.count("is up to date (same content)") == 2
    assert out.read_bytes() == before


def test_a_map_naming_an_unknown_project_is_refused_with_its_path(tmp_path, example_budget):
    """Every map error names its path; bare numbers typed as codes are read as text."""
    workbook = write_workbook(tmp_path, example_budget)
    data = copy.deepcopy(MAP)
    data["projects"] = {212599: "nope", **data["projects"]}
    data["categories"] = {**data["categories"], "12*": "ukjent"}
    mapping = write_map(tmp_path, data)
    with pytest.raises(MapError) as caught:
        run_accounts(workbook, [], mapping)
    assert caught.value.lines() == [
        f"{mapping}: projects.212599: 'nope' is not a project of the approved budget",
        f"{mapping}: categories.12*: 'ukjent' is not a category of the approved budget",
    ]
    data = copy.deepcopy(MAP)
    data["ignore"] = ["14 29"]
    with pytest.raises(MapError, match=r"ignore\[0\]: '14 29' is not an account pattern"):
        run_accounts(workbook, [], write_map(tmp_path, data, "m2.yaml"))


def test_a_workbook_that_is_no_budget_is_refused_as_check_refuses_it(tmp_path, capsys):
    """The approved budget comes through the one reading: a workbook that is no budget
    workbook is one line naming the file (what check says too), exit 2, nothing written."""
    import xlsxwriter

    path = tmp_path / "tom.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet()
    book.close()
    ledger = write_csv(tmp_path / "hb.csv", standard_rows())
    code = main(
        [
            "accounts",
            str(path),
            "--ledger",
            str(ledger),
            "--map",
            str(write_map(tmp_path)),
            "-o",
            str(tmp_path / "u.xlsx"),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert str(path) in err[0] and "Parametre" in err[0]
    assert not (tmp_path / "u.xlsx").exists()
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err.strip() == err[0]


def test_the_grant_block_is_optional_and_round_trips(example_budget, granted):
    """A spec without grant: keeps its canonical form; with it: read, written and read again."""
    from bygdevekst_xl.record import canonical

    assert b'"grant"' not in canonical(example_budget)
    assert budget_from_dict(budget_to_dict(granted)) == granted
    assert granted.funder_grant("kdd").hold_back_percent == 10
    assert granted.funder_grant("statsforvalteren").deviation_kroner == 50_000
    data = budget_to_dict(example_budget)
    data["grant"] = {
        "kdd": {
            "tilsagn": -1,
            "tilsagn_date": "2024-01-01",
            "period": {"start": "2025-01-01", "end": "2024-01-01"},
        }
    }
    from bygdevekst_xl.spec import SpecError

    with pytest.raises(SpecError, match=r"grant\.kdd\.tilsagn: must be ≥ 0"):
        budget_from_dict(data)
    data["grant"]["kdd"]["tilsagn"] = 5
    with pytest.raises(SpecError, match=r"grant\.kdd\.period: starts \(2025-01-01\) after"):
        budget_from_dict(data)


def test_vat_counted_kdd_over_eligible_income_mismatch_and_inkind_over(tmp_path, example_budget):
    """With count_vat a cost on KOSTRA 429 is an error; KDD income above the project's actual
    eligible costs, booked income that differs from what was received, and in-kind value above
    the approved are each one finding."""
    data = budget_to_dict(example_budget)
    data["grant"] = copy.deepcopy(GRANT)
    for project in data["projects"]:
        project["hours"] = {m: [1, 1] for m in project["hours"]}
    budget = budget_from_dict(data)
    workbook = write_workbook(tmp_path, budget)
    mapping = copy.deepcopy(MAP)
    mapping["count_vat"] = True
    mapping["categories"]["142*"] = "reiser"
    d = dt.date(2024, 5, 1)
    rows = [
        Row("1", "1", d, "11600", "212500", 10_000_00),
        Row("1", "2", d, "14290", "212500", 2_500_00),
        Row("2", "1", d, "17000", "212500", -80_000_00),
    ]
    hours = tmp_path / "t.csv"
    hours.write_text(
        hours_text(
            [["Hasvik", "Kari", "01.03.2024", "212500", "Møte", "7,5", "Ola", "02.03.2024"]] * 2
        ),
        "utf-8",
    )
    run = run_accounts(
        workbook, [write_csv(tmp_path / "hb.csv", rows)], write_map(tmp_path, mapping), [hours], d
    )
    found = {f.code: f for f in run.findings}
    assert found["vat-among-costs"].message("en") == (
        "Account 14290 (KOSTRA art 429, VAT compensation) is counted as a cost"
    )
    assert found["kdd-over-eligible-actual"].params == {
        "project": "prosjektledelse",
        "found": 80_000,
        "expected": 12_500,
    }
    mismatches = [f.params for f in run.findings if f.code == "grant-income-mismatch"]
    assert mismatches == [
        {"funder": "KDD", "found": 80_000, "expected": 90_000},
        {"funder": "Statsforvalteren", "found": 0, "expected": 150_000},
    ]
    assert found["inkind-over-approved"].message("nb") == (
        "Hasvik: egeninnsats registrert (10\u00a0500\u00a0kr) er mer enn godkjent (7\u00a0000\u00a0kr)"
    )


def test_two_municipalities_ledgers_of_the_same_name_do_not_collide(tmp_path, example_budget):
    """Hammerfest's and Hasvik's hovedbok.csv hold the same voucher and line: both count, each
    named by its path."""
    workbook = write_workbook(tmp_path, example_budget)
    row = [Row("1", "1", dt.date(2024, 5, 1), "11600", "212500", 1_000_00)]
    first, second = tmp_path / "hammerfest", tmp_path / "hasvik"
    first.mkdir()
    second.mkdir()
    ledgers = [write_csv(first / "hovedbok.csv", row), write_csv(second / "hovedbok.csv", row)]
    run = run_accounts(workbook, ledgers, write_map(tmp_path))
    assert run.report.classified.counts()["cost"] == 2
    assert {b.posting.source for b in run.report.classified.booked} == {str(p) for p in ledgers}
    travel = next(
        x for x in run.report.lines if (x.project, x.category) == ("prosjektledelse", "reiser")
    )
    assert travel.total_actual == 2_000


def test_a_bad_as_of_date_is_one_line(files, capsys):
    """--as-of that is not an ISO date: one line in bokmål, exit 2, nothing written."""
    workbook, mapping, csv, _saft, _hours = files
    out = workbook.parent / "u.xlsx"
    argv = ["accounts", str(workbook), "--ledger", str(csv), "--map", str(mapping), "-o", str(out)]
    assert main([*argv, "--as-of", "31.12.2025"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["feil: --as-of: '31.12.2025' er ikke en dato (ÅÅÅÅ-MM-DD)"]
    assert not out.exists()


def test_a_voucher_list_longer_than_a_budget_workbook_is_read_back(
    tmp_path, example_budget, capsys
):
    """10 000 pilot postings (over 100 000 cells, past the reader's budget-workbook limit) are
    written and confirmed: the read-back's limits follow what was written."""
    workbook = write_workbook(tmp_path, example_budget)
    d = dt.date(2024, 1, 1)
    rows = [
        Row(str(n), "1", d + dt.timedelta(days=n % 700), "11600", "212500", 100_00 + n)
        for n in range(10_000)
    ]
    ledger = write_csv(tmp_path / "hb.csv", rows)
    out = tmp_path / "ut.xlsx"
    argv = ["accounts", str(workbook), "--ledger", str(ledger), "--map", str(write_map(tmp_path))]
    code = main([*argv, "--as-of", "2025-12-31", "-o", str(out), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # deviations without explanations in the final report
    travel = next(
        x
        for x in report["budget_vs_actual"]
        if (x["project"], x["category"]) == ("prosjektledelse", "reiser")
    )
    assert travel["actual"] == kroner_of(sum(r.ore for r in rows))
    with pytest.raises(ReadError, match="max_cells"):
        read_workbook(out)  # the default limits, made for budget workbooks
    assert (
        len(read_workbook(out, limits=Limits(max_cells=200_000)).sheets[VOUCHER_SHEET].values)
        > 100_000
    )


def kroner_of(ore: int) -> int:
    return (ore + 50) // 100


def test_an_existing_different_statement_stops_both_writes(files, capsys):
    """When the PDF beside OUT.xlsx exists and differs, neither file is written without
    --force; with --force both are, the old PDF kept as a backup."""
    workbook, mapping, csv, _saft, _hours = files
    out = workbook.parent / "r.xlsx"
    pdf = workbook.parent / "r-egeninnsats.pdf"
    pdf.write_bytes(b"someone's notes")
    argv = ["accounts", str(workbook), "--ledger", str(csv), "--map", str(mapping), "-o", str(out)]
    argv += ["--as-of", "2024-06-30"]
    assert main(argv) == 2
    assert (
        "r-egeninnsats.pdf: filen finnes og er forskjellig" in capsys.readouterr().err
        or not out.exists()
    )
    assert not out.exists() and pdf.read_bytes() == b"someone's notes"
    assert main([*argv, "--force"]) in (0, 1)
    assert out.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert (workbook.parent / "r-egeninnsats.backup-1.pdf").read_bytes() == b"someone's notes"
