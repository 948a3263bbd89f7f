"""Every sentence the commands print, in bokmål (the default) and English, in one catalogue.

Commands say what they have to say with :func:`say` (a keyed sentence) and :func:`kroner`
(``1 234 568 kr``, ``1 234,50 kr``). The library raises its errors in English, the language of
its code; :func:`localize` states such a message in the user's language, by matching it against
the English patterns of :data:`PATTERNS`. A message no pattern matches is shown as raised.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, Literal

Lang = Literal["nb", "en"]
LANGS: tuple[Lang, ...] = ("nb", "en")

# key -> (bokmål, English); templates use str.format fields.
CATALOG: dict[str, tuple[str, str]] = {
    "error": ("feil: {text}", "error: {text}"),
    "warning": ("advarsel: {text}", "warning: {text}"),
    "wrote": ("Skrev {path}", "Wrote {path}"),
    "wrote-backup": (
        "Skrev {path} (den gamle filen er tatt vare på som {backup})",
        "Wrote {path} (old file kept as {backup})",
    ),
    "up-to-date": (
        "{path} er allerede oppdatert (samme innhold)",
        "{path} is up to date (same content)",
    ),
    "generate-summary": (
        "{name}: kostnader {costs} (herav egeninnsats {in_kind}), KDD {kdd} av taket på {cap} "
        "({headroom} igjen), Statsforvalteren {sf}, balanse {balance}",
        "{name}: costs {costs} (in kind {in_kind}), KDD {kdd} of cap {cap} "
        "({headroom} headroom), Statsforvalteren {sf}, balance {balance}",
    ),
    "generate-over-cap-summary": (
        "{name}: kostnader {costs} (herav egeninnsats {in_kind}), KDD {kdd}, "
        "{over} over taket på {cap}, Statsforvalteren {sf}, balanse {balance}",
        "{name}: costs {costs} (in kind {in_kind}), KDD {kdd}, {over} over the cap of {cap}, "
        "Statsforvalteren {sf}, balance {balance}",
    ),
    "rule-broken": (
        "brutt regel: {place}: {message} [{code}]",
        "broken rule: {place}: {message} [{code}]",
    ),
    "rules-broken-draft": (
        "{count} regelbrudd: arbeidsboka er skrevet som et utkast; rett spesifikasjonen før "
        "innsending",
        "{count} broken rule(s): the workbook was written as a draft; correct the spec "
        "before submitting",
    ),
    "files-checked": (
        "{count} filer kontrollert: {ok} uten feil, {failed} med feil, {unreadable} kunne "
        "ikke leses",
        "{count} files checked: {ok} ok, {failed} with errors, {unreadable} unreadable",
    ),
    "formula-input": (
        "merk: {cell} inneholder formelen {formula}; spesifikasjonen får verdien {value}",
        "note: {cell} holds the formula {formula}; the spec gets its value {value}",
    ),
    "extracted-from": (
        "# Hentet fra {name} av bygdevekst_xl",
        "# Extracted from {name} by bygdevekst_xl",
    ),
    "workbook": ("arbeidsbok", "workbook"),
    "carried": (
        "  tok med {count} inntastede verdier i prosjektet «{project}»",
        "  carried over {count} typed value(s) of project {project!r}",
    ),
    "change": ("  endring: {text}", "  change: {text}"),
    "left-out-refuse": (
        "  ville gått tapt: {place} = {value} ({what})",
        "  would be lost: {place} = {value} ({what})",
    ),
    "left-out-drop": (
        "  droppet: {place} = {value} ({what})",
        "  dropped: {place} = {value} ({what})",
    ),
    "left-out-archive": (
        "  tatt vare på i arket «Arkiv»: {place} = {value} ({what})",
        "  kept in sheet 'Arkiv': {place} = {value} ({what})",
    ),
    "report-warning": ("  advarsel: {text}", "  warning: {text}"),
    "no-record": ("(ingen post)", "(no record)"),
    "generation-step": ("  generasjon {base} -> {new}", "  generation {base} -> {new}"),
    "conflict": ("  konflikt: {text}", "  conflict: {text}"),
    "conflict-resolved": (
        "  konflikt avgjort ({winner} vant): {text}",
        "  conflict settled ({winner} won): {text}",
    ),
    "side-workbook": ("arbeidsboka", "the workbook"),
    "side-spec": ("spesifikasjonen", "the spec"),
    "changed": ("  endret: {text}", "  changed: {text}"),
    "would-change": ("  ville endret: {text}", "  would change: {text}"),
    "conflict-values": (
        "{place} ({where}): ved generering {base}, i arbeidsboka {workbook}, "
        "i spesifikasjonen {spec}",
        "{place} ({where}): at generation {base}, in the workbook {workbook}, in the spec {spec}",
    ),
    "blank": ("tom", "blank"),
    "removed": ("(fjernet)", "(removed)"),
    "no-line": ("(ingen linje)", "(no line)"),
    "content-id": ("Innholds-ID {digest}", "Content ID {digest}"),
    "content-id-draft": ("Innholds-ID {digest} (UTKAST)", "Content ID {digest} (UTKAST: draft)"),
    "interrupted": (
        "avbrutt; ingenting ble liggende halvskrevet",
        "interrupted; nothing was left half-written",
    ),
    "terminated": (
        "stoppet; ingenting ble liggende halvskrevet",
        "terminated; nothing was left half-written",
    ),
    "cannot-write-output": ("kan ikke skrive utdata: {why}", "cannot write the output: {why}"),
}


def say(key: str, lang: str = "nb", **params: Any) -> str:
    """The catalogue's sentence ``key`` in ``lang`` (``nb`` or ``en``)."""
    return CATALOG[key][0 if lang == "nb" else 1].format(**params)


def number(value: float, lang: str = "nb") -> str:
    """A number as a finance officer reads it: ``1 234 568``; ``1 234,50`` in bokmål,
    ``1 234.50`` in English (whole numbers without decimals)."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    text = f"{value:,.2f}".replace(",", " ")
    return text.replace(".", ",") if lang == "nb" else text


def kroner(value: float, lang: str = "nb") -> str:
    """``1 234 568 kr`` (whole kroner), ``1 234,50 kr`` with øre in bokmål."""
    if not math.isfinite(value):
        return f"{value} kr"
    return f"{number(round(value, 2), lang)} kr"


# English message pattern -> bokmål. ``{name}`` matches any text (kept as it is). A message
# that starts with a place ("file.xlsx: ", "Parametre!B6: ") is matched after that place.
PATTERNS: tuple[tuple[str, str], ...] = (
    # Reading a workbook
    ("no such file", "filen finnes ikke"),
    ("no permission to read the file", "mangler tillatelse til å lese filen"),
    ("cannot open ({why})", "kan ikke åpne filen ({why})"),
    ("is a directory, not a workbook", "er en mappe, ikke en arbeidsbok"),
    ("not a regular file", "er ikke en vanlig fil"),
    ("empty file (0 bytes)", "tom fil (0 byte)"),
    (
        "encrypted (password-protected) workbook; save it without a password",
        "kryptert (passordbeskyttet) arbeidsbok; lagre den uten passord",
    ),
    (
        "legacy .xls (Excel 97-2003) file, not an .xlsx; save it as .xlsx",
        "gammel .xls-fil (Excel 97–2003), ikke .xlsx; lagre den som .xlsx",
    ),
    ("not a zip: looks like a PDF", "ikke en arbeidsbok: ser ut som en PDF"),
    (
        "not a zip: looks like an Excel 2003 XML spreadsheet",
        "ikke en arbeidsbok: ser ut som et XML-regneark fra Excel 2003",
    ),
    (
        "not a zip: looks like HTML (a web page saved as .xlsx)",
        "ikke en arbeidsbok: ser ut som HTML (en nettside lagret som .xlsx)",
    ),
    ("not a zip: looks like XML text", "ikke en arbeidsbok: ser ut som XML-tekst"),
    ("not a zip: looks like text/CSV", "ikke en arbeidsbok: ser ut som tekst/CSV"),
    (
        "not a zip (unrecognised content starting {bytes})",
        "ikke en arbeidsbok (ukjent innhold som begynner med {bytes})",
    ),
    ("damaged or truncated zip ({why})", "skadet eller avkortet zip-fil ({why})"),
    (
        "an OpenDocument spreadsheet (.ods), not an .xlsx; save it as .xlsx",
        "et OpenDocument-regneark (.ods), ikke .xlsx; lagre det som .xlsx",
    ),
    (
        "binary workbook (.xlsb) is not supported; save it as .xlsx",
        "binær arbeidsbok (.xlsb) støttes ikke; lagre den som .xlsx",
    ),
    ("missing {part} (not a workbook)", "mangler {part} (ikke en arbeidsbok)"),
    ("ran out of memory reading the workbook", "minnet tok slutt under lesing av arbeidsboka"),
    ("unexpected damage ({why})", "uventet skade i filen ({why})"),
    ("two sheets are named {name}", "to ark heter {name}"),
    ("a Word document (.docx)", "et Word-dokument (.docx)"),
    (
        "missing [Content_Types].xml (a zip, but not an Office Open XML file)",
        "mangler [Content_Types].xml (en zip-fil, men ikke en Office Open XML-fil)",
    ),
    ("an OpenDocument file ({kind}), not an .xlsx", "en OpenDocument-fil ({kind}), ikke .xlsx"),
    (
        "part {part} declares {n} bytes uncompressed (limit {limit})",
        "delen {part} oppgir {n} byte ukomprimert (grense {limit})",
    ),
    ("part {part} inflates past {n} bytes", "delen {part} pakkes ut til mer enn {n} byte"),
    ("part {part} compresses {ratio}:1", "delen {part} er komprimert {ratio}:1"),
    ("part {part} contains a DTD", "delen {part} inneholder en DTD"),
    ("part {part} is damaged ({why})", "delen {part} er skadet ({why})"),
    ("part {part} lists no sheets", "delen {part} har ingen ark"),
    ("part {part}: a sheet without a name", "delen {part}: et ark uten navn"),
    ("part {part}: more than {n} sheets", "delen {part}: mer enn {n} ark"),
    (
        "part {part}: a text longer than {n} characters",
        "delen {part}: en tekst på mer enn {n} tegn",
    ),
    ("zip has {n} entries (more than {m})", "zip-filen har {n} oppføringer (mer enn {m})"),
    ("zip declares {n} entries (more than {m})", "zip-filen oppgir {n} oppføringer (mer enn {m})"),
    (
        "zip central directory of {n} bytes is too large",
        "zip-filens innholdsliste på {n} byte er for stor",
    ),
    (
        "more than {n} cells in the workbook (max_cells)",
        "mer enn {n} celler i arbeidsboka (max_cells)",
    ),
    ("more than {n} {what} and the like", "mer enn {n} {what} og lignende"),
    ("sheet {name} ({part}): {why}", "arket {name} ({part}): {why}"),
    ("sheet {name}: its part ({part}) is missing", "arket {name}: delen ({part}) mangler"),
    ("cell {cell}: {text} is not a number", "celle {cell}: {text} er ikke et tall"),
    ("cell {cell}: {text} is not a boolean", "celle {cell}: {text} er ikke en sannhetsverdi"),
    (
        "cell {cell}: {text} is not an ISO 8601 date",
        "celle {cell}: {text} er ikke en ISO 8601-dato",
    ),
    ("cell {cell}: unknown cell type {kind}", "celle {cell}: ukjent celletype {kind}"),
    ("cell reference {ref} is not a cell address", "cellereferansen {ref} er ikke en celleadresse"),
    ("cell reference {ref} is outside the sheet", "cellereferansen {ref} ligger utenfor arket"),
    ("a text longer than {n} characters", "en tekst på mer enn {n} tegn"),
    ("row {row} is outside the sheet", "rad {row} ligger utenfor arket"),
    ("{what}; refusing (possible zip bomb)", "{what}; avvist (mulig zip-bombe)"),
    (
        "{what}; refusing (possible XML entity attack)",
        "{what}; avvist (mulig angrep med XML-entiteter)",
    ),
    ("{what}; refusing", "{what}; avvist"),
    # Not one of our workbooks
    (
        "no 'Parametre' sheet: not a bygdevekst_xl budget workbook",
        "arket «Parametre» mangler: ikke en budsjettarbeidsbok fra bygdevekst_xl",
    ),
    ("the municipality or project table is missing", "kommune- eller prosjekttabellen mangler"),
    ("the category table is missing", "kategoritabellen mangler"),
    ("no project years", "ingen prosjektår"),
    (
        "sheet {sheet}: no cost table (a 'Kategori' header row and a 'Sum kostnader' row below "
        "it in column A); type the label back to check the sheet",
        "arket {sheet}: finner ingen kostnadstabell (en overskriftsrad «Kategori» og teksten "
        "«Sum kostnader» under den i kolonne A); skriv teksten inn igjen for å kontrollere arket",
    ),
    (
        "the project register has no project id; each project is found by its id (type it "
        "back as generated)",
        "prosjektregisteret mangler prosjekt-id; hvert prosjekt finnes ved sin id (skriv den inn "
        "igjen slik den ble generert)",
    ),
    (
        "the project register repeats the id {id}; each project is found by its id (type it "
        "back as generated)",
        "prosjektregisteret har id-en {id} to ganger; hvert prosjekt finnes ved sin id (skriv "
        "den inn igjen slik den ble generert)",
    ),
    (
        "{where}: the table {name} has {count} rows; a budget has at most {most}",
        "{where}: tabellen {name} har {count} rader; et budsjett har høyst {most}",
    ),
    (
        "sheet {sheet}: the cost table has {count} rows; a budget has at most {most}",
        "arket {sheet}: kostnadstabellen har {count} rader; et budsjett har høyst {most}",
    ),
    (
        "the formula {formula} refers to {reference}, which has no place in the new workbook; "
        "its value is written instead",
        "formelen {formula} viser til {reference}, som ikke har noen plass i den nye "
        "arbeidsboka; verdien skrives i stedet",
    ),
    # Writing a file
    (
        "the output would overwrite the input {source}; choose another -o",
        "utfilen ville overskrevet innfilen {source}; velg en annen -o",
    ),
    ("is a folder; give a file name with -o", "er en mappe; oppgi et filnavn med -o"),
    ("folder does not exist", "mappen finnes ikke"),
    ("is not a folder; give a folder with -o", "er ikke en mappe; oppgi en mappe med -o"),
    ("cannot make the folder: {why}", "kan ikke lage mappen: {why}"),
    (
        "standard output is a terminal; redirect it (> NAME.xlsx) or give a file with -o",
        "standard utdata er en terminal; send den til en fil (> NAVN.xlsx) eller oppgi en fil "
        "med -o",
    ),
    (
        "{count} input(s) must be fixed in the workbook first",
        "{count} inndata må rettes i arbeidsboka først",
    ),
    (
        "{count} broken rule(s) and --strict: no file was written",
        "{count} regelbrudd og --strict: ingen fil er skrevet",
    ),
    (
        "{count} typed value(s) have no place in the new spec; nothing was written. "
        "Use --drop-orphans or --archive-orphans, or keep them in the spec:",
        "{count} inntastede verdier har ingen plass i den nye spesifikasjonen; ingenting er "
        "skrevet. Bruk --drop-orphans eller --archive-orphans, eller behold dem i "
        "spesifikasjonen:",
    ),
    (
        "{count} input(s) were changed both in the workbook and in the spec; nothing was "
        "written. Fix one side, or choose with --prefer workbook or --prefer spec:",
        "{count} inndata er endret både i arbeidsboka og i spesifikasjonen; ingenting er "
        "skrevet. Rett den ene siden, eller velg med --prefer workbook eller --prefer spec:",
    ),
    (
        "the check found {count} error(s); fix them, or use --draft for a pack marked UTKAST:",
        "kontrollen fant {count} feil; rett dem, eller bruk --draft for en pakke merket UTKAST:",
    ),
    (
        "no municipality {name} in the workbook (it has {names})",
        "kommunen {name} finnes ikke i arbeidsboka (den har {names})",
    ),
    (
        "no TrueType font (Carlito or DejaVu Sans) on this machine: the PDF's fonts are not "
        "embedded; install fonts-crosextra-carlito or fonts-dejavu-core",
        "ingen TrueType-skrift (Carlito eller DejaVu Sans) på denne maskinen: skriftene i PDF-en "
        "er ikke innebygd; installer fonts-crosextra-carlito eller fonts-dejavu-core",
    ),
    (
        "no font on this machine prints {chars}; install DejaVu Sans (fonts-dejavu-core)",
        "ingen skrift på denne maskinen kan skrive {chars}; installer DejaVu Sans "
        "(fonts-dejavu-core)",
    ),
    (
        "{what}: the amount ({value}) is no number that can be printed",
        "{what}: beløpet ({value}) er ikke et tall som kan skrives ut",
    ),
    (
        "-o must name a file ending in {suffix} for {command}",
        "-o må være en fil som slutter på {suffix} for {command}",
    ),
    ("cannot read the existing file: {why}", "kan ikke lese den eksisterende filen: {why}"),
    (
        "file exists and differs; use --force to replace it (the old file is kept as a backup)",
        "filen finnes og er ulik; bruk --force for å erstatte den (den gamle filen tas vare "
        "på som sikkerhetskopi)",
    ),
    ("cannot keep a backup: {why}", "kan ikke ta sikkerhetskopi: {why}"),
    ("cannot write: {why}; {kept}", "kan ikke skrive: {why}; {kept}"),
    ("the existing file is unchanged", "den eksisterende filen er uendret"),
    ("nothing was written", "ingenting er skrevet"),
    ("too many backups beside it; tidy them up first", "for mange sikkerhetskopier; rydd først"),
    # Reading a spec
    ("file not found", "filen finnes ikke"),
    ("permission denied", "mangler tillatelse"),
    ("is a folder, not a spec file", "er en mappe, ikke en spesifikasjonsfil"),
    ("cannot read file: {why}", "kan ikke lese filen: {why}"),
    ("missing required field {name}", "mangler det påkrevde feltet {name}"),
    ("unknown key {keys}", "ukjent nøkkel {keys}"),
    ("must be ≥ {v}", "må være ≥ {v}"),
    ("must be ≤ {v}", "må være ≤ {v}"),
    (
        "must have exactly {v} entries (one per project year), not {n}",
        "må ha nøyaktig {v} verdier (én per prosjektår), ikke {n}",
    ),
    ("must have at least {v} entries", "må ha minst {v} verdier"),
    ("must have at most {v} entries, not {n}", "må ha høyst {v} verdier, ikke {n}"),
    ("entries must be unique", "verdiene må være unike"),
    ("must not be empty", "kan ikke være tom"),
    ("must not be blank", "kan ikke være blank"),
    ("must be at most {v} characters", "kan være høyst {v} tegn"),
    (
        "must be nine digits, spaces allowed (974 589 095)",
        "må være ni sifre, gjerne med mellomrom (974 589 095)",
    ),
    ("must be a date written YYYY-MM-DD", "må være en dato skrevet ÅÅÅÅ-MM-DD"),
    ("must be a valid {v} (YYYY-MM-DD)", "må være en gyldig {v} (ÅÅÅÅ-MM-DD)"),
    ("duplicate category id {id}", "kategori-id {id} er brukt to ganger"),
    ("duplicate category name {name}", "kategorinavnet {name} er brukt to ganger"),
    ("duplicate project id {id}", "prosjekt-id {id} er brukt to ganger"),
    (
        "sheet name {name} is already used (case-insensitive)",
        "arknavnet {name} er allerede brukt (uten hensyn til store og små bokstaver)",
    ),
    ("category {id} is not defined", "kategorien {id} er ikke definert"),
    (
        "{name} is not one of the municipalities in pilot.municipalities",
        "{name} er ikke en av kommunene i pilot.municipalities",
    ),
    # Regeneration: values without a place, changes, what is not carried over
    (
        "{count} typed value(s) have no place in the new spec",
        "{count} inntastede verdier har ingen plass i den nye spesifikasjonen",
    ),
    ("project {id} was removed: {what}", "prosjektet {id} er fjernet: {what}"),
    (
        "cost line {line}: category {id} no longer exists",
        "kostnadslinjen {line}: kategorien {id} finnes ikke lenger",
    ),
    (
        "hours of {name}, which is no longer in the pilot",
        "timer for {name}, som ikke lenger er med i piloten",
    ),
    (
        "year {year} is no longer a project year: {what}",
        "{year} er ikke lenger et prosjektår: {what}",
    ),
    ("cost line {line}", "kostnadslinjen {line}"),
    ("hours of {name}", "timer for {name}"),
    ("financing from {name}", "finansiering fra {name}"),
    ("project {id} added ({name})", "prosjektet {id} er lagt til ({name})"),
    (
        "project {id} sheet renamed: {old} -> {new}",
        "arket til prosjektet {id} har fått nytt navn: {old} -> {new}",
    ),
    ("project {id} renamed: {old} -> {new}", "prosjektet {id} har fått nytt navn: {old} -> {new}"),
    ("project {id} removed", "prosjektet {id} er fjernet"),
    ("municipality {name} added", "kommunen {name} er lagt til"),
    ("municipality {name} removed", "kommunen {name} er fjernet"),
    ("category {id} added", "kategorien {id} er lagt til"),
    ("category {id} removed", "kategorien {id} er fjernet"),
    ("category {id} renamed: {old} -> {new}", "kategorien {id} har fått nytt navn: {old} -> {new}"),
    ("years changed: {old} -> {new}", "årene er endret: {old} -> {new}"),
    (
        "sheet {name} was added by a person and is not carried over",
        "arket {name} er lagt til av en person og blir ikke med",
    ),
    ("{count} comment(s) are not carried over", "{count} kommentar(er) blir ikke med"),
    (
        "{count} image(s) or drawing(s) are not carried over",
        "{count} bilde(r) eller tegning(er) blir ikke med",
    ),
    (
        "{value} is outside the input areas and is not carried over",
        "{value} står utenfor inndataområdene og blir ikke med",
    ),
)


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex + r"\Z", re.DOTALL)


@functools.cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The patterns, compiled when a message is first localized (not at every start-up)."""
    return tuple((_compile(en), nb) for en, nb in PATTERNS)


_PLACE = re.compile(r"(.+?): ")


def localize(text: str, lang: str = "nb") -> str:
    """An English library message in ``lang``: whole, or after a leading place (``x.xlsx: ``)."""
    if lang != "nb":
        return text
    start = 0
    while True:
        rest = text[start:]
        for pattern, nb in _compiled():
            match = pattern.match(rest)
            if match:
                params = {k: localize(v, lang) for k, v in match.groupdict().items()}
                return text[:start] + nb.format(**params)
        place = _PLACE.match(text, start)
        if place is None:
            return text
        start = place.end()
