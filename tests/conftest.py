"""Fixtures shared by the book, browser and print tests.

The book is built once per test run (strictly: -W -n --keep-going) into
``_build`` (or $TIGHTROPE_BUILD), served on localhost, and visited with the
system's headless Chromium, every request outside localhost blocked.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

# The sample submissions are data for test_grade.py: never collect them, not even
# under --nbval (the endless one would hang, the malformed one would error).
collect_ignore = ["submissions"]

ROOT = Path(__file__).resolve().parent.parent
# What a MyST Markdown notebook page starts with (for the small books tests build).
FRONT_MATTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium phones home at start-up.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build_book(source: Path, *, output: Path | None = None, config: Path | None = None,
               pythonpath: Path | None = None) -> tuple[int, str]:
    """Build strictly, as `make book` does; returns the exit code and the log.

    ``config`` replaces _config.yml (as for the edition without solutions);
    ``pythonpath`` puts a copy's own ``tightrope`` package ahead of the installed one.
    """
    command = [str(BIN / "jupyter-book"), "build", "-W", "-n", "--keep-going"]
    if output is not None:
        command += ["--path-output", str(output)]
    if config is not None:
        command += ["--config", str(config)]
    env = {**os.environ}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    result = subprocess.run(command + [str(source)], capture_output=True, text=True, env=env)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="session")
def book() -> Path:
    """The built HTML book (built here unless TIGHTROPE_BOOK names a built html folder)."""
    if os.environ.get("TIGHTROPE_BOOK"):
        return Path(os.environ["TIGHTROPE_BOOK"])
    output = Path(os.environ.get("TIGHTROPE_BUILD", ROOT))
    code, log = build_book(ROOT, output=output)
    assert code == 0, f"the strict build failed:\n{log[-6000:]}"
    return output / "_build" / "html"


def pages(html: Path) -> list[Path]:
    """Every page of the built book (not Sphinx's redirect or index stubs)."""
    skip = {"genindex.html", "index.html"}
    return sorted(p for p in html.rglob("*.html")
                  if p.name not in skip and "_static" not in p.parts and "_sources" not in p.parts)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(book: Path):
    """Serve the built book on a free localhost port; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@dataclass
class Visit:
    """What the browser saw while showing one page."""
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    local_bytes: int = 0


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run tools/ensure-chromium.sh (make test does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """open_page(url) -> (page, visit): a fresh tab that blocks and records remote requests."""
    contexts = []

    def _open(url: str, **context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        visit = Visit()

        def route(route):
            host = urlparse(route.request.url).hostname
            if host in {"127.0.0.1", "localhost"} or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                visit.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
        page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
        page.goto(url, wait_until="networkidle")
        return page, visit

    yield _open
    for context in contexts:
        context.close()


# --- Helpers for the interaction, accessibility, print and escaping tests -----
# The tests wait for charts and block remote requests the way tools/print_pdf.py
# does, so both share its code.

sys.path.insert(0, str(ROOT / "tools"))
from print_pdf import block_remote, reading_order, wait_for_charts  # noqa: E402,F401


def url_of(site: str, book: Path, html: Path) -> str:
    """The served URL of a built page."""
    return f"{site}/{html.relative_to(book).as_posix()}"


def pages_matching(book: Path, pattern: str) -> list[Path]:
    """Built pages whose HTML matches a regular expression, in reading order
    (a cheap filter before a browser visit)."""
    import re
    regex = re.compile(pattern)
    order = {name: i for i, name in enumerate(reading_order(book))}
    found = [p for p in pages(book) if regex.search(p.read_text(encoding="utf-8"))]
    return sorted(found, key=lambda p: order.get(p.relative_to(book).as_posix(), len(order)))


def show(page, url: str) -> int:
    """Open ``url`` in ``page`` and wait until its charts have drawn; returns how many there are."""
    page.goto(url, wait_until="load")
    return wait_for_charts(page)


@pytest.fixture(scope="module")
def reader(browser):
    """One browser tab shared by a test module, every request outside localhost
    blocked (test_browser.py reports such requests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    block_remote(context)
    yield context.new_page()
    context.close()
