"""The page's routes through Starlette's TestClient: what each shows, what it hands out (the
same bytes and words as the commands), and what it refuses, in one line."""

from __future__ import annotations

import asyncio
import io
import json
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from bygdevekst_xl.cli import main
from bygdevekst_xl.serve import actions, uploads
from bygdevekst_xl.serve.uploads import safe_name
from bygdevekst_xl.serve.words import chosen_lang
from tests.damage import with_openpyxl

pytest.importorskip("starlette")
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def client() -> Any:
    from starlette.testclient import TestClient

    from bygdevekst_xl.serve.app import build_app

    with TestClient(build_app(), base_url="http://127.0.0.1:8765") as test_client:
        yield test_client


@pytest.fixture
def spec() -> dict[str, Any]:
    """The built-in spec as the form starts from it."""
    return actions.example_spec()


@pytest.fixture(scope="module")
def damaged(example_workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with the project leader's 2024 salary 2 000 000 kr higher: project 1 does
    not balance in 2024 (its balance cell C50)."""

    def edit(book: Any) -> None:
        book["1 Prosjektledelse"]["C7"] = 3_050_000

    return with_openpyxl(example_workbook, tmp_path_factory.mktemp("damaged") / "skadet.xlsx", edit)


def message_lines(html: str) -> list[str]:
    """The lines of the page's message box."""
    box = re.search(r'<section class="message[^"]*" id="message".*?</section>', html, re.S)
    assert box, "no message on the page"
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", box[0], re.S)]


def upload(path: Path, field: str = "workbook", name: str | None = None) -> dict[str, Any]:
    return {field: (name or path.name, path.read_bytes())}


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- language


def test_pages_speak_bokmal_unless_the_browser_or_the_switch_asks_for_english(client):
    """Every page is in bokmål by default, in English for an English browser, and the switch
    is remembered for the next page."""
    for path in ("/", "/pilot", "/check", "/take"):
        page = client.get(path)
        assert page.status_code == 200
        assert 'lang="nb"' in page.text and "Ny pilot" in page.text
    english = client.get("/check", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Check a workbook" in english.text
    norwegian = client.get("/check", headers={"Accept-Language": "nb-NO,en;q=0.5"})
    assert "Kontroller en arbeidsbok" in norwegian.text
    switched = client.get("/take?lang=en")
    assert "The council pack" in switched.text
    assert "Take away" in client.get("/take").text  # the cookie the switch set
    client.get("/?lang=nb")
    assert "Ta med" in client.get("/take").text


def test_a_request_by_another_name_than_this_machine_is_refused():
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) gets nothing:
    only requests addressed to this machine are answered."""
    from starlette.testclient import TestClient

    from bygdevekst_xl.serve.app import build_app

    with TestClient(build_app(), base_url="http://evil.example:8765") as other:
        assert other.get("/").status_code == 400
        assert other.post("/pilot/preview", json={}).status_code == 400
    with TestClient(build_app(), base_url="http://localhost:8765") as local:
        assert local.get("/").status_code == 200


def test_the_language_follows_query_then_cookie_then_the_browsers_order():
    """``?lang`` beats the cookie, the cookie beats Accept-Language, English only when it
    ranks above Norwegian, bokmål otherwise."""
    assert chosen_lang({"lang": "en"}, {"lang": "nb"}, "nb") == "en"
    assert chosen_lang({}, {"lang": "en"}, "nb") == "en"
    assert chosen_lang({}, {}, "en-US,en;q=0.9,nb;q=0.8") == "en"
    assert chosen_lang({}, {}, "nb;q=0.9,en;q=0.5") == "nb"
    assert chosen_lang({}, {}, "en;q=0.4,no;q=0.8") == "nb"
    assert chosen_lang({}, {}, "de-DE") == "nb"
    assert chosen_lang({}, {}, "") == "nb"


# --------------------------------------------------------------------------- the pilot form


def test_the_form_starts_from_the_example_with_the_excluded_uses_marked(client):
    """The pilot page embeds the example spec for the form's script, the four excluded uses
    marked, and the script and style come from the package."""
    page = client.get("/pilot").text
    state = json.loads(
        re.search(r'<script type="application/json" id="state">(.*?)</script>', page, re.S)[1]
    )
    assert state["spec"]["pilot"]["name"] == "Hjerteregionen"
    assert [bool(x) for x in state["excluded"]] == [False] * 6 + [True] * 4
    assert client.get("/static/pilot.js").status_code == 200
    assert "http" not in client.get("/static/style.css").text  # nothing from elsewhere


def test_the_preview_states_generates_totals_and_broken_rules(client, spec, tmp_path, capsys):
    """The live totals are generate's summary line, and the broken rules are the lines
    ``generate`` prints for the same spec, word for word."""
    spec["projects"][0]["financing"]["kdd"][0] = 3_000_000
    result = client.post("/pilot/preview", json=spec).json()
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    code, out, err = cli(
        capsys, "generate", str(tmp_path / "s.yaml"), "-o", str(tmp_path / "s.xlsx")
    )
    assert code == 0
    assert result["ok"] and result["summary"] == out.splitlines()[1]
    assert result["broken"] == err.splitlines()[:-1] and len(result["broken"]) == 4
    assert result["shown"]["kdd"] == "4\u00a0930\u00a0000\u00a0kr"
    assert result["totals"]["kdd_headroom"] == -930_000


def test_the_preview_names_the_spec_path_of_a_value_that_is_no_number(client, spec):
    """A typed amount that is no number is kept as typed and named by its spec path."""
    spec["projects"][1]["costs"][0]["amounts"][1] = "12a"
    result = client.post("/pilot/preview", json=spec).json()
    assert not result["ok"]
    assert result["problems"] == [
        "projects[1].costs[0].amounts[1]: må være et heltall, ikke teksten '12a'"
    ]


def test_the_preview_refuses_a_body_larger_than_a_form_sends(client):
    """The live preview reads at most 2 MB of JSON, then answers with the one line."""
    got = client.post("/pilot/preview", content=b"[" + b"0," * (2 << 20) + b"0]")
    assert got.status_code == 413
    assert got.json()["problems"] == ["Filen er for stor: siden tar imot høyst 2 MB"]


def test_an_excluded_use_is_never_kdd_eligible_from_the_form(client, spec):
    """A category that is one of the scheme's excluded uses is locked not KDD-eligible,
    whatever the form posts: the preview and the downloaded spec say so."""
    spec["categories"][0]["name"] = "Ordinær drift av kontoret"
    spec["categories"][0]["kdd_eligible"] = True
    result = client.post("/pilot/preview", json=spec).json()
    assert result["excluded"][0] == "ordinære driftskostnader"
    assert any("kdd-over-eligible" in line for line in result["broken"])
    got = client.post("/pilot/spec", files={"spec": (None, json.dumps(spec))})
    assert yaml.safe_load(got.content)["categories"][0]["kdd_eligible"] is False


def test_the_workbook_download_is_what_generate_makes_of_the_spec_download(
    client, spec, tmp_path, capsys
):
    """The workbook and the spec the form hands out: ``generate`` of that spec gives the same
    bytes, and ``check`` finds it clean."""
    spec["pilot"]["name"] = "Fjord og fjell"
    form = {"spec": (None, json.dumps(spec))}
    workbook = client.post("/pilot/workbook", files=form)
    assert workbook.status_code == 200 and workbook.headers["content-type"] == XLSX
    assert 'filename="fjord-og-fjell.xlsx"' in workbook.headers["content-disposition"]
    got_spec = client.post("/pilot/spec", files=form)
    assert 'filename="fjord-og-fjell.yaml"' in got_spec.headers["content-disposition"]
    (tmp_path / "s.yaml").write_bytes(got_spec.content)
    (tmp_path / "w.xlsx").write_bytes(workbook.content)
    assert cli(capsys, "generate", str(tmp_path / "s.yaml"), "-o", str(tmp_path / "c.xlsx"))[0] == 0
    assert (tmp_path / "c.xlsx").read_bytes() == workbook.content
    assert cli(capsys, "check", str(tmp_path / "w.xlsx"))[0] == 0


def test_an_invalid_form_spec_gives_no_file_but_the_specs_own_lines(client, spec):
    """A spec the form cannot make a workbook of is answered with the spec's problems, each
    naming its path, and no file."""
    spec["pilot"]["years"] = [2024]
    got = client.post("/pilot/workbook", files={"spec": (None, json.dumps(spec))})
    assert got.status_code == 400 and "attachment" not in got.headers.get("content-disposition", "")
    assert message_lines(got.text) == [
        "feil: skjemaet: pilot.years: må ha nøyaktig 2 verdier (én per prosjektår), ikke 1"
    ]


def test_a_spec_upload_fills_the_form_and_a_bad_one_is_one_line(client, spec, tmp_path):
    """Uploading a spec continues from it; a spec with a bad value is refused with the
    spec's line naming the file by its own name, never our temporary folder."""
    spec["pilot"]["name"] = "Kystpiloten"
    path = tmp_path / "min-pilot.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    page = client.post("/pilot/load", files=upload(path, "spec"))
    assert page.status_code == 200 and '"name": "Kystpiloten"' in page.text
    spec["pilot"]["kdd_cap"] = "fire millioner"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    bad = client.post("/pilot/load", files=upload(path, "spec"))
    assert bad.status_code == 400
    assert message_lines(bad.text) == [
        "feil: min-pilot.yaml: pilot.kdd_cap: må være et heltall, ikke teksten "
        "&#39;fire millioner&#39;"
    ]
    assert "bygdevekst-serve-" not in bad.text


# --------------------------------------------------------------------------- check


def test_a_clean_workbook_checks_ok_with_its_totals(client, example_workbook):
    """The generated example: OK, the recomputed totals, no findings, every sheet a grid."""
    page = client.post("/check", files=upload(example_workbook)).text
    assert "Resultat: OK: ingen feil" in page
    assert (
        "7\u00a0296\u00a0000\u00a0kr" in page
        and "3\u00a0110\u00a0000\u00a0kr / 4\u00a0000\u00a0000\u00a0kr" in page
    )
    assert "Ingen funn." in page
    assert page.count('<details class="sheet"') == 8


def test_a_damaged_workbook_shows_its_finding_and_marks_its_cell(client, damaged):
    """The finding is listed with the check's own words and links to its cell, which the
    sheet's grid marks as an error showing the evaluated value."""
    page = client.post("/check", files=upload(damaged)).text
    assert "Resultat: FEIL" in page
    assert (
        "Prosjektledelse 2024: finansiering og kostnader er ikke like "
        "(balanse \u22122\u00a0000\u00a0000\u00a0kr)" in page
    )
    link = re.search(r'<a class="finding" href="#(cell-(\d+)-C50)">', page)
    assert link
    cell = re.search(rf'<td id="{link[1]}" class="([^"]*)"[^>]*>([^<]*)</td>', page)
    assert cell and "error" in cell[1].split() and cell[2] == "\u22122\u00a0000\u00a0000"
    assert page.count('class="error') == 1 + page.count('<li class="error">')


def test_a_spec_for_another_pilot_is_the_checks_other_pilot_finding(
    client, example_workbook, spec, tmp_path
):
    """A spec uploaded beside the workbook gives the check its facts, as ``--spec`` does: a
    spec of another pilot is the ``other-pilot`` error, not on any cell."""
    spec["pilot"]["name"] = "Annen pilot"
    path = tmp_path / "annen.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    files = [
        ("workbook", ("hjerteregionen.xlsx", example_workbook.read_bytes())),
        ("spec", ("annen.yaml", path.read_bytes())),
    ]
    page = client.post("/check", files=files).text
    assert "Resultat: FEIL" in page and "<code>other-pilot</code>" in page
    assert '<span class="finding">' in page  # no cell to link to


def test_a_large_sheet_is_shown_cut_and_says_so(monkeypatch):
    """A sheet larger than the grid shows its first rows and columns and says which."""
    from bygdevekst_xl.serve import grid
    from bygdevekst_xl.xlsx import SheetContent

    monkeypatch.setattr(grid, "MAX_ROWS", 3)
    values = {"A1": "x", "B3": 1234567.0, "C10": 5.0, "Z2": 1.5}
    sheet = SheetContent("Ark", "visible", values=values)
    found = [{"sheet": "Ark", "cell": "B2", "severity": "warning", "code": "c", "message": "m"}]
    (shown,) = grid.grids([sheet], {}, found, "nb")
    assert shown.cut == (3, grid.MAX_COLS) and len(shown.rows) == 3
    assert shown.rows[1][1][1].severity == "warning" and shown.rows[1][1][1].messages == ["c: m"]
    assert shown.rows[0][1][0].text == "x"
    assert shown.rows[2][1][1].text == "1\u00a0234\u00a0567" and shown.rows[2][1][1].numeric


@pytest.mark.parametrize("case", ["xls", "bomb", "empty", "csv"])
def test_a_hostile_or_foreign_file_is_the_commands_one_line(
    client, example_workbook, tmp_path, capsys, case
):
    """An .xls, a zip bomb, an empty file and a CSV are each one line on the page: the line
    ``check`` prints, naming the file as the person named it."""
    path = tmp_path / {"xls": "gammel.xls", "csv": "tall.csv"}.get(case, f"{case}.xlsx")
    if case == "xls":
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
        path.write_bytes(ole + "Workbook".encode("utf-16-le") + b"\0" * 512)
    elif case == "bomb":
        with (
            zipfile.ZipFile(example_workbook) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb,
        ):
            for name in source.namelist():
                if name != "xl/worksheets/sheet1.xml":
                    bomb.writestr(name, source.read(name))
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                for _ in range(300):
                    part.write(b" " * (1 << 20))
    elif case == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("prosjekt;beløp\nBolig;100\n", "utf-8")
    page = client.post("/check", files=upload(path))
    assert page.status_code == 422
    code, _, err = cli(capsys, "check", str(path))
    assert code == 2
    assert message_lines(page.text) == [err.strip().replace(str(tmp_path) + "/", "")]


def test_an_upload_over_the_limit_is_one_line_whether_declared_or_streamed(
    client, example_workbook, monkeypatch
):
    """A body larger than the page takes is refused with one bokmål line (413), when its
    declared length says so and when it only shows while streaming."""
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1 << 20)
    big = {"workbook": ("stor.xlsx", b"\0" * (3 << 20))}
    page = client.post("/check", files=big)
    assert page.status_code == 413
    assert message_lines(page.text) == ["Filen er for stor: siden tar imot høyst 1 MB"]

    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="workbook"; filename="s.xlsx"\r\n\r\n'
        for _ in range(3):
            yield b"\0" * (1 << 20)
        yield b"\r\n--b--\r\n"

    streamed = client.post(
        "/check?lang=en",
        content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert streamed.status_code == 413
    assert message_lines(streamed.text) == ["The file is too large: the page takes at most 1 MB"]
    client.cookies.clear()  # ?lang=en set the switch's cookie


def test_uploads_that_are_not_a_page_form_are_refused(client, example_workbook):
    """No file chosen, a body that is not multipart and more files than a page sends are
    each one line."""
    none = client.post("/check", files={"workbook": ("", b"")})
    assert message_lines(none.text) == ["Velg en fil først"]
    raw = client.post("/check", content=b"PK", headers={"Content-Type": "application/zip"})
    assert message_lines(raw.text) == ["Opplastingen kunne ikke leses; velg filen på nytt"]
    data = example_workbook.read_bytes()
    three = [("workbook", ("a.xlsx", data)), ("spec", ("b.yaml", b"")), ("x", ("c", b""))]
    assert message_lines(client.post("/check", files=three).text) == [
        "For mange filer i én opplasting"
    ]


def test_each_requests_folder_is_private_and_removed_afterwards(
    client, example_workbook, monkeypatch
):
    """Uploads go to a folder only we can read, gone when the answer is sent: after a check,
    a refused file and a refused size alike."""
    import tempfile

    made: list[Path] = []
    real = tempfile.mkdtemp

    def mkdtemp(*args: Any, **kwargs: Any) -> str:
        folder = real(*args, **kwargs)
        assert Path(folder).stat().st_mode & 0o077 == 0
        made.append(Path(folder))
        return folder

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    client.post("/check", files=upload(example_workbook))
    client.post("/check", files={"workbook": ("x.xls", b"\xd0\xcf\x11\xe0")})
    client.post("/take/extract", files=upload(example_workbook))
    assert len(made) == 3
    assert not any(folder.exists() for folder in made)


def test_file_names_are_kept_but_made_safe():
    """A person's file name is kept for messages and downloads, without folders, control
    characters or a leading dot."""
    assert safe_name("C:\\Users\\kari\\Budsjett 2024.xlsx") == "Budsjett 2024.xlsx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name(".skjult\x00.xlsx") == "skjult.xlsx"
    assert safe_name("") == "fil"
    long = safe_name("a" * 300 + ".xlsx")
    assert len(long) == 100 and long.endswith(".xlsx")


# --------------------------------------------------------------------------- take away


def test_the_council_pack_is_the_commands_documents_in_one_zip(
    client, example_workbook, tmp_path, capsys
):
    """The zip holds the PDF, text and Word decision of each municipality, the same names
    the command writes; the decisions' text is the command's."""
    got = client.post("/take/council", files=upload(example_workbook))
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(got.content))
    assert cli(capsys, "council", str(example_workbook), "-o", str(tmp_path))[0] == 0
    assert sorted(archive.namelist()) == sorted(p.name for p in tmp_path.iterdir())
    for name in archive.namelist():
        if name.endswith(".txt"):
            assert archive.read(name) == (tmp_path / name).read_bytes()
        if name.endswith(".pdf"):
            assert archive.read(name).startswith(b"%PDF-")


def test_the_council_pack_of_a_workbook_with_errors_is_refused_unless_a_draft(client, damaged):
    """Errors: no pack, the check's errors listed as the command lists them; as a draft, the
    pack, marked UTKAST."""
    refused = client.post("/take/council", files=upload(damaged))
    assert refused.status_code == 422
    lines = message_lines(refused.text)
    assert lines[0].startswith("feil: skadet.xlsx: ")
    assert any("1 Prosjektledelse!C50" in line for line in lines[1:])
    draft = client.post("/take/council", files=upload(damaged), data={"draft": "on"})
    assert draft.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(draft.content)).namelist()
    assert len(names) == 9
    text = zipfile.ZipFile(io.BytesIO(draft.content)).read("vedtak-hasvik.txt").decode()
    assert "UTKAST" in text


def test_extract_gives_the_spec_the_command_prints(client, example_workbook, capsys):
    """The extracted spec is the text ``extract`` prints for the same file."""
    got = client.post("/take/extract", files=upload(example_workbook))
    assert got.headers["content-type"].startswith("application/yaml")
    code, out, _ = cli(capsys, "extract", str(example_workbook))
    assert code == 0 and got.content.decode("utf-8") == out


def test_diff_shows_the_change_in_budget_terms(client, example_workbook, damaged, capsys):
    """The diff page shows the report ``diff`` prints, naming the files by their names."""
    files = [
        ("old", ("hjerteregionen.xlsx", example_workbook.read_bytes())),
        ("new", ("skadet.xlsx", damaged.read_bytes())),
    ]
    page = client.post("/take/diff", files=files).text
    report = re.search(r'<pre class="report" id="diff-report">(.*?)</pre>', page, re.S)[1]
    code, out, _ = cli(capsys, "diff", str(example_workbook), str(damaged))
    assert code == 1
    expected = out.strip().replace(str(example_workbook), "hjerteregionen.xlsx")
    import html

    assert html.unescape(report) == expected.replace(str(damaged), "skadet.xlsx")
    assert "3\u00a0050\u00a0000" in report
    assert 'id="message"' not in page  # the report is shown once


def test_regenerate_hands_out_the_new_workbook_and_its_report(
    client, damaged, spec, tmp_path, capsys
):
    """A new spec with another project name: the zip holds the new workbook, carrying the
    typed salary, and the report; the person's workbook is not what comes back."""
    spec["projects"][1]["name"] = "Boliger for alle"
    spec_file = tmp_path / "ny.yaml"
    spec_file.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    files = [
        ("workbook", ("skadet.xlsx", damaged.read_bytes())),
        ("spec", ("ny.yaml", spec_file.read_bytes())),
    ]
    got = client.post("/take/regenerate", files=files)
    assert got.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(got.content))
    assert sorted(archive.namelist()) == ["skadet-ny-rapport.txt", "skadet-ny.xlsx"]
    report = archive.read("skadet-ny-rapport.txt").decode()
    assert report.startswith("Skrev skadet-ny.xlsx\n") and "bygdevekst-serve-" not in report
    (tmp_path / "ny.xlsx").write_bytes(archive.read("skadet-ny.xlsx"))
    code, out, _ = cli(capsys, "extract", str(tmp_path / "ny.xlsx"))
    assert code == 0
    extracted = yaml.safe_load(out)
    assert extracted["projects"][0]["costs"][0]["amounts"][0] == 3_050_000
    assert extracted["projects"][1]["name"] == "Boliger for alle"


def test_regenerate_refused_lists_what_would_be_lost(client, example_workbook, spec, tmp_path):
    """A project removed from the spec with typed values: refused, nothing handed out, the
    command's lines say which values."""
    del spec["projects"][4]
    path = tmp_path / "ny.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")

    def edit(book: Any) -> None:
        book["5 Markedsføring"]["C7"] = 123_000

    edited = with_openpyxl(example_workbook, tmp_path / "redigert.xlsx", edit).read_bytes()
    files = [
        ("workbook", ("hjerteregionen.xlsx", edited)),
        ("spec", ("ny.yaml", path.read_bytes())),
    ]
    got = client.post("/take/regenerate", files=files)
    lines = message_lines(got.text)
    assert got.status_code == 422 and lines[0].startswith("feil: ")
    assert any("ville gått tapt: 5 Markedsføring!" in line for line in lines)


# --------------------------------------------------------------------------- concurrency


def test_a_slow_action_does_not_block_the_page(example_workbook, monkeypatch):
    """While a council pack is being made (held back here), other pages still answer: the
    library runs in the thread pool, not on the event loop."""
    import httpx

    from bygdevekst_xl.serve.app import build_app

    release = threading.Event()
    started = threading.Event()
    real = actions.council

    def slow(*args: Any) -> actions.Outcome:
        started.set()
        assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(actions, "council", slow)

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=build_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8765") as web:
            pack = asyncio.create_task(web.post("/take/council", files=upload(example_workbook)))
            while not started.is_set():
                await asyncio.sleep(0.01)
            home = await web.get("/")
            assert home.status_code == 200 and not pack.done()
            release.set()
            assert (await pack).status_code == 200

    asyncio.run(scenario())


# --------------------------------------------------------------------------- the command


def test_serve_without_its_extra_says_what_to_install(monkeypatch, capsys):
    """Without Starlette and uvicorn: one bokmål line naming the install, exit 2."""
    import bygdevekst_xl.serve as serve

    monkeypatch.setattr(serve, "missing", lambda: ["starlette"])
    code, out, err = cli(capsys, "serve")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        'feil: «serve» trenger Starlette og uvicorn: pip install "bygdevekst_xl[serve]"'
    ]


def test_serve_warns_in_one_line_off_this_machine_and_refuses_a_busy_port(monkeypatch, capsys):
    """``--host 0.0.0.0`` starts with one warning line; a port in use is one error line."""
    import socket

    from bygdevekst_xl.serve import run

    served: list[Any] = []

    def run_(sock: socket.socket, open_browser: bool) -> None:
        served.append(open_browser)
        sock.close()

    monkeypatch.setattr(run, "run", run_)
    code, out, err = cli(capsys, "serve", "--host", "0.0.0.0", "--port", "0", "--open")
    assert code == 0 and served == [True]
    assert err.splitlines() == [
        "advarsel: 0.0.0.0 er ikke bare denne maskinen: alle som når den, kan bruke siden og "
        "laste opp filer"
    ]
    assert re.fullmatch(r"Siden kjører på http://0\.0\.0\.0:\d+/ \(Ctrl-C stopper den\)\n", out)
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        code, out, err = cli(capsys, "serve", "--port", str(busy.getsockname()[1]))
    finally:
        busy.close()
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith("feil: 127.0.0.1:") and len(served) == 1
