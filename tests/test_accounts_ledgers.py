"""Reading ledgers: amounts, dates and KOSTRA arts; CSV variants; SAF-T 1.10 and 1.30."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bygdevekst_xl.accounts.csv_ledger import read_csv
from bygdevekst_xl.accounts.ledger import (
    LedgerError,
    LedgerInfo,
    kostra_art,
    kroner,
    parse_date,
    parse_ore,
)
from bygdevekst_xl.accounts.saft import read_saft
from tests.accounts_fixtures import MAP, Row, csv_text, saft_text, standard_rows, write_csv

COLUMNS = MAP["columns"]


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1 234,50", 123450),
        ("1\u00a0234,50", 123450),
        ("1\u202f234,5", 123450),
        ("-1 234,50", -123450),
        ("(1 234,50)", -123450),
        ("1.234,50", 123450),
        ("1234.50", 123450),
        ("1.234.567", 123456700),
        ("0,01", 1),
        ("12", 1200),
        ("+7,5", 750),
        ("\u22125,00", -500),
        ("100 kr", 10000),
    ],
)
def test_amounts_in_municipal_notation_are_read_to_the_ore(text, ore):
    """Decimal comma or point, space/no-break space/point thousands, minus or parentheses."""
    assert parse_ore(text) == ore


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1,234", "12,345", "1.23.4", "1e5", "--1"])
def test_broken_amounts_are_refused_with_the_text(text):
    """Three decimals, two decimal commas, letters and blanks are not amounts."""
    if text == "1,234":
        with pytest.raises(ValueError, match="more than two decimals"):
            parse_ore(text)
        return
    with pytest.raises(ValueError):
        parse_ore(text)


def test_dates_kostra_arts_and_rounding():
    """ISO and Norwegian dates; the art follows the account class; halves round away from 0."""
    assert parse_date("14.03.2025") == dt.date(2025, 3, 14)
    assert parse_date("2025-03-14") == dt.date(2025, 3, 14)
    assert parse_date("1.3.2025 00:00") == dt.date(2025, 3, 1)
    with pytest.raises(ValueError):
        parse_date("31.02.2025")
    assert kostra_art("14290") == "429"
    assert kostra_art("17290") == "729"
    assert kostra_art("1429") == "429"
    assert kostra_art("150") == "150"
    assert kostra_art("4000") == ""
    assert kroner(50) == 1 and kroner(-50) == -1 and kroner(49) == 0 and kroner(-150) == -2


def _read(path: Path) -> tuple[list, LedgerInfo]:
    info = LedgerInfo(path, "csv")
    return list(read_csv(path, COLUMNS, info)), info


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("utf-8", ";"), ("iso-8859-1", ";"), ("utf-8", ","), ("cp1252", ";")],
)
def test_csv_variants_give_the_same_postings(tmp_path, encoding, delimiter):
    """BOM or not, UTF-8 or ISO-8859-1, ; or , — the same postings, Norwegian text intact."""
    rows = standard_rows()
    path = write_csv(tmp_path / "hb.csv", rows, encoding=encoding, delimiter=delimiter)
    postings, info = _read(path)
    assert [(p.voucher, p.line, p.date, p.account, p.project, p.ore) for p in postings] == [
        (r.voucher, r.line, r.date, r.account, r.project, r.ore) for r in rows
    ]
    assert postings[-2].text == "Uten prosjekt"
    assert any(p.text == "Prosjektskjønn" for p in postings)
    assert postings[1].art == "429"
    assert info.postings == len(rows) and len(info.sha256) == 64


def test_a_csv_line_that_breaks_utf8_after_utf8_lines_is_named(tmp_path):
    """A file that mixes encodings is refused at the first line that does not fit."""
    text = csv_text([Row("1", "1", dt.date(2024, 1, 1), "10100", "212500", 100, "Bjørn")])
    raw = text.encode("utf-8") + "2;1;01.01.2024;10100;1;1;212500;1,00;Kåre\r\n".encode("latin-1")
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    with pytest.raises(LedgerError, match=r"mixed.csv, line 3: byte \d+ is not UTF-8"):
        _read(path)


def test_a_missing_column_names_the_column_and_the_map(tmp_path):
    """The header must hold every column the map names."""
    path = tmp_path / "hb.csv"
    path.write_text("Bilag;Dato;Art;Beløp\n1;01.01.2024;10100;5\n", "utf-8")
    with pytest.raises(LedgerError, match=r"hb.csv, line 1: no column 'Linje' \(line in the map\)"):
        _read(path)


def test_saft_110_shares_follow_debit_and_credit(tmp_path):
    """AnalysisAmount shares: one posting per project share, the rest without a project, the
    share's sign following the line's credit; GroupingCode gives the art; projects' dates."""
    d = dt.date(2024, 5, 1)
    rows = [
        Row("10", "1", d, "11500", "", 100_000_00, "Delt faktura"),
        Row("11", "1", d, "17000", "", -60_000_00, "Tilskudd"),
        Row("12", "1", d, "12700", "212501", 5_000_00, "Hel linje"),
    ]
    shares = {
        ("10", "1"): [("212500", 30_000_00), ("212501", 50_000_00)],
        ("11", "1"): [("212500", 60_000_00)],
    }
    text = saft_text(
        rows,
        version="1.10",
        shares=shares,
        projects=[
            ("212500", "2024-01-01", "2025-12-31", "Active"),
            ("212501", "2024-01-01", "2024-04-30", "Closed"),
        ],
        groupings={"11500": "150"},
    )
    path = tmp_path / "saft.xml"
    path.write_text(text, "utf-8")
    info = LedgerInfo(path, "saf-t")
    postings = list(read_saft(path, info))
    got = [(p.voucher, p.line, p.project, p.ore, p.art) for p in postings]
    assert got == [
        ("10", "1/212500", "212500", 30_000_00, "150"),
        ("10", "1/212501", "212501", 50_000_00, "150"),
        ("10", "1/-", "", 20_000_00, "150"),
        ("11", "1/212500", "212500", -60_000_00, "700"),
        ("12", "1", "212501", 5_000_00, "270"),
    ]
    assert sum(p.ore for p in postings) == sum(r.ore for r in rows)
    assert info.projects["212501"].status == "Closed"
    assert info.projects["212501"].end == dt.date(2024, 4, 30)


def test_saft_130_debit_and_credit_analysis_amounts(tmp_path):
    """1.30's CreditAnalysisAmount carries its own sign."""
    rows = [Row("20", "3", dt.date(2024, 6, 1), "18100", "", -40_000_00, "Skjønn")]
    text = saft_text(rows, version="1.30", shares={("20", "3"): [("212502", 40_000_00)]})
    path = tmp_path / "saft13.xml"
    path.write_text(text, "utf-8")
    postings = list(read_saft(path, LedgerInfo(path, "saf-t")))
    assert [(p.project, p.ore, p.line) for p in postings] == [("212502", -40_000_00, "3/212502")]


def test_saft_of_another_namespace_is_refused(tmp_path):
    """A file that is not SAF-T Financial names what it is."""
    path = tmp_path / "other.xml"
    path.write_text('<AuditFile xmlns="urn:OECD:StandardAuditFile-Tax:PT_1.04_01"/>', "utf-8")
    with pytest.raises(LedgerError, match="is not SAF-T Financial"):
        list(read_saft(path, LedgerInfo(path, "saf-t")))
