"""The in-kind statement: one A4 page per municipality, through the council pack's route
(reportlab, the council's fonts and table look; ``invariant`` so the same figures give the
same bytes)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus.flowables import Flowable

from ..council.blocks import _numbers_table, esc, look_for
from ..council.fonts import fonts_for
from ..council.words import date_text, hours_text, kroner_text
from .report import Report


def inkind_pdf(report: Report) -> bytes:
    """The statement of every municipality, one page each, as PDF bytes."""
    budget = report.budget
    names = {p.id: p.name for p in budget.projects}
    texts = [budget.pilot.name, *budget.pilot.municipalities, *names.values()]
    look = look_for(fonts_for(texts))
    story: list[Flowable] = []
    for i, municipality in enumerate(budget.pilot.municipalities):
        if i:
            story.append(PageBreak())
        rows = [r for r in report.in_kind if r.municipality == municipality]
        story.append(Paragraph(esc(f"Egeninnsats – {municipality}"), look.styles["title"]))
        story.append(
            Paragraph(
                esc(
                    f"{budget.pilot.name}. Per {date_text(report.as_of)}; timesats "
                    f"{kroner_text(budget.pilot.hourly_rate)}. Timer fra timelister, "
                    "attestert av en annen enn den som har arbeidet."
                ),
                look.styles["subtitle"],
            )
        )
        story.append(Spacer(1, 4 * mm))
        table = [["Prosjekt og år", "Budsjettert", "Registrert", "Ikke attestert", "Verdi"]]
        for r in rows:
            table.append(
                [
                    f"{names[r.project]} {r.year}",
                    hours_text(r.budgeted),
                    hours_text(r.registered),
                    hours_text(r.unattested),
                    kroner_text(r.value),
                ]
            )
        table.append(
            [
                "Sum",
                hours_text(sum(r.budgeted for r in rows)),
                hours_text(sum(r.registered_centi for r in rows) / 100),
                hours_text(sum(r.unattested_centi for r in rows) / 100),
                kroner_text(sum(r.value for r in rows)),
            ]
        )
        story.append(_numbers_table(look, table, 4, 1))
        approved = sum(r.approved_value for r in rows)
        story.append(Spacer(1, 3 * mm))
        story.append(
            Paragraph(
                esc(f"Godkjent egeninnsats: {kroner_text(approved)}."), look.styles["subtitle"]
            )
        )
        story.append(Spacer(1, 14 * mm))
        signature = Table(
            [["Sted og dato", "Kommunedirektør (underskrift)"], ["", ""]],
            colWidths=[60 * mm, 100 * mm],
            rowHeights=[6 * mm, 14 * mm],
        )
        signature.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), look.fonts.regular),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("LINEBELOW", (0, 1), (-1, 1), 0.6, "#000000"),
            ]
        )
        story.append(signature)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"Egeninnsats – {budget.pilot.name}",
        author="bygdevekst_xl",
        creator="bygdevekst_xl",
        lang="nb-NO",
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()
