"""Checks for exercise 07, Be willing to leave (exercises/07-willing-to-leave.ipynb).

In the notebook: ``from tightrope.checks import willing_to_leave as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

from tightrope import data
from tightrope.checks.core import (CheckSet, _attacks, _k1_attack, _option_hints, _status_counts, choice,
                                   diagnose, near, number, whole_number)

willing_to_leave = CheckSet("07-willing-to-leave", "Be willing to leave")
questions = willing_to_leave.questions  # this exercise's checks by question id, as check.q1, check.q2, ...
LEAVE_SECTION = "Be willing to leave so we don't have to"


@willing_to_leave.question("q1", "a number between 0 and 1: the share of the section's claims marked 'not checkable'")
def q1(answer):
    value = number(answer, "a share (a number between 0 and 1)")
    counts = _status_counts(LEAVE_SECTION)
    share = counts.get("not checkable", 0) / sum(counts.values())
    every = _status_counts(None)
    diagnose(value, share, [
        (share * 100, "that looks like a percentage: give the share as a fraction between 0 and 1."),
        (counts.get("not checkable", 0), "that is a count; divide by the number of claims in the section."),
        (1 - share, "that is the share of claims that *can* be checked."),
        (every.get("not checkable", 0) / sum(every.values()), f"that uses every section: keep only {LEAVE_SECTION!r}."),
    ], f"keep the claims of {LEAVE_SECTION!r}; the share marked 'not checkable' is the mean of a True/False column.",
       close=near(0.005))
    return "The closing section mixes checkable facts with forecasts and bets."


@willing_to_leave.question("q2", "a whole number of US warning events before the K-1 attack")
def q2(answer):
    value = whole_number(answer, "a whole number of events")
    events = data.events()
    warnings_before = lambda date: int(((events["date"] < date) & (events["category"] == "us-warning")).sum())
    k1 = _k1_attack()["date"]
    other_k1 = [date for date in _attacks().query("site == 'k-1'")["date"] if date != k1]
    before = events[events["date"] < k1]
    diagnose(value, warnings_before(k1), [
        (int((events["category"] == "us-warning").sum()), "that counts warnings at any date: keep those "
                                                          "dated before the K-1 attack."),
        (int(before["category"].isin(["us-warning", "us-policy"]).sum()),
         "that adds other US policy events: count only the category 'us-warning'."),
        (warnings_before(k1) + 1, "one too many: count events dated strictly before the attack."),
        *[(warnings_before(date), "K-1 was attacked more than once: take the attack of December 2019, "
                                  "the one that killed a US contractor.") for date in other_k1],
    ], "take the date of the K-1 attack from incidents; count events of category 'us-warning' dated before it.")
    return "The article's 'months after we warned' rests on warnings like these."


_BET_OPTIONS = {
    "A": "Who formed the next government, and whether it acted against the militias that fired on US sites.",
    "B": "The number of rockets fired at K-1.",
    "C": "The count of brain injuries after Iran's missile strike.",
    "D": "The size of the coalition in 2019.",
}


@willing_to_leave.question("q3", f"one of the letters {', '.join(_BET_OPTIONS)} as a string")
def q3(answer):
    letter = choice(answer, _BET_OPTIONS)
    return _option_hints(letter, _BET_OPTIONS, "A", {
        "B": "the bet is about Iraqi politics in the coming months, not about the attack that set things off.",
        "C": "casualty counts do not show which Iraqi actors prevailed.",
        "D": "the coalition's size is part of the argument's premise, not the outcome the bet is about.",
    })


_COALITION_OPTIONS = {
    "A": "That other countries stay in Iraq because US forces are there, more than for their own reasons "
         "or because Iraq asked them.",
    "B": "That coalition partners would send more troops if the US left.",
    "C": "That Iraq would ask the coalition to leave with the United States.",
    "D": "That the coalition has more members than any before it.",
}


@willing_to_leave.question("q4", f"one of the letters {', '.join(_COALITION_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _COALITION_OPTIONS)
    return _option_hints(letter, _COALITION_OPTIONS, "A", {
        "B": "that would be the opposite of unravelling.",
        "C": "the claim is about what partners do without the US, not about what Iraq asks.",
        "D": "that is a separate, checkable claim (see the claims table); the unravelling forecast needs more.",
    })
