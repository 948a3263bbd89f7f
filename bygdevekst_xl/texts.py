"""Words the workbook shows that the layout and the checker both need (bokmål)."""

OK = "OK"
NOT_BALANCED = "Ikke i balanse"
OVER_CAP = "Over taket"
OVER_ELIGIBLE = "Over støtteberettigede kostnader"
KDD_MARGIN = "KDD innenfor støtteberettigede kostnader (margin)"
MISSING_HOURS = "Mangler timer"
UNCATEGORISED = "Mangler kategori"
SEE_RULES = "Se regler"
YES, NO = "Ja", "Nei"

SUMMARY_SHEET = "Samlet budsjett og finansiering"
FRONT_SHEET = "Forside"
PARAMETER_SHEET = "Parametre"


def period_label(years: tuple[int, ...]) -> str:
    """``2024–2025`` for the project years."""
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
