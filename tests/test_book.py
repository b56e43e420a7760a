"""The book builds strictly, fails loudly on bad input, and never serves a stale chart.

Most tests build a small copy of the book (its config, package and data, with
a two-page table of contents) so that each can break one thing.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from conftest import FRONT_MATTER, ROOT, build_book

PROBE = FRONT_MATTER + """
# Probe

A page that reads the data package.

```{code-cell} ipython3
from tightrope import data
print("first base:", data.bases()["name"].iloc[0])
```
"""

PROSE = FRONT_MATTER + """
# Prose

A page with a computation that reads nothing from data/.

```{code-cell} ipython3
print(6 * 7)
```
"""


def test_the_book_builds_strictly(book):
    """The whole book, -W -n --keep-going: the fixture fails on any warning or error."""
    assert (book / "intro.html").exists()
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for line in toc.splitlines():
        if line.strip().startswith(("- file:", "root:")):
            name = line.split(":", 1)[1].strip()
            assert (book / f"{name}.html").exists(), f"{name} is in _toc.yml but was not built"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A copy of the project whose table of contents holds two small pages."""
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "student", "__pycache__", "*.egg-info", "chapters", "exercises",
        "appendices"))
    (copy / "chapters").mkdir()
    (copy / "chapters" / "probe.md").write_text(PROBE, encoding="utf-8")
    (copy / "chapters" / "prose.md").write_text(PROSE, encoding="utf-8")
    (copy / "start.md").write_text("# Start\n\nA small book.\n", encoding="utf-8")
    (copy / "_toc.yml").write_text(
        "format: jb-book\nroot: start\nchapters:\n  - file: chapters/probe\n  - file: chapters/prose\n",
        encoding="utf-8")
    return copy


def build(copy: Path) -> tuple[int, str]:
    return build_book(copy, pythonpath=copy)


def executed(log: str) -> set[str]:
    """The pages a build executed (not taken from the cache), as 'folder/name'."""
    found = (re.search(r"([\w-]+/[\w-]+)\.(?:md|ipynb): Executing notebook", line)
             for line in log.splitlines())
    return {match.group(1) for match in found if match}


def rewrite_first_base_name(copy: Path, name: str) -> None:
    path = copy / "data" / "bases.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0]["name"] = name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_data_edit_re_executes_only_the_pages_that_read_data(mini):
    code, log = build(mini)
    assert code == 0, log[-4000:]
    assert executed(log) == {"chapters/probe", "chapters/prose"}

    code, log = build(mini)
    assert code == 0 and executed(log) == set(), "a no-change rebuild executed pages"

    rewrite_first_base_name(mini, "Renamed Base For The Cache Test")
    code, log = build(mini)
    assert code == 0, log[-4000:]
    assert executed(log) == {"chapters/probe"}
    page = (mini / "_build" / "html" / "chapters" / "probe.html").read_text(encoding="utf-8")
    assert "Renamed Base For The Cache Test" in page, "the page shows stale output after a data edit"


def test_a_prose_edit_re_executes_nothing(mini):
    code, log = build(mini)
    assert code == 0, log[-4000:]
    probe = mini / "chapters" / "probe.md"
    probe.write_text(probe.read_text(encoding="utf-8").replace("A page that reads", "This page reads"),
                     encoding="utf-8")
    code, log = build(mini)
    assert code == 0, log[-4000:]
    assert executed(log) == set()
    assert "This page reads" in (mini / "_build" / "html" / "chapters" / "probe.html").read_text()


def test_a_malformed_data_file_fails_the_build_and_names_it(mini):
    path = mini / "data" / "bases.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("province", "provence", 1), encoding="utf-8")
    code, log = build(mini)
    assert code != 0
    assert "bases.csv" in log and "province" in log, log[-4000:]


def test_a_missing_data_file_fails_the_build_and_names_it(mini):
    (mini / "data" / "bases.csv").unlink()
    code, log = build(mini)
    assert code != 0
    assert "bases.csv" in log, log[-4000:]


def test_a_page_that_raises_fails_the_build_and_names_the_page(mini):
    prose = mini / "chapters" / "prose.md"
    prose.write_text(prose.read_text(encoding="utf-8").replace("print(6 * 7)", "raise RuntimeError('broken cell')"),
                     encoding="utf-8")
    code, log = build(mini)
    assert code != 0
    assert "prose" in log and "broken cell" in log, log[-4000:]


def test_claim_and_event_references_link_to_anchored_rows_and_unknown_ids_fail(mini):
    prose = mini / "chapters" / "prose.md"
    text = prose.read_text(encoding="utf-8")
    prose.write_text(text + "\nSee `claims` row {claim}`C09` and the vote "
                     "({event}`5 January <2020-01-05-parliament-resolution>`).\n", encoding="utf-8")
    code, log = build(mini)
    assert code == 0, log[-4000:]
    page = (mini / "_build" / "html" / "chapters" / "prose.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./appendices/fact-check\.html#C09"[^>]*>C09<', page)
    assert re.search(r'href="\.\./appendices/timeline\.html#2020-01-05-parliament-resolution"[^>]*>5 January<', page)
    prose.write_text(text + "\nSee {claim}`C99` and {event}`no-such-event`.\n", encoding="utf-8")
    code, log = build(mini)
    assert code != 0
    assert "'C99' is not an id in data/claims.csv" in log and "'no-such-event' is not an id" in log, log[-4000:]


def test_configured_launch_links_open_the_student_edition_and_the_theme_offers_none(mini):
    config = mini / "_config.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('  url: ""             # e.g.', '  url: "https://github.com/course/tight-rope"  # e.g.')
    text = text.replace('  colab_url: ""       # e.g.', '  colab_url: "https://colab.research.google.com"  # e.g.')
    config.write_text(text, encoding="utf-8")
    (mini / "exercises").mkdir()
    (mini / "exercises" / "02-escalation.md").write_text("# Exercise\n\nA page.\n", encoding="utf-8")
    toc = mini / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8") + "  - file: exercises/02-escalation\n", encoding="utf-8")
    code, log = build(mini)
    assert code == 0, log[-4000:]
    html = mini / "_build" / "html"
    page = (html / "exercises" / "02-escalation.html").read_text(encoding="utf-8")
    assert ('href="https://colab.research.google.com/github/course/tight-rope/blob/main/'
            'exercises/student/02-escalation.ipynb"') in page
    assert "dropdown-launch-buttons" not in page
    assert 'href="https://github.com/course/tight-rope"' in (html / "start.html").read_text(encoding="utf-8")
