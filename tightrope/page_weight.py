"""A light first visit (a Sphinx extension, set up by tightrope.sphinxext).

1. Icons: the theme's icon script (Font Awesome with every icon, about 1.5 MB) is
   replaced by one holding only the icons the built pages and the theme's scripts
   name, drawn the same way (inline SVG).
2. Search scripts only on the search page: the theme loads Sphinx's search tools
   and the whole search index on every page, for a search-as-you-type feature
   this book leaves off; the template in ``templates/layout.html`` drops them
   from other pages (the sidebar's search box submits to search.html, which
   loads them itself).
3. Stylesheets without rules that cannot match: after the build, the third-party
   stylesheets in ``_static/`` (the theme's, sphinx-design's, myst-nb's, ...; not
   the book's own) lose every rule whose selectors all need a class that no page
   carries and no script the book ships names (see ``purge_stylesheet``).
4. The icon font holds only the glyphs those stylesheets draw.

3 and 4 run over the whole output folder on every build (Sphinx copies static
files afresh whenever it writes a page), keep the files as Sphinx copied them in
``_build/.page-weight-html/`` (beside the site, not part of it), and redo the
work only when a page, a script or a copied file changed.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

# What the purge and the subset write depends on this file and the two libraries: a change redoes them.
VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
TEMPLATES = Path(__file__).resolve().parent / "templates"


# --- 1. The icon script -------------------------------------------------------------

ICON_SCRIPT = Path("_static") / "scripts" / "fontawesome.js"
# Font Awesome's classes for its free packs, and the prefix each stands for.
ICON_PREFIXES = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far", "fa-brands": "fab", "fab": "fab"}
_KEEP_CSS = r"^(svg:not\(:(host|root)\)\.svg-inline--fa|\.svg-inline--fa|\.fa-(lg|fw|xs|sm|xl|2xs|2xl))$"
ICON_JS = """/* The Font Awesome Free icons this book uses (icons CC BY 4.0, code MIT: https://fontawesome.com/license/free),
   drawn as inline SVG as Font Awesome's own script does, in place of the theme's script with every icon. */
(function () {
  var icons = %(icons)s, prefixes = %(prefixes)s, css = %(css)s;
  var selector = Object.keys(prefixes).map(function (c) { return "." + c; }).join(",");
  function draw(el) {
    var classes = Array.prototype.slice.call(el.classList), prefix = "fas", name = null;
    classes.forEach(function (c) { if (prefixes[c]) prefix = prefixes[c]; });
    var pack = icons[prefix] || {};
    var named = null;  // the fa-NAME class itself (not rebuilt from its name: the stylesheet purge reads scripts)
    classes.forEach(function (c) { if (!name && !prefixes[c] && c.indexOf("fa-") === 0 && pack[c.slice(3)]) { name = c.slice(3); named = c; } });
    var icon = name && pack[name];
    if (!icon) return;
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    Array.prototype.forEach.call(el.attributes, function (a) { if (a.name !== "class") svg.setAttribute(a.name, a.value); });
    var rest = classes.filter(function (c) { return !prefixes[c] && c !== named; });
    svg.setAttribute("class", ["svg-inline--fa", named].concat(rest).join(" "));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("data-prefix", prefix);
    svg.setAttribute("data-icon", name);
    svg.setAttribute("role", "img");
    svg.setAttribute("viewBox", "0 0 " + icon[0] + " " + icon[1]);
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", icon[2]);
    svg.appendChild(path);
    el.parentNode.replaceChild(svg, el);
  }
  function drawAll(root) {
    if (root.matches && root.matches(selector) && root.tagName.toLowerCase() !== "svg") draw(root);
    if (root.querySelectorAll) Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
      if (el.tagName.toLowerCase() !== "svg" && el.parentNode) draw(el);
    });
  }
  var style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);
  function start() {
    drawAll(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (m) { Array.prototype.forEach.call(m.addedNodes, drawAll); });
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


def icon_packs(full: str) -> dict[str, str]:
    """The source text of each free pack in Font Awesome's script: the text before its definition call."""
    calls = sorted((m.start(), m.group(1)) for m in re.finditer(r'\(\s*"(fa[srb])"\s*,\s*[\w$]+\s*\)', full))
    packs, start = {}, 0
    for position, prefix in calls:
        packs.setdefault(prefix, full[start:position])
        start = position
    return packs


def icon_subset(full: str, names: set[str]) -> str:
    """A script that draws only the icons `names` (from each free pack that has them), with Font Awesome's sizing CSS."""
    icons: dict[str, dict] = {}
    for prefix, text in icon_packs(full).items():
        for name in sorted(names):
            bare = name if re.fullmatch(r"[A-Za-z_$][\w$]*", name) else None
            key = f'(?:"{re.escape(name)}"' + (f"|(?<![\\w$\"-]){re.escape(bare)}" if bare else "") + ")"
            match = re.search(key + r':\[(\d+),(\d+),\[[^\]]*\],"[^"]*","([^"]*)"\]', text)
            if match:
                icons.setdefault(prefix, {})[name] = [int(match.group(1)), int(match.group(2)), match.group(3)]
    start = full.find(":host,:root{")
    css = full[start:full.find("'", start)] if start >= 0 else ""
    keep = re.compile(_KEEP_CSS)
    rules = []
    for rule in css.split("}"):
        selectors, _, body = rule.partition("{")
        if body and all(keep.match(sel.strip()) for sel in selectors.split(",")):
            rules.append(selectors + "{" + body + "}")
    return ICON_JS % {"icons": json.dumps(icons, sort_keys=True), "prefixes": json.dumps(ICON_PREFIXES),
                      "css": json.dumps("".join(rules))}


def icons_named(outdir: Path) -> set[str]:
    """Every fa-NAME class in the built pages and in the theme's own scripts (which add icons as they run)."""
    found: set[str] = set()
    files = [p for p in outdir.rglob("*.html") if "_static" not in p.parts]
    files += [p for p in (outdir / "_static" / "scripts").glob("*.js") if p.name != ICON_SCRIPT.name]
    for path in files:
        found |= set(re.findall(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)", path.read_text(encoding="utf-8", errors="ignore")))
    return found


def light_icons(app, exception) -> None:
    """After an HTML build: the theme's icon script holds only the icons the book uses."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / ICON_SCRIPT
    theme_copy = next((Path(d) / "static" / "scripts" / ICON_SCRIPT.name for d in app.builder.theme.get_theme_dirs()
                       if (Path(d) / "static" / "scripts" / ICON_SCRIPT.name).is_file()), None)
    if theme_copy is None or not target.exists():
        return
    names = icons_named(Path(app.outdir))
    # Made once per icon set, theme version and script (it takes half a second): a no-change rebuild stays fast.
    stat = theme_copy.stat()
    key = hashlib.sha256(f"{stat.st_size} {stat.st_mtime_ns} {sorted(names)} {ICON_JS}".encode()).hexdigest()[:12]
    cached = Path(app.outdir).parent / f".icons-{key}.js"
    if not cached.exists():
        cached.write_text(icon_subset(theme_copy.read_text(encoding="utf-8"), names), encoding="utf-8")
    subset = cached.read_text(encoding="utf-8")
    if target.read_text(encoding="utf-8", errors="ignore") != subset:
        target.write_text(subset, encoding="utf-8")
        (target.parent / (ICON_SCRIPT.name + ".map")).unlink(missing_ok=True)


# --- 2. Search scripts only on the search page (templates/layout.html) ------------------

def add_templates(app, config) -> None:
    if str(TEMPLATES) not in map(str, config.templates_path):
        config.templates_path.append(str(TEMPLATES))


# --- 3. Stylesheets without rules that cannot match ------------------------------------

class UsedNames:
    """The class names the book can put on an element: every class in the pages, every
    identifier-like token in the scripts, and the names scripts build from pieces
    (``bs-${name}-auto``, ``"fa-" + name``), kept as patterns."""

    def __init__(self, names=(), patterns=()):
        self.names = frozenset(names)
        self.patterns = tuple(sorted(set(patterns)))
        self._regex = re.compile("|".join(f"(?:{p})" for p in self.patterns)) if self.patterns else None

    def __contains__(self, name: str) -> bool:
        return name in self.names or bool(self._regex and self._regex.fullmatch(name))

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps([sorted(self.names), self.patterns]).encode()).hexdigest()


_CLASS_ATTRIBUTE = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TOKEN = re.compile(r"[\w-]+")
_TEMPLATE = re.compile(r"`((?:[^`\\]|\\.)*)`", re.DOTALL)
_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")
# A quoted piece joined to something else with + : "fa-" + name, name + "-auto".
_JOINED = re.compile(r"""(["'])([\w -]*)\1\s*\+|\+\s*(["'])([\w -]*)\3""")
_WILD = "[\\w-]*"


def page_classes(page: str) -> set[str]:
    """The classes in a page's class attributes."""
    found: set[str] = set()
    for match in _CLASS_ATTRIBUTE.finditer(page):
        found.update(html.unescape(next(g for g in match.groups() if g is not None)).split())
    return found


def inline_scripts(page: str) -> list[str]:
    return _INLINE_SCRIPT.findall(page)


def script_names(script: str) -> tuple[set[str], set[str]]:
    """(tokens, patterns) of a script: every identifier-like token, and a pattern for each
    class name it builds from pieces (template literals, joined strings)."""
    tokens = set(_TOKEN.findall(script))
    patterns: set[str] = set()

    def add(piece: str) -> None:
        # Only pieces joined at a hyphen or underscore (bs-${name}-auto, "toggle-" + name) make
        # patterns: "${n}px" or "click" + suffix build sizes and event names, not classes, and a
        # minified bundle is full of one-letter pieces that would match almost every class.
        parts = piece.split("\0")
        joints = zip(parts, parts[1:])
        if (len(parts) > 1 and any(re.search(r"[A-Za-z]", p) for p in parts)
                and re.fullmatch(r"[\w-]*", "".join(parts))
                and all((not a or a[-1] in "-_") and (not b or b[0] in "-_") for a, b in joints)):
            patterns.add(_WILD.join(re.escape(p) for p in parts))

    for literal in _TEMPLATE.findall(script):
        if "${" in literal:
            for piece in _PLACEHOLDER.sub("\0", literal).split():
                add(piece)
    for match in _JOINED.finditer(script):
        before, after = match.group(2), match.group(4)
        if before is not None and before and not before[-1].isspace():
            add(before.split()[-1] + "\0")
        if after is not None and after and not after[0].isspace():
            add("\0" + after.split()[0])
    return tokens, patterns


def used_names(pages: list[str], scripts: list[str]) -> UsedNames:
    names: set[str] = set()
    patterns: set[str] = set()
    for page in pages:
        names |= page_classes(page)
    for script in [*scripts, *(s for page in pages for s in inline_scripts(page))]:
        tokens, built = script_names(script)
        names |= tokens
        patterns |= built
    return UsedNames(names, patterns)


# Rules that hold other rules, whose conditions need no class: their rules are purged in turn.
GROUPING_RULES = {"media", "supports", "container", "layer", "document", "-moz-document"}


def _selectors(prelude: list) -> list[list]:
    """A selector list split at its top-level commas."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def required_classes(selector: list) -> set[str]:
    """The classes an element must carry for `selector` to match: each `.name` in it, but none
    inside a functional pseudo-class (:not(), :is(), :where(), :has(), ...) or an attribute test."""
    required = set()
    for before, token in zip(selector, selector[1:]):
        if before.type == "literal" and before.value == "." and token.type == "ident":
            required.add(token.value)
    return required


def purge_stylesheet(css: str, used) -> str:
    """`css` without the style rules none of whose selectors can match, given the class names in `used`
    (anything with ``in``). A selector can match unless it requires a class not in `used`; a rule keeps
    its matchable selectors. @media, @supports, @container and @layer blocks are purged in turn (and
    dropped when empty); everything else (@font-face, @keyframes, @import, custom properties, ...) is
    kept, as are licence comments (/*! ... */). What is kept is the original text, character for
    character (a custom property's value is its text, escapes and all). Idempotent."""
    import tinycss2

    # As tinycss2 reads it, so that its line and column numbers index this text.
    text = css.replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    rules = tinycss2.parse_stylesheet(text, skip_comments=False, skip_whitespace=False)
    if any(rule.type == "error" for rule in rules):
        return css  # not ours to guess at: the browser would read it its own way
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return "".join(_purge(rules, used, text, lambda node: line_starts[node.source_line - 1] + node.source_column - 1,
                          len(text)))


def _purge(rules: list, used, text: str, offset, end: int) -> list[str]:
    """The kept parts of `rules`, which run to `end` in `text`."""
    import tinycss2

    kept: list[str] = []
    starts = [offset(rule) for rule in rules] + [end]
    for rule, start, stop in zip(rules, starts, starts[1:]):
        if rule.type == "comment":
            if rule.value.startswith("!"):
                kept.append(text[start:stop])
        elif rule.type == "qualified-rule":
            selectors = _selectors(rule.prelude)
            matchable = [n for n, s in enumerate(selectors) if all(name in used for name in required_classes(s))]
            if len(matchable) == len(selectors):
                kept.append(text[start:stop])
            elif matchable:  # the original text of each kept selector, then the block
                brace = offset(rule.content[0]) - 1 if rule.content else text.rindex("{", start, stop)
                ends = [offset(t) for t in rule.prelude if t.type == "literal" and t.value == ","] + [brace]
                begins = [start] + [e + 1 for e in ends[:-1]]
                kept.append(",".join(text[begins[n]:ends[n]].strip() for n in matchable) + text[brace:stop])
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=False, skip_whitespace=False)
            close = stop - 1 if text[stop - 1] == "}" else stop  # an unclosed block runs to the end
            if any(r.type == "error" for r in inner):
                kept.append(text[start:stop])
                continue
            purged = _purge(inner, used, text, offset, close)
            if any(not piece.startswith("/*") for piece in purged):
                opening = offset(rule.content[0])
                kept.append(text[start:opening] + "".join(purged) + text[close:stop])
        elif rule.type != "whitespace":
            kept.append(text[start:stop])
    return kept


# --- 4. The icon font --------------------------------------------------------------

ICON_FAMILY = re.compile(r"font ?awesome", re.IGNORECASE)


def _walk(nodes):
    """Every token in `nodes`, descending into blocks, functions, rules and declarations."""
    for node in nodes or ():
        yield node
        for attribute in ("prelude", "content", "arguments", "value"):
            inner = getattr(node, attribute, None)
            if isinstance(inner, list):
                yield from _walk(inner)


def stylesheet_codepoints(css: str) -> set[int]:
    """Every character in the stylesheet's strings (the icons are drawn with content: "\\f015" and
    custom properties holding such strings)."""
    import tinycss2

    return {ord(c) for token in _walk(tinycss2.parse_stylesheet(css)) if token.type == "string" for c in token.value}


def icon_fonts(css: str) -> list[str]:
    """The addresses (relative to the stylesheet) of the Font Awesome fonts its @font-face rules load."""
    import tinycss2

    found = []
    for rule in _walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or not rule.content:
            continue
        declarations = {d.lower_name: d.value for d in tinycss2.parse_blocks_contents(rule.content)
                        if d.type == "declaration"}
        if not ICON_FAMILY.search(tinycss2.serialize(declarations.get("font-family", [])).replace("\\", "")):
            continue
        for token in _walk(declarations.get("src", [])):
            if token.type == "url":
                found.append(token.value)
            elif token.type == "function" and token.lower_name == "url":
                found += [a.value for a in token.arguments if a.type == "string"]
    return found


def subset_font(data: bytes, codepoints: set[int]) -> bytes:
    """The font with only the glyphs for `codepoints` (and .notdef), in the same format (woff2, woff or sfnt)."""
    import io
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    options = subset.Options()
    options.flavor = font.flavor
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.legacy_kern = True
    quiet = logging.getLogger("fontTools")  # it reports each table it prunes, which is noise in a build log
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    finally:
        quiet.setLevel(level)
    return out.getvalue()


# --- 3 and 4 after the build -------------------------------------------------------

def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def store_dir(outdir: Path) -> Path:
    """Where the files as Sphinx copied them (originals/) and as this made them (made/) are kept:
    beside the site, not in it."""
    return outdir.parent / f".page-weight-{outdir.name}"


def own_static_files(app) -> set[str]:
    """Paths (under _static/) of the book's own static files, which are left as they are: those of
    html_static_path's folders in the book (extensions add their own folders, in installed packages)."""
    own = set()
    book = Path(app.confdir).resolve()
    for entry in app.config.html_static_path:
        folder = (book / entry).resolve()
        if not folder.is_dir() or not folder.is_relative_to(book):
            continue
        inside = folder.relative_to(book).parts
        if any(part.startswith(".") or part in {"site-packages", "dist-packages"} for part in inside):
            continue
        own |= {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    return own


def _tag(data: bytes) -> str:
    return _sha(data)[:12]


def version_links(pages: list[Path], outdir: Path, sheets: dict[str, bytes]) -> bool:
    """Point the pages' links to the trimmed stylesheets at their content (?v=...): the links Sphinx
    writes carry the version of the originals, so a browser that cached an earlier trimmed copy would
    keep it after a rebuild that trims differently. True if a page changed."""
    if not sheets:
        return False
    tags = {rel: _tag(data) for rel, data in sheets.items()}
    link = re.compile(r'(href="(?:\.\./)*(' + "|".join(map(re.escape, tags)) + r'))(?:\?[^"#]*)?"')
    changed = False
    for page in pages:
        text = page.read_text(encoding="utf-8")
        versioned = link.sub(lambda m: f'{m.group(1)}?v={tags[m.group(2)]}"', text)
        if versioned != text:
            page.write_text(versioned, encoding="utf-8")
            changed = True
    return changed


def version_font_links(css: bytes, addresses: list[str], fonts: dict[str, bytes], rel: str) -> bytes:
    """The stylesheet with its icon fonts' addresses versioned by the subset's content, so a browser
    fetches a font again when the glyphs it holds change."""
    text = css.decode("utf-8")
    for address in sorted(set(addresses), key=len, reverse=True):
        path = address.split("?")[0].split("#")[0]
        font = Path(os.path.normpath(Path(rel).parent / path)).as_posix()
        if font in fonts and path == address:
            text = re.sub(r'(url\(\s*["\']?)' + re.escape(address) + r'(["\']?\s*\))',
                          lambda m: f"{m.group(1)}{address}?v={_tag(fonts[font])}{m.group(2)}", text)
    return text.encode("utf-8")


def lighten(app, exception) -> None:
    """After an HTML build: purge the third-party stylesheets and subset the icon fonts (see the module's notes)."""
    if exception is not None or app.builder.format != "html":
        return
    lighten_folder(Path(app.outdir), own_static_files(app))


def _stamp(paths: list[Path]) -> str:
    """A cheap fingerprint of files: names, sizes and modification times."""
    return _sha(json.dumps([(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]).encode())


def lighten_folder(outdir: Path, own: set[str] = frozenset()) -> bool:
    """Purge the stylesheets and subset the icon fonts of one built site; False when nothing needed doing."""
    static = outdir / "_static"
    store = store_dir(outdir)
    made = store / "made"
    state_file = store / "state.json"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    version = f"{VERSION} tinycss2 {_version('tinycss2')} fonttools {_version('fonttools')}"
    if state.get("version") != version:
        state = {}
    sheets = [p.relative_to(outdir).as_posix() for p in sorted(static.rglob("*.css"))
              if p.relative_to(static).as_posix() not in own and not p.name.startswith("tightrope")]
    pages = [p for p in sorted(outdir.rglob("*.html")) if "_static" not in p.relative_to(outdir).parts]
    scripts = sorted(static.rglob("*.js"))
    managed = [outdir / rel for rel in sheets + state.get("fonts", []) if (outdir / rel).is_file()]
    if state.get("stamp") == _stamp(pages + scripts + managed):
        return False  # nothing touched since the last build

    def original(rel: str) -> bytes:
        """The file as Sphinx copied it: the one in the site, unless that is the one made here."""
        current = (outdir / rel).read_bytes()
        kept = store / "originals" / rel
        if (made / rel).is_file() and kept.is_file() and (made / rel).read_bytes() == current:
            return kept.read_bytes()
        if not kept.is_file() or kept.read_bytes() != current:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(current)
        return current

    originals = {rel: original(rel) for rel in sheets}
    faces = state.get("faces", {})  # the icon fonts each original stylesheet loads, by its checksum
    fonts: list[str] = []
    for rel, data in originals.items():
        key = _sha(data)
        if key not in faces:
            faces[key] = icon_fonts(data.decode("utf-8"))
        for address in faces[key]:
            font = Path(os.path.normpath((outdir / rel).parent.joinpath(address.split("?")[0].split("#")[0])))
            if font.is_file() and font.is_relative_to(outdir):
                fonts.append(font.relative_to(outdir).as_posix())
    fonts = sorted(set(fonts))
    originals |= {rel: original(rel) for rel in fonts}
    inputs = {rel: _sha(data) for rel, data in sorted(originals.items())}
    have_made = all((made / rel).is_file() for rel in originals)

    reading = _stamp(pages + scripts)
    if have_made and state.get("reading") == reading and state.get("inputs") == inputs:
        # The pages and scripts are untouched and the copied files are those seen before (another
        # step of the build may have copied them over what this made): put back what was made.
        fingerprint = state["fingerprint"]
        results = {rel: (made / rel).read_bytes() for rel in originals}
    else:
        texts = [p.read_text(encoding="utf-8", errors="ignore") for p in pages]
        used = used_names(texts, [p.read_text(encoding="utf-8", errors="ignore") for p in scripts])
        icons_in_pages = {ord(c) for text in texts for c in re.findall("[\ue000-\uf8ff]", text)}
        fingerprint = _sha(json.dumps([used.fingerprint(), sorted(icons_in_pages), inputs]).encode())
        if have_made and state.get("fingerprint") == fingerprint:
            results = {rel: (made / rel).read_bytes() for rel in originals}
        else:
            results, codepoints = {}, set(icons_in_pages)
            for rel in sheets:
                text = purge_stylesheet(originals[rel].decode("utf-8"), used)
                codepoints |= stylesheet_codepoints(text)
                results[rel] = text.encode("utf-8")
            for rel in fonts:
                results[rel] = subset_font(originals[rel], codepoints)
            for rel in sheets:  # a stylesheet asks for its fonts by their content (see version_links)
                results[rel] = version_font_links(results[rel], faces[inputs[rel]],
                                                  {font: results[font] for font in fonts}, rel)
            shutil.rmtree(made, ignore_errors=True)
            for rel, data in results.items():
                (made / rel).parent.mkdir(parents=True, exist_ok=True)
                (made / rel).write_bytes(data)
    changed = False
    for rel, data in results.items():
        if (outdir / rel).read_bytes() != data:  # new, or the original was copied over it
            (outdir / rel).write_bytes(data)
            changed = True
        if rel in sheets and data != originals[rel]:
            (outdir / (rel + ".map")).unlink(missing_ok=True)  # it maps the original
    changed |= version_links(pages, outdir, {rel: results[rel] for rel in sheets})
    reading = _stamp(pages + scripts)  # only the links' versions changed: what the pages use did not
    state = {"version": version, "fingerprint": fingerprint, "inputs": inputs, "fonts": fonts, "reading": reading,
             "faces": {inputs[rel]: faces[inputs[rel]] for rel in sheets},
             "stamp": _stamp(pages + scripts + [outdir / rel for rel in sheets + fonts])}
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    return changed


def setup(app):
    app.connect("config-inited", add_templates)
    app.connect("build-finished", light_icons)
    # Last, after every other extension has written its pages and files.
    app.connect("build-finished", lighten, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
