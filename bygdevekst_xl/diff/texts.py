"""The diff's words in bokmål and English: one template per change code, effect and rule."""

from __future__ import annotations

from ..layout.summary_sheet import RULE_NAMES

# code -> (bokmål, English); "{where}" is filled from the change's params, values follow.
CHANGES: dict[str, tuple[str, str]] = {
    "pilot-name": ("Søker (piloten)", "Applicant (the pilot)"),
    "deadline": ("Søknadsfrist", "Application deadline"),
    "council-meeting": ("Kommunestyremøte", "Council meeting"),
    "project-leader": ("Prosjektleder", "Project leader"),
    "reservation": ("Forbehold", "Reservation"),
    "lead-municipality": ("Ansvarlig kommune (søker)", "Lead municipality (applicant)"),
    "organisation-number": ("Organisasjonsnummer", "Organisation number"),
    "contact-person": ("Kontaktperson", "Contact person"),
    "cap": ("KDD-tak for hele perioden", "KDD cap for the whole period"),
    "rate": ("Timesats for egeninnsats", "Hourly rate for in-kind hours"),
    "years": ("Prosjektår", "Project years"),
    "category-added": (
        "Ny kategori {category}, KDD kan finansiere",
        "New category {category}, KDD may finance",
    ),
    "category-removed": (
        "Kategori {category} fjernet, KDD kunne finansiere",
        "Category {category} removed, KDD could finance",
    ),
    "category-renamed": ("Kategori {category}: navn", "Category {category}: name"),
    "category-eligibility": (
        "Kategori {category}: KDD kan finansiere",
        "Category {category}: KDD may finance",
    ),
    "municipality-added": ("Ny kommune", "Municipality added"),
    "municipality-removed": ("Kommune fjernet", "Municipality removed"),
    "project-added": ("Nytt prosjekt", "Project added"),
    "project-removed": ("Prosjekt fjernet", "Project removed"),
    "project-renamed": ("Prosjekt omdøpt", "Project renamed"),
    "sheet-renamed": ("{project}: arket omdøpt", "{project}: sheet renamed"),
    "working-group": ("{project}: arbeidsgruppe", "{project}: working group"),
    "line-added": (
        "{project} · ny linje {line} ({category})",
        "{project} · line added {line} ({category})",
    ),
    "line-removed": (
        "{project} · linje fjernet {line} ({category})",
        "{project} · line removed {line} ({category})",
    ),
    "line-category": ("{project} · {line}: kategori", "{project} · {line}: category"),
    "line-description": (
        "{project} · linje i {category}: beskrivelse",
        "{project} · line in {category}: description",
    ),
    "line-amount": ("{project} · {line} · {year}", "{project} · {line} · {year}"),
    "hours": (
        "{project} · timer {municipality} · {year}",
        "{project} · hours {municipality} · {year}",
    ),
    "financing": ("{project} · {source} · {year}", "{project} · {source} · {year}"),
    "formula-overwritten": (
        "{sheet} · {what}: formelen er skrevet over med en verdi",
        "{sheet} · {what}: the formula was typed over with a value",
    ),
    "formula-changed": (
        "{sheet} · {what}: formelen er endret",
        "{sheet} · {what}: the formula was changed",
    ),
    "formula-removed": (
        "{sheet} · {what}: formelen er slettet",
        "{sheet} · {what}: the formula was deleted",
    ),
    "input-formula": (
        "{sheet} · {what}: inndata er blitt en formel",
        "{sheet} · {what}: an input became a formula",
    ),
    "formula-restored": (
        "{sheet} · {what}: formelen er satt tilbake",
        "{sheet} · {what}: the formula was restored",
    ),
}

UNITS = {
    "deadline": "date",
    "council-meeting": "date",
    "cap": "kr",
    "rate": "kr",
    "line-amount": "kr",
    "financing": "kr",
    "hours": "hours",
    "line-added": "kr",
    "line-removed": "kr",
    "category-eligibility": "bool",
    "category-added": "bool",
    "category-removed": "bool",
    "working-group": "bool",
}

EFFECTS: dict[str, tuple[str, str]] = {
    "total-costs": ("Sum kostnader inkl. egeninnsats", "Total costs incl. in kind"),
    "cash-costs": ("Kontante kostnader", "Cash costs"),
    "kdd-total": ("Søkt fra KDD", "Applied for from KDD"),
    "kdd-headroom": ("Igjen under KDD-taket", "Headroom under the KDD cap"),
    "statsforvalteren": ("Statsforvalteren", "Statsforvalteren"),
    "own-share": (
        "Kommunal egenandel (timer × timesats)",
        "Municipalities' own share (hours × rate)",
    ),
    "own-hours": ("Egenandel {municipality}, timer", "Own share {municipality}, hours"),
    "own-kroner": ("Egenandel {municipality}, kroner", "Own share {municipality}, kroner"),
    "balance": ("Balanse {project} {year}", "Balance {project} {year}"),
}

RULES_EN = {
    "rule_cap": "KDD funding is within the cap for the whole period",
    "rule_eligible": "KDD funding is within the eligible costs",
    "rule_eligible_projects": "KDD funding in each project and year is within that project's "
    "eligible costs",
    "rule_balance": "Financing = costs in every project and year",
    "rule_hours": "Every municipality has hours in projects with a working group",
    "rule_categories": "Every cost has a valid category",
}
RULES: dict[str, tuple[str, str]] = {key: (nb, RULES_EN[key]) for key, nb in RULE_NAMES}
"""Each rule of the combined sheet: its words there (bokmål) and in English."""

WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Endringer i budsjettet",
        "from": "fra",
        "to": "til",
        "budget": "Budsjett",
        "facts": "Søknaden",
        "same_spec": "Begge er generert fra samme spesifikasjon (generasjon {id}).",
        "other_spec": "Generert fra ulike spesifikasjoner ({old} → {new}); {count} "
        "kommer fra spesifikasjonen, resten er gjort i arbeidsboka.",
        "from_spec": "fra spesifikasjonen",
        "from_workbook": "endret i arbeidsboka",
        "formulas": "Formler",
        "effects": "Virkning",
        "rules": "Regler",
        "none": "Ingen forskjeller i budsjettet.",
        "over_cap": "{version} er over KDD-taket: {kdd} søkt, {over} over taket på {cap}",
        "old": "Den gamle versjonen",
        "new": "Den nye versjonen",
        "holds": "OK",
        "broken": "brutt",
        "yes": "ja",
        "no": "nei",
        "blank": "tom",
        "hours": "timer",
        "cells": "celle",
        "summary": "{changes} i budsjettet, {formulas} i formlene",
        "what": "Hva",
        "before": "Før",
        "after": "Etter",
        "difference": "Endring",
    },
    "en": {
        "title": "Changes in the budget",
        "from": "from",
        "to": "to",
        "budget": "Budget",
        "facts": "The application",
        "same_spec": "Both were generated from the same spec (generation {id}).",
        "other_spec": "Generated from different specs ({old} → {new}); {count} from "
        "the spec, the rest made in the workbook.",
        "from_spec": "from the spec",
        "from_workbook": "edited in the workbook",
        "formulas": "Formulas",
        "effects": "Effect",
        "rules": "Rules",
        "none": "No differences in the budget.",
        "over_cap": "{version} is over the KDD cap: {kdd} applied for, {over} over the cap of {cap}",
        "old": "The old version",
        "new": "The new version",
        "holds": "OK",
        "broken": "broken",
        "yes": "yes",
        "no": "no",
        "blank": "blank",
        "hours": "hours",
        "cells": "cell",
        "summary": "{changes} in the budget, {formulas} in the formulas",
        "what": "What",
        "before": "Before",
        "after": "After",
        "difference": "Change",
    },
}
