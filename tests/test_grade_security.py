"""No submission can raise its own grade or touch anything outside its own folder.

One grading run (module fixture) takes a folder of submissions that try to cheat
or to do harm, plus a complete one, in the sandbox with small limits. Each
cheat gets no credit, each limit becomes a row naming it, and afterwards the
project, the installed package and the other submissions are as they were.
"""
from __future__ import annotations

import hashlib
import socket
import threading
from pathlib import Path

import nbformat
import pytest

from tightrope import grade, sandbox, student

SAMPLES = Path(__file__).resolve().parent / "submissions"
PACKAGE = Path(grade.__file__).resolve().parent
EXERCISE = "00-reading-the-data"

CHEATS = {
    # a check object of one's own, printing ticks
    "fake-check": """
class _Ticks:
    def __getattr__(self, name):
        return lambda *args, **kwargs: print(f"✓ {name}: correct. (faked)")
check = _Ticks()
""",
    # the real checks patched in memory, through the module and sys.modules
    "patched-checks": """
import sys
from tightrope import checks as _c
for _set in _c.SETS.values():
    for _q in list(_set.questions):
        _fake = (lambda q: lambda answer=None: print(f"✓ {q}: correct. (patched)"))(_q)
        _set.questions[_q] = _fake
        setattr(_set, _q, _fake)
sys.modules["tightrope.checks"] = _c
from tightrope import answers as _a
_a.save = lambda *args, **kwargs: None   # and no answer is ever saved
""",
    # forged answer files where the grader reads them
    "forged-answers": """
import json, pathlib
_plan = json.loads((pathlib.Path.cwd().parent / "control" / "plan.json").read_text())
_dir = pathlib.Path(_plan["answers"]); _dir.mkdir(parents=True, exist_ok=True)
for _q in ("q1", "q2", "q3", "q4", "q5", "q6"):
    (_dir / f"{_q}.json").write_text(json.dumps({"kind": "json", "value": True}))
from tightrope import answers as _a
_a.save = lambda *args, **kwargs: None
""",
}


def harmful(project: Path, package: Path, other: Path, output: Path, port: int) -> dict[str, str]:
    return {
        "writes-everywhere": f"""
import pathlib
_tried = {{}}
for _target in [{str(package / "checks" / "core.py")!r}, {str(project / "README.md")!r}, {str(other)!r},
                {str(output / "grades.csv")!r}, {str(project / "planted.txt")!r}]:
    try:
        with open(_target, "a") as _f:
            _f.write("tampered")
        _tried[_target] = "written"
    except OSError as _e:
        _tried[_target] = type(_e).__name__
print(_tried)
""",
        # ends its own run if it can see another submission or the grading output: the test notices
        "reads-others": f"""
import os, pathlib
_seen = [p for p in ({str(other)!r}, {str(output / "grades.csv")!r}) if pathlib.Path(p).exists()]
_seen += [p.name for p in pathlib.Path({str(other.parent)!r}).glob("*.ipynb")]
if _seen:
    os._exit(3)
""",
        "network": f"""
import socket
for _host in ("127.0.0.1", "1.1.1.1"):
    try:
        socket.create_connection((_host, {port}), timeout=3).close()
        print("connected to", _host)
    except OSError as _e:
        print("no connection to", _host, type(_e).__name__)
""",
        "memory-hog": "_hog = b'x' * (3 * 1024 * 1024 * 1024)\n",
        "process-spawner": "import subprocess\n_kids = [subprocess.Popen(['sleep', '60']) for _ in range(200)]\n",
        "endless-output": "while True:\n    print('x' * 4096)\n",
    }


def with_cell(source: str) -> nbformat.NotebookNode:
    """The blank student edition of the exercise with ``source`` run right after its set-up."""
    nb = student.student_notebook(nbformat.read(student.EXERCISES / f"{EXERCISE}.ipynb", as_version=4), EXERCISE)
    setup = next(i for i, c in enumerate(nb.cells) if c.get("id") == "setup")
    cell = nbformat.v4.new_code_cell(source)
    cell.id = "attempt"
    nb.cells.insert(setup + 1, cell)
    return nb


def fingerprint(*folders: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    reason = sandbox.unavailable()
    if reason:
        pytest.fail(f"the sandbox is needed for these tests: {reason} (make test installs bubblewrap)")
    folder = tmp_path_factory.mktemp("class")
    out = tmp_path_factory.mktemp("grading")
    other = folder / "complete.ipynb"
    other.write_bytes((SAMPLES / "complete.ipynb").read_bytes())
    connections = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)

    def accept():
        while not stop.is_set():
            try:
                connections.append(server.accept()[0])
            except OSError:
                pass
    stop = threading.Event()
    threading.Thread(target=accept, daemon=True).start()
    sources = {**CHEATS, **harmful(student.ROOT, PACKAGE, other, out, server.getsockname()[1])}
    for name, source in sources.items():
        nbformat.write(with_cell(source), folder / f"{name}.ipynb")
    before = fingerprint(student.ROOT / "tightrope", student.ROOT / "data") | fingerprint(folder)
    (out / "grades.csv").write_text("earlier grades\n")
    limits = sandbox.Limits(memory=2048 * sandbox.MiB, processes=64, output=1 * sandbox.MiB)
    results = grade.grade_folder(folder, out, jobs=2, timeout=20, wall=240, limits=limits)
    stop.set()
    server.close()
    after = fingerprint(student.ROOT / "tightrope", student.ROOT / "data") | fingerprint(folder)
    return {r.student: r for r in results}, before, after, connections, out


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_a_cheat_gets_no_credit(outcome, name):
    result = outcome[0][name]
    assert result.verdicts and result.score == 0, [(v.question, v.passed, v.message) for v in result.verdicts]
    assert not any("faked" in v.message or "patched" in v.message for v in result.verdicts)


def test_the_real_checks_still_grade_an_honest_notebook_beside_the_cheats(outcome):
    assert outcome[0]["complete"].score == len(outcome[0]["complete"].verdicts) == 6


def test_forged_answers_are_checked_as_data_and_fail_with_hints(outcome):
    messages = {v.question: v.message for v in outcome[0]["forged-answers"].verdicts}
    assert all(m.startswith(("WrongKind", "NotYet")) for m in messages.values()), messages


def test_nothing_outside_the_notebooks_own_folder_changed(outcome):
    results, before, after, _, out = outcome
    changed = sorted(path for path in before if before[path] != after.get(path))
    assert changed == [], changed
    assert not (student.ROOT / "planted.txt").exists()
    assert (PACKAGE / "checks" / "core.py").read_text(encoding="utf-8").count("tampered") == 0


def test_the_grading_output_and_other_submissions_are_out_of_sight(outcome):
    result = outcome[0]["reads-others"]
    # had it seen anything, it would have ended its own kernel and the run would name a problem
    assert result.verdicts and result.problem == "", result.problem


def test_no_network_connection_leaves_the_sandbox(outcome):
    assert outcome[3] == [], "a submission reached a server outside its sandbox"


@pytest.mark.parametrize("name, words", [
    ("memory-hog", "ran out of memory"),
    ("process-spawner", "too many processes"),
    ("endless-output", "output limit"),
])
def test_a_notebook_that_hits_a_limit_becomes_a_row_naming_it(outcome, name, words):
    result = outcome[0][name]
    assert words in result.problem, result.problem
    assert result.verdicts and result.score == 0


def test_grading_refuses_without_a_sandbox_unless_told(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "unavailable", lambda: "bubblewrap (bwrap) is not installed")
    with pytest.raises(grade.NoSandbox, match="bwrap.*--no-sandbox"):
        grade.grade_folder(tmp_path, tmp_path / "out")
    assert grade.grade_folder(tmp_path, tmp_path / "out", unsandboxed=True) == []


def test_the_sandbox_keeps_python_and_the_project_wherever_they_live(tmp_path, monkeypatch):
    """A checkout under /tmp (as a CI clone may be) or the home folder stays visible, read-only,
    while other folders there are hidden."""
    project = tmp_path / "clone"
    monkeypatch.setattr(sandbox.sys, "prefix", str(project / ".venv"))
    args = sandbox.command(["true"], writable=[tmp_path / "work"], hidden=[project / "submissions"])
    binds = [(args[i + 1], args[i + 2]) for i in range(len(args) - 2) if args[i] == "--ro-bind"]
    assert (str(project / ".venv"), str(project / ".venv")) in binds
    assert args.index("--tmpfs") < args.index(str(project / ".venv"))
    (project / "submissions").mkdir(parents=True)
    args = sandbox.command(["true"], writable=[], hidden=[project / "submissions"])
    assert str(project / "submissions") not in args  # under /tmp and not under a visible folder: already hidden
