"""Every sentence the commands print, in bokmål (the default) and English, in one catalogue.

Commands say what they have to say with :func:`say` (a keyed sentence) and :func:`kroner`
(``1 234 568 kr``, ``1 234,50 kr``, ``−12 500 kr``: no-break spaces, a true minus sign). The
library words its errors as a :class:`Message`, a key of the catalogue with its fields: it
reads as its English text (the language of the code and of ``str()``) and says itself in any
language. Older messages are English text; :func:`localize` states those in bokmål by matching
them against the English patterns of :data:`PATTERNS` (a message no pattern matches is shown
as raised), and a :class:`Message` by its key.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, Literal

Lang = Literal["nb", "en"]
LANGS: tuple[Lang, ...] = ("nb", "en")

# key -> (bokmål, English); templates use str.format fields, the same in both languages but
# for the keys of DETAIL_IN_ENGLISH: their English states a detail a library (PyYAML, jsonschema)
# gives in English only, which the bokmål leaves out.
DETAIL_IN_ENGLISH = frozenset({"yaml-other", "spec-schema-other", "record-unusable"})
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
        "{count}: arbeidsboka er skrevet som et utkast; rett spesifikasjonen før innsending",
        "{count}: the workbook was written as a draft; correct the spec before submitting",
    ),
    "files-checked": (
        "{count} kontrollert: {ok} uten feil, {failed} med feil, {unreadable} kunne ikke leses",
        "{count} checked: {ok} ok, {failed} with errors, {unreadable} unreadable",
    ),
    "strict-broken": (
        "{count} og --strict: ingen fil er skrevet",
        "{count} and --strict: no file was written",
    ),
    "extract-inputs": (
        "{count} må rettes i arbeidsboka først",
        "{count} to fix in the workbook first",
    ),
    "council-refused": (
        "kontrollen fant {count}; rett det som er feil, eller bruk --draft for en pakke "
        "merket UTKAST:",
        "the check found {count}; fix what is wrong, or use --draft for a pack marked UTKAST:",
    ),
    "regenerate-orphans": (
        "{count} har ingen plass i den nye spesifikasjonen; ingenting er skrevet. Bruk "
        "--drop-orphans eller --archive-orphans, eller behold dem i spesifikasjonen:",
        "{count} without a place in the new spec; nothing was written. Use --drop-orphans "
        "or --archive-orphans, or keep them in the spec:",
    ),
    "regenerate-conflicts": (
        "{count} er endret både i arbeidsboka og i spesifikasjonen; ingenting er skrevet. "
        "Rett den ene siden, eller velg med --prefer workbook eller --prefer spec:",
        "{count} changed both in the workbook and in the spec; nothing was written. Fix one "
        "side, or choose with --prefer workbook or --prefer spec:",
    ),
    "not-carried": ("{count} blir ikke med", "{count} not carried over"),
    "regenerate-not-as-meant": (
        "den nye arbeidsboka, lest tilbake, er ikke som ment ({count}); ingenting er skrevet:",
        "the new workbook, read back, is not as meant ({count}); nothing was written:",
    ),
    "meant-read": ("skulle være {meant}, ble lest som {read}", "meant {meant}, read {read}"),
    "sheet-not-written": ("arket mangler", "the sheet is missing"),
    "outside-no-place": (
        "verdien står utenfor inndataområdene og har ingen plass i den nye arbeidsboka",
        "the value is outside the input areas and has no place in the new workbook",
    ),
    "spec-not-as-meant": (
        "spesifikasjonsteksten, lest tilbake, er ikke den samme som inndataene i arbeidsboka; "
        "ingenting er skrevet",
        "the spec text, read back, differs from the workbook's inputs; nothing was written",
    ),
    "record-unusable": (
        "generasjonsposten i arbeidsboka kan ikke brukes: verdiene i arbeidsboka vinner der "
        "den nye spesifikasjonen har plass til dem",
        "the workbook's generation record cannot be used ({reason}): the workbook's values "
        "win wherever the new spec keeps their place",
    ),
    "no-record-written": (
        "ingen generasjonspost er skrevet: arbeidsboka har verdier en spesifikasjon ikke kan "
        "uttrykke ({problem}); rett dem og kjør regenerate igjen",
        "no generation record written: the workbook holds values a spec cannot state "
        "({problem}); fix them and run regenerate again",
    ),
    "output-suffix": (
        "-o må være en fil som slutter på {suffix} for {command}",
        "-o must name a file ending in {suffix} for {command}",
    ),
    "no-folder": ("mappen finnes ikke", "folder does not exist"),
    "not-a-folder": (
        "er ikke en mappe; oppgi en mappe med -o",
        "is not a folder; give a folder with -o",
    ),
    "cannot-make-folder": ("kan ikke lage mappen: {why}", "cannot make the folder: {why}"),
    "stdout-terminal": (
        "standard utdata er en terminal; send den til en fil (> NAVN.xlsx) eller oppgi en fil "
        "med -o",
        "standard output is a terminal; redirect it (> NAME.xlsx) or give a file with -o",
    ),
    "output-over-input": (
        "utfilen ville overskrevet innfilen {source}; velg en annen -o",
        "the output would overwrite the input {source}; choose another -o",
    ),
    "cannot-write-nothing": (
        "kan ikke skrive: {why}; ingenting er skrevet",
        "cannot write: {why}; nothing was written",
    ),
    "cannot-write-unchanged": (
        "kan ikke skrive: {why}; den eksisterende filen er uendret",
        "cannot write: {why}; the existing file is unchanged",
    ),
    "bytes-of": ("{found} av {meant} byte", "{found} of {meant} bytes"),
    "other-bytes": ("andre byte enn skrevet", "other bytes than written"),
    "written-differs-nothing": (
        "filen, lest tilbake, er ikke det som ble skrevet ({why}); ingenting er skrevet",
        "the file, read back, is not what was written ({why}); nothing was written",
    ),
    "written-differs-unchanged": (
        "filen, lest tilbake, er ikke det som ble skrevet ({why}); den eksisterende filen er "
        "satt tilbake",
        "the file, read back, is not what was written ({why}); the existing file is put back",
    ),
    "output-flickers": (
        "filen dukker opp og forsvinner igjen; prøv på nytt",
        "the file keeps appearing and vanishing; try again",
    ),
    "output-not-regular": (
        "utfilen er {kind}, ikke en vanlig fil",
        "the output is {kind}, not a regular file",
    ),
    "no-municipality": (
        "kommunen {name} finnes ikke i arbeidsboka (den har {names})",
        "no municipality {name} in the workbook (it has {names})",
    ),
    "no-ttf-font": (
        "ingen TrueType-skrift (Carlito eller DejaVu Sans) på denne maskinen: skriftene i PDF-en "
        "er ikke innebygd; installer fonts-crosextra-carlito eller fonts-dejavu-core",
        "no TrueType font (Carlito or DejaVu Sans) on this machine: the PDF's fonts are not "
        "embedded; install fonts-crosextra-carlito or fonts-dejavu-core",
    ),
    "no-font": (
        "ingen skrift på denne maskinen kan skrive {chars}; installer DejaVu Sans "
        "(fonts-dejavu-core)",
        "no font on this machine prints {chars}; install DejaVu Sans (fonts-dejavu-core)",
    ),
    "kind-symlink": ("en symbolsk lenke", "a symbolic link"),
    "kind-fifo": ("et rør (FIFO)", "a pipe (FIFO)"),
    "kind-device": ("en enhet", "a device"),
    "kind-special": ("en spesialfil", "a special file"),
    "cannot-look": ("kan ikke se på filen: {why}", "cannot look at the file: {why}"),
    "output-is-folder": (
        "er en mappe; oppgi et filnavn med -o",
        "is a folder; give a file name with -o",
    ),
    "cannot-read-existing": (
        "kan ikke lese den eksisterende filen: {why}",
        "cannot read the existing file: {why}",
    ),
    "exists-differs-backup": (
        "filen finnes og er ulik; bruk --force for å erstatte den (den gamle filen tas vare "
        "på som sikkerhetskopi)",
        "file exists and differs; use --force to replace it (the old file is kept as a backup)",
    ),
    "cannot-backup": ("kan ikke ta sikkerhetskopi: {why}", "cannot keep a backup: {why}"),
    "too-many-backups": (
        "for mange sikkerhetskopier ved siden av; rydd først",
        "too many backups beside it; tidy them up first",
    ),
    "exists-differs": (
        "filen finnes og er ulik; bruk --force for å erstatte den",
        "file exists and differs; use --force to replace it",
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
    # Counted words, "singular|plural" (said through plural())
    "n-errors": ("feil|feil", "error|errors"),
    "n-warnings": ("advarsel|advarsler", "warning|warnings"),
    "n-changes": ("endring|endringer", "change|changes"),
    "n-broken-rules": ("regelbrudd|regelbrudd", "broken rule|broken rules"),
    "n-places": ("sted|steder", "place|places"),
    "n-typed-values": ("inntastet verdi|inntastede verdier", "typed value|typed values"),
    "n-inputs": ("inndata|inndata", "input|inputs"),
    "n-comments": ("kommentar|kommentarer", "comment|comments"),
    "n-images": (
        "bilde eller tegning|bilder eller tegninger",
        "image or drawing|images or drawings",
    ),
    "n-files": ("fil|filer", "file|files"),
    "n-more-problems": ("problem til|problemer til", "more problem|more problems"),
    # A place and what is wrong there
    "at": ("{place}: {text}", "{place}: {text}"),
    "at-line": ("linje {line}, kolonne {column}", "line {line}, column {column}"),
    "spec-top": ("(øverste nivå)", "(top)"),
    "yaml-anywhere": ("YAML-teksten", "YAML"),
    # Reading a spec: the file
    "spec-folder": ("er en mappe, ikke en spesifikasjonsfil", "is a folder, not a spec file"),
    "spec-not-regular": (
        "er ikke en vanlig fil (et rør eller en enhet?)",
        "is not a regular file (a pipe or a device?)",
    ),
    "spec-too-large": (
        "filen er på {size} byte; en spesifikasjon kan være på høyst {most}",
        "file is {size} bytes; a spec may be at most {most}",
    ),
    "spec-grows": (
        "filen har flere byte enn en spesifikasjon kan ha ({most})",
        "file holds more bytes than a spec may be at most ({most})",
    ),
    "spec-not-found": ("filen finnes ikke", "file not found"),
    "spec-no-permission": ("mangler tillatelse til å lese filen", "permission denied"),
    "spec-cannot-read": ("kan ikke lese filen: {why}", "cannot read file: {why}"),
    "spec-not-utf8": (
        "byte {start}: filen er ikke UTF-8-tekst; lagre spesifikasjonen som UTF-8",
        "byte {start}: the file is not UTF-8 text; save the spec as UTF-8",
    ),
    "spec-is-workbook": (
        "dette er en arbeidsbok (.xlsx), ikke en spesifikasjon (YAML); mente du check?",
        "this is a workbook (.xlsx), not a spec (YAML); did you mean check?",
    ),
    "spec-more-problems": (
        "{count} (bare de første {shown} vises)",
        "{count} (only the first {shown} are shown)",
    ),
    "spec-at-least-more-problems": (
        "minst {count} (bare de første {shown} vises)",
        "at least {count} (only the first {shown} are shown)",
    ),
    # Reading a spec: YAML
    "yaml-too-many-values": (
        "kan ha opptil {count} verdier; en spesifikasjon kan ha høyst {most} (avvist)",
        "may hold up to {count} values; a spec may hold at most {most} (refusing)",
    ),
    "yaml-invalid": ("ikke gyldig YAML: {problem}", "not valid YAML: {problem}"),
    "yaml-other": ("se etter innrykk, kolon og anførselstegn", "{problem}"),
    "yaml-tab": ("en tabulator; rykk inn med mellomrom", "a tab; indent with spaces"),
    "yaml-colon": (
        "et kolon er ikke tillatt her (mangler innrykket, eller skal teksten stå i anførselstegn?)",
        "a colon is not allowed here (is the indentation missing, or should the text be "
        "in quotes?)",
    ),
    "yaml-indent": (
        "innrykket stemmer ikke med linjene over",
        "the indentation does not match the lines above",
    ),
    "yaml-no-colon": ("finner ikke kolonet som skulle komme", "could not find the expected ':'"),
    "yaml-end": ("filen slutter midt i en verdi", "the file ends in the middle of a value"),
    "yaml-quote": (
        "finner ikke anførselstegnet som avslutter teksten",
        "no quote ends the text",
    ),
    "yaml-bracket": (
        "en liste eller samling i klammer er ikke lukket (mangler , ] eller }})",
        "a list or mapping in brackets is not closed (missing , ] or }})",
    ),
    "yaml-undefined-alias": (
        "et alias (*navn) som ikke er definert; alias er ikke tillatt",
        "an alias (*name) that is not defined; aliases are not allowed",
    ),
    "yaml-too-deep": ("ikke gyldig YAML: nestet for dypt", "not valid YAML: nested too deeply"),
    "yaml-alias": (
        "denne verdien brukes om igjen med et alias; alias (*navn) er ikke tillatt",
        "this value is used again through an alias; aliases (*name) are not allowed",
    ),
    "yaml-merge": ("flettenøkler (<<) er ikke tillatt", "merge keys (<<) are not allowed"),
    "yaml-long-number": (
        "et tall på {length} tegn (høyst {most}) er for stort",
        "a number of {length} characters (at most {most}) is too large",
    ),
    "yaml-nan": (".nan er ikke et tall", ".nan is not a number"),
    "yaml-bad-scalar": ("{value} er ikke {kind}", "{value} is not {kind}"),
    "yaml-key-kind": ("en nøkkel må være tekst eller et tall", "a key must be text or a number"),
    "yaml-key-twice": ("{key} står to ganger", "{key} is given twice"),
    "yaml-nested": ("nestet mer enn {most} nivåer", "nested more than {most} deep"),
    # Kinds of value (what a field must be, what it was)
    "kind-integer": ("et heltall", "a whole number"),
    "kind-number": ("et tall", "a number"),
    "kind-string": ("tekst", "text"),
    "kind-array": ("en liste", "a list"),
    "kind-object": ("nøkler med verdier", "a mapping"),
    "kind-boolean": ("true eller false", "true or false"),
    "kind-null": ("tom", "empty"),
    "kind-date": ("en gyldig dato", "a valid date"),
    "kind-timestamp": ("en gyldig dato", "a valid date"),
    "kind-float": ("et gyldig tall", "a valid number"),
    "kind-int": ("et gyldig heltall", "a valid whole number"),
    "kind-bool": ("true eller false", "true or false"),
    "kind-other": ("en gyldig {name}", "a valid {name}"),
    "either": ("{first} eller {second}", "{first} or {second}"),
    "shown-text": ("teksten {value}", "text {value}"),
    "shown-number": ("tallet {value}", "a number {value}"),
    "shown-bool": ("true/false", "true/false"),
    # Reading a spec: the schema
    "spec-not-mapping": (
        "må være nøkler med verdier (pilot, categories og projects), ikke {kind}",
        "must be a mapping of pilot, categories and projects, not {kind}",
    ),
    "spec-unknown-key": ("ukjent nøkkel {keys}", "unknown key {keys}"),
    "spec-missing-field": ("mangler det påkrevde feltet {name}", "missing required field {name}"),
    "spec-wrong-kind": ("må være {wanted}, ikke {shown}", "must be {wanted}, not {shown}"),
    "spec-wrong-kind-hint": (
        "må være {wanted}, ikke {shown}; skriv {digits} uten mellomrom",
        "must be {wanted}, not {shown}; write {digits} without spaces",
    ),
    "spec-at-least": ("må være ≥ {v}", "must be ≥ {v}"),
    "spec-at-most": ("må være ≤ {v}", "must be ≤ {v}"),
    "spec-exactly-entries": (
        "må ha nøyaktig {v} verdier (én per prosjektår), ikke {n}",
        "must have exactly {v} entries (one per project year), not {n}",
    ),
    "spec-min-entries": ("må ha minst {v} verdier", "must have at least {v} entries"),
    "spec-max-entries": (
        "må ha høyst {v} verdier, ikke {n}",
        "must have at most {v} entries, not {n}",
    ),
    "spec-unique": ("verdiene må være unike", "entries must be unique"),
    "spec-empty": ("kan ikke være tom", "must not be empty"),
    "spec-max-length": ("kan være høyst {v} tegn", "must be at most {v} characters"),
    "spec-sheet-chars": (
        "arknavnet kan ikke inneholde noen av []:*?/\\ eller begynne eller slutte med '",
        "sheet name must not contain any of []:*?/\\ or start or end with '",
    ),
    "spec-id-chars": (
        "må begynne med a-z og bare ha a-z, 0-9 og _ (høyst 40 tegn)",
        "must start with a-z and hold only a-z, 0-9 and _ (at most 40 characters)",
    ),
    "spec-org-number": (
        "må være ni sifre, gjerne med mellomrom (974 589 095)",
        "must be nine digits, spaces allowed (974 589 095)",
    ),
    "spec-date-written": (
        "må være en dato skrevet ÅÅÅÅ-MM-DD",
        "must be a date written YYYY-MM-DD",
    ),
    "spec-blank": ("kan ikke være blank", "must not be blank"),
    "spec-valid-date": (
        "må være en gyldig dato (ÅÅÅÅ-MM-DD)",
        "must be a valid date (YYYY-MM-DD)",
    ),
    "spec-schema-other": ("oppfyller ikke skjemaet for spesifikasjoner", "{detail}"),
    # Reading a spec: what a workbook could not hold, and the cross-checks
    "spec-line-break": (
        "inneholder et linjeskift eller en tabulator (U+{code}); fjern det",
        "holds a line break or tab character (U+{code}); remove it",
    ),
    "spec-control": (
        "inneholder et kontrolltegn (U+{code}); fjern det",
        "holds a control character (U+{code}); remove it",
    ),
    "spec-period-reversed": (
        "starter ({start}) etter at den slutter ({end})",
        "starts ({start}) after it ends ({end})",
    ),
    "spec-invisible": (
        "inneholder et usynlig tegn (U+{code}), så navnet ser ut som et annet; fjern det",
        "holds an invisible character (U+{code}), so the name looks like another; remove it",
    ),
    "spec-criterion": (
        "{name} ville blitt lest av SUMIF som en sammenligning eller et jokertegn (= < > "
        "først, eller * ? ~); gi kategorien et annet navn",
        "{name} would be read by SUMIF as a comparison or wildcard (= < > at the start, or "
        "* ? ~); rename the category",
    ),
    "spec-sheet-length": (
        "arknavnet er {units} tegn slik Excel teller dem (høyst {most}; en emoji teller som 2)",
        "sheet name is {units} characters as Excel counts them (at most {most}; an emoji "
        "counts as 2)",
    ),
    "spec-not-a-municipality": (
        "{name} er ikke en av kommunene i pilot.municipalities",
        "{name} is not one of the municipalities in pilot.municipalities",
    ),
    "spec-duplicate-category-id": (
        "kategori-id {id} er brukt to ganger",
        "duplicate category id {id}",
    ),
    "spec-duplicate-category-name": (
        "kategorinavnet {name} er brukt to ganger",
        "duplicate category name {name}",
    ),
    "spec-duplicate-project-id": (
        "prosjekt-id {id} er brukt to ganger",
        "duplicate project id {id}",
    ),
    "spec-sheet-used": (
        "arknavnet {name} er allerede brukt (uten hensyn til store og små bokstaver)",
        "sheet name {name} is already used (case-insensitive)",
    ),
    "spec-no-category": ("kategorien {id} er ikke definert", "category {id} is not defined"),
    "upload-too-large": (
        "Filen er for stor: siden tar imot høyst {limit} MB",
        "The file is too large: the page takes at most {limit} MB",
    ),
    "upload-damaged": (
        "Opplastingen kunne ikke leses; velg filen på nytt",
        "The upload could not be read; choose the file again",
    ),
    "upload-too-many": (
        "For mange filer i én opplasting",
        "Too many files in one upload",
    ),
    "upload-missing": ("Velg en fil først", "Choose a file first"),
    "serve-needs": (
        '«serve» trenger Starlette og uvicorn: pip install "bygdevekst_xl[serve]"',
        "'serve' needs Starlette and uvicorn: pip install \"bygdevekst_xl[serve]\"",
    ),
    "serve-listening": (
        "Siden kjører på {url} (Ctrl-C stopper den)",
        "The page runs at {url} (Ctrl-C stops it)",
    ),
    "serve-open-host": (
        "{host} er ikke bare denne maskinen: alle som når den, kan bruke siden og laste opp filer",
        "{host} is not only this machine: anyone who reaches it can use the page and upload files",
    ),
}


NBSP, MINUS = "\u00a0", "\u2212"
"""The thousands separator (a no-break space: a number never breaks over two lines) and the
minus sign of every number a person reads."""


def say(key: str, lang: str = "nb", /, **params: Any) -> str:
    """The catalogue's sentence ``key`` in ``lang`` (``nb`` or ``en``); a field that is itself
    a :class:`Message` is said in ``lang`` too."""
    fields = {k: v.say(lang) if isinstance(v, Message | Count) else v for k, v in params.items()}
    return CATALOG[key][0 if lang == "nb" else 1].format(**fields)


class Message(str):
    """A sentence of the catalogue not yet said: its key and fields. As a ``str`` it is the
    English text (what the library's errors are in); :meth:`say` gives it in any language."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Message:
        self = super().__new__(cls, say(key, "en", **params))
        self.key, self.params = key, params
        return self

    def say(self, lang: str = "nb") -> str:
        """The sentence in ``lang``."""
        return say(self.key, lang, **self.params)

    def __reduce__(self) -> Any:  # pickles (multiprocessing) as a Message, not a bare str
        return (_message, (self.key, self.params))


def _message(key: str, params: dict[str, Any]) -> Message:
    return Message(key, **params)


def plural(count: int, key: str, lang: str = "nb") -> str:
    """``1 advarsel``, ``2 advarsler``: the count and the word of ``key`` (a catalogue entry
    whose sentences are ``singular|plural``) that goes with it."""
    one, many = say(key, lang).split("|")
    return f"{count} {one if count == 1 else many}"


class Count:
    """A count with its word, as a field of a sentence: ``Count(2, "n-errors")`` is said
    ``2 feil`` or ``2 errors``, ``Count(1, "n-warnings")`` ``1 advarsel`` or ``1 warning``."""

    def __init__(self, count: int, key: str) -> None:
        self.count, self.key = count, key

    def say(self, lang: str = "nb") -> str:
        """The count and its word in ``lang``."""
        return plural(self.count, self.key, lang)

    def __str__(self) -> str:
        return self.say("en")

    def __repr__(self) -> str:
        return f"Count({self.count}, {self.key!r})"


def number(value: float, lang: str = "nb") -> str:
    """A number as a finance officer reads it: ``1 234 568``; ``1 234,50`` in bokmål,
    ``1 234.50`` in English (whole numbers without decimals); groups of three split by a
    no-break space, a negative number led by a true minus sign (``−12 500``)."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", NBSP)
    else:
        text = f"{value:,.2f}".replace(",", NBSP)
        text = text.replace(".", ",") if lang == "nb" else text
    return text.replace("-", MINUS)


def kroner(value: float, lang: str = "nb") -> str:
    """``1 234 568 kr`` (whole kroner), ``1 234,50 kr`` with øre in bokmål; no-break spaces,
    so that an amount never breaks over two lines."""
    if not math.isfinite(value):
        return f"{value}{NBSP}kr"
    return f"{number(round(value, 2), lang)}{NBSP}kr"


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
    # Writing a council pack
    (
        "{what}: the amount ({value}) is no number that can be printed",
        "{what}: beløpet ({value}) er ikke et tall som kan skrives ut",
    ),
    # Regeneration: values without a place, changes, what is not carried over
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
    (
        "{value} is outside the input areas and is not carried over",
        "{value} står utenfor inndataområdene og blir ikke med",
    ),
    # accounts: ledgers, time sheets, the map, the approved budget
    ("{file}, line {n}: {problem}", "{file}, linje {n}: {problem}"),
    ("amount: {problem}", "beløp: {problem}"),
    ("date: {problem}", "dato: {problem}"),
    ("{text} is not an amount", "{text} er ikke et beløp"),
    ("{text} is not a SAF-T amount", "{text} er ikke et SAF-T-beløp"),
    ("{text} has more than one decimal comma", "{text} har mer enn ett desimalkomma"),
    ("{text} has misplaced thousands separators", "{text} har tusenskilletegn på feil sted"),
    ("{text} has more than two decimals (øre)", "{text} har mer enn to desimaler (øre)"),
    (
        "{text} is not a date (YYYY-MM-DD or DD.MM.YYYY)",
        "{text} er ikke en dato (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)",
    ),
    ("{text} is not a date (YYYY-MM-DD)", "{text} er ikke en dato (ÅÅÅÅ-MM-DD)"),
    ("contains a DTD", "inneholder en DTD"),
    ("not well-formed XML ({why})", "ikke velformet XML ({why})"),
    (
        "holds NUL bytes: unknown encoding (UTF-16?); export as UTF-8 or ISO-8859-1",
        "har NUL-byte: ukjent tegnkoding (UTF-16?); eksporter som UTF-8 eller ISO-8859-1",
    ),
    (
        "is UTF-16 or UTF-32: unknown encoding; export as UTF-8 or ISO-8859-1",
        "er UTF-16 eller UTF-32: ukjent tegnkoding; eksporter som UTF-8 eller ISO-8859-1",
    ),
    (
        "byte {n} is not UTF-8, but earlier lines were",
        "byte {n} er ikke UTF-8, men tidligere linjer var",
    ),
    ("has {n} fields; the header has {m}", "har {n} felt; overskriftslinjen har {m}"),
    (
        "no column {name} ({role} in the map); the columns are {columns}",
        "ingen kolonne {name} ({role} i kartet); kolonnene er {columns}",
    ),
    ("more than {n} lines; refusing", "mer enn {n} linjer; avvist"),
    ("holds no SAF-T AuditFile", "har ingen SAF-T AuditFile"),
    ("is not SAF-T Financial: {why}", "er ikke SAF-T Financial: {why}"),
    ("the file is empty", "filen er tom"),
    (
        "{what} is not a project of the approved budget",
        "{what} er ikke et prosjekt i det godkjente budsjettet",
    ),
    (
        "{what} is not a category of the approved budget",
        "{what} er ikke en kategori i det godkjente budsjettet",
    ),
    ("missing; {name} is a CSV ledger", "mangler; {name} er et CSV-regnskap"),
    (
        "no approved budget: {why}; give the spec with --spec",
        "ikke noe godkjent budsjett: {why}; oppgi spesifikasjonen med --spec",
    ),
    (
        "the workbook read back differs in {n} figures ({what}); nothing was written",
        "arbeidsboken lest tilbake avviker i {n} tall ({what}); ingenting ble skrevet",
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
    """A library message in ``lang``: a :class:`Message` by its key; English text whole, or
    after a leading place (``x.xlsx: ``), by the patterns."""
    if isinstance(text, Message):
        return text.say(lang)
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
