"""The real-client oracle for the accounts workbook: LibreOffice and Gnumeric, forced to
recalculate, give every figure the report computed."""

from __future__ import annotations

import datetime as dt

import pytest

from bygdevekst_xl.accounts import run_accounts
from bygdevekst_xl.office import (
    gnumeric_path,
    read_values,
    recalculate_gnumeric,
    recalculate_libreoffice,
    soffice_path,
)
from tests.accounts_fixtures import (
    hours_text,
    standard_rows,
    write_csv,
    write_map,
    write_workbook,
)

pytestmark = [pytest.mark.office]


@pytest.fixture
def written(tmp_path, example_budget):
    """An accounts workbook of the standard ledger and a time sheet, as of mid-period (the
    SUMIFS on the date and on the attested flag)."""
    workbook = write_workbook(tmp_path, example_budget)
    ledger = write_csv(tmp_path / "hb.csv", standard_rows())
    hours = tmp_path / "timer.csv"
    hours.write_text(
        hours_text(
            [
                ["Hasvik", "Kari", "01.03.2024", "212500", "Møte", "7,15", "Ola", "02.03.2024"],
                ["Hasvik", "Kari", "02.03.2024", "212500", "Møte", "2,5", "", ""],
                ["Måsøy", "Per", "05.03.2025", "212501", "Møte", "3", "Eva", "06.03.2025"],
            ]
        ),
        "utf-8",
    )
    run = run_accounts(
        workbook, [ledger], write_map(tmp_path), [hours], as_of=dt.date(2024, 12, 31)
    )
    path = tmp_path / "regnskap.xlsx"
    path.write_bytes(run.workbook)
    return path, run.checks


def _disagreements(values, checks):
    return [
        (sheet, address, expected, values.get((sheet, address)))
        for sheet, address, expected in checks
        if values.get((sheet, address)) != pytest.approx(expected)
    ]


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) missing")
def test_libreoffice_recalculates_every_figure(written, tmp_path):
    """LibreOffice, recalculating on load, agrees with every figure cell."""
    path, checks = written
    [out] = recalculate_libreoffice([path], tmp_path / "lo")
    assert _disagreements(read_values(out), checks) == []


@pytest.mark.skipif(gnumeric_path() is None, reason="Gnumeric (ssconvert) missing")
def test_gnumeric_recalculates_every_figure(written, tmp_path):
    """Gnumeric's --recalc agrees with every figure cell."""
    path, checks = written
    out = recalculate_gnumeric(path, tmp_path / "gnumeric.xlsx")
    assert _disagreements(read_values(out), checks) == []
