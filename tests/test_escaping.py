"""Text from the data is shown as text: HTML or script in a data field never runs.

Each test builds a small copy of the book whose one page puts hostile strings
through every path data takes to the reader (a pandas table, myst-nb glue, a
printed line, a chart's title, source line, description, axis labels and
tooltip), then opens the page in Chromium and checks that nothing ran and that
the strings are visible literally.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import FRONT_MATTER, ROOT, build_book, wait_for_charts
from print_pdf import serve

# Each one runs script if it is inserted into the page as HTML.
HOSTILE = [
    "<img src=x onerror=window.__pwned=1>",              # an element with a handler
    "</script><script>window.__pwned=1</script>",        # ends the chart's <script>, starts one
    '"><svg onload=window.__pwned=1>',                   # leaves an attribute value
]

CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})

# The page reads the rows into `rows` (a DataFrame with columns name, source,
# value) in its first cell; the rest is the same whatever their origin.
SHOW_ROWS = """
```{code-cell} ipython3
import altair as alt
from myst_nb import glue
from tightrope import charts

for i, name in enumerate(rows["name"]):
    glue(f"name_{i}", name, display=False)
    print(name)
glue("table", rows, display=False)
rows
```

Glued: {glue:text}`name_0` / {glue:text}`name_1` / {glue:text}`name_2`.

```{glue:} table
```

```{code-cell} ipython3
everything = " | ".join(rows["name"])
charts.finish(
    alt.Chart(rows).mark_bar().encode(
        x=alt.X("name:N", title="Name (text)"), y=alt.Y("value:Q", title="Value (count)"),
        tooltip=["name:N", "source:N"]),
    title=everything, source=" | ".join(rows["source"]), description=everything)
```
"""


def small_copy(tmp_path: Path, page: str) -> Path:
    """A copy of the project whose table of contents holds one page, ``chapters/hostile.md``."""
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "student", "__pycache__", "*.egg-info", "chapters", "exercises",
        "appendices", "tests"))
    (copy / "chapters").mkdir()
    (copy / "chapters" / "hostile.md").write_text(FRONT_MATTER + page, encoding="utf-8")
    (copy / "start.md").write_text("# Start\n\nA small book.\n", encoding="utf-8")
    (copy / "_toc.yml").write_text("format: jb-book\nroot: start\nchapters:\n  - file: chapters/hostile\n",
                                   encoding="utf-8")
    return copy


def check_page(html: Path, open_page) -> None:
    """Open the built hostile page and check that the strings stayed text."""
    with serve(html) as base:
        page, visit = open_page(f"{base}/chapters/hostile.html")
        wait_for_charts(page)
        # Show everything a reader could: the tooltip of each bar, the description.
        tooltips = []
        for bar in page.locator("figure.tr-chart svg .mark-rect > path").all():
            bar.hover()
            page.wait_for_function("() => document.querySelector('#vg-tooltip-element.visible')", timeout=3000)
            tooltips.append(page.locator("#vg-tooltip-element").inner_text())
        page.locator("details.tr-chart-description summary").click()
        page.wait_for_timeout(200)

        assert page.evaluate("typeof window.__pwned") == "undefined", "a data field ran as script"
        injected = page.evaluate("""() => ({
            imgs: document.querySelectorAll('img[src="x"]').length,
            handlers: document.querySelectorAll('[onerror], [onload]').length,
            scripts: [...document.scripts].filter(s => s.textContent.trim() === 'window.__pwned=1').length,
        })""")
        assert injected == {"imgs": 0, "handlers": 0, "scripts": 0}, f"a data field became markup: {injected}"

        tables = page.locator("article table")  # not the tooltip's table
        assert tables.count() == 2, f"expected the cell's table and the glued one, found {tables.count()}"
        places = {
            "the cell's table": tables.nth(0).inner_text(),
            "the glued table": tables.nth(1).inner_text(),
            "the glued text": page.locator("p", has_text="Glued:").inner_text(),
            "the printed lines": "\n".join(page.locator(".output.stream").all_inner_texts()),
            "the chart (SVG text)": page.locator("figure.tr-chart svg").first.text_content(),
            "the chart description": page.locator("details.tr-chart-description p").inner_text(),
            "the chart's label": page.locator("figure.tr-chart").get_attribute("aria-label"),
            "the tooltips": "\n".join(tooltips),
        }
        # Sphinx's smartquotes curls the straight quotes of glued text (as in all prose).
        places = {where: shown.translate(CURLY) for where, shown in places.items()}
        missing = [f"{where} does not show {text!r}" for where, shown in places.items()
                   for text in HOSTILE if text not in shown]
        assert not missing, "the strings are not shown literally:\n" + "\n".join(missing)
        assert not visit.console_errors, f"console errors: {visit.console_errors}"


def test_hostile_text_in_a_data_table_is_shown_as_text(tmp_path, open_page):
    """Hostile strings read from a CSV file next to the page."""
    page = """
# Hostile

```{code-cell} ipython3
import pandas as pd
rows = pd.read_csv("hostile.csv")
```
""" + SHOW_ROWS
    copy = small_copy(tmp_path, page)
    with (copy / "chapters" / "hostile.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "source", "value"])
        writer.writerows([name, name, i + 1] for i, name in enumerate(HOSTILE))
    code, log = build_book(copy, pythonpath=copy)
    assert code == 0, f"the copy did not build:\n{log[-4000:]}"
    check_page(copy / "_build" / "html", open_page)


def test_hostile_base_names_in_the_data_package_are_shown_as_text(tmp_path, open_page):
    """The same, through the data package's loader (three base names rewritten)."""
    page = """
# Hostile

```{code-cell} ipython3
from tightrope import data
bases = data.bases()
rows = bases.head(3)[["name"]].assign(source=lambda d: d["name"], value=[1, 2, 3])
```
""" + SHOW_ROWS
    copy = small_copy(tmp_path, page)
    path = copy / "data" / "bases.csv"
    if not path.exists():
        pytest.fail("data/bases.csv does not exist: the data package is not written yet")
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 3 and "name" in rows[0], f"{path} has fewer than 3 bases or no name column"
    for row, name in zip(rows, HOSTILE):
        row["name"] = name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, log = build_book(copy, pythonpath=copy)
    if code != 0:
        # Refusing markup in a name is as safe as escaping it, if the refusal is clear.
        assert "DataError" in log and "bases.csv" in log, f"the copy did not build:\n{log[-4000:]}"
        return
    check_page(copy / "_build" / "html", open_page)
