"""The page's own words (headings, labels, buttons) in bokmål and English, and which language a
request gets. Every message about a file, a spec or a finding comes from the library's
catalogues (``messages.py``, ``check/findings.py``), never from here."""

from __future__ import annotations

from collections.abc import Mapping

from ..messages import Lang

LANG_COOKIE = "lang"

# key -> (bokmål, English)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Bygdevekst-budsjett", "Bygdevekst budget"),
    "lead": (
        "Lag arbeidsboka for en ny pilot, kontroller en utfylt arbeidsbok, og ta med deg det "
        "kommunestyrene trenger. Alt skjer på denne maskinen; ingenting sendes ut.",
        "Make the workbook of a new pilot, check a filled-in workbook, and take away what the "
        "councils need. Everything happens on this machine; nothing is sent anywhere.",
    ),
    "other-lang": ("English", "Norsk (bokmål)"),
    "nav-home": ("Start", "Home"),
    "nav-pilot": ("Ny pilot", "New pilot"),
    "nav-check": ("Kontroller", "Check"),
    "nav-take": ("Ta med", "Take away"),
    "home-pilot": (
        "Fyll inn pilotens fakta, kommuner, kategorier og prosjekter, og last ned arbeidsboka.",
        "Fill in the pilot's facts, municipalities, categories and projects, and download the "
        "workbook.",
    ),
    "home-check": (
        "Slipp en arbeidsbok her: se resultatet, totalene og funnene i arkene.",
        "Drop a workbook here: see the verdict, the totals and the findings on the sheets.",
    ),
    "home-take": (
        "Kommunestyrepakken, spesifikasjonen, endringene mellom to versjoner og en ny "
        "arbeidsbok for en endret spesifikasjon.",
        "The council pack, the spec, the changes between two versions and a new workbook for "
        "a changed spec.",
    ),
    # the pilot form
    "pilot-title": ("Ny pilot", "New pilot"),
    "form-source": ("skjemaet", "the form"),
    "pilot-intro": (
        "Skjemaet starter med eksempelet Hjerteregionen; endre det til din pilot. Totalene og "
        "reglene oppdateres mens du skriver.",
        "The form starts from the Hjerteregionen example; change it to your pilot. The totals "
        "and the rules update as you type.",
    ),
    "continue-spec": ("Fortsett fra en spesifikasjon (.yaml)", "Continue from a spec (.yaml)"),
    "load": ("Last inn", "Load"),
    "facts": ("Pilotens fakta", "The pilot's facts"),
    "name": ("Navn", "Name"),
    "years": ("År", "Years"),
    "kdd_cap": ("KDD-tak (kr)", "KDD cap (kr)"),
    "hourly_rate": ("Timesats egeninnsats (kr)", "Hourly rate, in kind (kr)"),
    "application_deadline": ("Søknadsfrist", "Application deadline"),
    "council_meeting": ("Kommunestyremøte", "Council meeting"),
    "project_leader": ("Prosjektleder", "Project leader"),
    "reservation": ("Forbehold", "Reservation"),
    "lead_municipality": ("Søkerkommune (valgfri)", "Applying municipality (optional)"),
    "organisation_number": ("Organisasjonsnummer (valgfritt)", "Organisation number (optional)"),
    "contact_person": ("Kontaktperson (valgfri)", "Contact person (optional)"),
    "spec_date": ("Spesifikasjonens dato (valgfri)", "Date of the spec (optional)"),
    "municipalities": ("Kommuner", "Municipalities"),
    "municipality": ("Kommune", "Municipality"),
    "categories": ("Kategorier", "Categories"),
    "id": ("ID", "ID"),
    "kdd_eligible": ("KDD kan finansiere", "KDD may finance"),
    "note": ("Merknad", "Note"),
    "excluded": (
        "Ordningen utelukker dette fra KDD-finansiering: {what}",
        "The scheme excludes this from KDD financing: {what}",
    ),
    "excluded-short": ("låst: {what}", "locked: {what}"),
    "projects": ("Prosjekter", "Projects"),
    "project": ("Prosjekt", "Project"),
    "sheet": ("Arknavn", "Sheet name"),
    "working_group": ("Har arbeidsgruppe", "Has a working group"),
    "description": ("Beskrivelse (ett avsnitt per linje)", "Description (one paragraph a line)"),
    "costs": ("Kostnader", "Costs"),
    "category": ("Kategori", "Category"),
    "what": ("Hva", "What"),
    "hours": ("Timer egeninnsats", "In-kind hours"),
    "financing": ("Finansiering", "Financing"),
    "kdd": ("KDD", "KDD"),
    "statsforvalteren": ("Statsforvalteren", "Statsforvalteren"),
    "add": ("Legg til", "Add"),
    "remove": ("Fjern", "Remove"),
    "add-project": ("Legg til prosjekt", "Add project"),
    "add-line": ("Legg til kostnadslinje", "Add cost line"),
    "download-workbook": ("Last ned arbeidsboka (.xlsx)", "Download the workbook (.xlsx)"),
    "download-spec": ("Last ned spesifikasjonen (.yaml)", "Download the spec (.yaml)"),
    "live": ("Totaler og regler", "Totals and rules"),
    "rules-ok": ("Ingen regler er brutt.", "No rule is broken."),
    "problems": ("Rett dette i skjemaet:", "Correct this in the form:"),
    "needs-js": (
        "Skjemaet trenger JavaScript slått på i nettleseren.",
        "The form needs JavaScript turned on in the browser.",
    ),
    # check
    "check-title": ("Kontroller en arbeidsbok", "Check a workbook"),
    "drop": (
        "Slipp arbeidsboka (.xlsx) her, eller velg den",
        "Drop the workbook (.xlsx) here, or choose it",
    ),
    "rules-spec": (
        "Spesifikasjon med pilotens fakta (valgfri; ellers arbeidsbokas egen)",
        "Spec with the pilot's facts (optional; otherwise the workbook's own)",
    ),
    "council-spec": (
        "Spesifikasjon med pilotens fakta (valgfri; ellers arbeidsbokas generasjonspost, som "
        "kommandoen)",
        "Spec with the pilot's facts (optional; otherwise the workbook's generation record, "
        "as the command)",
    ),
    "check": ("Kontroller", "Check"),
    "verdict": ("Resultat", "Verdict"),
    "ok": ("OK: ingen feil", "OK: no errors"),
    "fail": ("FEIL", "FAILED"),
    "errors": ("feil", "errors"),
    "warnings": ("advarsler", "warnings"),
    "totals": ("Totaler, kontrollberegnet", "Totals (recomputed)"),
    "total_costs": ("Kostnader inkl. egeninnsats", "Costs incl. in kind"),
    "in_kind": ("Egeninnsats (timer × sats)", "In kind (hours × rate)"),
    "kdd_headroom": ("Igjen under KDD-taket", "Headroom under the KDD cap"),
    "balance": ("Balanse", "Balance"),
    "findings": ("Funn", "Findings"),
    "no-findings": ("Ingen funn.", "No findings."),
    "follow": ("følger av denne", "follow from this"),
    "digest": ("Innholds-ID", "Content ID"),
    "generation": ("Generasjon", "Generation"),
    "workbook-wide": ("arbeidsboka", "the workbook"),
    "sheets": ("Arkene", "The sheets"),
    "sheets-cut": (
        "Viser de {shown} første arkene av {total}.",
        "Showing the first {shown} sheets of {total}.",
    ),
    "grid-cut": (
        "Viser rad 1–{rows} og kolonne A–{cols}; resten er utelatt.",
        "Showing rows 1–{rows} and columns A–{cols}; the rest is left out.",
    ),
    # take away
    "take-title": ("Ta med", "Take away"),
    "workbook-file": ("Arbeidsbok (.xlsx)", "Workbook (.xlsx)"),
    "council-title": ("Kommunestyrepakken", "The council pack"),
    "council-intro": (
        "PDF-vedlegg og forslag til vedtak for hver kommune, i én zip-fil.",
        "The PDF attachment and draft decision of each municipality, in one zip file.",
    ),
    "council-municipality": (
        "Bare denne kommunen (valgfritt)",
        "Only this municipality (optional)",
    ),
    "draft": ("Lag utkast selv om kontrollen finner feil", "Make a draft despite errors"),
    "download-pack": ("Last ned pakken (.zip)", "Download the pack (.zip)"),
    "extract-title": ("Spesifikasjonen fra en arbeidsbok", "The spec from a workbook"),
    "extract-intro": (
        "Hver inntastet verdi, som en spesifikasjon du kan fortsette fra.",
        "Every typed value, as a spec you can continue from.",
    ),
    "diff-title": ("Hva er endret", "What changed"),
    "diff-intro": (
        "To versjoner av arbeidsboka sammenlignet i budsjettermer.",
        "Two versions of the workbook compared in budget terms.",
    ),
    "old": ("Eldre versjon (.xlsx)", "Earlier version (.xlsx)"),
    "new": ("Nyere versjon (.xlsx)", "Later version (.xlsx)"),
    "compare": ("Sammenlign", "Compare"),
    "regenerate-title": (
        "Ny arbeidsbok for en endret spesifikasjon",
        "A new workbook for a changed spec",
    ),
    "regenerate-intro": (
        "Alle inntastede verdier tas med; arbeidsboka du laster opp, endres ikke.",
        "Every typed value is carried over; the workbook you upload is not changed.",
    ),
    "new-spec": ("Ny spesifikasjon (.yaml, valgfri)", "New spec (.yaml, optional)"),
    "orphans": ("Verdier uten plass", "Values without a place"),
    "orphans-refuse": ("stopp og vis dem", "stop and list them"),
    "orphans-drop": ("dropp dem", "drop them"),
    "orphans-archive": ("ta vare på dem i et Arkiv-ark", "keep them in an Arkiv sheet"),
    "prefer": ("Endret begge steder", "Changed in both"),
    "prefer-none": ("stopp og vis dem", "stop and list them"),
    "prefer-workbook": ("arbeidsboka vinner", "the workbook wins"),
    "prefer-spec": ("spesifikasjonen vinner", "the spec wins"),
    "download-regenerated": (
        "Last ned ny arbeidsbok og rapport (.zip)",
        "Download the new workbook and report (.zip)",
    ),
    "refused": ("Ikke gjort", "Not done"),
    "result": ("Resultat", "Result"),
    "back": ("Tilbake", "Back"),
}


def word(key: str, lang: Lang, **params: object) -> str:
    """The page's word ``key`` in ``lang``."""
    nb, en = WORDS[key]
    text = nb if lang == "nb" else en
    return text.format(**params) if params else text


def words(lang: Lang) -> dict[str, str]:
    """Every word of the page in ``lang`` (for the templates and the form's script)."""
    return {key: (nb if lang == "nb" else en) for key, (nb, en) in WORDS.items()}


def chosen_lang(query: Mapping[str, str], cookies: Mapping[str, str], accept: str) -> Lang:
    """The language of a request: ``?lang=``, then the cookie the switch set, then the
    browser's ``Accept-Language`` (English only when English comes before any Norwegian);
    bokmål otherwise."""
    for value in (query.get("lang", ""), cookies.get(LANG_COOKIE, "")):
        if value in ("nb", "en"):
            return "en" if value == "en" else "nb"
    ranked = []
    for i, item in enumerate(accept.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, i, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        if primary in ("nb", "no", "nn"):
            return "nb"
        if primary == "en":
            return "en"
    return "nb"
