"""The chart conventions: finish() enforces them, the renderer is offline and
deterministic, and the palette stays distinguishable under colour-vision deficiency."""

from __future__ import annotations

import itertools

import altair as alt
import numpy as np
import pandas as pd
import pytest

from tightrope import charts

FRAME = pd.DataFrame({"month": ["2019-10", "2019-11"], "attacks": [2, 5]})


def bar(**encoding):
    return alt.Chart(FRAME).mark_bar().encode(**encoding)


TITLED = dict(x=alt.X("month:N", title="Month"), y=alt.Y("attacks:Q", title="Attacks (count)"))


def test_finish_adds_title_source_and_description():
    spec = charts.finish(bar(**TITLED), title="Attacks", source="data/incidents.csv",
                         description="Two bars.", subtitle="By month").to_dict()
    assert spec["title"]["text"] == "Attacks"
    assert spec["title"]["subtitle"] == ["By month", "Source: data/incidents.csv"]
    assert spec["description"] == "Two bars."


@pytest.mark.parametrize("missing", ["title", "source", "description"])
def test_finish_refuses_a_blank_part(missing):
    parts = dict(title="T", source="S", description="D")
    parts[missing] = "  "
    with pytest.raises(ValueError, match=missing):
        charts.finish(bar(**TITLED), **parts)


def test_finish_refuses_an_axis_without_a_title():
    with pytest.raises(ValueError, match=r"y \(attacks\)"):
        charts.finish(bar(x=alt.X("month:N", title="Month"), y="attacks:Q"),
                      title="T", source="S", description="D")


def test_finish_looks_inside_layers():
    layered = bar(**TITLED) + alt.Chart(FRAME).mark_rule().encode(y="mean(attacks):Q")
    with pytest.raises(ValueError, match="attacks"):
        charts.finish(layered, title="T", source="S", description="D")


def test_an_axis_switched_off_needs_no_title():
    chart = bar(x=alt.X("month:N", axis=None), y=alt.Y("attacks:Q", title="Attacks (count)"))
    charts.finish(chart, title="T", source="S", description="D")


def test_render_is_deterministic_offline_html_with_escaped_description():
    spec = charts.finish(bar(**TITLED), title="T", source="S",
                         description="<script>alert(1)</script> & more").to_dict()
    first, second = charts.render(spec)["text/html"], charts.render(spec)["text/html"]
    ids = [html.split('id="')[1].split('"')[0] for html in (first, second)]
    assert ids[0] != ids[1] and ids[0].rsplit("-", 1)[1] == ids[1].rsplit("-", 1)[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in first
    assert "<script>alert(1)</script>" not in first
    assert '"renderer": "svg"' in first


# --- Colour-vision deficiency -------------------------------------------------
# Each palette colour is passed through Machado, Oliveira & Fernandes' (2009)
# simulation of full protanopia, deuteranopia and tritanopia (matrices on linear
# RGB), converted to CIELAB, and every pair must stay at least 15 units apart
# (CIE76). About 2.3 is a just-noticeable difference; 15 keeps categories
# distinguishable at a glance for small marks. The test also shows the check
# rejects a palette that relies on red against green.

SIMULATIONS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
MIN_DISTANCE = 15


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def cielab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest_pair(palette: list[str], simulation: str) -> float:
    matrix = np.array(SIMULATIONS[simulation])
    lab = [cielab(matrix @ linear_rgb(c)) for c in palette]
    return min(np.linalg.norm(a - b) for a, b in itertools.combinations(lab, 2))


@pytest.mark.parametrize("simulation", SIMULATIONS)
def test_the_palette_survives_colour_vision_deficiency(simulation):
    assert closest_pair(charts.PALETTE, simulation) >= MIN_DISTANCE


def test_the_check_rejects_a_red_green_palette():
    red_green = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]  # a common default
    assert closest_pair(red_green, "deuteranopia") < MIN_DISTANCE


def test_a_brush_is_hidden_from_screen_readers_and_other_charts_stay_vega_lite():
    brush = alt.selection_interval(encodings=["x"], name="period")
    strip = charts.finish(bar(**TITLED).add_params(brush), title="T", source="S", description="D")
    vega, mode = charts.hide_brushes(strip.to_dict())
    assert mode == "vega"
    brush_marks = [m for m in charts._marks(vega) if m.get("name", "").endswith(("_brush", "_brush_bg"))]
    assert brush_marks and all(m["aria"] is False for m in brush_marks)
    plain = charts.finish(bar(**TITLED), title="T", source="S", description="D").to_dict()
    assert charts.hide_brushes(plain) == (plain, "vega-lite")


def test_a_subtitle_may_have_several_lines():
    spec = charts.finish(bar(**TITLED), title="T", source="S", description="D",
                         subtitle=["first line", "second line"]).to_dict()
    assert spec["title"]["subtitle"] == ["first line", "second line", "Source: S"]


def test_a_static_chart_is_svg_labelled_with_its_text_description():
    import altair as alt
    import pandas as pd

    from tightrope import charts as C
    chart = C.finish(alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_point().encode(
        x=alt.X("x:Q", title="X (count)"), y=alt.Y("y:Q", title="Y (count)")),
        title="T", source="S", description="Two points, <rising>.")
    html = C.StaticChart(chart)._repr_html_()
    assert html.startswith('<figure class="tr-static-chart"><div class="tr-static-light"><svg role="img" '
                           'aria-label="Two points, &lt;rising&gt;."')
    assert "<script" not in html
    # A second drawing in the dark chart theme, with the same label, for the dark page.
    dark = html[html.index('<div class="tr-static-dark">'):]
    assert dark.startswith('<div class="tr-static-dark"><svg role="img" aria-label="Two points, &lt;rising&gt;."')
    assert C.dark_config()["title"]["color"] in dark and C.dark_config()["title"]["color"] not in html[:html.index(dark)]
