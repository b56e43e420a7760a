"""Write the configuration of the edition without solutions.

Usage: python tools/edition_config.py OUT.yml [BUILD]

BUILD is the full book's build folder whose execution cache the edition reuses
(by default _build).

It is _config.yml with sphinx-exercise's `hide_solutions` on (the check
cells' outputs and the instructor guide's notes are hidden too, by
tightrope.student's extension), and with nothing that would hand out the
instructor notebooks: no download button, no copies of the sources.
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
config["title"] += " (edition without solutions)"
config["sphinx"]["config"]["hide_solutions"] = True
config["sphinx"]["config"]["html_theme_options"]["use_download_button"] = False
config["sphinx"]["config"]["html_copy_source"] = False
# The same pages execute the same way in both editions: reuse the full book's execution cache
# (tightrope.sphinxext still drops outputs that data or package changes made stale).
build = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "_build"
config.setdefault("execute", {})["cache"] = str(build.resolve() / ".jupyter_cache")
Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
Path(sys.argv[1]).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
