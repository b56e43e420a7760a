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
    "B": "The Iraqi parliament supports the presence of US forces.",
    "C": "Every rocket attack is claimed by the group that fired it.",
    "D": "Kata'ib Hezbollah fired every rocket at US bases.",
}


@deterrence.question("q3", f"one of the letters {', '.join(_ASSUMPTION_OPTIONS)} as a string")
def q3(answer):
    letter = choice(answer, _ASSUMPTION_OPTIONS)
    return _option_hints(letter, _ASSUMPTION_OPTIONS, "A", {
        "B": "the deterrence argument is about what militias do when they pay a price; parliament belongs "
             "to the eviction argument.",
        "C": "deterrence does not need claims; the article says the US can identify attackers without them.",
        "D": "the article itself says other groups fire too; deterrence is aimed at Iran and its allies as a whole.",
    })


_CAUSE_OPTIONS = {
    "A": "More precise rocket counts for each attack.",
    "B": "Some idea of how many attacks there would have been without the strikes, such as a comparison "
         "with the trend or other events of the same weeks.",
    "C": "A longer list of the bases that were attacked.",
    "D": "Nothing more: a change in the rate after the strikes shows their effect.",
}


@deterrence.question("q4", f"one of the letters {', '.join(_CAUSE_OPTIONS)} as a string")
def q4(answer):
    letter = choice(answer, _CAUSE_OPTIONS)
    return _option_hints(letter, _CAUSE_OPTIONS, "B", {
        "A": "better counts sharpen the before and after numbers but cannot say what caused the change.",
        "C": "where attacks fell does not say why their number changed.",
        "D": "much else happened in those weeks (Soleimani's killing, Iran's missiles, the parliament vote): "
             "before and after alone cannot separate the strikes' effect from the rest.",
    })


_TEST_OPTIONS = {
    "A": "The barrages on Taji in March 2020 that killed US and British troops.",
    "B": "Parliament's vote of 5 January 2020 on foreign forces.",
    "C": "The protest death toll reported in December 2019.",
    "D": "The handover of K-1 to Iraqi forces in March 2020.",
}


@deterrence.question("q5", f"one of the letters {', '.join(_TEST_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _TEST_OPTIONS)
    return _option_hints(letter, _TEST_OPTIONS, "A", {
        "B": "the vote bears on the risk of eviction, a different step of the argument.",
        "C": "the protest toll matters to the reform argument, not to whether militias were deterred.",
        "D": "a handover is a coalition decision; the deterrence claim is about militia attacks.",
    })
