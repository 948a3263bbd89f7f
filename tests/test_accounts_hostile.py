"""Hostile ledgers: one line naming the file and the line, exit 2, bounded work and memory."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path

import pytest

from bygdevekst_xl.accounts.classify import Classifier
from bygdevekst_xl.accounts.csv_ledger import read_csv
from bygdevekst_xl.accounts.ledger import LedgerError, LedgerInfo, Limits
from bygdevekst_xl.accounts.mapping import map_from_dict
from bygdevekst_xl.accounts.saft import read_saft
from bygdevekst_xl.cli import main
from tests.accounts_fixtures import MAP, standard_rows, write_csv, write_map, write_workbook


@pytest.fixture
def pilot(tmp_path, example_budget):
    """The approved workbook and the map, in a fresh folder."""
    return write_workbook(tmp_path, example_budget), write_map(tmp_path)


def _run(pilot: tuple[Path, Path], ledger: Path, capsys) -> tuple[int, list[str]]:
    workbook, mapping = pilot
    out = ledger.parent / "ut.xlsx"
    code = main(
        ["accounts", str(workbook), "--ledger", str(ledger), "--map", str(mapping), "-o", str(out)]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert not out.exists()
    return code, err


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<n1:AuditFile xmlns:n1="urn:StandardAuditFile-Taxation-Financial:NO">&lol2;</n1:AuditFile>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x SYSTEM "file:///etc/passwd">
<n1:AuditFile xmlns:n1="urn:StandardAuditFile-Taxation-Financial:NO"/>
"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL], ids=["entity-bomb", "external-dtd"])
def test_a_saft_with_a_dtd_is_refused_in_one_line(pilot, tmp_path, capsys, text):
    """Entity bombs and external DTDs stop at the DOCTYPE: exit 2, the file and its line."""
    path = tmp_path / "bomb.xml"
    path.write_text(text, "utf-8")
    code, err = _run(pilot, path, capsys)
    assert code == 2
    assert len(err) == 1
    assert "bomb.xml, linje 2: inneholder en DTD; avvist" in err[0]


def test_broken_amount_names_file_and_line(pilot, tmp_path, capsys):
    """A broken amount in row 5 of a CSV: one line, file and line, exit 2, nothing written."""
    path = write_csv(tmp_path / "hb.csv", standard_rows())
    lines = path.read_text("utf-8-sig").splitlines()
    lines[4] = lines[4].replace("12 345,67", "12,345,67")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    code, err = _run(pilot, path, capsys)
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith("feil: ")
    assert err[0].endswith("hb.csv, linje 5: beløp: '12,345,67' har mer enn ett desimalkomma")


def test_broken_saft_amount_and_not_well_formed(pilot, tmp_path, capsys):
    """A SAF-T amount with three decimals, and a cut-off file, each one line with the line."""
    path = tmp_path / "s.xml"
    path.write_text(
        '<n1:AuditFile xmlns:n1="urn:StandardAuditFile-Taxation-Financial:NO">\n'
        "<n1:GeneralLedgerEntries><n1:Journal><n1:Transaction>\n"
        "<n1:TransactionID>1</n1:TransactionID><n1:TransactionDate>2024-01-01</n1:TransactionDate>\n"
        "<n1:Line><n1:RecordID>1</n1:RecordID><n1:AccountID>10100</n1:AccountID>\n"
        "<n1:DebitAmount><n1:Amount>10.005</n1:Amount></n1:DebitAmount></n1:Line>\n",
        "utf-8",
    )
    code, err = _run(pilot, path, capsys)
    assert code == 2 and len(err) == 1
    assert "s.xml, linje 5: DebitAmount: '10.005' er ikke et SAF-T-beløp" in err[0]
    path.write_text(path.read_text("utf-8").replace("10.005", "10.05"), "utf-8")
    code, err = _run(pilot, path, capsys)
    assert code == 2 and len(err) == 1 and "s.xml, linje 6: ikke velformet XML" in err[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_unknown_encodings_are_refused(pilot, tmp_path, capsys, encoding):
    """UTF-16 and UTF-32 exports: one line naming the file, exit 2."""
    path = write_csv(tmp_path / "hb.csv", standard_rows(), encoding=encoding)
    code, err = _run(pilot, path, capsys)
    assert code == 2 and len(err) == 1
    assert "hb.csv, linje 1:" in err[0] and "ukjent tegnkoding" in err[0]


def test_limits_bound_lines_and_elements(tmp_path):
    """A ledger over the line limit or the XML element limit is refused where it passes it."""
    path = write_csv(tmp_path / "hb.csv", standard_rows())
    with pytest.raises(LedgerError, match="line 5: more than 3 lines"):
        list(read_csv(path, MAP["columns"], LedgerInfo(path, "csv"), Limits(max_lines=3)))
    xml = tmp_path / "s.xml"
    xml.write_text(
        '<n1:AuditFile xmlns:n1="urn:StandardAuditFile-Taxation-Financial:NO">'
        + "<n1:x/>" * 50
        + "</n1:AuditFile>",
        "utf-8",
    )
    with pytest.raises(LedgerError, match="more than 20 XML elements"):
        list(read_saft(xml, LedgerInfo(xml, "saf-t"), limits=Limits(max_xml_elements=20)))


def test_a_large_ledger_is_read_with_flat_memory(tmp_path, example_budget):
    """100 000 lines outside the pilot: memory stays far below the file's size (streamed)."""
    path = tmp_path / "big.csv"
    row = "{n};1;01.02.2024;11500;1200;3250;777777;1 234,50;Annen drift\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("Bilag;Linje;Dato;Art;Ansvar;Funksjon;Prosjekt;Beløp;Tekst\n")
        for n in range(100_000):
            handle.write(row.format(n=n))
    mapping = map_from_dict(MAP, example_budget)
    classifier = Classifier(mapping, (dt.date(2024, 1, 1), dt.date(2025, 12, 31)))
    tracemalloc.start()
    classifier.add_all(read_csv(path, MAP["columns"], LedgerInfo(path, "csv")))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    outside = classifier.result.outside["big.csv"]
    assert (outside.count, outside.ore) == (100_000, 100_000 * 123_450)
    assert path.stat().st_size > 5_000_000
    assert peak < 2_000_000
