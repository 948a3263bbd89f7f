"""The page end to end in a real headless browser: Debian's chromium driven by Selenium through
the system chromedriver (nothing downloaded), against ``bygdevekst-xl serve`` run as a command.

Skipped without chromium and chromedriver, unless BYGDEVEKST_REQUIRE_OFFICE=1 (CI), where
they must run. One server and one browser for the module. Screenshots of each page go to
``$BYGDEVEKST_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bygdevekst_xl.cli import main
from tests.damage import with_openpyxl

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
REQUIRED = os.environ.get("BYGDEVEKST_REQUIRE_OFFICE") == "1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not REQUIRED and (CHROMIUM is None or CHROMEDRIVER is None),
        reason="chromium or chromedriver missing (apt: chromium chromium-driver)",
    ),
]
WAIT = 30.0


def wait_for(what: Callable[[], Any], timeout: float = WAIT) -> Any:
    """``what()`` once it is truthy; fails naming the timeout and the last refusal.

    A lookup may meet the page between two documents — re-rendered under it, still loading
    after a submit, or a node the inspector already dropped ("does not belong to the
    document"): chromedriver reports these as different exceptions, all a ``WebDriverException``,
    and each means "not yet"."""
    from selenium.common.exceptions import WebDriverException

    end = time.monotonic() + timeout
    last: WebDriverException | None = None
    while True:
        try:
            found = what()
        except WebDriverException as refusal:
            found, last = None, refusal
        if found:
            return found
        if time.monotonic() > end:
            raise AssertionError(f"nothing after {timeout} s (last: {last!r})")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``bygdevekst-xl serve --port 0`` as a person starts it; its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bygdevekst_xl", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, f"no address in {line!r}; {process.stderr.read() if process.stderr else ''}"
        yield match[0].rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    """Headless chromium speaking bokmål (Accept-Language nb), downloading to ``downloads``."""
    if REQUIRED and (CHROMIUM is None or CHROMEDRIVER is None):
        pytest.fail("BYGDEVEKST_REQUIRE_OFFICE=1 but chromium or chromedriver is missing")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,1000")
    options.add_experimental_option(
        "prefs",
        {
            "intl.accept_languages": "nb,no",
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(browser: Any, name: str) -> None:
    """A picture of the page, kept when ``$BYGDEVEKST_SCREENSHOTS`` names a folder."""
    folder = os.environ.get("BYGDEVEKST_SCREENSHOTS")
    if folder:
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1280, min(max(height, 1000), 4000))
        browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))
        browser.set_window_size(1280, 1000)


def downloaded(folder: Path, pattern: str) -> Path:
    """The file matching ``pattern`` once chromium has finished writing it."""

    def done() -> Path | None:
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        partial = list(folder.glob("*.crdownload"))
        return found[0] if found and not partial else None

    return wait_for(done)


def by_id(browser: Any, name: str) -> Any:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, name)


def all_of(browser: Any, css: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, css)


def typed(element: Any, text: str) -> None:
    """Replace an input's text as a person does: select all, type."""
    from selenium.webdriver.common.keys import Keys

    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(text)


@pytest.fixture(scope="module")
def damaged(example_workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with the project leader's 2024 salary typed 2 000 000 kr higher: the first
    project no longer balances in 2024 (its balance cell, C50, is the finding)."""

    def edit(book: Any) -> None:
        book["1 Prosjektledelse"]["C7"] = 3_050_000

    return with_openpyxl(example_workbook, tmp_path_factory.mktemp("damaged") / "skadet.xlsx", edit)


def test_a_new_pilot_from_the_form_downloads_the_workbook_generate_makes(
    server, browser, downloads, tmp_path, capsys
):
    """Filling the form updates the totals and rules live, locks an excluded use, and the
    downloaded workbook is byte for byte what ``generate`` makes of the downloaded spec, and
    checks clean with the command; uploading the spec again continues where it was."""
    browser.get(server + "/")
    screenshot(browser, "home")
    all_of(browser, 'a.card[href="/pilot"]')[0].click()  # from the start page, as a person goes
    wait_for(lambda: "7 296 000 kr" in by_id(browser, "live-totals").text)
    assert by_id(browser, "kdd-cap").get_attribute("value") == "4 000 000"
    assert "Ny pilot" in browser.find_element("tag name", "h1").text
    typed(by_id(browser, "pilot-name"), "Fjordpiloten")
    amount = all_of(browser, "#project-0 input.amount")[0]  # prosjektleder 2024: 1 050 000
    typed(amount, "1 060 000")
    kdd = all_of(browser, "#project-0 input.kdd")[0]  # KDD 2024: 1 180 000 -> balanced again
    typed(kdd, "1190000")
    wait_for(lambda: "7 306 000 kr" in by_id(browser, "live-totals").text)
    wait_for(lambda: "Fjordpiloten" in by_id(browser, "live-summary").text)
    wait_for(lambda: "Ingen regler er brutt." in by_id(browser, "live-rules").text)
    name = all_of(browser, "#category-0 .cat-name")[0]  # becomes an excluded use: locked
    typed(name, "Ordinære driftskostnader for prosjektledelse")
    wait_for(lambda: "excluded" in (by_id(browser, "category-0").get_attribute("class") or ""))
    locked = wait_for(lambda: [by_id(browser, "eligible-0")])[0]
    assert not locked.is_enabled() and not locked.is_selected()
    wait_for(lambda: "brutt regel" in by_id(browser, "live-rules").text)  # KDD now pays it
    typed(all_of(browser, "#category-0 .cat-name")[0], "Prosjektledelse")
    wait_for(lambda: by_id(browser, "eligible-0").is_enabled())
    by_id(browser, "eligible-0").click()  # a person ticks it again
    wait_for(lambda: "Ingen regler er brutt." in by_id(browser, "live-rules").text)
    screenshot(browser, "pilot")
    by_id(browser, "download-spec").click()
    spec = downloaded(downloads, "fjordpiloten.yaml")
    by_id(browser, "download-workbook").click()
    workbook = downloaded(downloads, "fjordpiloten.xlsx")
    assert "name: Fjordpiloten" in spec.read_text("utf-8")
    assert main(["generate", str(spec), "-o", str(tmp_path / "cli.xlsx")]) == 0
    assert (tmp_path / "cli.xlsx").read_bytes() == workbook.read_bytes()
    assert main(["check", str(workbook)]) == 0
    assert "Resultat: OK" in capsys.readouterr().out
    browser.get(server + "/pilot")  # another day: continue from the downloaded spec
    by_id(browser, "load-spec").send_keys(str(spec))
    by_id(browser, "load-submit").click()
    wait_for(lambda: by_id(browser, "pilot-name").get_attribute("value") == "Fjordpiloten")
    wait_for(lambda: "7 306 000 kr" in by_id(browser, "live-totals").text)


def test_a_damaged_workbook_shows_its_finding_marked_on_the_sheet(server, browser, damaged):
    """Dropping a damaged workbook shows FEIL, the totals and the finding; following the
    finding goes to its cell, marked as an error on the sheet's grid."""
    browser.get(server + "/check")
    screenshot(browser, "check")
    by_id(browser, "workbook").send_keys(str(damaged))
    by_id(browser, "check-submit").click()
    verdict = wait_for(lambda: all_of(browser, "#verdict"))[0]
    assert "FEIL" in verdict.text
    assert "9 296 000 kr" in by_id(browser, "totals").text
    finding = all_of(browser, "#findings a.finding")[0]
    assert "1 Prosjektledelse!C50" in finding.text
    assert "finansiering og kostnader er ikke like" in finding.text
    finding.click()
    wait_for(lambda: browser.execute_script("return location.hash") != "")
    cell = by_id(browser, browser.execute_script("return location.hash.slice(1)"))
    assert "error" in cell.get_attribute("class")
    assert (
        cell.text.replace("\u00a0", " ") == "\u22122 000 000"
    )  # WebDriver shows no-break spaces as spaces
    assert browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight;",
        cell,
    )
    screenshot(browser, "check-result")


def test_the_council_pack_downloads_and_its_pdfs_open(
    server, browser, downloads, example_workbook, tmp_path
):
    """The take-away page gives the council pack as a zip whose PDFs open and name each
    municipality and the pilot's figures."""
    browser.get(server + "/take")
    screenshot(browser, "take")
    by_id(browser, "council-workbook").send_keys(str(example_workbook))
    by_id(browser, "council-submit").click()
    pack = downloaded(downloads, "kommunestyrepakke-*.zip")
    with zipfile.ZipFile(pack) as archive:
        names = sorted(archive.namelist())
        archive.extractall(tmp_path)
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 3 and len(names) == 9
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        if REQUIRED:
            pytest.fail("BYGDEVEKST_REQUIRE_OFFICE=1 but poppler-utils is missing")
        pytest.skip("poppler-utils missing")
    for name, municipality in zip(pdfs, ("hammerfest", "hasvik", "masoy"), strict=True):
        assert municipality in name
        info = subprocess.run(
            ["pdfinfo", str(tmp_path / name)], capture_output=True, text=True, check=True
        ).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info)[1]) >= 1
        text = subprocess.run(
            ["pdftotext", str(tmp_path / name), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Hjerteregionen" in text


@pytest.mark.parametrize("case", ["xls", "bomb", "huge"])
def test_a_hostile_upload_is_answered_with_one_line_in_the_page(
    server, browser, example_workbook, tmp_path, case
):
    """An .xls, a zip bomb and a 200 MB file are each answered on the page with one line
    saying what it is, and the page still works."""
    path = tmp_path / ("gammel.xls" if case == "xls" else f"{case}.xlsx")
    if case == "xls":
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
        path.write_bytes(ole + "Workbook".encode("utf-16-le") + b"\0" * 512)
        expected = "gammel.xls: gammel .xls-fil (Excel 97–2003), ikke .xlsx"
    elif case == "bomb":
        with (
            zipfile.ZipFile(example_workbook) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb,
        ):
            for item in source.infolist():
                if item.filename != "xl/worksheets/sheet1.xml":
                    bomb.writestr(item, source.read(item), zipfile.ZIP_DEFLATED)
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                for _ in range(300):  # 300 MB of blanks that deflate to a few hundred KB
                    part.write(b" " * (1 << 20))
        expected = "(mulig zip-bombe)"
    else:
        with path.open("wb") as handle:
            handle.truncate(200 << 20)
        expected = "Filen er for stor: siden tar imot høyst 64 MB"
    browser.get(server + "/check")
    by_id(browser, "workbook").send_keys(str(path))
    by_id(browser, "check-submit").click()
    message = wait_for(lambda: all_of(browser, "#message"), timeout=60)[0]
    lines = [p.text for p in message.find_elements("tag name", "p")]
    assert len(lines) == 1 and expected in lines[0], lines
    assert case == "huge" or lines[0].startswith(f"feil: {path.name}: ")
    assert not all_of(browser, "#report")
    screenshot(browser, f"refused-{case}")
