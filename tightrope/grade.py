"""Self-check and grading: run notebooks, check the answers they computed.

Verdicts are computed here, in the grader's own process, never read from
what the notebook printed. Just before each check cell runs, the value it
checks is saved as data (:mod:`tightrope.answers`: JSON, a Parquet table, a
chart's Vega-Lite JSON); after the run the grader reads those files and runs
the real checks on them. A notebook that replaces its ``check`` object or
patches the checks changes only what it shows itself. Where no answer could be
saved, the message is what the notebook showed: the error its answer cell
raised, or that it stopped before the check.

Submissions are untrusted code. Each runs in a separate worker process, in
its own temporary folder (also its HOME), with a time limit per cell (the
kernel is interrupted and the run goes on with the next cell) and a hard
wall-clock limit (the kernel and the worker are killed; what ran before is
kept). When grading (not for a student's self-check) the worker and its kernel
run in a sandbox (:mod:`tightrope.sandbox`): read-only files but for their own
folders, no view of the other submissions or the grading output, no network,
and caps on memory, processes and output; a notebook that hits one becomes a
row naming it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tightrope import answers, sandbox, student

FAILED_CHECK = ("NotYet", "NoAnswer", "WrongKind")
DEFAULT_TIMEOUT = 60  # seconds per cell
DEFAULT_WALL = 600  # seconds per notebook


@dataclass
class Verdict:
    question: str
    passed: bool
    message: str  # the line the check cell showed, or why there is none


@dataclass
class Result:
    """One notebook's run: its verdicts and, if the run went wrong, why."""
    student: str
    file: str
    exercise: str = ""
    verdicts: list[Verdict] = field(default_factory=list)
    problem: str = ""  # empty when the notebook ran to the end
    kernel_pid: int | None = None  # the kernel that ran it (killed by now)
    notebook: str = ""  # the submission's path in the graded folder, without .ipynb
    weights: dict[str, float] = field(default_factory=dict)  # points per question (1 if not listed)
    written: dict[str, str] = field(default_factory=dict)  # written task -> the student's text ("" if none)

    @property
    def score(self) -> int:
        return sum(v.passed for v in self.verdicts)

    def points(self, question: str) -> float:
        return self.weights.get(question, 1)

    @property
    def earned(self) -> float:
        return sum(self.points(v.question) for v in self.verdicts if v.passed)

    @property
    def maximum(self) -> float:
        return sum(self.points(v.question) for v in self.verdicts)


# --- Which exercise, which questions -------------------------------------------

def exercise_of(nb, filename: str = "") -> str:
    """The exercise a notebook belongs to: its metadata, else its file name."""
    named = nb.metadata.get("tightrope", {}).get("exercise", "")
    if named:
        return named
    stem = Path(filename).stem
    for path in student.instructor_notebooks():
        if path.stem == stem:
            return stem
    return ""


def expected_questions(exercise: str) -> list[str] | None:
    """The questions an exercise has, from its check set (None if unknown)."""
    from tightrope import checks  # imported late: it loads the data package
    found = checks.SETS.get(exercise)
    return list(found.questions) if found else None


def instructor_notebook(exercise: str, exercises: Path = student.EXERCISES):
    """The instructor notebook of an exercise, or None for an unknown exercise."""
    path = Path(exercises) / f"{exercise}.ipynb"
    return nbformat.read(path, as_version=4) if exercise and path.exists() else None


def reference_checks(exercise: str, exercises: Path = student.EXERCISES) -> dict[str, tuple[str, str]]:
    """question -> (cell id, source) of the check cells in the instructor notebook."""
    nb = instructor_notebook(exercise, exercises)
    checks = {}
    for cell in nb.cells if nb else []:
        question = checked_question(cell)
        if question:
            checks[question] = (cell.get("id", ""), cell.source)
    return checks


def restore_checks(nb, reference: dict[str, tuple[str, str]]) -> list[str]:
    """Put back the original source of each check cell (found by id, else by its call).

    A check cell edited to print a tick would otherwise pass. Returns the
    questions whose check cell is missing from the notebook.
    """
    missing = []
    for question, (cell_id, source) in reference.items():
        cell = next((c for c in nb.cells if c.cell_type == "code" and c.get("id") == cell_id), None)
        if cell is None:
            cell = next((c for c in nb.cells if c.cell_type == "code"
                         and re.search(rf"\bcheck\.{question}\(", c.source)), None)
        if cell is None:
            missing.append(question)
        else:
            cell.source = source
    return missing


# --- Reading verdicts from an executed notebook ----------------------------------

# --- Written tasks: listed for the instructor, never scored ------------------------

WRITTEN_TAG = "written-answer"
WRITTEN_LIMIT = 20_000  # characters kept of one written answer


def written_cells(nb) -> dict[str, str]:
    """written task id (w1, w2, ...) -> the source of its answer cell, in notebook order.

    An answer cell is a Markdown cell tagged ``written-answer``; its task id is in
    the cell's ``tightrope.question`` metadata, else (or if taken) the first free ``wN``.
    """
    found = {}
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown" or WRITTEN_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        named = cell.metadata.get("tightrope", {}).get("question", "")
        if isinstance(named, str) and re.fullmatch(r"w\d+", named) and named not in found:
            question = named
        else:
            question = next(f"w{n}" for n in range(1, len(found) + 2) if f"w{n}" not in found)
        found[question] = str(cell.source)
    return found


def reference_written(exercise: str, exercises: Path = student.EXERCISES) -> dict[str, str]:
    """The written tasks of an exercise and their blank answer cells, from the instructor notebook."""
    nb = instructor_notebook(exercise, exercises)
    return written_cells(nb) if nb else {}


def written_answers(nb, reference: dict[str, str]) -> dict[str, str]:
    """What the student wrote for each of the exercise's written tasks ("" where the cell is missing
    or still holds the blank prompt), plus any extra written cell the notebook has."""
    found = written_cells(nb)
    answers_ = {}
    for question in [*reference, *(q for q in found if q not in reference)]:
        text = found.get(question, "").strip()
        if text == reference.get(question, "").strip():
            text = ""
        if len(text) > WRITTEN_LIMIT:
            text = text[:WRITTEN_LIMIT] + f"\n\n[cut: the answer runs past {WRITTEN_LIMIT:,} characters]"
        answers_[question] = text
    return answers_


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def checked_question(cell) -> str:
    """The question a check cell checks ('q1'); '' for any other cell."""
    call = student.CHECK_CALL.match(cell.source.strip()) if cell.cell_type == "code" else None
    return call["question"] if call else ""


def code_cell_number(nb, index: int) -> int:
    """The number of nb.cells[index] among code cells, as Jupyter numbers them after Run All."""
    return sum(cell.cell_type == "code" for cell in nb.cells[:index + 1])


def code_cell_name(nb, index: int) -> str:
    """How a student finds a cell: its code cell number and the question of the next check cell."""
    question = next((q for q in map(checked_question, nb.cells[index:]) if q), "")
    return f"code cell {code_cell_number(nb, index)}" + (f" (for {question})" if question else "")


def verdicts(nb, questions: list[str] | None = None) -> list[Verdict]:
    """What each check cell of an executed notebook said, in question order.

    When a check cell crashed (a NameError, ...) after a cell before it raised,
    the verdict is that earlier error: the answer cell's own mistake.
    """
    found: dict[str, Verdict] = {}
    raised = ""  # the first error since the last check cell
    for index, cell in enumerate(nb.cells):
        question, error = checked_question(cell), cell_error(cell)
        if not question:
            if error and not raised:
                raised = f"{error} (raised in code cell {code_cell_number(nb, index)}, before the check)"
            continue
        if question not in found:
            crashed = error and not error.startswith(FAILED_CHECK)  # the check could not judge the answer
            found[question] = Verdict(question, False, raised) if crashed and raised else cell_verdict(question, cell)
        raised = ""
    questions = questions or in_question_order(found)
    return [found.get(q, Verdict(q, False, "no check cell for this question in the notebook"))
            for q in questions]


def in_question_order(questions) -> list[str]:
    """Question ids sorted by number: q2 before q10."""
    return sorted(questions, key=lambda q: int(q[1:]))


def cell_error(cell) -> str:
    """The error a code cell showed ('NameError: ...'), or ''."""
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return f"{output.ename}: {output.evalue}".strip()
    return ""


def cell_verdict(question: str, cell) -> Verdict:
    """Pass if the cell printed its tick line; otherwise the error it showed."""
    error = cell_error(cell)
    if error:
        return Verdict(question, False, error)
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stdout":
            for line in output.text.splitlines():
                if line.startswith(f"✓ {question}:"):
                    return Verdict(question, True, line)
    if cell.get("execution_count") is None and not cell.get("outputs"):
        return Verdict(question, False, "not run (the notebook stopped before this cell)")
    return Verdict(question, False, "the check cell showed no verdict")


# --- Running one notebook in a worker process ------------------------------------

def check_expressions(nb) -> dict[str, str]:
    """question -> the expression its check cell checks (``check.q1(rate)`` -> ``rate``)."""
    import ast

    found = {}
    for cell in nb.cells:
        question = checked_question(cell)
        if question and question not in found:
            call = ast.parse(cell.source.strip()).body[0].value
            found[question] = ast.get_source_segment(cell.source.strip(), call.args[0]) if call.args else ""
    return found


def run_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT, wall: int = DEFAULT_WALL,
                 exercises: Path = student.EXERCISES, restore: bool = True, sandboxed: bool = False,
                 limits: sandbox.Limits | None = None, hidden: list[Path] = ()) -> Result:
    """Run one notebook (worker process, temp folder, limits; in the sandbox if ``sandboxed``),
    then check the answers it computed, here."""
    path = Path(path)
    result = Result(student=path.stem, file=path.name)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as problem:  # malformed JSON, not a notebook, unreadable file
        reason = one_line(problem).split(": '")[0]  # nbformat quotes the file's first lines: drop them
        result.problem = f"not a readable notebook: {reason}"
        return result
    result.exercise = exercise_of(nb, path.name)
    result.written = written_answers(nb, reference_written(result.exercise, exercises))
    questions = expected_questions(result.exercise)
    missing = restore_checks(nb, reference_checks(result.exercise, exercises)) if restore else []

    limits = limits or sandbox.Limits()
    with tempfile.TemporaryDirectory(prefix="tightrope-run-") as tmp:
        work, control = Path(tmp, "work"), Path(tmp, "control")
        work.mkdir()
        control.mkdir()
        submission = control / "submission.ipynb"
        nbformat.write(nb, submission)
        plan = {"answers": str(control / "answers"), "expressions": check_expressions(nb),
                "output_limit": limits.output}
        (control / "plan.json").write_text(json.dumps(plan))
        executed, result.problem = _run_worker(submission, work, control, timeout, wall,
                                               sandboxed=sandboxed, limits=limits, hidden=list(hidden))
        result.kernel_pid = None if sandboxed else _read_pid(control / "kernel.pid")
        shown = verdicts(executed if executed is not None else nb, questions)
        result.verdicts = [checked_verdict(result.exercise, v, control / "answers") for v in shown]
    for v in result.verdicts:
        if v.question in missing:
            v.passed, v.message = False, "no check cell for this question in the notebook"
    return result


def checked_verdict(exercise: str, shown: Verdict, folder: Path) -> Verdict:
    """The grader's own verdict on the saved answer. Where no answer was saved, the message is
    what the notebook showed (the answer cell's error, or that the run stopped), never a pass."""
    if not (Path(folder) / f"{shown.question}.json").exists():
        message = shown.message if not shown.passed else "no answer was saved (the notebook stopped before this check)"
        return Verdict(shown.question, False, message)
    passed, message = answers.check(exercise, shown.question, folder)
    if not passed and message.startswith("could not read your answer: NameError") and not shown.passed \
            and "raised in code cell" in shown.message:
        message = shown.message  # the answer cell's own error says more than the missing name
    return Verdict(shown.question, passed, message)


def _run_worker(submission: Path, work: Path, control: Path, timeout: int, wall: int, *,
                sandboxed: bool = False, limits: sandbox.Limits | None = None, hidden: list[Path] = ()):
    """Run the worker with a wall-clock limit; returns (executed notebook or None, problem)."""
    limits = limits or sandbox.Limits()
    env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT") if key in os.environ}
    env.update(HOME=str(work), TMPDIR=str(work), PYTHONDONTWRITEBYTECODE="1",
               JUPYTER_RUNTIME_DIR=str(control))  # the kernel's connection file stays out of HOME
    command = [sys.executable, "-m", "tightrope.grade", "--worker", str(submission), str(work),
               str(control), str(timeout)]
    group = sandbox.Cgroup(limits) if sandboxed else None
    if sandboxed:
        command = group.prefix() + sandbox.command(command, writable=[work, control], hidden=hidden)
    problem = ""
    with open(control / "worker.log", "w") as log:
        worker = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            worker.wait(timeout=wall)
        except subprocess.TimeoutExpired:
            problem = f"stopped after the {wall} s time limit for the whole notebook"
        finally:
            if not sandboxed:  # inside the sandbox the kernel's pid is the sandbox's own; the group is killed below
                _kill(control / "kernel.pid")
            _kill_group(worker.pid)
            worker.wait()
            if group is not None:
                problem = group.limit_hit() or problem
                group.close()
    status = _read_json(control / "status.json")
    if not problem and status.get("problem"):
        problem = status["problem"]
    if not problem and worker.returncode != 0:
        problem = f"the run failed: {_tail(control / 'worker.log')}"
    executed = control / "executed.ipynb"
    try:
        return nbformat.read(executed, as_version=4), problem
    except Exception:
        return None, problem or "the notebook produced no results"


def _read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text())
    except (OSError, ValueError):
        return None


def _kill(pid_file: Path) -> None:
    pid = _read_pid(pid_file)
    if pid:
        _kill_group(pid)


def _kill_group(pid: int) -> None:
    """Kill a process and its group (the kernel and the worker each lead their own)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _tail(path: Path) -> str:
    try:
        lines = [line for line in path.read_text().splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1][:300] if lines else "no log"


def one_line(problem: Exception) -> str:
    text = str(problem).strip().splitlines()
    return f"{type(problem).__name__}: {text[0] if text else ''}".strip()[:300]


class OutputLimit(RuntimeError):
    """The notebook printed more than the output limit allows."""


def worker_main(submission: str, work: str, control: str, timeout: str) -> int:
    """Inside the worker: run each cell, saving the notebook after each one.

    Just before a check cell, the answer it checks is saved as data (the plan in
    ``plan.json`` names the expressions). Saving the notebook as it goes means one
    killed at the wall-clock limit still has the messages of the cells before the
    one that hung. Output beyond the limit stops the run.
    """
    from nbclient import NotebookClient

    control_dir = Path(control)
    plan = _read_json(control_dir / "plan.json")
    nb = nbformat.read(submission, as_version=4)
    limit = int(plan.get("output_limit") or sandbox.Limits().output)
    over_limit = f"printed more than the {limit // sandbox.MiB} MiB output limit; the run was stopped there"

    class LimitedClient(NotebookClient):
        """Drops output past the limit and kills the kernel at once, before the output fills memory."""
        printed = 0
        over = False

        def output(self, outs, msg, display_id, cell_index):
            self.printed += len(json.dumps(msg.get("content", {}), default=str))
            if self.printed > limit:
                if not self.over:
                    self.over = True
                    _kill_group(self.km.provisioner.pid)
                return None
            return super().output(outs, msg, display_id, cell_index)

    client = LimitedClient(nb, timeout=int(timeout), interrupt_on_timeout=True, allow_errors=True,
                           kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": work}})
    status = {}
    try:
        with client.setup_kernel():
            (control_dir / "kernel.pid").write_text(str(client.km.provisioner.pid))
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                question = checked_question(cell)
                if question and plan.get("answers"):
                    saving = nbformat.v4.new_code_cell(answers.save_cell(
                        question, plan.get("expressions", {}).get(question, ""), plan["answers"]))
                    client.execute_cell(saving, index)
                started = time.monotonic()
                client.execute_cell(cell, index)
                if client.over:
                    raise OutputLimit(over_limit)
                if time.monotonic() - started > int(timeout):
                    status.setdefault("problem", f"{code_cell_name(nb, index)} ran past the {timeout} s limit "
                                                 "and was interrupted")
                nbformat.write(nb, control_dir / "executed.ipynb")
    except OutputLimit as problem:
        status["problem"] = str(problem)
    except Exception as problem:  # the kernel died (or was stopped for its output), could not start, ...
        status["problem"] = over_limit if client.over else f"the run stopped: {one_line(problem)}"
    nbformat.write(nb, control_dir / "executed.ipynb")
    (control_dir / "status.json").write_text(json.dumps(status))
    return 0


# --- Self-check and grading a folder ------------------------------------------------

def report(result: Result) -> str:
    """Per-question verdicts, as the notebook's check cells showed them."""
    lines = [f"{result.file}" + (f" ({result.exercise})" if result.exercise else "")]
    if result.problem:
        lines.append(f"  ! {result.problem}")
    for v in result.verdicts:
        lines.append("  " + describe(v))
    if result.verdicts:
        lines.append(f"  {result.score}/{len(result.verdicts)} questions pass")
    for question, text in result.written.items():
        lines.append(f"  {question}: " + (f"{word_count(text)} words written (read by your instructor, not checked here)"
                                          if text else "nothing written yet (the cell under the task is still blank)"))
    return "\n".join(lines)


def describe(v: Verdict) -> str:
    """One line per question: the check cell's own words, marked pass or fail."""
    if v.passed:
        return v.message  # the tick line itself
    if v.message.startswith(FAILED_CHECK):
        return f"✗ {v.message}"  # already names the question
    return f"✗ {v.question}: {v.message}"


WEIGHTS = student.EXERCISES / "grading.yml"


def weights(path: Path = WEIGHTS) -> dict[str, dict[str, float]]:
    """Points per question, by exercise, from exercises/grading.yml (a question not listed is worth 1)."""
    import yaml

    if not Path(path).is_file():
        return {}
    found = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for exercise, points in found.items():
        if not isinstance(points, dict) or not all(isinstance(p, (int, float)) and p >= 0 for p in points.values()):
            raise ValueError(f"{path}: {exercise} needs question: points pairs with points of 0 or more, "
                             f"got {points!r}")
    return found


def student_name(path: Path, folder: Path, exercise: str) -> str:
    """Who a submission belongs to: the first folder under the graded folder (``alice/02-escalation.ipynb``),
    else the file name less the exercise's name and the separators around it (``alice_02-escalation.ipynb``,
    ``02-escalation-alice.ipynb``), else the whole file name."""
    relative = Path(path).relative_to(folder)
    if len(relative.parts) > 1:
        return relative.parts[0]
    stem = relative.stem
    if exercise and exercise in stem:
        rest = stem.replace(exercise, " ").strip(" _-.")
        if rest:
            return rest
    return stem


def submissions(folder: Path) -> list[Path]:
    """Every notebook under a folder (checkpoints excluded), in order."""
    return sorted(p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


class NoSandbox(RuntimeError):
    """Grading was asked for where no sandbox can be made, without the explicit flag."""


def grade_folder(folder: Path, out: Path, *, jobs: int = 2, timeout: int = DEFAULT_TIMEOUT,
                 wall: int = DEFAULT_WALL, exercises: Path = student.EXERCISES,
                 limits: sandbox.Limits | None = None, unsandboxed: bool = False) -> list[Result]:
    """Grade every notebook under ``folder``; write grades.csv, scores.csv and summary.md to ``out``.

    Each notebook runs in the sandbox; where none can be made this raises NoSandbox with the
    reason, unless ``unsandboxed`` says to run without one.
    """
    folder, out = Path(folder), Path(out)
    reason = "" if unsandboxed else sandbox.unavailable()
    if reason:
        raise NoSandbox(f"{reason}. Students' code would run with your rights, see your files and reach "
                        "the network; to grade anyway, on a machine holding nothing else, pass --no-sandbox.")
    paths = submissions(folder)
    hidden = [folder, out]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(lambda p: run_notebook(p, timeout=timeout, wall=wall, exercises=exercises,
                                                       sandboxed=not unsandboxed, limits=limits,
                                                       hidden=hidden), paths))
    points = weights()
    for path, result in zip(paths, results):
        result.notebook = str(path.relative_to(folder).with_suffix(""))
        result.student = student_name(path, folder, result.exercise)
        result.weights = points.get(result.exercise, {})
    out.mkdir(parents=True, exist_ok=True)
    write_csv(results, out / "grades.csv")
    write_scores(results, out / "scores.csv")
    write_feedback(results, out / "feedback")
    write_written(results, out / "written")
    (out / "summary.md").write_text(summary(results))
    return results


CSV_COLUMNS = ["student", "exercise", "notebook", "question", "result", "points", "max_points", "message",
               "problem"]


def write_csv(results: list[Result], path: Path) -> None:
    """One row per notebook and question; a notebook with no verdicts gets one row with the reason."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in results:
            base = {"student": r.student, "exercise": r.exercise, "notebook": r.notebook or r.student,
                    "problem": r.problem}
            if not r.verdicts:
                writer.writerow({**base, "question": "", "result": "fail", "points": 0, "max_points": 0,
                                 "message": r.problem})
            for v in r.verdicts:
                writer.writerow({**base, "question": v.question, "result": "pass" if v.passed else "fail",
                                 "points": _number(r.points(v.question) if v.passed else 0),
                                 "max_points": _number(r.points(v.question)), "message": v.message})


SCORE_COLUMNS = ["student", "exercise", "score", "max", "notebook", "problem"]


def write_scores(results: list[Result], path: Path) -> None:
    """One row per student and exercise, for a gradebook: the points earned and the most possible
    (questions weighted as exercises/grading.yml says), the notebook graded and any problem."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=SCORE_COLUMNS)
        writer.writeheader()
        for r in sorted(results, key=lambda r: (r.student, r.exercise)):
            writer.writerow({"student": r.student, "exercise": r.exercise, "score": _number(r.earned),
                             "max": _number(r.maximum), "notebook": r.notebook or r.student, "problem": r.problem})


def _number(value: float) -> str:
    return f"{value:g}"


def write_feedback(results: list[Result], folder: Path) -> list[Path]:
    """One Markdown file per student: each exercise's score, and each question's verdict and hint."""
    folder.mkdir(parents=True, exist_ok=True)
    by_student: dict[str, list[Result]] = {}
    for r in results:
        by_student.setdefault(r.student, []).append(r)
    written = []
    for name, mine in sorted(by_student.items()):
        lines = [f"# Feedback for {name}", ""]
        for r in sorted(mine, key=lambda r: r.exercise):
            lines += [f"## {r.exercise or r.file}: {_number(r.earned)} of {_number(r.maximum)} points", ""]
            if r.problem:
                lines += [f"The run of {r.file} had a problem: {r.problem}", ""]
            for v in r.verdicts:
                mark = "right" if v.passed else "not yet"
                lines.append(f"- **{v.question}** ({mark}, {_number(r.points(v.question) if v.passed else 0)}"
                             f"/{_number(r.points(v.question))}): {v.message}")
            lines.append("")
            if r.written:
                lines += ["Written answers (read by your instructor; the grader does not score them):", ""]
                for question, text in r.written.items():
                    lines += [f"### {question} ({word_count(text)} words)", "", _quoted(text), ""]
        path = folder / f"{_safe_name(name)}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        written.append(path)
    return written


def _quoted(text: str) -> str:
    """A student's text as a Markdown block quote, so its own headings cannot restructure the file."""
    if not text:
        return "> (nothing written)"
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def write_written(results: list[Result], folder: Path) -> list[Path]:
    """One Markdown file per exercise with written tasks: every student's answer to each, to read and mark."""
    by_exercise: dict[str, list[Result]] = {}
    for r in results:
        if r.written:
            by_exercise.setdefault(r.exercise or r.file, []).append(r)
    if not by_exercise:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for exercise, mine in sorted(by_exercise.items()):
        questions = list(dict.fromkeys(q for r in mine for q in r.written))
        lines = [f"# Written answers: {exercise}", "",
                 "The grader lists these answers without scoring them: mark them with the rubric in the "
                 "instructor edition of the exercise.", ""]
        for question in questions:
            lines += [f"## {question}", ""]
            for r in sorted(mine, key=lambda r: r.student):
                text = r.written.get(question, "")
                lines += [f"### {r.student} ({word_count(text)} words; {r.notebook or r.file})", "", _quoted(text), ""]
        path = folder / f"{_safe_name(exercise)}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "student"


def summary(results: list[Result]) -> str:
    """A readable Markdown summary: scores, questions that tripped people up, problems."""
    lines = ["# Grading summary", "", f"{len(results)} notebook(s) graded. Beside this file: grades.csv "
             "(one row per notebook and question), scores.csv (one row per student and exercise, for a "
             "gradebook), feedback/ (one file per student, to send) and, where exercises have written "
             "tasks, written/ (one file per exercise listing every student's written answers, to mark "
             "with the rubric; they are not scored here).", "",
             "| Student | Exercise | Score | Problem |", "| --- | --- | --- | --- |"]
    for r in results:
        score = f"{_number(r.earned)}/{_number(r.maximum)}" if r.verdicts else "–"
        lines.append(f"| {_cell(r.student)} | {_cell(r.exercise) or '?'} | {score} | {_cell(r.problem)} |")
    by_question: dict[tuple[str, str], list[Verdict]] = {}
    for r in results:
        for v in r.verdicts:
            by_question.setdefault((r.exercise, v.question), []).append(v)
    if by_question:
        lines += ["", "## Questions", "", "| Exercise | Question | Passed | Most common message when not |",
                  "| --- | --- | --- | --- |"]
        for (exercise, question), vs in sorted(by_question.items(), key=lambda kv: (kv[0][0], int(kv[0][1][1:]))):
            fails = [v.message for v in vs if not v.passed]
            common = max(set(fails), key=fails.count) if fails else ""
            lines.append(f"| {_cell(exercise)} | {question} | {sum(v.passed for v in vs)}/{len(vs)} | {_cell(common)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _worker_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tightrope.grade")
    parser.add_argument("--worker", nargs=4, metavar=("NOTEBOOK", "WORKDIR", "CONTROL", "TIMEOUT"),
                        required=True)
    args = parser.parse_args(argv)
    return worker_main(*args.worker)


if __name__ == "__main__":
    sys.exit(_worker_cli(sys.argv[1:]))
