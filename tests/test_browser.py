"""Every built page, in headless Chromium with the network cut to localhost."""

from __future__ import annotations

import pytest

from conftest import pages

MARKS = "figure.tr-chart svg .mark-rect path, figure.tr-chart svg path[class*=mark], " \
        "figure.tr-chart svg .role-mark > *"


def chart_marks(page) -> list[int]:
    """How many marks each chart on the page drew."""
    return page.eval_on_selector_all(
        "figure.tr-chart",
        "figs => figs.map(f => f.querySelectorAll('svg .role-mark > *').length)",
    )


def test_every_page_loads_offline_without_errors(book, site, open_page):
    problems = []
    for html in pages(book):
        url = f"{site}/{html.relative_to(book).as_posix()}"
        page, visit = open_page(url)
        if visit.blocked:
            problems.append(f"{url}: requested outside the site: {visit.blocked[:3]}")
        if visit.console_errors:
            problems.append(f"{url}: console errors: {visit.console_errors[:3]}")
        page.wait_for_timeout(50)
        for i, marks in enumerate(chart_marks(page), 1):
            if marks == 0:
                problems.append(f"{url}: chart {i} drew no marks")
        page.close()
    assert not problems, "\n".join(problems)


def test_charts_exist_and_draw(book, site, open_page):
    """The check above is only meaningful if some page has charts."""
    counts = {}
    for html in pages(book):
        if "tr-chart" in html.read_text(encoding="utf-8"):
            page, _ = open_page(f"{site}/{html.relative_to(book).as_posix()}")
            counts[html.name] = chart_marks(page)
            page.close()
    assert counts, "no page of the book has a chart"
    assert all(m > 0 for marks in counts.values() for m in marks), counts
