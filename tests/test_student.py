"""The student edition: solutions out, placeholders in, checks kept, MyST made plain."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tightrope import student
from tightrope.cli import main


def instructor(*cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["jupytext"] = {"formats": "ipynb,src//md:myst"}
    return nb


SOLUTION_START = "````{solution-start} ex-q1\n:class: dropdown\n````"
SOLUTION_END = "````{solution-end}\n````"


def solved(code: str = "# BEGIN SOLUTION\nrate = 3 / 30\n# END SOLUTION") -> nbformat.NotebookNode:
    answer = new_code_cell(code, outputs=[nbformat.v4.new_output("stream", text="0.1\n")], execution_count=3)
    return instructor(
        new_markdown_cell("(exercise-02-escalation)=\n# Exercise\n\n```{admonition} Objectives\n:class: tip\n- count\n```\n\n"
                          "Back to {doc}`the chapter <../chapters/02-escalation>`.\n\n"
                          "{download}`Download the student notebook <student/02-escalation.ipynb>` to\n"
                          "work in Jupyter.\n\nSee {doc}`../appendices/data-dictionary`."),
        new_code_cell("from tightrope.checks import escalation as check", execution_count=1),
        new_markdown_cell("```{exercise} Q1. A rate\n:label: ex-q1\n:nonumber:\n\nCompute `rate`.\n```"),
        new_markdown_cell(SOLUTION_START),
        answer,
        new_markdown_cell("Three attacks in thirty days."),
        new_markdown_cell(SOLUTION_END),
        new_code_cell("check.q1(rate)", outputs=[nbformat.v4.new_output("stream", text="✓ q1: correct.\n")],
                      execution_count=4),
    )


def test_solution_region_becomes_placeholder_named_after_the_answer():
    assert student.strip_solutions("x = 1\n# BEGIN SOLUTION\ny = x + 1\nrate = y / 2\n# END SOLUTION\nprint(rate)") == \
        "x = 1\n# Your code here\nrate = ...\nprint(rate)"


def test_placeholder_names_the_answer_not_a_column_assignment():
    code = "# BEGIN SOLUTION\ndeaths = table.sum().reset_index()\ndeaths['group'] = deaths['group'].str.upper()\n# END SOLUTION"
    assert student.strip_solutions(code) == "# Your code here\ndeaths = ..."


def test_placeholder_keeps_indentation_and_handles_regions_without_assignment():
    code = "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION"
    assert student.strip_solutions(code) == "def f():\n    # Your code here\n    ..."


def test_nbgrader_style_markers_are_accepted():
    assert student.strip_solutions("### BEGIN SOLUTION\nchoice = 'B'\n### END SOLUTION") == \
        "# Your code here\nchoice = ..."


@pytest.mark.parametrize("code, problem", [
    ("# BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n# END SOLUTION", "without BEGIN"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside another"),
])
def test_unbalanced_markers_are_named(code, problem):
    with pytest.raises(student.EditionError, match=problem):
        student.strip_solutions(code, "02-escalation.ipynb, cell 5")


def test_student_edition_drops_solutions_and_outputs_and_keeps_checks():
    nb = solved()
    edition = student.student_notebook(nb, "02-escalation.ipynb")
    sources = [c.source for c in edition.cells]
    text = "\n".join(sources)
    assert "3 / 30" not in text and "Three attacks" not in text, "the solution leaked"
    assert "solution-start" not in text and "solution-end" not in text
    assert "# Your code here\nrate = ..." in sources
    assert "check.q1(rate)" in sources, "the check cell must stay"
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in edition.cells if c.cell_type == "code")
    assert "jupytext" not in edition.metadata
    assert edition.metadata["tightrope"]["edition"] == "student"
    assert nb.cells[4].outputs, "the instructor notebook itself is left unchanged"


def test_myst_becomes_plain_markdown_without_the_download_link():
    edition = student.student_notebook(solved())
    intro, question = [c.source for c in edition.cells if c.cell_type == "markdown"][:2]
    assert "**Objectives**" in intro and "- count" in intro and ":class:" not in intro
    assert "{doc}" not in intro and "the chapter" in intro
    assert "{download}" not in intro and "Download" not in intro and "work in Jupyter" not in intro
    assert intro.startswith("# Exercise"), "the label line (name)= goes"
    assert 'See the book\'s page "data-dictionary".' in intro
    assert question.startswith("**Q1. A rate**") and "Compute `rate`." in question
    assert ":label:" not in question and "```" not in question


def test_code_inside_a_solution_without_markers_is_refused():
    nb = solved("rate = 3 / 30")
    with pytest.raises(student.EditionError, match="cell 5: a code cell inside a solution"):
        student.student_notebook(nb, "02-escalation.ipynb")


def test_unclosed_solution_is_refused():
    nb = solved()
    del nb.cells[6:]  # no solution-end (and no check cell after it)
    with pytest.raises(student.EditionError, match="never closed"):
        student.student_notebook(nb)


def test_solution_fences_in_a_merged_markdown_cell_are_removed():
    nb = instructor(new_markdown_cell("Question text.\n\n" + SOLUTION_START + "\n\nWorked answer.\n\n" + SOLUTION_END
                                      + "\n\nAfter."))
    text = student.student_notebook(nb).cells[0].source
    assert "Question text." in text and "After." in text and "Worked answer" not in text


def test_cell_ids_are_stable_and_name_checks():
    assert student.cell_id(new_code_cell("check.q3(table)"), 9) == "check-q3"
    assert student.cell_id(new_code_cell("from tightrope import data\nfrom tightrope.checks import deterrence as check"), 1) == "setup"
    assert student.cell_id(new_markdown_cell("text"), 7) == "cell-07"


def test_cli_writes_student_editions(tmp_path):
    source = tmp_path / "exercises"
    source.mkdir()
    nbformat.write(solved(), source / "02-escalation.ipynb")
    nbformat.write(solved(), source / "notes.ipynb")  # not NN-name: not an exercise
    out = tmp_path / "out"
    assert main(["student", "--source", str(source), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["02-escalation.ipynb", student.wheel_name(), student.PACK_NAME]
    nbformat.validate(nbformat.read(out / "02-escalation.ipynb", as_version=4))


def test_unchanged_editions_are_not_rewritten(tmp_path):
    """The book links the editions: an untouched file must keep its modification time."""
    source = tmp_path / "exercises"
    source.mkdir()
    nbformat.write(solved(), source / "02-escalation.ipynb")
    out = tmp_path / "out"
    [edition] = student.write_student_editions(source, out)
    os.utime(edition, (0, 0))
    student.write_student_editions(source, out)
    assert edition.stat().st_mtime == 0
    changed = solved()
    changed.cells[0].source += "\n\nOne more sentence."
    nbformat.write(changed, source / "02-escalation.ipynb")
    student.write_student_editions(source, out)
    assert edition.stat().st_mtime > 0


def test_cli_reports_a_broken_instructor_notebook(tmp_path, capsys):
    nbformat.write(solved("rate = 1"), tmp_path / "02-escalation.ipynb")
    assert main(["student", "--source", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "a code cell inside a solution" in capsys.readouterr().err


def test_real_exercises_make_valid_student_editions(tmp_path):
    """Every instructor notebook converts; no solution text survives."""
    written = student.write_student_editions(student.EXERCISES, tmp_path)
    assert len(written) == 10
    for path in written:
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells)
        assert "BEGIN SOLUTION" not in text and "solution-start" not in text, path.name
        checks = [c for c in nb.cells if student.CHECK_CALL.match(c.source.strip())]
        assert checks, f"{path.name} has no check cells"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
