"""Checks for exercise 01, Setting the scene (exercises/01-setting-the-scene.ipynb).

In the notebook: ``from tightrope.checks import setting_the_scene as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

import pandas as pd

from tightrope import data
from tightrope.checks.core import (CheckSet, NotYet, STRIKES, WrongKind, _event_date, _k1_attack, _kind,
                                   _one_value, _option_hints, _records, choice, diagnose, frame, whole_number)

setting_the_scene = CheckSet("01-setting-the-scene", "Setting the scene")
questions = setting_the_scene.questions  # this exercise's checks by question id, as check.q1, check.q2, ...






@setting_the_scene.question("q1", "a whole number of days between the K-1 attack and the US strikes")
def q1(answer):
    value = whole_number(answer, "a whole number of days")
    days = (_event_date(STRIKES) - _k1_attack()["date"]).days
    diagnose(value, days, [
        ((_event_date(STRIKES) - pd.Timestamp("2019-12-28")).days,
         "that uses the article's date for the K-1 attack. Take the date from the incidents table, "
         "which follows the reporting."),
        (-days, "the strikes came after the attack: subtract the attack's date from the strikes' date."),
        (days + 1, "one too many: count the days between the two dates (a difference of dates), "
                   "not the calendar days including both ends."),
    ], "find the K-1 attack of December 2019 in incidents and the strikes in events "
       f"(id {STRIKES!r}); subtract the dates and take .days.")
    return "The gap is short, and the article and the reporting date the attack differently."


@setting_the_scene.question("q2", "a DataFrame with columns date, category, title: the events of 27 Dec 2019 to 3 Jan 2020")
def q2(answer):
    columns = ["date", "category", "title"]
    table = frame(answer, columns, "the week's events")
    events = data.events()
    window = events[events["date"].between("2019-12-27", "2020-01-03")].sort_values(["date", "id"])
    got = _records(table, columns)
    expected = _records(window, columns)
    if sorted(got, key=str) == sorted(expected, key=str):
        if [row[0] for row in got] != sorted(row[0] for row in got):
            raise NotYet("the right events; now sort them by date, earliest first.")
        return "Eight days, in order: the sequence the opening section compresses into a few lines."
    if len(got) < len(expected) and set(got) <= set(expected):
        last = window[window["date"] == window["date"].max()]
        if set(_records(last, columns)).isdisjoint(got):
            raise NotYet("the events of 3 January are missing: the window includes both end dates "
                         "(use <= for the end, or .between()).")
        raise NotYet("some events of the window are missing: keep every event dated from 27 December 2019 "
                     "to 3 January 2020.")
    if len(got) > len(expected):
        raise NotYet("too many rows: keep only the events dated from 27 December 2019 to 3 January 2020.")
    raise NotYet("these are not the events of that week: filter events on the date column.")


_OPENING = "opening section"


@setting_the_scene.question("q3", "a claim id as a string, e.g. 'C01'")
def q3(answer):
    if not isinstance(answer, str):
        _one_value(answer, "a claim id as a string, e.g. 'C01'")
        raise WrongKind(f"expected a claim id as a string, e.g. 'C01', got {_kind(answer)}.")
    claims = data.claims().set_index("id")
    claim = answer.strip().upper()
    if claim not in claims.index:
        raise NotYet(f"there is no claim {answer!r}: look at the id column of the claims table.")
    differs = claims[(claims["section"] == _OPENING) & (claims["status"] == "differs")]
    if claim in differs.index:
        return "The reporting dates the K-1 attack a day earlier than the article."
    row = claims.loc[claim]
    if row["section"] != _OPENING:
        raise NotYet(f"{claim} belongs to the section {row['section']!r}; keep only the opening section's claims.")
    raise NotYet(f"{claim} is marked {row['status']!r}. Look for the opening-section claim whose status "
                 "says the reporting disagrees.")


_ABSENCE_OPTIONS = {
    "A": "The events table shows that Iraqi leaders condemned the strikes on 29 and 30 December.",
    "B": "A search of the same leaders' statements between the K-1 attack and the strikes, finding none about the killing.",
    "C": "The claims table's status for the statement, which settles whether it is true.",
    "D": "The absence from the events table of any Iraqi statement about the killing.",
}


@setting_the_scene.question("q4", f"one of the letters {', '.join(_ABSENCE_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _ABSENCE_OPTIONS)
    return _option_hints(letter, _ABSENCE_OPTIONS, "B", {
        "A": "that supports the first half (they condemned the strikes). The claim also says they did "
             "*not* condemn the killing: what evidence can show that something was not said?",
        "C": "a status summarises what the checker found; it is not evidence in itself. What "
             "search would a status about something not being said have to rest on?",
        "D": "the events table is a selection of events, not a record of every statement; a gap "
             "in it is not a search of what the leaders said.",
    }) + " A claim that something did not happen needs a search for it, not one example."


_PERSPECTIVE_OPTIONS = {
    "A": "International law and Iraqi sovereignty",
    "B": "Critics of a US withdrawal",
    "C": "US officials defending the strikes",
    "D": "Supporters of the protest movement's reform agenda",
}


@setting_the_scene.question("q5", f"one of the letters {', '.join(_PERSPECTIVE_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _PERSPECTIVE_OPTIONS)
    return _option_hints(letter, _PERSPECTIVE_OPTIONS, "A", {
        "B": "critics of withdrawal worry about what happens if US forces leave; this objection is about "
             "who may use force on Iraqi soil.",
        "C": "US officials called the strikes defensive; the objection attacks that framing.",
        "D": "reformers may share the worry, but the objection's ground is legal: consent and sovereignty.",
    })


# --- A question that weighs the data -------------------------------------------------------
from tightrope import aftermath as _aftermath  # noqa: E402
from tightrope.checks.core import _attacks as _rows, _judged  # noqa: E402

_K1_OPTIONS = {
    "A": "Give the full range of the sources' figures and say who gave each end.",
    "B": "Say about 30, as US officials and a reporter on the base did, and note that Iraqi security "
         "sources on the night gave a far lower figure.",
    "C": "Report the average of the sources' figures as the best estimate.",
    "D": "Report the lowest figure, since the smallest claim is the safest.",
}


@setting_the_scene.question("q6", "a dict with keys 'low', 'high' (whole numbers) and 'reading' (a letter)")
def q6(answer):
    K1 = "2019-12-27-k-1"
    estimates = data.estimates()
    low, high = _aftermath.estimate_range(estimates, K1, "projectiles")
    projectiles = estimates[estimates["quantity"] == "projectiles"]["value"]
    on_k1 = estimates[estimates["subject"] == K1]["value"]
    return _judged(answer, {
        "low": (low, [
            (int(projectiles.min()), "that is the lowest figure for any incident: keep subject '2019-12-27-k-1'."),
            (int(on_k1.min()), "that mixes in the wounded figures: keep quantity 'projectiles'."),
        ], "take the lowest 'projectiles' figure for subject '2019-12-27-k-1' in the estimates table."),
        "high": (high, [
            (int(projectiles.max()), "that is the highest figure for any incident: keep subject '2019-12-27-k-1'."),
        ], "take the highest 'projectiles' figure for subject '2019-12-27-k-1' in the estimates table."),
    }, _K1_OPTIONS, ("A", "B"), {
        "C": "the figures are not repeated measurements of one thing: 'at least', 'up to' and 'exactly' (the "
             "qualifier column) say different things, and their average is a number no source gave.",
        "D": "the lowest figure is safe only if every source counted the same thing; most sources, one on the "
             "base, give a figure many times as large, so reporting the lowest alone contradicts them.",
    }, "a dict with keys 'low', 'high' and 'reading'")
