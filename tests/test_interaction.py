"""What a reader does with the book in a browser: hover a chart, open a solution,
move the model's sliders, search for a term. Also writes a screenshot of every
page to _build/screenshots/ for review.

Each test finds its elements by selector anywhere in the book, so it keeps
working as chapters are added. When a kind of element does not exist in the
book yet (no solution dropdown, no slider), the test is skipped and says so.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from conftest import pages, pages_matching, show, url_of

# Vega draws each datum as one element inside a mark group; bars and points
# first (lines and areas are one path whose centre may miss the stroke).
MARK_ITEMS = ", ".join(f"figure.tr-chart svg .mark-{kind}.role-mark:not([class*=_brush]) > path"
                       for kind in ("rect", "symbol", "arc", "shape", "line", "area"))
TOOLTIP = "#vg-tooltip-element"  # vega-tooltip's element, given class "visible" while shown
SOLUTION = ".solution.dropdown"  # sphinx-exercise {solution} with `:class: dropdown`
# sphinx-togglebutton hides a dropdown's body with this class and a button in its title.
TOGGLE_BUTTON = ".toggle-button"
SLIDER = ".vega-bindings input[type=range]"  # alt.binding_range, drawn by vega-embed


def tooltip_shown(page) -> str:
    """The text of the chart tooltip if it is visible, else ''."""
    return page.evaluate(f"""() => {{
        const t = document.querySelector('{TOOLTIP}');
        return t && t.classList.contains('visible') && t.checkVisibility() ? t.innerText.trim() : '';
    }}""")


def hover_marks_until_tooltip(page, tries: int = 15) -> str:
    """Point at the chart's marks one by one until a tooltip shows; returns its text."""
    items = page.locator(MARK_ITEMS)
    for i in range(min(items.count(), tries)):
        item = items.nth(i)
        item.scroll_into_view_if_needed()
        box = item.bounding_box()
        if not box or box["width"] * box["height"] == 0:
            continue
        # The mouse itself, not hover(): layered marks would fail its actionability check.
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.wait_for_function(f"() => document.querySelector('{TOOLTIP}.visible')", timeout=300)
        except Exception:
            continue
        text = tooltip_shown(page)
        if text:
            return text
    return ""


def test_a_chart_tooltip_appears_on_hover(book, site, reader):
    page = reader
    candidates = pages_matching(book, r'"tooltip":\s*[\[{]')  # in a chart's spec
    assert candidates, "no chart in the book has a tooltip (encode(tooltip=...)); readers are told to hover"
    for html in candidates:
        show(page, url_of(site, book, html))
        text = hover_marks_until_tooltip(page)
        if text:
            page.mouse.move(1, 1)
            page.wait_for_function(f"() => !document.querySelector('{TOOLTIP}.visible')", timeout=3000)
            return
    pytest.fail(f"pointing at the marks of the charts on {[p.name for p in candidates]} showed no "
                f"tooltip ({TOOLTIP} never became visible with text)")


def solution_pages(book) -> list:
    found = pages_matching(book, r'class="[^"]*\bsolution\b[^"]*\bdropdown\b')
    if not found:
        pytest.skip("no solution dropdown in the book yet (sphinx-exercise {solution} with "
                    "`:class: dropdown`, HTML div.solution.dropdown); exercise pages are not written")
    return found


def open_dropdown(page, dropdown) -> None:
    """Click a togglebutton dropdown's button and wait until its body shows."""
    button = dropdown.locator(TOGGLE_BUTTON).first
    assert button.get_attribute("aria-expanded") == "false", "the solution does not start collapsed"
    button.click()
    page.wait_for_function("d => !d.classList.contains('toggle-hidden')", arg=dropdown.element_handle())
    assert button.get_attribute("aria-expanded") == "true"


def test_a_solution_dropdown_starts_closed_and_opens(book, site, reader):
    page = reader
    html = solution_pages(book)[0]
    show(page, url_of(site, book, html))
    dropdown = page.locator(SOLUTION).first
    body = dropdown.locator(":scope > :not(.admonition-title)").first
    assert not body.is_visible(), f"{html.name}: the solution is visible before it is opened"
    open_dropdown(page, dropdown)
    body.wait_for(state="visible", timeout=3000)


def test_a_chart_inside_a_solution_draws_when_opened(book, site, reader):
    page = reader
    candidates = solution_pages(book)
    for html in candidates:
        show(page, url_of(site, book, html))
        dropdown = page.locator(f"{SOLUTION}:has(figure.tr-chart)").first
        if not dropdown.count():
            continue
        chart = dropdown.locator("figure.tr-chart").first
        assert not chart.is_visible(), f"{html.name}: the solution's chart shows before it is opened"
        open_dropdown(page, dropdown)
        chart.wait_for(state="visible", timeout=3000)
        box = chart.locator("svg").first.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 50, f"{html.name}: chart drew at {box}"
        assert chart.locator("svg .role-mark > *").first.is_visible(), f"{html.name}: no visible marks"
        return
    pytest.fail(f"solution dropdowns exist ({[p.name for p in candidates]}) but none holds a chart "
                "(figure.tr-chart); an exercise solution should draw one")


def slider_pages(book) -> list:
    found = pages_matching(book, r'"input":\s*"range"')
    deterrence = [p for p in pages(book) if p.name == "03-deterrence.html"]
    assert not deterrence or deterrence[0] in found, \
        "chapters/03-deterrence is built but has no slider chart (alt.binding_range)"
    if not found:
        pytest.skip("no chart with a slider (alt.binding_range -> .vega-bindings input[type=range]) in "
                    "the book yet; the interactive model of chapters/03-deterrence is not written")
    return found


def test_every_model_slider_changes_its_chart(book, site, reader):
    page = reader
    problems, moved = [], 0
    for html in slider_pages(book):
        show(page, url_of(site, book, html))
        sliders = page.locator(SLIDER)
        assert sliders.count(), f"{html.name}: the spec binds a range but no {SLIDER} was drawn"
        for i in range(sliders.count()):
            slider = sliders.nth(i)
            figure = page.locator("figure.tr-chart").filter(has=slider).first
            svg = figure.locator("svg").first
            before = svg.evaluate("s => s.outerHTML")
            shown = slider.evaluate("s => s.nextElementSibling && s.nextElementSibling.textContent")
            at_max = slider.evaluate("s => Number(s.value) >= Number(s.max)")
            slider.focus()
            page.keyboard.press("Home" if at_max else "End")  # as a keyboard user would
            name = slider.get_attribute("name")
            try:
                page.wait_for_function("([s, before]) => s.outerHTML !== before",
                                       arg=[svg.element_handle(), before], timeout=5000)
            except Exception:
                problems.append(f"{html.name}: moving slider {name!r} did not change the chart")
                continue
            after = slider.evaluate("s => s.nextElementSibling && s.nextElementSibling.textContent")
            if after == shown:
                problems.append(f"{html.name}: slider {name!r} moved but its value label still reads {shown!r}")
            moved += 1
    assert not problems, "\n".join(problems)
    assert moved, "no slider was moved"


def glossary_terms(book) -> tuple[str, list[str]]:
    """The glossary page (relative path) and its terms."""
    preferred = book / "appendices" / "glossary.html"
    candidates = [preferred] if preferred.exists() else pages_matching(book, r'<dl class="[^"]*\bglossary\b')
    if not candidates:
        pytest.skip("no glossary in the book yet (the {glossary} directive, dl.glossary); "
                    "appendices/glossary is not written")
    text = candidates[0].read_text(encoding="utf-8")
    terms = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r'<dt id="term-[^"]*"[^>]*>(.*?)</dt>', text, re.S)]
    # Sphinx appends a link symbol to each term; keep the words only.
    terms = [re.sub(r"[^\w' -]+$", "", t).strip() for t in terms]
    assert terms, f"{candidates[0].name} has a glossary with no terms"
    return candidates[0].relative_to(book).as_posix(), terms


def test_search_finds_glossary_terms(book, site, reader):
    page = reader
    glossary, terms = glossary_terms(book)
    for term in dict.fromkeys([terms[0], terms[-1]]):
        page.goto(f"{site}/search.html?q={quote(term)}", wait_until="load")
        try:
            page.locator("#search-results ul.search li").first.wait_for(timeout=10_000)
            # results arrive one page at a time: wait until Sphinx says the search has finished
            page.wait_for_function("() => /Search finished/.test(document.querySelector('#search-results')?.innerText"
                                   " || '')", timeout=20_000)
        except Exception:
            summary = page.locator("#search-results").inner_text() if page.locator("#search-results").count() else ""
            pytest.fail(f"searching for the glossary term {term!r} found nothing: {summary!r}")
        links = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.getAttribute('href'))")
        assert any(href.split("#")[0] == glossary for href in links), \
            f"searching for {term!r} did not list the glossary ({glossary}); results: {links[:8]}"


def test_every_page_asks_for_the_same_versioned_chart_bundle(book):
    """One URL for the bundle on every page, carrying Sphinx's ?v= checksum: the
    browser then downloads it once per visit, and again only when it changes."""
    urls = {}
    for html in pages(book):
        found = re.findall(r'src="(?:\.\./)*_static/(tightrope-vega\.js[^"]*)"', html.read_text(encoding="utf-8"))
        assert found, f"{html.relative_to(book)} does not load the chart bundle"
        urls.setdefault(found[0], []).append(html.relative_to(book).as_posix())
    assert len(urls) == 1, f"pages ask for the bundle under different URLs (downloaded once per URL): {urls}"
    assert "?v=" in next(iter(urls)), \
        (f"the bundle is loaded as {next(iter(urls))!r}, without Sphinx's ?v= checksum: it was not in _static "
         "when the pages were written (it is written at build-finished), so a changed bundle is not re-fetched")


def test_one_click_on_the_theme_button_turns_a_light_page_dark_and_back(reader, site, book):
    show(reader, url_of(site, book, book / "intro.html"))
    reader.evaluate("() => { localStorage.clear(); document.documentElement.dataset.theme = 'light'; "
                    "document.documentElement.dataset.mode = 'light'; }")
    button = reader.locator(".theme-switch-button").first
    button.click()
    assert reader.evaluate("() => document.documentElement.dataset.theme") == "dark"
    button.click()
    assert reader.evaluate("() => document.documentElement.dataset.theme") == "light"


def test_every_page_has_the_licence_footer_one_search_box_and_a_favicon(book):
    for page in pages(book):
        text = page.read_text(encoding="utf-8")
        assert "CC BY 4.0" in text and "MIT licence" in text, f"{page.name}: no licence in the footer"
        assert text.count("search-button-field") <= 1, f"{page.name}: more than one search box"
        icon = re.search(r'<link rel="icon" href="([^"]+)"', text)
        assert icon and (page.parent / icon.group(1)).resolve().is_file(), f"{page.name}: no favicon"


def test_margin_notes_join_the_text_on_a_phone(open_page, site, book):
    with_notes = pages_matching(book, r'<aside class="margin')
    if not with_notes:
        pytest.skip("no page has a margin note")
    page, _ = open_page(url_of(site, book, with_notes[0]), viewport={"width": 390, "height": 844})
    widths = page.evaluate("""() => {
        const note = document.querySelector('.bd-content aside.margin');
        const text = note.parentElement.getBoundingClientRect().width;
        return [note.getBoundingClientRect().width, text, getComputedStyle(note).float];
    }""")
    note, column, float_ = widths
    assert float_ == "none" and note >= 0.9 * column, f"margin note {note:.0f}px in a {column:.0f}px column"


def test_a_period_button_zooms_the_timeline_without_a_drag(book, site, reader):
    """The timeline's brush needs a drag; its period buttons do the same with one tap."""
    found = pages_matching(book, r'"name":\s*"preset"')
    assert found, "no chart has period buttons (the interactive timeline's 'preset' parameter)"
    page = reader
    show(page, url_of(site, book, found[0]))
    buttons = page.locator(".vega-bindings input[type=radio]")
    assert buttons.count() >= 2, "the period buttons were not drawn"
    figure = page.locator("figure.tr-chart").filter(has=buttons.first).first
    labels = figure.locator("svg .role-axis-label text")
    before = labels.all_text_contents()
    buttons.nth(2).click()
    page.wait_for_function("([f, before]) => [...f.querySelectorAll('svg .role-axis-label text')]"
                           ".map(t => t.textContent).join('|') !== before",
                           arg=[figure.element_handle(), "|".join(before)], timeout=5000)
    assert labels.all_text_contents() != before


def test_charts_follow_the_theme_switch(book, site, reader):
    """One click on the theme button redraws the charts in the dark chart theme, and back."""
    page = reader
    html = pages_matching(book, r'<figure class="tr-chart"')[0]
    show(page, url_of(site, book, html))
    page.evaluate("() => { localStorage.clear(); document.documentElement.dataset.theme = 'light'; "
                  "document.documentElement.dataset.mode = 'light'; }")
    page.wait_for_function("() => (document.documentElement.dataset.trChartsPending || '0') === '0'")
    title = "figure.tr-chart svg .role-title-text text"
    light = page.locator(title).first.get_attribute("fill")
    page.locator(".theme-switch-button").first.click()
    page.wait_for_function(f"light => document.querySelector('{title}').getAttribute('fill') !== light",
                           arg=light, timeout=5000)
    dark = page.locator(title).first.get_attribute("fill")
    background = page.evaluate("() => getComputedStyle(document.querySelector('figure.tr-chart')"
                               ".closest('.output')).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent"), f"the chart sits on a {background} panel in dark mode"
    page.locator(".theme-switch-button").first.click()
    page.wait_for_function(f"dark => document.querySelector('{title}').getAttribute('fill') !== dark",
                           arg=dark, timeout=5000)
    assert page.locator(title).first.get_attribute("fill") == light


VISIBLE_ROWS_JS = """t => [...t.querySelectorAll('tbody tr')].filter(r => r.getClientRects().length).length"""


def test_a_long_table_starts_folded_and_unfolds_on_a_click_a_link_or_a_filter(book, site, reader):
    """The timeline's table shows its first rows, a button shows the rest, a link to a later row
    unfolds it, typing in the filter searches every row, and printing shows all."""
    page = reader
    url = url_of(site, book, book / "appendices" / "timeline.html")
    show(page, url)
    table = page.locator("table.tr-table").first
    total = table.locator("tbody tr").count()
    assert total > 40, f"the timeline table has only {total} rows"
    assert page.evaluate(VISIBLE_ROWS_JS, table.element_handle()) == 25
    button = page.locator("button.tr-show-all").first
    assert button.inner_text() == f"Show all {total} rows" and button.get_attribute("aria-expanded") == "false"
    button.click()
    assert page.evaluate(VISIBLE_ROWS_JS, table.element_handle()) == total
    button.click()
    assert page.evaluate(VISIBLE_ROWS_JS, table.element_handle()) == 25

    last_id = table.locator("tbody tr").last.get_attribute("id")
    assert last_id, "the timeline's rows carry no anchors"
    show(page, f"{url}#{quote(last_id)}")
    assert page.locator(f"[id='{last_id}']").is_visible(), "a link to a folded row did not unfold its table"

    show(page, url)
    page.locator(".tr-table-filter input[type=search]").fill(table.locator("tbody tr").last.inner_text()[:10])
    assert page.locator(f"[id='{last_id}']").is_visible(), "the filter did not search the folded rows"

    show(page, url)
    page.emulate_media(media="print")
    try:
        assert page.evaluate(VISIBLE_ROWS_JS, table.element_handle()) == total
    finally:
        page.emulate_media(media="screen")
