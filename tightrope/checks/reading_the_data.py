"""Checks for exercise 00, Reading the data package (exercises/00-reading-the-data.ipynb).

In the notebook: ``from tightrope.checks import reading_the_data as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

from tightrope import data
from tightrope.checks.core import (ATTACK, CASUALTY_COLUMNS, CheckSet, NotYet, _attacks, _option_hints,
                                   _records, choice, diagnose, frame, whole_number)

reading_the_data = CheckSet("00-reading-the-data", "Reading the data package")
questions = reading_the_data.questions  # this exercise's checks by question id, as check.q1, check.q2, ...


@reading_the_data.question("q1", "a whole number: how many incidents (rows) the incidents table holds")
def q1(answer):
    value = whole_number(answer, "a whole number of incidents")
    table = data.incidents()
    diagnose(value, len(table), [
        (len(table) + 1, "one too many: a line count of the CSV file includes the header line. "
                         "Count the rows of the DataFrame instead."),
        (len(table.columns), "that is the number of columns (fields). Each row is one incident."),
        (table.size, "that counts every cell (rows × columns). Each row is one incident."),
        (int((table["kind"] == ATTACK).sum()), "that counts only the indirect-fire attacks; "
                                               "the question asks for every incident, whatever its kind."),
    ], "each row of the incidents table is one incident: count the rows (len() or .shape).")
    return "Each row is one incident, with its sources."


@reading_the_data.question("q2", "a DataFrame with columns kind and incidents, one row per kind")
def q2(answer):
    table = frame(answer, ["kind", "incidents"], "one row per kind")
    got = {str(k): whole_number(n, "whole numbers in the incidents column")
           for k, n in zip(table["kind"], table["incidents"])}
    counts = data.incidents()["kind"].astype(str).value_counts()
    expected = {k: int(n) for k, n in counts.items() if n}
    got_nonzero = {k: n for k, n in got.items() if n}
    if set(got_nonzero) == set(data.incidents()["weapon"].astype(str).unique()) - {"nan"}:
        raise NotYet("those are weapons (rocket, IED, ...). The question asks about the kind column.")
    if got_nonzero != expected:
        missing = sorted(set(expected) - set(got_nonzero))
        if missing:
            raise NotYet(f"some kinds are missing ({', '.join(missing)}): count every incident, not a filtered subset.")
        raise NotYet("some counts are off: count the rows of each kind over the whole table "
                     "(value_counts() or groupby('kind').size()).")
    order = [k for k in got if got[k]]
    if order != sorted(order, key=lambda k: -expected[k]):
        raise NotYet("the counts are right; now sort the rows so the most common kind comes first.")
    return "Indirect fire (rockets and mortars) dominates; convoy attacks are a separate kind."


@reading_the_data.question("q3", "a DataFrame of the attacks at Taji with columns id, date, kind, projectiles_high")
def q3(answer):
    columns = ["id", "date", "kind", "projectiles_high"]
    table = frame(answer, columns, "the attacks at Taji")
    incidents = data.incidents()
    expected = _attacks().query("site == 'taji'").sort_values(["date", "id"])
    got_ids = [str(i) for i in table["id"]]
    everything_at_taji = incidents[incidents["site"] == "taji"]
    if set(got_ids) == set(everything_at_taji["id"]) and len(everything_at_taji) != len(expected):
        raise NotYet("this includes incidents that are not attacks (foiled plots): keep only the kind "
                     "'indirect fire'.")
    if len(got_ids) > len(expected) and set(expected["id"]) <= set(got_ids):
        raise NotYet("too many rows: filter on the site column (the site id 'taji'); a province holds many sites.")
    if sorted(got_ids) != sorted(expected["id"]):
        raise NotYet("these are not the attacks at Taji: keep rows whose site is 'taji' and whose kind is "
                     "'indirect fire'.")
    if got_ids != list(expected["id"]):
        raise NotYet("the right rows; now sort them by date, earliest first.")
    if _records(table, columns) != _records(expected, columns):
        raise NotYet("the rows are right but some values differ from the table: keep the columns as they are.")
    return "One site, in date order: a small timeline of its own."


@reading_the_data.question("q4", "a whole number: US service members killed, over all incidents")
def q4(answer):
    value = whole_number(answer, "a whole number of people killed")
    table = data.incidents()
    total = lambda cols: int(table[cols].sum().sum())  # blanks (not reported) are skipped
    diagnose(value, total(["killed_us"]), [
        (total(["killed_us", "killed_contractor"]), "that adds another group: contractors and other "
                                                    "coalition troops have their own columns."),
        (total(["killed_us", "killed_coalition"]), "that adds another group: contractors and other "
                                                   "coalition troops have their own columns."),
        (total(["killed_us", "killed_coalition", "killed_contractor"]),
         "that adds other groups: the question asks only about US service members (killed_us)."),
        (total([c for c in CASUALTY_COLUMNS if c.startswith("killed_")]),
         "that adds every group's deaths, Iraqis included: the question asks only about US service members "
         "(killed_us)."),
        (int((table["killed_us"].fillna(0) > 0).sum()), "that counts incidents with a death rather than people: "
                                                        "add up killed_us over all rows."),
        (int(_attacks()["killed_us"].sum()), "that leaves out incidents that are not rocket fire: "
                                             "add up killed_us over all rows."),
    ], "add up the killed_us column over the whole table; blanks mean 'not reported' and are skipped.")
    return "Blank cells were skipped by the sum: they mean 'not reported', not zero."


_BLANK_OPTIONS = {
    "A": "No one in that group was killed.",
    "B": "The sources read for this row did not report a figure.",
    "C": "The attack was foiled, so there were no casualties.",
    "D": "The sources disagree on the figure, so the row leaves it out until they agree.",
}


@reading_the_data.question("q5", f"one of the letters {', '.join(_BLANK_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _BLANK_OPTIONS)
    return _option_hints(letter, _BLANK_OPTIONS, "B", {
        "A": "a zero is written as 0 in the table. Look at the data dictionary: what does a blank cell stand for?",
        "C": "foiled plots are a separate kind; blanks appear in many kinds of incident.",
        "D": "a disputed figure is not left blank: the row carries one source's figure and the "
             "estimates table lists every source's figure. A blank is about what the sources "
             "said, not about disagreement.",
    })


# --- A question that weighs the data -------------------------------------------------------
from tightrope import aftermath as _aftermath  # noqa: E402
from tightrope.checks.core import _attacks as _rows, _judged  # noqa: E402

_COMPLETE_OPTIONS = {
    "A": "Attacks were rarer before October 2019 than after it: the table holds far fewer of them per month.",
    "B": "Counts can be compared only inside the complete period; outside it they are floors (at least that "
         "many), so a quiet month there may be a gap in the record.",
    "C": "The rows outside the complete period are unreliable and should be dropped from every analysis.",
}


@reading_the_data.question("q6", "a dict with keys 'inside', 'outside' (whole numbers) and 'reading' (a letter)")
def q6(answer):
    every = _rows()
    inside = len(_rows(data.COMPLETE_FROM, data.COMPLETE_UNTIL))
    all_kinds = data.incidents()
    all_inside = all_kinds["date"].between(data.COMPLETE_FROM, data.COMPLETE_UNTIL).sum()
    return _judged(answer, {
        "inside": (inside, [
            (int(all_inside), "that counts every kind of incident: keep kind 'indirect fire'."),
            (len(every), "that counts every attack in the table: keep those dated from data.COMPLETE_FROM "
                         "to data.COMPLETE_UNTIL, both days included."),
            (len(_rows(data.COMPLETE_FROM, "2019-12-31")), "the complete period runs into 2020: print "
                                                           "data.COMPLETE_UNTIL."),
        ], "count the indirect-fire attacks dated from data.COMPLETE_FROM to data.COMPLETE_UNTIL."),
        "outside": (len(every) - inside, [
            (len(all_kinds) - int(all_inside), "that counts every kind of incident: keep kind 'indirect fire'."),
            (len(every), "that is every attack: take away those inside the complete period."),
        ], "count the indirect-fire attacks dated before data.COMPLETE_FROM or after data.COMPLETE_UNTIL."),
    }, _COMPLETE_OPTIONS, "B", {
        "A": "before data.COMPLETE_FROM the table is a sample: a low count there may be a gap in the record, "
             "not a calm month.",
        "C": "each row outside the complete period is sourced like any other; what is incomplete is the list, "
             "so its counts are floors, but single incidents can still be used.",
    }, "a dict with keys 'inside', 'outside' and 'reading'")
