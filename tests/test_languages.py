"""Names in Arabic, Persian and Kurdish script: tagged with their language, laid out right to left,
valid for screen readers (axe-core), and printed in the PDF."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import pages, pages_matching, show, url_of
from tightrope.sources import ARABIC_SCRIPT

NATIVE = {"ar", "fa", "ckb"}
WORD = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]+")


def untagged_arabic(html_text: str) -> list[str]:
    """Text in Arabic script that no enclosing element tags as Arabic, Persian or Kurdish."""
    soup = BeautifulSoup(html_text, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    found = []
    for text in soup.find_all(string=ARABIC_SCRIPT):
        tagged = next((p.get("lang") for p in text.parents if getattr(p, "get", None) and p.get("lang")), None)
        if tagged not in NATIVE:
            found.append(text.strip()[:60])
    return found


def test_the_detector_finds_untagged_arabic():
    assert untagged_arabic('<p lang="en">Kata\'ib Hezbollah (كتائب حزب الله)</p>') == ["Kata'ib Hezbollah (كتائب حزب الله)"]
    assert untagged_arabic('<p lang="en"><bdi lang="ar" dir="rtl">كتائب حزب الله</bdi></p>') == []
    assert untagged_arabic('<p><script>var t = "كتائب";</script>text</p>') == []


def test_every_arabic_script_text_on_every_page_is_tagged_with_its_language(book):
    problems = {p.relative_to(book).as_posix(): untagged_arabic(p.read_text(encoding="utf-8")) for p in pages(book)}
    problems = {page: texts for page, texts in problems.items() if texts}
    assert not problems, problems


def test_the_book_has_names_in_arabic_script_where_readers_need_them(book):
    for page in ["intro.html", "appendices/glossary.html", "chapters/01-setting-the-scene.html"]:
        soup = BeautifulSoup((book / page).read_text(encoding="utf-8"), "html.parser")
        tagged = [e for e in soup.select("[lang]") if e["lang"] in NATIVE]
        assert tagged, f"{page}: no text tagged as Arabic, Persian or Kurdish"
        for element in tagged:
            assert element.get("dir") == "rtl" and ARABIC_SCRIPT.search(element.get_text()), (page, str(element)[:120])


RTL_JS = """() => [...document.querySelectorAll('[lang=ar], [lang=fa], [lang=ckb]')].map(e => {
    const box = e.getBoundingClientRect(), main = document.querySelector('main') || document.body;
    const style = getComputedStyle(e);
    return {text: e.textContent.slice(0, 40), lang: e.lang, direction: style.direction,
            width: box.width, font: parseFloat(style.fontSize), inside: box.right <= main.getBoundingClientRect().right + 1};
})"""


def test_arabic_names_render_right_to_left_and_pass_axe_language_rules(book, site, reader):
    from axe_playwright_python.sync_playwright import Axe

    checked = 0
    for html in pages_matching(book, r'lang="(ar|fa|ckb)"'):
        url = url_of(site, book, html)
        show(reader, url)
        reader.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        for name in reader.evaluate(RTL_JS):
            checked += 1
            assert name["direction"] == "rtl", (url, name)
            assert name["width"] == 0 or name["inside"], (url, name)  # 0: inside a closed dropdown
            assert name["font"] >= 12, (url, name)
        result = Axe().run(reader, options={"runOnly": ["valid-lang", "html-has-lang", "html-lang-valid",
                                                        "html-xml-lang-mismatch"]})
        assert result.response["violations"] == [], (url, result.response["violations"])
    assert checked >= 10, f"only {checked} tagged names found in the built book"


@pytest.fixture(scope="module")
def printed_text(book, site, reader, tmp_path_factory):
    """The glossary printed by Chromium as tools/print_pdf.py prints every page, as text."""
    from pypdf import PdfReader

    output = tmp_path_factory.mktemp("pdf") / "glossary.pdf"
    show(reader, url_of(site, book, book / "appendices" / "glossary.html"))
    reader.emulate_media(media="print")
    output.write_bytes(reader.pdf(format="A4", print_background=True))
    reader.emulate_media(media="screen")
    return " ".join(page.extract_text() or "" for page in PdfReader(output).pages)


def test_the_pdf_prints_arabic_names_as_text(book, printed_text):
    import unicodedata

    soup = BeautifulSoup((book / "appendices/glossary.html").read_text(encoding="utf-8"), "html.parser")
    names = [e.get_text() for e in soup.select("[lang=ar]")]
    text = unicodedata.normalize("NFKC", printed_text)
    words = {w for name in names for w in WORD.findall(unicodedata.normalize("NFKC", name)) if len(w) > 3}
    # PDF text comes out in logical or in visual (reversed) order, depending on the viewer's extraction
    printed = sum(1 for w in words if w in text or w[::-1] in text)
    assert words and printed >= 0.8 * len(words), (printed, len(words), sorted(words)[:10])


def glossary_entries(section: str) -> dict[str, str]:
    """First term -> definition, for the {glossary} block under a heading of appendices/glossary.md."""
    from conftest import ROOT

    text = (ROOT / "appendices" / "glossary.md").read_text(encoding="utf-8")
    block = text[text.index(f"## {section}"):]
    block = block[block.index("```{glossary}") + 13:block.index("\n```", block.index("```{glossary}"))]
    entries = {}
    for chunk in re.split(r"\n\s*\n", block.strip()):
        lines = chunk.splitlines()
        terms = [line for line in lines if line and not line.startswith(" ")]
        entries[terms[0]] = "\n".join(line for line in lines if line.startswith(" "))
    return entries


# Entries about the United States, the coalition, or US law and practice, and one place with no
# citable Arabic spelling (Union III).
NOT_IRAQI_OR_IRANIAN = {"Global Coalition to Defeat ISIS", "CJTF-OIR", "foreign terrorist organisation",
                        "Mike Pompeo", "Mark Esper", "Kenneth McKenzie", "Matthew Tueller",
                        "Union III"}


@pytest.mark.parametrize("section", ["People and organisations", "Places"])
def test_glossary_gives_iraqi_and_iranian_names_in_their_own_script(section):
    entries = glossary_entries(section)
    assert len(entries) > 10
    missing = [term for term, text in entries.items()
               if term not in NOT_IRAQI_OR_IRANIAN and not re.search(r"\{(ar|fa|ckb)\}`", text)]
    assert not missing, f"{section}: no Arabic or Persian name for {missing}"
