"""Fixed costs paid once, and a data edit re-executes only the pages that read it.

1. Validated data is remembered between processes, keyed on the exact bytes of the
   package (and the rules' code): a second process skips Frictionless, and an edited
   file is validated again, so a stale or broken package is never taken on trust.
2. The book's build records the tables each executed page read; after a data edit
   it drops the cached outputs only of the pages that read a changed table, and
   those pages show the new data.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FRONT_MATTER, ROOT, build_book

from tightrope import data


# --------------------------------------------------------------------------- validated data, between processes

@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A copy of data/ and an empty cache folder of its own."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv("TIGHTROPE_CACHE", str(tmp_path / "cache"))
    data._package.cache_clear()
    yield copy
    data._package.cache_clear()


def rename_first(folder: Path, table: str, column: str, value: str) -> None:
    path = folder / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0][column] = value
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def validations_skipped(monkeypatch) -> list:
    """Make Frictionless count its calls instead of running twice unnoticed."""
    calls = []
    real = data._check_schemas
    monkeypatch.setattr(data, "_check_schemas", lambda *a: (calls.append(a), real(*a)))
    return calls


def test_a_validated_package_is_not_validated_again_in_another_process(package, monkeypatch):
    code = ("import sys; from tightrope import data; data.bases(sys.argv[1]); "
            "print(len(list(data.cache_dir().glob('validated/*'))))")
    first = subprocess.run([sys.executable, "-c", code, str(package)], capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "1", "the first process remembers nothing"
    calls = validations_skipped(monkeypatch)
    data.bases(package)
    assert calls == [], "a second process validated an unchanged package again"
    assert not any("validated" in p.name for p in package.rglob("*")), "the cache sits in data/"


def test_an_edited_file_is_validated_again_and_read_afresh(package, monkeypatch):
    data.bases(package)
    calls = validations_skipped(monkeypatch)
    rename_first(package, "bases", "name", "A Base Renamed After Caching")
    data._package.cache_clear()  # as in a new process
    assert data.bases(package)["name"].iloc[0] == "A Base Renamed After Caching"
    assert len(calls) == 1, "an edited package was not validated again"


def test_a_broken_edit_is_never_hidden_by_the_cache(package):
    data.bases(package)
    path = package / "incidents.csv"  # the header gains an empty column
    path.write_text(path.read_text(encoding="utf-8").replace(",", ",,", 1), encoding="utf-8")
    data._package.cache_clear()
    with pytest.raises(data.DataError):
        data.bases(package)


def test_the_cache_key_covers_the_rules(package):
    """The fingerprint names data.py and sources.py too: a changed rule re-validates."""
    raw = {"bases": (package / "bases.csv").read_bytes()}
    key = data._fingerprint(package, raw)
    assert key == data._fingerprint(package, dict(raw))
    assert key != data._fingerprint(package, {"bases": raw["bases"] + b"\n"})


# --------------------------------------------------------------------------- only the readers re-execute

def probe(title: str, code: str) -> str:
    return FRONT_MATTER + f"\n# {title}\n\nA page for the cache test.\n\n```{{code-cell}} ipython3\n{code}\n```\n"


PAGES = {
    "bases-page": probe("Bases", 'from tightrope import data\nprint("first base:", data.bases()["name"].iloc[0])'),
    "claims-page": probe("Claims", 'from tightrope import data\nprint("first claim:", data.claims()["id"].iloc[0])'),
    "both-page": probe("Both", "from tightrope import data\n"
                       'print("both:", data.claims()["id"].iloc[0], data.bases()["name"].iloc[0])'),
    "plain-page": probe("Plain", "print(6 * 7)"),
}


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """A copy of the project whose table of contents holds the four pages above."""
    monkeypatch.setenv("TIGHTROPE_CACHE", str(tmp_path / "cache"))
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "student", "__pycache__", "*.egg-info", "chapters", "exercises",
        "appendices", ".jupyter_cache"))
    (copy / "chapters").mkdir()
    for name, text in PAGES.items():
        (copy / "chapters" / f"{name}.md").write_text(text, encoding="utf-8")
    (copy / "start.md").write_text("# Start\n\nA small book.\n", encoding="utf-8")
    (copy / "_toc.yml").write_text("format: jb-book\nroot: start\nchapters:\n" + "".join(
        f"  - file: chapters/{name}\n" for name in PAGES), encoding="utf-8")
    return copy


def build(copy: Path) -> set[str]:
    code, log = build_book(copy, pythonpath=copy)
    assert code == 0, log[-4000:]
    found = (re.search(r"chapters/([\w-]+)\.md: Executing notebook", line) for line in log.splitlines())
    return {match.group(1) for match in found if match}


def shown(copy: Path, name: str) -> str:
    return (copy / "_build" / "html" / "chapters" / f"{name}.html").read_text(encoding="utf-8")


def test_a_data_edit_re_executes_only_the_readers_of_the_edited_table(mini):
    assert build(mini) == set(PAGES)
    reads = mini / "_build" / ".jupyter_cache" / "tightrope-reads"
    recorded = [json.loads(p.read_text()) for p in reads.glob("*.json")]
    assert sorted(sorted(r["tables"]) for r in recorded) == [["bases"], ["bases", "claims"], ["claims"]]
    assert build(mini) == set()

    rename_first(mini / "data", "bases", "name", "Renamed Base For The Cache Test")
    assert build(mini) == {"bases-page", "both-page"}
    for name in ("bases-page", "both-page"):
        assert "Renamed Base For The Cache Test" in shown(mini, name), f"{name} shows stale data"

    claims = mini / "data" / "claims.csv"
    first = claims.read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    claims.write_text(claims.read_text(encoding="utf-8").replace(first + ",", "C99,", 1), encoding="utf-8")
    assert build(mini) == {"claims-page", "both-page"}
    assert "first claim: C99" in shown(mini, "claims-page") and "both: C99" in shown(mini, "both-page")


def test_a_package_edit_or_a_lost_record_re_executes_every_reader(mini):
    assert build(mini) == set(PAGES)
    with (mini / "tightrope" / "charts.py").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    assert build(mini) == {"bases-page", "claims-page", "both-page"}, "a package edit must re-run every reader"

    # Without the record of what a page read, the page cannot be trusted after a data edit.
    shutil.rmtree(mini / "_build" / ".jupyter_cache" / "tightrope-reads")
    rename_first(mini / "data", "actors", "name", "An Actor No Page Here Reads")
    assert build(mini) == {"bases-page", "claims-page", "both-page"}


# --------------------------------------------------------------------------- a light first visit, fresh static files

def test_the_icon_script_holds_only_the_icons_used_and_static_edits_reach_the_site(mini):
    build(mini)
    html = mini / "_build" / "html"
    script = (html / "_static" / "scripts" / "fontawesome.js").read_text(encoding="utf-8")
    assert len(script) < 60_000, f"the icon script is {len(script)} bytes: the theme's whole set is back"
    used = set(re.findall(r'class="[^"]*\bfa-solid fa-([a-z-]+)', (html / "start.html").read_text(encoding="utf-8")))
    assert used and all(f'"{name}"' in script for name in used), used

    css = mini / "_static" / "tightrope.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited after the build */\n", encoding="utf-8")
    assert build(mini) == set()
    assert (html / "_static" / "tightrope.css").read_text(encoding="utf-8") == css.read_text(encoding="utf-8"), \
        "an edited stylesheet did not reach the built site"
