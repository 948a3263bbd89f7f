"""The draft decision as a Word document (.docx), made with python-docx.

A case system takes it as it is: A4 with 2.5 cm margins, language nb-NO in the document
defaults, in every named style it uses and in the settings (python-docx's own template is US
Letter and en-US), and only Word's built-in style names ("Title", "Heading 1", "Normal",
"List Number", "Header", "Footer"), so the case system's template can restyle them. The same
heading and numbered points as the plain text; the content digest and the date in the footer
of every page, and UTKAST in the header of a draft. The zip entries get the pack's date as
their time, so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from .decision import decision_points, decision_title, draft_note
from .facts import Facts
from .words import date_text

LANGUAGE = "nb-NO"
A4_MM = (210, 297)
MARGIN_CM = 2.5
STYLES = ("Normal", "Title", "Heading 1", "List Number", "Header", "Footer")
"""The named styles the document uses, each marked nb-NO."""
MAX_PROPERTY = 255
"""Word keeps at most 255 characters in a core property such as the title."""


def render_docx(facts: Facts) -> bytes:
    """The draft decision of one municipality as .docx bytes."""
    import docx

    document = docx.Document()
    title, subtitle = decision_title(facts)
    when = dt.datetime.combine(facts.date, dt.time(12, 0))
    _properties(document, title, facts, when)
    _page(document)
    _language(document)
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


def _properties(document: Any, title: str, facts: Facts, when: dt.datetime) -> None:
    """Title, author, language and dates of the document (the title cut to Word's limit)."""
    properties = document.core_properties
    properties.title = _cut(title)
    properties.author = properties.last_modified_by = "bygdevekst_xl"
    properties.comments = f"Innholds-ID {facts.digest}"
    properties.language = LANGUAGE
    properties.created = properties.modified = when
    properties.revision = 1


def _page(document: Any) -> None:
    """A4 portrait with Norwegian margins (2.5 cm) on every section."""
    from docx.shared import Cm, Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        section.header_distance = section.footer_distance = Cm(1.25)


def _language(document: Any) -> None:
    """nb-NO in the document defaults, the named styles and the settings."""
    from docx.oxml.ns import qn

    defaults = _child(document.styles.element, "w:docDefaults")
    _set_lang(_child(_child(defaults, "w:rPrDefault"), "w:rPr"))
    for name in STYLES:
        _set_lang(document.styles[name].element.get_or_add_rPr())
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)


def _set_lang(run_properties: Any) -> None:
    """``<w:lang w:val="nb-NO"/>`` in a run-properties element (replacing any other)."""
    from docx.oxml.ns import qn

    _child(run_properties, "w:lang").set(qn("w:val"), LANGUAGE)


def _child(parent: Any, tag: str) -> Any:
    """The first ``tag`` element under ``parent``, added at its end when there is none."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _cut(text: str) -> str:
    """``text`` within Word's limit for a property, an ellipsis where it was cut."""
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1] + "…"


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
