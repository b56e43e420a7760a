"""Exercise 09, source criticism: every check accepts the right answer and rejects plausible wrong ones.

Right and wrong answers are computed here with plain pandas, the way a student
would, from the same data package the checks read; each wrong answer is paired
with a fragment of the hint it must give.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tightrope import answers, checks, data, sources
from tightrope.checks import NoAnswer, NotYet, WrongKind
from tightrope.checks import source_criticism as check

REG = data.sources()
INC = data.incidents()
CLAIMS = data.claims()
EST = data.estimates()
TABLES = {name: data.load(name) for name in data.CITING}


# --- Answers a student might give ------------------------------------------------------

def trail(incident="2020-01-08-ain-al-asad", writer="written"):
    ids = sources.ids_in(INC.set_index("id").at[incident, "sources"])
    table = REG.set_index("id").loc[ids, ["kind", "outlet", "original"]].reset_index()
    if writer == "written":
        table["written_by"] = table["original"].fillna(table["outlet"])
    else:
        table["written_by"] = table[writer]
    return table


def graded(claim="C35", weak_only=None, first_only=False, column="kind"):
    ids = sources.ids_in(CLAIMS.set_index("id").at[claim, "sources"])
    ids = ids[:1] if first_only else ids
    values = REG.set_index("id").loc[ids, column].astype(str)
    kinds = REG.set_index("id").loc[ids, "kind"].astype(str)
    if weak_only is None:
        weak_only = not kinds.isin(sources.STRONG_KINDS).any()
    return {"kinds": list(values), "weak_only": weak_only}


def by_kind(rows=None, ascending=False):
    rows = REG if rows is None else rows
    return rows["kind"].value_counts(ascending=ascending).rename("entries").reset_index()


def ranges(rows=EST, incidents_only=True):
    if incidents_only:
        rows = rows[rows["subject"].isin(INC["id"])]
    return (rows.groupby(["subject", "quantity"], observed=True)["value"].agg(low="min", high="max")
            .reset_index())


def disputed(rows=EST, incidents_only=True):
    table = ranges(rows, incidents_only)
    return table[table["low"] != table["high"]]


def weighed(**changes):
    answer = {"disputed": len(disputed()),
              "disputed_firm": len(disputed(EST[EST["weakly_sourced"].isna()])),
              "reading": "A"}
    return {**answer, **changes}


CITED = sources.citations_by_kind(TABLES, REG)
OUTLETS = REG.groupby(REG["kind"].astype(str))["outlet"].nunique()
SYNDICATED = REG[REG["original"].notna()]

CASES = {
    "q1": (trail, [
        (lambda: trail(writer="outlet"), "syndicated copy"),
        (lambda: trail(writer="original"), "written_by is blank"),
        (lambda: trail().sort_values("id"), "order the sources cell lists them"),
        (lambda: trail().iloc[:1], "some sources are missing"),
        (lambda: trail("2020-01-08-erbil-airport"), "not the sources of the incidents row"),
        (lambda: trail().assign(kind="wire"), "read the register's kind column"),
        (lambda: REG[REG["id"].isin(sources.ids_in(EST.set_index("id").at["E027", "sources"]))]
         .assign(written_by="a paper"), "sources of estimates"),
        (lambda: trail().drop(columns="written_by"), "missing ['written_by']"),
        (lambda: trail()["written_by"], "a Series becomes a DataFrame"),
    ]),
    "q2": (graded, [
        (lambda: graded(column="outlet"), "those are outlets"),
        (lambda: graded(first_only=True), "one kind per source"),
        (lambda: graded(weak_only=False), "STRONG_KINDS"),
        (lambda: graded("C25"), "one kind per source"),
        (lambda: graded("C23"), "take claim C35's sources cell"),
        (lambda: {**graded(), "weak_only": "yes"}, "True or False"),
        (lambda: {**graded(), "kinds": "state-affiliated"}, "a list of kinds"),
        (lambda: {"kinds": graded()["kinds"]}, "missing ['weak_only']"),
    ]),
    "q3": (by_kind, [
        (lambda: by_kind(ascending=True), "most common kind comes first"),
        (lambda: CITED.rename("entries").rename_axis("kind").reset_index(), "counts citations"),
        (lambda: OUTLETS.rename("entries").rename_axis("kind").reset_index(), "distinct outlets"),
        (lambda: by_kind(SYNDICATED), "only syndicated copy"),
        (lambda: REG["kind"].value_counts().reset_index(), "missing ['entries']"),
        (lambda: REG["kind"].value_counts(), "reset_index"),
    ]),
    "q4": (disputed, [
        (lambda: disputed(incidents_only=False), "includes events"),
        (lambda: ranges(), "sources agree"),
        (lambda: disputed().rename(columns={"low": "high", "high": "low"}), "wrong way round"),
        (lambda: disputed().assign(high=disputed()["high"] + 1), "some low or high figures are off"),
        (lambda: disputed().iloc[:5], "keep the estimates of incidents"),
        (lambda: pd.concat([disputed(), disputed().iloc[:1]]), "more than once"),
        (lambda: disputed().drop(columns="quantity"), "missing ['quantity']"),
    ]),
    "q5": (lambda: "b", [
        (lambda: "A", "rockets fired"), (lambda: "C", "whose government"), (lambda: "D", "no one reported"),
        (lambda: "E", "expected one of the letters"), (lambda: 2, "as a string"),
    ]),
    "q6": (weighed, [
        (lambda: weighed(reading="B"), "most disagreements remain"),
        (lambda: weighed(reading="C"), "some disagreements vanish"),
        (lambda: weighed(reading="D"), "does not show the figure is wrong"),
        (lambda: weighed(disputed=disputed()["subject"].nunique()), "that counts incidents"),
        (lambda: weighed(disputed=len(disputed(incidents_only=False))), "includes events"),
        (lambda: weighed(disputed_firm=len(disputed())), "leave out the estimates whose weakly_sourced"),
        (lambda: weighed(disputed_firm=len(disputed()) - weighed()["disputed_firm"]), "how many remain"),
        (lambda: weighed(disputed_firm=2.5), "a whole number"),
        (lambda: {"disputed": 1}, "missing ['disputed_firm', 'reading']"),
    ]),
}
WRONG = [(q, i) for q, (_, wrongs) in CASES.items() for i in range(len(wrongs))]


def test_the_exercise_is_registered_with_every_question_covered():
    assert checks.SETS["09-source-criticism"] is check.source_criticism
    assert set(CASES) == set(check.questions), "a check without test cases, or cases for a check that is gone"
    assert all(len(wrongs) >= 3 for _, wrongs in CASES.values())
    assert "source_criticism" in checks.__all__


@pytest.mark.parametrize("question", list(CASES))
def test_right_answer_is_confirmed(question, capsys):
    check.questions[question](CASES[question][0]())
    out = capsys.readouterr().out
    assert out.startswith(f"✓ {question}: correct."), out


@pytest.mark.parametrize("question, index", WRONG)
def test_wrong_answer_gets_its_hint(question, index):
    wrong, hint = CASES[question][1][index]
    with pytest.raises(NotYet) as raised:
        check.questions[question](wrong())
    message = str(raised.value)
    assert message.startswith(f"{question}: "), message
    assert hint in message, f"expected the hint to mention {hint!r}, got: {message}"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__, "no chained traceback"


@pytest.mark.parametrize("question", list(CASES))
@pytest.mark.parametrize("blank", [None, ...])
def test_blank_answer_gets_a_plain_message(question, blank):
    with pytest.raises(NoAnswer) as raised:
        check.questions[question](blank)
    got = "None" if blank is None else "... (the placeholder)"
    assert str(raised.value) == f"{question}: no answer yet: expected {check.questions[question].expects}, got {got}."


@pytest.mark.parametrize("question", list(CASES))
def test_wrong_kind_is_named_plainly(question):
    with pytest.raises(WrongKind) as raised:
        check.questions[question]({"not": "an answer"})
    assert "expected" in str(raised.value) and "dict" in str(raised.value)


@pytest.mark.parametrize("question", list(CASES))
def test_the_right_answer_survives_being_saved_as_data(question, tmp_path, capsys):
    """The grader checks the answer as it reads it back from JSON or Parquet, not the kernel's object."""
    answers.save(question, CASES[question][0], tmp_path)
    record = json.loads((tmp_path / f"{question}.json").read_text())
    assert "error" not in record, record
    check.questions[question](answers.load(question, tmp_path))
    assert capsys.readouterr().out.startswith(f"✓ {question}: correct.")


def test_numpy_true_and_any_order_of_kinds_are_accepted(capsys):
    right = graded()
    check.q2({"kinds": list(reversed(right["kinds"])), "weak_only": np.bool_(right["weak_only"])})
    check.q4(disputed().sample(frac=1, random_state=1).set_axis(range(100, 100 + len(disputed()))))
    assert capsys.readouterr().out.count("correct.") == 2


def test_the_checks_follow_the_data(monkeypatch, capsys):
    """Expected values come from tightrope.data at check time: drop one disputed figure and the count moves."""
    first = disputed().iloc[0]
    rows = EST[(EST["subject"] == first["subject"]) & (EST["quantity"] == first["quantity"])]
    fewer = EST.drop(index=rows.index[1:])
    monkeypatch.setattr(data, "estimates", lambda data_dir=None: fewer.copy())
    check.q4(disputed(fewer))
    assert "✓ q4" in capsys.readouterr().out
    with pytest.raises(NotYet):
        check.q4(disputed())


def test_the_chosen_figures_still_teach_what_the_questions_say():
    """The fixed choices (Ain al-Asad, C35, Taji) still have the features the questions rely on."""
    traced = trail()
    assert traced["original"].notna().any() and traced["original"].isna().any()
    assert graded()["weak_only"] is True
    taji = EST[(EST["subject"] == "2020-03-11-taji") & (EST["quantity"] == "projectiles")]
    assert taji["weakly_sourced"].notna().any() and taji["value"].nunique() > 2
    answer = weighed()
    assert 0 < answer["disputed_firm"] < answer["disputed"] and answer["disputed_firm"] > answer["disputed"] / 2
