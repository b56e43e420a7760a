"""Checks for exercise 04, Attribution (exercises/04-attribution.ipynb).

In the notebook: ``from tightrope.checks import attribution as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

from tightrope import data
from tightrope.checks.core import (CheckSet, NotYet, _attacks, _option_hints, choice, diagnose, frame, near,
                                   number, whole_number)

attribution = CheckSet("04-attribution", "Attribution")
questions = attribution.questions  # this exercise's checks by question id, as check.q1, check.q2, ...
ATTRIBUTION_WINDOW = ("2019-10-01", "2020-12-31")


@attribution.question("q1", "a whole number: how many incidents have at least one attribution")
def q1(answer):
    value = whole_number(answer, "a whole number of incidents")
    table = data.attributions()
    diagnose(value, table["incident_id"].nunique(), [
        (len(table), "that counts attribution rows; an incident can have several (one per claim, "
                     "accusation or denial). Count distinct incidents."),
        (table["actor"].nunique(), "that counts actors; the question asks about incidents."),
        (table.loc[table["status"] == "alleged", "incident_id"].nunique(),
         "that counts only some statuses; claims, accusations and denials are all attributions."),
        (table.loc[table["status"] == "claimed", "incident_id"].nunique(),
         "that counts only some statuses; claims, accusations and denials are all attributions."),
        (len(data.incidents()) - table["incident_id"].nunique(),
         "that is the number of incidents with no attribution: the question asks for those with one."),
    ], "count the distinct incident ids in the attributions table (.nunique()).")
    return "Attribution is the exception, not the rule."


@attribution.question("q2", "a number between 0 and 1: the share of attacks from October 2019 to December 2020 with no public attribution")
def q2(answer):
    value = number(answer, "a share (a number between 0 and 1)")
    blamed = set(data.attributions()["incident_id"])
    window = _attacks(*ATTRIBUTION_WINDOW)
    share = (~window["id"].isin(blamed)).mean()
    all_kinds = _attacks(*ATTRIBUTION_WINDOW, kinds=tuple(data.incidents()["kind"].cat.categories))
    diagnose(value, share, [
        (share * 100, "that looks like a percentage: give the share as a fraction between 0 and 1."),
        (1 - share, "that is the share *with* an attribution; the question asks for those without one."),
        ((~all_kinds["id"].isin(blamed)).mean(), "that includes every kind of incident: keep only "
                                                 "indirect-fire attacks."),
        ((~_attacks()["id"].isin(blamed)).mean(), "that uses every date: keep only attacks from "
                                                  "October 2019 to December 2020."),
    ], "take the indirect-fire attacks in the window; the share whose id is not in "
       "attributions['incident_id'] is the mean of a True/False column.", close=near(0.005))
    return "Most attacks were never publicly pinned on anyone: an absence of evidence, not evidence of absence."


@attribution.question("q3", "a DataFrame with columns actor and incidents: incidents each actor was blamed for or claimed, most first")
def q3(answer):
    table = frame(answer, ["actor", "incidents"], "incidents per actor")
    got = {str(a): whole_number(n, "whole numbers in the incidents column")
           for a, n in zip(table["actor"], table["incidents"])}
    rows = data.attributions()

    def per_actor(statuses):
        kept = rows[rows["status"].isin(statuses)]
        return {str(a): int(n) for a, n in kept.groupby("actor")["incident_id"].nunique().items()}

    expected = per_actor(["claimed", "alleged"])
    if got == expected:
        counts = list(table["incidents"])
        if counts != sorted(counts, reverse=True):
            raise NotYet("the right counts; now sort from the most incidents to the fewest.")
        return "A long tail: umbrella labels, front groups, and a few named groups."
    if got == {str(a): int(n) for a, n in rows["actor"].value_counts().items() if n}:
        raise NotYet("that counts every row: a denial is neither a claim nor an accusation, and an incident "
                     "counts once per actor (nunique).")
    if got == per_actor(["claimed", "alleged", "denied"]):
        raise NotYet("a denial is not a claim or an accusation: leave out the rows whose status is 'denied'.")
    if got == per_actor(["claimed"]):
        raise NotYet("that counts only claims: accusations by others (status 'alleged') count too.")
    if got == per_actor(["alleged"]):
        raise NotYet("that counts only accusations: a group's own claim (status 'claimed') counts too.")
    raise NotYet("keep rows whose status is 'claimed' or 'alleged', then count distinct incidents per actor.")


_ABSENCE_OF_RECORD_OPTIONS = {
    "A": "The claim is false: Asa'ib Ahl al-Haq did not fire at Taji or Balad.",
    "B": "The public record neither confirms nor refutes it: the article rests on sources we cannot check, "
         "and an attack with no public attribution was not shown to be anyone's.",
    "C": "Kata'ib Hezbollah fired them, since the United States blamed it for K-1 and it is the "
         "group most often named.",
    "D": "The claim is confirmed, because no other group is named at those bases.",
}


@attribution.question("q4", f"one of the letters {', '.join(_ABSENCE_OF_RECORD_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _ABSENCE_OF_RECORD_OPTIONS)
    return _option_hints(letter, _ABSENCE_OF_RECORD_OPTIONS, "B", {
        "A": "finding no public attribution is not the same as finding that a group did not fire.",
        "C": "nothing in the table names Kata'ib Hezbollah for most of those attacks; this swaps one "
             "unchecked claim for another.",
        "D": "silence confirms nothing: no group being named is exactly what an unattributed attack looks like.",
    })


_STATUS_OPTIONS = {
    "A": "Kata'ib Hezbollah fired at K-1, because the United States said so.",
    "B": "Islamic State fired at K-1, because an Iraqi body said so.",
    "C": "The table records who said what: an accusation, a denial and a rival accusation; "
         "weighing them needs the evidence behind each.",
    "D": "The accusation is outweighed: Kata'ib Hezbollah and Iran both denied it, two "
         "statements against one.",
}


@attribution.question("q5", f"one of the letters {', '.join(_STATUS_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _STATUS_OPTIONS)
    return _option_hints(letter, _STATUS_OPTIONS, "C", {
        "A": "'alleged' records an accusation, not a finding. Who else speaks about K-1 in the table?",
        "B": "that accusation is one of several rows for K-1; the status column does not rank them.",
        "D": "the table does not count votes: a denial is a statement, like an accusation; "
             "weighing them needs the evidence behind each (weapons, intelligence, claims), not "
             "their number.",
    })


# --- A question that weighs the data -------------------------------------------------------
from tightrope import aftermath as _aftermath  # noqa: E402
from tightrope.checks.core import _attacks as _rows, _judged  # noqa: E402

_NAMED_OPTIONS = {
    "A": "Most attacks of the complete period were not publicly pinned on anyone, and fewer were once weakly "
         "sourced rows are left out: naming the groups rests on sources this table cannot check.",
    "B": "Leaving out the weakly sourced rows makes no difference worth noting, so the flag can be ignored.",
    "C": "The attacks without an attribution were probably not the work of Iran-aligned groups.",
    "D": "The attacks that have an attribution row show who fired them.",
}


@attribution.question("q6", "a dict with keys 'attacks', 'attributed', 'attributed_firm' (whole numbers) "
                            "and 'reading' (a letter)")
def q6(answer):
    window = _rows(data.COMPLETE_FROM, data.COMPLETE_UNTIL)
    rows = data.attributions()
    firm_rows = rows[rows["weakly_sourced"].isna()]
    attributed = int(window["id"].isin(rows["incident_id"]).sum())
    firm = int(window["id"].isin(firm_rows["incident_id"]).sum())
    every = _rows()
    return _judged(answer, {
        "attacks": (len(window), [
            (len(every), "that counts every attack: keep those dated from data.COMPLETE_FROM to "
                         "data.COMPLETE_UNTIL."),
        ], "count the indirect-fire attacks dated from data.COMPLETE_FROM to data.COMPLETE_UNTIL."),
        "attributed": (attributed, [
            (int(rows["incident_id"].isin(window["id"]).sum()), "that counts attribution rows: an attack with "
                                                                "several rows counts once."),
            (int(every["id"].isin(rows["incident_id"]).sum()), "that counts attacks of every date: keep the "
                                                               "complete period."),
            (firm, "'attributed' keeps every row; the count without weak rows goes in 'attributed_firm'."),
        ], "count the attacks of the complete period that have at least one row in the attributions table."),
        "attributed_firm": (firm, [
            (attributed, "leave out the attribution rows whose weakly_sourced cell is filled, then count again."),
        ], "leave out the weakly sourced attribution rows, then count the attacks that still have one."),
    }, _NAMED_OPTIONS, "A", {
        "B": "compare your two counts: some attacks lose their only attribution when the weak rows go.",
        "C": "no attribution is silence, not evidence about who fired (compare q4).",
        "D": "an attribution row records who said what (an accusation, a claim, a denial), not a finding.",
    }, "a dict with keys 'attacks', 'attributed', 'attributed_firm' and 'reading'")
