"""Checks for exercise 05, Eviction risk (exercises/05-eviction-risk.ipynb).

In the notebook: ``from tightrope.checks import eviction_risk as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

from tightrope import data
from tightrope.checks.core import (CheckSet, NotYet, STRIKES, _event_date, _option_hints, _status_counts,
                                   choice, diagnose, frame, whole_number)

eviction_risk = CheckSet("05-eviction-risk", "Eviction risk")
questions = eviction_risk.questions  # this exercise's checks by question id, as check.q1, check.q2, ...
EVICTION_SECTION = "The cost-benefit of risking U.S. eviction from Iraq"
VOTE = "2020-01-05-parliament-resolution"




@eviction_risk.question("q1", "a DataFrame with columns status and claims: the section's claims per status, most first")
def q1(answer):
    table = frame(answer, ["status", "claims"], "claims per status")
    got = {str(s): whole_number(n, "whole numbers in the claims column")
           for s, n in zip(table["status"], table["claims"]) if n}
    expected = _status_counts(EVICTION_SECTION)
    if got == expected:
        counts = [n for n in table["claims"] if n]
        if counts != sorted(counts, reverse=True):
            raise NotYet("the right counts; now sort from the most common status to the least.")
        return "Counting statuses per section shows where the article's facts are firm and where they are not."
    if got == _status_counts(None):
        raise NotYet("that counts the claims of every section: keep only the section "
                     f"{EVICTION_SECTION!r}.")
    for section in data.claims()["section"].cat.categories:
        if got == _status_counts(section):
            raise NotYet(f"that is the section {section!r}; the question is about {EVICTION_SECTION!r}.")
    raise NotYet(f"keep the claims whose section is {EVICTION_SECTION!r}, then count them per status.")


@eviction_risk.question("q2", "a whole number of days from the US strikes to parliament's vote")
def q2(answer):
    value = whole_number(answer, "a whole number of days")
    days = (_event_date(VOTE) - _event_date(STRIKES)).days
    diagnose(value, days, [
        ((_event_date(VOTE) - _event_date("2020-01-03-soleimani-killed")).days,
         "that counts from Soleimani's killing; the question counts from the strikes of 29 December."),
        (days + 1, "one too many: subtract the dates; don't count both ends."),
        (-days, "the vote came after the strikes: subtract the strikes' date from the vote's date."),
    ], f"take the dates of the events {STRIKES!r} and {VOTE!r} and subtract them (.days).")
    return "In between came the killing of Soleimani and Muhandis."


_BASRA_OPTIONS = {
    "A": "The article is wrong: the consulate reopened soon after.",
    "B": "The article is right: the State Department announced a permanent closure.",
    "C": "Reports at the time called the move temporary; the consulate stayed shut for a long time "
         "afterwards, with no formal permanent closure found.",
    "D": "The consulate was never closed.",
}


@eviction_risk.question("q3", f"one of the letters {', '.join(_BASRA_OPTIONS)} as a string")
def q3(answer):
    letter = choice(answer, _BASRA_OPTIONS)
    return _option_hints(letter, _BASRA_OPTIONS, "C", {
        "A": "read the claim's finding in the claims table: was a reopening found?",
        "B": "read the claim's finding: how did reports at the time describe the closure?",
        "D": "the events table records that the consulate's staff were ordered out.",
    })


_VOTE_OPTIONS = {
    "A": "Parliament's resolution of 5 January 2020 and what followed it.",
    "B": "Iran's missile strike of 8 January 2020.",
    "C": "The count of brain injuries after the missile strike.",
    "D": "Kadhimi's visit to the White House in August 2020.",
}


@eviction_risk.question("q4", f"one of the letters {', '.join(_VOTE_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _VOTE_OPTIONS)
    return _option_hints(letter, _VOTE_OPTIONS, "A", {
        "B": "Iran's strike is about Iran and the US; the claim is about what Iraqi politicians can agree on.",
        "C": "casualty counts do not show what Iraqi politicians could agree on.",
        "D": "the visit comes later and tests the relationship, not the January push to evict.",
    })


_RIGHT_OPTIONS = {
    "A": "Iraq may ask US forces to leave, if enough MPs want it and the cabinet and president agree.",
    "B": "Iraq's parliament has no say over foreign forces.",
    "C": "The United States should stay in Iraq whatever Iraq decides.",
    "D": "A caretaker government makes eviction impossible.",
}


@eviction_risk.question("q5", f"one of the letters {', '.join(_RIGHT_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _RIGHT_OPTIONS)
    return _option_hints(letter, _RIGHT_OPTIONS, "A", {
        "B": "reread the section's first paragraph: whose right does the article say eviction is?",
        "C": "the article's conclusion is the reverse: be willing to leave.",
        "D": "the article calls the caretaker situation muddled, but does not say it rules eviction out.",
    })
