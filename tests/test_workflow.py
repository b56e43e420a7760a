"""The publishing workflow is valid GitHub Actions and builds what the Makefile builds."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
LINT = [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]


def lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT + [str(path)], capture_output=True, text=True)


def test_the_workflow_passes_the_github_workflow_schema():
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_rejects_a_broken_workflow(tmp_path):
    broken = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    del broken["jobs"]["build"]["runs-on"]
    broken["jobs"]["deploy"]["steps"] = "deploy"
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    result = lint(path)
    assert result.returncode != 0 and "runs-on" in result.stdout + result.stderr


def test_the_workflow_builds_with_the_makefile_targets_and_publishes_their_output():
    text = WORKFLOW.read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"\bmake ([\w-]+)", text)):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), f"no make target {target}"
    assert "_build/no-solutions/_build/html" in makefile and "_build/no-solutions/_build/html" in text
    assert "SITE=_build/html" in text
    spec = yaml.safe_load(text)
    assert spec[True]["workflow_dispatch"]["inputs"]["edition"]["options"] == ["full", "without-solutions"]
