"""The edition without solutions (`make book-without-solutions`) gives no answer away.

It is built here as the Makefile builds it, and every file it would publish is
searched. The same searches run on the full book show they can fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_book

SOLUTION_MARKS = ["BEGIN SOLUTION", 'class="solution', "What a strong answer contains"]  # the last: rubrics
CONFIRMATION = "✓ q1: correct"
GUIDE_NOTE = "no eviction, a new government"


@pytest.fixture(scope="module")
def edition(tmp_path_factory, book) -> Path:
    """The edition without solutions, reusing the execution cache of the book built for this run."""
    folder = tmp_path_factory.mktemp("no-solutions")
    config = folder / "no-solutions.yml"
    subprocess.run([sys.executable, str(ROOT / "tools" / "edition_config.py"), str(config), str(book.parent)],
                   check=True)
    code, log = build_book(ROOT, output=folder, config=config)
    assert code == 0, f"the edition without solutions failed to build strictly:\n{log[-6000:]}"
    return folder / "_build" / "html"


# Files a reader opens; the package's Python source is code, whose docstrings name the markers.
TEXT = {".html", ".ipynb", ".md", ".txt", ".js", ".csv", ".json"}


def published_text(html: Path) -> dict[str, str]:
    """Every text file a web server would hand out, by path, including the files inside the
    student pack and the wheel ("pack.zip!member")."""
    texts = {}
    for p in html.rglob("*"):
        if not p.is_file():
            continue
        if p.suffix in TEXT:
            texts[str(p.relative_to(html))] = p.read_text(encoding="utf-8", errors="replace")
        elif p.suffix in {".zip", ".whl"}:
            texts.update(archive_text(p, str(p.relative_to(html))))
    return texts


def archive_text(path: Path, name: str) -> dict[str, str]:
    """The text members of a zip (wheels inside it included), by "archive!member"."""
    import io
    import zipfile

    texts = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            data = archive.read(member)
            if member.endswith(".whl"):
                inner = Path(member).name
                with zipfile.ZipFile(io.BytesIO(data)) as wheel:
                    for item in wheel.namelist():
                        if Path(item).suffix in TEXT:
                            texts[f"{name}!{inner}!{item}"] = wheel.read(item).decode("utf-8", "replace")
            elif Path(member).suffix in TEXT:
                texts[f"{name}!{member}"] = data.decode("utf-8", "replace")
    return texts


def found(html: Path, needle: str) -> list[str]:
    return sorted(path for path, text in published_text(html).items() if needle in text)


@pytest.mark.parametrize("mark", SOLUTION_MARKS)
def test_no_solution_is_published(edition, mark):
    assert found(edition, mark) == []


def test_the_full_book_does_publish_solutions(book):
    """The searches above can fail: the full book has every one of these."""
    for mark in SOLUTION_MARKS:
        assert found(book, mark), mark
    assert found(book, CONFIRMATION) and found(book, GUIDE_NOTE)


def test_no_check_confirms_an_answer(edition):
    assert found(edition, CONFIRMATION) == []


def test_the_instructor_notes_are_left_out_but_the_prompts_stay(edition):
    guide = (edition / "instructor-guide.html").read_text(encoding="utf-8")
    assert GUIDE_NOTE not in guide
    assert "Did 2020 settle the bet?" in guide


def test_no_instructor_notebook_can_be_downloaded(edition):
    assert not (edition / "_sources").exists()
    for notebook in edition.rglob("*.ipynb"):
        assert "student" in notebook.name or "student" in notebook.parts or \
            '"edition": "student"' in notebook.read_text(encoding="utf-8"), notebook


def test_the_student_editions_stay_downloadable(edition):
    page = (edition / "exercises" / "02-escalation.html").read_text(encoding="utf-8")
    assert "02-escalation.ipynb" in page and "download" in page


def test_the_downloads_are_searched_and_hold_only_student_editions(edition):
    """The student pack and the wheel are published too: their contents are part of the searches
    above, and every notebook inside them is a student edition."""
    texts = published_text(edition)
    packed = [name for name in texts if "tightrope-student-pack.zip!" in name]
    assert any(name.endswith(".ipynb") for name in packed), "the student pack was not found or not searched"
    assert any("!tightrope/datapackage/claims.csv" in name for name in texts), "the wheel inside the pack was not searched"
    for name in packed:
        if name.endswith(".ipynb"):
            assert '"edition": "student"' in texts[name], name
