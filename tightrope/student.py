"""Editions of the exercise notebooks: instructor (with solutions) and student.

The instructor notebooks ``exercises/NN-name.ipynb`` are book pages. Their
source is the MyST Markdown file ``exercises/src/NN-name.md`` (jupytext);
:func:`build_instructor` turns a source into a notebook and runs it, so the
stored outputs are real. In an instructor notebook:

- the code of an answer sits between ``# BEGIN SOLUTION`` and
  ``# END SOLUTION`` lines;
- the worked solution sits between a ``{solution-start}`` and a
  ``{solution-end}`` cell (sphinx-exercise's gated directives), folded in a
  dropdown on the page;
- each answer is followed by a check cell, ``check.q1(answer)``.

:func:`write_student_pack` makes what a student downloads from the book: a
wheel of this package with the data package inside it, and a zip of the ten
student notebooks, that wheel and a short README. Each student notebook opens
with a set-up cell that installs the wheel when ``tightrope`` is missing, so the
same notebook runs in a local Jupyter, Colab or a course JupyterHub.

:func:`student_notebook` makes the student edition: each solution region
becomes a placeholder (``answer = ...``), the solution dropdowns go, outputs
are cleared, MyST syntax becomes plain Markdown that Jupyter shows well, and
the check cells stay.
"""

from __future__ import annotations

import ast
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from importlib.metadata import version
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
STUDENT_DIR = EXERCISES / "student"
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"

BEGIN = re.compile(r"^(?P<indent>[ \t]*)#+ *BEGIN SOLUTION *$")
END = re.compile(r"^[ \t]*#+ *END SOLUTION *$")
CHECK_CALL = re.compile(r"^check\.(?P<question>q\d+)\(.*\)\s*$")
SETUP_IMPORT = re.compile(r"^from tightrope\.checks import (?P<set>\w+) as check\b", re.MULTILINE)
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*?)\s*$")
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<body>[^`]*)`")
TARGET = re.compile(r"^\([\w:.-]+\)=\s*$")


PACK_NAME = "tightrope-student-pack.zip"
DOWNLOADS = "downloads"  # the folder of the built book that holds the wheel at a stable address
# The wheel and the zip are rebuilt byte for byte the same from the same files (fixed timestamps).
REPRODUCIBLE_EPOCH = "1577923200"  # 2 January 2020, the article's date


def wheel_name() -> str:
    """The file name of this package's wheel (pure Python, any platform)."""
    return f"tightrope-{version('tightrope')}-py3-none-any.whl"


SETUP_CELL = '''# Set-up: makes `tightrope` (the book's data and answer checks) available. It does nothing if it already is.
import importlib, importlib.util, pathlib, subprocess, sys
if importlib.util.find_spec("tightrope") is None:
    WHEEL = "{wheel}"
    BOOK = "{book}"  # the address where the course publishes the book ("" if none)
    here = [p for p in (pathlib.Path(WHEEL), pathlib.Path("..") / WHEEL) if p.is_file()]
    if here:
        source = str(here[0])
    elif BOOK:
        source = BOOK.rstrip("/") + "/{downloads}/" + WHEEL
    else:
        raise ModuleNotFoundError("tightrope is not installed: download the student pack (tightrope-student-pack.zip) "
                                  "from the book's exercise page and put " + WHEEL + " next to this notebook.")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)
    importlib.invalidate_caches()
'''


def setup_cell(book_url: str = "") -> nbformat.NotebookNode:
    """The first code cell of a student notebook: installs the wheel when tightrope is missing,
    from the file next to the notebook, else from the published book (``book_url``)."""
    cell = nbformat.v4.new_code_cell(SETUP_CELL.format(wheel=wheel_name(), book=book_url, downloads=DOWNLOADS))
    cell.id = "get-tightrope"
    return cell


def book_url(config: Path = ROOT / "_config.yml") -> str:
    """The published book's address (``html.baseurl`` in _config.yml), or "" when none is set."""
    import yaml

    settings = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else {}
    return str(((settings or {}).get("html") or {}).get("baseurl") or "").strip()


class EditionError(ValueError):
    """An instructor notebook breaks the conventions the student edition relies on."""


# --- Code cells: solution regions become placeholders ---------------------------

def strip_solutions(source: str, where: str = "cell") -> str:
    """Replace each ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` region with a placeholder.

    The placeholder repeats the last name the region assigns, so
    ``rate = attacks / days`` becomes ``rate = ...``; a region without an
    assignment becomes ``...``. Raises EditionError for unbalanced markers.
    """
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for number, line in enumerate(source.splitlines(), start=1):
        begin = BEGIN.match(line)
        if begin:
            if region is not None:
                raise EditionError(f"{where}, line {number}: BEGIN SOLUTION inside another solution region")
            region, indent = [], begin["indent"]
        elif END.match(line):
            if region is None:
                raise EditionError(f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION")
            out += [indent + text for text in placeholder(region)]
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise EditionError(f"{where}: BEGIN SOLUTION is never closed by END SOLUTION")
    return "\n".join(out)


def placeholder(region: list[str]) -> list[str]:
    """The student's starting lines for one solution region."""
    code = textwrap.dedent("\n".join(region))
    try:
        statements = ast.parse(code).body
    except SyntaxError:
        statements = []
    assigned = [target for s in statements if isinstance(s, (ast.Assign, ast.AnnAssign))
                for target in (s.targets if isinstance(s, ast.Assign) else [s.target])]
    # the answer is the last plain name assigned (not e.g. table["column"] = ...)
    names = [t for t in assigned if isinstance(t, ast.Name)] or assigned
    if not names:
        return ["# Your code here", "..."]
    return ["# Your code here", f"{ast.unparse(names[-1])} = ..."]


# --- Markdown cells: MyST becomes plain Markdown ---------------------------------

def plain_markdown(text: str) -> str:
    """MyST directives and roles as plain Markdown (for Jupyter, which shows MyST raw).

    A directive becomes a bold title line (its argument, or its name) and its
    body, without its ``:option:`` lines; a role keeps its text (for
    ``{doc}`text <target>``` the text); label lines ``(name)=`` go. A
    paragraph with a ``{download}`` link is dropped: the student already has
    the notebook.
    """
    out: list[str] = []
    closing: list[str] = []  # the fence strings of the open directives
    in_options = False
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if "{download}" not in p]
    for line in "\n\n".join(paragraphs).splitlines():
        if TARGET.match(line):  # a MyST label line, e.g. (exercise-02-escalation)=
            continue
        opened = FENCE.match(line)
        if opened:
            closing.append(opened["fence"])
            title = opened["argument"] or opened["name"].replace("-", " ").capitalize()
            out.append(f"**{ROLE.sub(_role_text, title)}**")
            out.append("")
            in_options = True
            continue
        if closing and line.strip() == closing[-1]:
            closing.pop()
            in_options = False
            continue
        if in_options and re.match(r"^:[\w-]+:", line.strip()):
            continue
        in_options = False
        out.append(ROLE.sub(_role_text, line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _role_text(match: re.Match) -> str:
    body = match["body"]
    explicit = re.match(r"^(?P<text>.*?)\s*<(?P<target>[^>]*)>$", body)
    if explicit:
        return explicit["text"]
    if match["role"] == "doc":  # the title is only known to the book: name the page
        return f'the book\'s page "{body.rsplit("/", 1)[-1]}"'
    return body.rsplit("/", 1)[-1]


# --- The student edition ------------------------------------------------------------

def student_notebook(instructor: nbformat.NotebookNode, name: str = "notebook",
                     book: str = "") -> nbformat.NotebookNode:
    """The student edition of an instructor notebook (a new notebook; the input is unchanged).

    Its first code cell is the set-up cell (:func:`setup_cell`), which installs this package
    from ``book`` (the published book's address) when it is not next to the notebook.
    """
    nb = copy.deepcopy(instructor)
    cells = []
    in_solution = False
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index + 1}"
        if cell.cell_type == "markdown":
            kept, in_solution = drop_solution_text(cell.source, in_solution, where)
            if kept.strip():
                cell.source = plain_markdown(kept)
                cells.append(cell)
            continue
        if cell.cell_type == "code":
            stripped = strip_solutions(cell.source, where)
            if in_solution and stripped == cell.source:
                raise EditionError(f"{where}: a code cell inside a solution needs "
                                   "# BEGIN SOLUTION / # END SOLUTION lines (or move it out)")
            cell.source = stripped
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        cells.append(cell)
    if in_solution:
        raise EditionError(f"{name}: solution-start is never closed by solution-end")
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    cells.insert(first_code, setup_cell(book))
    nb.cells = cells
    nb.metadata.pop("jupytext", None)
    nb.metadata["tightrope"] = {**nb.metadata.get("tightrope", {}), "edition": "student"}
    nbformat.validate(nb)
    return nb


def drop_solution_text(text: str, in_solution: bool, where: str) -> tuple[str, bool]:
    """Remove the solution-start/solution-end fences and the worked text between them.

    ``in_solution`` carries over from cell to cell, since a solution usually
    spans a markdown cell, code cells and another markdown cell.
    """
    kept: list[str] = []
    lines = iter(text.splitlines())
    for line in lines:
        opened = FENCE.match(line)
        name = opened["name"] if opened else ""
        if name in ("solution-start", "solution-end"):
            if (name == "solution-start") == in_solution:
                problem = "solution-start inside another solution" if in_solution else "solution-end without solution-start"
                raise EditionError(f"{where}: {problem}")
            in_solution = name == "solution-start"
            for rest in lines:  # skip the directive's options, up to its closing fence
                if rest.strip() == opened["fence"]:
                    break
            continue
        if not in_solution:
            kept.append(line)
    return "\n".join(kept), in_solution


def instructor_notebooks(folder: Path = EXERCISES) -> list[Path]:
    """The instructor notebooks in a folder, in order."""
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))


def write_student_editions(source: Path = EXERCISES, out: Path = STUDENT_DIR) -> list[Path]:
    """Write the student edition of every instructor notebook in ``source`` to ``out``.

    Returns every edition's path; files whose content is unchanged are left alone.
    """
    notebooks = instructor_notebooks(source)
    if not notebooks:
        raise EditionError(f"no exercise notebooks (NN-name.ipynb) in {source}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    editions = []
    book = book_url()
    for path in notebooks:
        target = out / path.name
        write_if_changed(student_notebook(nbformat.read(path, as_version=4), path.name, book), target)
        editions.append(target)
    return editions


PACK_README = """The Tight Rope, annotated: exercises for students

1. Install Python 3.11 or newer (python.org), then, in a terminal opened in this folder:
       python -m pip install {wheel} jupyterlab
   (on Windows, "py -m pip ..." if "python" is not found).
2. Start Jupyter in this folder:  python -m jupyterlab   (or: jupyter lab)
3. Open a notebook, run the cells from the top, and write your answers where you see "...".
   The check cell under each answer tells you at once whether it is right.

Colab or a course JupyterHub: upload the notebook and {wheel} together; the notebook's
first cell installs the wheel. Everything the exercises need (the data and the checks) is in it.
"""


def write_student_pack(editions: list[Path], out: Path = STUDENT_DIR) -> tuple[Path, Path]:
    """Build this package's wheel (the data package inside) and the student pack zip in ``out``.

    Both are written only when their bytes change, so an unchanged book has nothing to redo.
    Returns (wheel, zip).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": REPRODUCIBLE_EPOCH}
    with tempfile.TemporaryDirectory() as tmp:
        # Built from a copy, so the checkout gets no build/ or egg-info folders.
        source = Path(tmp) / "src"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / "tightrope", source / "tightrope", ignore=ignore)
        shutil.copytree(ROOT / "data", source / "data", ignore=ignore)
        for name in ("pyproject.toml", "LICENSE"):
            shutil.copy2(ROOT / name, source / name)
        # No build isolation: the pinned setuptools in the environment builds it, offline.
        result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                                 "--quiet", "--wheel-dir", tmp, str(source)], capture_output=True, text=True, env=env)
        built = Path(tmp) / wheel_name()
        if result.returncode != 0 or not built.is_file():
            raise EditionError(f"could not build the student wheel: {(result.stderr or result.stdout).strip()[-800:]}")
        wheel = out / wheel_name()
        _write_bytes_if_changed(wheel, built.read_bytes())
    pack = out / PACK_NAME
    _write_bytes_if_changed(pack, _zip_bytes({
        **{p.name: p.read_bytes() for p in editions},
        wheel.name: wheel.read_bytes(),
        "README.txt": PACK_README.format(wheel=wheel.name).encode("utf-8"),
    }))
    return wheel, pack


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` with fixed timestamps, so the same files give the same bytes."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"tight-rope-exercises/{name}", date_time=(2020, 1, 2, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def _write_bytes_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def write_if_changed(nb, path: Path) -> bool:
    """Write a notebook unless the file already holds exactly it.

    An untouched file keeps its modification time, so the book (which links
    the student editions and shows the instructor ones) has nothing to redo.
    """
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"  # as nbformat.write ends a file
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


# --- The instructor edition, from its MyST source --------------------------------

def build_instructor(source: Path, out: Path | None = None, *, execute: bool = True,
                     timeout: int = 300) -> Path:
    """Make ``exercises/NN-name.ipynb`` from ``exercises/src/NN-name.md`` and run it.

    Cell ids are stable (``setup``, ``check-q1``, ``cell-07``) so that the
    grader can find a check cell in a student's copy. The notebook runs in
    its own folder, as the book and nbval run it.
    """
    import jupytext
    from nbclient import NotebookClient

    source = Path(source)
    out = Path(out) if out else source.parent.parent / f"{source.stem}.ipynb"
    nb = jupytext.read(source, fmt="md:myst")
    for index, cell in enumerate(nb.cells):
        cell.id = cell_id(cell, index)
        cell.metadata.pop("lines_to_next_cell", None)
        if cell.id.startswith("check-"):
            # On the book page the confirmation folds away like the solution: it names the answer.
            cell.metadata["tags"] = sorted({*cell.metadata.get("tags", []), "hide-output"})
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["jupytext"] = {"formats": "ipynb,src//md:myst"}
    nb.metadata["tightrope"] = {"exercise": source.stem, "edition": "instructor"}
    if execute:
        # No timing metadata: re-running a notebook changes only what its outputs change.
        NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(out.parent)}}).execute()
        nb.metadata.pop("widgets", None)  # keep widget state (and require.js) out of the page
    nbformat.validate(nb)
    write_if_changed(nb, out)
    return out


def cell_id(cell, index: int) -> str:
    """A stable id: ``setup`` for the import cell, ``check-qN`` for checks, else ``cell-NN``."""
    if cell.cell_type == "code":
        check = CHECK_CALL.match(cell.source.strip())
        if check:
            return f"check-{check['question']}"
        if SETUP_IMPORT.search(cell.source):
            return "setup"
    return f"cell-{index:02d}"


# --- The book without solutions (a Sphinx extension) --------------------------------
# sphinx-exercise's ``hide_solutions`` option drops a plain {solution}, but with the
# gated form used here (1.2.1) it drops only {solution-start}, leaving an orphan
# end node ("unknown node type") and every solution cell visible. This extension
# makes the option work for gated solutions too, and hides the check cells'
# outputs, whose confirmations would give the answers away. It also sets the
# Sphinx tag ``no_solutions``, so pages can keep notes for instructors in
# ``{only} not no_solutions`` blocks.

def setup(app):
    """Sphinx entry point: list ``tightrope.student`` in the book's extensions."""
    from sphinx.transforms import SphinxTransform
    from sphinx_exercise.directive import SolutionStartDirective
    from sphinx_exercise.nodes import solution_end_node
    from docutils import nodes

    class hidden_solution(nodes.Element):
        """Marks where a hidden gated solution starts; removed before writing."""

    class HidableSolutionStart(SolutionStartDirective):
        def run(self):
            shown = super().run()  # also records the start for sphinx-exercise's checks
            return [hidden_solution()] if self.config.hide_solutions else shown

    class DropHiddenSolutions(SphinxTransform):
        default_priority = 5  # after sphinx-exercise checks the structure, before it merges

        def apply(self):
            if not self.config.hide_solutions:
                return
            for marker in list(self.document.findall(hidden_solution)):
                parent = marker.parent
                start = parent.index(marker)
                end = next((i for i in range(start, len(parent.children))
                            if isinstance(parent.children[i], solution_end_node)), start)
                for child in parent.children[start:end + 1]:
                    parent.remove(child)
            for cell in list(self.document.findall(nodes.container)):
                if "cell" in cell.get("classes", []) and CHECK_CALL.match(cell.astext().strip().splitlines()[0] if cell.astext().strip() else ""):
                    for child in list(cell.children):
                        if "cell_output" in child.get("classes", []):
                            cell.remove(child)

    def tag_edition(app, config):
        if config.hide_solutions:
            app.tags.add("no_solutions")

    app.setup_extension("sphinx_exercise")
    app.connect("config-inited", tag_edition)
    app.add_directive("solution-start", HidableSolutionStart, override=True)
    app.add_transform(DropHiddenSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
