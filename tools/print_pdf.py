"""Print the built book to one PDF, page by page in reading order.

Serves the built HTML on localhost, opens every page in the system's headless
Chromium (through Playwright), waits until its charts have drawn, prints it
with ``page.pdf()`` and merges the pages with pypdf, one bookmark per page.
Charts stay vector graphics: Vega draws SVG and Chromium prints SVG as paths
and real text. In print the charts' text descriptions and the solution
dropdowns are shown open, because paper cannot be clicked.

    .venv/bin/python tools/print_pdf.py                      # _build/html -> _build/pdf/...
    .venv/bin/python tools/print_pdf.py --html /tmp/x/_build/html --output /tmp/book.pdf

The helpers (serve, reading_order, wait_for_charts, launch_chromium) are also
used by tools/bench.py and the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import os
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
PDF_NAME = "the-tight-rope-annotated.pdf"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium phones home at start-up.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Resolves once every chart on the page has drawn marks, or returns the ids of
# the charts that have not (the caller waits on the first, reports the second).
UNDRAWN_CHARTS_JS = """() => [...document.querySelectorAll('figure.tr-chart')]
    .filter(f => !f.querySelector('svg .role-mark > *, canvas'))
    .map(f => (f.querySelector('.vega-embed, [id^=tr-chart]') || f).id || '(no id)')"""


# --- Serving ------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request; optionally cacheable."""

    cache_seconds: int | None = None

    def end_headers(self):
        # Python's server sends Last-Modified but no Cache-Control, so a browser
        # revalidates every file on every page; a real host would send this.
        if self.cache_seconds:
            self.send_header("Cache-Control", f"public, max-age={self.cache_seconds}")
        super().end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(html: Path, cache_seconds: int | None = None):
    """Serve ``html`` on a free localhost port; yields the base URL."""
    handler = type("Handler", (QuietHandler,), {"cache_seconds": cache_seconds})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- Reading order ------------------------------------------------------------

class _HeadLinks(HTMLParser):
    """Collects the redirect target (index.html) and <link rel="next"> of a page."""

    def __init__(self):
        super().__init__()
        self.next: str | None = None
        self.refresh: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "next" and self.next is None:
            self.next = attrs.get("href")
        elif tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.refresh = (attrs.get("content") or "").partition("url=")[2].strip() or None


def _links(path: Path) -> _HeadLinks:
    parser = _HeadLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def reading_order(html: Path) -> list[str]:
    """The book's pages in table-of-contents order, as paths relative to ``html``.

    Starts at the root page (where index.html redirects) and follows each
    page's <link rel="next">, which Sphinx writes in toc order.
    """
    index = html / "index.html"
    if not index.exists():
        raise FileNotFoundError(f"{index} does not exist: build the book first (make book)")
    start = _links(index).refresh
    if not start:
        raise ValueError(f"{index} does not redirect to the book's first page")
    order, current = [], start
    while current and current not in order:
        if not (html / current).exists():
            raise FileNotFoundError(f"{html / current} is linked as the next page but was not built")
        order.append(current)
        following = _links(html / current).next
        # hrefs are relative to the page; keep paths relative to the book.
        current = (urljoin("/" + current, following).lstrip("/").split("#")[0]
                   if following else None)
    return order


# --- The browser --------------------------------------------------------------

def launch_chromium(playwright):
    """The system's headless Chromium (Playwright cannot download its own here)."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: run tools/ensure-chromium.sh or set CHROMIUM")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def block_remote(context, blocked: list[str] | None = None) -> None:
    """Abort every request that leaves localhost (the book must work offline)."""
    def route(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            route.continue_()
        else:
            if blocked is not None:
                blocked.append(url)
            route.abort()
    context.route("**/*", route)


def wait_for_charts(page, timeout_ms: int = 20_000) -> int:
    """Wait until every chart on the page has drawn; returns how many there are.

    Raises AssertionError naming the charts that did not draw in time.
    """
    try:
        page.wait_for_function(f"({UNDRAWN_CHARTS_JS})().length === 0", timeout=timeout_ms)
    except Exception as error:  # Playwright's TimeoutError
        undrawn = page.evaluate(UNDRAWN_CHARTS_JS)
        raise AssertionError(f"{page.url}: charts {undrawn} did not draw within "
                             f"{timeout_ms / 1000:g} s ({type(error).__name__})") from None
    return page.locator("figure.tr-chart").count()


# Chart descriptions and solution dropdowns open; transitions off so the page is
# printed in its final state.
OPEN_FOR_PRINT_JS = """() => {
    document.querySelectorAll('details.tr-chart-description').forEach(d => d.open = true);
    document.querySelectorAll('.toggle-hidden').forEach(el => el.classList.remove('toggle-hidden'));
}"""
NO_TRANSITIONS_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def print_page(page, url: str) -> bytes:
    """One page of the book as PDF bytes, after its charts have drawn."""
    page.goto(url, wait_until="load")
    page.add_style_tag(content=NO_TRANSITIONS_CSS)
    wait_for_charts(page)
    page.evaluate(OPEN_FOR_PRINT_JS)
    return page.pdf(format="A4", print_background=True,
                    margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})


def page_title(page) -> str:
    """The page's own title, without the book title Sphinx appends."""
    return page.title().split(" \u2014 ")[0].strip() or page.url


def print_book(html: Path, output: Path) -> tuple[int, int]:
    """Write the whole book to ``output``; returns (PDF pages, HTML pages)."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    order = reading_order(html)
    writer = PdfWriter()
    blocked: list[str] = []
    with serve(html) as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context()
        block_remote(context, blocked)
        page = context.new_page()
        for relative in order:
            pdf = print_page(page, f"{base}/{relative}")
            writer.append(PdfReader(io.BytesIO(pdf)), outline_item=page_title(page))
        browser.close()
    if blocked:
        print(f"warning: pages asked for remote resources (blocked): {blocked[:5]}", file=sys.stderr)
    writer.add_metadata({"/Title": "The Tight Rope, annotated"})
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as f:
        writer.write(f)
    return len(writer.pages), len(order)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="the built HTML book (default: _build/html)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"the PDF to write (default: <html>/../pdf/{PDF_NAME})")
    args = parser.parse_args(argv)
    output = args.output or args.html.parent / "pdf" / PDF_NAME
    pdf_pages, html_pages = print_book(args.html, output)
    print(f"{output}: {pdf_pages} pages ({html_pages} HTML pages in reading order)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
