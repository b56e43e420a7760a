"""`make book` starts Jupyter Book only when a source is newer than the last build.

Each test copies the Makefile and the sources to a temporary folder, marks
the virtualenv, the student editions and the book as built after every
source, and asks make (``-n``: print, do not run) what it would do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from conftest import ROOT

SOURCES = ["Makefile", "_config.yml", "_toc.yml", "references.bib", "intro.md", "instructor-guide.md",
           "chapters", "appendices", "exercises", "data", "tightrope", "_static",
           "requirements.txt", "pyproject.toml"]
STAMPS = [".venv/.installed", "exercises/student/.written", "_build/html/.built"]


@pytest.fixture
def built(tmp_path):
    """A copy whose stamps are all newer than its sources, in the order make writes them."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns(
                "__pycache__", "student", ".ipynb_checkpoints"))
        else:
            shutil.copy2(source, tmp_path / name)
    past = time.time() - 3600
    for path in tmp_path.rglob("*"):
        os.utime(path, (past, past))
    for offset, stamp in enumerate(STAMPS, start=1):
        path = tmp_path / stamp
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (past + 60 * offset, past + 60 * offset))
    return tmp_path


def planned(folder) -> str:
    """What `make book` would run in the folder."""
    result = subprocess.run(["make", "--no-print-directory", "-n", "-C", str(folder), "book"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_nothing_changed_nothing_runs(built):
    plan = planned(built)
    assert "jupyter-book" not in plan and "tightrope" not in plan, plan


@pytest.mark.parametrize("source", ["chapters/02-escalation.md", "data/bases.csv", "tightrope/charts.py",
                                    "_toc.yml", "references.bib", "_static/tightrope.css"])
def test_an_edited_source_rebuilds_the_book(built, source):
    (built / source).touch()
    plan = planned(built)
    assert "jupyter-book build" in plan, f"editing {source} should rebuild the book:\n{plan}"


def test_an_edited_exercise_refreshes_the_student_editions_first(built):
    (built / "exercises/03-deterrence.ipynb").touch()
    plan = planned(built)
    assert plan.index("tightrope student") < plan.index("jupyter-book build"), plan


def test_a_missing_build_rebuilds(built):
    shutil.rmtree(built / "_build")
    assert "jupyter-book build" in planned(built)
