"""Every built page, in headless Chromium with the network cut to localhost, at phone (390 px) and
desktop (1366 px) width, in the light and the dark theme.

Each page is visited once per width and theme (conftest.page_reports); the tests below read what
those visits recorded.
"""

from __future__ import annotations

from conftest import only, pages


def where(report) -> str:
    return f"{report.url} [{report.width}, {report.theme}]"


def test_every_page_loads_offline_without_errors(book, page_reports):
    problems = []
    assert len(page_reports) == len(pages(book)), "every page is visited in each view"
    for report in page_reports:
        if report.blocked:
            problems.append(f"{where(report)}: requested outside the site: {report.blocked[:3]}")
        if report.console_errors:
            problems.append(f"{where(report)}: console errors: {report.console_errors[:3]}")
        for i, chart in enumerate(report.charts, 1):
            if chart["marks"] == 0:
                problems.append(f"{where(report)}: chart {i} drew no marks")
    assert not problems, "\n".join(problems)


@only(("desktop", "light"))
def test_charts_exist_and_draw(book, page_reports):
    """The check above is only meaningful if some page has charts."""
    counts = {r.url: [c["marks"] for c in r.charts] for r in page_reports if r.charts}
    assert counts, "no page of the book has a chart"
    assert all(m > 0 for marks in counts.values() for m in marks), counts


def test_no_chart_is_wider_than_its_column(page_reports):
    """Charts are fitted to their column from phone width up: none (nor its sliders or buttons)
    sticks out of its figure, which would hide part of it behind a sideways scroll."""
    problems = []
    checked = 0
    for report in page_reports:
        for chart in report.charts:
            if not chart.get("visible") or "width" not in chart:
                continue
            checked += 1
            for part in ("width", "bindings"):
                if chart[part] > chart["column"] + 0.5:
                    problems.append(f"{where(report)} chart {chart['id']}: its {'controls' if part == 'bindings' else 'chart'} "
                                    f"{chart[part]:.0f} px wide in a {chart['column']} px column")
    assert checked, "no visible chart was measured"
    assert not problems, "\n".join(problems)


def test_no_axis_legend_or_title_text_is_cut_short(page_reports):
    """A label reads as in the data: long labels wrap, none ends in Vega's ellipsis."""
    problems = [f"{where(r)} chart {c['id']}: {c['truncated'][:3]}"
                for r in page_reports for c in r.charts if c.get("truncated")]
    assert not problems, "labels truncated with '…':\n" + "\n".join(problems)


def test_no_table_is_clipped(page_reports):
    """Every table cell shows all of its content (its scroll width equals its client width), and a table
    wider than the page sits in a marked scroll container (a labelled region a keyboard can reach)."""
    problems = [f"{where(r)}: {problem}" for r in page_reports for problem in r.tables]
    assert not problems, "\n".join(problems)


def test_no_page_scrolls_sideways(page_reports):
    """Nothing makes the whole page wider than the window (at 390 px a reader would lose the text's edge)."""
    problems = [f"{where(r)}: {r.page_width} px wide in a {r.window_width} px window"
                for r in page_reports if r.page_width > r.window_width + 1]
    assert not problems, "\n".join(problems)


def test_screenshots_of_every_page_in_every_view(book, page_reports):
    """Full-page screenshots in _build/screenshots/ for a human to review (not committed): NAME.jpg at
    desktop width, NAME.phone.jpg at 390 px, and NAME.dark.jpg, NAME.phone.dark.jpg in the dark theme."""
    shots = [r.screenshot for r in page_reports]
    assert all(s and s.exists() for s in shots), [str(s) for s in shots if not s or not s.exists()]
    small = [s.name for s in shots if s.stat().st_size < 5_000]
    assert not small, f"blank-looking screenshots: {small}"
    assert {s.parent for s in shots} == {book.parent / "screenshots"}
