"""What the accounts checks report: a stable code, a severity, a place and text in two languages."""

from __future__ import annotations

from typing import Any, Literal

from ..dataclass import dataclass, field
from ..messages import kroner

Severity = Literal["error", "warning"]

# code -> (severity, bokmål template, English template); templates use the finding's params.
CATALOG: dict[str, tuple[Severity, str, str]] = {
    "posting-outside-period": (
        "error",
        "Posteringen er datert {date}, utenfor tilskuddsperioden {start}–{end}; den er holdt utenfor",
        "The posting is dated {date}, outside the grant period {start}–{end}; it is left out",
    ),
    "posting-closed-project": (
        "error",
        "Posteringen ({date}) er ført på prosjekt {code}, som er {status} i regnskapet",
        "The posting ({date}) is booked to project {code}, which the ledger has as {status}",
    ),
    "kdd-over-eligible-actual": (
        "error",
        "{project}: KDD-inntekt ført ({found}) er mer enn prosjektets faktiske "
        "støtteberettigede kostnader ({expected})",
        "{project}: KDD income booked ({found}) exceeds the project's actual KDD-eligible "
        "costs ({expected})",
    ),
    "vat-among-costs": (
        "error",
        "Konto {account} (KOSTRA-art {art}, mva-kompensasjon) er ført som kostnad",
        "Account {account} (KOSTRA art {art}, VAT compensation) is counted as a cost",
    ),
    "account-not-placed": (
        "error",
        "Konto {account} på prosjekt {code} er ikke plassert i kartet (kategori, inntekt eller "
        "ignorer); linjen er avvist, ikke tapt",
        "Account {account} on project {code} is not placed by the map (category, income or "
        "ignore); the line is refused, not dropped",
    ),
    "duplicate-posting": (
        "error",
        "Samme bilag og linje for andre gang (flatet eksport?); den andre er avvist",
        "The same voucher and line a second time (a flattened export?); the second is refused",
    ),
    "deviation-unexplained": (
        "warning",
        "{project} / {category}: avvik {found} ({percent}) er over terskelen {expected} og mangler "
        "forklaring",
        "{project} / {category}: the deviation {found} ({percent}) is over the threshold "
        "{expected} and has no explanation",
    ),
    "deviation-unexplained-final": (
        "error",
        "{project} / {category}: avvik {found} ({percent}) er over terskelen {expected} og mangler "
        "forklaring i sluttrapporten",
        "{project} / {category}: the deviation {found} ({percent}) is over the threshold "
        "{expected} and has no explanation in the final report",
    ),
    "grant-income-mismatch": (
        "warning",
        "{funder}: tilskuddsinntekt ført ({found}) stemmer ikke med mottatt ({expected})",
        "{funder}: grant income booked ({found}) does not match what was received ({expected})",
    ),
    "hours-without-timesheet": (
        "warning",
        "{municipality}, {project} {year}: {hours} timer budsjettert, ingen timelister",
        "{municipality}, {project} {year}: {hours} hours budgeted, no time sheets",
    ),
    "hours-unattested": (
        "warning",
        "{person}: {hours} timer {date} er ikke attestert",
        "{person}: {hours} hours on {date} are not attested",
    ),
    "hours-self-attested": (
        "error",
        "{person}: {hours} timer {date} er attestert av personen selv",
        "{person}: {hours} hours on {date} are attested by the person themself",
    ),
    "hours-unknown": (
        "warning",
        "Timer for {municipality} på {code} hører ikke til piloten (kommune eller prosjekt); "
        "telles ikke",
        "Hours for {municipality} on {code} are not the pilot's (municipality or project); "
        "not counted",
    ),
    "hours-outside-period": (
        "warning",
        "{person}: {hours} timer {date} er utenfor prosjektårene; telles ikke",
        "{person}: {hours} hours on {date} are outside the project years; not counted",
    ),
    "inkind-over-approved": (
        "error",
        "{municipality}: egeninnsats registrert ({found}) er mer enn godkjent ({expected})",
        "{municipality}: in-kind registered ({found}) is more than approved ({expected})",
    ),
    "received-over-tilsagn": (
        "error",
        "{funder}: mottatt ({found}) er mer enn tilsagnet ({expected})",
        "{funder}: received ({found}) is more than the tilsagn ({expected})",
    ),
    "request-capped": (
        "warning",
        "{funder}: opptjent minus mottatt ({found}) er mer enn tilsagn minus mottatt og "
        "tilbakeholdt; anmodningen er satt til {expected}",
        "{funder}: earned less received ({found}) exceeds the tilsagn less received and held "
        "back; the request is {expected}",
    ),
    "lines-lost": (
        "error",
        "Linjer lest ({read}) og linjer plassert ({placed}) stemmer ikke",
        "Lines read ({read}) and lines placed ({placed}) do not agree",
    ),
}

KRONER_PARAMS = ("found", "expected")


@dataclass(frozen=True)
class Place:
    """Where a finding is: a ledger line (file, voucher, line, row), a time-sheet row (file,
    row) or a figure (``what``: project / category, a funder, a municipality)."""

    source: str = ""
    voucher: str = ""
    line: str = ""
    row: int = 0
    what: str = ""

    def text(self, lang: str = "nb") -> str:
        """``hovedbok.csv, bilag 1001, linje 2 (rad 14)``; ``timer.csv, rad 7``; the figure."""
        nb = lang == "nb"
        if self.voucher or self.line:
            voucher, line, row = ("bilag", "linje", "rad") if nb else ("voucher", "line", "row")
            tail = f" ({row} {self.row})" if self.row else ""
            return f"{self.source}, {voucher} {self.voucher}, {line} {self.line}{tail}"
        if self.source:
            return f"{self.source}, {'rad' if nb else 'row'} {self.row}"
        return self.what


@dataclass(frozen=True)
class AccountsFinding:
    """One thing the accounts checks found, at a place."""

    code: str
    place: Place
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return CATALOG[self.code][0]

    def message(self, lang: str = "nb") -> str:
        template = CATALOG[self.code][1 if lang == "nb" else 2]
        shown = {
            k: kroner(v, lang) if k in KRONER_PARAMS and isinstance(v, int | float) else v
            for k, v in self.params.items()
        }
        return template.format(**shown)

    def line(self, lang: str = "nb") -> str:
        """``feil: PLACE: message`` as the command prints it."""
        label = {"error": ("feil", "error"), "warning": ("advarsel", "warning")}[self.severity]
        return f"{label[0 if lang == 'nb' else 1]}: {self.place.text(lang)}: {self.message(lang)}"

    def as_dict(self, lang: str = "nb") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "place": self.place.text(lang),
            "message": self.message(lang),
        }
