"""Findings: what the checker reports, each with a stable code, a severity and a message in two languages."""

from __future__ import annotations

from typing import Any, Literal

from ..dataclass import dataclass, field
from ..messages import NBSP, number

Severity = Literal["error", "warning"]

# code -> (severity, bokmål template, English template); templates use the finding's ``params``.
CATALOG: dict[str, tuple[Severity, str, str]] = {
    "kdd-over-cap": (
        "error",
        "KDD-midlene ({found}) er over taket på {expected} for hele perioden",
        "KDD funding ({found}) exceeds the cap of {expected} for the whole period",
    ),
    "kdd-over-eligible": (
        "error",
        "KDD-midlene ({found}) er mer enn de støtteberettigede kostnadene ({expected})",
        "KDD funding ({found}) exceeds the costs KDD may finance ({expected})",
    ),
    "kdd-over-eligible-project": (
        "error",
        "{what}: KDD-midlene ({found}) er mer enn prosjektets støtteberettigede kostnader "
        "({expected})",
        "{what}: KDD funding ({found}) exceeds the project's KDD-eligible costs ({expected})",
    ),
    "not-balanced": (
        "error",
        "{what}: finansiering og kostnader er ikke like (balanse {found})",
        "{what}: financing does not equal costs (balance {found})",
    ),
    "formula-overwritten": (
        "error",
        "Formelen er erstattet av en verdi: forventet {expected}, fant {found}",
        "The formula was replaced by a value: expected {expected}, found {found}",
    ),
    "formula-changed": (
        "error",
        "Formelen er endret: forventet {expected}, fant {found}",
        "The formula was changed: expected {expected}, found {found}",
    ),
    "line-formula-moved": (
        "warning",
        "Linjesummen summerer en annen linje (linjen er klippet ut og limt inn?): forventet "
        "{expected}, fant {found}",
        "The line total sums another line (the line was cut and pasted?): expected {expected}, "
        "found {found}",
    ),
    "line-formula-missing": (
        "warning",
        "Linjesummen mangler (innsatt rad?): forventet {expected}",
        "The line total is missing (inserted row?): expected {expected}",
    ),
    "total-mismatch": (
        "error",
        "Summen stemmer ikke med omregningen: forventet {expected}, formelen gir {found}",
        "The total disagrees with the independent recomputation: expected {expected}, "
        "the formula gives {found}",
    ),
    "cached-stale": (
        "warning",
        "Lagret verdi {found} er utdatert; omregnet verdi er {expected}",
        "The saved value {found} is stale; the recomputed value is {expected}",
    ),
    "amount-not-number": (
        "error",
        "Beløpet er tekst ({found}), ikke et tall, og telles ikke med",
        "The amount is text ({found}), not a number, and is not counted",
    ),
    "amount-negative": (
        "error",
        "Beløpet er negativt ({found})",
        "The amount is negative ({found})",
    ),
    "amount-fractional": (
        "error",
        "Beløpet er ikke et helt antall kroner ({found})",
        "The amount is not a whole number of kroner ({found})",
    ),
    "amount-too-large": (
        "error",
        "Beløpet er over 1 000 000 000 000 kr ({found})",
        "The amount is over 1 000 000 000 000 kr ({found})",
    ),
    "date-invalid": (
        "error",
        "Datoen er ikke en dato ({found}), så extract og regenerate nekter den; skriv den som en "
        "dato, eller rett den i spesifikasjonen",
        "The date is not a date ({found}), so extract and regenerate refuse it; type it as a "
        "date, or correct it in the spec",
    ),
    "hours-invalid": (
        "error",
        "Timene må være et tall fra 0 til 1 000 000 (fant {found})",
        "Hours must be a number from 0 to 1 000 000 (found {found})",
    ),
    "category-unknown": (
        "error",
        "Ukjent kategori {found}; velg en kategori fra listen",
        "Unknown category {found}; choose one from the list",
    ),
    "category-missing": (
        "error",
        "Linjen har beløp, men ingen kategori",
        "The line has amounts but no category",
    ),
    "error-value": (
        "error",
        "Cellen gir feilverdien {found}",
        "The cell gives the error value {found}",
    ),
    "circular-reference": (
        "error",
        "Sirkulær referanse: formelen avhenger av seg selv",
        "Circular reference: the formula depends on itself",
    ),
    "unsupported-formula": (
        "error",
        "Formelen kan ikke kontrolleres ({found})",
        "The formula cannot be checked ({found})",
    ),
    "manual-calculation": (
        "error",
        "Arbeidsboka er satt til manuell beregning; summene kan være utdaterte",
        "The workbook is set to manual calculation; totals may be stale",
    ),
    "sheet-missing": ("error", "Arket {expected} mangler", "The sheet {expected} is missing"),
    "formulas-replaced": (
        "error",
        "{what} formler på arket er erstattet av verdier (limt inn som verdier?); "
        "følgefeilene er samlet under",
        "{what} formulas on the sheet are replaced by values (pasted as values?); "
        "the findings that follow are grouped below",
    ),
    "sheet-renamed": (
        "warning",
        "Arket {expected} har fått nytt navn: {found}; budsjettet er kontrollert som før",
        "The sheet {expected} was renamed to {found}; the budget is checked as before",
    ),
    "number-as-date": (
        "error",
        "Tallet {found} vises som datoen {shown}; trolig ble «{what}» skrevet for et tall "
        "(1.5 skrevet i norsk Excel blir 1. mai). Skriv tallet med komma (1,5) og gi cellen "
        "tallformat",
        "The number {found} shows as the date {shown}; probably «{what}» was typed for a "
        "number (1.5 typed in a Norwegian Excel becomes 1 May). Type the number with a comma "
        "(1,5) and give the cell a number format",
    ),
    "input-formula": (
        "warning",
        "Inndata er en formel ({found}) som avhenger av {what}; verdien telles med i reglene",
        "The input is a formula ({found}) that depends on {what}; its value counts in the rules",
    ),
    "sheet-extra": (
        "warning",
        "Arket {found} hører ikke til budsjettet og kontrolleres ikke",
        "The sheet {found} is not part of the budget and is not checked",
    ),
    "name-missing": (
        "error",
        "Det definerte navnet {expected} mangler",
        "The defined name {expected} is missing",
    ),
    "name-changed": (
        "error",
        "Det definerte navnet {what} er endret: forventet {expected}, fant {found}",
        "The defined name {what} was changed: expected {expected}, found {found}",
    ),
    "validation-lost": (
        "warning",
        "Datavalideringen mangler på {expected}",
        "Data validation is missing on {expected}",
    ),
    "protection-lost": (
        "warning",
        "Arket er ikke beskyttet; låste celler kan endres ved et uhell",
        "The sheet is not protected; locked cells can be changed by mistake",
    ),
    "other-layout": (
        "warning",
        "Arbeidsboka er laget med oppsett {found}, denne versjonen lager oppsett {expected}: "
        "formler og tekster som er endret siden, meldes som endret. Kjør `regenerate` for å "
        "oppdatere arbeidsboka; alle tall som er skrevet inn, blir med",
        "The workbook was made with layout {found}; this version makes layout {expected}: "
        "formulas and labels changed since are reported as changed. Run `regenerate` to update "
        "the workbook; every value typed into it is kept",
    ),
    "external-link": (
        "error",
        "Arbeidsboka lenker til en ekstern fil ({found})",
        "The workbook links to an external file ({found})",
    ),
    "macros": (
        "error",
        "Arbeidsboka inneholder makroer (VBA)",
        "The workbook contains macros (VBA)",
    ),
    "other-pilot": (
        "error",
        "Arbeidsboka er laget for {found}, ikke for {expected} som spesifikasjonen gjelder: den "
        "er kontrollert mot sin egen generasjonspost. Kjør check uten --spec, eller med "
        "spesifikasjonen for {found}",
        "The workbook was made for {found}, not for {expected} whom the spec is for: it was "
        "checked against its own generation record. Run check without --spec, or with the spec "
        "for {found}",
    ),
    "record-missing": (
        "warning",
        "Arbeidsboka har ingen generasjonspost, så pilotens fakta (kommuner, timesats, "
        "kategorier) er tatt fra {expected}, innenfor ordningens regler. Kjør `regenerate` "
        "uten --spec for å gi den en",
        "The workbook has no generation record, so the pilot's facts (municipalities, hourly "
        "rate, categories) were taken from {expected}, within the scheme's rules. Run "
        "`regenerate` without --spec to give it one",
    ),
    "record-damaged": (
        "error",
        "Generasjonsposten (spesifikasjonen arbeidsboka ble laget fra) er skadet: {found}",
        "The generation record (the spec the workbook was made from) is damaged: {found}",
    ),
    "record-mismatch": (
        "error",
        "Generasjonsposten er endret etter at arbeidsboka ble laget: {found}",
        "The generation record was changed after the workbook was made: {found}",
    ),
    "record-against-scheme": (
        "error",
        "Generasjonsposten bryter ordningens regler ({path}): {what}; den sier {found}, "
        "ordningen tillater {expected}. Kontrollert etter ordningens regler",
        "The generation record breaks the scheme's rules ({path}): {what}; it says {found}, "
        "the scheme allows {expected}. Checked by the scheme's rules",
    ),
    "spec-against-scheme": (
        "error",
        "Spesifikasjonen bryter ordningens regler ({path}): {what}; den sier {found}, "
        "ordningen tillater {expected}. Kontrollert etter ordningens regler",
        "The spec breaks the scheme's rules ({path}): {what}; it says {found}, the scheme "
        "allows {expected}. Checked by the scheme's rules",
    ),
    "column-deleted": (
        "error",
        "Kolonnen {what} er slettet fra tabellene: beløpene og tekstene i den er borte og "
        "telles ikke. Angre slettingen, eller sett inn kolonnen igjen med overskriften {what}",
        "The column {what} was deleted from the tables: its amounts and texts are gone and not "
        "counted. Undo the deletion, or insert the column again headed {what}",
    ),
    "column-inserted": (
        "warning",
        "En kolonne er satt inn i tabellene; det som står i den telles ikke med i noen sum "
        "(celler med innhold: {what})",
        "A column was inserted in the tables; what it holds is not counted in any total "
        "(cells with content: {what})",
    ),
    "spec-invalid": (
        "error",
        "Dette kan ikke stå i en spesifikasjon, så extract og regenerate nekter til det er "
        "rettet: {what}",
        "A spec cannot state this, so extract and regenerate refuse until it is fixed: {what}",
    ),
    "text-unreadable": (
        "error",
        "Teksten har et tegn som ingen fil kan lagre (et ensomt surrogattegn, vist som �): "
        "skriv teksten inn på nytt",
        "The text holds a character no file can store (a lone surrogate, shown as �): type the "
        "text again",
    ),
    "rule-changed": (
        "error",
        "{what} er endret i arbeidsboka: reglene sier {expected}, arbeidsboka har {found}",
        "{what} was changed in the workbook: the rules say {expected}, the workbook has {found}",
    ),
    "label-changed": (
        "warning",
        "Fast tekst eller verdi er endret: forventet {expected}, fant {found}",
        "A fixed text or value was changed: expected {expected}, found {found}",
    ),
    "missing-hours": (
        "warning",
        "{what} har ingen timer i arbeidsgruppen",
        "{what} has no working-group hours",
    ),
    "value-outside-table": (
        "error",
        "Verdien {found} står utenfor tabellene og telles ikke med i noen sum",
        "The value {found} is outside the tables and is not counted in any total",
    ),
    "text-outside-table": (
        "warning",
        "Teksten {found} står utenfor tabellene",
        "The text {found} is outside the tables",
    ),
    "hidden-row": (
        "warning",
        "Rad eller kolonne {what} er skjult, men har beløp som telles med",
        "Row or column {what} is hidden but holds amounts that are counted",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem the checker found, at a sheet and cell where it has one."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    expected: Any = None
    found: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    consequences: tuple[Finding, ...] = ()
    """Findings that follow from this one (see ``check.causes``)."""

    @property
    def severity(self) -> Severity:
        """error or warning, fixed per code."""
        return CATALOG[self.code][0]

    def message(self, lang: str = "nb") -> str:
        """The message in bokmål (``nb``) or English (``en``)."""
        template = CATALOG[self.code][1 if lang == "nb" else 2]
        unit = f"{NBSP}kr" if self.code in KRONER_CODES else ""
        return template.format(
            expected=show(self.expected, lang, unit),
            found=show(self.found, lang, unit),
            **self.params,
        )


KRONER_CODES = frozenset(
    {
        "kdd-over-cap",
        "kdd-over-eligible",
        "kdd-over-eligible-project",
        "not-balanced",
        "total-mismatch",
        "cached-stale",
        "amount-negative",
        "amount-fractional",
    }
)
"""Codes whose expected and found values are amounts in kroner."""


def show(value: Any, lang: str = "nb", unit: str = "") -> str:
    """A value as a finance officer reads it: ``1 234 568 kr``, ``1 234,50 kr`` (``1 234.50``
    in English), text quoted; ``unit`` follows numbers."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        if not abs(value) < 1e15:  # beyond 15 digits (and inf, nan): as Excel shows it
            return _scientific(value)
        return number(value, lang) + unit
    return str(value) if str(value).startswith("=") else f"«{value}»"


def _scientific(value: float) -> str:
    """``1E20``, ``INF``, ``NAN``; an int too large for a float as ``>1E308``."""
    try:
        return f"{float(value):.6G}".replace("E+", "E")
    except OverflowError:
        return ">1E308" if value > 0 else "<-1E308"
