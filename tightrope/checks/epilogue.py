"""Checks for exercise 08, Epilogue: what 2020 showed (exercises/08-epilogue.ipynb).

In the notebook: ``from tightrope.checks import epilogue as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

from tightrope import data
from tightrope.checks.core import (ATTACK, CheckSet, NotYet, _attacks, _axis_title, _chart_data,
                                   _counts_on_y, _finished, _monthly_answer, _option_hints, _per_month,
                                   _spec_parts, chart_spec, choice, diagnose, frame, whole_number)

epilogue = CheckSet("08-epilogue", "Epilogue: what 2020 showed")
questions = epilogue.questions  # this exercise's checks by question id, as check.q1, check.q2, ...
YEAR = ("2020-01-01", "2020-12-31")
GROUPS = ("us", "coalition", "contractor", "iraqi")


@epilogue.question("q1", "a DataFrame with columns month and attacks: indirect-fire attacks in each month of 2020")
def q1(answer):
    got = _monthly_answer(answer, "attacks per month of 2020")
    expected = _per_month(_attacks(*YEAR), "2020-01", "2020-12")
    if got == expected:
        if list(got) != sorted(got):
            raise NotYet("the right counts; now put the months in order.")
        return "Compare the months with the events of 2020: strikes, a new government, a truce."
    if set(got) != set(expected):
        raise NotYet("the table should have one row per month of 2020: twelve rows.")
    every_kind = _per_month(_attacks(*YEAR, kinds=tuple(data.incidents()["kind"].cat.categories)),
                            "2020-01", "2020-12")
    if got == every_kind:
        raise NotYet("that counts every kind of incident (missiles, foiled plots, convoy bombs): keep only "
                     "indirect-fire attacks.")
    raise NotYet("some months are off: keep indirect-fire attacks dated in 2020 and count rows per calendar month.")


@epilogue.question("q2", "a whole number of convoy attacks in 2020")
def q2(answer):
    value = whole_number(answer, "a whole number of attacks")
    incidents = data.incidents()
    convoys = incidents["kind"] == "convoy attack"
    in_2020 = incidents["date"].dt.year == 2020
    diagnose(value, int((convoys & in_2020).sum()), [
        (int(convoys.sum()), "that counts convoy attacks of every year: keep 2020 only."),
        (int(((incidents["weapon"] == "IED") & in_2020).sum()), "that counts roadside bombs (weapon IED); "
                                                                 "the question is about the kind 'convoy attack'."),
        (int((in_2020 & incidents["kind"].isin(["convoy attack", ATTACK])).sum()),
         "that adds rocket attacks: count only the kind 'convoy attack'."),
    ], "count incidents of kind 'convoy attack' dated in 2020.")
    return "Pressure shifted partly to the supply convoys, which the article does not discuss."


@epilogue.question("q3", "a DataFrame with columns group and killed: people killed in all 2020 incidents, per group")
def q3(answer):
    table = frame(answer, ["group", "killed"], "deaths per group in 2020")
    got = {str(g).removeprefix("killed_"): whole_number(k, "whole numbers in the killed column")
           for g, k in zip(table["group"], table["killed"])}
    if set(got) != set(GROUPS):
        raise NotYet(f"the groups should be {list(GROUPS)} (one row each; names with or without 'killed_').")

    def tally(rows, outcome="killed"):
        return {g: int(rows[f"{outcome}_{g}"].sum()) for g in GROUPS}

    incidents = data.incidents()
    in_2020 = incidents[incidents["date"].dt.year == 2020]
    if got == tally(in_2020):
        return "Iraqis bore most of the deaths, among them civilians hit by rockets aimed at US sites."
    if got == tally(_attacks(*YEAR)):
        raise NotYet("that counts only rocket attacks: the question asks about all incidents of 2020, "
                     "convoy attacks included.")
    if got == tally(in_2020, "wounded"):
        raise NotYet("those are the wounded: use the killed_ columns.")
    if got == tally(incidents):
        raise NotYet("that counts every year: keep incidents dated in 2020.")
    raise NotYet("add up each killed_ column over the incidents dated in 2020 (blanks are skipped).")


@epilogue.question("q4", "an Altair stacked bar chart of by_kind (month on x, incidents on y, colour by kind), finished with charts.finish")
def q4(answer):
    mark, encoding, spec = _spec_parts(chart_spec(answer))
    x, y, color = encoding.get("x", {}), encoding.get("y", {}), encoding.get("color", {})
    if mark != "bar":
        raise NotYet(f"the chart uses mark '{mark}': monthly counts are shown as bars (mark_bar).")
    if x.get("field") != "month" or y.get("field") != "incidents":
        raise NotYet("put month on the x axis and incidents on the y axis.")
    if x.get("type") not in ("temporal", "ordinal"):
        raise NotYet("months are dates: encode month as temporal (:T) or ordinal (:O).")
    _counts_on_y(encoding)
    if color.get("field") != "kind":
        raise NotYet("colour the bars by kind (color=alt.Color('kind:N', ...)) so the two kinds stack.")
    if color.get("type") != "nominal":
        raise NotYet("kinds are categories without an order: encode kind as nominal (:N).")
    if "xOffset" in encoding:
        raise NotYet("xOffset puts the kinds side by side (grouped bars): drop it so they stack into one bar "
                     "per month.")
    stack = y.get("stack", "zero")
    if stack is None or stack is False:
        raise NotYet("stack=False draws the kinds' bars over one another, so the shorter hides behind the taller: "
                     "leave stack out so they stack.")
    if stack == "normalize":
        raise NotYet("stack='normalize' shows each kind's share of the month, not counts: leave stack out so "
                     "each bar adds up to the month's incidents.")
    if "(count)" not in _axis_title(encoding, "y"):
        raise NotYet("the y axis title must name its unit, e.g. 'Incidents (count)'.")
    if not _axis_title(encoding, "x"):
        raise NotYet("the x axis needs a title too, e.g. 'Month'.")
    _finished(spec)
    rows = _chart_data(spec)
    expected = len(_attacks(*YEAR, kinds=(ATTACK, "convoy attack")))
    if sum(int(r.get("incidents", 0) or 0) for r in rows) != expected:
        raise NotYet("the chart's data is not the by_kind table given above the question: pass by_kind to alt.Chart().")
    return "The stack shows when convoy bombs joined the rockets."


_YEAR_OPTIONS = {
    "A": "In the article's favour: there was no eviction, and a new government raided a Kata'ib "
         "Hezbollah cell, as the article's bet expected.",
    "B": "Against it: US troops were cut and bases handed over, the retreat the article warned "
         "against.",
    "C": "Mixed: no eviction, and a new prime minister moved against a Kata'ib Hezbollah cell, but rocket "
         "and convoy attacks went on while the US cut troops and handed over bases.",
    "D": "Too early to say anything: after March 2020 the incident data are only a sample.",
}


@epilogue.question("q5", f"one of the letters {', '.join(_YEAR_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _YEAR_OPTIONS)
    return _option_hints(letter, _YEAR_OPTIONS, "C", {
        "A": "that is half the record: look at your q1 table (did the attacks end?) and at the "
             "troop cuts and handovers before calling it settled.",
        "B": "the article urged being willing to leave; it warned against being pushed out. "
             "Bases were handed over and troops cut, but were US forces expelled?",
        "D": "the sample limits the attack counts after March 2020, not the events table: the "
             "new government, the handovers, the troop cuts and the truce are recorded events.",
    })


_TBI_OPTIONS = {
    "A": "Use the last Pentagon figure and say that the count grew as more cases were diagnosed.",
    "B": "Report the range as a dispute between sources.",
    "C": "Use the first figure, since the later ones were revised upwards under pressure.",
    "D": "Average the updates into one estimate.",
}


@epilogue.question("q6", "a dict with keys 'low', 'high', 'figures' (whole numbers) and 'reading' (a letter)")
def q6(answer):
    from tightrope import aftermath
    from tightrope.checks.core import _judged
    subject = "2020-01-08-ain-al-asad"
    estimates = data.estimates()
    low, high = aftermath.estimate_range(estimates, subject, "wounded_us")
    rows = estimates[estimates["subject"] == subject]
    figures = int((rows["quantity"] == "wounded_us").sum())
    return _judged(answer, {
        "low": (low, [
            (int(rows["value"].min()), "that mixes in the missile counts: keep quantity 'wounded_us'."),
        ], f"take the lowest 'wounded_us' figure for subject {subject!r} in the estimates table."),
        "high": (high, [
            (int(rows["value"].max()), "that mixes in the missile counts: keep quantity 'wounded_us'."),
        ], f"take the highest 'wounded_us' figure for subject {subject!r}."),
        "figures": (figures, [
            (len(rows), "that counts the projectile figures too: keep quantity 'wounded_us'."),
        ], f"count the 'wounded_us' rows for subject {subject!r}."),
    }, _TBI_OPTIONS, "A", {
        "B": "read the given_by column: every figure comes from the US military, updated over weeks; a count "
             "that grows is not a disagreement.",
        "C": "nothing in the table marks the later figures as weaker: they come from the same source and "
             "none is flagged in weakly_sourced.",
        "D": "the figures are successive totals of one count, not separate estimates: their average is a "
             "number the Pentagon never gave.",
    }, "a dict with keys 'low', 'high', 'figures' and 'reading'")
