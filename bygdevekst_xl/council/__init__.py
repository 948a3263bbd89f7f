"""The council pack: for each municipality, the budget as its kommunestyre needs it.

From a checked workbook, one PDF attachment (A4, bokmål) and one draft decision (numbered points,
as plain text ready to paste into the case system and as .docx) per municipality. A workbook with errors is
refused unless the pack is a draft, which says "UTKAST" on every page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..check import Report
from ..check.workbook import check_edited
from ..dataclass import dataclass
from ..edited import Edited, read_edited
from ..errors import EXIT_FINDINGS, BygdevekstError
from ..messages import Count, Message, say
from ..model import Budget
from ..reports import finding_place
from ..scheme import comparable
from .decision import decision_text
from .facts import Facts
from .figures import figures, municipality_share
from .fonts import fonts_for
from .names import file_parts

__all__ = [
    "CouncilError",
    "Document",
    "Pack",
    "Refused",
    "council_pack",
    "council_pack_of",
    "finding_lines",
]


class CouncilError(BygdevekstError, ValueError):
    """The pack cannot be made as asked (an unknown municipality, an unprintable amount)."""


class Refused(BygdevekstError):
    """The workbook has errors, and the pack was not asked for as a draft."""

    exit_code = EXIT_FINDINGS

    def __init__(self, report: Report) -> None:
        count = Count(len(report.errors), "n-errors")
        refused = Message("council-refused", count=count)
        super().__init__(Message("at", place=str(report.file), text=refused))
        self.report = report

    def details(self, lang: str = "nb") -> list[str]:
        return finding_lines(self.report, lang)


@dataclass(frozen=True)
class Document:
    """One file of the pack: its name and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Pack:
    """The documents of a council pack and the check they rest on."""

    documents: list[Document]
    report: Report
    digest: str
    warnings: list[str]
    draft: bool = False


def finding_lines(report: Report, lang: str = "nb") -> list[str]:
    """The check's errors, one line each: ``Ark!A1: melding``."""
    lines = []
    for f in report.errors:
        where = finding_place(f) or say("workbook", lang)
        lines.append(f"{where}: {f.message(lang)} [{f.code}]")
    return lines


def council_pack(
    path: Path | str,
    spec: Budget | None = None,
    municipality: str | None = None,
    *,
    draft: bool = False,
    today: dt.date | None = None,
) -> Pack:
    """The PDF and the draft decision of each municipality (or the one named).

    The workbook is read as every command reads it (:func:`edited.read_edited`): the facts
    of its generation record, or of ``spec`` when given, within the scheme; the figures are
    the check's. Raises ``xlsx.ReadError`` or ``inputs.NotOurWorkbook`` for a file that is not
    one of our workbooks, ``Refused`` when the check finds errors and ``draft`` is not set,
    and ``CouncilError`` for an unknown municipality or an amount no PDF can print.
    """
    return council_pack_of(read_edited(path, spec), municipality, draft=draft, today=today)


def council_pack_of(
    edited: Edited,
    municipality: str | None = None,
    *,
    draft: bool = False,
    today: dt.date | None = None,
) -> Pack:
    """The council pack of a workbook already read (see :func:`council_pack`)."""
    from .figures import FiguresError
    from .pdf import render_pdf
    from .word import render_docx

    path = edited.path
    report = check_edited(edited)
    if not report.ok and not draft:
        raise Refused(report)
    budget = edited.budget
    names = list(budget.pilot.municipalities)
    parts = file_parts(names)  # over every municipality, so a name never depends on the choice
    if municipality is not None:
        chosen = [m for m in names if comparable(m) == comparable(municipality.strip())]
        if not chosen:
            unknown = Message("no-municipality", name=repr(municipality), names=", ".join(names))
            raise CouncilError(Message("at", place=str(path), text=unknown))
        names = chosen
    digest = edited.digest
    errors = finding_lines(report)
    fonts = fonts_for(_printed_texts(budget, errors, Path(path).name))
    warnings: list[str] = [] if fonts.embedded else [Message("no-ttf-font")]
    if fonts.missing:
        warnings.append(Message("no-font", chars=repr(fonts.missing)))
    documents = []
    try:
        numbers = figures(budget)
        for name in names:
            facts = Facts(
                numbers,
                municipality_share(budget, numbers.per_project, name),
                digest,
                today or dt.date.today(),
                Path(path).name,
                draft=draft,
                errors=errors,
                warnings=len(report.warnings),
            )
            part = parts[name]
            documents.append(Document(f"kommunestyre-{part}.pdf", render_pdf(facts, fonts)))
            documents.append(Document(f"vedtak-{part}.txt", decision_text(facts).encode("utf-8")))
            documents.append(Document(f"vedtak-{part}.docx", render_docx(facts)))
    except FiguresError as exc:
        raise CouncilError(f"{path}: {exc}") from None
    return Pack(documents, report, digest, warnings, draft)


def _printed_texts(budget: Budget, errors: list[str], workbook: str) -> list[str]:
    """Every text from the workbook that the PDF prints."""
    pilot = budget.pilot
    texts = [pilot.name, pilot.project_leader, pilot.reservation, workbook, *errors]
    texts += pilot.municipalities
    for project in budget.projects:
        texts += [project.name, *project.description]
    return texts
