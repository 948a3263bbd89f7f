"""Every text of the command line's help, in bokmål (the default) and English, keyed.

``build_parser`` reads them as ``help=h("check.spec")``; argparse's own words (``bruk:``,
``valg:``, its errors) are in :mod:`.parser`. Help texts go through ``%`` formatting in
argparse: a per cent sign is written ``%%``.
"""

from __future__ import annotations

from collections.abc import Callable

DEFAULT_OUTPUT = "hjerteregionen.xlsx"

# key -> (bokmål, English)
HELP: dict[str, tuple[str, str]] = {
    "description": (
        "Lag og kontroller Excel-budsjettet i en søknad om bygdevekstavtale.",
        "Generate and check the Excel budget of a bygdevekstavtale application.",
    ),
    "version": ("vis programmets versjon og avslutt", "show the program's version and exit"),
    "help": ("vis denne hjelpeteksten og avslutt", "show this help message and exit"),
    "command": ("KOMMANDO", "COMMAND"),
    "force": (
        "erstatt en eksisterende, ulik utfil (den gamle filen tas vare på som sikkerhetskopi)",
        "replace an existing, different output (the old file is kept as a backup)",
    ),
    "lang": (
        "språket i meldingene (standard: nb, bokmål; en: engelsk)",
        "language of the messages (default: nb, bokmål; en: English)",
    ),
    "json": ("skriv rapporten som JSON", "print the report as JSON"),
    "metavar.spec": ("SPEK", "SPEC"),
    "metavar.workbook": ("ARBEIDSBOK", "WORKBOOK"),
    "metavar.file": ("FIL", "FILE"),
    "metavar.output": ("UTFIL", "OUTPUT"),
    "metavar.folder": ("MAPPE", "FOLDER"),
    "metavar.municipality": ("KOMMUNE", "MUNICIPALITY"),
    "metavar.old": ("GAMMEL.xlsx", "OLD.xlsx"),
    "metavar.new": ("NY.xlsx", "NEW.xlsx"),
    "metavar.map": ("KART.yaml", "MAP.yaml"),
    "metavar.date": ("DATO", "DATE"),
    "metavar.port": ("PORT", "PORT"),
    "metavar.host": ("ADRESSE", "HOST"),
    # generate
    "generate": (
        "skriv budsjettarbeidsboka for en spesifikasjon (standard: det innebygde eksemplet "
        "Hjerteregionen)",
        "write the budget workbook for a spec (default: the built-in Hjerteregionen)",
    ),
    "generate.description": (
        "Skriv budsjettarbeidsboka for en YAML-spesifikasjon. Uten spesifikasjon brukes det "
        "innebygde eksemplet Hjerteregionen.",
        "Write the budget workbook for a YAML spec. Without a spec, the built-in "
        "Hjerteregionen example is used.",
    ),
    "generate.spec": (
        "budsjettspesifikasjon (YAML); standard: det innebygde eksemplet",
        "budget spec (YAML); default: built-in example",
    ),
    "generate.output": (
        f"arbeidsboka som skal skrives (standard: {DEFAULT_OUTPUT}; - for standard utdata)",
        f"workbook to write (default: {DEFAULT_OUTPUT}; - for standard output)",
    ),
    "generate.strict": (
        "skriv ingenting og avslutt med kode 1 når spesifikasjonen bryter en regel "
        "(standard: skriv utkastet)",
        "write nothing and exit 1 when the spec breaks a rule (default: write the draft)",
    ),
    # check
    "check": (
        "regn om en redigert arbeidsbok uten Excel og kontroller summer, tak og regler",
        "recompute an edited workbook headlessly and check totals, cap and rules",
    ),
    "check.description": (
        "Kontroller budsjettarbeidsbøker: regn ut hver formel på nytt uten Excel, regn hver "
        "sum på nytt fra inndataene, og kontroller KDD-taket, støtteberettigelse, balanse og "
        "oppbygning. Avslutningskode 0: ingen feil; 1: feil funnet; 2: en fil kunne ikke "
        "leses som en budsjettarbeidsbok.",
        "Check budget workbooks: re-evaluate every formula headlessly, recompute every "
        "total from the inputs, and check the KDD cap, eligibility, balance and structure. "
        "Exit 0: no errors; 1: errors found; 2: a file could not be read as a budget workbook.",
    ),
    "check.files": ("arbeidsbøkene som skal kontrolleres", "the workbooks to check"),
    "check.json": ("skriv ett JSON-dokument per fil", "print one JSON document per file"),
    "check.spec": (
        "spesifikasjon med fakta som gjelder (kommuner, timesats, kategorier); standard: "
        "spesifikasjonen arbeidsboka ble laget fra (generasjonsposten); ordningens tak og "
        "utelukkede formål gjelder alltid",
        "spec whose facts (municipalities, hourly rate, categories) apply; default: the "
        "spec the workbook was generated from (its generation record); the scheme's cap and "
        "excluded uses always apply",
    ),
    # extract
    "extract": (
        "skriv spesifikasjonen tilbake fra en redigert arbeidsbok, med hver inntastet verdi",
        "write the spec back from an edited workbook, with every typed value",
    ),
    "extract.description": (
        "Skriv YAML-spesifikasjonen til en redigert arbeidsbok: kostnadslinjer (også linjer "
        "noen har lagt til), timer, finansiering og beskrivelser. Avviser, med liste over "
        "cellene, når en inndata ikke kan uttrykkes i en spesifikasjon.",
        "Write the YAML spec of an edited workbook: cost lines (including lines a "
        "person added), hours, financing and descriptions. Refuses, listing the cells, when an "
        "input cannot be stated in a spec.",
    ),
    "extract.workbook": ("redigert arbeidsbok (.xlsx)", "edited workbook (.xlsx)"),
    "extract.output": (
        "spesifikasjonen som skal skrives (standard eller -: skriv den ut)",
        "spec to write (default or -: print it)",
    ),
    "extract.json": (
        "skriv en JSON-rapport: spesifikasjonen og inndataene som hadde formler",
        "print a JSON report: the spec written and the inputs that held formulas",
    ),
    # regenerate
    "regenerate": (
        "skriv en ny arbeidsbok for en endret spesifikasjon, med hver inntastet verdi",
        "write a new workbook for a changed spec, carrying over every typed value",
    ),
    "regenerate.description": (
        "Flett tre veier: spesifikasjonen ARBEIDSBOK ble laget fra (generasjonsposten), "
        "inndataene i ARBEIDSBOK og --spec; skriv en ny arbeidsbok med oppbygningen i --spec "
        "(prosjekter gjenkjent på id) og de flettede inndataene; ARBEIDSBOK endres aldri. En "
        "inndata som er endret ulikt begge steder gir avvisning (kode 1, med liste) hvis "
        "ikke --prefer sier hvilken side som vinner; verdier uten plass i den nye "
        "spesifikasjonen gir avvisning hvis ikke --drop-orphans eller --archive-orphans sier "
        "hva som skal skje med dem.",
        "Merge three ways: the spec WORKBOOK was generated from (its record), "
        "WORKBOOK's inputs and --spec; write a new workbook with the structure of --spec "
        "(projects matched by id) and the merged inputs; WORKBOOK is never modified. An input "
        "changed in both to different values makes it refuse (exit 1, listing them) unless "
        "--prefer says which wins; values with no place in the new spec make it refuse unless "
        "--drop-orphans or --archive-orphans says what to do with them.",
    ),
    "regenerate.workbook": ("redigert arbeidsbok (.xlsx)", "edited workbook (.xlsx)"),
    "regenerate.spec": (
        "den nye spesifikasjonen (YAML); uten den beholder arbeidsboka sine egne prosjekter, "
        "som løfter en arbeidsbok fra en eldre versjon til dagens oppsett",
        "the new spec (YAML); without it the workbook keeps its own projects, which "
        "brings a workbook made by an older version up to the current layout",
    ),
    "regenerate.output": ("den nye arbeidsboka som skal skrives", "new workbook to write"),
    "regenerate.drop-orphans": (
        "dropp inntastede verdier som ikke har noen plass (listes opp)",
        "drop typed values that have no place (listed)",
    ),
    "regenerate.archive-orphans": (
        "ta vare på inntastede verdier uten plass i arket «Arkiv»",
        "keep typed values that have no place in an 'Arkiv' sheet",
    ),
    "regenerate.strict": (
        "skriv ingenting og avslutt med kode 1 når den nye arbeidsboka bryter en regel "
        "(standard: skriv den)",
        "write nothing and exit 1 when the new workbook breaks a rule (default: write it)",
    ),
    "regenerate.prefer": (
        "hvilken side som vinner når en inndata er endret både i arbeidsboka (workbook) og i "
        "spesifikasjonen (spec)",
        "which side wins an input changed in both the workbook and the spec",
    ),
    # council
    "council": (
        "skriv hver kommunes vedlegg til kommunestyret (PDF) og forslag til vedtak",
        "write each municipality's council attachment (PDF) and draft decision",
    ),
    "council.description": (
        "Fra en kontrollert arbeidsbok: skriv for hver kommune (eller den som er nevnt) et "
        "PDF-vedlegg på bokmål (tall i 1 000 kr som summerer riktig) og et forslag til vedtak "
        "i nummererte punkter. Avslutningskode 1 når kontrollen finner feil, hvis ikke --draft.",
        "From a checked workbook, write for each municipality (or the one named) a "
        "PDF attachment in bokmål (figures in 1 000 kr that add up) and a draft decision in "
        "numbered points. Exit 1 when the check finds errors, unless --draft.",
    ),
    "council.workbook": ("kontrollert arbeidsbok (.xlsx)", "checked workbook (.xlsx)"),
    "council.output": ("mappe (standard: .)", "folder (default: .)"),
    "council.municipality": (
        "bare denne kommunen (standard: hver kommune)",
        "only this municipality (default: every one)",
    ),
    "council.draft": (
        "skriv selv om kontrollen finner feil, merket UTKAST",
        "write despite errors, marked UTKAST",
    ),
    "council.spec": (
        "spesifikasjon med fakta som gjelder; standard: generasjonsposten i arbeidsboka; "
        "ordningens tak og utelukkede formål gjelder alltid",
        "spec whose facts apply; default: the workbook's generation record; the scheme's cap "
        "and excluded uses always apply",
    ),
    # diff
    "diff": (
        "hva som er endret mellom to versjoner av budsjettet, i budsjettspråk",
        "what changed between two versions of the budget, in budget terms",
    ),
    "diff.description": (
        "Sammenlign to versjoner av en budsjettarbeidsbok: prosjekter, kostnadslinjer, timer, "
        "finansiering og regler i budsjettspråk, formelendringer for seg, og virkningen på "
        "summene, KDD, egenandelene og reglene. Avslutningskode 0: ingen forskjell i "
        "budsjettet; 1: forskjeller; 2: en fil kunne ikke leses som en budsjettarbeidsbok.",
        "Compare two versions of a budget workbook: projects, cost lines, hours, "
        "financing and rules in budget terms, formula changes apart, and the effect on the "
        "totals, KDD, the own shares and the rules. Exit 0: no budget difference; "
        "1: differences; 2: a file could not be read as a budget workbook.",
    ),
    "diff.old": ("den eldre versjonen", "the earlier version"),
    "diff.new": ("den nyere versjonen", "the later version"),
    "diff.markdown": ("skriv rapporten som Markdown", "print the report as Markdown"),
    # serve
    "serve": (
        "en lokal side: skjema for en ny pilot, kontroll av en arbeidsbok, kommunestyrepakken",
        "a local page: the pilot form, checking a workbook, the council pack",
    ),
    "serve.description": (
        "Vis en side på denne maskinen (127.0.0.1) som gjør det kommandoene gjør: et skjema "
        "for en ny pilot, kontroll av en arbeidsbok med funnene vist i arkene, "
        "kommunestyrepakken, spesifikasjonen, forskjellene og en regenerert arbeidsbok. Krever "
        'tillegget «serve» (pip install "bygdevekst_xl[serve]").',
        "Serve a page on this machine (127.0.0.1) that does what the commands do: a form for "
        "a new pilot, a check of a dropped workbook with its findings on the sheets, the "
        "council pack, the spec, the diff and a regenerated workbook. Needs the extra "
        '"serve" (pip install "bygdevekst_xl[serve]").',
    ),
    "serve.port": ("porten (standard: 8765)", "port (default: 8765)"),
    "serve.host": (
        "adressen det lyttes på (standard: 127.0.0.1, bare denne maskinen)",
        "address to listen on (default: 127.0.0.1, this machine only)",
    ),
    "serve.open": ("åpne siden i nettleseren", "open the page in the browser"),
    # accounts
    "accounts": (
        "det godkjente budsjettet mot regnskapene: kostnadsrapport, utbetalingsanmodning, "
        "egeninnsats",
        "the approved budget against the ledgers: cost report, payment request, in-kind",
    ),
    "accounts.description": (
        "Sett det godkjente budsjettet (arbeidsboka, lest som alle kommandoene leser den, eller "
        "--spec) opp mot kommunenes regnskap (SAF-T Financial eller CSV) gjennom MAP.yaml: "
        "budsjett mot regnskap per prosjekt, kategori og år, kostnadsrapporten per godkjent "
        "kostnadsplanrad, finansiering og utbetalingsanmodning per finansiør, egeninnsats i "
        "timer per kommune (og en PDF ved siden av UT.xlsx), og bilagslisten bak hvert tall. "
        "Kode 0: skrevet, ingen feil; 1: skrevet, med feil funnet; 2: en inndatafil kunne "
        "ikke brukes.",
        "Join the approved budget (the workbook, read as every command reads it, or --spec) "
        "with the municipalities' ledgers (SAF-T Financial or CSV) through MAP.yaml: budget "
        "against accounts per project, category and year, the cost report per approved "
        "cost-plan row, financing and the payment request per funder, in-kind hours per "
        "municipality (and a PDF statement beside OUT.xlsx), and the voucher list behind every "
        "figure. Exit 0: written, no errors; 1: written, with errors found; 2: an input could "
        "not be used.",
    ),
    "accounts.workbook": ("den godkjente arbeidsboka (.xlsx)", "the approved workbook (.xlsx)"),
    "accounts.ledger": (
        "en regnskapseksport: SAF-T Financial (XML) eller CSV (gjenta for hver kommune)",
        "a ledger export: SAF-T Financial XML or CSV (repeat for each municipality)",
    ),
    "accounts.map": (
        "kartet fra regnskapets prosjekter og arter til budsjettet (YAML)",
        "the map from the ledger's projects and accounts to the budget (YAML)",
    ),
    "accounts.hours": (
        "en timeliste (CSV); gjenta for flere",
        "a time sheet (CSV); repeat for more",
    ),
    "accounts.as-of": ("rapportdato (ÅÅÅÅ-MM-DD)", "report date (YYYY-MM-DD)"),
    "accounts.output": ("arbeidsboka som skrives (.xlsx)", "the workbook to write (.xlsx)"),
    "accounts.spec": (
        "den godkjente spesifikasjonen; standard: generasjonsposten i arbeidsboka",
        "the approved spec; default: the workbook's generation record",
    ),
    "diff.spec": (
        "spesifikasjon med fakta som gjelder for begge versjonene; standard: hver arbeidsboks "
        "generasjonspost; ordningens tak og utelukkede formål gjelder alltid",
        "spec whose facts apply to both versions; default: each workbook's generation "
        "record; the scheme's cap and excluded uses always apply",
    ),
}


def help_texts(lang: str) -> Callable[[str], str]:
    """``h(key)``: the help text ``key`` in ``lang`` (``nb`` or ``en``)."""
    column = 0 if lang == "nb" else 1

    def h(key: str) -> str:
        return HELP[key][column]

    return h
