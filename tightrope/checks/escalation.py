"""Checks for exercise 02, Escalation (exercises/02-escalation.ipynb).

In the notebook: ``from tightrope.checks import escalation as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

import pandas as pd

from tightrope import data
from tightrope.checks.core import (CASUALTY_COLUMNS, CheckSet, NotYet, _attacks, _axis_title, _chart_data,
                                   _counts_on_y, _finished, _monthly_answer, _option_hints, _per_month,
                                   _spec_parts, chart_spec, choice, diagnose, near, number, whole_number)

escalation = CheckSet("02-escalation", "Escalation")
questions = escalation.questions  # this exercise's checks by question id, as check.q1, check.q2, ...


@escalation.question("q1", "a DataFrame with columns month and attacks, June to December 2019")
def q1(answer):
    got = _monthly_answer(answer, "attacks per month, June to December 2019")
    expected = _per_month(_attacks("2019-06-01", "2019-12-31"), "2019-06", "2019-12")
    if got == expected:
        if list(got) != sorted(got):
            raise NotYet("the right counts; now put the months in order.")
        return "Months with no attacks are part of the story: they show the summer lull."
    if {m: n for m, n in got.items() if n} == {m: n for m, n in expected.items() if n}:
        raise NotYet("months with no attacks are missing: every month from June to December 2019 needs a "
                     "row, with 0 where nothing happened (e.g. reindex on a full range of months).")
    if set(got) != set(expected):
        raise NotYet("the table should have one row per month from June to December 2019, no more, no fewer.")
    everything = _per_month(_attacks("2019-06-01", "2019-12-31", kinds=tuple(
        data.incidents()["kind"].cat.categories)), "2019-06", "2019-12")
    if got == everything:
        raise NotYet("that counts every kind of incident: keep only indirect-fire attacks.")
    raise NotYet("some months' counts are off: keep indirect-fire attacks dated in the window, "
                 "then count rows per calendar month.")


@escalation.question("q2", "a whole number of attacks from October to December 2019")
def q2(answer):
    value = whole_number(answer, "a whole number of attacks")
    window = _attacks("2019-10-01", "2019-12-31")
    diagnose(value, len(window), [
        (int((window["date_precision"] == "day").sum()),
         "you dropped the attacks known only to the month: they happened in the window even if the day is unknown."),
        (len(_attacks("2019-10-01", "2019-12-28")), "the window runs to the end of December, "
                                                    "including the attack after the US strikes."),
        (len(_attacks("2019-10-20", "2019-12-31")), "the window starts on 1 October, not in late October: an "
                                                    "attack known only to its month is dated the 1st."),
        (len(_attacks("2019-11-01", "2019-12-31")), "October is part of the window."),
        (len(_attacks("2019-10-01", "2019-12-31", kinds=tuple(data.incidents()["kind"].cat.categories))),
         "keep only indirect-fire attacks."),
    ], "count the indirect-fire attacks dated from 1 October to 31 December 2019, both ends included.")
    return "Compare it with the article's count of eleven since late October."


def _hurt_anyone(rows: pd.DataFrame, columns=CASUALTY_COLUMNS) -> pd.Series:
    return (rows[columns].fillna(0) > 0).any(axis=1)


@escalation.question("q3", "a number between 0 and 1: the share of October–December 2019 attacks that killed or wounded anyone")
def q3(answer):
    value = number(answer, "a share (a number between 0 and 1)")
    window = _attacks("2019-10-01", "2019-12-31")
    share = _hurt_anyone(window).mean()
    diagnose(value, share, [
        (share * 100, "that looks like a percentage: give the share as a fraction between 0 and 1."),
        (_hurt_anyone(window, [c for c in CASUALTY_COLUMNS if c.startswith("killed")]).mean(),
         "that counts only attacks that killed someone: wounded people count too."),
        (_hurt_anyone(window, ["killed_us", "wounded_us"]).mean(),
         "that counts only US casualties: the question asks about anyone (every group)."),
        (_hurt_anyone(window).sum(), "that is the number of attacks; divide by the number of attacks in the window."),
        (_hurt_anyone(window).sum() / len(data.incidents()), "divide by the attacks in the window, "
                                                             "not by every incident in the table."),
    ], "for each attack in the window, did any killed_ or wounded_ column exceed 0? The share is the "
       "mean of that True/False column.", close=near(0.005))
    return "Most attacks in those months hurt no one."


@escalation.question("q4", "an Altair bar chart of per_month (month on x, attacks on y), finished with charts.finish")
def q4(answer):
    mark, encoding, spec = _spec_parts(chart_spec(answer))
    x, y = encoding.get("x", {}), encoding.get("y", {})
    if mark != "bar":
        raise NotYet(f"the chart uses mark '{mark}': monthly counts are separate totals, shown as bars (mark_bar).")
    if x.get("field") != "month" or y.get("field") != "attacks":
        raise NotYet("put month on the x axis and attacks on the y axis (alt.X('month:T', ...), alt.Y('attacks:Q', ...)).")
    if x.get("type") not in ("temporal", "ordinal"):
        raise NotYet("months are dates: encode month as temporal (:T) or ordinal (:O), not as a number or a name.")
    _counts_on_y(encoding)
    if "(count)" not in _axis_title(encoding, "y"):
        raise NotYet("the y axis title must name its unit, e.g. 'Attacks (count)'.")
    if not _axis_title(encoding, "x"):
        raise NotYet("the x axis needs a title too, e.g. 'Month'.")
    _finished(spec)
    rows = _chart_data(spec)
    if sum(int(r.get("attacks", 0) or 0) for r in rows) != len(_attacks("2019-06-01", "2020-03-31")):
        raise NotYet("the chart's data is not the per_month table given above the question: pass per_month to alt.Chart().")
    return "Titled axes with units, a source line and a text description: the book's chart rules."


_ESCALATION_OPTIONS = {
    "A": "Yes, as it stands: attacks rose from October to December and the deadliest came last, "
         "so 'more frequent and deadlier' fits the chart.",
    "B": "Partly: attacks became more frequent from October to December after an apparent summer lull "
         "(in months the data hold only as a sample), but the numbers are small and most attacks hurt "
         "no one, so 'deadlier' rests on a few incidents.",
    "C": "No: June already had about as many attacks as October and November, so autumn was a "
         "return to the early-summer level, not an escalation.",
    "D": "It cannot be judged: with a handful of attacks a month, no rise means anything.",
}


@escalation.question("q5", f"one of the letters {', '.join(_ESCALATION_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _ESCALATION_OPTIONS)
    return _option_hints(letter, _ESCALATION_OPTIONS, "B", {
        "A": "the rise in frequency is there, but recall q3: most attacks hurt no one, so "
             "'deadlier' rests on one or two incidents, not on a trend.",
        "C": "June lies before the complete period (data.COMPLETE_FROM), where the table is only"
             " a sample, and December's count is higher than any summer month's: compare "
             "October, November and December.",
        "D": "small counts call for caution, not silence: the months from October are in the "
             "complete period and rise one after another; the question is how far that rise "
             "carries the article's words.",
    })


# --- A question that weighs the data -------------------------------------------------------
from tightrope import aftermath as _aftermath  # noqa: E402
from tightrope.checks.core import _attacks as _rows, _judged  # noqa: E402

_SUMMER_OPTIONS = {
    "A": "Attacks rose from the summer to the autumn of 2019, as the two counts show.",
    "B": "Inside the complete period (October to December) attacks rose month by month; the summer counts "
         "are floors, so the table cannot measure how much more frequent the autumn was than the summer.",
    "C": "There was no real rise: the summer count shows attacks were already frequent before October.",
}


@escalation.question("q6", "a dict with keys 'summer', 'autumn' (whole numbers) and 'reading' (a letter)")
def q6(answer):
    summer = len(_rows("2019-06-01", "2019-09-30"))
    autumn = len(_rows("2019-10-01", "2019-12-31"))
    every_kind = tuple(data.incidents()["kind"].astype(str).unique())
    return _judged(answer, {
        "summer": (summer, [
            (len(_rows("2019-06-01", "2019-08-31")), "September belongs to the summer months here: June to "
                                                     "September."),
            (len(_rows("2019-06-01", "2019-09-30", kinds=every_kind)), "that counts every kind of incident: "
                                                                       "keep kind 'indirect fire'."),
        ], "count the attacks dated from 1 June to 30 September 2019."),
        "autumn": (autumn, [
            (len(_rows("2019-10-01", "2019-12-28")), "the window runs to 31 December."),
            (len(_rows("2019-10-01", "2019-12-31", kinds=every_kind)), "that counts every kind of incident: "
                                                                       "keep kind 'indirect fire'."),
        ], "count the attacks dated from 1 October to 31 December 2019."),
    }, _SUMMER_OPTIONS, "B", {
        "A": "the summer months lie before data.COMPLETE_FROM, where the table is a sample: their counts are "
             "floors, so the size of the rise from the summer cannot be read from the table.",
        "C": "the summer count is a floor: it shows attacks happened, not how often; and inside the complete "
             "period the counts still rise month by month.",
    }, "a dict with keys 'summer', 'autumn' and 'reading'")
