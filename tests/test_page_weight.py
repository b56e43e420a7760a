"""A light first visit, with nothing lost (tightrope/page_weight.py).

1. The stylesheet purge: a rule goes only when every selector in it needs a class that no
   page carries and no script names; it keeps what scripts add, :not(), @font-face, ...
2. The icon font keeps the glyph of every icon the stylesheets draw, drawn the same.
3. Only the search page loads the search index.
4. In Chromium, every element of a chapter, an exercise, an appendix and the search page
   has the same computed style with the purged stylesheets and subset font as with the
   theme's originals, at phone and desktop widths, in light and dark.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from conftest import CHARTS_SETTLED_JS, EXPAND_ALL_JS, THEMES, WIDTHS, block_remote, pages, wait_for_charts

from tightrope import page_weight
from tightrope.page_weight import purge_stylesheet, used_names

THEME_STATIC = Path(__import__("pydata_sphinx_theme").__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


# --------------------------------------------------------------------------- the purge, as a function

def purged(css: str, page: str = "", script: str = "") -> str:
    return purge_stylesheet(css, used_names([page], [script] if script else []))


def test_a_rule_whose_class_a_script_adds_is_kept():
    css = ".show{display:block}.hidden-forever{display:none}"
    out = purged(css, '<div class="dropdown">', 'el.classList.add("show")')
    assert ".show{display:block}" in out and "hidden-forever" not in out


def test_classes_a_script_builds_from_pieces_are_kept():
    css = ".bs-tooltip-auto{margin:0}.toggle-open{color:red}.wide-px{width:1px}.never{color:blue}"
    out = purged(css, script='t.classList.add(`bs-${this.constructor.NAME}-auto`); b.className = "toggle-" + state;'
                             ' el.style.width = `${n}px`;')
    assert ".bs-tooltip-auto{" in out and ".toggle-open{" in out
    assert "wide-px" not in out and "never" not in out, "a size or an unrelated class was kept"


def test_classes_inside_not_and_other_functional_pseudo_classes_are_not_required():
    css = "p:not(.unused){color:red}a:is(.unused,.other) b{color:blue}div:has(> .unused){margin:0}.unused p{color:green}"
    out = purged(css, "<p>text</p>")
    assert "p:not(.unused){color:red}" in out and "a:is(.unused,.other) b{color:blue}" in out
    assert "div:has(> .unused){margin:0}" in out and "color:green" not in out


def test_a_rule_whose_only_selector_needs_an_unused_class_is_dropped():
    css = ".used .unused-child{color:red}a.unused{color:blue}.used{color:green}"
    assert purged(css, '<div class="used">') == ".used{color:green}"


def test_a_selector_list_keeps_its_usable_selectors():
    out = purged(".unused,.used > p,h1.unused-too,h2{margin:0}", '<div class="used">')
    assert out == ".used > p,h2{margin:0}"


def test_media_and_supports_blocks_are_purged_in_turn_and_dropped_when_empty():
    css = ("@media (min-width:960px){.used{color:red}.unused{color:blue}}"
           "@media print{.unused{display:none}}"
           "@supports (display:grid){@media screen{.unused{color:red}.used{color:green}}}")
    out = purged(css, '<div class="used">')
    assert out == ("@media (min-width:960px){.used{color:red}}"
                   "@supports (display:grid){@media screen{.used{color:green}}}")


def test_font_faces_keyframes_custom_properties_and_plain_selectors_are_kept():
    css = ('@font-face{font-family:Icons;src:url(icons.woff2) format("woff2")}'
           "@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}"
           ':root{--pst-icon-note:"\\f0f3"}html[data-theme=dark] a{color:#fff}.unused{color:red}')
    out = purged(css)
    assert "@font-face{font-family:Icons" in out and "@keyframes spin{from{" in out
    assert ":root{--pst-icon-note:" in out and "\\f0f3" in out and "html[data-theme=dark] a{color:#fff}" in out
    assert ".unused" not in out


def test_the_purge_is_idempotent_and_leaves_licences():
    css = (THEME_STATIC / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    used = used_names(['<div class="bd-sidebar-primary navbar-nav btn show">'], ["x.classList.add('active')"])
    once = purge_stylesheet(css, used)
    assert len(once) < len(css) / 2, "the theme's stylesheet lost less than half: the purge kept unused rules"
    assert purge_stylesheet(once, used) == once
    assert "/*!" in once and "sourceMappingURL" not in once


# --------------------------------------------------------------------------- the icon font

def glyph_drawings(font, codepoints) -> dict[int, list]:
    from fontTools.pens.recordingPen import RecordingPen

    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    drawings = {}
    for codepoint in codepoints:
        pen = RecordingPen()
        glyphs[cmap[codepoint]].draw(pen)
        drawings[codepoint] = (glyphs[cmap[codepoint]].width, pen.value)
    return drawings


def test_the_icon_font_keeps_every_glyph_the_stylesheets_draw_and_nothing_else():
    from fontTools.ttLib import TTFont

    original = (THEME_STATIC / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2").read_bytes()
    css = ':root{--pst-icon-check:"\\f00c";--pst-icon-info:"\\f05a"}.x:before{content:"\\f0f3"}'
    wanted = page_weight.stylesheet_codepoints(css)
    assert wanted == {0xF00C, 0xF05A, 0xF0F3}
    small = page_weight.subset_font(original, wanted)
    assert len(small) < len(original) / 10
    before, after = TTFont(io.BytesIO(original)), TTFont(io.BytesIO(small))
    assert after.flavor == "woff2"
    assert set(after.getBestCmap()) == wanted, "glyphs the stylesheets do not draw are still there (or some are lost)"
    assert glyph_drawings(after, wanted) == glyph_drawings(before, wanted), "an icon is drawn differently"


# --------------------------------------------------------------------------- after every build

def icon_site(tmp_path, font_address: str) -> tuple[Path, Path, str]:
    """A built site in miniature: the theme's solid icon font and a stylesheet that loads it from
    `font_address` and draws one icon for .used and one for .later. (site, the font, the stylesheet)"""
    site = tmp_path / "_build" / "html"
    (site / "_static" / "webfonts").mkdir(parents=True)
    font = THEME_STATIC / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    (site / "_static" / "webfonts" / font.name).write_bytes(font.read_bytes())
    theme = (f'@font-face{{font-family:"Font Awesome 6 Free";font-weight:900;src:url({font_address})}}'
             '.used:before{content:"\\f00c"}.later:before{content:"\\f05a"}')
    (site / "_static" / "theme.css").write_text(theme, encoding="utf-8")
    return site, font, theme


def test_each_build_purges_again_keeps_the_originals_and_is_cheap_when_nothing_changed(tmp_path, monkeypatch):
    """Sphinx copies static files afresh whenever it writes a page: the purge runs over the whole site
    every build, keeps the copies it was given beside the site, and skips the work when nothing changed."""
    site, font, theme = icon_site(tmp_path, "webfonts/fa-solid-900.woff2")
    (site / "_static" / "own.css").write_text(".unused-but-ours{color:red}", encoding="utf-8")
    page = site / "index.html"
    page.write_text('<p class="used">x</p>', encoding="utf-8")

    assert page_weight.lighten_folder(site, own={"own.css"})
    css = (site / "_static" / "theme.css").read_text(encoding="utf-8")
    assert ".used:before" in css and ".later" not in css
    assert (site / "_static" / "own.css").read_text(encoding="utf-8") == ".unused-but-ours{color:red}"
    assert len((site / "_static" / "webfonts" / font.name).read_bytes()) < font.stat().st_size / 10
    store = page_weight.store_dir(site) / "originals" / "_static"
    assert (store / "theme.css").read_text(encoding="utf-8") == theme, "the original is not kept"
    assert (store / "webfonts" / font.name).read_bytes() == font.read_bytes()

    def not_again(*args):
        raise AssertionError("done again with nothing changed")

    with monkeypatch.context() as patch:
        patch.setattr(page_weight, "used_names", not_again)  # nothing is even read
        assert not page_weight.lighten_folder(site, own={"own.css"})
    page.touch()
    with monkeypatch.context() as patch:
        patch.setattr(page_weight, "purge_stylesheet", not_again)  # read, found the same, not purged again
        patch.setattr(page_weight, "subset_font", not_again)
        assert not page_weight.lighten_folder(site, own={"own.css"}), "a page written again unchanged changed the files"

    (site / "_static" / "theme.css").write_text(theme, encoding="utf-8")  # as Sphinx copies it when it writes pages
    with monkeypatch.context() as patch:
        patch.setattr(page_weight, "used_names", not_again)  # the pages are untouched: what was made is put back
        assert page_weight.lighten_folder(site, own={"own.css"})
    assert ".later" not in (site / "_static" / "theme.css").read_text(encoding="utf-8")

    page.write_text('<p class="used">x</p><p class="later">y</p>', encoding="utf-8")  # a page uses another class
    assert page_weight.lighten_folder(site, own={"own.css"})
    assert ".later:before" in (site / "_static" / "theme.css").read_text(encoding="utf-8")
    from fontTools.ttLib import TTFont
    assert {0xF00C, 0xF05A} <= set(TTFont(site / "_static" / "webfonts" / font.name).getBestCmap())


# --------------------------------------------------------------------------- the built book

def test_only_the_search_page_loads_the_search_index(book):
    search = book / "search.html"
    assert 'src="searchindex.js' in search.read_text(encoding="utf-8")
    loading = [p.relative_to(book).as_posix() for p in pages(book)
               if p != search and re.search(r"searchindex\.js|searchtools\.js", p.read_text(encoding="utf-8"))]
    assert not loading, f"pages other than search.html load the search index: {loading[:5]}"


def test_the_built_fonts_hold_every_icon_the_built_stylesheets_draw(book):
    from fontTools.ttLib import TTFont

    css = "".join(p.read_text(encoding="utf-8") for p in (book / "_static").rglob("*.css"))
    drawn = {c for c in page_weight.stylesheet_codepoints(css) if 0xE000 <= c <= 0xF8FF}
    assert drawn, "no icon drawn by a stylesheet: the test would prove nothing"
    originals = page_weight.store_dir(book) / "originals"
    for font in (book / "_static").rglob("fa-*.woff2"):
        was = TTFont(originals / font.relative_to(book))
        now = TTFont(font)
        had = drawn & set(was.getBestCmap())
        assert had <= set(now.getBestCmap()), f"{font.name} lost {sorted(map(hex, had - set(now.getBestCmap())))}"
        assert glyph_drawings(now, had) == glyph_drawings(was, had), f"{font.name} draws an icon differently"


# --------------------------------------------------------------------------- nothing looks different

# Every computed property of each element (and of its ::before and ::after when drawn) as one hash,
# left in window.trStyles; with `detail`, the properties themselves for those elements. Standard
# properties everywhere, and custom properties (--*) on the root and body as well, where the
# stylesheets define them: elsewhere they matter only through the standard properties that use them.
STYLES_JS = """(detail) => {
    const standard = [...getComputedStyle(document.documentElement)].filter(p => !p.startsWith('--'));
    const describe = (cs, props) => props.map(p => p + ':' + cs.getPropertyValue(p)).join('\\n');
    const hash = s => { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0).toString(36); };
    window.trStyles = new Promise(resolve => setTimeout(() => {
        const out = [];
        [...document.querySelectorAll('*')].forEach((el, n) => {
            if (detail && !detail.includes(n)) return;
            const cs = getComputedStyle(el);
            let s = describe(cs, el === document.documentElement || el === document.body ? [...cs].sort() : standard);
            for (const pseudo of ['::before', '::after']) {
                const ps = getComputedStyle(el, pseudo);
                if (ps.content !== 'none' && ps.content !== 'normal') s += '\\n' + pseudo + '\\n' + describe(ps, standard);
            }
            const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map(c => '.' + c).join('');
            out.push(detail ? [n, label, s] : hash(s));
        });
        resolve(out);
    }, 0));
}"""
SEARCH_DONE_JS = "() => /Search finished/.test(document.querySelector('#search-results')?.innerText || '')"
# Animations that end (a dropdown fading in, say): the comparison waits for them.
ANIMATIONS_DONE_JS = """() => Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)))"""


def open_what_a_reader_opens(tab, menus: bool) -> None:
    """Every <details> and solution dropdown open; with `menus`, the header's download menu open and a
    button's tooltip shown (their classes come from scripts: Bootstrap's show, bs-tooltip-auto)."""
    tab.evaluate(EXPAND_ALL_JS)
    tab.wait_for_timeout(250)  # charts in opened dropdowns are fitted to their column
    tab.wait_for_function(CHARTS_SETTLED_JS, timeout=20_000)
    wait_for_charts(tab)
    if menus:
        menu = tab.locator("[data-bs-toggle=dropdown]:visible")
        if menu.count():
            menu.first.click()
            tab.locator(".dropdown-menu.show").first.wait_for()
        tip = tab.locator("[data-bs-toggle=tooltip]:visible")
        if tip.count():
            tip.last.hover()
            tab.locator(".tooltip.show").first.wait_for()
    tab.evaluate(ANIMATIONS_DONE_JS)


def compared_pages(book: Path) -> list[str]:
    """A chapter with charts, an exercise, an appendix and the search page (with results)."""
    chapter = next(p for p in sorted((book / "chapters").glob("*.html")) if 'class="tr-chart"' in p.read_text(encoding="utf-8"))
    exercise = next(p for p in sorted((book / "exercises").glob("*.html")) if "solution" in p.read_text(encoding="utf-8"))
    appendix = next(book / "appendices" / name for name in ("glossary.html", "timeline.html")
                    if (book / "appendices" / name).exists())
    return [p.relative_to(book).as_posix() for p in (chapter, exercise, appendix)] + ["search.html?q=rope"]


def test_every_element_looks_the_same_with_the_purged_stylesheets_and_font(book, site, browser):
    """In each width and theme, one tab gets the site as built and one the files as Sphinx copied them
    (kept beside the site by the build), and every element's computed style must be the same."""
    originals = page_weight.store_dir(book) / "originals"
    replaced = {p.relative_to(originals).as_posix(): p.read_bytes() for p in originals.rglob("*") if p.is_file()}
    changed = [rel for rel, data in replaced.items() if (book / rel).read_bytes() != data]
    assert any(rel.endswith(".css") for rel in changed) and any(rel.endswith(".woff2") for rel in changed), \
        f"nothing was purged or subset, so nothing is compared: {changed}"

    def serve_original(route):
        rel = route.request.url.removeprefix(site + "/").split("?")[0].split("#")[0]
        if rel in replaced:
            kind = "text/css" if rel.endswith(".css") else "font/woff2" if rel.endswith(".woff2") else "font/ttf"
            route.fulfill(status=200, body=replaced[rel], content_type=kind)
        else:
            route.fallback()

    def styles(tabs, url: str, detail=None) -> list[list]:
        for tab in tabs:  # both tabs load at once
            tab.goto(url, wait_until="commit")
        for tab in tabs:
            tab.bring_to_front()  # a tab behind another gets no animation frames: charts and fades would wait
            tab.wait_for_load_state("load")
            wait_for_charts(tab)
            tab.wait_for_function(CHARTS_SETTLED_JS, timeout=20_000)
            if "search.html" in url:  # results, then each result's summary, fetched one by one
                tab.wait_for_function(SEARCH_DONE_JS, timeout=20_000)
                tab.wait_for_load_state("networkidle")
            tab.evaluate("document.fonts.ready")
            open_what_a_reader_opens(tab, menus=url.startswith(f"{site}/chapters/"))
        found = []
        for tab in tabs:  # each in front when measured (focus styles apply only in the window in front)
            tab.bring_to_front()
            tab.evaluate(STYLES_JS, detail)
            found.append(tab.evaluate("window.trStyles"))
        return found

    differences = []
    for theme in THEMES:
        for width_name, width in WIDTHS.items():
            # Routing disables the browser's cache: each tab fetches the files it is given.
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
            context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
            block_remote(context)
            built, original = context.new_page(), context.new_page()
            original.route(re.compile(r".*/_static/.*"), serve_original)
            for path in compared_pages(book):
                url = f"{site}/{path}"
                as_built, as_copied = styles([built, original], url)
                if as_built == as_copied:
                    continue
                where = ([n for n, (a, b) in enumerate(zip(as_built, as_copied)) if a != b][:3]
                         if len(as_built) == len(as_copied) else [0])
                for (n, label, a), (_, _, b) in zip(*styles([built, original], url, where)):
                    lines = sorted(set(a.splitlines()) ^ set(b.splitlines()))[:6]
                    differences.append(f"{path} [{width_name}, {theme}] element {n} {label}: {lines}")
                if len(as_built) != len(as_copied):
                    differences.append(f"{path} [{width_name}, {theme}]: {len(as_built)} elements, "
                                       f"{len(as_copied)} with the originals")
            context.close()
    assert not differences, "the purged stylesheets or the subset font change how the book looks:\n" + "\n".join(differences)


def test_pages_and_stylesheets_ask_for_the_trimmed_files_by_their_content(tmp_path):
    """A reader's browser that cached an earlier trimmed stylesheet or font must fetch the new one after a
    rebuild that trims differently: links carry the served file's content tag, not the original's."""
    site, font, theme = icon_site(tmp_path, '"webfonts/fa-solid-900.woff2"')
    top, nested = site / "index.html", site / "part" / "page.html"
    nested.parent.mkdir()
    top.write_text('<link href="_static/theme.css?v=original" rel="stylesheet"><p class="used">x</p>', encoding="utf-8")
    nested.write_text('<link href="../_static/theme.css?digest=original" rel="stylesheet">', encoding="utf-8")

    def tags() -> tuple[str, str, str]:
        served = (site / "_static" / "theme.css").read_bytes()
        in_css = re.search(r'fa-solid-900\.woff2\?v=(\w+)', served.decode()).group(1)
        in_pages = {re.search(r'theme\.css\?v=(\w+)"', p.read_text(encoding="utf-8")).group(1) for p in (top, nested)}
        assert len(in_pages) == 1, "every page links the same version"
        return in_pages.pop(), hashlib.sha256(served).hexdigest()[:12], in_css

    page_weight.lighten_folder(site)
    link, sheet, font_link = tags()
    assert link == sheet, "the pages link the stylesheet by the served file's content"
    assert font_link == hashlib.sha256((site / "_static" / "webfonts" / font.name).read_bytes()).hexdigest()[:12]
    assert not page_weight.lighten_folder(site), "nothing changed: no page is written again"

    top.write_text('<link href="_static/theme.css?v=original" rel="stylesheet"><p class="used later">x</p>',
                   encoding="utf-8")  # written again by Sphinx, using another class
    page_weight.lighten_folder(site)
    new_link, new_sheet, new_font_link = tags()
    assert new_link == new_sheet != link and new_font_link != font_link
