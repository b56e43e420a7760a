"""Chart conventions: one theme, one way to finish a chart, one offline renderer.

Importing this module registers and enables the theme and the renderer, so a
page needs only ``from tightrope import charts``. Every chart a page shows goes
through :func:`finish`, which adds the title, the source line and the text
description, and refuses a chart whose axes have no titles.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json

import altair as alt
from altair.utils.html import spec_to_html

# Okabe & Ito's palette: distinguishable with the common forms of colour-vision
# deficiency. Yellow comes last because it is faint on white.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow
]
# On the dark page the palette keeps its order; black becomes a light grey (still at least 15
# CIELAB units from every other colour under each simulated colour-vision deficiency).
DARK_PALETTE = [c if c != "#000000" else "#E0E0E0" for c in PALETTE]
# One colour for "the data" when a chart needs no categories.
MAIN = PALETTE[0]
# A sequential scheme that stays readable in greyscale and for colour-blind readers.
SEQUENTIAL_SCHEME = "viridis"

# The dark page's background (pydata-sphinx-theme's --pst-color-background in dark mode).
DARK_BACKGROUND = "#14181e"
# Fixed colours that charts draw with (text, rules, map fills, hollow marks), and what each becomes on
# the dark page. The browser swaps them when the reader's theme is dark (_static/tightrope-charts.js).
DARK_COLOURS = {
    "#000000": "#e0e0e0", "#222222": "#e6e9ec", "#333333": "#dde1e5", "#444444": "#cdd3d9",
    "#555555": "#bfc6cd", "#666666": "#b3bac2", "#888888": "#8d96a0", "#999999": "#9aa2ab",
    "#bbbbbb": "#7c858f", "#e3e3e3": "#3a4250", "#e6e6e6": "#343b46", "#f7f7f7": "#232a33",
    "white": DARK_BACKGROUND, "#ffffff": DARK_BACKGROUND,
}

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 480  # fits the book's text column with axis labels and a legend beside it
HEIGHT = 300
# No chart text smaller than this (CSS pixels); titles are larger. Charts are never scaled down as
# pictures: the browser gives them a narrower plot instead (_static/tightrope-charts.js).
MIN_TEXT = 12


@alt.theme.register("tightrope", enable=True)
def theme() -> alt.theme.ThemeConfig:
    """The book's chart theme: readable type, the colour-blind-safe palette."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "title": {"fontSize": 17, "anchor": "start", "subtitleFontSize": MIN_TEXT + 1,
                      "subtitleColor": "#444444", "offset": 12},
            "axis": {"labelFontSize": MIN_TEXT, "titleFontSize": 14, "titleColor": "#222222",
                     "labelColor": "#333333", "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": MIN_TEXT, "titleFontSize": 14, "labelLimit": 320},
            "header": {"labelFontSize": 13, "titleFontSize": 14},
            "text": {"fontSize": MIN_TEXT},
            "range": {"category": PALETTE, "ordinal": {"scheme": SEQUENTIAL_SCHEME},
                      "ramp": {"scheme": SEQUENTIAL_SCHEME}},
            "mark": {"color": MAIN},
        }
    }


def dark_config() -> dict:
    """What changes in the theme on the dark page: light text and rules on a transparent background,
    the dark palette. Merged over the chart's own config by the browser when the page is dark."""
    text, muted = "#e6e9ec", "#c5ccd3"
    return {
        "background": "transparent",
        "title": {"color": text, "subtitleColor": muted},
        "axis": {"titleColor": text, "labelColor": muted, "gridColor": "#343b46",
                 "domainColor": "#8d96a0", "tickColor": "#8d96a0"},
        "legend": {"titleColor": text, "labelColor": muted},
        "header": {"titleColor": text, "labelColor": text},
        "text": {"color": text},
        "range": {"category": DARK_PALETTE},
        "mark": {"color": DARK_PALETTE[0]},
    }


def cited_tooltip(frame) -> list:
    """A "Sources" tooltip for marks that are single rows of the data, when the frame carries
    their short citations in a ``cited`` column (see ``sources.with_citations``)."""
    return [alt.Tooltip("cited:N", title="Sources")] if "cited" in frame.columns else []


def finish(chart: alt.TopLevelMixin, *, title: str, source: str, description: str,
           subtitle: str | list[str] | None = None) -> alt.TopLevelMixin:
    """Give a chart its title, source line and text description.

    ``source`` names where the numbers come from (shown as "Source: ...");
    ``description`` is the text equivalent of the chart for readers who cannot
    see it. Raises ValueError, naming what is missing, when any of them is blank
    or when a positional axis has no title.
    """
    for name, value in (("title", title), ("source", source), ("description", description)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"finish() needs a non-empty {name!r} string, got {value!r}")
    # A subtitle may be several lines: Vega does not wrap text, and a long line widens the chart.
    lines = ([subtitle] if isinstance(subtitle, str) else list(subtitle or [])) + [f"Source: {source}"]
    finished = chart.properties(title=alt.Title(title, subtitle=lines), description=description)
    untitled = untitled_axes(finished.to_dict())
    if untitled:
        raise ValueError(
            "every axis needs a title with its unit, e.g. alt.Y('attacks:Q', title='Attacks (count)'); "
            f"no title on: {', '.join(untitled)}"
        )
    return finished


def untitled_axes(spec: dict) -> list[str]:
    """Positional encodings (x, y) that show an axis but carry no title."""
    missing = []
    for view in _views(spec):
        for channel in ("x", "y"):
            enc = view.get("encoding", {}).get(channel)
            if not isinstance(enc, dict) or "field" not in enc and "aggregate" not in enc:
                continue
            if enc.get("axis", {}) is None or "title" in enc or "title" in (enc.get("axis") or {}):
                continue
            missing.append(f"{channel} ({enc.get('field', enc.get('aggregate'))})")
    return missing


def _views(spec: dict):
    """Every single view inside a (possibly layered or concatenated) spec."""
    yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []):
            yield from _views(sub)
    if "spec" in spec:
        yield from _views(spec["spec"])


# --- Rendering -------------------------------------------------------------
# Charts render as HTML that calls vega-embed. In the built book the libraries
# come from one bundle in _static/ (see tightrope.sphinxext), which also sets
# the VEGA_DEBUG versions that stop Altair's loader from fetching them.
# Element ids are derived from the spec and a counter, not random, so re-running
# a notebook gives identical output (nbval compares it).

_counter = itertools.count(1)


class ScriptSafeJSON(json.JSONEncoder):
    """JSON that cannot end the <script> it is embedded in: data such as a
    source title containing "</script>" stays text."""

    def encode(self, o) -> str:
        return (super().encode(o).replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("&", "\\u0026"))


def _element_id(spec: dict) -> str:
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:10]
    return f"tr-chart-{next(_counter)}-{digest}"


def hide_brushes(spec: dict) -> tuple[dict, str]:
    """A chart with an interval selection, compiled to Vega with its brush marks
    hidden from screen readers (Vega-Lite gives them no label and no way to hide
    them); any other chart, unchanged. Returns the spec and its mode."""
    params = [p for view in _views(spec) for p in view.get("params", [])]
    if not any(isinstance(p.get("select"), dict) and p["select"].get("type") == "interval"
               or p.get("select") == "interval" for p in params):
        return spec, "vega-lite"
    import vl_convert

    minor = ".".join(alt.VEGALITE_VERSION.split(".")[:2])
    vega = vl_convert.vegalite_to_vega(spec, vl_version=minor)
    for mark in _marks(vega):
        if mark.get("name", "").endswith(("_brush", "_brush_bg")):
            mark["aria"] = False
    return vega, "vega"


def _marks(spec: dict):
    for mark in spec.get("marks", []):
        yield mark
        yield from _marks(mark)


def brush_patch(spec: dict) -> list[dict]:
    """JSON Patch operations (RFC 6902) that hide a chart's interval-selection brushes from screen
    readers once vega-embed has compiled it to Vega; none for a chart without a brush.

    The chart stays Vega-Lite, so the browser can still fit it to its column and theme it; there
    _static/tightrope-charts.js hides the brushes by their names, which survives its changes.
    """
    vega, mode = hide_brushes(spec)
    if mode != "vega":
        return []
    operations = []

    def walk(node: dict, path: str):
        for i, mark in enumerate(node.get("marks", [])):
            here = f"{path}/marks/{i}"
            if mark.get("aria") is False and mark.get("name", "").endswith(("_brush", "_brush_bg")):
                operations.append({"op": "add", "path": f"{here}/aria", "value": False})
            walk(mark, here)

    walk(vega, "")
    return operations


class StaticChart:
    """A chart drawn once, as SVG, for a page that needs a picture rather than an interactive chart
    (the landing page): labelled for screen readers with the chart's text description. It is drawn
    twice, in the light and in the dark chart theme; the page's stylesheet shows the one that matches
    the reader's theme (_static/tightrope.css)."""

    def __init__(self, chart: alt.TopLevelMixin):
        import vl_convert

        spec = chart.to_dict()
        # Vega does not wrap a title; a long one would run past the picture's edge.
        title = spec.get("title")
        if isinstance(title, dict) and isinstance(title.get("text"), str) and len(title["text"]) > 60:
            words = title["text"].split()
            half = next(i for i in range(1, len(words) + 1) if len(" ".join(words[:i])) >= len(title["text"]) / 2)
            title["text"] = [" ".join(words[:half]), " ".join(words[half:])]
        minor = ".".join(alt.VEGALITE_VERSION.split(".")[:2])
        self.description = spec.get("description", "")
        label = f'<svg role="img" aria-label="{html.escape(self.description)}" '
        svg = vl_convert.vegalite_to_svg(spec, vl_version=minor)
        self.svg = svg.replace("<svg ", label, 1)
        dark_svg = vl_convert.vegalite_to_svg(dark_spec(spec), vl_version=minor)
        self.dark_svg = dark_svg.replace("<svg ", label, 1)

    def _repr_html_(self) -> str:
        return (f'<figure class="tr-static-chart"><div class="tr-static-light">{self.svg}</div>'
                f'<div class="tr-static-dark">{self.dark_svg}</div></figure>')


def _recolour(node, colours: dict):
    """``node`` with its fixed colours swapped for their dark-page ones; the data is left alone
    (as _static/tightrope-charts.js does in the browser)."""
    if isinstance(node, str):
        return colours.get(node.lower(), node)
    if isinstance(node, list):
        return [_recolour(item, colours) for item in node]
    if isinstance(node, dict):
        return {key: value if key in ("datasets", "data", "values") else _recolour(value, colours)
                for key, value in node.items()}
    return node


def _merge(target: dict, source: dict) -> dict:
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
    return target


def dark_spec(spec: dict) -> dict:
    """The chart spec in the book's dark chart theme."""
    dark = _recolour(spec, DARK_COLOURS)
    dark["config"] = _merge(dict(dark.get("config", {})), dark_config())
    return dark


def render(spec: dict, **metadata) -> dict:
    """Altair renderer: the chart, then its text description, as one HTML block."""
    element_id = _element_id(spec)
    description = spec.get("description", "")
    title = spec.get("title", {})
    patch = brush_patch(spec)
    options = {"renderer": "svg", "actions": False,
               # Read by _static/tightrope-charts.js (fitting the column, the dark theme); vega-embed
               # ignores the key.
               "tightrope": {"dark": dark_config(), "recolour": DARK_COLOURS, "minText": MIN_TEXT}}
    if patch:
        options["patch"] = patch
    chart_html = spec_to_html(
        spec,
        mode="vega-lite",
        vega_version=alt.VEGA_VERSION,
        vegaembed_version=alt.VEGAEMBED_VERSION,
        vegalite_version=alt.VEGALITE_VERSION,
        output_div=element_id,
        embed_options=options,
        json_kwds={"cls": ScriptSafeJSON},
        fullhtml=False,
        requirejs=False,
        template="universal",
    )
    label = title.get("text", "Chart") if isinstance(title, dict) else str(title)
    block = (
        f'<figure class="tr-chart" aria-label="{html.escape(label)}">\n{chart_html}\n'
        '<details class="tr-chart-description"><summary>Text description of this chart</summary>\n'
        f"<p>{html.escape(description)}</p></details>\n</figure>"
    )
    return {"text/html": block, "text/plain": f"<Chart: {label}>"}


alt.renderers.register("tightrope", render)
alt.renderers.enable("tightrope")
