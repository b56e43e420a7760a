"""The tightrope command: student editions, self-check, grading.

    tightrope student [--out DIR]            student notebooks, wheel and pack (default exercises/student/)
    tightrope check NOTEBOOK.ipynb           run a notebook, show each question's verdict
    tightrope grade FOLDER [--out DIR] [--jobs N] [--timeout S] [--wall S] [--memory MIB]
                   [--processes N] [--output MIB] [--no-sandbox]
    tightrope autograder EXERCISE [--out P]  a Gradescope autograder zip for one exercise
    tightrope instructor [SOURCE.md ...]     rebuild instructor notebooks from exercises/src/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tightrope import grade, sandbox, student


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tightrope", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("student", help="write the student edition of every exercise notebook")
    p.add_argument("--out", type=Path, default=student.STUDENT_DIR, help="output folder (default: %(default)s)")
    p.add_argument("--source", type=Path, default=student.EXERCISES, help="instructor notebooks (default: %(default)s)")

    p = commands.add_parser("check", help="run a notebook and show each question's verdict")
    p.add_argument("notebook", type=Path)
    p.add_argument("--timeout", type=int, default=grade.DEFAULT_TIMEOUT, help="seconds per cell (default: %(default)s)")
    p.add_argument("--wall", type=int, default=grade.DEFAULT_WALL, help="seconds for the whole notebook (default: %(default)s)")

    p = commands.add_parser("grade", help="grade a folder of submitted notebooks")
    p.add_argument("folder", type=Path)
    p.add_argument("--out", type=Path, default=None, help="where grades.csv, scores.csv, feedback/ and summary.md go (default: FOLDER/grading)")
    p.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default: %(default)s)")
    p.add_argument("--timeout", type=int, default=grade.DEFAULT_TIMEOUT, help="seconds per cell (default: %(default)s)")
    p.add_argument("--wall", type=int, default=grade.DEFAULT_WALL, help="seconds per notebook (default: %(default)s)")
    limits = sandbox.Limits()
    p.add_argument("--memory", type=int, default=limits.memory // sandbox.MiB,
                   help="MiB of memory per notebook, kernel included (default: %(default)s)")
    p.add_argument("--processes", type=int, default=limits.processes,
                   help="processes and threads per notebook (default: %(default)s)")
    p.add_argument("--output", type=int, default=limits.output // sandbox.MiB,
                   help="MiB of cell output per notebook (default: %(default)s)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without the sandbox where none can be made (students' code then runs with your rights)")

    p = commands.add_parser("autograder", help="write a Gradescope autograder zip for one exercise")
    p.add_argument("exercise", help="the exercise, e.g. 02-escalation")
    p.add_argument("--out", type=Path, default=Path("_build") / "autograders", help="folder or .zip path (default: %(default)s)")
    p.add_argument("--timeout", type=int, default=grade.DEFAULT_TIMEOUT, help="seconds per cell (default: %(default)s)")
    p.add_argument("--wall", type=int, default=grade.DEFAULT_WALL, help="seconds per notebook (default: %(default)s)")

    p = commands.add_parser("instructor", help="rebuild instructor notebooks from exercises/src/*.md and run them")
    p.add_argument("sources", type=Path, nargs="*", help="default: every exercises/src/NN-*.md")

    args = parser.parse_args(argv)
    return COMMANDS[args.command](args)


def _student(args) -> int:
    try:
        written = student.write_student_editions(args.source, args.out)
        wheel, pack = student.write_student_pack(written, args.out)
    except student.EditionError as problem:
        print(f"tightrope student: {problem}", file=sys.stderr)
        return 1
    print(f"{len(written)} student notebook(s), {wheel.name} and {pack.name} up to date in {args.out}")
    return 0


def _check(args) -> int:
    if not args.notebook.is_file():
        print(f"tightrope check: no such notebook: {args.notebook}", file=sys.stderr)
        return 2
    result = grade.run_notebook(args.notebook, timeout=args.timeout, wall=args.wall)
    print(grade.report(result))
    return 0 if result.verdicts and result.score == len(result.verdicts) and not result.problem else 1


def _grade(args) -> int:
    if not args.folder.is_dir():
        print(f"tightrope grade: no such folder: {args.folder}", file=sys.stderr)
        return 2
    out = args.out or args.folder / "grading"
    limits = sandbox.Limits(memory=args.memory * sandbox.MiB, processes=args.processes,
                            output=args.output * sandbox.MiB)
    try:
        results = grade.grade_folder(args.folder, out, jobs=args.jobs, timeout=args.timeout, wall=args.wall,
                                     limits=limits, unsandboxed=args.no_sandbox)
    except grade.NoSandbox as problem:
        print(f"tightrope grade: {problem}", file=sys.stderr)
        return 2
    for result in results:
        print(grade.report(result))
    print(f"\nwrote {out / 'grades.csv'}, {out / 'scores.csv'}, {out / 'feedback'}/ and {out / 'summary.md'}")
    return 0


def _instructor(args) -> int:
    sources = args.sources or sorted((student.EXERCISES / "src").glob("[0-9][0-9]-*.md"))
    for source in sources:
        print(f"built {student.build_instructor(source)}")
    return 0


def _autograder(args) -> int:
    from tightrope import gradescope

    if args.exercise not in {p.stem for p in student.instructor_notebooks()}:
        known = ", ".join(p.stem for p in student.instructor_notebooks())
        print(f"tightrope autograder: no exercise {args.exercise!r}; the exercises are: {known}", file=sys.stderr)
        return 2
    try:
        path = gradescope.build(args.exercise, args.out, timeout=args.timeout, wall=args.wall)
    except FileNotFoundError as problem:
        print(f"tightrope autograder: {problem}", file=sys.stderr)
        return 1
    print(f"wrote {path}: upload it as the autograder of a Gradescope programming assignment (Ubuntu 24.04 base)")
    return 0


COMMANDS = {"student": _student, "check": _check, "grade": _grade, "autograder": _autograder,
            "instructor": _instructor}

if __name__ == "__main__":
    sys.exit(main())
