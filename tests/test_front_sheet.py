"""The Forside carries the facts a reviewer looks for: applicant, KDD per year, each source's
share of the financing, and lines to sign on."""

from __future__ import annotations

import openpyxl
import pytest

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.compute import budget_totals
from bygdevekst_xl.extract import extract
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.layout.front_sheet import parse_generation_text
from bygdevekst_xl.record import generation_id
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


def test_forside_leaves_out_the_shell_command_and_facts_not_given(example_dict, tmp_path):
    """The Forside names its generation without "spesifikasjonens dato: ikke oppgitt" when the
    spec gives no date (with the date when it does), and carries no shell command: how to run
    check is in the README. The line still tells ``check`` which generation it is."""
    texts = {}
    for name, facts in (("uten", {}), ("med", {"pilot.spec_date": "2024-09-20"})):
        budget = edited(example_dict, **facts)
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(workbook_bytes(budget))
        assert check_workbook(path, budget).findings == []
        sheet = openpyxl.load_workbook(path)["Forside"]
        texts[name] = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    generation = generation_id(edited(example_dict))
    assert f"Generasjon {generation}" in texts["uten"]
    assert not any(
        "ikke oppgitt" in text or "spesifikasjonens dato" in text for text in texts["uten"]
    )
    assert any(text.endswith(" · spesifikasjonens dato: 20.09.2024") for text in texts["med"])
    for lines in texts.values():
        assert not any("python" in text or "bygdevekst_xl" in text for text in lines)
    assert parse_generation_text(f"Generasjon {generation}") == (generation, "")
    assert parse_generation_text("Generasjon abc · spesifikasjonens dato: 20.09.2024") == (
        "abc",
        "20.09.2024",
    )
    assert parse_generation_text("Budsjett 2024") is None
