"""Ledgers, maps and time sheets for the accounts tests, built from the real structures.

A municipal general-ledger CSV (5-digit arts whose first three digits are the KOSTRA art,
project codes, ``;``, decimal comma, BOM or ISO-8859-1), SAF-T Financial XML shaped as the
public schemas 1.10 and 1.30 shape it (namespace, MasterFiles with GroupingCode and the
AnalysisTypeTable, Journal/Transaction/Line with Analysis shares), and MAP.yaml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.model import Budget

PROJECT_CODES = {
    "212500": "prosjektledelse",
    "212501": "boligbygging",
    "212502": "arbeidsliv",
    "212503": "plankontor",
    "212504": "markedsforing",
}
MAP: dict[str, Any] = {
    "columns": {
        "voucher": "Bilag",
        "line": "Linje",
        "date": "Dato",
        "account": "Art",
        "project": "Prosjekt",
        "amount": "Beløp",
        "text": "Tekst",
    },
    "projects": PROJECT_CODES,
    "categories": {
        "101*": "prosjektledelse",
        "116*": "reiser",
        "117*": "reiser",
        "115*": "kurs",
        "127*": "utredninger",
        "112*": "arbeidsgrupper",
        "114*": "kommunikasjon",
    },
    "income": {"170*": "kdd", "181*": "statsforvalteren"},
    "ignore": ["1900*"],
}


@dataclass(frozen=True)
class Row:
    """One ledger line as a test means it (amount in øre, debit positive)."""

    voucher: str
    line: str
    date: dt.date
    account: str
    project: str
    ore: int
    text: str = "postering"


def write_workbook(folder: Path, budget: Budget) -> Path:
    path = folder / "budsjett.xlsx"
    path.write_bytes(workbook_bytes(budget))
    return path


def write_map(folder: Path, data: dict[str, Any] | None = None, name: str = "MAP.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data or MAP, allow_unicode=True), "utf-8")
    return path


def norwegian_amount(ore: int, style: int = 0) -> str:
    """``-1 234,50`` in one of the ways municipal exports write amounts."""
    negative = ore < 0
    kr, rest = divmod(abs(ore), 100)
    grouped = f"{kr:,}".replace(",", "\u00a0" if style % 2 else " ")
    text = f"{grouped},{rest:02d}"
    if negative:
        return f"({text})" if style == 2 else f"-{text}"
    return text


def csv_text(rows: Iterable[Row], *, delimiter: str = ";", styles: bool = True) -> str:
    head = delimiter.join(
        ["Bilag", "Linje", "Dato", "Art", "Ansvar", "Funksjon", "Prosjekt", "Beløp", "Tekst"]
    )
    lines = [head]
    for i, r in enumerate(rows):
        amount = norwegian_amount(r.ore, i % 3 if styles else 0)
        if delimiter == "," or '"' in r.text:
            amount = f'"{amount}"'
        text = r.text.replace('"', '""')
        lines.append(
            delimiter.join(
                [
                    r.voucher,
                    r.line,
                    r.date.strftime("%d.%m.%Y"),
                    r.account,
                    "1200",
                    "3250",
                    r.project,
                    amount,
                    f'"{text}"',
                ]
            )
        )
    return "\r\n".join(lines) + "\r\n"


def write_csv(
    path: Path, rows: Sequence[Row], *, encoding: str = "utf-8-sig", delimiter: str = ";"
) -> Path:
    path.write_bytes(csv_text(rows, delimiter=delimiter).encode(encoding))
    return path


NS = "urn:StandardAuditFile-Taxation-Financial:NO"


def saft_text(
    rows: Sequence[Row],
    *,
    version: str = "1.30",
    shares: dict[tuple[str, str], list[tuple[str, int]]] | None = None,
    projects: Sequence[tuple[str, str, str, str]] = (),
    groupings: dict[str, str] | None = None,
) -> str:
    """A SAF-T Financial file; ``shares`` gives a line's project shares (code, øre), written as
    AnalysisAmount (1.10/1.20) or Debit/CreditAnalysisAmount (1.30)."""
    shares = shares or {}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<n1:AuditFile xmlns:n1="{NS}">',
        "<n1:Header><n1:AuditFileVersion>" + version + "</n1:AuditFileVersion>"
        "<n1:AuditFileCountry>NO</n1:AuditFileCountry></n1:Header>",
        "<n1:MasterFiles><n1:GeneralLedgerAccounts>",
    ]
    for account, code in sorted((groupings or {}).items()):
        out.append(
            f"<n1:Account><n1:AccountID>{account}</n1:AccountID><n1:AccountDescription>x"
            "</n1:AccountDescription><n1:GroupingCategory>KA_K</n1:GroupingCategory>"
            f"<n1:GroupingCode>{code}</n1:GroupingCode><n1:AccountType>GL</n1:AccountType>"
            "</n1:Account>"
        )
    out.append("</n1:GeneralLedgerAccounts><n1:AnalysisTypeTable>")
    for code, start, end, status in projects:
        out.append(
            "<n1:AnalysisTypeTableEntry><n1:AnalysisType>P</n1:AnalysisType>"
            "<n1:AnalysisTypeDescription>Prosjekt</n1:AnalysisTypeDescription>"
            f"<n1:AnalysisID>{code}</n1:AnalysisID><n1:AnalysisIDDescription>Prosjekt {code}"
            f"</n1:AnalysisIDDescription><n1:StartDate>{start}</n1:StartDate>"
            f"<n1:EndDate>{end}</n1:EndDate><n1:Status>{status}</n1:Status>"
            "</n1:AnalysisTypeTableEntry>"
        )
    out.append("</n1:AnalysisTypeTable></n1:MasterFiles><n1:GeneralLedgerEntries>")
    out.append(
        "<n1:Journal><n1:JournalID>GL</n1:JournalID><n1:Description>Hovedbok</n1:Description><n1:Type>GL</n1:Type>"
    )
    for r in rows:
        side = "DebitAmount" if r.ore >= 0 else "CreditAmount"
        amount = f"{abs(r.ore) // 100}.{abs(r.ore) % 100:02d}"
        analyses = [
            "<n1:Analysis><n1:AnalysisType>A</n1:AnalysisType><n1:AnalysisID>1200</n1:AnalysisID></n1:Analysis>"
        ]
        parts = shares.get((r.voucher, r.line))
        if parts is None and r.project:
            analyses.append(
                f"<n1:Analysis><n1:AnalysisType>P</n1:AnalysisType><n1:AnalysisID>{r.project}</n1:AnalysisID></n1:Analysis>"
            )
        for code, ore in parts or ():
            share = f"{ore // 100}.{ore % 100:02d}"
            if version == "1.30":
                tag = "DebitAnalysisAmount" if r.ore >= 0 else "CreditAnalysisAmount"
            else:
                tag = "AnalysisAmount"
            analyses.append(
                f"<n1:Analysis><n1:AnalysisType>P</n1:AnalysisType><n1:AnalysisID>{code}</n1:AnalysisID>"
                f"<n1:{tag}><n1:Amount>{share}</n1:Amount></n1:{tag}></n1:Analysis>"
            )
        out.append(
            f"<n1:Transaction><n1:TransactionID>{r.voucher}</n1:TransactionID><n1:Period>{r.date.month}</n1:Period>"
            f"<n1:PeriodYear>{r.date.year}</n1:PeriodYear><n1:TransactionDate>{r.date.isoformat()}</n1:TransactionDate>"
            f"<n1:Description>{r.text}</n1:Description><n1:SystemEntryDate>{r.date.isoformat()}</n1:SystemEntryDate>"
            f"<n1:GLPostingDate>{r.date.isoformat()}</n1:GLPostingDate>"
            f"<n1:Line><n1:RecordID>{r.line}</n1:RecordID><n1:AccountID>{r.account}</n1:AccountID>"
            + "".join(analyses)
            + f"<n1:Description>{r.text}</n1:Description>"
            + f"<n1:{side}><n1:Amount>{amount}</n1:Amount></n1:{side}>"
            "</n1:Line></n1:Transaction>"
        )
    out.append("</n1:Journal></n1:GeneralLedgerEntries></n1:AuditFile>")
    return "\n".join(out)


def hours_text(rows: Iterable[Sequence[str]]) -> str:
    head = "kommune;person;dato;prosjekt;aktivitet;timer;attestert_av;attestert_dato"
    return "\n".join([head, *(";".join(r) for r in rows)]) + "\n"


def standard_rows() -> list[Row]:
    """A small municipal ledger: costs, grant income, VAT pair, other projects, no project."""
    d = dt.date
    return [
        Row("1001", "1", d(2024, 2, 10), "10100", "212500", 45_000_00, "Prosjektleder januar"),
        Row("1001", "2", d(2024, 2, 10), "14290", "212500", 11_250_00, "Mva-kompensasjon"),
        Row("1001", "3", d(2024, 2, 10), "17290", "212500", -11_250_00, "Mva-kompensasjon"),
        Row("1002", "1", d(2024, 3, 5), "11600", "212500", 12_345_67, "Reise Hasvik"),
        Row("1003", "1", d(2024, 6, 1), "12700", "212501", 200_000_00, "Boligutredning"),
        Row("1004", "1", d(2025, 1, 15), "10100", "212500", 52_500_50, "Prosjektleder"),
        Row("1005", "1", d(2024, 4, 1), "17000", "212500", -90_000_00, "Tilskudd KDD"),
        Row("1006", "1", d(2024, 4, 1), "18100", "212501", -150_000_00, "Prosjektskjønn"),
        Row("1010", "1", d(2024, 9, 9), "11500", "212502", 15_000_00, "Kurs"),
        Row("1007", "1", d(2024, 5, 1), "11500", "999999", 99_999_00, "Annet prosjekt"),
        Row("1008", "1", d(2024, 5, 2), "11500", "", 1_000_00, "Uten prosjekt"),
        Row("1009", "1", d(2025, 3, 3), "11200", "212502", 8_000_00, "Arbeidsgruppe"),
    ]
