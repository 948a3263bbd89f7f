"""Words the workbook shows that the layout and the checker both need (bokmål)."""

OK = "OK"
NOT_BALANCED = "Ikke i balanse"
OVER_CAP = "Over taket"
OVER_ELIGIBLE = "Over støtteberettigede kostnader"
KDD_MARGIN = "KDD innenfor støtteberettiget (margin)"
MISSING_HOURS = "Mangler timer"
UNCATEGORISED = "Mangler kategori"
SEE_RULES = "Se regler"
YES, NO = "Ja", "Nei"

COST_HEADER = ("Kategori", "Beskrivelse")
SUM_HEADER = "Sum"
"""The header of a table's sum column, right of the years."""
"""The header of a cost table's first two columns."""
COST_TOTAL_LABEL = "Sum kostnader"
"""The label of the row under a cost table: the table ends above it."""
FINANCING_LABELS = {"kdd": "KDD (bygdevekstavtalen)", "statsforvalteren": "Statsforvalteren"}
"""The labels of a project's financing rows a person types into, by source."""
BULLET = "• "
"""Each line of a project's description starts with it."""
PARAMETER_HEADINGS = {
    "municipalities": "Kommuner",
    "categories": "Kategorier",
    "projects": "Prosjekter",
}
"""The headings of the tables on Parametre (the reader's fallback where a name is gone)."""
REGISTER_HEADER = ("Nr", "Id", "Navn", "Ark", "Arbeidsgruppe")
"""The header of Parametre's project register: it finds the sheet's columns again."""

# Labels of kroner amounts the layout and the check report both use.
IN_KIND = "Egeninnsats (kr)"
OWN_SHARE = "Kommunal egenandel (timer × timesats)"
ELIGIBLE = "Støtteberettigede kostnader (KDD)"
ELIGIBLE_FLAG = "Støtteberettiget (KDD)"

SUMMARY_SHEET = "Samlet budsjett og finansiering"
FRONT_SHEET = "Forside"
FRONT_HEADINGS = ("Om søknaden", "Kontroller", "Innhold")
"""The Forside's fixed headings in column A: the layout writes them, the reader finds the
sheet's columns by them (a column inserted before them)."""
PARAMETER_SHEET = "Parametre"
ARCHIVE_SHEET = "Arkiv"
"""Where regenerate --archive-orphans keeps values that have no place in the new spec."""
RESERVED_SHEETS = (FRONT_SHEET, SUMMARY_SHEET, PARAMETER_SHEET, ARCHIVE_SHEET)
"""Sheet names a project may not take."""


def period_label(years: tuple[int, ...]) -> str:
    """``2024–2025`` for the project years."""
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
