"""Written tasks: the grader lists what students wrote for the instructor and never scores it;
rubrics stay out of the student editions and the edition without solutions."""

from __future__ import annotations

import nbformat
import pytest

from tightrope import grade, student

PROMPT = "*Write your answer here, in this cell (double-click to edit; about 300 words).*"


def written_cell(text, question=None):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = ["written-answer"]
    if question:
        cell.metadata["tightrope"] = {"question": question}
    return cell


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Exercise"), nbformat.v4.new_code_cell("x = 1"), *cells]
    return nb


def test_written_cells_are_found_by_tag_and_named_by_metadata_or_order():
    nb = notebook(written_cell("memo", "w2"), nbformat.v4.new_markdown_cell("not tagged"), written_cell("essay"))
    assert grade.written_cells(nb) == {"w2": "memo", "w1": "essay"}
    assert grade.written_cells(notebook(written_cell("a", "w1"), written_cell("b", "w1"))) == {"w1": "a", "w2": "b"}
    # an untagged cell is never taken for an answer, and an unnamed one is numbered in order
    assert grade.written_cells(notebook(written_cell("a"), written_cell("b"))) == {"w1": "a", "w2": "b"}
    assert grade.written_cells(notebook(nbformat.v4.new_markdown_cell("text"))) == {}


def test_written_answers_leave_out_the_blank_prompt_and_note_missing_cells():
    reference = {"w1": PROMPT, "w2": PROMPT}
    nb = notebook(written_cell("My memo argues that the strikes raised the risk.", "w1"), written_cell(PROMPT, "w2"))
    assert grade.written_answers(nb, reference) == {"w1": "My memo argues that the strikes raised the risk.", "w2": ""}
    assert grade.written_answers(notebook(), reference) == {"w1": "", "w2": ""}
    long = grade.written_answers(notebook(written_cell("word " * 10_000, "w1")), {"w1": PROMPT})["w1"]
    assert len(long) < 20_200 and long.endswith("characters]")


def test_word_count_counts_words_not_punctuation():
    assert grade.word_count("The PM's memo — two points: de-escalate, and ask.") == 8
    assert grade.word_count("") == 0


def _result(name, exercise, written, verdicts=()):
    return grade.Result(student=name, file=f"{exercise}.ipynb", exercise=exercise, notebook=f"{name}/{exercise}",
                        verdicts=list(verdicts), written=written)


def test_the_grader_lists_written_answers_per_exercise_without_scoring_them(tmp_path):
    results = [_result("bo", "02-escalation", {"w1": "Ask Washington for restraint.\n# Not a heading"},
                       [grade.Verdict("q1", True, "✓ q1")]),
               _result("al", "02-escalation", {"w1": ""}, [grade.Verdict("q1", False, "NotYet: q1: count again")]),
               _result("al", "00-reading-the-data", {}, [grade.Verdict("q1", True, "✓ q1")])]
    paths = grade.write_written(results, tmp_path / "written")
    assert [p.name for p in paths] == ["02-escalation.md"]  # exercises without written tasks get no file
    text = paths[0].read_text(encoding="utf-8")
    assert text.index("### al") < text.index("### bo")
    assert "> (nothing written)" in text and "### bo (7 words; bo/02-escalation)" in text
    assert "> # Not a heading" in text and "\n# Not a heading" not in text  # quoted, cannot restructure the file
    # scores ignore written tasks
    assert results[0].earned == 1 and results[0].maximum == 1


def test_feedback_and_self_check_show_written_answers(tmp_path):
    results = [_result("bo", "02-escalation", {"w1": "Ask Washington for restraint."},
                       [grade.Verdict("q1", True, "✓ q1")])]
    feedback = grade.write_feedback(results, tmp_path)[0].read_text(encoding="utf-8")
    assert "Written answers (read by your instructor" in feedback and "> Ask Washington for restraint." in feedback
    shown = grade.report(results[0])
    assert "w1: 4 words written" in shown
    assert "nothing written yet" in grade.report(_result("al", "02-escalation", {"w1": ""}))


def _instructor_with_written():
    found = {}
    for path in student.instructor_notebooks():
        nb = nbformat.read(path, as_version=4)
        if grade.written_cells(nb):
            found[path.stem] = nb
    return found


def test_every_exercise_has_a_written_task_with_a_rubric():
    notebooks = _instructor_with_written()
    assert set(notebooks) == {p.stem for p in student.instructor_notebooks()}
    for name, nb in notebooks.items():
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "**Rubric**" in text and "What a strong answer contains" in text, name


@pytest.mark.parametrize("name", sorted(p.stem for p in student.instructor_notebooks()))
def test_student_editions_keep_the_answer_cell_and_drop_the_rubric(name):
    instructor = nbformat.read(student.EXERCISES / f"{name}.ipynb", as_version=4)
    edition = student.student_notebook(instructor, name)
    stripped = lambda nb: {q: text.strip() for q, text in grade.written_cells(nb).items()}  # noqa: E731
    assert stripped(edition) == stripped(instructor)
    text = "\n".join(c.source for c in edition.cells)
    assert "Rubric" not in text and "What a strong answer contains" not in text


def test_gradescope_results_say_what_was_written_without_scoring_it():
    from tightrope import gradescope

    result = _result("bo", "02-escalation", {"w1": "Ask Washington for restraint.", "w2": ""},
                     [grade.Verdict("q1", True, "✓ q1")])
    out = gradescope.results(result)
    assert out["score"] == 1 and [t["name"] for t in out["tests"]] == ["q1"]
    assert "Written task w1: 4 words found" in out["output"] and "Written task w2: nothing written" in out["output"]
