"""Build-time pieces of the book (a Sphinx extension, listed in _config.yml).

1. Offline charts: writes one JavaScript bundle of Vega, Vega-Lite and
   vega-embed into ``_static/`` and adds it to every page, so no chart fetches
   anything from the internet. It is made from the installed vl-convert for the
   versions the installed Altair expects, and cached between builds.
2. A data-aware execution cache: the notebook cache is keyed on code cells
   only, so editing ``data/`` or the ``tightrope`` package would leave stale
   charts. Every page that uses ``tightrope`` depends on their files, so Sphinx
   re-reads those pages when they change; a page's cached outputs are kept only
   if the tables it read when it executed (recorded by the loader) are unchanged
   and the package is too, otherwise they are dropped and the page executes again.
   Pages with no cached outputs are executed several at once (one kernel per
   core) before Sphinx reads the pages one by one and finds them in the cache.
3. The ``{claim}`` and ``{event}`` roles: ``{claim}`C09``` links to that
   claim's row in the fact-check ledger, ``{event}`the vote <2020-01-05-parliament-resolution>```
   to that event's row in the timeline appendix; an unknown id fails the build.
4. Students get the student edition, never the instructor's: the theme's
   "download source" menu on an exercise page serves ``_sources/exercises/NN.ipynb``,
   which is replaced by the student notebook; and the students' wheel is copied
   to ``downloads/`` at a stable address, from which a student notebook's set-up
   cell installs it when the course publishes the book. The theme's launch
   buttons would open the instructor notebook, so they are switched off; when
   ``_config.yml`` names the repository and a Colab or JupyterHub address,
   exercise pages get launch links to the student edition instead.
5. A light first visit (the icon script, search scripts only on the search
   page, purged stylesheets, a subset icon font): see ``tightrope.page_weight``,
   set up from here.
6. Files in ``_static/`` edited since the last build are copied even when no
   page changed (Sphinx copies static files only when it writes pages).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from importlib.metadata import version
from pathlib import Path

from docutils import nodes

from tightrope import warm_kernels

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT / "data", Path(__file__).resolve().parent]  # what executed pages read
BUNDLE = "tightrope-vega.js"


def input_files() -> list[Path]:
    """The files whose change must re-execute the pages that use tightrope."""
    files = []
    for folder in INPUTS:
        files += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix in {".csv", ".json", ".geojson", ".py"}]
    return sorted(files)


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for path in input_files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def uses_tightrope(path: Path) -> bool:
    return path.suffix in {".md", ".ipynb"} and "tightrope" in path.read_text(encoding="utf-8")


READS = "tightrope-reads"  # in the execution cache: per cached notebook, the tables it read


def reads_are_current(cache_dir: Path, hashkey: str, code: str) -> bool:
    """True if the cached notebook `hashkey` read only tables that are unchanged since, with the same package.

    No record (a page executed without it being kept) counts as stale."""
    from tightrope import data

    try:
        record = json.loads((cache_dir / READS / f"{hashkey}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if record.get("code") != code:
        return False
    return all("@" not in name and data.table_digest(name) == digest
               for name, digest in record.get("tables", {}).items())


def drop_stale_outputs(app, config) -> None:
    """When data/ or the package changed since the last build, forget the cached
    outputs of the notebooks that use tightrope unless everything they read is unchanged,
    so they execute again."""
    configured = getattr(config, "nb_execution_cache_path", "") or ""
    cache_dir = Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"
    stamp = cache_dir / "inputs.sha256"
    current = inputs_hash()
    if not cache_dir.is_dir() or (stamp.exists() and stamp.read_text() == current):
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current)
        return
    from jupyter_cache import get_cache

    from tightrope import data

    code = data.code_digest()
    cache = get_cache(str(cache_dir))
    for record in cache.list_cache_records():
        path = Path(record.uri)
        if not path.exists() or (uses_tightrope(path) and not reads_are_current(cache_dir, record.hashkey, code)):
            with contextlib.suppress(KeyError):  # another build sharing the cache removed it first
                cache.remove_cache(record.pk)
            (cache_dir / READS / f"{record.hashkey}.json").unlink(missing_ok=True)
    stamp.write_text(current)


def execute_in_parallel(app, env, docnames) -> None:
    """Before Sphinx reads the pages one by one: execute those with no cached outputs, one kernel
    per core, and cache them with the tables each read. Sphinx then finds every page in the cache.

    A page that fails here is left alone, so Sphinx executes it again and reports the error as usual."""
    from concurrent.futures import ThreadPoolExecutor

    from sphinx.util import logging

    nb_config = getattr(env, "mystnb_config", None)
    if nb_config is None or nb_config.execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    log = logging.getLogger(__name__)
    cache_dir = Path(nb_config.execution_cache_path)
    cache = get_cache(str(cache_dir))
    todo = [job for job in (_unexecuted(env, docname, cache) for docname in sorted(docnames)) if job]
    if not todo:
        return
    (cache_dir / READS).mkdir(parents=True, exist_ok=True)
    workers = max(1, min(len(todo), execution_jobs()))
    for path, *_ in todo:
        log.info(f"{path}: Executing notebook before reading ({workers} at once)")
    with warm_kernels.server() as warm, ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda job: _execute(cache_dir, *job, warm=warm), todo))
    for (path, nb, *_), (seconds, pending, error) in zip(todo, results):
        if error:
            log.info(f"{path}: executing it beforehand failed ({error}); Sphinx executes it again")
            pending.unlink(missing_ok=True)
            continue
        log.info(f"{path}: Executed notebook in {seconds:.2f} seconds")
        record = cache.cache_notebook_bundle(CacheBundleIn(nb, str(path.absolute()), data={"execution_seconds": seconds}),
                                            check_validity=False, overwrite=True)
        reads = cache_dir / READS / f"{record.hashkey}.json"
        if pending.exists():
            pending.replace(reads)
        else:
            reads.unlink(missing_ok=True)


def execution_jobs() -> int:
    """How many pages execute at once: $TIGHTROPE_JOBS, else two per core (a kernel spends part of its
    time waiting for messages; on 2 cores a cold build took 23 s with 4 at once, 26-28 s with 2)."""
    return int(os.environ.get("TIGHTROPE_JOBS") or 2 * (os.cpu_count() or 1))


def _unexecuted(env, docname: str, cache):
    """(path, notebook, timeout, allow_errors, cwd) of a page that needs executing, or None."""
    import re
    from pathlib import PurePosixPath

    from myst_nb.core.read import create_nb_reader

    path = Path(env.doc2path(docname))
    if path.suffix not in {".md", ".ipynb"} or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    nb_config = env.mystnb_config
    reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    if not any(cell.get("cell_type") == "code" for cell in notebook.cells):
        return None
    # As myst-nb does: a kernel alias, and settings the notebook's metadata overrides.
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    for pattern, alias in (nb_config.kernel_rgx_aliases or {}).items():
        if kernel is not None and re.fullmatch(pattern, kernel):
            notebook.metadata["kernelspec"]["name"] = alias
            break
    if nb_config.metadata_key in notebook.metadata:
        overrides = dict(notebook.metadata[nb_config.metadata_key])
        overrides.pop("output_folder", None)
        try:
            nb_config = nb_config.copy(**overrides)
        except Exception:
            return None  # myst-nb reports the problem when it reads the page
    if nb_config.execution_mode != "cache" or any(
            PurePosixPath(path.as_posix()).match(p) for p in nb_config.execution_excludepatterns or ()):
        return None
    try:
        cache.match_cache_notebook(notebook)
        return None
    except KeyError:
        pass
    execution = notebook.metadata.get("execution", {})
    timeout = execution.get("timeout", nb_config.execution_timeout)
    allow_errors = execution.get("allow_errors", nb_config.execution_allow_errors)
    return path, notebook, timeout, allow_errors, None if nb_config.execution_in_temp else str(path.parent)


def _execute(cache_dir: Path, path: Path, notebook, timeout, allow_errors, cwd, warm: dict):
    """Run one notebook in its own kernel, forked warm when ``warm`` names a server (see
    tightrope.warm_kernels); (seconds, reads file, error or None). The kernel's loader writes
    the tables it reads to the reads file ($TIGHTROPE_READS)."""
    import tempfile

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    pending = cache_dir / READS / f"pending-{uuid.uuid4().hex}.json"
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as temp:
        client = NotebookClient(notebook, timeout=timeout, allow_errors=allow_errors, record_timing=False,
                                resources={"metadata": {"path": cwd or temp}})
        if warm:
            client.kernel_manager_class = warm_kernels.WarmKernelManager
        try:
            client.execute(env={**os.environ, **warm, "TIGHTROPE_READS": str(pending)})
        except (CellExecutionError, CellTimeoutError) as exc:
            return time.perf_counter() - start, pending, exc.__class__.__name__
        except Exception as exc:  # a kernel that would not start, say: Sphinx tries again and reports it
            return time.perf_counter() - start, pending, f"{exc.__class__.__name__}: {exc}"
    return time.perf_counter() - start, pending, None


def note_input_dependencies(app, docname: str, source: list[str]) -> None:
    """Pages that use tightrope are re-read when data/ or the package changes."""
    if "tightrope" in source[0]:
        for path in input_files():
            app.env.note_dependency(str(path))


def vega_versions() -> dict[str, str]:
    """The versions Altair's HTML asks for; the bundle must provide exactly these."""
    import altair as alt

    return {"vega_version": alt.VEGA_VERSION, "vegalite_version": alt.VEGALITE_VERSION,
            "vegaembed_version": alt.VEGAEMBED_VERSION}


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script that defines globals and nothing else."""
    import altair as alt
    import vl_convert

    versions = vega_versions()
    minor = ".".join(alt.VEGALITE_VERSION.split(".")[:2])
    if minor not in vl_convert.get_vegalite_versions():
        raise RuntimeError(f"vl-convert {vl_convert.__version__} has no Vega-Lite {minor}, "
                           f"which Altair {alt.__version__} needs; align the pins in requirements.txt")
    if vl_convert.get_vega_version().split(".")[0] != alt.VEGA_VERSION.split(".")[0]:
        raise RuntimeError(f"vl-convert bundles Vega {vl_convert.get_vega_version()}, "
                           f"Altair expects Vega {alt.VEGA_VERSION}; align the pins")
    snippet = (
        "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;\n"
        "window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {}, "
        + repr(versions).replace("'", '"') + ");"
    )
    # The function scope keeps the bundle's own globals (such as `_`) off
    # window, where they would clash with Sphinx's scripts.
    return "(function(){\n" + vl_convert.javascript_bundle(snippet, vl_version=minor) + "\n})();\n"


def cached_bundle(build_root: Path) -> Path:
    """The bundle for the installed versions, made once (it takes a second or two)."""
    # Keyed on package versions, read without importing Altair: a no-change rebuild stays fast.
    key = hashlib.sha256(f"{version('vl-convert-python')} {version('altair')}".encode()).hexdigest()[:12]
    cached = build_root / f".vega-bundle-{key}.js"
    if not cached.exists():
        build_root.mkdir(parents=True, exist_ok=True)
        cached.write_text(vega_bundle(), encoding="utf-8")
    return cached


def write_bundle(app) -> None:
    """Before pages are written, so Sphinx links the bundle with its checksum
    (?v=...) and browsers fetch a changed bundle again."""
    if app.builder.format == "html":
        source = cached_bundle(Path(app.outdir).parent)
        target = Path(app.outdir) / "_static" / BUNDLE
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def list_citations_as_list_items(app, pagename, templatename, context, doctree) -> None:
    """docutils marks bibliography entries with the deprecated ARIA role
    doc-biblioentry, which leaves their list without items for screen readers."""
    if 'role="doc-biblioentry"' in context.get("body", ""):
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def register_citation_style() -> None:
    """A bibliography style that prints titles as written: pybtex's own styles
    lower-case them, which mangles names such as Kata'ib Hezbollah."""
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.alpha import Style
    from pybtex.style.template import field, sentence

    class KeepCaseStyle(Style):
        def format_title(self, e, which_field, as_sentence=True):
            title = field(which_field)
            return sentence[title] if as_sentence else title

    register_plugin("pybtex.style.formatting", "tightrope", KeepCaseStyle, force=True)


LEDGER_DOC = "appendices/fact-check"


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{claim}`C09`: a link to that claim's anchored row in the fact-check ledger."""
    from docutils import nodes

    from tightrope import data

    claim_id = text.strip()
    if claim_id not in set(data.claims()["id"]):
        msg = inliner.reporter.error(f"{{claim}} role: {claim_id!r} is not an id in data/claims.csv", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    env = inliner.document.settings.env
    uri = env.app.builder.get_relative_uri(env.docname, LEDGER_DOC) + "#" + claim_id
    return [nodes.reference(rawtext, claim_id, refuri=uri, internal=True)], []


TIMELINE_DOC = "appendices/timeline"


def event_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{event}`2020-01-05-parliament-resolution` or {event}`the vote <2020-01-05-parliament-resolution>`:
    a link to that event's (or incident's) anchored row in the timeline appendix's table."""
    import re

    from docutils import nodes

    from tightrope import data

    match = re.fullmatch(r"\s*(.*?)\s*<([^<>]+)>\s*", text)
    label, row_id = (match.group(1), match.group(2).strip()) if match else ("events table", text.strip())
    if row_id not in set(data.events()["id"]) | set(data.incidents()["id"]):
        msg = inliner.reporter.error(f"{{event}} role: {row_id!r} is not an id in data/events.csv or "
                                     "data/incidents.csv", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    env = inliner.document.settings.env
    uri = env.app.builder.get_relative_uri(env.docname, TIMELINE_DOC) + "#" + row_id
    return [nodes.reference(rawtext, label, refuri=uri, internal=True)], []


def hand_out_student_editions(app, exception) -> None:
    """After an HTML build: student editions in place of the exercise sources, and the wheel in downloads/."""
    if exception is not None or app.builder.format != "html":
        return
    from tightrope import student

    outdir = Path(app.outdir)
    for edition in sorted(student.STUDENT_DIR.glob(student.NOTEBOOK_GLOB)):
        copied_source = outdir / "_sources" / "exercises" / edition.name
        if copied_source.exists():
            shutil.copyfile(edition, copied_source)
    wheel = student.STUDENT_DIR / student.wheel_name()
    if wheel.is_file():
        (outdir / student.DOWNLOADS).mkdir(exist_ok=True)
        shutil.copyfile(wheel, outdir / student.DOWNLOADS / wheel.name)


LAUNCHERS = ("binderhub_url", "jupyterhub_url", "colab_url", "jupyterlite_url")


def take_over_launch_buttons(app, config) -> None:
    """Keep the launch settings for the book's own links and hide them from the theme.

    They are read from the theme options, or from _config.yml itself: Jupyter Book drops its
    `repository` and `launch_buttons` settings when `sphinx.config` sets html_theme_options.
    """
    import yaml

    theme = config.html_theme_options
    book_file = Path(getattr(app, "srcdir", ".")) / "_config.yml"
    book = (yaml.safe_load(book_file.read_text(encoding="utf-8")) or {}) if book_file.is_file() else {}
    launch = {**(book.get("launch_buttons") or {}), **(theme.get("launch_buttons") or {})}
    repository = book.get("repository") or {}
    app.tightrope_launch = {
        "repository": str(theme.get("repository_url") or repository.get("url") or "").rstrip("/"),
        "branch": str(theme.get("repository_branch") or repository.get("branch") or "main"),
        "colab": str(launch.get("colab_url") or "").rstrip("/"),
        "jupyterhub": str(launch.get("jupyterhub_url") or "").rstrip("/"),
    }
    theme["launch_buttons"] = {k: v for k, v in launch.items() if k not in LAUNCHERS}


def student_launch_links(docname: str, settings: dict) -> list[tuple[str, str]]:
    """(label, address) of the launch links for an exercise page's student edition; none unless
    the repository and a Colab or JupyterHub address are configured."""
    from urllib.parse import quote, urlparse

    from tightrope import student

    repository = settings.get("repository", "")
    if not docname.startswith("exercises/") or not repository.startswith("https://github.com/"):
        return []
    path = f"exercises/{student.STUDENT_DIR.name}/{docname.rsplit('/', 1)[-1]}.ipynb"
    owner_repo = urlparse(repository).path.strip("/")
    links = []
    if settings.get("colab"):
        links.append(("Colab", f"{settings['colab']}/github/{owner_repo}/blob/{settings['branch']}/{path}"))
    if settings.get("jupyterhub"):
        name = owner_repo.rsplit("/", 1)[-1]
        links.append(("your course's JupyterHub",
                      f"{settings['jupyterhub']}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
                      f"&branch={quote(settings['branch'])}&urlpath={quote(f'lab/tree/{name}/{path}', safe='')}"))
    return links


def add_student_launch_links(app, pagename, templatename, context, doctree) -> None:
    import html

    settings = getattr(app, "tightrope_launch", {})
    if pagename == app.config.root_doc and settings.get("repository") and "body" in context:
        address = html.escape(settings["repository"])
        context["body"] = context["body"].replace(
            "</h1>", f'</h1>\n<p class="tr-repository">The book\'s source: <a href="{address}">{address}</a>.</p>', 1)
    links = student_launch_links(pagename, settings)
    if links and "body" in context:
        anchors = " · ".join(f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in links)
        context["body"] = (f'<p class="tr-launch">Open the student notebook in {anchors}.</p>\n'
                           + context["body"])


# --- Names in Arabic, Persian and Kurdish script -----------------------------------
# {ar}`كتائب حزب الله` becomes <bdi lang="ar" dir="rtl">: screen readers switch language
# and the browser lays the name out right to left without disturbing the English around it.
NATIVE_LANGUAGES = {"ar": "Arabic", "fa": "Persian", "ckb": "Central Kurdish"}


class native_text(nodes.TextElement, nodes.Inline):
    """A name in a right-to-left script, tagged with its language (module level: doctrees are pickled)."""


def native_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{ar}`…`, {fa}`…`, {ckb}`…`: text in that language's script, isolated right to left."""
    from tightrope.sources import ARABIC_SCRIPT

    if not ARABIC_SCRIPT.search(text):
        msg = inliner.reporter.error(f"{{{name}}} role: {text!r} has no {NATIVE_LANGUAGES[name]} script in it",
                                     line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    node = native_text(rawtext, text)
    node["lang"] = name
    return [node], []


def visit_native_html(self, node):
    self.body.append(f'<bdi lang="{node["lang"]}" dir="rtl" class="tr-native">')


def depart_native_html(self, node):
    self.body.append("</bdi>")


def _plain_visit(self, node):
    pass


def copy_edited_static_files(app, exception) -> None:
    """Sphinx copies html_static_path only when it writes pages; a CSS edit alone would not reach the site."""
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util.osutil import copyfile

    for entry in app.config.html_static_path:
        folder = Path(app.confdir) / entry
        if not folder.is_dir():
            continue
        for source in folder.rglob("*"):
            if source.is_file() and not source.name.startswith(".") and not source.name.endswith("_t"):
                target = Path(app.outdir) / "_static" / source.relative_to(folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                copyfile(source, target, __overwrite_warning__=False)


def setup(app):
    app.add_node(native_text, html=(visit_native_html, depart_native_html),
                 latex=(_plain_visit, _plain_visit), text=(_plain_visit, _plain_visit))
    for language in NATIVE_LANGUAGES:
        app.add_role(language, native_role, override=True)  # sphinx-design's {fa} icon role is unused
    app.add_role("claim", claim_role)
    app.connect("config-inited", take_over_launch_buttons)
    app.connect("html-page-context", add_student_launch_links)
    app.connect("build-finished", hand_out_student_editions)
    app.connect("build-finished", copy_edited_static_files)
    app.setup_extension("tightrope.page_weight")
    app.add_role("event", event_role)
    register_citation_style()
    app.connect("config-inited", drop_stale_outputs)
    app.connect("env-before-read-docs", execute_in_parallel)
    app.connect("source-read", note_input_dependencies)
    app.connect("builder-inited", write_bundle)
    app.connect("html-page-context", list_citations_as_list_items)
    # In <head>, not deferred: chart scripts in the page body call vegaEmbed at once.
    app.add_js_file(BUNDLE, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
