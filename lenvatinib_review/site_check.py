"""Serve the built site on 127.0.0.1 and drive Debian's Chromium over it.

Shared by the browser tests and the measuring tools (``tools/``), so that both load pages the
same way a reader's browser does. Playwright only drives the browser; it
never downloads one.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# `make test` passes its CHROMIUM= (default: Debian's package).
CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class GzipHandler(QuietHandler):
    """Serves text files gzip-compressed (level 6) to clients that accept it, as a static host does."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and content_type.startswith(COMPRESSED_TYPES)):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(directory: Path, compress: bool = False) -> Iterator[str]:
    """Serve a directory on an unused loopback port (gzip-compressed with ``compress``); yields the base URL."""
    handler = GzipHandler if compress else QuietHandler
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def launch_chromium(playwright):
    if not CHROMIUM.is_file():
        raise FileNotFoundError(f"{CHROMIUM} is missing: install Chromium and pass CHROMIUM=/path/to/chromium")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def page_weight(browser, url: str) -> tuple[int, int]:
    """Bytes a browser fetches for a page and everything it loads: (uncompressed, gzip level 6)."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    bodies = [response.body() for response in responses if response.ok]
    context.close()
    return sum(map(len, bodies)), sum(len(gzip.compress(body, 6)) for body in bodies)
