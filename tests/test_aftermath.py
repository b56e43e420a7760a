"""Tests for tightrope.aftermath on small hand-made tables whose answers are known.

Each test builds the few rows it needs, so the expected numbers can be checked
by eye. A last group runs the functions on the real data package, when present,
to catch a schema drift between the loader and this module.
"""

import pandas as pd
import pytest

from tightrope import aftermath as af
from tightrope import attacks as A
from tightrope import timeline as T


def incidents(rows):
    """rows: (id, date, kind, site, projectiles_high[, precision][, killed_us])."""
    out = []
    for r in rows:
        id_, date, kind, site, high = r[:5]
        precision = r[5] if len(r) > 5 else "day"
        killed = r[6] if len(r) > 6 else pd.NA
        out.append({"id": id_, "date": pd.Timestamp(date), "date_precision": precision, "kind": kind,
                    "site": site, "projectiles_low": high, "projectiles_high": high,
                    "killed_us": killed, "killed_iraqi": pd.NA})
    frame = pd.DataFrame(out)
    for c in ("projectiles_low", "projectiles_high", "killed_us", "killed_iraqi"):
        frame[c] = frame[c].astype("Int64")
    return frame


def events(rows):
    """rows: (id, date, category, title[, precision])."""
    return pd.DataFrame([{"id": r[0], "date": pd.Timestamp(r[1]), "category": r[2], "title": r[3],
                          "date_precision": r[4] if len(r) > 4 else "day"} for r in rows])


INC = incidents([
    ("a1", "2019-12-01", "indirect fire", "taji", 3),
    ("a2", "2019-12-20", "indirect fire", "k-1", 30),
    ("a3", "2019-12-29", "indirect fire", "taji", 4),
    ("a4", "2020-01-05", "indirect fire", "green-zone", 3),
    ("a5", "2020-01-20", "indirect fire", "green-zone", None),
    ("a6", "2020-01-01", "indirect fire", "balad", 2, "month"),   # month-only
    ("f1", "2019-12-25", "foiled", "taji", 10),                   # not an attack
    ("c1", "2020-01-10", "convoy attack", "unknown", None),       # not indirect fire
    ("a7", "2020-03-11", "indirect fire", "taji", 18, "day", 2),
])
EV = events([
    ("e1", "2019-05-07", "us-warning", "Warning"),
    ("e2", "2019-12-29", "us-strike", "Strikes on KH"),
    ("e3", "2020-03-12", "us-strike", "Strikes after Taji"),
    ("e4", "2020-03-15", "drawdown", "Al-Qaim left", "month"),
    ("e5", "2020-03-26", "drawdown", "Q-West handed over"),
    ("e6", "2020-03-29", "drawdown", "K-1 handed over"),
])


def test_select_attacks_keeps_only_indirect_fire_in_window():
    rows = A.attacks(INC, start="2019-12-01", end="2019-12-31")
    assert list(rows["id"]) == ["a1", "a2", "a3"]
    assert "c1" in list(A.attacks(INC, kinds=("convoy attack",))["id"])


def test_window_counts_split_before_same_day_after_and_month_only():
    counts = af.window_counts(INC, "2019-12-29", days=30)
    # Before: 1 and 20 Dec; same day: 29 Dec; after: 5 and 20 Jan (the month-only
    # January attack cannot be placed and is counted apart).
    assert counts == {"before": 2, "same_day": 1, "after": 2, "month_only": 1}
    # January overlaps a 7-day window too; a 2-day window ends on 31 December.
    assert af.window_counts(INC, "2019-12-29", days=7) == {"before": 0, "same_day": 1, "after": 1, "month_only": 1}
    assert af.window_counts(INC, "2019-12-29", days=2)["month_only"] == 0


def test_window_counts_rejects_bad_days_and_dates():
    with pytest.raises(ValueError, match="days"):
        af.window_counts(INC, "2019-12-29", days=0)
    with pytest.raises(ValueError, match="not a date"):
        af.window_counts(INC, "29/13/2019")


def test_days_to_next_attack():
    assert af.days_to_next_attack(INC, "2019-12-29") == 0
    assert af.days_to_next_attack(INC, "2019-12-29", include_same_day=False) == 7
    assert af.days_to_next_attack(INC, "2020-03-12") is None


def test_strike_response_table():
    table = af.strike_response_table(INC, EV, days=30)
    assert list(table["id"]) == ["e2", "e3"]
    first = table.iloc[0]
    assert (first.before, first.same_day, first.after, first.change, first.next_attack_days) == (2, 1, 2, 0, 0)
    second = table.iloc[1]
    # 11 Mar Taji is the day before the 12 Mar strike; nothing follows.
    assert (second.before, second.after) == (1, 0) and pd.isna(second.next_attack_days)


def test_unknown_category_is_named():
    with pytest.raises(ValueError, match="no events of category us-strikes"):
        T.events_between(EV, categories=["us-strikes"])


def test_event_on_requires_exactly_one():
    assert af.strike_event(EV, "2019-12-29")["id"] == "e2"
    with pytest.raises(ValueError, match="found none"):
        af.strike_event(EV, "2019-12-30")


def test_monthly_attacks_fills_zeros_and_runs_totals():
    monthly = af.monthly_attacks(INC, years=(2019, 2020))
    assert len(monthly) == 24
    dec19 = monthly[(monthly.year == "2019") & (monthly.month == 12)].iloc[0]
    assert dec19.attacks == 3 and dec19.cumulative == 3
    jan20 = monthly[(monthly.year == "2020") & (monthly.month == 1)].iloc[0]
    assert jan20.attacks == 3  # 5 Jan, 20 Jan, and the month-only attack
    assert monthly[monthly.year == "2020"]["cumulative"].iloc[-1] == 4
    assert monthly[(monthly.year == "2020") & (monthly.month == 2)]["attacks"].iloc[0] == 0


def test_period_totals_counts_attacks_and_deaths():
    totals = af.period_totals(INC, {"Dec 2019": ("2019-12-01", "2019-12-31"),
                                    "Q1 2020": ("2020-01-01", "2020-03-31")})
    dec, q1 = totals.iloc[0], totals.iloc[1]
    assert (dec.attacks, dec.days, dec.killed) == (3, 31, 0)
    assert (q1.attacks, q1.killed, q1.attacks_with_deaths) == (4, 2, 1)
    with pytest.raises(ValueError, match="ends before it starts"):
        af.period_totals(INC, {"bad": ("2020-02-01", "2020-01-01")})


def test_estimates_for_and_missing_subject():
    est = pd.DataFrame({"subject": ["e2", "e2", "e2", "x"], "quantity": ["killed", "killed", "wounded", "killed"],
                        "value": [25, 28, 55, 1], "qualifier": ["exactly", "about", "at least", "exactly"],
                        "given_by": ["Reuters", "Ministry", "Reuters", "Other"]})
    table = af.estimates_for(est, "e2", quantities=("killed",))
    assert list(table["value"]) == [25, 28]
    assert af.estimate_range(est, "e2", "killed") == (25, 28)
    assert af.estimate_range(est, "e2", "wounded") == (55, 55)
    with pytest.raises(ValueError, match="no estimates of injured"):
        af.estimate_range(est, "e2", "injured")
    with pytest.raises(ValueError, match="no estimates for subject 'e9'"):
        af.estimates_for(est, "e9")
    chart = af.estimates_chart(af.estimates_for(est, "e2"), title="t", what="the strikes")
    assert "killed: from 25 to 28" in chart.to_dict()["description"]


def test_step_series_counts_events():
    steps = af.step_series(EV, categories=("drawdown",))
    assert list(steps["step"]) == [1, 2, 3]
    assert list(steps["title"])[-1] == "K-1 handed over"


def test_site_share_by_quarter():
    shares = af.site_share(INC, ["green-zone"], start="2019-10-01", end="2020-03-31")
    assert list(shares["label"]) == ["2019 Q4", "2020 Q1"]
    q1 = shares.iloc[1]
    assert (q1.attacks, q1.on_sites) == (4, 2) and q1.share == pytest.approx(0.5)
    assert shares.iloc[0].share == 0


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="incidents table is missing column"):
        A.attacks(INC.drop(columns=["kind"]))


def test_charts_are_finished_and_describe_their_numbers():
    timeline = af.attack_timeline_chart(INC, EV, start="2019-11-01", end="2020-03-31").to_dict()
    assert timeline["title"]["text"] and "Strikes on KH" in timeline["description"]
    assert "1 attacks of unreported size" in timeline["description"]
    monthly = af.year_comparison_chart(af.monthly_attacks(INC)).to_dict()
    assert "Dec 2019: 3" in monthly["description"] and "not drawn" in monthly["description"]
    response = af.strike_response_chart(af.strike_response_table(INC, EV)).to_dict()
    assert "2 before, 2 after, 1 the same day" in response["description"]
    step = af.step_chart(af.step_series(EV), title="Handovers", y_title="Bases (count)", source="test").to_dict()
    assert "K-1 handed over" in step["description"]


# --- On the real data package (skipped until it exists) ---------------------------

def _real():
    data = pytest.importorskip("tightrope.data")
    try:
        return data.incidents(), data.events(), data.estimates()
    except Exception as exc:  # the package may not be built yet
        pytest.skip(f"data package not available: {exc}")


def test_real_data_the_29_december_strike_and_its_tolls():
    inc, ev, est = _real()
    strike = af.strike_event(ev, "2019-12-29")
    tolls = af.estimates_for(est, strike["id"], quantities=("killed",))
    # The article's 25 killed must be among the figures, and the range must not be invented.
    assert 25 in set(tolls["value"])
    assert tolls["value"].between(15, 40).all()


def test_real_data_strike_table_runs():
    inc, ev, _ = _real()
    table = af.strike_response_table(inc, ev, start="2019-12-01", end="2020-12-31")
    assert len(table) >= 2
    assert (table[["before", "after"]] >= 0).all().all()


# --- Lanes, casualties, drawdown ------------------------------------------------

def test_event_lanes_assign_by_id_before_category_and_reject_unknown_names():
    lanes = {"Handovers": ["e5", "e6"], "Other drawdown": ["drawdown"], "Strikes": ["us-strike"]}
    items = af.event_lanes(EV, lanes)
    assert dict(zip(items["id"], items["lane"])) == {
        "e2": "Strikes", "e3": "Strikes", "e4": "Other drawdown", "e5": "Handovers", "e6": "Handovers"}
    with pytest.raises(ValueError, match="unknown event ids or categories: nope"):
        af.event_lanes(EV, {"x": ["nope"]})


def test_lanes_chart_numbers_events_in_date_order_and_checks_lanes():
    items = af.event_lanes(EV, {"US": ["us-strike", "us-warning"], "Drawdown": ["drawdown"]})
    spec = af.lanes_chart(items, title="t", lanes=["US", "Drawdown"], start="2019-05-01", end="2020-04-01").to_dict()
    described = spec["description"]
    assert "7 May 2019, US: Warning" in described
    assert described.index("Warning") < described.index("Strikes on KH") < described.index("Q-West")
    # A month-only date is shown as a month, not as the 1st.
    assert "Mar 2020, Drawdown: Al-Qaim left" in spec["description"]
    with pytest.raises(ValueError, match="not listed in lanes"):
        af.lanes_chart(items, title="t", lanes=["US"], start="2019-05-01", end="2020-04-01")


def test_casualties_by_year_sums_reported_figures_and_counts_reporting_attacks():
    frame = INC.copy()
    for c in ("killed_coalition", "killed_contractor", "wounded_us", "wounded_coalition",
              "wounded_contractor", "wounded_iraqi"):
        frame[c] = pd.array([pd.NA] * len(frame), dtype="Int64")
    table = af.casualties_by_year(frame, years=(2020,))
    us_killed = table[(table.group == af.GROUPS["us"]) & (table.outcome == "killed")].iloc[0]
    assert (us_killed.people, us_killed.attacks_reporting) == (2, 1)
    chart = af.casualties_chart(table).to_dict()
    assert "2020, killed: US service members 2" in chart["description"]


def test_attacks_by_kind_per_month_and_drawdown_chart():
    counts = af.attacks_by_kind_per_month(INC, start="2020-01-01", end="2020-03-31")
    jan = counts[counts["month"] == pd.Timestamp("2020-01-01")].set_index("kind")["attacks"]
    assert (jan["indirect fire"], jan["convoy attack"]) == (3, 1)
    assert len(counts) == 6  # three months, two kinds, zeros kept
    spec = af.drawdown_chart(INC, EV, start="2020-01-01", end="2020-03-31",
                             markers={"Handovers": ["drawdown"]}).to_dict()
    assert "3. 29 Mar 2020: K-1 handed over" in spec["description"]
    assert "1. Mar 2020: Al-Qaim left" in spec["description"]


def test_step_series_can_filter_ids_and_estimate_series_chart_lists_figures():
    steps = af.step_series(EV, id_contains="e5")
    assert list(steps["id"]) == ["e5"] and list(steps["step"]) == [1]
    est = pd.DataFrame({"subject": ["s"] * 3, "quantity": ["wounded_us"] * 3, "value": [11, 34, 110],
                        "qualifier": ["exactly"] * 3, "given_by": ["first", "second", "final"]})
    spec = af.estimate_series_chart(af.estimates_for(est, "s"), title="t", x_title="People (count)",
                                    what="the injured").to_dict()
    assert "first: 11; second: 34; final: 110" in spec["description"]


def test_real_data_chapter_lanes_name_existing_events():
    _, ev, _ = _real()
    for lanes in (af.CRISIS_LANES, af.PROVOCATION_LANES, af.BRANCH_LANES, af.DRAWDOWN_MARKERS):
        af.event_lanes(ev, lanes)  # raises if an id or category has gone from the data


def test_weak_figures_note_names_flagged_figures_and_the_better_sourced_range():
    est = pd.DataFrame({"subject": ["s"] * 3, "quantity": ["killed"] * 3, "value": pd.array([18, 25, 27], dtype="Int64"),
                        "qualifier": ["at least", "exactly", "at least"], "given_by": ["a", "b", "c"],
                        "sources": ["x", "y", "z"], "weakly_sourced": [pd.NA, pd.NA, "One seminary agency."]})
    assert af.weak_figures_note(est, "s", "killed") == \
        "; 27 rests on weakly sourced reports, and the better-sourced figures give 18 to 25"
    assert af.weak_figures_note(est.assign(weakly_sourced=pd.NA), "s", "killed") == ""
    assert af.weak_figures_note(est.drop(columns="weakly_sourced"), "s", "killed") == ""


def test_year_comparison_draws_no_zero_for_a_sampled_month():
    monthly = af.monthly_attacks(INC, years=(2019, 2020))
    assert set(monthly.loc[monthly["month"].isin([10, 11, 12]) & (monthly["year"] == "2019"), "coverage"]) == {"complete"}
    assert set(monthly.loc[(monthly["year"] == "2020") & (monthly["month"] > 3), "coverage"]) == {"sample"}
    spec = af.year_comparison_chart(monthly).to_dict()
    rows = next(iter(spec["datasets"].values()))
    shown = {(r["year"], r["month"]): r["shown"] for r in rows}
    assert shown[("2020", 2)] == 0            # complete and none found: a real zero
    assert shown[("2020", 6)] is None         # sampled and none found: not drawn
    assert shown[("2019", 12)] == 3
    assert spec["layer"][0]["mark"]["invalid"] is None   # lines break at undrawn months


def test_attacks_of_unreported_size_are_not_drawn_at_zero():
    spec = af.attack_timeline_chart(INC, EV, start="2019-11-01", end="2020-03-31").to_dict()
    plot, strip = spec["vconcat"][0], spec["vconcat"][1]
    datasets = spec["datasets"]
    dots = next(layer for layer in plot["layer"] if layer["mark"]["type"] == "point")
    assert all(r["reported"] == "size reported" for r in datasets[dots["data"]["name"]])
    assert [r["reported"] for r in datasets[strip["data"]["name"]]] == ["size not reported"]
    assert strip["mark"]["shape"] == "triangle-up"


def test_published_counts_chart_marks_floors_and_events():
    tallies = pd.DataFrame({"as_of": pd.to_datetime(["2023-10-24", "2023-12-21"]), "count": pd.array([13, 102]),
                            "qualifier": ["exactly", "at least"], "given_by": ["Pentagon", "Pentagon"]})
    marks = pd.DataFrame({"date": pd.to_datetime(["2024-01-28"]), "title": ["Tower 22"]})
    spec = af.published_counts_chart(tallies, marks, title="Counts").to_dict()
    assert "24 Oct 2023: exactly 13 (Pentagon); 21 Dec 2023: at least 102 (Pentagon)" in spec["description"]
    assert "1. 28 Jan 2024: Tower 22" in spec["description"]
    with pytest.raises(ValueError, match="no published counts"):
        af.published_counts_chart(tallies.iloc[0:0], marks, title="x")
