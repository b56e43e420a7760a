"""The whole book prints to one PDF, in reading order, with its charts.

Runs tools/print_pdf.py on the built book. Charts print as vector graphics
(Chromium prints Vega's SVG as paths and real text), so a chart that drew is
visible in the PDF's text: its title and axis titles exist as text only if
Vega drew them, and the page holding them draws many path segments.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import unicodedata

import pytest
from pypdf import PdfReader

from conftest import ROOT, pages, reading_order

# Bounds on the PDF pages per book page (the ledger and the timeline are the longest): a chart or a
# table printing one row per sheet would break the upper one.
MIN_PDF_PAGES_PER_PAGE, MAX_PDF_PAGES_PER_PAGE = 1, 20
# Path construction operators in a PDF content stream: lineto, curveto, rectangle.
PATH_OPERATORS = re.compile(rb"(?<![\w.])(?:l|c|v|y|re)(?=\s)")


def normalised(text: str) -> str:
    """NFKC (undoes ligatures such as "fi") with whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def printed(book, tmp_path_factory):
    """(PDF path, the tool's output, its warnings): the book printed once for this module."""
    output = tmp_path_factory.mktemp("pdf") / "the-tight-rope-annotated.pdf"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "print_pdf.py"), "--html", str(book),
                             "--output", str(output)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"print_pdf.py failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return output, result.stdout, result.stderr


def test_the_pdf_holds_every_page_in_reading_order(book, printed):
    pdf, stdout, _ = printed
    assert pdf.exists() and pdf.stat().st_size > 10_000, f"no PDF at {pdf}"
    reader = PdfReader(pdf)
    order = reading_order(book)
    assert f"{len(reader.pages)} pages" in stdout, f"the tool did not print the page count: {stdout!r}"

    # Every built page is in the reading order (a page outside the toc would be left out).
    built = {p.relative_to(book).as_posix() for p in pages(book)} - {"search.html"}
    assert built <= set(order), f"built but not reachable in reading order: {sorted(built - set(order))}"

    low, high = MIN_PDF_PAGES_PER_PAGE * len(order), MAX_PDF_PAGES_PER_PAGE * len(order)
    assert low <= len(reader.pages) <= high, \
        f"{len(reader.pages)} PDF pages for {len(order)} HTML pages (expected {low} to {high})"

    # One bookmark per HTML page, in toc order, each at a later PDF page than the one before.
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert len(marks) == len(order), f"{len(marks)} bookmarks for {len(order)} pages"
    starts = [page for _, page in marks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), f"bookmarks out of order: {marks}"
    for (title, start), relative in zip(marks, order):
        heading = normalised(re.sub(r"^[\d.]+\s*", "", title))
        assert heading in normalised(reader.pages[start].extract_text()), \
            f"{relative}: the page's title {heading!r} is not on PDF page {start + 1}"


def chart_titles(page) -> list[str]:
    """The titles of a built page's charts (their figure's aria-label)."""
    text = page.read_text(encoding="utf-8")
    return [html.unescape(t) for t in re.findall(r'<figure class="tr-chart" aria-label="([^"]*)"', text)]


def test_charts_are_printed_as_vector_graphics(book, printed):
    pdf, _, _ = printed
    titles = [title for page in pages(book) for title in chart_titles(page)]
    assert titles, "no page of the book has a chart (figure.tr-chart with a title)"
    reader = PdfReader(pdf)
    texts = [normalised(page.extract_text()) for page in reader.pages]
    problems = []
    for title in titles:
        found = [i for i, text in enumerate(texts) if normalised(title) in text]
        if not found:
            problems.append(f"chart {title!r}: its title is not in the PDF's text (not drawn, or printed as an image)")
            continue
        paths = len(PATH_OPERATORS.findall(reader.pages[found[0]].get_contents().get_data()))
        if paths < 20:
            problems.append(f"chart {title!r}: PDF page {found[0] + 1} draws only {paths} path segments")
    assert not problems, "\n".join(problems)


def test_printing_needs_nothing_from_outside(printed):
    """A page that needs a remote script prints without it (MathJax from a CDN
    leaves raw TeX such as \\(V\\) in the PDF)."""
    _, _, warnings = printed
    assert "remote resources" not in warnings, warnings
