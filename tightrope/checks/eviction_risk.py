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
    "D": "The article is wrong: a temporary ordered departure is not a closure at all.",
}


@eviction_risk.question("q3", f"one of the letters {', '.join(_BASRA_OPTIONS)} as a string")
def q3(answer):
    letter = choice(answer, _BASRA_OPTIONS)
    return _option_hints(letter, _BASRA_OPTIONS, "C", {
        "A": "read the claim's finding in the claims table: was a reopening found?",
        "B": "read the claim's finding: how did reports at the time describe the closure?",
        "D": "the finding says the consulate was still shut a year later: 'temporary' describes "
             "how the move was announced, not how long it lasted.",
    })


_VOTE_OPTIONS = {
    "A": "Parliament's resolution of 5 January 2020 and what followed it.",
    "B": "Iran's missile strike of 8 January 2020.",
    "C": "The caretaker status of Adil Abdul-Mahdi's government after his resignation.",
    "D": "Kadhimi's visit to the White House in August 2020.",
}


@eviction_risk.question("q4", f"one of the letters {', '.join(_VOTE_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _VOTE_OPTIONS)
    return _option_hints(letter, _VOTE_OPTIONS, "A", {
        "B": "Iran's strike is about Iran and the US; the claim is about what Iraqi politicians can agree on.",
        "C": "the caretaker status is background that makes any decision harder; the test is "
             "what Iraqi politicians did when a vote on foreign forces was actually held.",
        "D": "the visit comes later and tests the relationship, not the January push to evict.",
    })


_RIGHT_OPTIONS = {
    "A": "Iraq may ask US forces to leave, if enough MPs want it and the cabinet and president agree.",
    "B": "A parliamentary resolution alone obliges US forces to leave.",
    "C": "The United States should stay in Iraq whatever Iraq decides.",
    "D": "A caretaker government makes eviction impossible.",
}


@eviction_risk.question("q5", f"one of the letters {', '.join(_RIGHT_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _RIGHT_OPTIONS)
    return _option_hints(letter, _RIGHT_OPTIONS, "A", {
        "B": "the article treats eviction as Iraq's right but says it takes more than a vote of "
             "MPs: reread the section's first paragraph on who else must agree.",
        "C": "the article's conclusion is the reverse: be willing to leave.",
        "D": "the article calls the caretaker situation muddled, but does not say it rules eviction out.",
    })


# --- A question that weighs the data -------------------------------------------------------
from tightrope import aftermath as _aftermath  # noqa: E402
from tightrope.checks.core import _attacks as _rows, _judged  # noqa: E402

_WEAK_CLAIM_OPTIONS = {
    "A": "Most of the section's supported claims keep a strong source; the ones that lose it are Iraqi "
         "reactions, which need a better copy before a class leans on them.",
    "B": "The weakly sourced claims are false, since their only copies come from state-affiliated outlets.",
    "C": "The section's factual case collapses without the weakly sourced claims.",
    "D": "The count hardly moves, so the weakly_sourced column can be ignored.",
}


@eviction_risk.question("q6", "a dict with keys 'supported', 'supported_firm' (whole numbers) and 'reading' (a letter)")
def q6(answer):
    claims = data.claims()
    section = claims[claims["section"] == EVICTION_SECTION]
    good = ["corroborated", "partly corroborated"]
    supported = int(section["status"].isin(good).sum())
    firm = int((section["status"].isin(good) & section["weakly_sourced"].isna()).sum())
    return _judged(answer, {
        "supported": (supported, [
            (int((section["status"] == "corroborated").sum()), "'partly corroborated' claims are supported "
                                                               "in part: count them too."),
            (int(claims["status"].isin(good).sum()), f"that counts every section: keep {EVICTION_SECTION!r}."),
            (firm, "'supported' keeps every row; the count without weak rows goes in 'supported_firm'."),
        ], "count the section's claims marked 'corroborated' or 'partly corroborated'."),
        "supported_firm": (firm, [
            (supported, "leave out the claims whose weakly_sourced cell is filled, then count again."),
            (len(section) - int(section["weakly_sourced"].notna().sum()), "keep only supported claims "
                                                                          "('corroborated' or 'partly corroborated')."),
        ], "count the section's supported claims whose weakly_sourced cell is empty."),
    }, _WEAK_CLAIM_OPTIONS, "A", {
        "B": "weak sourcing says how a claim is known here, not that it is false: read their status and "
             "weakly_sourced cells.",
        "C": "compare your two counts: most supported claims remain.",
        "D": "a small change in the count can still matter: read the weakly_sourced cells of the claims you "
             "left out to see what a better source would have to confirm.",
    }, "a dict with keys 'supported', 'supported_firm' and 'reading'")
