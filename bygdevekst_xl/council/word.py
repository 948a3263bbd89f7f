"""The draft decision as a Word document (.docx), made with python-docx.

The same heading and numbered points as the plain text, in Word's own "List Number" style so the
case system's template can restyle them; the content digest and the date in the footer of every
page, and UTKAST in the header of a draft. The zip entries get the pack's date as their time, so
the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from .decision import decision_points, decision_title, draft_note
from .facts import Facts
from .words import date_text


def render_docx(facts: Facts) -> bytes:
    """The draft decision of one municipality as .docx bytes."""
    import docx

    document = docx.Document()
    properties = document.core_properties
    title, subtitle = decision_title(facts)
    properties.title = title
    properties.author = properties.last_modified_by = "bygdevekst_xl"
    properties.comments = f"Innholds-ID {facts.digest}"
    when = dt.datetime.combine(facts.date, dt.time(12, 0))
    properties.created = properties.modified = when
    properties.revision = 1
    section = document.sections[0]
    section.footer.paragraphs[
        0
    ].text = f"Innholds-ID {facts.digest} · {date_text(facts.date)} · {facts.workbook}"
    if facts.draft:
        section.header.paragraphs[0].text = "UTKAST"
        document.add_paragraph(draft_note(facts))
    document.add_heading(title, level=1)
    document.add_paragraph(subtitle)
    for point in decision_points(facts):
        document.add_paragraph(point, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_times(buffer.getvalue(), when)


def _fixed_times(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry dated ``when`` (python-docx dates them now)."""
    out = io.BytesIO()
    stamp = when.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
