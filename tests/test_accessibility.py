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

from conftest import block_remote, pages, pages_matching, show, url_of

BLOCKING = {"serious", "critical"}
# Opens what a reader can open: <details> (chart descriptions, hidden code) and
# sphinx-togglebutton dropdowns (solutions), so axe also checks their content.
EXPAND_ALL_JS = """() => {
    document.querySelectorAll('details').forEach(d => d.open = true);
    document.querySelectorAll('.toggle-hidden').forEach(el => el.classList.remove('toggle-hidden'));
}"""
NO_TRANSITIONS_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def page_urls(book, site) -> list[str]:
    """Every page; the search page with a query so that its results are checked too."""
    urls = []
    for html in pages(book):
        url = url_of(site, book, html)
        urls.append(url + "?q=rope" if html.name == "search.html" and html.parent == book else url)
    return urls


def axe_problems(page, url: str, options: dict | None = None,
                 context: dict | None = None) -> tuple[list[str], list[str]]:
    """(blocking, other): one line per violated rule, with its impact and where."""
    results = Axe().run(page, context=context, options=options or {"resultTypes": ["violations"]})
    blocking, other = [], []
    for v in results.response["violations"]:
        targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:4])
        summary = (v["nodes"][0].get("failureSummary") or "").replace("\n", " ")[:240] if v["nodes"] else ""
        line = (f"{url}: {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}\n"
                f"    at {targets}\n    {summary}\n    {v['helpUrl']}")
        (blocking if v["impact"] in BLOCKING else other).append(line)
    return blocking, other


def test_axe_finds_no_serious_or_critical_violations(book, site, reader):
    page = reader
    blocking, other = [], []
    for url in page_urls(book, site):
        show(page, url)
        page.add_style_tag(content=NO_TRANSITIONS_CSS)
        page.evaluate(EXPAND_ALL_JS)
        b, o = axe_problems(page, url)
        blocking += b
        other += o
    assert not blocking, ("serious or critical accessibility violations:\n" + "\n".join(blocking)
                          + "\n\n(less severe, for information:)\n" + "\n".join(other))


def test_text_is_readable_in_the_dark_theme(book, site, browser):
    """The theme has a dark mode a reader can switch to. Only colours change, so
    only axe's colour-contrast rule runs, and not inside the charts: Vega draws
    them with their own colours on their own white background (checked above)."""
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    block_remote(context)
    page = context.new_page()
    urls = page_urls(book, site)
    page.goto(urls[0])
    page.evaluate("localStorage.setItem('mode', 'dark')")  # what the theme's switch stores
    blocking = []
    for url in urls:
        show(page, url)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark", f"{url}: not in dark mode"
        page.add_style_tag(content=NO_TRANSITIONS_CSS)
        page.evaluate(EXPAND_ALL_JS)
        blocking += axe_problems(page, url, {"runOnly": {"type": "rule", "values": ["color-contrast"]}},
                                 context={"exclude": [["figure.tr-chart .vega-embed"]]})[0]
    context.close()
    assert not blocking, "colour contrast too low in the dark theme:\n" + "\n".join(blocking)


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


def test_every_chart_has_a_text_description(book, site, reader):
    page = reader
    problems, checked = [], 0
    for html in chart_pages(book):
        show(page, url_of(site, book, html))
        for chart in page.eval_on_selector_all("figure.tr-chart", CHART_TEXT_JS):
            where = f"{html.relative_to(book)} chart {chart['id']}"
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


# Smallest chart text, in CSS pixels as drawn, that most readers can read
# without zooming; Vega's own default label size is 10 px.
MIN_CHART_TEXT_PX = 9


def test_chart_text_is_drawn_large_enough_to_read(book, site, reader):
    """On a desktop-width screen (1280 px) no chart is shrunk until its text is
    too small: a chart wider than the column should scroll, or be narrower."""
    page = reader
    page.set_viewport_size({"width": 1280, "height": 900})
    problems = []
    for html in chart_pages(book):
        show(page, url_of(site, book, html))
        for chart in page.eval_on_selector_all("figure.tr-chart svg.marks", """svgs => svgs.map(s => {
                const scale = s.getBoundingClientRect().width / Number(s.getAttribute('width'));
                const sizes = [...s.querySelectorAll('text')].filter(t => t.textContent.trim())
                    .map(t => parseFloat(getComputedStyle(t).fontSize));
                return {id: (s.closest('[id^=tr-chart]') || {}).id || '?', scale,
                        natural: Number(s.getAttribute('width')), smallest: Math.min(...sizes)};
            })"""):
            drawn = chart["smallest"] * chart["scale"]
            if drawn < MIN_CHART_TEXT_PX:
                problems.append(f"{html.relative_to(book)} chart {chart['id']}: {chart['natural']:.0f} px wide "
                                f"drawn at {chart['scale']:.0%}, so its {chart['smallest']:g} px text shows at "
                                f"{drawn:.1f} px")
    assert not problems, (f"chart text smaller than {MIN_CHART_TEXT_PX} px on a 1280 px screen (the flex "
                          ".vega-embed shrinks the SVG to the column, and puts slider panels beside it):\n"
                          + "\n".join(problems))


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
