"""The Gradescope autograder: built by `tightrope autograder`, run as Gradescope runs it.

Each test lays out Gradescope's directories in a temporary root (``source`` with the
unzipped autograder, ``submission`` with one student's files, ``results``), runs the
zip's own ``run_autograder`` against it (root and Python made configurable for the
test), and validates ``results.json`` against Gradescope's documented format.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import nbformat
import pytest

from tightrope import gradescope, student
from tightrope.cli import main

SAMPLES = Path(__file__).resolve().parent / "submissions"
EXERCISE = "00-reading-the-data"

# Gradescope's autograder specification: results.json
RESULTS_SCHEMA = {
    "type": "object",
    "required": ["score", "tests"],
    "properties": {
        "score": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "score", "max_score", "output", "visibility"],
            "properties": {
                "name": {"type": "string"}, "score": {"type": "number", "minimum": 0},
                "max_score": {"type": "number", "minimum": 0}, "output": {"type": "string"},
                "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
            },
        }},
    },
}


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("autograder")
    assert main(["autograder", EXERCISE, "--out", str(folder), "--timeout", "20", "--wall", "180"]) == 0
    return folder / f"autograder-{EXERCISE}.zip"


def run(autograder: Path, root: Path, submitted: dict[str, bytes]) -> dict:
    """Lay out Gradescope's directories under root, run run_autograder, return results.json."""
    source = root / "source"
    with zipfile.ZipFile(autograder) as archive:
        archive.extractall(source)
    for name in ("run_autograder", "setup.sh"):
        (source / name).chmod(0o755)
    (root / "submission").mkdir(parents=True)
    for name, data in submitted.items():
        (root / "submission" / name).write_bytes(data)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "TIGHTROPE_PYTHON": sys.executable}
    done = subprocess.run([str(source / "run_autograder")], cwd=source, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, RESULTS_SCHEMA)
    return report


def test_the_zip_has_what_gradescope_needs_at_its_root(autograder):
    with zipfile.ZipFile(autograder) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", student.wheel_name(), f"reference/{EXERCISE}.ipynb"} <= set(names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    reference = nbformat.reads(zipfile.ZipFile(autograder).read(f"reference/{EXERCISE}.ipynb").decode(), as_version=4)
    assert reference.metadata["tightrope"]["edition"] == "student"  # no solutions in the zip
    syntax = subprocess.run(["bash", "-n", "/dev/stdin"], input=zipfile.ZipFile(autograder).read("setup.sh"),
                            capture_output=True)
    assert syntax.returncode == 0, syntax.stderr


@pytest.mark.parametrize("sample, score, passed", [
    ("complete", 6, ["q1", "q2", "q3", "q4", "q5", "q6"]),
    ("partial", 2, ["q1", "q2"]),
    ("wrong", 0, []),
])
def test_a_submission_is_graded_into_gradescope_results(autograder, tmp_path, sample, score, passed):
    report = run(autograder, tmp_path, {f"{EXERCISE}.ipynb": (SAMPLES / f"{sample}.ipynb").read_bytes()})
    assert report["score"] == score
    assert [t["name"] for t in report["tests"]] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert [t["name"] for t in report["tests"] if t["score"] == t["max_score"]] == passed
    assert all(t["output"] for t in report["tests"])


def test_a_malformed_submission_scores_zero_with_the_reason(autograder, tmp_path):
    report = run(autograder, tmp_path, {f"{EXERCISE}.ipynb": (SAMPLES / "malformed.ipynb").read_bytes()})
    assert report["score"] == 0 and report["tests"] == []
    assert "not a readable notebook" in report["output"]


def test_a_submission_without_the_notebook_says_what_to_submit(autograder, tmp_path):
    report = run(autograder, tmp_path, {"notes.txt": b"hello", "a.ipynb": b"{}", "b.ipynb": b"{}"})
    assert report["score"] == 0 and f"Submit one notebook for {EXERCISE}" in report["output"]


def test_an_unknown_exercise_is_refused_by_name(tmp_path, capsys):
    assert main(["autograder", "99-nothing", "--out", str(tmp_path)]) == 2
    assert "no exercise '99-nothing'" in capsys.readouterr().err


def test_weights_reach_the_gradescope_scores(autograder, tmp_path):
    copy = tmp_path / "weighted.zip"
    with zipfile.ZipFile(autograder) as original, zipfile.ZipFile(copy, "w") as archive:
        for info in original.infolist():
            if info.filename != "grading.yml":
                archive.writestr(info, original.read(info))
        archive.writestr("grading.yml", f"{EXERCISE}:\n  q1: 3\n")
    report = run(copy, tmp_path / "root", {f"{EXERCISE}.ipynb": (SAMPLES / "complete.ipynb").read_bytes()})
    assert report["score"] == 8 and report["tests"][0]["max_score"] == 3
