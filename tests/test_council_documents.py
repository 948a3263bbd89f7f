"""The council pack as a case system and an archive take it: A4 nb-NO Word, embedded fonts,
PDF/A-2b metadata, files named apart, a folder made, and never half a pack."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from bygdevekst_xl.cli import main
from bygdevekst_xl.council.blocks import DESCRIPTION_CHARS, short_description
from bygdevekst_xl.council.names import MAX_SLUG, file_parts
from bygdevekst_xl.council.write import write_pack
from bygdevekst_xl.files import OutputError
from bygdevekst_xl.generate import workbook_bytes
from tests.conftest import edited

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def poppler(tool: str) -> str:
    """The path of a poppler tool; skip without it, unless BYGDEVEKST_REQUIRE_OFFICE=1."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("BYGDEVEKST_REQUIRE_OFFICE") == "1":
            pytest.fail(f"BYGDEVEKST_REQUIRE_OFFICE=1 but {tool} (poppler-utils) is missing")
        pytest.skip(f"{tool} (poppler-utils) missing")
    return found


@pytest.fixture(scope="module")
def pack(tmp_path_factory, example_workbook) -> Path:
    """The Hjerteregionen pack for Hasvik, written by the command into a new folder."""
    out = tmp_path_factory.mktemp("pakke") / "ny" / "mappe"
    code = main(["council", str(example_workbook), "-o", str(out), "--municipality", "Hasvik"])
    assert code == 0
    return out


def xml(docx_path: Path, part: str):
    """One part of a .docx as an element tree."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(docx_path) as z:
        return ElementTree.fromstring(z.read(part))


def test_draft_decision_is_a4_with_norwegian_margins_and_language(pack):
    """The .docx is A4 portrait with 2.5 cm margins, nb-NO in the document defaults, in each
    named style it uses and in the settings, and uses Word's own style names."""
    path = pack / "vedtak-hasvik.docx"
    document = xml(path, "word/document.xml")
    size = document.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # 210 × 297 mm in twips
    margins = document.find(f".//{W}sectPr/{W}pgMar")
    for side in ("top", "bottom", "left", "right"):
        assert abs(int(margins.get(f"{W}{side}")) - 1417) <= 1  # 2.5 cm
    styles = xml(path, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "nb-NO"
    langs = {
        s.find(f"{W}name").get(f"{W}val"): s.find(f"{W}rPr/{W}lang")
        for s in styles.iter(f"{W}style")
    }
    for name in ("Normal", "Title", "heading 1", "List Number", "header", "footer"):
        assert langs[name] is not None and langs[name].get(f"{W}val") == "nb-NO", name
    assert "en-US" not in zipfile.ZipFile(path).read("word/settings.xml").decode()
    used = {p.get(f"{W}val") for p in document.iter(f"{W}pStyle")}
    assert used == {"Heading1", "ListNumber"}
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    assert "<dc:language>nb-NO</dc:language>" in core


def test_pdf_embeds_every_font_and_says_what_it_is(pack):
    """Every font in the PDF is embedded (pdffonts: emb yes), none is Helvetica; the document
    information gives title, author, subject and PDF 1.7, and its XMP packet declares PDF/A-2b
    and the language nb-NO."""
    path = pack / "kommunestyre-hasvik.pdf"
    fonts = subprocess.run(
        [poppler("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", line
        assert "Helvetica" not in name
    info, meta = (
        subprocess.run(
            [poppler("pdfinfo"), *flag, str(path)], capture_output=True, text=True, check=True
        ).stdout
        for flag in ([], ["-meta"])
    )
    assert "Title:           Budsjett for bygdevekstavtale – Hjerteregionen" in info
    assert "Author:          bygdevekst_xl" in info
    assert "Subject:         Vedlegg til kommunestyret i Hasvik" in info
    assert "PDF version:     1.7" in info and "(A4)" in info
    assert "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>" in meta
    assert "<rdf:li>nb-NO</rdf:li>" in meta
    data = path.read_bytes()
    assert b"/Lang (nb-NO)" in data and b"/S /GTS_PDFA1" in data
    assert re.search(rb"/DestOutputProfile \d+ 0 R", data)
    ends = [m.start() for m in re.finditer(rb"endstream", data)]
    assert ends and all(data[e - 1 : e] == b"\n" for e in ends)  # PDF/A-2, 6.1.7.1
    for m in re.finditer(rb"/Length (\d+)[^>]*?>>\s*stream\n", data, re.S):
        assert data.index(b"endstream", m.end()) - m.end() - 1 == int(m.group(1))


def test_the_same_pack_gives_the_same_bytes(tmp_path, example_workbook):
    """Run twice on the same day, the pack is byte for byte the same (files left alone)."""
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert main(["council", str(example_workbook), "-o", str(out)]) == 0
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_names_that_fold_alike_get_distinct_file_names(tmp_path, example_dict):
    """Ås and As (both ``as``) get names told apart by a hash of their own name, the same
    whether the pack is for one of them or for all; a long name is cut."""
    parts = file_parts(["Ås", "As", "Måsøy", "x" * 300])
    assert parts["Måsøy"] == "masoy" and len(parts["x" * 300]) == MAX_SLUG
    assert parts["Ås"] != parts["As"] and parts["Ås"].startswith("as-")
    for project in example_dict["projects"]:
        hours = project["hours"]
        hours["Ås"], hours["As"] = hours.pop("Hasvik"), hours.pop("Måsøy")
    budget = edited(example_dict, **{"pilot.municipalities": ["Hammerfest", "Ås", "As"]})
    workbook = tmp_path / "as.xlsx"
    workbook.write_bytes(workbook_bytes(budget))
    spec = tmp_path / "as.yaml"
    from bygdevekst_xl.spec import dump_spec

    spec.write_text(dump_spec(budget), "utf-8")
    out = tmp_path / "pakke"
    assert main(["council", str(workbook), "-o", str(out), "--spec", str(spec)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 9
    assert f"kommunestyre-{parts['Ås']}.pdf" in names and f"vedtak-{parts['As']}.docx" in names
    alone = tmp_path / "alene"
    args = ["council", str(workbook), "-o", str(alone), "--spec", str(spec), "--municipality"]
    assert main([*args, "As"]) == 0
    assert sorted(p.name for p in alone.iterdir()) == sorted(
        f"{kind}-{parts['As']}.{ext}"
        for kind, ext in (("kommunestyre", "pdf"), ("vedtak", "txt"), ("vedtak", "docx"))
    )


def test_a_pack_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """When a write fails half way, the files written are removed, a replaced file is back as
    it was, and a folder the run made is gone; a file in the way of the folder is refused."""
    from bygdevekst_xl.council import write

    folder = tmp_path / "ny"
    real = write.write_new
    calls = []

    def failing(path, data, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise OutputError(f"{path}: cannot write: disk full; nothing was written")
        return real(path, data, **kwargs)

    monkeypatch.setattr(write, "write_new", failing)
    documents = [("a.pdf", b"a"), ("b.txt", b"b"), ("c.docx", b"c")]
    with pytest.raises(OutputError):
        write_pack(documents, folder)
    assert not folder.exists()
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"old")
    calls.clear()
    with pytest.raises(OutputError):
        write_pack(documents, folder, force=True)
    assert sorted(p.name for p in folder.iterdir()) == ["a.pdf"]
    assert (folder / "a.pdf").read_bytes() == b"old"
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="is not a folder"):
        write_pack(documents, blocker)


def test_long_descriptions_are_cut_for_the_attachment():
    """A description longer than the attachment prints is cut at a word and says so; a short
    one is printed whole."""
    assert short_description(["Kort.", "Tekst."]) == "Kort. Tekst."
    long = ["ord " * 400, "mer " * 400]
    text = short_description(long)
    assert len(text) < DESCRIPTION_CHARS + 60
    assert text.endswith("(forkortet; hele beskrivelsen står i arbeidsboka)")
    assert "ord ord … (" in text


def test_without_a_truetype_font_the_pdf_falls_back_and_says_so(
    tmp_path, example_workbook, monkeypatch, capsys
):
    """With neither Carlito nor DejaVu Sans installed, the PDF is drawn in Helvetica (not
    embedded, not declared PDF/A) and the command warns naming the packages to install."""
    from bygdevekst_xl.council import fonts

    monkeypatch.setattr(fonts, "FONT_FOLDERS", ())
    monkeypatch.setattr(fonts, "_registered", {})
    assert fonts.fonts_for(["Måsøy"]) == fonts.Fonts()
    args = ["council", str(example_workbook), "-o", str(tmp_path), "--municipality", "Hasvik"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "ingen TrueType-skrift (Carlito eller DejaVu Sans)" in err
    assert "fonts-dejavu-core" in err
    data = (tmp_path / "kommunestyre-hasvik.pdf").read_bytes()
    assert b"/BaseFont /Helvetica" in data and b"pdfaid:part" not in data


def test_a_title_past_words_limit_is_cut_in_the_docx(tmp_path):
    """A municipality name at the spec's longest gives a decision whose title property stays
    within Word's 255 characters, cut with an ellipsis (the heading in the text is whole), and
    a file name cut to its bound."""
    import docx
    import yaml

    from bygdevekst_xl.spec import example_path

    long = ("Hasvik kommune i Finnmark " * 10)[:255].strip()
    text = example_path().read_text("utf-8").replace("Hasvik", long)
    spec = tmp_path / "lang.yaml"
    spec.write_text(text, "utf-8")
    budget = edited(yaml.safe_load(text))
    workbook = tmp_path / "lang.xlsx"
    workbook.write_bytes(workbook_bytes(budget))
    out = tmp_path / "p"
    args = ["council", str(workbook), "-o", str(out), "--spec", str(spec)]
    assert main([*args, "--municipality", long]) == 0
    [path] = out.glob("vedtak-*.docx")
    assert len(path.stem) == len("vedtak-") + MAX_SLUG
    document = docx.Document(str(path))
    title = document.core_properties.title
    assert len(title) == 255 and title.endswith("…")
    assert any(long in p.text for p in document.paragraphs)
