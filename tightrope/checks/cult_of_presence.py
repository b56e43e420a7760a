"""Checks for exercise 06, The cult of presence (exercises/06-cult-of-presence.ipynb).

In the notebook: ``from tightrope.checks import cult_of_presence as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

from tightrope import data
from tightrope.checks.core import (CheckSet, NotYet, _option_hints, _records, _status_counts, choice,
                                   diagnose, frame, whole_number)

cult_of_presence = CheckSet("06-cult-of-presence", "The cult of presence")
questions = cult_of_presence.questions  # this exercise's checks by question id, as check.q1, check.q2, ...
PRESENCE_SECTION = "Securing U.S. interests or securing U.S. presence?"


@cult_of_presence.question("q1", "a whole number: the section's claims that reporting supports at least in part")
def q1(answer):
    value = whole_number(answer, "a whole number of claims")
    counts = _status_counts(PRESENCE_SECTION)
    supported = counts.get("corroborated", 0) + counts.get("partly corroborated", 0)
    diagnose(value, supported, [
        (sum(counts.values()), "that counts every claim of the section: keep those marked 'corroborated' "
                               "or 'partly corroborated'."),
        (counts.get("corroborated", 0), "'partly corroborated' claims are supported in part: count them too."),
        (sum(counts.values()) - counts.get("not found", 0),
         "'not checkable' claims are judgements that no source can confirm: leave them out."),
        (sum(v for k, v in _status_counts(None).items() if k in ("corroborated", "partly corroborated")),
         f"that counts every section: keep only {PRESENCE_SECTION!r}."),
    ], f"keep the claims of the section {PRESENCE_SECTION!r} whose status is 'corroborated' or "
       "'partly corroborated', and count them.")
    return "This section leans on judgements more than on checkable facts."


@cult_of_presence.question("q2", "a DataFrame with columns date and title: the drawdown events of 2020 in date order")
def q2(answer):
    columns = ["date", "title"]
    table = frame(answer, columns, "the drawdown events of 2020")
    events = data.events()
    in_2020 = events[events["date"].dt.year == 2020]
    expected = in_2020[in_2020["category"] == "drawdown"]
    got = _records(table, columns)
    if sorted(got, key=str) == sorted(_records(expected, columns), key=str):
        if [row[0] for row in got] != sorted(row[0] for row in got):
            raise NotYet("the right events; now sort them by date, earliest first.")
        return "Handovers and troop cuts followed one another through 2020."
    if set(_records(expected, columns)) < set(got):
        raise NotYet("too many rows: keep only events whose category is 'drawdown' and whose date is in 2020.")
    if set(got) < set(_records(expected, columns)):
        raise NotYet("some drawdown events are missing: keep every event of category 'drawdown' dated in 2020, "
                     "troop cuts as well as handovers.")
    raise NotYet("filter events on category 'drawdown' and on dates in 2020.")


_COST_OPTIONS = {
    "A": "That what presence bought (help against the Islamic State, a rebuilt officer corps) had shrunk, "
         "so the price paid for it no longer made sense.",
    "B": "That Iraq's forces no longer needed any outside help against the Islamic State.",
    "C": "That Iraqi leaders would ask US forces to leave whatever Washington did.",
    "D": "That the Islamic State could no longer recover in Iraq.",
}


@cult_of_presence.question("q3", f"one of the letters {', '.join(_COST_OPTIONS)} as a string")
def q3(answer):
    letter = choice(answer, _COST_OPTIONS)
    return _option_hints(letter, _COST_OPTIONS, "A", {
        "B": "the article does not say help is no longer needed; it says the trade-off was "
             "arguably worth it at one point and that what presence buys had shrunk against its "
             "price: a matter of degree.",
        "C": "the article expects many leaders to value the US quietly; that is its bet, and the"
             " argument is about US choices, not a forecast of Iraqi demands.",
        "D": "the article says the Islamic State is years from a serious recovery, not that it "
             "cannot recover; the argument needs a weighing of value against price, not the end "
             "of the threat.",
    })


_CONTEST_OPTIONS = {
    "A": "That the Islamic State was years away from a serious recovery.",
    "B": "That Iraq had revoked flight permissions in its airspace.",
    "C": "That parliament voted on foreign forces in January 2020.",
    "D": "That a counter-terrorism commander was removed in September 2019.",
}


@cult_of_presence.question("q4", f"one of the letters {', '.join(_CONTEST_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _CONTEST_OPTIONS)
    return _option_hints(letter, _CONTEST_OPTIONS, "A", {
        "B": "the airspace order is a documented fact; the objection disputes a forecast.",
        "C": "the vote is a documented fact; the objection is about what happens if the US leaves.",
        "D": "the removal is a documented event; the objection is about the threat that would return.",
    })


_RADWANIYAH_OPTIONS = {
    "A": "Use the Joint Operations Command's figure, as the book's totals do, and give the others beside it.",
    "B": "Give the range of the better-sourced figures and note that the highest rests on a weak source.",
    "C": "Use the highest figure without comment: the latest count is the most complete.",
    "D": "Leave the attack out of the totals, since the sources disagree.",
}


@cult_of_presence.question("q5", "a dict with keys 'low', 'high', 'high_firm' (whole numbers) and 'reading' (a letter)")
def q5(answer):
    from tightrope import aftermath
    from tightrope.checks.core import _judged
    subject = "2020-09-28-baghdad-airport"
    estimates = data.estimates()
    low, high = aftermath.estimate_range(estimates, subject, "killed_iraqi")
    rows = estimates[(estimates["subject"] == subject) & (estimates["quantity"] == "killed_iraqi")]
    firm = int(rows.loc[rows["weakly_sourced"].isna(), "value"].max())
    counted = int(data.incidents().set_index("id").at[subject, "killed_iraqi"])
    return _judged(answer, {
        "low": (low, [
            (counted, "that is the figure the incidents table carries; the question asks for the lowest of "
                      "the estimates table."),
        ], f"take the lowest 'killed_iraqi' figure for subject {subject!r} in the estimates table."),
        "high": (high, [
            (firm, "'high' is the highest figure of all; the better-sourced one goes in 'high_firm'."),
        ], f"take the highest 'killed_iraqi' figure for subject {subject!r}."),
        "high_firm": (firm, [
            (high, "that figure rests on a weakly sourced row: leave out rows whose weakly_sourced cell is "
                   "filled, then take the highest."),
        ], "leave out the weakly sourced rows, then take the highest figure."),
    }, _RADWANIYAH_OPTIONS, ("A", "B"), {
        "C": "the highest figure rests on a weakly sourced row (read its weakly_sourced cell): the latest count "
             "may be fuller, but a total built on it has to say so.",
        "D": "the sources disagree on how many died, not on whether people died: every figure is above zero "
             "(see your 'low').",
    }, "a dict with keys 'low', 'high', 'high_firm' and 'reading'")
