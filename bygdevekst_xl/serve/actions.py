"""Every call the page makes into the library: the same functions the commands call.

This is the one module of ``serve`` that reads workbooks and specs, so that the page and the
command line can never disagree on a file: ``generate`` writes the workbook of the form's spec
exactly as ``bygdevekst-xl generate`` does; ``check_workbook`` and ``check.report.as_dict``
give the verdict, totals and findings; ``council_pack``, ``extract_spec`` with ``dump_spec``,
``diff_workbooks`` and ``regenerate`` make what the page hands out. Errors keep the library's
own messages (:func:`error_lines`), in the user's language.

Every function here is blocking and is called from a thread pool by ``app``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from ..dataclass import dataclass, field
from ..errors import BygdevekstError
from ..files import Written
from ..messages import Lang, localize, say
from ..reports import broken_rule_lines, error_lines, extracted_formulas, generate_summary

SPEC_NAME = "spesifikasjon.yaml"


@dataclass
class Outcome:
    """What an action gives the page: a file to download, or lines to show (or both)."""

    name: str = ""
    data: bytes = b""
    lines: list[str] = field(default_factory=list)
    ok: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def refused(error: Exception, lang: Lang) -> Outcome:
    """An error of ours as the command line states it: its lines and details."""
    if isinstance(error, BygdevekstError):
        return Outcome(lines=error_lines(error, lang), ok=False)
    return Outcome(lines=[say("error", lang, text=localize(str(error), lang))], ok=False)


# --------------------------------------------------------------------------- the pilot form


def example_spec() -> dict[str, Any]:
    """The built-in example spec as plain data: where the pilot form starts."""
    from ..spec import budget_to_dict, example_path, load_spec

    return budget_to_dict(load_spec(example_path()))


def spec_of_yaml(path: Path) -> dict[str, Any]:
    """A spec file a person uploads to continue, as plain data (``SpecError`` when bad)."""
    from ..spec import budget_to_dict, load_spec

    return budget_to_dict(load_spec(path))


def spec_text(data: Any, source: str) -> str:
    """The form's spec as the YAML text ``dump_spec`` writes (``SpecError`` naming ``source``
    when invalid)."""
    from ..spec import budget_from_dict, dump_spec

    return dump_spec(budget_from_dict(data, source))


def preview(data: Any, lang: Lang) -> dict[str, Any]:
    """The form's spec as ``generate`` judges it: its problems (naming the spec path), or its
    totals, the summary line ``generate`` prints and the rules it breaks, in the words
    ``generate`` and ``check`` use."""
    from ..generate import Generated, broken_rules, generation
    from ..layout import build_layout
    from ..spec import SpecError, budget_from_dict

    try:
        budget = budget_from_dict(data, "spec")
    except SpecError as exc:
        return {"ok": False, "problems": [localize(p, lang) for p in exc.problems]}
    layout = build_layout(budget, None, generation(budget))
    broken = broken_rules(budget, layout)
    t = layout.totals
    result = Generated(Written(Path(SPEC_NAME)), budget, t, broken)
    return {
        "ok": True,
        "problems": [],
        "summary": generate_summary(result, lang),
        "broken": broken_rule_lines(broken, lang),
        "totals": {
            "total_costs": t.total_costs,
            "in_kind": t.in_kind,
            "kdd": t.kdd,
            "kdd_cap": t.kdd_cap,
            "kdd_headroom": t.kdd_headroom,
            "statsforvalteren": t.statsforvalteren,
            "balance": t.balance,
        },
    }


def generate_workbook(data: Any, source: str, folder: Path, lang: Lang) -> Outcome:
    """The workbook of the form's spec, made as ``bygdevekst-xl generate SPEC`` makes it: the
    spec is written as YAML in ``folder`` and ``generate`` run on it, so the bytes are those
    the command gives for the downloaded spec."""
    from ..generate import generate

    try:
        spec = folder / SPEC_NAME
        spec.write_text(spec_text(data, source), "utf-8")
        result = generate(spec, folder / "arbeidsbok.xlsx")
    except BygdevekstError as exc:
        return refused(exc, lang)
    name = _file_stem(result.budget.pilot.name) + ".xlsx"
    lines = [generate_summary(result, lang), *broken_rule_lines(result.broken, lang)]
    return Outcome(name, result.written.path.read_bytes(), lines)


def spec_download(data: Any, source: str, lang: Lang) -> Outcome:
    """The form's spec as a YAML file to download."""
    from ..spec import SpecError

    try:
        text = spec_text(data, source)
    except SpecError as exc:
        return refused(exc, lang)
    pilot = data.get("pilot", {}) if isinstance(data, dict) else {}
    return Outcome(_file_stem(str(pilot.get("name", ""))) + ".yaml", text.encode("utf-8"))


def _file_stem(name: str) -> str:
    """A download's name from the pilot's name: ``Hjerteregionen`` -> ``hjerteregionen``."""
    from ..council.words import slug

    return slug(name) or "pilot"


# --------------------------------------------------------------------------- check


@dataclass
class Checked:
    """A check as the page shows it: the report as ``check --json`` gives it, and the sheets
    as read and evaluated (for the grid)."""

    report: dict[str, Any]
    sheets: list[Any]
    values: dict[tuple[str, str], Any]


def check(path: Path, spec: Path | None, lang: Lang) -> Checked | Outcome:
    """``bygdevekst-xl check FILE [--spec SPEC] --json`` for the page, with the sheets.

    Unreadable files and bad specs are refused with the command's one line.
    """
    from ..check.report import as_dict
    from ..check.workbook import check_edited
    from ..edited import read_edited
    from ..edited.inputs import NotOurWorkbook
    from ..xlsx import ReadError

    try:
        edited = read_edited(path, _facts(spec))  # the one reading: the report and the grid
        report = check_edited(edited)
    except (ReadError, NotOurWorkbook) as exc:
        return Outcome(lines=[say("error", lang, text=localize(str(exc), lang))], ok=False)
    except BygdevekstError as exc:
        return refused(exc, lang)
    sheets = list(edited.content.sheets.values())
    return Checked(as_dict(report, lang), sheets, dict(edited.computed))


def _facts(spec: Path | None) -> Any:
    """The budget whose facts apply: the uploaded spec, else None (the workbook's record)."""
    from ..spec import load_spec

    return load_spec(spec) if spec else None


# --------------------------------------------------------------------------- take away


def council(path: Path, spec: Path | None, municipality: str, draft: bool, lang: Lang) -> Outcome:
    """``bygdevekst-xl council WORKBOOK [--spec] [--municipality] [--draft]`` as one zip."""
    from ..council import council_pack

    try:
        pack = council_pack(path, _facts(spec), municipality.strip() or None, draft=draft)
    except BygdevekstError as exc:
        return refused(exc, lang)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in pack.documents:
            archive.writestr(document.name, document.data)
    lines = [say("warning", lang, text=localize(w, lang)) for w in pack.warnings]
    lines.append(say("content-id-draft" if pack.draft else "content-id", lang, digest=pack.digest))
    return Outcome(f"kommunestyrepakke-{path.stem}.zip", buffer.getvalue(), lines)


def extract(path: Path, lang: Lang) -> Outcome:
    """``bygdevekst-xl extract WORKBOOK``: the spec text, headed as the command heads it."""
    from ..extract import extract_spec, spec_text

    try:
        extracted = extract_spec(path)
        text = spec_text(extracted, say("extracted-from", lang, name=path.name))
    except BygdevekstError as exc:
        return refused(exc, lang)
    lines = [say("formula-input", lang, **item) for item in extracted_formulas(extracted)]
    return Outcome(f"{path.stem}.yaml", text.encode("utf-8"), lines)


def diff(old: Path, new: Path, lang: Lang) -> Outcome:
    """``bygdevekst-xl diff OLD NEW``: the report in budget terms, as text."""
    from ..diff import Unreadable, diff_workbooks
    from ..diff.render import as_text

    try:
        report = diff_workbooks(old, new)
    except Unreadable as exc:
        return Outcome(lines=[say("error", lang, text=localize(str(exc), lang))], ok=False)
    return Outcome(lines=as_text(report, lang).splitlines(), extra={"differs": report.differs})


def regenerate(
    path: Path,
    spec: Path | None,
    folder: Path,
    orphans: str,
    prefer: str | None,
    lang: Lang,
) -> Outcome:
    """``bygdevekst-xl regenerate WORKBOOK [--spec] -o NEW``: the new workbook and its report
    in one zip; refused (nothing written) with the command's report."""
    from ..regenerate import Refusal, regenerate
    from ..reports import regeneration_lines

    output = folder / f"{path.stem}-ny.xlsx"
    try:
        result = regenerate(path, spec, output, orphans=orphans, prefer=prefer)  # type: ignore[arg-type]
    except Refusal as exc:
        lines = error_lines(exc, lang)
        lines += regeneration_lines(exc.result, orphans, False, lang, prefer)
        return Outcome(lines=lines, ok=False)
    except BygdevekstError as exc:
        return refused(exc, lang)
    lines = [
        line.replace(str(output), output.name)
        for line in regeneration_lines(result, orphans, True, lang, prefer)
    ]
    if result.broken:  # stated as the command states them
        lines += broken_rule_lines(result.broken, lang)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(output.name, output.read_bytes())
        archive.writestr(f"{path.stem}-ny-rapport.txt", "\n".join(lines) + "\n")
    return Outcome(f"{path.stem}-ny.zip", buffer.getvalue(), lines)
