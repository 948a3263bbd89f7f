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

# Labels the reader finds tables by (inputs.py) as well as the layout writes them.
COST_TOTAL = "Sum kostnader"
MUNICIPALITY_HEADING = "Kommuner"
CATEGORY_HEADING = "Kategorier"
PROJECT_HEADING = "Prosjekter"

# Labels of kroner amounts the layout and the check report both use.
IN_KIND = "Egeninnsats (kr)"
OWN_SHARE = "Kommunal egenandel (timer × timesats)"
ELIGIBLE = "Støtteberettigede kostnader (KDD)"
ELIGIBLE_FLAG = "Støtteberettiget (KDD)"

SUMMARY_SHEET = "Samlet budsjett og finansiering"
FRONT_SHEET = "Forside"
PARAMETER_SHEET = "Parametre"


def period_label(years: tuple[int, ...]) -> str:
    """``2024–2025`` for the project years."""
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
