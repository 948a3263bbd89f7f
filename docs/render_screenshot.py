"""Render the combined sheet of the Hjerteregionen example to docs/samlet-budsjett.png.

LibreOffice prints the sheet in a Norwegian locale (``1 234 568 kr``) on its pages (the tables;
the rules and the charts); the picture is those pages, cropped to their content and stacked,
so every rule is in it. Needs LibreOffice and poppler-utils (pdftoppm, pdftotext):
    python docs/render_screenshot.py
"""

from __future__ import annotations

import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.office import convert_libreoffice
from bygdevekst_xl.spec import example_path, load_spec
from bygdevekst_xl.texts import SUMMARY_SHEET

TARGET = Path(__file__).resolve().parent / "samlet-budsjett.png"
RESOLUTION = 110
WHITE_GAP = 25  # white rows that separate the footer from the content
PAD = 12


def main() -> int:
    """Write the picture; returns the exit code."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        workbook = work / "hjerteregionen.xlsx"
        workbook.write_bytes(workbook_bytes(load_spec(example_path())))
        pdf = convert_libreoffice(workbook, work, "pdf", locale="nb-NO")
        pages = _pages_of(pdf, SUMMARY_SHEET)
        images = []
        for page in pages:
            prefix = work / f"page{page}"
            subprocess.run(
                [
                    *("pdftoppm", "-r", str(RESOLUTION), "-f", str(page), "-l", str(page)),
                    *("-singlefile", str(pdf), str(prefix)),
                ],
                check=True,
            )
            images.append(_read_ppm(prefix.with_suffix(".ppm")))
        TARGET.write_bytes(_png(_stack([_crop(image) for image in images])))
    print(f"Wrote {TARGET} (pages {', '.join(map(str, pages))} of the PDF)")
    return 0


def _pages_of(pdf: Path, sheet: str) -> list[int]:
    """The pages whose footer names the sheet."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for number, page in enumerate(text.split("\f"), start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines and lines[-1].strip().startswith(sheet):
            pages.append(number)
    if not pages:
        raise SystemExit(f"{pdf}: no page of {sheet!r}")
    return pages


Image = tuple[int, int, list[bytes]]  # width, height, RGB rows


def _read_ppm(path: Path) -> Image:
    data = path.read_bytes()
    magic, width, height, _, pixels = data.split(maxsplit=4)
    assert magic == b"P6"
    w, h = int(width), int(height)
    return w, h, [pixels[y * w * 3 : (y + 1) * w * 3] for y in range(h)]


def _crop(image: Image) -> Image:
    """The page's content: margins and the footer (the last band of ink) cut away."""
    width, _, rows = image
    white = b"\xff" * (width * 3)
    inked = [y for y, row in enumerate(rows) if row != white]
    bands: list[list[int]] = []
    for y in inked:
        if bands and y - bands[-1][1] <= WHITE_GAP:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    top, bottom = bands[0][0], bands[-2][1] if len(bands) > 1 else bands[-1][1]
    kept = rows[max(0, top - PAD) : bottom + PAD]
    right = max(len(row.rstrip(b"\xff")) for row in kept) // 3 + PAD
    return right, len(kept), kept


def _stack(images: list[Image]) -> Image:
    width = max(w for w, _, _ in images)
    rows = [row[: width * 3].ljust(width * 3, b"\xff") for _, _, r in images for row in r]
    return width, len(rows), rows


def _png(image: Image) -> bytes:
    width, height, rows = image

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    sys.exit(main())
