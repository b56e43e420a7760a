"""Checks for exercise 09, Source criticism (exercises/09-source-criticism.ipynb).

In the notebook: ``from tightrope.checks import source_criticism as check``, then ``check.q1(answer)``.
"""
from __future__ import annotations

import pandas as pd

from tightrope import data, sources
from tightrope.checks.core import (CheckSet, NotYet, WrongKind, _judged, _kind, _option_hints, choice, frame,
                                   whole_number)

source_criticism = CheckSet("09-source-criticism", "Source criticism")
questions = source_criticism.questions  # this exercise's checks by question id, as check.q1, check.q2, ...

TRACED = "2020-01-08-ain-al-asad"  # q1: the incidents row whose sources are traced
GRADED = "C35"                     # q2: the claim whose sources are graded
WEIGHED = ("2020-03-11-taji", "projectiles")  # q5: the figure whose sources disagree


def _present(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and str(value).strip() != ""


def _register() -> pd.DataFrame:
    return data.sources().set_index("id", drop=False)


def _trail(incident: str) -> list[tuple[str, str, str]]:
    """(id, kind, written by) for each source of one incidents row, in the order the row cites them."""
    row = data.incidents().set_index("id").loc[incident]
    register = _register()
    trail = []
    for i in sources.ids_in(row["sources"]):
        entry = register.loc[i]
        writer = entry["original"] if _present(entry["original"]) else entry["outlet"]
        trail.append((i, str(entry["kind"]), str(writer)))
    return trail


@source_criticism.question("q1", f"a DataFrame with columns id, kind and written_by: one row per source of "
                                 f"the incidents row {TRACED!r}, in the order the row cites them")
def q1(answer):
    table = frame(answer, ["id", "kind", "written_by"], "the sources of one incidents row")
    expected = _trail(TRACED)
    got_ids = [str(i).strip() for i in table["id"]]
    want_ids = [i for i, _, _ in expected]
    if sorted(got_ids) != sorted(want_ids):
        estimate_ids = set()
        rows = data.estimates()
        for cell in rows.loc[rows["subject"] == TRACED, "sources"]:
            estimate_ids.update(sources.ids_in(cell))
        if set(got_ids) < set(want_ids):
            raise NotYet("some sources are missing: a sources cell can hold several ids separated by ' | '; "
                         "split it and keep every one.")
        if set(got_ids) and set(got_ids) <= estimate_ids:
            raise NotYet("those are the sources of estimates (one figure each); the question asks for every "
                         f"source the incidents row {TRACED!r} cites in its sources cell.")
        raise NotYet(f"these are not the sources of the incidents row {TRACED!r}: take its sources cell, split it "
                     "on ' | ', and look each id up in the register (data.sources()).")
    if got_ids != want_ids:
        raise NotYet("the right sources; now keep them in the order the sources cell lists them (best first), "
                     "not sorted.")
    register = _register()
    for (i, kind, writer), got_kind, got_writer in zip(expected, table["kind"], table["written_by"]):
        if str(got_kind) != kind:
            raise NotYet(f"the kind of {i!r} is not {got_kind!r}: read the register's kind column.")
        if not _present(got_writer):
            raise NotYet(f"written_by is blank for {i!r}: the original column is blank when the outlet wrote "
                         "the story itself; then the outlet is the writer.")
        if str(got_writer).strip() != writer:
            if str(got_writer).strip() == str(register.loc[i, "outlet"]):
                raise NotYet(f"{i!r} is syndicated copy: {got_writer} carried it, but {writer} wrote it. Use "
                             "the original column when it is filled, and the outlet only when it is blank.")
            raise NotYet(f"written_by for {i!r} should name who wrote the story: the original column when it is "
                         "filled, else the outlet.")
    agencies = sorted({w for i, _, w in expected if _present(register.loc[i, "original"])})
    if agencies:
        return (f"{' and '.join(agencies)} wrote what other papers carried. The row's sources back the row as a "
                "whole; who gave each casualty count is in the estimates table (given_by).")
    return "Every source here wrote its own story. Who gave each figure is in the estimates table (given_by)."


def _claim_kinds(claim: str) -> list[str]:
    row = data.claims().set_index("id").loc[claim]
    register = _register()
    return [str(register.loc[i, "kind"]) for i in sources.ids_in(row["sources"])]


@source_criticism.question("q2", f"a dict with keys 'kinds' (a list of the kinds of claim {GRADED}'s sources) "
                                 "and 'weak_only' (True or False)")
def q2(answer):
    keys = ["kinds", "weak_only"]
    if not isinstance(answer, dict):
        raise WrongKind(f"expected a dict with keys {keys}, got {_kind(answer)}.")
    missing = [k for k in keys if k not in answer]
    if missing:
        raise WrongKind(f"expected a dict with keys {keys}; missing {missing}, got a dict with keys {list(answer)}.")
    kinds = answer["kinds"]
    if isinstance(kinds, pd.Series):
        kinds = kinds.tolist()
    if isinstance(kinds, str) or not isinstance(kinds, (list, tuple)):
        raise WrongKind(f"'kinds' should be a list of kinds (e.g. ['wire', 'outlet']), got {_kind(kinds)}.")
    got = sorted(str(k).strip() for k in kinds)
    expected = _claim_kinds(GRADED)
    register = _register()
    if got != sorted(expected):
        row = data.claims().set_index("id").loc[GRADED]
        outlets = sorted(str(register.loc[i, "outlet"]) for i in sources.ids_in(row["sources"]))
        if got == outlets or set(got) <= set(register["outlet"].astype(str)):
            raise NotYet("'kinds': those are outlets; the register's kind column says what sort of source each is.")
        if set(got) - set(sources.KINDS):
            raise NotYet(f"'kinds': {sorted(set(got) - set(sources.KINDS))} are not kinds of source; the kinds "
                         f"are {list(sources.KINDS)}.")
        if len(got) < len(expected):
            raise NotYet(f"'kinds': one kind per source, and claim {GRADED} cites more than that: split its "
                         "sources cell on ' | '.")
        raise NotYet(f"'kinds': take claim {GRADED}'s sources cell, split it on ' | ' and read each id's kind in "
                     "the register.")
    weak_only = answer["weak_only"]
    if type(weak_only).__module__ == "numpy" and hasattr(weak_only, "item"):
        weak_only = weak_only.item()
    if not isinstance(weak_only, bool):
        raise WrongKind(f"'weak_only' should be True or False, got {_kind(weak_only)}.")
    truth = not any(k in sources.STRONG_KINDS for k in expected)
    if weak_only != truth:
        if truth:
            raise NotYet(f"'weak_only': is any of those kinds in sources.STRONG_KINDS {list(sources.STRONG_KINDS)}? "
                         "A source can be official in what it reports and still be state-affiliated media.")
        raise NotYet("'weak_only': at least one of those kinds is in sources.STRONG_KINDS, so the claim does not "
                     "rest on weak kinds only.")
    if truth:
        return ("A 'corroborated' verdict that rests only on state-affiliated copy: the row is flagged, and its "
                "weakly_sourced cell says why.")
    return "At least one source of a kind that can carry a fact alone."


@source_criticism.question("q3", "a DataFrame with columns kind and entries: register entries of each kind, most first")
def q3(answer):
    table = frame(answer, ["kind", "entries"], "register entries per kind")
    got = {str(k): whole_number(n, "whole numbers in the entries column")
           for k, n in zip(table["kind"], table["entries"])}
    register = data.sources()
    expected = {str(k): int(n) for k, n in register["kind"].astype(str).value_counts().items() if n}
    got_nonzero = {k: n for k, n in got.items() if n}
    if got_nonzero != expected:
        tables = {name: data.load(name) for name in data.CITING}
        cited = sources.citations_by_kind(tables, register)
        if got_nonzero == {str(k): int(n) for k, n in cited.items() if n}:
            raise NotYet("that counts citations (a row citing a source), so a source cited by ten rows counts ten "
                         "times. Count the entries (rows) of the register itself.")
        outlets = register.groupby(register["kind"].astype(str))["outlet"].nunique()
        if got_nonzero == {str(k): int(n) for k, n in outlets.items() if n}:
            raise NotYet("that counts distinct outlets of each kind; the question counts register entries "
                         "(documents), and one outlet can have many.")
        syndicated = register[register["original"].notna()]["kind"].astype(str).value_counts()
        if got_nonzero == {str(k): int(n) for k, n in syndicated.items() if n}:
            raise NotYet("that counts only syndicated copy (original filled); count every register entry.")
        raise NotYet("count the rows of data.sources() by their kind column (value_counts()).")
    order = [k for k in got if got[k]]
    if order != sorted(order, key=lambda k: -expected[k]):
        raise NotYet("the right counts; now sort them so the most common kind comes first.")
    strong = sum(n for k, n in expected.items() if k in sources.STRONG_KINDS)
    return (f"{strong} of {sum(expected.values())} entries are of a kind that can carry a fact alone; "
            "official documents are few.")


def _disputed(estimates: pd.DataFrame, incidents_only: bool = True, by=("subject", "quantity")) -> dict:
    """{(subject, quantity): (low, high)} where the figures for one subject and quantity differ."""
    if incidents_only:
        estimates = estimates[estimates["subject"].isin(data.incidents()["id"])]
    groups = estimates.groupby(list(by), observed=True)["value"].agg(["min", "max"])
    groups = groups[groups["min"] != groups["max"]]
    return {tuple(str(k) for k in (key if isinstance(key, tuple) else (key,))): (int(lo), int(hi))
            for key, lo, hi in zip(groups.index, groups["min"], groups["max"])}


@source_criticism.question("q4", "a DataFrame with columns subject, quantity, low and high: one row per incident and "
                                 "quantity whose figures differ")
def q4(answer):
    table = frame(answer, ["subject", "quantity", "low", "high"], "incidents whose figures differ")
    got = {}
    for s, q, lo, hi in zip(table["subject"], table["quantity"], table["low"], table["high"]):
        key = (str(s), str(q))
        if key in got:
            raise NotYet("a subject and quantity appear more than once: group by subject and quantity so each "
                         "pair has one row.")
        got[key] = (whole_number(lo, "whole numbers in the low column"),
                    whole_number(hi, "whole numbers in the high column"))
    estimates = data.estimates()
    expected = _disputed(estimates)
    if got == expected:
        return (f"{len(expected)} figures are disputed, for {len({s for s, _ in expected})} incidents: "
                "disagreement is ordinary in this reporting.")
    if all(lo > hi for lo, hi in got.values()) and {k: (hi, lo) for k, (lo, hi) in got.items()} == expected:
        raise NotYet("low and high are the wrong way round: low is the smallest figure (min), high the largest.")
    everything = _disputed(estimates, incidents_only=False)
    if got == everything:
        raise NotYet("this includes events (such as the US strikes): keep estimates whose subject is an incident "
                     "id (in data.incidents()['id']).")
    if set(expected) < set(got):
        extra = [k for k in got if k not in expected]
        if all(got[k][0] == got[k][1] for k in extra if k in got):
            raise NotYet("this includes figures on which the sources agree (low equals high): keep only the rows "
                         "where the two differ.")
    if set(got) == set(expected):
        raise NotYet("the right pairs, but some low or high figures are off: take the min and max of value "
                     "within each subject and quantity.")
    raise NotYet("keep the estimates of incidents, group them by subject and quantity, take the min and max "
                 "of value, and keep the pairs where they differ.")


_TAJI_OPTIONS = {
    "A": "About 30: two sources give it (a US official speaking to AP, and Anadolu), so it is the best "
         "corroborated figure.",
    "B": "About 18 struck the base, from the coalition's formal statement, saying whose figure it is and that "
         "a US official spoke of up to 30 fired.",
    "C": "10: the Security Media Cell speaks for Iraq's own government, the host state, so its count outranks "
         "a foreign military's.",
    "D": "The average of the figures, about 21, since no single source can be trusted.",
}


@source_criticism.question("q5", f"one of the letters {', '.join(_TAJI_OPTIONS)} as a string")
def q5(answer):
    letter = choice(answer, _TAJI_OPTIONS)
    return _option_hints(letter, _TAJI_OPTIONS, "B", {
        "A": "the two are not of equal weight, and not of the same thing: 'up to 30' is a ceiling from an "
             "unnamed official counting rockets fired (read its notes), and Anadolu's figure names no origin and "
             "comes from state-affiliated media (its row is flagged). Two reports are corroboration only when "
             "each rests on its own evidence.",
        "C": "that ranks the figures by whose government gave them, not by who could count and when: the "
             "Security Media Cell's 10 was its first statement on the night, later superseded (read the notes), "
             "and the coalition's own statement came after the impacts on its base were counted. Both are "
             "official; read the given_by and notes columns.",
        "D": "an average mixes a first count, a formal count, a ceiling and an unsourced figure, and gives a "
             "number no one reported. Weigh the figures by who gave them and when, and say so.",
    })


_WEAK_OPTIONS = {
    "A": "Some disagreements exist only because of a weakly sourced figure, but most are between sources of "
         "strong kinds: disagreement is the ordinary state of this reporting, and a range that rests on a "
         "flagged figure deserves less weight.",
    "B": "Most disagreements come from weak sources: leave the flagged figures out and the record is settled.",
    "C": "Leaving the flagged figures out makes no difference worth noting, so the flag can be ignored.",
    "D": "Where a weak figure disagrees with a strong one the strong one is right, so the flagged rows should "
         "be deleted from the data.",
}


@source_criticism.question("q6", "a dict with keys 'disputed', 'disputed_firm' (whole numbers) "
                                 "and 'reading' (a letter)")
def q6(answer):
    estimates = data.estimates()
    every = _disputed(estimates)
    firm_rows = estimates[estimates["weakly_sourced"].isna()]
    firm = _disputed(firm_rows)
    incidents = data.incidents()
    strong_incidents = incidents.loc[incidents["weakly_sourced"].isna(), "id"]
    by_row_flag = _disputed(estimates[estimates["subject"].isin(strong_incidents)])
    return _judged(answer, {
        "disputed": (len(every), [
            (len({s for s, _ in every}), "that counts incidents; count incident-and-quantity pairs, the rows of "
                                         "your q4 table."),
            (len(_disputed(estimates, incidents_only=False)), "that includes events: keep the subjects that are "
                                                              "incidents, as in q4."),
        ], "count the rows of your q4 table: incident-and-quantity pairs whose figures differ."),
        "disputed_firm": (len(firm), [
            (len(every), "leave out the estimates whose weakly_sourced cell is filled, then find the "
                         "disagreements again."),
            (len({s for s, _ in firm}), "that counts incidents; count incident-and-quantity pairs, as in "
                                        "'disputed'."),
            (len(by_row_flag), "that drops incidents whose incidents row is flagged; the flag that matters here "
                               "is on each estimate (estimates['weakly_sourced'])."),
            (len(every) - len(firm), "that is how many disagreements vanish; the question asks how many remain."),
        ], "leave out the weakly sourced estimates, then count the incident-and-quantity pairs whose figures "
           "still differ."),
    }, _WEAK_OPTIONS, "A", {
        "B": "compare your two counts: most disagreements remain once the flagged figures are left out.",
        "C": "compare your two counts: some disagreements vanish once the flagged figures are left out.",
        "D": "a flag lowers a figure's weight; it does not show the figure is wrong, and deleting it would hide "
             "what was reported. The data keeps every figure, flagged, for that reason.",
    }, "a dict with keys 'disputed', 'disputed_firm' and 'reading'")
