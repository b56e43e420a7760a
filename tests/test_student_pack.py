"""What a student gets from the book: the set-up cell, the wheel with the data inside, the pack.

The end-to-end test does what a student does with only the built book: in a fresh virtual
environment with no checkout on its path, the notebook's set-up cell installs the wheel from the
book served on localhost; the exercise then runs, its checks pass when answered and say "no answer
yet" when not.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from tightrope import student

BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)  # a Python without tightrope on its path
EXERCISE = "02-escalation.ipynb"


def setup_source(book: str = "") -> str:
    return student.setup_cell(book).source


def test_every_student_notebook_opens_with_the_set_up_cell(tmp_path):
    written = student.write_student_editions(student.EXERCISES, tmp_path)
    for path in written:
        first_code = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert first_code.get("id") == "get-tightrope", path.name
        assert student.wheel_name() in first_code.source


def test_set_up_cell_does_nothing_where_tightrope_is_importable(tmp_path, monkeypatch):
    def no_install(*args, **kwargs):
        raise AssertionError("the set-up cell tried to install tightrope although it is importable")
    monkeypatch.setattr(subprocess, "run", no_install)
    monkeypatch.chdir(tmp_path)
    exec(compile(setup_source("http://127.0.0.1:9/book"), "set-up cell", "exec"), {})


def test_set_up_cell_names_the_download_when_there_is_neither_wheel_nor_address(tmp_path):
    (tmp_path / "cell.py").write_text(setup_source(""), encoding="utf-8")
    result = subprocess.run([BASE_PYTHON, "-I", "cell.py"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0
    assert "download the student pack (tightrope-student-pack.zip)" in result.stderr
    assert student.wheel_name() in result.stderr and "Traceback" in result.stderr  # one short error, no install


def test_the_wheel_carries_the_data_package_and_the_pack_carries_everything(tmp_path):
    editions = student.write_student_editions(student.EXERCISES, tmp_path)
    wheel, pack = student.write_student_pack(editions, tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    for table in ("datapackage.json", "sources.csv", "incidents.csv", "claims.csv", "iraq_region.geojson"):
        assert f"tightrope/datapackage/{table}" in names, table
    assert "tightrope/checks/core.py" in names and "tightrope/blocked_hosts.csv" in names
    metadata = zipfile.ZipFile(wheel).read(f"tightrope-{wheel.name.split('-')[1]}.dist-info/METADATA").decode()
    requires = [line.split(":", 1)[1].strip().split(">")[0].split("<")[0].split("=")[0].lower()
                for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    # only what the exercises need at run time: none of the book's build or test tools
    assert "pandas" in requires and "altair" in requires
    assert not set(requires) & {"jupyter-book", "sphinx", "pytest", "playwright", "nbval", "myst-nb"}
    packed = zipfile.ZipFile(pack).namelist()
    assert sorted(n.split("/", 1)[1] for n in packed) == sorted(
        [p.name for p in editions] + [wheel.name, "README.txt"])
    before = pack.read_bytes()
    student.write_student_pack(editions, tmp_path)
    assert pack.read_bytes() == before, "the pack is not rebuilt byte for byte the same"


def test_exercise_pages_hand_out_only_the_student_edition(book):
    """The theme's download menu and every download link on an exercise page lead to the student
    edition (or the pack), never to the instructor notebook with its solutions."""
    import re

    page = (book / "exercises" / "02-escalation.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.(?:ipynb|zip|whl))"', page)
    assert links, "the exercise page offers no download"
    for link in links:
        target = (book / "exercises" / link).resolve()
        assert target.is_file(), link
        if target.suffix == ".ipynb":
            nb = nbformat.read(target, as_version=4)
            assert nb.metadata.get("tightrope", {}).get("edition") == "student", link
            assert "BEGIN SOLUTION" not in "\n".join(c.source for c in nb.cells), link
    assert (book / "downloads" / student.wheel_name()).is_file()


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory, site):
    """A new virtual environment with no checkout on its path, where the set-up cell installed
    tightrope from the book served on localhost."""
    root = tmp_path_factory.mktemp("student")
    subprocess.run([BASE_PYTHON, "-m", "venv", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"
    work = root / "work"
    work.mkdir()
    (work / "cell.py").write_text(setup_source(site), encoding="utf-8")
    result = subprocess.run([str(python), "-I", "cell.py"], cwd=work, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    where = subprocess.run([str(python), "-I", "-c", "from tightrope import data; print(data.DATA_DIR)"],
                           cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    assert "site-packages" in where and str(student.ROOT) not in where
    # what the student's Jupyter brings: a kernel, and the library that runs notebooks
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "nbclient", "ipykernel"], check=True, timeout=900)
    return python, work


RUN = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
               resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


def run_in(env, nb, name: str):
    python, work = env
    (work / f"{name}.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    (work / "run.py").write_text(RUN, encoding="utf-8")
    subprocess.run([str(python), "-I", "run.py", f"{name}.ipynb", f"{name}.out.ipynb", str(work)],
                   cwd=work, check=True, timeout=900)
    done = nbformat.read(work / f"{name}.out.ipynb", as_version=4)
    return {c.id: "".join(o.get("text", "") + "".join(o.get("traceback", [])) + o.get("evalue", "")
                          for o in c.outputs) for c in done.cells if c.cell_type == "code"}


def test_an_answered_exercise_passes_every_check_in_a_fresh_environment(fresh_env):
    instructor = nbformat.read(student.EXERCISES / EXERCISE, as_version=4)
    answered = student.student_notebook(instructor, EXERCISE)
    # the student's answers: the instructor's solutions in place of the placeholders
    solutions = {c.id: c.source for c in instructor.cells if c.cell_type == "code"}
    for cell in answered.cells:
        if cell.cell_type == "code" and cell.id in solutions:
            cell.source = solutions[cell.id]
    outputs = run_in(fresh_env, answered, "answered")
    checks = {k: v for k, v in outputs.items() if k.startswith("check-")}
    assert checks and all("✓" in v for v in checks.values()), checks


def test_an_unanswered_exercise_says_no_answer_yet_in_a_fresh_environment(fresh_env):
    unanswered = student.student_notebook(nbformat.read(student.EXERCISES / EXERCISE, as_version=4), EXERCISE)
    outputs = run_in(fresh_env, unanswered, "unanswered")
    first_check = next(v for k, v in outputs.items() if k.startswith("check-"))
    assert "no answer yet" in first_check and "Traceback (most recent call last)" not in outputs["get-tightrope"]


def test_committed_student_editions_are_current(tmp_path):
    """The student editions are committed, so that Colab and JupyterHub links can open them from
    the repository; they must be what `tightrope student` makes from the instructor notebooks."""
    for fresh in student.write_student_editions(student.EXERCISES, tmp_path):
        committed = student.STUDENT_DIR / fresh.name
        assert committed.is_file() and committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), \
            f"{committed} is stale: run `make student` and commit it"


def test_launch_links_open_the_student_edition_only_when_configured(tmp_path):
    from types import SimpleNamespace

    from tightrope import sphinxext

    configured = {"repository": "https://github.com/course/tight-rope", "branch": "main",
                  "colab": "https://colab.research.google.com", "jupyterhub": "https://hub.example.edu"}
    links = dict(sphinxext.student_launch_links("exercises/02-escalation", configured))
    assert links["Colab"] == ("https://colab.research.google.com/github/course/tight-rope/blob/main/"
                              "exercises/student/02-escalation.ipynb")
    hub = links["your course's JupyterHub"]
    assert hub.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com")
    assert "exercises%2Fstudent%2F02-escalation.ipynb" in hub
    assert not any("exercises/02-escalation.ipynb" in url for url in links.values())
    assert sphinxext.student_launch_links("chapters/02-escalation", configured) == []
    assert sphinxext.student_launch_links("exercises/02-escalation", {**configured, "repository": ""}) == []
    assert sphinxext.student_launch_links("exercises/02-escalation", {**configured, "colab": "", "jupyterhub": ""}) == []
    # the theme never gets a launcher, which would open the instructor notebook
    app = SimpleNamespace(srcdir=str(tmp_path))  # a book folder with no _config.yml of its own
    config = SimpleNamespace(html_theme_options={"repository_url": configured["repository"],
                                                 "launch_buttons": {"colab_url": configured["colab"], "thebe": False}})
    sphinxext.take_over_launch_buttons(app, config)
    assert config.html_theme_options["launch_buttons"] == {"thebe": False}
    assert app.tightrope_launch["colab"] == configured["colab"]


def test_with_nothing_configured_no_launch_link_appears(book):
    page = (book / "exercises" / "02-escalation.html").read_text(encoding="utf-8")
    assert "tr-launch" not in page and "dropdown-launch-buttons" not in page
    assert "tr-repository" not in (book / "intro.html").read_text(encoding="utf-8")
