"""Checks for exercise 03, Deterrence (exercises/03-deterrence.ipynb).

In the notebook: ``from tightrope.checks import deterrence as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

from tightrope import data
from tightrope.checks.core import (CheckSet, NotYet, STRIKES, _attacks, _option_hints, _records, choice,
                                   diagnose, frame, near, number)

deterrence = CheckSet("03-deterrence", "Deterrence")
questions = deterrence.questions  # this exercise's checks by question id, as check.q1, check.q2, ...
BEFORE = ("2019-10-30", "2019-12-28")  # the 60 days before the strikes of 29 December 2019
AFTER = ("2019-12-30", "2020-02-27")  # the 60 days after them
WINDOW_DAYS = 60


@deterrence.question("q1", "a DataFrame with columns given_by, value, qualifier: each source's death toll for the strikes")
def q1(answer):
    columns = ["given_by", "value", "qualifier"]
    table = frame(answer, columns, "the death tolls given for the strikes")
    for value in table["value"]:
        number(value, "a number for each toll in the value column")
    estimates = data.estimates()
    strikes = estimates[estimates["subject"] == STRIKES]
    expected = strikes[strikes["quantity"] == "killed"]
    got = _records(table, columns)
    if sorted(got, key=str) == sorted(_records(expected, columns), key=str):
        values = [row[1] for row in got]
        if values != sorted(values, reverse=True):
            raise NotYet("the right figures; now sort them from the highest toll to the lowest.")
        return "Where sources give different figures, the book keeps them all, with who gave each."
    if sorted(got, key=str) == sorted(_records(strikes, columns), key=str):
        raise NotYet("this includes the wounded: keep only the rows whose quantity is 'killed'.")
    if len(got) > len(expected):
        raise NotYet(f"too many rows: keep only the estimates whose subject is {STRIKES!r} "
                     "and whose quantity is 'killed'.")
    raise NotYet(f"these are not the death tolls for the strikes: filter estimates on subject {STRIKES!r} "
                 "and quantity 'killed'.")


@deterrence.question("q2", "a number: indirect-fire attacks per 30 days in the 60 days after the strikes")
def q2(answer):
    value = number(answer, "a rate: attacks per 30 days")
    after = _attacks(*AFTER)
    rate = len(after) / WINDOW_DAYS * 30
    all_kinds = tuple(data.incidents()["kind"].cat.categories)
    diagnose(value, rate, [
        (len(after) / WINDOW_DAYS, "that is a rate per day: the question asks per 30 days."),
        (len(after), "that is the number of attacks in 60 days; turn it into a rate per 30 days."),
        (len(_attacks(*AFTER, kinds=all_kinds)) / WINDOW_DAYS * 30,
         "that counts Iran's ballistic missiles too: the question is about militia rocket and mortar fire "
         "(indirect fire)."),
        (len(_attacks("2019-12-29", AFTER[1])) / WINDOW_DAYS * 30,
         "the window starts the day after the strikes (30 December); an attack on the day of the "
         "strikes cannot tell us how militias answered them."),
    ], f"count indirect-fire attacks from {AFTER[0]} to {AFTER[1]} (both included), divide by "
       f"{WINDOW_DAYS} days and multiply by 30.", close=near(0.01))
    return "Compare it with the rate before: the attacks did not stop."


_ASSUMPTION_OPTIONS = {
    "A": "Militia leaders weigh costs against gains, and can stop their fighters when the cost rises.",
    "B": "That Iraqi leaders would not follow through on evicting US forces after the strikes.",
    "C": "That the militias claim their attacks, so the US knows whom to punish.",
    "D": "That Kata'ib Hezbollah alone fired the rockets, so striking it would end the attacks.",
}


@deterrence.question("q3", f"one of the letters {', '.join(_ASSUMPTION_OPTIONS)} as a string")
def q3(answer):
    letter = choice(answer, _ASSUMPTION_OPTIONS)
    return _option_hints(letter, _ASSUMPTION_OPTIONS, "A", {
        "B": "that is the assumption of the article's eviction argument, a later step; the "
             "deterrence claim itself is about how militia leaders respond when they pay a "
             "price.",
        "C": "deterrence does need the US to know whom to punish, but the article says it can "
             "identify attackers without public claims (and the attributions table shows claims "
             "are rare).",
        "D": "the article itself says other groups fire too; deterrence is aimed at Iran and its allies as a whole.",
    })


_CAUSE_OPTIONS = {
    "A": "A longer period after the strikes, to show whether the change in the rate lasted.",
    "B": "Some idea of how many attacks there would have been without the strikes, such as a comparison "
         "with the trend or other events of the same weeks.",
    "C": "The militias' own statements on why they held their fire or fired.",
    "D": "Nothing more: a change in the rate after the strikes shows their effect.",
}


@deterrence.question("q4", f"one of the letters {', '.join(_CAUSE_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _CAUSE_OPTIONS)
    return _option_hints(letter, _CAUSE_OPTIONS, "B", {
        "A": "a lasting change still does not say what caused it: Soleimani's killing and Iran's"
             " missiles came in the same weeks, and a longer window adds more such events.",
        "C": "statements are evidence to weigh, but they say what the groups wanted heard; they "
             "do not give the number of attacks there would have been without the strikes.",
        "D": "much else happened in those weeks (Soleimani's killing, Iran's missiles, the parliament vote): "
             "before and after alone cannot separate the strikes' effect from the rest.",
    })


_TEST_OPTIONS = {
    "A": "The barrages on Taji in March 2020 that killed US and British troops.",
    "B": "Parliament's vote of 5 January 2020 on foreign forces.",
    "C": "Iran's missile strike on al-Asad of 8 January 2020.",
    "D": "The handover of K-1 to Iraqi forces in March 2020.",
}


@deterrence.question("q5", f"one of the letters {', '.join(_TEST_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _TEST_OPTIONS)
    return _option_hints(letter, _TEST_OPTIONS, "A", {
        "B": "the vote bears on the risk of eviction, a different step of the argument.",
        "C": "that was Iran's own state strike, answering Soleimani's killing; the deterrence "
             "claim is about the Iraqi militias' rocket attacks.",
        "D": "a handover is a coalition decision; the deterrence claim is about militia attacks.",
    })


# --- A question that weighs the data -------------------------------------------------------
from tightrope import aftermath as _aftermath  # noqa: E402
from tightrope.checks.core import _attacks as _rows, _judged  # noqa: E402

_TOLL_OPTIONS = {
    "A": "Give the range of the better-sourced tolls and say that a higher one rests on a single weak source.",
    "B": "Give the highest toll carried by a wire service (Reuters) and note the earlier, lower tolls.",
    "C": "Give the highest toll, since later counts include fighters who died of their wounds.",
    "D": "Give the lowest toll, since the militias had reason to inflate their losses.",
}


@deterrence.question("q6", "a dict with keys 'low', 'high', 'high_firm' (whole numbers) and 'reading' (a letter)")
def q6(answer):
    estimates = data.estimates()
    low, high = _aftermath.estimate_range(estimates, STRIKES, "killed")
    rows = estimates[estimates["subject"] == STRIKES]
    killed = rows[rows["quantity"] == "killed"]
    firm = int(killed.loc[killed["weakly_sourced"].isna(), "value"].max())
    return _judged(answer, {
        "low": (low, [
            (int(rows["value"].min()), "that mixes in the wounded: keep quantity 'killed'."),
        ], "take the lowest 'killed' figure for the strikes (subject STRIKES) in the estimates table."),
        "high": (high, [
            (int(rows["value"].max()), "that mixes in the wounded: keep quantity 'killed'."),
            (firm, "'high' is the highest figure of all; the better-sourced one goes in 'high_firm'."),
        ], "take the highest 'killed' figure for the strikes in the estimates table."),
        "high_firm": (firm, [
            (high, "that figure rests on a weakly sourced row: leave out rows whose weakly_sourced cell is "
                   "filled, then take the highest."),
            (int(rows.loc[rows["weakly_sourced"].isna(), "value"].max()), "that mixes in the wounded: keep "
                                                                          "quantity 'killed'."),
        ], "leave out the weakly sourced rows, then take the highest 'killed' figure."),
    }, _TOLL_OPTIONS, ("A", "B"), {
        "C": "the highest figure rests on a weakly sourced row (read its weakly_sourced cell): a later toll is "
             "not the same as a better-sourced one.",
        "D": "the lowest figure is marked 'at least' in the qualifier column: a floor reported early, not a "
             "count that contradicts the others.",
    }, "a dict with keys 'low', 'high', 'high_firm' and 'reading'")
