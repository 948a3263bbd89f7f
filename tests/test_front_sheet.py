"""The Forside carries the facts a reviewer looks for: applicant, KDD per year, each source's
share of the financing, and lines to sign on."""

from __future__ import annotations

import openpyxl
import pytest

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.compute import budget_totals
from bygdevekst_xl.extract import extract
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.spec import SpecError
from tests.conftest import edited

FACTS = {
    "pilot.lead_municipality": "Hammerfest",
    "pilot.organisation_number": "123 456 789",
    "pilot.contact_person": "Johan Vaséli, johan@example.no",
}


def test_forside_shows_applicant_kdd_per_year_shares_and_signature_lines(example_dict, tmp_path):
    """The optional applicant facts show and survive extract; KDD per year and the shares are
    live formulas whose values check confirms; the sheet ends with date and signature lines."""
    budget = edited(example_dict, **FACTS)
    path = tmp_path / "forside.xlsx"
    path.write_bytes(workbook_bytes(budget))
    assert check_workbook(path, budget).findings == []
    rows = {
        r[0].value: (r[1].value if len(r) > 1 else None)
        for r in openpyxl.load_workbook(path, data_only=True)["Forside"].iter_rows()
        if r[0].value
    }
    assert rows["Ansvarlig kommune (søker)"] == "Hammerfest"
    assert rows["Organisasjonsnummer"] == "123 456 789"
    assert rows["Kontaktperson"] == "Johan Vaséli, johan@example.no"
    for y, year in enumerate(budget.pilot.years):
        assert rows[f"    herav {year}"] == sum(p.kdd[y] for p in budget.projects)
    t = budget_totals(budget)
    assert rows["KDD"] == pytest.approx(t.kdd / t.financing)
    assert rows["Statsforvalteren"] == pytest.approx(t.statsforvalteren / t.financing)
    assert rows["KDD"] + rows["Statsforvalteren"] + rows[
        "Kommunal egenandel (timer × timesats)"
    ] == pytest.approx(1)
    assert {"Sted og dato", "Underskrift", "Navn og stilling"} <= set(rows)
    assert extract(path).pilot == budget.pilot


def test_lead_municipality_must_be_one_of_the_municipalities(example_dict):
    """A lead municipality outside the pilot and a malformed organisation number are spec
    errors naming their place."""
    with pytest.raises(SpecError) as caught:
        edited(example_dict, **{"pilot.lead_municipality": "Alta"})
    assert any(p.startswith("pilot.lead_municipality: 'Alta'") for p in caught.value.problems)
    with pytest.raises(SpecError) as caught:
        edited(example_dict, **{"pilot.organisation_number": "12345"})
    assert any("pilot.organisation_number: must be nine digits" in p for p in caught.value.problems)
