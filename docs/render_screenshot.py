"""Render the combined sheet of the Hjerteregionen example to docs/samlet-budsjett.png.

Needs LibreOffice and poppler-utils (pdftoppm, pdftotext):
    python docs/render_screenshot.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.office import convert_libreoffice
from bygdevekst_xl.spec import example_path, load_spec
from bygdevekst_xl.texts import SUMMARY_SHEET

TARGET = Path(__file__).resolve().parent / "samlet-budsjett.png"
RESOLUTION = 110


def main() -> int:
    """Write the picture; returns the exit code."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        workbook = work / "hjerteregionen.xlsx"
        workbook.write_bytes(workbook_bytes(load_spec(example_path())))
        pdf = convert_libreoffice(workbook, work, "pdf")
        page = _page_with(pdf, f"{SUMMARY_SHEET} –")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(RESOLUTION),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(work / "page"),
            ],
            check=True,
        )
        shutil.copyfile(work / "page.png", TARGET)
    print(f"Wrote {TARGET} (page {page} of the PDF)")
    return 0


def _page_with(pdf: Path, text: str) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    for page in range(1, pages + 1):
        content = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if text in content:
            return page
    raise SystemExit(f"{pdf}: no page shows {text!r}")


if __name__ == "__main__":
    sys.exit(main())
