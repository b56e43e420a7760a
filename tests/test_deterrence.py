"""Tests for the chapter 3 cost-benefit model and its interactive chart.

The chart computes the model in the browser (Vega expressions), the package in
Python. The rendering tests draw the chart with vl-convert at chosen slider
positions and read the numbers back from the SVG, so a change to one formula
but not the other fails here.
"""

import math
import re

import pytest
import vl_convert as vlc

from tightrope import deterrence as d


# --- The model ---------------------------------------------------------------

def test_net_value_is_value_minus_expected_cost():
    assert d.expected_net_value(3, 0.5, 4) == pytest.approx(1.0)
    assert d.expected_net_value(3, 0.5, 8) == pytest.approx(-1.0)
    assert d.expected_net_value(3, 0.5, 8, backlash_gain=2) == pytest.approx(0.0)


def test_threshold_cost_separates_deterred_from_not():
    v, p, b = 3.0, 0.4, 1.0
    c_star = d.cost_threshold(v, p, b)
    assert c_star == pytest.approx(8.5)
    assert d.expected_net_value(v, p, c_star, b) == pytest.approx(0.0)
    assert d.is_deterred(v, p, c_star + 0.01, b)
    assert not d.is_deterred(v, p, c_star - 0.01, b)


def test_credibility_threshold_separates_deterred_from_not():
    p_star = d.credibility_threshold(3, 6)
    assert p_star == pytest.approx(0.5)
    assert d.is_deterred(3, p_star + 0.01, 6)
    assert not d.is_deterred(3, p_star - 0.01, 6)
    # A cost too small for any credibility to deter.
    assert d.credibility_threshold(3, 2) > 1
    assert not d.is_deterred(3, 1.0, 2)


def test_no_retaliation_means_no_deterrence():
    assert d.cost_threshold(3, 0) == math.inf
    assert not any(d.is_deterred(3, 0, c) for c in range(0, 101, 10))


def test_indifference_is_not_deterrence():
    # Nothing gained, nothing risked: net value 0, so not counted as deterred.
    assert d.expected_net_value(0, 0, 5) == 0
    assert not d.is_deterred(0, 0, 5)
    assert d.is_deterred(0, 0.1, 5)


def test_backlash_at_least_the_cost_defeats_deterrence():
    assert d.credibility_threshold(1, 3, backlash_gain=3) == math.inf
    assert not d.is_deterred(1, 1.0, 3, backlash_gain=4)


@pytest.mark.parametrize("args, name", [
    ((3, 1.5, 4), "p_retaliation"),
    ((3, -0.1, 4), "p_retaliation"),
    ((-1, 0.5, 4), "attack_value"),
    ((3, 0.5, -2), "cost_imposed"),
    ((3, 0.5, float("nan")), "cost_imposed"),
    (("3", 0.5, 4), "attack_value"),
    ((3, True, 4), "p_retaliation"),
])
def test_bad_inputs_name_the_parameter(args, name):
    with pytest.raises(ValueError, match=name):
        d.expected_net_value(*args)


def test_curve_falls_with_cost_and_labels_outcomes_by_sign():
    curve = d.net_value_curve(3, 0.5)
    assert list(curve.columns) == ["cost", "net_value", "outcome"]
    assert curve.cost.min() == d.COST_RANGE[0] and curve.cost.max() == pytest.approx(d.COST_RANGE[1])
    assert curve.net_value.is_monotonic_decreasing
    assert ((curve.net_value < 0) == (curve.outcome == "Deterred")).all()
    # With p = 0.5 and V = 3 the switch happens at C = 6.
    assert curve.loc[curve.cost > 6.05, "outcome"].eq("Deterred").all()
    assert curve.loc[curve.cost < 5.95, "outcome"].eq("Not deterred").all()


def test_grid_depends_on_the_product_of_probability_and_cost():
    grid = d.deterrence_grid(2.0, step_cost=0.5, step_p=0.1)
    deterred = grid[grid.outcome == "Deterred"]
    assert ((deterred.p_retaliation * deterred.cost) > 2.0).all()
    assert ((grid.p_retaliation * grid.cost > 2.0 + 1e-9) == (grid.outcome == "Deterred")).all()


# --- The interactive chart ---------------------------------------------------

def _svg(start: dict) -> str:
    return vlc.vegalite_to_svg(d.interactive_chart(start).to_dict())


def _number(text: str) -> float:
    # d3-format writes negative numbers with a Unicode minus sign.
    return float(text.replace("\u2212", "-"))


def _readout(svg: str) -> tuple[float, str]:
    m = re.search(r"At this cost: net value ([\u2212\-]?[0-9.]+) \((Deterred|Not deterred)\)", svg)
    assert m, "the chart's readout text is missing"
    return _number(m.group(1)), m.group(2)


def _threshold_label(svg: str):
    m = re.search(r"threshold cost ([0-9.]+)", svg)
    return float(m.group(1)) if m else None


POSITIONS = [
    d.DEFAULTS,
    {"attack_value": 3.0, "p_retaliation": 0.9, "cost_imposed": 7.0, "backlash_gain": 1.5},
    {"attack_value": 8.0, "p_retaliation": 0.25, "cost_imposed": 10.0, "backlash_gain": 0.0},
    {"attack_value": 1.0, "p_retaliation": 0.0, "cost_imposed": 9.5, "backlash_gain": 0.0},
    {"attack_value": 0.5, "p_retaliation": 1.0, "cost_imposed": 2.0, "backlash_gain": 5.0},
]


@pytest.mark.parametrize("start", POSITIONS)
def test_chart_readout_matches_python(start):
    svg = _svg(start)
    shown, outcome = _readout(svg)
    expected = d.expected_net_value(**start)
    assert shown == pytest.approx(round(expected, 2), abs=0.005)
    assert outcome == ("Deterred" if d.is_deterred(**start) else "Not deterred")


@pytest.mark.parametrize("start", POSITIONS)
def test_chart_threshold_matches_python(start):
    threshold = d.cost_threshold(start["attack_value"], start["p_retaliation"], start["backlash_gain"])
    shown = _threshold_label(_svg(start))
    if threshold <= d.COST_RANGE[1]:
        assert shown == pytest.approx(threshold, abs=0.005)
    else:
        assert shown is None, "the threshold line must be hidden when it falls off the chart"


@pytest.mark.parametrize("start", POSITIONS[:3])
def test_chart_grid_colours_match_python(start):
    svg = _svg(start)
    cells = re.findall(r'aria-roledescription="rect mark"[^>]*fill="(#[0-9A-Fa-f]{6})"', svg)
    grid = d.deterrence_grid(start["attack_value"], start["backlash_gain"], d.GRID_STEP_COST, d.GRID_STEP_P)
    inside = grid[(grid.cost + d.GRID_STEP_COST <= d.COST_RANGE[1] + 1e-9)
                  & (grid.p_retaliation + d.GRID_STEP_P <= d.P_RANGE[1] + 1e-9)]
    assert len(cells) == len(inside)
    deterred_colour = d.OUTCOME_COLOURS[0].upper()
    assert sum(c.upper() == deterred_colour for c in cells) == (inside.outcome == "Deterred").sum()


def test_chart_has_one_slider_per_input_with_documented_ranges():
    spec = d.interactive_chart().to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == set(d.DEFAULTS)
    ranges = {"attack_value": d.VALUE_RANGE, "p_retaliation": d.P_RANGE,
              "cost_imposed": d.COST_RANGE, "backlash_gain": d.BACKLASH_RANGE}
    for name, (lo, hi) in ranges.items():
        bind = params[name]["bind"]
        assert bind["input"] == "range" and (bind["min"], bind["max"]) == (lo, hi)
        assert params[name]["value"] == d.DEFAULTS[name]


def test_chart_is_finished_with_title_and_description():
    spec = d.interactive_chart().to_dict()
    assert spec["title"]["text"]
    assert any(line.startswith("Source:") for line in spec["title"]["subtitle"])
    assert "threshold" in spec["description"]


def test_chart_rejects_unknown_or_out_of_range_start():
    with pytest.raises(ValueError, match="unknown model input"):
        d.interactive_chart({"credibility": 0.5})
    with pytest.raises(ValueError, match="cost_imposed"):
        d.interactive_chart({"cost_imposed": 11})
