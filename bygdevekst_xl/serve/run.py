"""Run the page: bind the socket ourselves (a port in use is one line), serve it with
uvicorn, and open the browser when asked."""

from __future__ import annotations

import contextlib
import socket
import threading
import webbrowser

from ..files import OutputError
from . import url


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (port 0: any free one); ``OutputError`` naming
    the address when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise OutputError(f"{host}:{port}: cannot listen: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def run(sock: socket.socket, *, open_browser: bool = False) -> None:
    """Serve the page on ``sock`` until Ctrl-C (which ends it quietly; SIGTERM ends it as it
    ends every command); open it in the browser first when asked."""
    import uvicorn

    from . import local
    from .app import LOCAL_HOSTS, build_app

    host, port = sock.getsockname()[:2]
    hosts = LOCAL_HOSTS if local(host) else ("*",)  # --host: whoever reaches it, by any name
    config = uvicorn.Config(build_app(hosts), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, [url(host, port)]).start()
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it stopped on
        server.run(sockets=[sock])
