"""The council attachment as a PDF (A4, bokmål), drawn with reportlab's platypus.

The text is drawn in an embedded TrueType font (``fonts``: Carlito or DejaVu Sans), and the
file carries what an archive asks for (``archive``: PDF/A-2b metadata and output intent).
Reportlab's tables repeat their header rows and are
kept whole on a page, and its graphics draw the chart as vectors. ``blocks`` makes the tables
and the chart; this module puts them in order and draws the pages. Every page carries the
content digest and the date in its footer, and "UTKAST" across it when the pack is a draft.
``invariant`` keeps the bytes the same for the same content, so running the command again
leaves the file alone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus.flowables import Flowable

from .archive import PDF_VERSION, Described, eol_before_endstream, make_archival, srgb_profile
from .blocks import (
    FAIL_COLOUR,
    Look,
    detail_table,
    esc,
    facts_table,
    financing_chart,
    financing_table,
    kdd_table,
    key_figures,
    look_for,
    plan_table,
    projects_list,
    rules_table,
    share_table,
)
from .decision import decision_points, draft_note
from .facts import Facts
from .fonts import Fonts, fonts_for
from .words import date_text, kroner_text

AUTHOR = "bygdevekst_xl"
MARGINS = {
    "leftMargin": 18 * mm,
    "rightMargin": 18 * mm,
    "topMargin": 16 * mm,
    "bottomMargin": 18 * mm,
}
FRAME = (
    A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"] - 12,
    A4[1] - MARGINS["topMargin"] - MARGINS["bottomMargin"] - 12,
)
"""The width and height a page's frame gives the story (reportlab pads it by 6 pt a side)."""
LANGUAGE = "nb-NO"


def render_pdf(facts: Facts, fonts: Fonts | None = None) -> bytes:
    """The attachment for one municipality, as PDF bytes (PDF/A-2b when its fonts are embedded).

    ``fonts`` defaults to the first TrueType family installed (see ``fonts``).
    """
    fonts = fonts or fonts_for([])
    buffer = io.BytesIO()
    pilot = facts.figures.budget.pilot
    title = f"Budsjett for bygdevekstavtale – {pilot.name}"
    described = Described(
        title=title,
        author=AUTHOR,
        subject=f"Vedlegg til kommunestyret i {facts.share.municipality}",
        keywords=f"bygdevekstavtale, KDD, kommunestyre, innholds-ID {facts.digest}",
        creator=AUTHOR,
        language=LANGUAGE,
        date=facts.date,
    )
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        **MARGINS,
        title=described.title,
        subject=described.subject,
        author=described.author,
        creator=described.creator,
        keywords=described.keywords,
        lang=described.language,
        initialFontName=fonts.regular,
        invariant=1,
    )
    look = look_for(fonts)
    profile = srgb_profile() if fonts.embedded else None
    with eol_before_endstream():
        doc.build(
            story(facts, title, look), canvasmaker=_page_canvas(facts, fonts, described, profile)
        )
    return buffer.getvalue()


def story(facts: Facts, title: str, look: Look) -> list[Flowable]:
    """The flowables of the attachment, in reading order."""
    s = look.styles
    f = facts.figures
    pilot = f.budget.pilot
    out: list[Flowable] = [
        Paragraph(esc(title), s["title"]),
        Paragraph(
            f"Vedlegg til saksframlegg for kommunestyret i {esc(facts.share.municipality)}",
            s["subtitle"],
        ),
        Spacer(0, 4 * mm),
    ]
    if facts.draft:
        out.append(Paragraph(esc(draft_note(facts)), s["alert"]))
    # The application's facts and the projects hold text of any length (up to the spec's
    # limits): kept together they would be laid out again for every page they run over.
    out += _section(look, "Søknaden", [facts_table(look, facts), Spacer(0, 2 * mm)], keep=False)
    if pilot.reservation:
        out.append(Paragraph(f"<b>Forbehold:</b> {esc(pilot.reservation)}", s["body"]))
    out += _section(look, "Prosjektene", [projects_list(look, facts)], keep=False)
    out += _section(look, "Nøkkeltall (kr)", [key_figures(look, facts)])
    out += _section(
        look,
        "Kostnadsplan og finansieringsplan (i 1 000 kr)",
        [
            plan_table(look, facts),
            Spacer(0, 3 * mm),
            financing_table(look, facts),
            Spacer(0, 2 * mm),
            Paragraph("Avrunding: " + esc(f.tables.rule), s["small"]),
        ],
    )
    out += _section(
        look,
        "Kostnader og finansiering per prosjekt og år (i 1 000 kr)",
        [
            detail_table(look, facts),
            Spacer(0, 2 * mm),
            Paragraph("Avrundet etter regelen over; tallene er de samme.", s["small"]),
        ],
    )
    out += _section(
        look,
        "KDD-midlene mot taket og mot støtteberettigede kostnader (kr)",
        [kdd_table(look, facts)],
    )
    out += _section(
        look,
        f"{facts.share.municipality} kommunes egeninnsats (timer og kr)",
        [
            Paragraph(
                f"Timene er verdsatt til {kroner_text(pilot.hourly_rate)} per time. Hvert "
                "prosjekts og års verdi er timer × timesats, rundet til hele kroner som i "
                "arbeidsboka, og fordelt på kommunene etter timene (største rest), så "
                "kommunenes andeler summerer til arbeidsbokas verdi.",
                s["small"],
            ),
            Spacer(0, 2 * mm),
            share_table(look, facts),
        ],
    )
    out += _section(look, "Reglene i ordningen", [rules_table(look, facts)])
    out += _section(look, "Finansiering etter kilde (i 1 000 kr)", [financing_chart(look, facts)])
    out += _section(
        look,
        "Forslag til vedtak",
        [
            ListFlowable(
                [
                    ListItem(Paragraph(_keep_numbers(esc(p)), s["body"]))
                    for p in decision_points(facts)
                ],
                bulletType="1",
                bulletFormat="%s.",
                bulletFontName=look.fonts.regular,
                bulletFontSize=9.5,
                leftIndent=12,
            )
        ],
    )
    if facts.errors:
        out += _section(
            look,
            "Feil funnet av kontrollen",
            [Paragraph(esc(line), s["small"]) for line in facts.errors],
            keep=False,
        )
    return out


def _section(
    look: Look, heading: str, body: Sequence[Flowable], keep: bool = True
) -> list[Flowable]:
    """A heading with its body, kept on one page when ``keep`` and it fits on one.

    A section longer than a page (every text at its longest, fifty projects) is left to flow:
    kept together, reportlab would lay the whole of it out again for each page it runs over,
    which made one attachment take half a minute. The heading stays with what follows it.
    """
    parts = [Paragraph(esc(heading), look.styles["h2"]), *body]
    return [KeepTogether(parts)] if keep and _fits_a_page(parts) else parts


def _fits_a_page(parts: Sequence[Flowable]) -> bool:
    """Whether ``parts`` laid out once take no more than one page's frame."""
    scratch = Canvas(io.BytesIO(), pagesize=A4)
    room = FRAME[1]
    for part in parts:
        room -= part.wrapOn(scratch, *FRAME)[1]
        if room < 0:
            return False
    return True


def _keep_numbers(text: str) -> str:
    """Non-breaking spaces inside amounts (``7 296 000 kr``), so a line never splits one."""
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", text)
    return re.sub(r"(?<=\d) (?=kr\b|timer\b)", "\u00a0", text)


def _page_canvas(
    facts: Facts, fonts: Fonts, described: Described, profile: bytes | None
) -> type[Canvas]:
    """A canvas that prints the footer ("side N av M") and, on a draft, UTKAST on every page,
    and makes the document an archive copy (``archive``)."""
    pilot = facts.figures.budget.pilot
    footer = (
        f"{pilot.name} · vedlegg for {facts.share.municipality} · innholds-ID {facts.digest} · "
        f"{date_text(facts.date)}"
    )
    draft = facts.draft

    class PageCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **{**kwargs, "pdfVersion": PDF_VERSION})
            self._pages: list[dict] = []
            make_archival(self, described, profile)

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._decorate(count)
                super().showPage()
            super().save()

        def _decorate(self, count: int) -> None:
            width, height = A4
            self.saveState()
            self.setFont(fonts.regular, 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(18 * mm, 10 * mm, footer)
            self.drawRightString(width - 18 * mm, 10 * mm, f"side {self._pageNumber} av {count}")
            if draft:
                self.setFont(fonts.bold, 9)
                self.setFillColor(FAIL_COLOUR)
                self.drawRightString(width - 18 * mm, height - 10 * mm, "UTKAST")
                self.setFont(fonts.bold, 96)
                self.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.13))
                self.translate(width / 2, height / 2)
                self.rotate(50)
                self.drawCentredString(0, -30, "UTKAST")
            self.restoreState()

    return PageCanvas
