"""Self-check and grading run real notebooks: samples, blank student editions, a runaway.

One grading run (module fixture) covers the sample submissions in
tests/submissions/ and a blank student edition of every exercise, two at a
time, with a short per-cell limit so the endless loop costs seconds.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from tightrope import checks, grade, student
from tightrope.cli import main

SAMPLES = Path(__file__).resolve().parent / "submissions"
LIMIT = 10  # seconds a cell may run


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for sample in SAMPLES.glob("*.ipynb"):
        shutil.copy(sample, folder / sample.name)
    student.write_student_editions(student.EXERCISES, folder / "blank")
    shutil.copy(student.EXERCISES / "00-reading-the-data.ipynb", folder / "instructor.ipynb")
    writer = nbformat.read(SAMPLES / "complete.ipynb", as_version=4)
    writer.cells.append(nbformat.v4.new_code_cell(  # writes where it runs: must be a temp folder
        "import os\nopen('left-behind.txt', 'w').write(os.getcwd())"))
    nbformat.write(writer, folder / "writer.ipynb")
    out = tmp_path_factory.mktemp("grading")
    # A per-cell limit short enough that the endless loop costs little, long enough that a sample's
    # slowest cell (importing pandas and Altair) passes while other tests load the machine.
    results = grade.grade_folder(folder, out, jobs=2, timeout=LIMIT, wall=180)
    return {r.notebook: r for r in results}, out


def messages(result):
    return {v.question: v.message for v in result.verdicts}


def code_cell_holding(sample, text):
    """The number Jupyter shows for the first code cell whose source holds text ([n] after Run All)."""
    code = [c for c in nbformat.read(SAMPLES / sample, as_version=4).cells if c.cell_type == "code"]
    return next(n for n, c in enumerate(code, start=1) if text in c.source)


def test_complete_submission_passes_every_question(graded):
    result = graded[0]["complete"]
    assert result.exercise == "00-reading-the-data" and not result.problem
    assert [v.passed for v in result.verdicts] == [True] * 6
    assert all(m.startswith(f"✓ {q}: correct.") for q, m in messages(result).items())


def test_wrong_answers_fail_with_their_hints(graded):
    result = graded[0]["wrong"]
    got = messages(result)
    assert result.score == 0
    assert got["q1"].startswith("NotYet: q1: one too many")
    assert "most common kind comes first" in got["q2"]
    assert "foiled" in got["q3"]
    assert "another group" in got["q4"]
    # the check cell was edited to print a tick: the grader ran the original check instead
    assert got["q5"].startswith("NotYet: q5: a zero is written as 0")


def test_partial_submission_and_an_exception(graded):
    result = graded[0]["partial"]
    got = messages(result)
    assert [v.passed for v in result.verdicts] == [True, True, False, False, False, False]
    assert got["q4"].startswith("NoAnswer: q4: no answer yet")
    assert not result.problem, "an exception in one cell does not stop the run"


def test_an_answer_cell_error_is_the_verdict_not_the_check_cells_nameerror(graded):
    got = messages(graded[0]["partial"])
    # the answer cell raised a KeyError, so its name was never set and the check cell raised a NameError
    number = code_cell_holding("partial.ipynb", 'incidents["sites"]')
    assert got["q3"] == f"KeyError: 'sites' (raised in code cell {number}, before the check)"
    assert grade.describe(graded[0]["partial"].verdicts[2]) == f"✗ q3: {got['q3']}"


def test_endless_loop_is_interrupted_and_the_rest_is_graded(graded):
    result = graded[0]["endless"]
    number = code_cell_holding("endless.ipynb", "while True")
    # named so the student can find it: Jupyter's code cell number and the question it answers
    assert result.problem == f"code cell {number} (for q2) ran past the {LIMIT} s limit and was interrupted"
    assert [v.passed for v in result.verdicts] == [True, False, True, True, True, True]


def test_malformed_json_becomes_a_row_with_the_reason(graded):
    result = graded[0]["malformed"]
    assert result.problem.startswith("not a readable notebook: NotJSONError")
    assert result.verdicts == []


@pytest.mark.parametrize("path", student.instructor_notebooks(), ids=lambda p: p.stem)
def test_blank_student_notebook_fails_every_question_with_its_hint(graded, path):
    result = graded[0][f"blank/{path.stem}"]
    check_set = checks.SETS[path.stem]
    assert result.exercise == path.stem and not result.problem
    assert [v.question for v in result.verdicts] == list(check_set.questions)
    for v in result.verdicts:
        expects = check_set.questions[v.question].expects
        # exactly what the check cell says to the student
        assert not v.passed
        assert v.message == (f"NoAnswer: {v.question}: no answer yet: expected {expects}, "
                             "got ... (the placeholder)."), v.message


def test_grades_csv_has_one_row_per_student_and_question(graded):
    results, out = graded
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == grade.CSV_COLUMNS
    expected = sum(max(1, len(r.verdicts)) for r in results.values())
    assert len(rows) == expected
    malformed = [r for r in rows if r["student"] == "malformed"]
    assert len(malformed) == 1 and malformed[0]["result"] == "fail" and "NotJSONError" in malformed[0]["message"]
    wrong_q1 = next(r for r in rows if r["student"] == "wrong" and r["question"] == "q1")
    assert wrong_q1["result"] == "fail" and "header line" in wrong_q1["message"]


def test_scores_csv_has_one_row_per_student_and_exercise_for_a_gradebook(graded):
    results, out = graded
    with open(out / "scores.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["student", "exercise", "score", "max", "notebook", "problem"]
    by_notebook = {row["notebook"]: row for row in rows}
    assert set(by_notebook) == set(results)
    assert by_notebook["complete"] | {"problem": ""} == {"student": "complete", "exercise": "00-reading-the-data",
                                                        "score": "6", "max": "6", "notebook": "complete", "problem": ""}
    assert by_notebook["partial"]["score"] == "2" and by_notebook["malformed"]["score"] == "0"
    # the ten blank editions in one folder are one student's ten exercises
    blank = [row for row in rows if row["student"] == "blank"]
    assert sorted(row["exercise"] for row in blank) == sorted(checks.SETS)
    for name, result in results.items():
        assert float(by_notebook[name]["score"]) == result.earned and float(by_notebook[name]["max"]) == result.maximum
    assert "scores.csv" in (out / "summary.md").read_text()


def test_summary_is_readable_markdown(graded):
    summary = (graded[1] / "summary.md").read_text()
    assert summary.startswith("# Grading summary")
    assert "| complete | 00-reading-the-data | 6/6 |  |" in summary
    assert "| malformed | ? | – | not a readable notebook" in summary
    assert "## Questions" in summary


def test_hard_wall_clock_limit_kills_a_notebook_that_ignores_interrupts(tmp_path):
    nb = nbformat.read(SAMPLES / "complete.ipynb", as_version=4)
    answers = [c for c in nb.cells if c.cell_type == "code" and "kinds = " in c.source]
    answers[0].source = ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)  # shrug off interrupts\n"
                         "while True:\n    pass")
    nbformat.write(nb, tmp_path / "stubborn.ipynb")
    result = grade.run_notebook(tmp_path / "stubborn.ipynb", timeout=8, wall=14)
    assert result.problem == "stopped after the 14 s time limit for the whole notebook"
    got = messages(result)
    assert got["q1"].startswith("✓ q1"), "what ran before the limit is kept"
    assert got["q3"] == "not run (the notebook stopped before this cell)"
    assert result.kernel_pid and not alive(result.kernel_pid), "the kernel must be killed"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())  # a zombie is dead


def test_submission_runs_in_its_own_temporary_folder(graded):
    assert graded[0]["writer"].score == 6
    leftovers = [p for p in (Path.cwd(), SAMPLES, student.EXERCISES) if (p / "left-behind.txt").exists()]
    assert not leftovers


def test_instructor_notebook_verdicts_match_its_stored_check_outputs(graded):
    path = student.EXERCISES / "00-reading-the-data.ipynb"
    stored = [c.outputs[0].text.strip() for c in nbformat.read(path, as_version=4).cells
              if c.get("id", "").startswith("check-")]
    assert [v.message for v in graded[0]["instructor"].verdicts] == stored


def test_check_command_prints_what_the_check_cells_say(capsys):
    assert main(["check", str(SAMPLES / "wrong.ipynb"), "--timeout", "30"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "wrong.ipynb (00-reading-the-data)"
    assert out[1] == ("  ✗ NotYet: q1: one too many: a line count of the CSV file includes the header line. "
                      "Count the rows of the DataFrame instead.")
    # as in grading, an edited check cell is put back before the run
    assert out[5].startswith("  ✗ NotYet: q5: a zero is written as 0")
    assert out[-2:] == ["  0/6 questions pass",
                        "  w1: nothing written yet (the cell under the task is still blank)"]


def test_check_and_grade_commands_name_a_missing_path(capsys, tmp_path):
    assert main(["check", str(tmp_path / "nope.ipynb")]) == 2
    assert main(["grade", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such notebook" in err and "no such folder" in err


def test_written_answers_are_listed_for_the_instructor_and_not_scored(graded):
    results, out = graded
    assert results["complete"].written["w1"].startswith("The table lists the attacks")
    assert results["wrong"].written == {"w1": ""}  # the blank prompt is not an answer
    listed = (out / "written" / "00-reading-the-data.md").read_text(encoding="utf-8")
    assert "### complete (" in listed and "> The table lists the attacks" in listed
    assert "> # A heading the grader must not obey" in listed
    assert "### wrong (0 words" in listed and "> (nothing written)" in listed
    assert "w1" not in {v.question for v in results["complete"].verdicts}  # never a scored question
    assert "The table lists the attacks" in (out / "feedback" / "complete.md").read_text(encoding="utf-8")


def test_each_student_gets_a_feedback_file_with_every_verdict_and_hint(graded):
    results, out = graded
    wrong = (out / "feedback" / "wrong.md").read_text(encoding="utf-8")
    assert wrong.startswith("# Feedback for wrong") and "0 of 6 points" in wrong
    assert "header line" in wrong  # the hint for q1
    blank = (out / "feedback" / "blank.md").read_text(encoding="utf-8")
    assert all(f"## {exercise}:" in blank for exercise in checks.SETS)


@pytest.mark.parametrize("path, exercise, expected", [
    ("alice/02-escalation.ipynb", "02-escalation", "alice"),
    ("alice_02-escalation.ipynb", "02-escalation", "alice"),
    ("02-escalation-bob.ipynb", "02-escalation", "bob"),
    ("02-escalation.ipynb", "02-escalation", "02-escalation"),
    ("carol.ipynb", "", "carol"),
])
def test_the_student_is_named_by_folder_else_by_file(tmp_path, path, exercise, expected):
    assert grade.student_name(tmp_path / path, tmp_path, exercise) == expected


def test_weights_change_points_and_maximum(tmp_path):
    file = tmp_path / "grading.yml"
    file.write_text("02-escalation:\n  q4: 2\n  q5: 0.5\n", encoding="utf-8")
    points = grade.weights(file)
    result = grade.Result("s", "f", "02-escalation", [grade.Verdict(q, q != "q5", "") for q in
                                                     ("q1", "q2", "q3", "q4", "q5")], weights=points["02-escalation"])
    assert result.maximum == 5.5 and result.earned == 5
    file.write_text("02-escalation:\n  q4: -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="02-escalation needs question: points pairs"):
        grade.weights(file)
