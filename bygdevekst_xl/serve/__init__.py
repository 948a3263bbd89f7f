"""``bygdevekst-xl serve``: a local page for people who never open a terminal.

Start a pilot with a form (no YAML), drop a workbook to check it and see its findings on the
sheets, and take away the council pack, the spec, the diff and a regenerated workbook. Every
action calls the same library functions the commands call (``actions``). Starlette and uvicorn
are the optional extra ``serve``; without them the command says in one line what to install.
"""

from __future__ import annotations

import importlib.util

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
NEEDED = ("starlette", "uvicorn", "jinja2", "python_multipart")


def missing() -> list[str]:
    """The modules ``serve`` needs that are not installed."""
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def local(host: str) -> bool:
    """True when ``host`` is reachable from this machine only."""
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def url(host: str, port: int) -> str:
    """The page's address, as a browser opens it."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"
