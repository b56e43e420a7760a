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
    "B": "Whether the attacks on US sites stopped in the weeks after the strikes.",
    "C": "Whether parliament voted to expel foreign forces.",
    "D": "Whether the coalition's other members stayed after the US cut its troops.",
}


@willing_to_leave.question("q3", f"one of the letters {', '.join(_BET_OPTIONS)} as a string")
def q3(answer):
    letter = choice(answer, _BET_OPTIONS)
    return _option_hints(letter, _BET_OPTIONS, "A", {
        "B": "that tests the deterrence argument of an earlier section; this bet is about Iraqi "
             "politics over months: who governs, and what it does about the militias.",
        "C": "the vote is the eviction risk the article weighs; a resolution shows which actors "
             "prevailed on one day, the bet is about who forms the government and what it then "
             "does.",
        "D": "that is the separate forecast about the coalition (q4); this bet is about which "
             "Iraqi actors prevail.",
    })


_COALITION_OPTIONS = {
    "A": "That other countries stay in Iraq because US forces are there, more than for their own reasons "
         "or because Iraq asked them.",
    "B": "That partners would make up for the US troops if the US left.",
    "C": "That Iraq would ask the coalition to leave with the United States.",
    "D": "That the partners joined the coalition because the US asked them to.",
}


@willing_to_leave.question("q4", f"one of the letters {', '.join(_COALITION_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _COALITION_OPTIONS)
    return _option_hints(letter, _COALITION_OPTIONS, "A", {
        "B": "that is what a critic of the forecast might expect, the opposite of unravelling; "
             "the forecast needs the reverse assumption about why partners stay.",
        "C": "the claim is about what partners do without the US, not about what Iraq asks.",
        "D": "why partners joined is a separate question; the unravelling forecast needs a claim"
             " about why they stay, which is checkable only by what they did next.",
    })


_TRUCE_OPTIONS = {
    "A": "The truce worked: attacks fell after it.",
    "B": "Both windows lie in the sampled months, so the counts show attacks before the truce but cannot "
         "show that they fell; that needs a complete count, such as a tracker's tally.",
    "C": "The truce failed: the militias went on attacking US sites after it.",
    "D": "The US threat to close the embassy, not the truce, caused any change.",
}


@willing_to_leave.question("q5", "a dict with keys 'before', 'after' (whole numbers) and 'reading' (a letter)")
def q5(answer):
    from tightrope import aftermath
    from tightrope.checks.core import _judged
    events = data.events().set_index("id")
    truce = events.at["2020-10-10-militia-truce", "date"]
    incidents = data.incidents()
    counts = aftermath.window_counts(incidents, truce, days=30)
    every_kind = tuple(incidents["kind"].astype(str).unique())
    all_kinds = aftermath.window_counts(incidents, truce, days=30, kinds=every_kind)
    return _judged(answer, {
        "before": (counts["before"], [
            (all_kinds["before"], "that counts every kind of incident: keep kind 'indirect fire'."),
            (counts["after"], "that is the count after the truce: 'before' is the 30 days up to it."),
        ], "count the attacks in the 30 days before the truce (aftermath.window_counts)."),
        "after": (counts["after"], [
            (all_kinds["after"], "that counts every kind of incident: keep kind 'indirect fire'."),
            (counts["before"], "that is the count before the truce: 'after' is the 30 days after it."),
        ], "count the attacks in the 30 days after the truce (aftermath.window_counts)."),
    }, _TRUCE_OPTIONS, "B", {
        "A": "both windows fall after data.COMPLETE_UNTIL, where the table is a sample: a low count there may "
             "be a gap in the record, not a fall.",
        "C": "look at your 'after' count, and remember that a sample can show neither a fall nor that attacks "
             "went on at the same pace.",
        "D": "the threat and the truce came within weeks of each other; counts from a sample cannot separate "
             "their effects, or show a change at all.",
    }, "a dict with keys 'before', 'after' and 'reading'")
