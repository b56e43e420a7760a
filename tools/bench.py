"""Benchmark the book: build times, page sizes, what a reader's browser downloads.

Works on a copy of the project in a temporary folder (PYTHONPATH points at the
copy, so the copy's own ``tightrope`` package and data are used) and builds it
with ``make book``, as an author does:

1. cold build (fresh build folder, every page executed);
2. rebuild with no change (``make book``, and ``jupyter-book build`` itself);
3. rebuild after a prose-only edit (expected: no page executed);
4. rebuild after editing one code cell (expected: only that page executed);
5. rebuild after editing one table (data/bases.csv), then another
   (data/claims.csv) (expected: only the pages that read that table, as the
   build recorded when they executed);
6. a page's time split into its fixed part (kernel start, imports, loading the
   data: paid again by every page) and its real part (its own code): every
   executed page's code run one after another in a single kernel gives the real
   part; seconds per executed page in the cold build are the whole;
7. sizes: each page's HTML, the shared assets, the chart bundle (raw and gzip);
8. in Chromium: bytes transferred on a first visit and on a second visit to
   another page in the same browser (so with its cache), once with Python's
   plain http.server (no Cache-Control) and once with Cache-Control, the time
   to the first drawn chart, the icons drawn, and any request that leaves localhost;
9. optionally (--tests) the test suite's wall time (pytest, then nbval, as `make test`).

Prints a table and writes _build/bench.json.

    .venv/bin/python tools/bench.py [--tests] [--keep] [--source DIR] [--output FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from print_pdf import CHROMIUM, CHROMIUM_ARGS, QuietHandler, reading_order, serve, wait_for_charts  # noqa: E402

from tightrope.sphinxext import execution_jobs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUNDLE = "tightrope-vega.js"
TARGETS = {
    "cold_build_s": 25.0,
    "no_change_rebuild_s": 2.0,
    "largest_chapter_html_kb": 250,
    "bundle_raw_kb": 1024,
    "first_visit_kb": 1536,
    "external_requests": 0,
    "test_suite_s": 180.0,
}
CACHE_SECONDS = 3600
# Outside localhost every name fails to resolve: offline, but without Playwright's
# request routing, which would switch the browser's HTTP cache off.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]


# --- Builds -------------------------------------------------------------------

def copy_project(source: Path, dest: Path) -> Path:
    copy = dest / "book"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "__pycache__", "*.egg-info", ".ipynb_checkpoints", ".jupyter_cache"))
    return copy


def build(copy: Path, command: str = "make") -> dict:
    """One strict build of the copy: wall time and the pages it executed.

    ``make`` runs what an author runs, ``make book`` (which starts Jupyter Book
    only when a source is newer than the last build); ``sphinx`` runs
    ``jupyter-book build`` itself, whose own check for changed pages is what a
    rebuild costs once make has decided to run it.
    """
    # The copy's own cache of validated data: a cold build starts with nothing remembered.
    env = {**os.environ, "PYTHONPATH": str(copy), "TIGHTROPE_CACHE": str(copy / "_build" / ".tightrope-cache")}
    venv = BIN.parent
    commands = {
        # -o: the copy shares this virtualenv and must never reinstall into it.
        "make": ["make", "--no-print-directory", "-C", str(copy), "book", f"VENV={venv}",
                 "-o", str(venv / ".installed")],
        "sphinx": [str(BIN / "jupyter-book"), "build", "-W", "-n", "--keep-going", str(copy)],
    }
    start = time.perf_counter()
    result = subprocess.run(commands[command], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0 and not (copy / "_build" / "html" / "index.html").exists():
        raise SystemExit(f"the build of the copy failed (exit {result.returncode}):\n{log[-5000:]}")
    if result.returncode != 0:  # warnings under -W: the pages were still written and are measured
        warnings = [line for line in log.splitlines() if "WARNING" in line and "IPKernelApp" not in line]
        print(f"note: the build exited {result.returncode} with {len(warnings)} warning(s), "
              f"e.g. {warnings[:1]}; measuring anyway", file=sys.stderr)
    executed = sorted({page_name(line.split(": Executing notebook")[0], copy)
                       for line in log.splitlines() if "Executing notebook" in line})
    page_seconds = {page_name(line.split(": Executed notebook")[0], copy): float(m.group(1))
                    for line in log.splitlines() if (m := re.search(r"Executed notebook in ([\d.]+) seconds", line))}
    return {"seconds": round(seconds, 2), "exit_code": result.returncode,
            "executed": len(executed), "executed_pages": executed, "page_seconds": page_seconds}


def median_build(copy: Path, command: str, runs: int = 3) -> dict:
    """The run with the median time of several (a second-scale figure is noisy)."""
    results = sorted((build(copy, command) for _ in range(runs)), key=lambda r: r["seconds"])
    return {**results[runs // 2], "runs_s": [r["seconds"] for r in results]}


def page_name(logged: str, copy: Path) -> str:
    """A page as the build log names it, as a docname (e.g. chapters/02-escalation)."""
    path = Path(re.sub(r"\x1b\[[0-9;]*m", "", logged).strip())
    return (path.relative_to(copy) if path.is_absolute() else path).with_suffix("").as_posix()


def toc_sources(copy: Path, html: Path) -> list[Path]:
    """The source files of the built pages, in reading order."""
    sources = []
    for page in reading_order(html):
        stem = copy / page.removesuffix(".html")
        sources += [p for p in (stem.with_suffix(".md"), stem.with_suffix(".ipynb")) if p.exists()][:1]
    return sources


def first_notebook_page(sources: list[Path]) -> Path:
    """The first MyST page with a code cell (the edits below need one)."""
    for source in sources:
        if source.suffix == ".md" and "```{code-cell}" in source.read_text(encoding="utf-8"):
            return source
    raise SystemExit("no MyST page with a code cell in the book: nothing to edit")


def edit_prose(page: Path) -> None:
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + "\n\nOne more sentence of prose.\n",
                    encoding="utf-8")


def edit_code_cell(page: Path) -> None:
    """Add a comment at the end of the page's first code cell."""
    lines = page.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("```{code-cell}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "```")
    lines.insert(end, "# edited by the benchmark")
    page.write_text("\n".join(lines), encoding="utf-8")


def edit_data(copy: Path, table: str = "bases", column: str = "name") -> str:
    """Append to one cell of the first row of data/<table>.csv; returns what was edited."""
    path = copy / "data" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.DictReader(text.splitlines()))
    rows[0][column] += " (edited)"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator=newline)
        writer.writeheader()
        writer.writerows(rows)
    return f"data/{table}.csv: {column} of {rows[0].get('id', 'the first row')!r}"


def recorded_readers(copy: Path, table: str) -> dict:
    """The pages whose cached outputs, as the build recorded, read `table`; and the pages that use
    tightrope with no record of what they read (they must re-execute after any data edit)."""
    from jupyter_cache import get_cache

    cache_dir = copy / "_build" / ".jupyter_cache"
    readers, unrecorded = set(), set()
    for record in get_cache(str(cache_dir)).list_cache_records():
        reads = cache_dir / "tightrope-reads" / f"{record.hashkey}.json"
        if reads.exists():
            if table in json.loads(reads.read_text(encoding="utf-8")).get("tables", {}):
                readers.add(page_name(record.uri, copy))
        elif "tightrope" in Path(record.uri).read_text(encoding="utf-8"):
            unrecorded.add(page_name(record.uri, copy))
    return {"readers": sorted(readers), "unrecorded": sorted(unrecorded)}


def one_kernel(copy: Path, pages: list[str]) -> dict:
    """Every page's code cells, one page after another, in a single kernel (each in its page's folder).

    Its time less a kernel's start is the pages' real work; what each page pays beyond its share of it
    is the fixed cost (a kernel, imports, loading the data)."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook
    from nbclient import NotebookClient

    from tightrope import warm_kernels

    cells = []
    for page in pages:
        source = next((copy / f"{page}{suffix}" for suffix in (".md", ".ipynb") if (copy / f"{page}{suffix}").exists()), None)
        if source is None:
            continue
        text = source.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4) if source.suffix == ".ipynb" else read_myst_markdown_notebook(text)
        cells.append(nbformat.v4.new_code_cell(f"import os; os.chdir({str(source.parent)!r})"))
        cells += [nbformat.v4.new_code_cell(c.source) for c in nb.cells if c.cell_type == "code"]
    env = {**os.environ, "PYTHONPATH": str(copy), "TIGHTROPE_CACHE": str(copy / "_build" / ".tightrope-cache")}

    def run(notebook, warm: dict | None = None) -> float:
        start = time.perf_counter()
        client = NotebookClient(notebook, timeout=600, allow_errors=True, kernel_name="python3",
                                resources={"metadata": {"path": str(copy)}})
        if warm:
            client.kernel_manager_class = warm_kernels.WarmKernelManager
        client.execute(env={**env, **(warm or {})})
        return time.perf_counter() - start

    empty = run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")]))
    # What every page pays before its own work: a kernel, the usual imports, the data loaded.
    start_page = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import altair, pandas\nfrom IPython.display import HTML, Markdown\nfrom myst_nb import glue\n"
        "from tightrope import aftermath, attacks, charts, data, deterrence, sources, timeline\n"
        "frames = [data.load(t) for t in data.TABLES]")])
    cold_fixed = run(start_page)
    # The same in a kernel forked warm, as the build starts them (the median of three).
    with warm_kernels.server(env) as warm:
        fixed = sorted(run(start_page, warm) for _ in range(3))[1] if warm else cold_fixed
    combined = nbformat.v4.new_notebook(cells=cells)
    seconds = run(combined)
    errors = sum(1 for c in combined.cells for o in c.get("outputs", []) if o.get("output_type") == "error")
    return {"pages": len(pages), "seconds": round(seconds, 2), "kernel_start_s": round(empty, 2),
            "cold_fixed_s": round(cold_fixed, 2), "fixed_s": round(fixed, 2),
            "real_s": round(seconds - cold_fixed, 2), "cells": len(cells),
            "cells_with_errors": errors}


def pages_reading_data(sources: list[Path], copy: Path) -> list[str]:
    """Pages whose code uses the data package (what a data edit should re-execute)."""
    uses = re.compile(r"from tightrope import[^\n]*\bdata\b|tightrope\.data|from tightrope\.data import")
    return sorted(s.relative_to(copy).with_suffix("").as_posix() for s in sources
                  if uses.search(s.read_text(encoding="utf-8")))


# --- Sizes --------------------------------------------------------------------

def sizes(html: Path) -> dict:
    pages = {p.relative_to(html).as_posix(): p.stat().st_size for p in sorted(html.rglob("*.html"))
             if "_static" not in p.parts and "_sources" not in p.parts}
    static = sum(p.stat().st_size for p in (html / "_static").rglob("*") if p.is_file())
    bundle = (html / "_static" / BUNDLE).read_bytes()
    chapters = {k: v for k, v in pages.items() if k.startswith("chapters/")} or pages
    largest = max(chapters, key=chapters.get)
    return {
        "page_html_bytes": pages,
        "largest_chapter": largest,
        "largest_chapter_html_kb": round(chapters[largest] / 1024, 1),
        "static_kb": round(static / 1024, 1),
        "bundle_raw_kb": round(len(bundle) / 1024, 1),
        "bundle_gzip_kb": round(len(gzip.compress(bundle, 6)) / 1024, 1),
    }


# --- The browser --------------------------------------------------------------

FIRST_CHART_JS = """() => {
    // Time from navigation start to the first chart mark in the page.
    new MutationObserver((_, observer) => {
        if (document.querySelector('figure.tr-chart svg .role-mark > *')) {
            window.__firstChartMs = performance.now();
            observer.disconnect();
        }
    }).observe(document, {childList: true, subtree: true});
}"""


class Traffic:
    """Bytes and requests seen by one tab, from the DevTools protocol."""

    def __init__(self, page):
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.reset()
        self.session.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        self.session.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.session.on("Network.responseReceived", self._response)
        self.session.on("Network.loadingFinished", self._finished)

    def reset(self):
        self.urls, self.status, self.bytes, self.cached = {}, {}, {}, set()

    def _response(self, e):
        self.status[e["requestId"]] = e["response"]["status"]
        if e["response"].get("fromDiskCache") or e["response"].get("fromMemoryCache"):
            self.cached.add(e["requestId"])

    def _finished(self, e):
        # Bytes that crossed the network (headers and body); 0 when served from cache.
        self.bytes[e["requestId"]] = e.get("encodedDataLength", 0)

    def summary(self, bundle_size: int) -> dict:
        local = {i: u for i, u in self.urls.items() if u.startswith("http://127.0.0.1")}
        external = [u for u in self.urls.values() if u.startswith(("http:", "https:", "ws:", "wss:"))
                    and not u.startswith("http://127.0.0.1")]
        bundle_bytes = sum(self.bytes.get(i, 0) for i, u in local.items() if BUNDLE in u)
        heaviest = sorted(((self.bytes.get(i, 0), u.split("/", 3)[-1].split("?")[0]) for i, u in local.items()),
                          reverse=True)[:5]
        return {
            "requests": len(local),
            "bytes": sum(self.bytes.get(i, 0) for i in local),
            "from_cache": len([i for i in local if i in self.cached]),
            "revalidated_304": len([i for i in local if self.status.get(i) == 304]),
            "bundle_bytes": bundle_bytes,
            "bundle_fetched": bundle_bytes > bundle_size / 2,
            "heaviest": [{"path": path, "bytes": n} for n, path in heaviest],
            "external_requests": external,
        }


def visit(page, traffic: Traffic, url: str, bundle_size: int) -> dict:
    traffic.reset()
    page.goto(url, wait_until="load")
    charts = wait_for_charts(page)
    page.wait_for_load_state("networkidle")
    result = traffic.summary(bundle_size)
    result["url"] = url.split("/", 3)[-1]
    result["charts"] = charts
    result["first_chart_ms"] = round(page.evaluate("window.__firstChartMs || 0")) or None
    # Icons: drawn as inline SVG, none left as an empty <i> or <span> awaiting a script.
    result["icons"] = page.evaluate("""() => ({
        drawn: document.querySelectorAll('svg.svg-inline--fa').length,
        undrawn: document.querySelectorAll('i.fa-solid, i.fas, span.fa-solid, span.fas').length})""")
    return result


def new_tab(browser):
    context = browser.new_context()
    context.add_init_script(script=f"({FIRST_CHART_JS})()")
    page = context.new_page()
    return context, page, Traffic(page)


class GzipHandler(QuietHandler):
    """Text files gzip-compressed, with Cache-Control, as a static host such as GitHub Pages serves them."""

    cache_seconds = CACHE_SECONDS
    compressible = {".html", ".js", ".css", ".svg", ".json", ".txt", ".map"}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if not (path.is_file() and path.suffix in self.compressible
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve_gzip(html: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def browse(html: Path) -> dict:
    """What a reader's browser fetches: two visits in one browser, with and
    without cache headers; one fresh visit to a chart page; every page once."""
    from playwright.sync_api import sync_playwright
    order = reading_order(html)
    chart_pages = [p for p in order if 'class="tr-chart"' in (html / p).read_text(encoding="utf-8")]
    if not chart_pages:
        raise SystemExit("no page with a chart: nothing to measure in the browser")
    first = order[0]
    second = next(p for p in chart_pages if p != first)
    bundle_size = (html / "_static" / BUNDLE).stat().st_size
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + OFFLINE_ARGS)
        for label, cache_seconds in (("plain http.server", None), (f"Cache-Control max-age={CACHE_SECONDS}", CACHE_SECONDS)):
            with serve(html, cache_seconds=cache_seconds) as base:
                context, page, traffic = new_tab(browser)
                results[label] = {
                    "first_visit": visit(page, traffic, f"{base}/{first}", bundle_size),
                    "second_visit": visit(page, traffic, f"{base}/{second}", bundle_size),
                }
                context.close()
        with serve(html, cache_seconds=CACHE_SECONDS) as base:
            # A chart page opened in a fresh browser: time to its first chart, nothing cached.
            context, page, traffic = new_tab(browser)
            results["cold_chart_page"] = visit(page, traffic, f"{base}/{chart_pages[0]}", bundle_size)
            context.close()
        with serve_gzip(html) as base:
            # The same first visit to a chapter, served compressed as a static host does.
            context, page, traffic = new_tab(browser)
            results["cold_chart_page_gzip"] = visit(page, traffic, f"{base}/{chart_pages[0]}", bundle_size)
            context.close()
        with serve(html, cache_seconds=CACHE_SECONDS) as base:
            # Every page once, in reading order, in one browser (with cache headers).
            context, page, traffic = new_tab(browser)
            every = [visit(page, traffic, f"{base}/{p}", bundle_size) for p in order]
            context.close()
            results["every_page"] = {
                "pages": len(every),
                "bytes": sum(v["bytes"] for v in every),
                "bundle_fetches": sum(v["bundle_fetched"] for v in every),
                "bundle_fetched_on": [v["url"] for v in every if v["bundle_fetched"]],
                "external_requests": sorted({u for v in every for u in v["external_requests"]}),
                "external_by_page": {v["url"]: v["external_requests"] for v in every if v["external_requests"]},
            }
        browser.close()
    return results


def run_tests() -> dict:
    """`make test`'s two pytest runs (the tests on one worker per core, then nbval on the exercises), building
    into a fresh folder."""
    with tempfile.TemporaryDirectory(prefix="tightrope-bench-tests-") as tmp:
        env = {**os.environ, "TIGHTROPE_BUILD": tmp}
        runs = {"tests": ["-n", "auto", "tests"],
                "nbval": ["--nbval", "exercises", "--nbval-sanitize-with", "exercises/sanitize.cfg",
                          "-p", "no:cacheprovider"]}
        out = {}
        for name, args in runs.items():
            start = time.perf_counter()
            result = subprocess.run([str(BIN / "python"), "-m", "pytest", "-q", *args], cwd=ROOT, env=env,
                                    capture_output=True, text=True)
            lines = result.stdout.strip().splitlines() or ["?"]
            out[name] = {"seconds": round(time.perf_counter() - start, 1), "exit_code": result.returncode,
                         "summary": lines[-1],
                         "failed": [line.split(" ", 1)[1] for line in lines if line.startswith(("FAILED ", "ERROR "))]}
    out["seconds"] = round(sum(r["seconds"] for r in out.values()), 1)
    return out


# --- Report -------------------------------------------------------------------

def table(report: dict) -> str:
    b, s, w = report["builds"], report["sizes"], report["browser"]
    plain, cached = w["plain http.server"], w[f"Cache-Control max-age={CACHE_SECONDS}"]
    external = len(w["every_page"]["external_requests"])

    def ok(value, target):
        return "ok" if value <= target else "OVER"

    cold = b["cold"]
    per_page = cold["seconds"] / max(cold["executed"], 1)
    split = report.get("page_time", {})
    rows = [
        ("cold build", f"{cold['seconds']} s, {cold['executed']} pages executed ({os.cpu_count()} cores)",
         f"<= {TARGETS['cold_build_s']:.0f} s", ok(cold["seconds"], TARGETS["cold_build_s"])),
        ("  per executed page", f"{per_page:.2f} s of the build; each page's own execution "
         f"{split.get('mean_page_s', '?')} s (pages run {split.get('parallel', '?')} at once)", "", ""),
        ("  a page's fixed part", f"{split.get('fixed_per_page_s', '?')} s (a kernel forked warm, as the build starts "
         f"them, with the usual imports and the data loaded; a cold kernel {split.get('cold_fixed_per_page_s', '?')} s, "
         f"of which the bare kernel {split.get('kernel_start_s', '?')} s)", "", ""),
        ("  a page's real part", f"{split.get('real_per_page_s', '?')} s (all {split.get('pages', '?')} pages' code "
         f"in one kernel: {split.get('one_kernel_real_s', '?')} s)", "", ""),
        ("no-change rebuild", f"{b['no_change']['seconds']} s, {b['no_change']['executed']} executed "
         "(make book)", "< 2 s, 0", ok(b["no_change"]["seconds"], TARGETS["no_change_rebuild_s"])),
        ("  Jupyter Book alone", f"{b['no_change_sphinx']['seconds']} s, {b['no_change_sphinx']['executed']} "
         "executed (jupyter-book build, nothing to redo)", "", ""),
        ("prose edit rebuild", f"{b['prose_edit']['seconds']} s, {b['prose_edit']['executed']} executed "
         f"({b['edited_page']})", "0", "ok" if b["prose_edit"]["executed"] == 0 else "OVER"),
        ("code-cell edit rebuild", f"{b['code_edit']['seconds']} s, executed {b['code_edit']['executed_pages']}",
         "that page only", "ok" if b["code_edit"]["executed_pages"] == [b["edited_page"]] else "CHECK"),
        *[(f"data edit rebuild ({table})", f"{b[key]['seconds']} s, {b[key]['executed']} executed: the "
           f"{len(b['readers'][table]['readers'])} pages that read {table}"
           + (f" and {', '.join(b['readers'][table]['unrecorded'])} (reads data/ itself, so after any edit)"
              if b["readers"][table]["unrecorded"] else "")
           + f"; {len(b['pages_reading_data'])} pages use data",
           "its readers only",
           "ok" if b[key]["executed_pages"] == sorted(set(b["readers"][table]["readers"])
                                                      | set(b["readers"][table]["unrecorded"])) else "CHECK")
          for table, key in (("bases", "data_edit"), ("claims", "claims_edit"))],
        ("largest chapter HTML", f"{s['largest_chapter_html_kb']} KB ({s['largest_chapter']})", "< 250 KB",
         ok(s["largest_chapter_html_kb"], TARGETS["largest_chapter_html_kb"])),
        ("_static total", f"{s['static_kb']} KB", "", ""),
        ("chart bundle", f"{s['bundle_raw_kb']} KB raw, {s['bundle_gzip_kb']} KB gzip", "< 1 MB raw",
         ok(s["bundle_raw_kb"], TARGETS["bundle_raw_kb"])),
    ]
    for label, run in (("no cache headers", plain), ("Cache-Control", cached)):
        f, n = run["first_visit"], run["second_visit"]
        rows.append((f"1st visit, {label}", f"{f['bytes'] / 1024:.0f} KB, {f['requests']} requests ({f['url']}); "
                     f"icons drawn {f['icons']['drawn']}, undrawn {f['icons']['undrawn']}", "",
                     "" if not f["icons"]["undrawn"] else "ICONS"))
        rows.append((f"2nd visit, {label}",
                     f"{n['bytes'] / 1024:.0f} KB, {n['requests']} requests ({n['url']}), {n['from_cache']} from "
                     f"cache, {n['revalidated_304']} revalidated (304); bundle "
                     f"{'downloaded again' if n['bundle_fetched'] else 'not downloaded again'}",
                     "bundle once", "ok" if not n["bundle_fetched"] else "OVER"))
    heaviest = ", ".join(f"{h['path']} {h['bytes'] / 1024:.0f} KB" for h in cached["first_visit"]["heaviest"][:3])
    rows.append(("heaviest on 1st visit", heaviest, "", ""))
    target = f"<= {TARGETS['first_visit_kb'] / 1024:.1f} MB"
    for label, key in (("1st visit to a chapter", "cold_chart_page"),
                       ("  the same, gzip (as GitHub Pages)", "cold_chart_page_gzip")):
        v = w[key]
        rows.append((label, f"{v['bytes'] / 1024:.0f} KB, {v['requests']} requests ({v['url']}), chart bundle "
                     f"{v['bundle_bytes'] / 1024:.0f} KB; icons drawn {v['icons']['drawn']}, undrawn "
                     f"{v['icons']['undrawn']}", target,
                     ("ok" if v["bytes"] / 1024 <= TARGETS["first_visit_kb"] else "OVER")
                     if not v["icons"]["undrawn"] else "ICONS"))
    every = w["every_page"]
    rows.append(("every page once", f"{every['bytes'] / 1024:.0f} KB for {every['pages']} pages, bundle "
                 f"downloaded {every['bundle_fetches']}x", "bundle once", ok(every["bundle_fetches"], 1)))
    rows.append(("time to first chart", f"cold {w['cold_chart_page']['first_chart_ms']} ms "
                 f"({w['cold_chart_page']['url']}), cached {cached['second_visit']['first_chart_ms']} ms", "", ""))
    rows.append(("external requests", f"{external} ({', '.join(every['external_requests'][:2]) or 'none'})",
                 "0", ok(external, 0)))
    if "tests" in report:
        t = report["tests"]
        rows.append(("test suite", f"{t['seconds']} s: pytest {t['tests']['seconds']} s ({t['tests']['summary']}), "
                     f"nbval {t['nbval']['seconds']} s ({t['nbval']['summary']})",
                     f"<= {TARGETS['test_suite_s']:.0f} s", ok(t["seconds"], TARGETS["test_suite_s"])))
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    lines = [f"{'measure':<{width}}  {'value':<{vwidth}}  {'target':<14}  "]
    lines += [f"{a:<{width}}  {v:<{vwidth}}  {t:<14}  {o}" for a, v, t, o in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", action="store_true", help="also time the test suite (long)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and print where it is")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "bench.json")
    parser.add_argument("--source", type=Path, default=ROOT, help="the project to copy (default: this one)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="tightrope-bench-"))
    try:
        copy = copy_project(args.source.resolve(), tmp)
        builds = {"cold": build(copy)}
        html = copy / "_build" / "html"
        builds["no_change"] = median_build(copy, "make")
        builds["no_change_sphinx"] = median_build(copy, "sphinx")
        sources = toc_sources(copy, html)
        page = first_notebook_page(sources)
        builds["edited_page"] = page.relative_to(copy).with_suffix("").as_posix()
        edit_prose(page)
        builds["prose_edit"] = build(copy)
        edit_code_cell(page)
        builds["code_edit"] = build(copy)
        builds["readers"] = {table: recorded_readers(copy, table) for table in ("bases", "claims")}
        builds["data_edited"] = edit_data(copy)
        builds["pages_reading_data"] = pages_reading_data(sources, copy)
        builds["data_edit"] = build(copy)
        builds["claims_edited"] = edit_data(copy, "claims", "finding")
        builds["claims_edit"] = build(copy)
        executed = sorted(builds["cold"]["page_seconds"])
        kernel = one_kernel(copy, executed)
        mean_page = sum(builds["cold"]["page_seconds"].values()) / max(len(executed), 1)
        real = kernel["real_s"] / max(len(executed), 1)
        page_time = {"pages": len(executed), "mean_page_s": round(mean_page, 2),
                     "parallel": execution_jobs(),
                     "one_kernel_real_s": kernel["real_s"], "kernel_start_s": kernel["kernel_start_s"],
                     "real_per_page_s": round(real, 2), "fixed_per_page_s": kernel["fixed_s"],
                     "cold_fixed_per_page_s": kernel["cold_fixed_s"],
                     "one_kernel": kernel}
        report = {"builds": builds, "page_time": page_time, "sizes": sizes(html), "browser": browse(html)}
        if args.tests:
            report["tests"] = run_tests()
    finally:
        if args.keep:
            print(f"copy kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    report["targets"] = TARGETS
    # A shared machine's other work slows every timing: the load (runnable processes per 1, 5, 15 minutes).
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["cores"] = os.cpu_count()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(table(report))
    print(f"\nload average at the end: {report['load_average_at_end']} on {report['cores']} cores")
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
