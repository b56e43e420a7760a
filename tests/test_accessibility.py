"""Accessibility of every built page: axe-core, chart text descriptions, keyboard use.

axe-core (bundled by axe-playwright-python) runs inside each page after its
charts have drawn, with every dropdown and text description opened so that
hidden content is checked too. No rule is switched off: the bar is zero
serious or critical violations. Moderate and minor ones are listed in the
report of a failure but do not fail the test.
"""

from __future__ import annotations

import base64

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import EXPAND_ALL_JS, NO_TRANSITIONS_CSS, only, page_urls, pages_matching, show, url_of  # noqa: F401

BLOCKING = {"serious", "critical"}


def axe_problems(page, url: str, options: dict | None = None,
                 context: dict | None = None, axe: Axe | None = None) -> tuple[list[str], list[str]]:
    """(blocking, other): one line per violated rule, with its impact and where."""
    results = (axe or Axe()).run(page, context=context, options=options or {"resultTypes": ["violations"]})
    blocking, other = [], []
    for v in results.response["violations"]:
        targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:4])
        summary = (v["nodes"][0].get("failureSummary") or "").replace("\n", " ")[:240] if v["nodes"] else ""
        line = (f"{url}: {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}\n"
                f"    at {targets}\n    {summary}\n    {v['helpUrl']}")
        (blocking if v["impact"] in BLOCKING else other).append(line)
    return blocking, other


@only(("desktop", "light"), ("phone", "light"))
def test_axe_finds_no_serious_or_critical_violations(page_reports):
    """axe-core on every page at phone and desktop width, in the light theme, with everything a reader
    can open opened (the shared visits of conftest.page_reports)."""
    light = page_reports
    assert light, "no page was visited"
    blocking = [line for r in light for line in r.axe_blocking]
    other = [line for r in light for line in r.axe_other]
    assert not blocking, ("serious or critical accessibility violations:\n" + "\n".join(blocking)
                          + "\n\n(less severe, for information:)\n" + "\n".join(other))


@only(("desktop", "dark"), ("phone", "dark"))
def test_text_is_readable_in_the_dark_theme(page_reports):
    """The theme has a dark mode a reader can switch to, and every page opens in it when chosen. The
    whole of axe-core runs in it (colour contrast included), charts included: they switch to the
    book's dark chart theme."""
    dark = page_reports
    assert dark, "no page was visited in the dark theme"
    not_dark = [f"{r.url} [{r.width}]" for r in dark if r.theme_seen != "dark"]
    assert not not_dark, f"not in dark mode: {not_dark}"
    blocking = [line for r in dark for line in r.axe_blocking]
    assert not blocking, "accessibility violations in the dark theme (colour contrast and others):\n" + "\n".join(blocking)


def chart_pages(book) -> list:
    found = pages_matching(book, r'<figure class="tr-chart"')
    assert found, "no page of the book has a chart (figure.tr-chart)"
    return found


# For each chart: its title label, the text of its description, and the
# accessible name Vega gives the SVG (on the SVG or the element around it).
CHART_TEXT_JS = """figs => figs.map(f => {
    const svg = f.querySelector('svg');
    const labelled = svg && svg.closest('[aria-label]');
    const details = f.querySelector(':scope > details.tr-chart-description');
    const summary = details && details.querySelector('summary');
    return {
        id: (f.querySelector('[id^=tr-chart]') || {}).id || '?',
        title: f.getAttribute('aria-label') || '',
        summary: summary ? summary.textContent.trim() : '',
        description: details ? details.textContent.replace(summary ? summary.textContent : '', '').trim() : null,
        svgLabel: labelled && f.contains(labelled) ? labelled.getAttribute('aria-label').trim() : '',
    };
})"""


@only(("desktop", "light"))
def test_every_chart_has_a_text_description(book, page_reports):
    chart_pages(book)
    problems, checked = [], 0
    for report in page_reports:
        for chart in report.chart_texts:
            where = f"{report.url} chart {chart['id']}"
            checked += 1
            if not chart["title"]:
                problems.append(f"{where}: the figure has no aria-label (the chart title)")
            if chart["description"] is None:
                problems.append(f"{where}: no details.tr-chart-description")
                continue
            if not chart["description"] or not chart["summary"]:
                problems.append(f"{where}: the text description or its summary is empty")
            if not chart["svgLabel"]:
                problems.append(f"{where}: the SVG has no aria-label (set the spec's description)")
            elif " ".join(chart["svgLabel"].split()) != " ".join(chart["description"].split()):
                problems.append(f"{where}: the SVG's aria-label {chart['svgLabel'][:60]!r} differs from "
                                f"the text description {chart['description'][:60]!r}")
    assert checked, "no chart was found in the browser"
    assert not problems, "\n".join(problems)


# Smallest chart text, in CSS pixels as drawn: the size of the book's axis and legend labels, which
# most readers can read without zooming (Vega's own default label size is 10 px).
MIN_CHART_TEXT_PX = 12


def test_chart_text_is_drawn_large_enough_to_read(page_reports):
    """At phone and desktop width, in both themes, no chart text is drawn smaller than 12 px: a chart
    is fitted to its column by narrowing its plot, never by shrinking it as a picture."""
    problems = []
    for report in page_reports:
        for chart in report.charts:
            smallest = chart.get("smallest")
            if smallest and smallest["px"] < MIN_CHART_TEXT_PX - 0.01:
                problems.append(f"{report.url} [{report.width}, {report.theme}] chart {chart['id']}: "
                                f"{smallest['text']!r} drawn at {smallest['px']:.1f} px")
    assert not problems, f"chart text smaller than {MIN_CHART_TEXT_PX} px:\n" + "\n".join(sorted(set(problems)))


# What a keyboard user can open, and how each says it is open.
DROPDOWNS = {
    "solution dropdown": {
        "pattern": r'class="[^"]*\bdropdown\b[^"]*\badmonition\b|class="[^"]*\badmonition\b[^"]*\bdropdown\b',
        "control": ".admonition.dropdown .toggle-button",
        "is_open": "el => el.getAttribute('aria-expanded') === 'true'",
        "container": ".admonition",
        "absent": "no dropdown admonition (e.g. a sphinx-exercise solution with `:class: dropdown`) "
                  "in the book yet; exercise pages are not written",
    },
    "chart text description": {
        "pattern": r'<details class="tr-chart-description"',
        "control": "details.tr-chart-description > summary",
        "is_open": "el => el.parentElement.open",
        "container": "details",
        "absent": "no chart in the book yet",
    },
}


def tab_to(page, selector: str, limit: int = 400) -> bool:
    """Press Tab from the top of the page until an element matching ``selector`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


@pytest.mark.parametrize("key", ["Enter", "Space"])
@pytest.mark.parametrize("kind", list(DROPDOWNS))
def test_keyboard_alone_opens_a_dropdown(book, site, reader, kind, key):
    page = reader
    spec = DROPDOWNS[kind]
    candidates = pages_matching(book, spec["pattern"])
    if not candidates:
        pytest.skip(spec["absent"])
    html = candidates[0]
    show(page, url_of(site, book, html))
    page.add_style_tag(content=NO_TRANSITIONS_CSS)
    assert tab_to(page, spec["control"]), \
        f"{html.name}: Tab never reached a {kind} ({spec['control']}): it is not in the tab order"
    control = page.locator(":focus").element_handle()  # the element, even after it loses focus
    assert not control.evaluate(spec["is_open"]), f"{html.name}: the {kind} starts open"

    # A keyboard user must see where the focus is: the control or its box looks different.
    focused = page.screenshot(clip=around(control, spec["container"]))

    page.keyboard.press(key)
    assert control.evaluate(spec["is_open"]), f"{html.name}: {key} on a focused {kind} did not open it"
    page.keyboard.press(key)
    assert not control.evaluate(spec["is_open"]), f"{html.name}: {key} again did not close the {kind}"

    page.evaluate("document.activeElement.blur()")
    unfocused = page.screenshot(clip=around(control, spec["container"]))
    changed = pixels_differing(page, focused, unfocused)
    assert changed >= FOCUS_MIN_PIXELS, (f"{html.name}: a focused {kind} looks like an unfocused one "
                                         f"({changed} pixels differ): no visible focus indicator")


# A 1 px outline around even a small control changes far more pixels than this;
# anti-aliasing noise between two screenshots changes a handful.
FOCUS_MIN_PIXELS = 40


def pixels_differing(page, png_a: bytes, png_b: bytes) -> int:
    """How many pixels of two same-sized screenshots differ visibly (compared in the browser)."""
    return page.evaluate("""async ([a, b]) => {
        const load = async src => { const img = new Image(); img.src = 'data:image/png;base64,' + src;
                                    await img.decode(); return img; };
        const [ia, ib] = [await load(a), await load(b)];
        const pixels = img => { const c = document.createElement('canvas'); c.width = img.width;
            c.height = img.height; const g = c.getContext('2d'); g.drawImage(img, 0, 0);
            return g.getImageData(0, 0, img.width, img.height).data; };
        const [pa, pb] = [pixels(ia), pixels(ib)];
        let n = 0;
        for (let i = 0; i < pa.length; i += 4) {
            if (Math.abs(pa[i] - pb[i]) + Math.abs(pa[i + 1] - pb[i + 1]) + Math.abs(pa[i + 2] - pb[i + 2]) > 48) n++;
        }
        return n;
    }""", [base64.b64encode(png_a).decode(), base64.b64encode(png_b).decode()])


def around(control, container: str) -> dict:
    """The box of the control's container with a margin for an outline, in viewport pixels."""
    return control.evaluate(f"""el => {{ const b = el.closest('{container}').getBoundingClientRect();
        return {{x: Math.max(b.x - 8, 0), y: Math.max(b.y - 8, 0), width: b.width + 16, height: b.height + 16}}; }}""")
