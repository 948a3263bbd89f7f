"""The page's routes: a Starlette application over ``actions``.

Every route that takes files streams them into a private temporary folder (``uploads``) that
is gone when the response is sent; every library call runs in the thread pool, so a slow
council pack does not hold up another request. A refused upload or file is answered on the
page it came from with the library's one line.
"""

from __future__ import annotations

import functools
import json
import urllib.parse
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import BygdevekstError
from ..messages import Lang, kroner, say
from . import actions
from .grid import anchor, grids, sheet_index
from .pilot import excluded, form_state, locked
from .uploads import MAX_FIELD_BYTES, Received, UploadRefused, received
from .words import LANG_COOKIE, chosen_lang, word, words

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {".xlsx": XLSX, ".yaml": "application/yaml", ".zip": "application/zip"}


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bygdevekst_xl.serve", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["kroner"] = lambda value, lang: "—" if value is None else kroner(value, lang)
    env.globals["anchor"] = anchor
    return env


ENV = _environment()


def lang_of(request: Request) -> Lang:
    """The request's language: ``?lang=``, the switch's cookie, the browser's language."""
    return chosen_lang(
        request.query_params, request.cookies, request.headers.get("accept-language", "")
    )


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the request's language; ``?lang=`` is remembered in a cookie."""
    lang = lang_of(request)
    other = "en" if lang == "nb" else "nb"
    html = ENV.get_template(template).render(
        lang=lang,
        w=words(lang),
        path=request.url.path,
        switch=f"{request.url.path}?lang={other}",
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in ("nb", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True)
    return response


def download(outcome: actions.Outcome) -> Response:
    """A file the person asked for, as an attachment (the name in UTF-8, RFC 6266)."""
    quoted = urllib.parse.quote(outcome.name)
    ascii_name = outcome.name.encode("ascii", "replace").decode().replace("?", "_")
    return Response(
        outcome.data,
        media_type=TYPES.get(Path(outcome.name).suffix, "application/octet-stream"),
        headers={
            "Content-Disposition": f'attachment; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quoted}"
        },
    )


def hidden(lines: list[str], got: Received) -> list[str]:
    """Lines naming files by the names the person's files had, not our temporary folder."""
    folder = str(got.folder)
    out = []
    for line in lines:
        for upload in got.files.values():
            line = line.replace(str(upload.path), upload.name or upload.path.name)
        out.append(line.replace(folder + "/", ""))
    return out


def refusal(request: Request, template: str, refused: UploadRefused, **context: Any) -> Response:
    """A refused upload: its one line on the page it came from."""
    lang = lang_of(request)
    status = 413 if refused.key == "upload-too-large" else 400
    line = say(refused.key, lang, **refused.params)
    return page(request, template, status, lines=[line], ok=False, **context)


# --------------------------------------------------------------------------- pages


async def home(request: Request) -> Response:
    return page(request, "home.html")


async def pilot_page(request: Request) -> Response:
    state = form_state(await run_in_threadpool(actions.example_spec))
    return page(request, "pilot.html", state=state)


async def pilot_load(request: Request) -> Response:
    """A spec a person uploads, loaded into the form."""
    lang = lang_of(request)
    example = await run_in_threadpool(actions.example_spec)
    try:
        async with received(request) as got:
            spec = got.file("spec")
            if spec is None:
                raise UploadRefused("upload-missing")
            try:
                data = await run_in_threadpool(actions.spec_of_yaml, spec.path)
            except BygdevekstError as exc:
                lines = hidden(actions.refused(exc, lang).lines, got)
                state = form_state(example)
                return page(request, "pilot.html", 400, state=state, lines=lines, ok=False)
    except UploadRefused as exc:
        state = form_state(example)
        return refusal(request, "pilot.html", exc, state=state)
    return page(request, "pilot.html", state=form_state(data))


async def preview(request: Request) -> Response:
    """The form's spec as ``generate`` judges it, for the live totals and rules."""
    lang = lang_of(request)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FIELD_BYTES:
            return JSONResponse(
                {
                    "ok": False,
                    "problems": [say("upload-too-large", lang, limit=MAX_FIELD_BYTES >> 20)],
                },
                413,
            )
    try:
        data = json.loads(body)
    except ValueError:
        return JSONResponse({"ok": False, "problems": [say("upload-damaged", lang)]}, 400)
    result = await run_in_threadpool(actions.preview, locked(data), lang)
    result["excluded"] = excluded(data)
    result["shown"] = {key: kroner(value, lang) for key, value in result.get("totals", {}).items()}
    return JSONResponse(result)


async def _spec_download(request: Request, workbook: bool) -> Response:
    """The form's spec (posted as JSON text) as a workbook made by ``generate``, or as YAML."""
    lang = lang_of(request)
    example = await run_in_threadpool(actions.example_spec)
    try:
        async with received(request) as got:
            try:
                data = locked(json.loads(got.fields.get("spec", "")))
            except ValueError:
                raise UploadRefused("upload-damaged") from None
            source = word("form-source", lang)
            if workbook:
                make = functools.partial(actions.generate_workbook, folder=got.folder)
                outcome = await run_in_threadpool(make, data, source, lang=lang)
            else:
                outcome = await run_in_threadpool(actions.spec_download, data, source, lang)
            outcome.lines = hidden(outcome.lines, got)
    except UploadRefused as exc:
        state = form_state(example)
        return refusal(request, "pilot.html", exc, state=state)
    if not outcome.ok:
        state = form_state(data)
        return page(request, "pilot.html", 400, state=state, lines=outcome.lines, ok=False)
    return download(outcome)


async def pilot_workbook(request: Request) -> Response:
    return await _spec_download(request, workbook=True)


async def pilot_spec(request: Request) -> Response:
    return await _spec_download(request, workbook=False)


async def check_page(request: Request) -> Response:
    return page(request, "check.html")


async def check(request: Request) -> Response:
    """Check a dropped workbook: verdict, totals, findings by cause, the sheets as grids."""
    lang = lang_of(request)
    try:
        async with received(request) as got:
            workbook = got.file("workbook")
            if workbook is None:
                raise UploadRefused("upload-missing")
            spec = got.file("spec")
            result = await run_in_threadpool(
                actions.check, workbook.path, spec.path if spec else None, lang
            )
            if isinstance(result, actions.Outcome):
                lines = hidden(result.lines, got)
                return page(request, "check.html", 422, lines=lines, ok=False)
            report = result.report
            report["file"] = workbook.name
            for finding in report["findings"]:
                finding["message"] = hidden([finding["message"]], got)[0]
            pictures = await run_in_threadpool(
                grids, result.sheets, result.values, report["findings"], lang
            )
            shown = sheet_index(result.sheets[: len(pictures)])  # the sheets a finding links to
            count = len(result.sheets)
    except UploadRefused as exc:
        return refusal(request, "check.html", exc)
    return page(
        request, "check.html", report=report, grids=pictures, index=shown, sheet_count=count
    )


async def take_page(request: Request) -> Response:
    return page(request, "take.html")


async def council(request: Request) -> Response:
    lang = lang_of(request)
    try:
        async with received(request) as got:
            workbook = _needed(got, "workbook")
            spec = got.file("spec")
            outcome = await run_in_threadpool(
                actions.council,
                workbook.path,
                spec.path if spec else None,
                got.fields.get("municipality", ""),
                got.fields.get("draft") == "on",
                lang,
            )
            return _taken(request, outcome, got, "council")
    except UploadRefused as exc:
        return refusal(request, "take.html", exc, section="council")


async def extract(request: Request) -> Response:
    lang = lang_of(request)
    try:
        async with received(request) as got:
            workbook = _needed(got, "workbook")
            outcome = await run_in_threadpool(actions.extract, workbook.path, lang)
            return _taken(request, outcome, got, "extract")
    except UploadRefused as exc:
        return refusal(request, "take.html", exc, section="extract")


async def diff(request: Request) -> Response:
    lang = lang_of(request)
    try:
        async with received(request) as got:
            old, new = _needed(got, "old"), _needed(got, "new")
            outcome = await run_in_threadpool(actions.diff, old.path, new.path, lang)
            lines = hidden(outcome.lines, got)
    except UploadRefused as exc:
        return refusal(request, "take.html", exc, section="diff")
    if not outcome.ok:
        return page(request, "take.html", 422, lines=lines, ok=False, section="diff")
    return page(request, "take.html", report_lines=lines, section="diff")


async def regenerate(request: Request) -> Response:
    lang = lang_of(request)
    try:
        async with received(request) as got:
            workbook = _needed(got, "workbook")
            spec = got.file("spec")
            orphans = got.fields.get("orphans", "refuse")
            prefer = got.fields.get("prefer") or None
            if orphans not in ("refuse", "drop", "archive") or prefer not in (
                None,
                "workbook",
                "spec",
            ):
                raise UploadRefused("upload-damaged")
            outcome = await run_in_threadpool(
                actions.regenerate,
                workbook.path,
                spec.path if spec else None,
                got.folder,
                orphans,
                prefer,
                lang,
            )
            return _taken(request, outcome, got, "regenerate")
    except UploadRefused as exc:
        return refusal(request, "take.html", exc, section="regenerate")


def _needed(got: Received, name: str) -> Any:
    upload = got.file(name)
    if upload is None:
        raise UploadRefused("upload-missing")
    return upload


def _taken(request: Request, outcome: actions.Outcome, got: Received, section: str) -> Response:
    """The file to take away, or the lines that say why not, on the take-away page."""
    outcome.lines = hidden(outcome.lines, got)
    if not outcome.ok:
        return page(request, "take.html", 422, lines=outcome.lines, ok=False, section=section)
    return download(outcome)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def build_app(hosts: tuple[str, ...] = LOCAL_HOSTS) -> Starlette:
    """The page as an ASGI application, answering requests addressed to ``hosts`` only (the
    ``Host`` header: a web page elsewhere cannot reach it by pointing its own name at this
    machine); ``("*",)`` for any."""
    return Starlette(
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
        routes=[
            Route("/", home),
            Route("/pilot", pilot_page),
            Route("/pilot/load", pilot_load, methods=["POST"]),
            Route("/pilot/preview", preview, methods=["POST"]),
            Route("/pilot/workbook", pilot_workbook, methods=["POST"]),
            Route("/pilot/spec", pilot_spec, methods=["POST"]),
            Route("/check", check_page),
            Route("/check", check, methods=["POST"]),
            Route("/take", take_page),
            Route("/take/council", council, methods=["POST"]),
            Route("/take/extract", extract, methods=["POST"]),
            Route("/take/diff", diff, methods=["POST"]),
            Route("/take/regenerate", regenerate, methods=["POST"]),
            Mount(
                "/static",
                app=StaticFiles(packages=[("bygdevekst_xl.serve", "static")]),
                name="static",
            ),
        ],
    )


__all__ = ["build_app", "word"]
