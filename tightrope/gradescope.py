"""A Gradescope autograder for one exercise: ``tightrope autograder 02-escalation``.

The zip holds what Gradescope's autograder specification asks for at its root,
``setup.sh`` (run once, when the image is built) and ``run_autograder`` (run for
each submission), and what they need: this package's wheel (with the data
package and the checks), the exercise's student edition (its check cells are
the reference the grader restores), and ``grading.yml`` (points per question).

For each submission, :func:`main` grades the notebook in ``/autograder/submission``
exactly as ``tightrope grade`` does (answers saved as data and checked here, a
time limit per cell and per notebook, a cap on output), and writes
``/autograder/results/results.json``: the score, and one test per question with
its points, maximum, the check's message and its visibility. Gradescope runs
each submission in a container of its own, which stands in for the bubblewrap
sandbox (user namespaces are usually not available inside it). The root
(``/autograder``) can be changed for a local test with ``AUTOGRADER_ROOT``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile
from pathlib import Path

from tightrope import grade, sandbox, student

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (choose Ubuntu 24.04).
set -euo pipefail
cd /autograder/source
PY=$(command -v python3.13 || command -v python3.12 || command -v python3.11 || true)
if [ -z "$PY" ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3.11 python3.11-venv
  PY=$(command -v python3.11)
fi
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --quiet --upgrade pip
/autograder/venv/bin/python -m pip install --quiet "$(ls tightrope-*.whl)[notebook]"
/autograder/venv/bin/python -m ipykernel install --sys-prefix --name python3
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission; it writes $AUTOGRADER_ROOT/results/results.json.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{TIGHTROPE_PYTHON:-/autograder/venv/bin/python}}"
exec "$PYTHON" -m tightrope.gradescope --root "$ROOT" --exercise {exercise} --timeout {timeout} --wall {wall}
"""


def build(exercise: str, out: Path, *, timeout: int = grade.DEFAULT_TIMEOUT, wall: int = grade.DEFAULT_WALL) -> Path:
    """Write the autograder zip for ``exercise`` to ``out`` (a file, or a folder to put it in)."""
    edition = student.STUDENT_DIR / f"{exercise}.ipynb"
    wheel = student.STUDENT_DIR / student.wheel_name()
    if not edition.is_file() or not wheel.is_file():
        raise FileNotFoundError(f"no student edition or wheel for {exercise!r} in {student.STUDENT_DIR}: "
                                "run `tightrope student` (make book does) and check the exercise's name")
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out = out / f"autograder-{exercise}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN.format(exercise=exercise, timeout=timeout,
                                                                               wall=wall))):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16  # executable, as Gradescope requires
            archive.writestr(info, text)
        archive.write(wheel, wheel.name)
        archive.write(edition, f"reference/{edition.name}")
        if grade.WEIGHTS.is_file():
            archive.write(grade.WEIGHTS, "grading.yml")
    return out


def results(result: grade.Result | None, problem: str = "") -> dict:
    """Gradescope's results.json for one graded notebook (or for none, with the reason)."""
    if result is None:
        return {"score": 0, "output": problem, "visibility": "visible", "stdout_visibility": "hidden", "tests": []}
    tests = [{"name": f"{v.question}", "score": result.points(v.question) if v.passed else 0,
              "max_score": result.points(v.question), "output": v.message, "visibility": "visible"}
             for v in result.verdicts]
    output = f"{result.exercise}: {result.earned:g} of {result.maximum:g} points."
    if result.problem:
        output += f" The run had a problem: {result.problem}"
    for question, text in result.written.items():
        # Gradescope marks written work as a separate, manually graded question; say what was found.
        output += (f" Written task {question}: {grade.word_count(text)} words found, for your instructor to "
                   "mark (not scored here)." if text else f" Written task {question}: nothing written.")
    return {"score": result.earned, "output": output, "visibility": "visible", "stdout_visibility": "hidden",
            "tests": tests}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tightrope.gradescope")
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    parser.add_argument("--exercise", required=True)
    parser.add_argument("--timeout", type=int, default=grade.DEFAULT_TIMEOUT)
    parser.add_argument("--wall", type=int, default=grade.DEFAULT_WALL)
    args = parser.parse_args(argv)
    source, submission, out = args.root / "source", args.root / "submission", args.root / "results"
    out.mkdir(parents=True, exist_ok=True)
    notebooks = sorted(p for p in submission.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    named = [p for p in notebooks if args.exercise in p.stem]
    chosen = named[0] if named else notebooks[0] if len(notebooks) == 1 else None
    if chosen is None:
        found = ", ".join(p.name for p in notebooks) or "none"
        report = results(None, f"Submit one notebook for {args.exercise} (its name should contain "
                                f"{args.exercise!r}); found: {found}.")
    else:
        result = grade.run_notebook(chosen, timeout=args.timeout, wall=args.wall, exercises=source / "reference",
                                    limits=sandbox.Limits())
        result.weights = grade.weights(source / "grading.yml").get(result.exercise, {})
        if result.exercise != args.exercise:
            report = results(None, f"{chosen.name} is not the {args.exercise} notebook (it is "
                                   f"{result.exercise or 'not an exercise of the book'}, or not a readable "
                                   f"notebook: {result.problem or 'no details'}).")
        else:
            report = results(result)
    (out / "results.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
