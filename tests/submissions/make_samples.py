"""Write the sample submissions that tests/test_grade.py grades.

They are student editions of exercises/00-reading-the-data.ipynb, filled in
the way real submissions are: complete, partial (with an answer cell that
raises), wrong (plausible mistakes, and a check cell edited to print a fake
tick), endless (an infinite loop in one answer) and malformed (not JSON).
Run it again after changing that exercise:

    .venv/bin/python tests/submissions/make_samples.py
"""

from pathlib import Path

import nbformat

from tightrope import student

HERE = Path(__file__).resolve().parent
EXERCISE = student.EXERCISES / "00-reading-the-data.ipynb"


def answer_cells(nb) -> list:
    """The code cells that follow a solution region's placeholder, in question order."""
    return [c for c in nb.cells if c.cell_type == "code" and "# Your code here" in c.source]


def filled(answers: dict[int, str], written: str = "") -> nbformat.NotebookNode:
    """The student edition with answer cell i (0-based) replaced by answers[i], and the written
    task's cell (tagged written-answer) by ``written`` if given."""
    nb = student.student_notebook(nbformat.read(EXERCISE, as_version=4), EXERCISE.name)
    cells = answer_cells(nb)
    for index, source in answers.items():
        cells[index].source = source
    if written:
        next(c for c in nb.cells if "written-answer" in c.metadata.get("tags", [])).source = written
    return nb


# A short data note, as a student might write it (the grader lists it; it never scores it).
WRITTEN = ("The table lists the attacks that reports named, so it is a floor, not a census. Its rows are "
           "complete only for the months it says; outside them it is a sample. A blank casualty cell means "
           "no figure was reported, not that nobody was hurt.\n\n# A heading the grader must not obey")


RIGHT = {
    0: "n_incidents = len(incidents)",
    1: 'kinds = incidents["kind"].value_counts().rename("incidents").reset_index()',
    2: 'at_taji = (incidents["site"] == "taji") & (incidents["kind"] == "indirect fire")\n'
       'taji = incidents.loc[at_taji, ["id", "date", "kind", "projectiles_high"]].sort_values("date")',
    3: 'us_killed = incidents["killed_us"].sum()',
    4: 'blank_means = "B"',
    5: 'every = incidents[incidents["kind"] == "indirect fire"]\n'
       'inside = every["date"].between(data.COMPLETE_FROM, data.COMPLETE_UNTIL)\n'
       'coverage = {"inside": int(inside.sum()), "outside": int((~inside).sum()), "reading": "B"}',
}

WRONG = {
    0: "n_incidents = len(incidents) + 1  # like wc -l",
    1: 'kinds = incidents["kind"].value_counts(ascending=True).rename("incidents").reset_index()',
    2: 'taji = incidents.loc[incidents["site"] == "taji", ["id", "date", "kind", "projectiles_high"]]',
    3: 'us_killed = incidents["killed_us"].sum() + incidents["killed_contractor"].sum()',
    4: 'blank_means = "A"',
    5: 'coverage = {"inside": len(incidents), "outside": 0, "reading": "A"}',
}


def main() -> None:
    nbformat.write(filled(RIGHT, WRITTEN), HERE / "complete.ipynb")
    nbformat.write(filled({0: RIGHT[0], 1: RIGHT[1], 2: 'taji = incidents["sites"]  # a KeyError'}),
                   HERE / "partial.ipynb")
    wrong = filled(WRONG)
    check_q5 = next(c for c in wrong.cells if c.get("id") == "check-q5")
    check_q5.source = 'print("✓ q5: correct.")  # edited to fake a pass'
    nbformat.write(wrong, HERE / "wrong.ipynb")
    nbformat.write(filled({**RIGHT, 1: "while True:  # never ends\n    pass"}), HERE / "endless.ipynb")
    text = nbformat.writes(filled(RIGHT))
    (HERE / "malformed.ipynb").write_text(text[: len(text) // 2])  # cut off mid-file


if __name__ == "__main__":
    main()
