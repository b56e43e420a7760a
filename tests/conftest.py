"""Fixtures shared by the book, browser and print tests.

The book is built once per test run (strictly: -W -n --keep-going) into
``_build`` (or $TIGHTROPE_BUILD), served on localhost, and visited with the
system's headless Chromium, every request outside localhost blocked.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import re
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
def book(testrun_uid) -> Path:
    """The built HTML book (built here unless TIGHTROPE_BOOK names a built html folder).

    Parallel workers (``pytest -n``) share one build: the first to need it builds it while
    the others wait on a lock, then find this run's id beside it and use it as it is."""
    if os.environ.get("TIGHTROPE_BOOK"):
        return Path(os.environ["TIGHTROPE_BOOK"])
    output = Path(os.environ.get("TIGHTROPE_BUILD", ROOT))
    stamp = output / "_build" / ".built-for-test-run"
    stamp.parent.mkdir(parents=True, exist_ok=True)
    with stamp.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        if handle.read() != testrun_uid:
            code, log = build_book(ROOT, output=output)
            assert code == 0, f"the strict build failed:\n{log[-6000:]}"
            handle.seek(0)
            handle.truncate()
            handle.write(testrun_uid)
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


# --- One visit per page, width and theme ----------------------------------------
# The browser tests (test_browser.py, test_accessibility.py, test_interaction.py) share these visits:
# each page is opened once at each width in each theme, and everything the tests check is recorded
# in that one visit (requests, console, charts, layout, chart text, axe-core, screenshots).

WIDTHS = {"phone": 390, "desktop": 1366}
THEMES = ("light", "dark")
SCREENSHOT_MAX_HEIGHT = 15_000
# Opens what a reader can open: <details> (chart descriptions, hidden code) and sphinx-togglebutton
# dropdowns (solutions), so that their content is measured and checked too.
EXPAND_ALL_JS = """() => {
    document.querySelectorAll('details').forEach(d => d.open = true);
    document.querySelectorAll('.toggle-hidden').forEach(el => el.classList.remove('toggle-hidden'));
}"""
NO_TRANSITIONS_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"
# Waits until no chart is being fitted to its column (see _static/tightrope-charts.js).
CHARTS_SETTLED_JS = "() => (document.documentElement.dataset.trChartsPending || '0') === '0'"

# For each chart: how many marks it drew, its width against its figure's, the smallest text drawn,
# and any axis, legend or title text cut short with an ellipsis.
CHART_LAYOUT_JS = """() => [...document.querySelectorAll('figure.tr-chart')].map(f => {
    const svg = f.querySelector('svg');
    const visible = f.getClientRects().length > 0 && getComputedStyle(f).visibility !== 'hidden';
    const out = {id: (f.querySelector('[id^=tr-chart]') || {}).id || '?', visible,
                 marks: svg ? svg.querySelectorAll('.role-mark > *').length : 0};
    if (!svg || !visible) return out;
    const box = svg.getBoundingClientRect();
    const scale = box.width / Number(svg.getAttribute('width') || box.width);
    out.width = box.width;
    out.column = f.clientWidth;
    const bindings = f.querySelector('.vega-bindings');
    out.bindings = bindings ? bindings.getBoundingClientRect().width : 0;
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const sizes = texts.map(t => ({text: t.textContent.trim().slice(0, 40),
                                   px: parseFloat(getComputedStyle(t).fontSize) * scale}));
    out.smallest = sizes.reduce((a, b) => (a && a.px <= b.px ? a : b), null);
    out.truncated = [...svg.querySelectorAll(
        '.role-axis-label text, .role-legend-label text, .role-axis-title text, .role-legend-title text, '
        + '.role-title-text text, .role-title-subtitle text, .role-title text, .role-header-label text')]
        .map(t => t.textContent).filter(t => t.includes('\\u2026'));
    return out;
})"""

# Table cells whose content is cut off, and tables wider than what shows them, unless they sit in a
# marked scroll container (a labelled region in the tab order).
TABLE_LAYOUT_JS = """() => {
    const marked = el => el.tabIndex >= 0 && el.getAttribute('tabindex') !== null
        && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'))
        && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const problems = [];
    const viewport = document.documentElement.clientWidth;
    document.querySelectorAll('.bd-content table').forEach((table, n) => {
        if (!table.getClientRects().length) return;
        const name = (table.querySelector('caption') || {}).textContent || `table ${n + 1}`;
        let scroller = null;
        for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
            const overflow = getComputedStyle(el).overflowX;
            if (overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
                if (marked(el)) { scroller = el; break; }
                problems.push(`${name.trim().slice(0, 60)}: ${Math.round(el.scrollWidth)} px of table in a `
                              + `${el.clientWidth} px ${el.className ? '.' + el.className.split(' ')[0] : el.tagName} `
                              + `that is not a marked scroll container`);
                return;
            }
        }
        if (!scroller && table.getBoundingClientRect().right > viewport + 1) {
            problems.push(`${name.trim().slice(0, 60)}: runs ${Math.round(table.getBoundingClientRect().right - viewport)} px `
                          + `past the window`);
        }
        if (scroller) return;
        table.querySelectorAll('td, th').forEach(cell => {
            if (cell.scrollWidth > cell.clientWidth + 1) {
                problems.push(`${name.trim().slice(0, 60)}: a cell is clipped (${cell.scrollWidth} px of content in `
                              + `${cell.clientWidth} px): ${cell.textContent.trim().slice(0, 40)}`);
            }
        });
    });
    return problems;
}"""


@dataclass
class PageReport:
    """What one visit to one page, at one width in one theme, found."""
    url: str
    width: str
    theme: str
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    theme_seen: str = ""
    charts: list[dict] = field(default_factory=list)
    chart_texts: list[dict] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    page_width: int = 0
    window_width: int = 0
    axe_blocking: list[str] = field(default_factory=list)
    axe_other: list[str] = field(default_factory=list)
    screenshot: Path | None = None


def page_urls(book: Path, site: str) -> list[str]:
    """Every page; the search page with a query so that its results are checked too."""
    urls = []
    for html in pages(book):
        url = url_of(site, book, html)
        urls.append(url + "?q=rope" if html.name == "search.html" and html.parent == book else url)
    return urls


# The views: (width name, theme). Each is a parameter of page_reports, so parallel workers can take different views.
VIEWS = [(width, theme) for theme in THEMES for width in WIDTHS]


def view_id(view: tuple[str, str]) -> str:
    return "-".join(view)


def only(*views: tuple[str, str]):
    """Run a test that reads page_reports in these views only (by default it runs in each)."""
    return pytest.mark.parametrize("page_reports", views, indirect=True, ids=view_id)


def screenshot_name(relative: str, width_name: str, theme: str) -> str:
    return f"{relative}{'' if width_name == 'desktop' else '.phone'}{'' if theme == 'light' else '.dark'}.jpg"


@pytest.fixture(scope="session")
def visit_view(book, site, browser):
    """visit_view(view) -> the reports of every page in that view, visited on first use, once per worker."""
    done: dict[tuple[str, str], list[PageReport]] = {}

    def reports(view: tuple[str, str]) -> list[PageReport]:
        if view not in done:
            done[view] = visit_every_page(book, site, browser, view)
        return done[view]

    return reports


@pytest.fixture(params=VIEWS, ids=view_id)
def page_reports(request, visit_view) -> list[PageReport]:
    """Every page at one width in one theme: a test that reads this runs once per view (390 px and
    1366 px, light and dark), unless marked with ``only(...)``."""
    return visit_view(request.param)


def visit_every_page(book: Path, site: str, browser, view: tuple[str, str]) -> list[PageReport]:
    """One visit to each page in one view, every check recorded.

    Screenshots (the page as a reader first sees it) go to _build/screenshots/ next to the HTML:
    NAME.jpg at desktop width, NAME.phone.jpg at phone width, light theme; NAME.dark.jpg and
    NAME.phone.dark.jpg in the dark theme.
    """
    from axe_playwright_python.sync_playwright import Axe

    from test_accessibility import CHART_TEXT_JS, axe_problems

    width_name, theme = view
    width = WIDTHS[width_name]
    folder = book.parent / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    urls = page_urls(book, site)
    names = {url: screenshot_name(url.removeprefix(site + "/").split("?")[0].removesuffix(".html").replace("/", "__"),
                                  width_name, theme) for url in urls}
    for old in folder.glob("*.jpg"):  # this view's screenshots of pages that no longer exist
        if old.name not in names.values() and old.name == screenshot_name(old.name.split(".")[0], width_name, theme):
            old.unlink()
    axe = Axe()
    reports = []
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
    # What the theme's switch stores: every page opens in this theme.
    context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
    blocked: list[str] = []
    block_remote(context, blocked)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    for url in urls:
        blocked.clear()
        errors.clear()
        report = PageReport(url=url, width=width_name, theme=theme)
        page.goto(url, wait_until="load")
        wait_for_charts(page)
        page.wait_for_function(CHARTS_SETTLED_JS, timeout=20_000)
        report.theme_seen = page.evaluate("document.documentElement.dataset.theme")
        report.screenshot = folder / names[url]
        # The whole page, or its first SCREENSHOT_MAX_HEIGHT px (Chromium draws a taller page blank).
        height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
        page.screenshot(path=str(report.screenshot), full_page=True, type="jpeg", quality=70,
                        clip={"x": 0, "y": 0, "width": width, "height": height})
        page.add_style_tag(content=NO_TRANSITIONS_CSS)
        page.evaluate(EXPAND_ALL_JS)
        page.wait_for_timeout(250)  # charts and tables in opened dropdowns are fitted to their column
        page.wait_for_function(CHARTS_SETTLED_JS, timeout=20_000)
        wait_for_charts(page)
        report.charts = page.evaluate(CHART_LAYOUT_JS)
        report.chart_texts = page.eval_on_selector_all("figure.tr-chart", CHART_TEXT_JS)
        report.tables = page.evaluate(TABLE_LAYOUT_JS)
        report.page_width, report.window_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        # What the page itself asked for and logged, before axe-core runs: axe fetches the
        # stylesheets' @import rules again, resolved against the page's address instead of the
        # stylesheet's (the theme's `@import "../basic.css"` becomes a request for /basic.css).
        report.blocked = list(blocked)
        report.console_errors = list(errors)
        report.axe_blocking, report.axe_other = axe_problems(page, f"{url} [{width_name}, {theme}]", axe=axe)
        reports.append(report)
    context.close()
    return reports


def test_group(nodeid: str) -> str:
    """Which worker-sharing group a test belongs to: one view of the pages (its tests share that view's
    visits), otherwise its file (whose tests share the file's module fixtures)."""
    view = re.search(r"\[((?:phone|desktop)-(?:light|dark))\]$", nodeid)
    return f"pages-{view.group(1)}" if view else nodeid.split("::", 1)[0]


def pytest_xdist_make_scheduler(config, log):
    """With parallel workers (make test runs pytest -n auto), each group's tests run on one worker.

    (xdist's own --dist loadgroup marks groups by rewriting test ids, which pytest 9 no longer allows.)"""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return test_group(nodeid)

    return GroupScheduling(config, log)
