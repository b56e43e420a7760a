"""A simple cost-benefit model of an attacker's choice (chapter 3).

The model asks one question: does attacking pay, in expectation, for the
attacker? Four quantities, all in the same arbitrary "value units":

- ``attack_value`` (V): what the attacker gains by attacking (pressure on the
  United States, standing with its patron, local prestige);
- ``p_retaliation`` (p): the attacker's estimate of the chance that the
  defender retaliates, between 0 and 1 (this is what "credibility" means here);
- ``cost_imposed`` (C): the damage a retaliation does to the attacker;
- ``backlash_gain`` (B): what the attacker gains *from being hit*, for example
  sympathy or a parliamentary vote against the defender (0 by default).

Expected net value of attacking, compared with not attacking::

    N = V - p * (C - B)

Deterrence holds when N < 0: attacking is expected to leave the attacker worse
off. At N == 0 the attacker is indifferent and the model does not count that as
deterrence. The same formula is written twice: in Python (:func:`expected_net_value`)
and as a Vega expression (:data:`NET_VALUE_EXPR`) for the interactive chart, which
runs in the reader's browser without a Python kernel. ``tests/test_deterrence.py``
renders the chart and checks that both give the same numbers.

The model is deliberately small. It treats the attacker as one rational actor
with a single payoff, ignores time, repetition and reputation, and says nothing
about how the numbers could be measured. Chapter 3 discusses what that leaves out.
"""

from __future__ import annotations

import math
from numbers import Real

import altair as alt
import numpy as np
import pandas as pd

from tightrope import charts

# Slider ranges, shared by the Python checks and the chart.
VALUE_RANGE = (0.0, 10.0)
P_RANGE = (0.0, 1.0)
COST_RANGE = (0.0, 10.0)
BACKLASH_RANGE = (0.0, 5.0)

# Starting position of the sliders: a moderately valuable attack, a defender
# believed to retaliate half the time, a modest cost, no backlash gain.
DEFAULTS = {"attack_value": 3.0, "p_retaliation": 0.5, "cost_imposed": 4.0, "backlash_gain": 0.0}

# The model as Vega expressions (parameter names as in DEFAULTS; `datum.cost` is
# the cost on the chart's x axis). Keep these in step with the Python functions.
def net_value_expr(cost: str = "datum.cost", p: str = "p_retaliation") -> str:
    """The net value V - p * (C - B) as a Vega expression over the slider parameters."""
    return f"attack_value - {p} * ({cost} - backlash_gain)"


NET_VALUE_EXPR = net_value_expr()
THRESHOLD_EXPR = "p_retaliation > 0 ? backlash_gain + attack_value / p_retaliation : null"

# Resolution of the bottom panel's grid of (cost, probability) cells.
GRID_STEP_COST = 0.25
GRID_STEP_P = 0.025

OUTCOMES = ["Deterred", "Not deterred"]
OUTCOME_COLOURS = [charts.PALETTE[2], charts.PALETTE[5]]  # bluish green, vermillion


def _check(name: str, x, low: float, high: float | None = None) -> float:
    """Return x as a float, or raise ValueError naming the bad parameter."""
    if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x!r}")
    if x < low or (high is not None and x > high):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"{name} must be {bounds}, got {x!r}")
    return float(x)


def expected_net_value(attack_value: float, p_retaliation: float, cost_imposed: float,
                       backlash_gain: float = 0.0) -> float:
    """Expected net value of attacking: V - p * (C - B).

    Negative means attacking is expected to leave the attacker worse off.
    """
    v = _check("attack_value", attack_value, 0)
    p = _check("p_retaliation", p_retaliation, 0, 1)
    c = _check("cost_imposed", cost_imposed, 0)
    b = _check("backlash_gain", backlash_gain, 0)
    return v - p * (c - b)


def is_deterred(attack_value: float, p_retaliation: float, cost_imposed: float,
                backlash_gain: float = 0.0) -> bool:
    """True when attacking has a strictly negative expected net value."""
    return expected_net_value(attack_value, p_retaliation, cost_imposed, backlash_gain) < 0


def cost_threshold(attack_value: float, p_retaliation: float, backlash_gain: float = 0.0) -> float:
    """The cost at which attacking stops paying: C* = B + V / p.

    Any cost above C* deters. Returns ``math.inf`` when p is 0: if the attacker
    is sure there will be no retaliation, no threatened cost deters.
    """
    v = _check("attack_value", attack_value, 0)
    p = _check("p_retaliation", p_retaliation, 0, 1)
    b = _check("backlash_gain", backlash_gain, 0)
    return math.inf if p == 0 else b + v / p


def credibility_threshold(attack_value: float, cost_imposed: float, backlash_gain: float = 0.0) -> float:
    """The probability of retaliation above which attacking stops paying: p* = V / (C - B).

    A result above 1 (or ``math.inf`` when C <= B) means that no degree of
    credibility deters at this cost: the threatened cost is too small.
    """
    v = _check("attack_value", attack_value, 0)
    c = _check("cost_imposed", cost_imposed, 0)
    b = _check("backlash_gain", backlash_gain, 0)
    return math.inf if c <= b else v / (c - b)


def net_value_curve(attack_value: float, p_retaliation: float, backlash_gain: float = 0.0,
                    costs=None) -> pd.DataFrame:
    """Expected net value of attacking across a range of imposed costs.

    Returns one row per cost with columns ``cost``, ``net_value`` and
    ``outcome`` ("Deterred" or "Not deterred"). ``costs`` defaults to the
    chart's range in steps of 0.1.
    """
    if costs is None:
        costs = np.round(np.arange(COST_RANGE[0], COST_RANGE[1] + 1e-9, 0.1), 10)
    rows = []
    for c in costs:
        n = expected_net_value(attack_value, p_retaliation, float(c), backlash_gain)
        rows.append({"cost": float(c), "net_value": n, "outcome": OUTCOMES[0] if n < 0 else OUTCOMES[1]})
    return pd.DataFrame(rows, columns=["cost", "net_value", "outcome"])


def deterrence_grid(attack_value: float, backlash_gain: float = 0.0, step_cost: float = 0.25,
                    step_p: float = 0.025) -> pd.DataFrame:
    """Outcome for every (cost, probability) pair on a grid, for one attack value.

    Columns ``cost``, ``p_retaliation``, ``net_value``, ``outcome``. Useful to
    see that deterrence depends on the product p * C, not on either alone.
    """
    costs = np.round(np.arange(COST_RANGE[0], COST_RANGE[1] + 1e-9, step_cost), 10)
    probs = np.round(np.arange(P_RANGE[0], P_RANGE[1] + 1e-9, step_p), 10)
    rows = []
    for p in probs:
        for c in costs:
            n = expected_net_value(attack_value, float(p), float(c), backlash_gain)
            rows.append({"cost": float(c), "p_retaliation": float(p), "net_value": n,
                         "outcome": OUTCOMES[0] if n < 0 else OUTCOMES[1]})
    return pd.DataFrame(rows)


# --- The interactive chart --------------------------------------------------

def _sliders(start: dict) -> dict[str, alt.Parameter]:
    """One slider per model input; Vega-Lite draws them under the chart."""
    spec = {
        "attack_value": (VALUE_RANGE, 0.5, "Value of attacking to the attacker (units) "),
        "p_retaliation": (P_RANGE, 0.05, "Probability the US retaliates "),
        "cost_imposed": (COST_RANGE, 0.5, "Cost a retaliation imposes (units) "),
        "backlash_gain": (BACKLASH_RANGE, 0.5, "Attacker's gain from being hit (units) "),
    }
    return {
        name: alt.param(name=name, value=start[name],
                        bind=alt.binding_range(min=lo, max=hi, step=step, name=label))
        for name, ((lo, hi), step, label) in spec.items()
    }


def _outcome_colour() -> alt.Color:
    return alt.Color("outcome:N", title="Outcome for the attacker",
                     scale=alt.Scale(domain=OUTCOMES, range=OUTCOME_COLOURS),
                     legend=alt.Legend(orient="top", titleLimit=300))


def _net_value_panel(params: dict) -> alt.LayerChart:
    """Net value of attacking against the imposed cost, with the threshold marked."""
    y_domain = [-(VALUE_RANGE[1]), VALUE_RANGE[1] + BACKLASH_RANGE[1]]
    x = alt.X("cost:Q", title="Cost a retaliation imposes on the attacker (value units)",
              scale=alt.Scale(domain=list(COST_RANGE)))
    y = alt.Y("net_value:Q", title="Expected net value of attacking (value units)",
              scale=alt.Scale(domain=y_domain))
    curve = (
        alt.Chart(alt.sequence(COST_RANGE[0], COST_RANGE[1] + 0.05, 0.1, as_="cost"))
        .transform_calculate(net_value=NET_VALUE_EXPR)
        .mark_line(color=charts.PALETTE[0], strokeWidth=2.5)
        .encode(x=x, y=y, tooltip=[alt.Tooltip("cost:Q", format=".1f", title="Cost imposed"),
                                   alt.Tooltip("net_value:Q", format=".2f", title="Net value of attacking")])
    )
    zero = alt.Chart(pd.DataFrame({"net_value": [0.0]})).mark_rule(color="#555555", strokeDash=[4, 3]).encode(
        y=alt.Y("net_value:Q", title="Expected net value of attacking (value units)"))
    # The threshold cost C* (hidden when p = 0 or when it falls off the chart).
    threshold_row = (
        alt.Chart(pd.DataFrame({"row": [0]}))
        .transform_calculate(threshold=THRESHOLD_EXPR)
        .transform_filter(f"isValid(datum.threshold) && datum.threshold <= {COST_RANGE[1]}")
    )
    threshold = threshold_row.mark_rule(color=charts.PALETTE[6], strokeWidth=1.5).encode(
        x=alt.X("threshold:Q", title="Cost a retaliation imposes on the attacker (value units)"))
    threshold_label = (
        threshold_row.transform_calculate(label="'threshold cost ' + format(datum.threshold, '.2f')")
        .mark_text(align="left", dx=4, y=36, fontSize=12)
        .encode(x=alt.X("threshold:Q", title="Cost a retaliation imposes on the attacker (value units)"),
                text="label:N")
    )
    # The current position of the cost slider, coloured by the outcome.
    current_row = (
        alt.Chart(pd.DataFrame({"row": [0]}))
        .transform_calculate(cost="cost_imposed")
        .transform_calculate(net_value=NET_VALUE_EXPR)
        .transform_calculate(outcome=f"datum.net_value < 0 ? '{OUTCOMES[0]}' : '{OUTCOMES[1]}'")
    )
    current = current_row.mark_point(size=160, filled=True, opacity=1).encode(
        x=x, y=y, color=_outcome_colour(),
        shape=alt.Shape("outcome:N", title="Outcome for the attacker", legend=alt.Legend(orient="top", titleLimit=300),
                        scale=alt.Scale(domain=OUTCOMES, range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("cost:Q", format=".1f", title="Cost imposed"),
                 alt.Tooltip("net_value:Q", format=".2f", title="Net value of attacking"),
                 alt.Tooltip("outcome:N", title="Outcome")])
    readout = current_row.transform_calculate(
        label="'At this cost: net value ' + format(datum.net_value, '.2f') + ' (' + datum.outcome + ')'"
    ).mark_text(align="left", x=8, y=12, fontSize=13, fontWeight="bold").encode(
        text="label:N", color=_outcome_colour())
    return alt.layer(zero, curve, threshold, threshold_label, current, readout)


def _grid_panel(params: dict) -> alt.LayerChart:
    """Where deterrence holds in the (cost, probability) plane, for the current V and B."""
    # Cell corners only; the outcome is recomputed in the browser from the sliders.
    grid = deterrence_grid(DEFAULTS["attack_value"], DEFAULTS["backlash_gain"], GRID_STEP_COST, GRID_STEP_P)
    grid = grid[["cost", "p_retaliation"]].assign(cost_end=lambda g: g.cost + GRID_STEP_COST,
                                                  p_end=lambda g: g.p_retaliation + GRID_STEP_P)
    # Keep the cells inside the axes (the grid's last row and column start at the maximum).
    grid = grid[(grid.cost_end <= COST_RANGE[1] + 1e-9) & (grid.p_end <= P_RANGE[1] + 1e-9)]
    x = alt.X("cost:Q", title="Cost a retaliation imposes on the attacker (value units)",
              scale=alt.Scale(domain=list(COST_RANGE)))
    y = alt.Y("p_retaliation:Q", title="Probability the US retaliates (0 to 1)",
              scale=alt.Scale(domain=list(P_RANGE)))
    cells = (
        alt.Chart(grid)
        .transform_calculate(net_value=net_value_expr(p="datum.p_retaliation"))
        .transform_calculate(outcome=f"datum.net_value < 0 ? '{OUTCOMES[0]}' : '{OUTCOMES[1]}'")
        .mark_rect(opacity=0.6)
        .encode(x=x, x2="cost_end:Q", y=y, y2="p_end:Q", color=_outcome_colour(),
                tooltip=[alt.Tooltip("cost:Q", format=".2f", title="Cost imposed"),
                         alt.Tooltip("p_retaliation:Q", format=".3f", title="Probability of retaliation"),
                         alt.Tooltip("net_value:Q", format=".2f", title="Net value of attacking")])
    )
    here = (
        alt.Chart(pd.DataFrame({"row": [0]}))
        .transform_calculate(cost="cost_imposed", p_retaliation="p_retaliation")
        .mark_point(shape="cross", size=260, filled=True, color="#000000")
        .encode(x=x, y=y, tooltip=[alt.Tooltip("cost:Q", title="Cost imposed (current)"),
                                   alt.Tooltip("p_retaliation:Q", title="Probability (current)")])
    )
    return alt.layer(cells, here)


def interactive_chart(start: dict | None = None) -> alt.VConcatChart:
    """The chapter 3 chart: two linked views driven by four sliders.

    Top: expected net value of attacking across imposed costs, the threshold
    cost C* marked, and the current slider position as a point. Bottom: the
    region of (cost, probability) pairs where deterrence holds. ``start``
    overrides the starting slider positions (keys as in :data:`DEFAULTS`).
    """
    start = {**DEFAULTS, **(start or {})}
    unknown = set(start) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown model input(s) {sorted(unknown)}; expected {sorted(DEFAULTS)}")
    for name, (lo, hi) in (("attack_value", VALUE_RANGE), ("p_retaliation", P_RANGE),
                           ("cost_imposed", COST_RANGE), ("backlash_gain", BACKLASH_RANGE)):
        _check(name, start[name], lo, hi)
    params = _sliders(start)
    top = _net_value_panel(params).properties(width=580, height=260)
    bottom = _grid_panel(params).properties(width=580, height=220)
    chart = alt.vconcat(top, bottom).add_params(*params.values()).resolve_scale(color="shared")
    return charts.finish(
        chart,
        title="When does attacking stop paying?",
        subtitle="Move the sliders below the chart. Value units are arbitrary; only comparisons matter.",
        source="model in tightrope/deterrence.py: net value = V - p x (C - B); no data",
        description=(
            "Two linked panels of a cost-benefit model, driven by four sliders. The top panel plots the "
            "attacker's expected net value of attacking (vertical axis) against the cost a retaliation "
            "imposes (horizontal axis, 0 to 10 units); a dashed line marks zero, a vertical line marks "
            "the threshold cost above which attacking no longer pays, and a point marks the current cost. "
            f"With the starting values (value of attacking {start['attack_value']:g}, probability of "
            f"retaliation {start['p_retaliation']:g}, cost {start['cost_imposed']:g}, backlash gain "
            f"{start['backlash_gain']:g}) the net value is "
            f"{expected_net_value(**start):.2f} and the threshold cost is "
            f"{_fmt(cost_threshold(start['attack_value'], start['p_retaliation'], start['backlash_gain']))}. "
            "The bottom panel colours every combination of cost and probability by whether it deters: "
            "the deterred region lies above and to the right of a curve, so a likely small cost and an "
            "unlikely large cost can deter equally."
        ),
    )


def _fmt(x: float) -> str:
    return "infinite (no cost deters)" if math.isinf(x) else f"{x:.2f}"
