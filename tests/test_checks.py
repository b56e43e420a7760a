"""Every answer check accepts the right answer and rejects plausible wrong ones with its hint.

Right and wrong answers are computed here with plain pandas, the way a student
would, from the same data package the checks read. Each question has at least
three wrong answers, each paired with a fragment of the hint it must give.
"""

from __future__ import annotations

import warnings

import altair as alt
import pandas as pd
import pytest

from tightrope import charts, checks, data
from tightrope.checks import NoAnswer, NotYet, WrongKind

INC = data.incidents()
EVENTS = data.events()
CLAIMS = data.claims()
EST = data.estimates()
ATTR = data.attributions()
ATTACKS = INC[INC["kind"] == "indirect fire"]
CASUALTIES = [c for c in INC.columns if c.startswith(("killed_", "wounded_"))]
KILLED = ["killed_us", "killed_coalition", "killed_contractor", "killed_iraqi"]


def between(frame, start, end):
    return frame[frame["date"].between(start, end)]


def per_month(rows, start, end):
    """month/attacks table with every month in the range (zeros included)."""
    months = pd.period_range(start, end, freq="M")
    return (rows.groupby(rows["date"].dt.to_period("M")).size().reindex(months, fill_value=0)
            .rename_axis("month").rename("attacks").reset_index())


def event_date(event_id):
    return EVENTS.set_index("id").loc[event_id, "date"]


def k1_date():
    k1 = ATTACKS[(ATTACKS["site"] == "k-1") & (ATTACKS["date"].dt.year == 2019)]
    return k1["date"].iloc[0]


def k1_feb_2020():
    k1 = ATTACKS[(ATTACKS["site"] == "k-1") & (ATTACKS["date"].dt.year == 2020)]
    return k1["date"].iloc[0]


def hurt_share(rows, columns=CASUALTIES):
    return (rows[columns].fillna(0) > 0).any(axis=1).mean()


def section_claims(section):
    return CLAIMS[CLAIMS["section"] == section]


def status_table(rows):
    return rows["status"].value_counts().rename("claims").reset_index()


# --- Charts ---------------------------------------------------------------------

PER_MONTH = per_month(between(ATTACKS, "2019-06-01", "2020-03-31"), "2019-06", "2020-03")
PER_MONTH["month"] = PER_MONTH["month"].dt.start_time
TWO = INC[INC["kind"].isin(["indirect fire", "convoy attack"]) & (INC["date"].dt.year == 2020)]
BY_KIND = (TWO.groupby([TWO["date"].dt.to_period("M").dt.start_time.rename("month"), TWO["kind"].astype(str)])
           .size().rename("incidents").reset_index())


def finished(chart):
    return charts.finish(chart, title="A title", source="the data package", description="A description.")


def bars(table=PER_MONTH, y="attacks", y_title="Attacks (count)", x="month:T", mark="bar", y_type="Q",
         stack=alt.Undefined, **extra):
    base = alt.Chart(table)
    base = base.mark_line() if mark == "line" else base.mark_bar()
    return base.encode(x=alt.X(x, title="Month"), y=alt.Y(f"{y}:{y_type}", title=y_title, stack=stack), **extra)


def stacked(**changes):
    options = dict(table=BY_KIND, y="incidents", y_title="Incidents (count)",
                   color=alt.Color("kind:N", title="Kind"))
    options.update(changes)
    return bars(**options)


# --- The cases: (check set, question, right answer, [(wrong answer, hint fragment), ...]) ---

def _taji(rows):
    return rows[rows["site"] == "taji"][["id", "date", "kind", "projectiles_high"]].sort_values("date")


def _week(start="2019-12-27", end="2020-01-03"):
    return between(EVENTS, start, end)[["date", "category", "title"]].sort_values("date")


def _tolls(quantities=("killed",), subject="2019-12-29-us-strikes-kh", ascending=False):
    rows = EST[(EST["subject"] == subject) & EST["quantity"].isin(quantities)]
    return rows[["given_by", "value", "qualifier"]].sort_values("value", ascending=ascending)


def _blamed(statuses):
    rows = ATTR[ATTR["status"].isin(statuses)]
    return (rows.groupby("actor")["incident_id"].nunique().sort_values(ascending=False)
            .rename("incidents").reset_index())


def _drawdown(categories=("drawdown",), year=2020):
    rows = EVENTS[EVENTS["category"].isin(categories) & (EVENTS["date"].dt.year == year)]
    return rows[["date", "title"]].sort_values("date")


def _deaths(rows, outcome="killed"):
    cols = [f"{outcome}_{g}" for g in ("us", "coalition", "contractor", "iraqi")]
    table = rows[cols].sum().rename("killed").rename_axis("group").reset_index()
    table["group"] = table["group"].str.removeprefix(f"{outcome}_")
    return table


AUTUMN = between(ATTACKS, "2019-10-01", "2019-12-31")
ATTR_WINDOW = between(ATTACKS, "2019-10-01", "2020-12-31")
IN_2020 = INC[INC["date"].dt.year == 2020]
EVICTION = "The cost-benefit of risking U.S. eviction from Iraq"
PRESENCE = "Securing U.S. interests or securing U.S. presence?"
LEAVE = "Be willing to leave so we don't have to"
OPENING = CLAIMS[CLAIMS["section"] == "opening section"]

CASES = {
    ("reading_the_data", "q1"): (lambda: len(INC), [
        (lambda: len(INC) + 1, "header line"),
        (lambda: len(INC.columns), "number of columns"),
        (lambda: INC.size, "every cell"),
        (lambda: len(ATTACKS), "only the indirect-fire"),
    ]),
    ("reading_the_data", "q2"): (lambda: INC["kind"].value_counts().rename("incidents").reset_index(), [
        (lambda: INC["kind"].value_counts(ascending=True).rename("incidents").reset_index(), "sort"),
        (lambda: INC["weapon"].value_counts().rename("incidents").reset_index().rename(columns={"weapon": "kind"}),
         "weapons"),
        (lambda: ATTACKS["kind"].value_counts().rename("incidents").reset_index(), "missing"),
        (lambda: INC["kind"].value_counts().reset_index(), "columns ['kind', 'incidents']"),
        (lambda: INC["kind"].value_counts(), "reset_index"),
    ]),
    ("reading_the_data", "q3"): (lambda: _taji(ATTACKS), [
        (lambda: _taji(INC), "foiled"),
        (lambda: ATTACKS[ATTACKS["province"] == "Baghdad"][["id", "date", "kind", "projectiles_high"]],
         "filter on the site column"),
        (lambda: _taji(ATTACKS).sort_values("date", ascending=False), "sort them by date"),
        (lambda: _taji(ATTACKS).drop(columns="kind"), "missing ['kind']"),
    ]),
    ("reading_the_data", "q4"): (lambda: INC["killed_us"].sum(), [
        (lambda: INC[["killed_us", "killed_contractor"]].sum().sum(), "another group"),
        (lambda: INC[["killed_us", "killed_coalition"]].sum().sum(), "another group"),
        (lambda: INC[["killed_us", "killed_coalition", "killed_contractor"]].sum().sum(), "other groups"),
        (lambda: int((INC["killed_us"].fillna(0) > 0).sum()), "rather than people"),
        (lambda: ATTACKS["killed_us"].sum(), "rather than people"),
        (lambda: INC[["killed_us"]].sum(), "holding one value"),
        (lambda: INC[KILLED].sum().sum(), "every group's deaths"),
    ]),
    ("reading_the_data", "q5"): (lambda: "b", [
        (lambda: "A", "written as 0"), (lambda: "C", "foiled"), (lambda: "D", "not left blank"),
        (lambda: "E", "expected one of the letters"), (lambda: 2, "as a string"),
    ]),
    ("setting_the_scene", "q1"): (lambda: (event_date("2019-12-29-us-strikes-kh") - k1_date()).days, [
        (lambda: (event_date("2019-12-29-us-strikes-kh") - pd.Timestamp("2019-12-28")).days, "article's date"),
        (lambda: (k1_date() - event_date("2019-12-29-us-strikes-kh")).days, "came after"),
        (lambda: (event_date("2019-12-29-us-strikes-kh") - k1_date()).days + 1, "both ends"),
        (lambda: event_date("2019-12-29-us-strikes-kh") - k1_date(), "Timedelta"),
    ]),
    ("setting_the_scene", "q2"): (lambda: _week(), [
        (lambda: _week(end="2020-01-02"), "3 January are missing"),
        (lambda: EVENTS[["date", "category", "title"]], "too many rows"),
        (lambda: _week().sort_values("date", ascending=False), "sort them by date"),
        (lambda: _week(start="2019-12-30"), "some events of the window are missing"),
        (lambda: _week()[["date", "title"]], "missing ['category']"),
    ]),
    ("setting_the_scene", "q3"): (lambda: OPENING.loc[OPENING["status"] == "differs", "id"].iloc[0], [
        (lambda: OPENING.loc[OPENING["status"] == "corroborated", "id"].iloc[0], "is marked 'corroborated'"),
        (lambda: CLAIMS.loc[(CLAIMS["section"] != "opening section") & (CLAIMS["status"] == "differs"), "id"].iloc[0],
         "belongs to the section"),
        (lambda: "C99", "there is no claim"),
        (lambda: 2, "as a string"),
        (lambda: OPENING.loc[OPENING["status"] == "differs", "id"], ".iloc[0]"),
    ]),
    ("setting_the_scene", "q4"): (lambda: "B", [
        (lambda: "A", "first half"), (lambda: "C", "not evidence in itself"), (lambda: "D", "selection of events"),
    ]),
    ("setting_the_scene", "q5"): (lambda: "A", [
        (lambda: "B", "critics of withdrawal"), (lambda: "C", "called the strikes defensive"),
        (lambda: "D", "ground is legal"),
    ]),
    ("escalation", "q1"): (lambda: per_month(between(ATTACKS, "2019-06-01", "2019-12-31"), "2019-06", "2019-12"), [
        (lambda: per_month(between(ATTACKS, "2019-06-01", "2019-12-31"), "2019-06", "2019-12").query("attacks > 0"),
         "months with no attacks are missing"),
        (lambda: per_month(between(ATTACKS, "2019-07-01", "2019-12-31"), "2019-07", "2019-12"), "one row per month"),
        (lambda: per_month(between(INC[INC["kind"] != "convoy attack"], "2019-06-01", "2019-12-31"), "2019-06", "2019-12")
         .assign(attacks=lambda t: t["attacks"] + (t.index == 0)), "counts are off"),
        (lambda: per_month(between(ATTACKS, "2019-06-01", "2019-12-31"), "2019-06", "2019-12").iloc[::-1],
         "put the months in order"),
        (lambda: per_month(between(ATTACKS, "2019-06-01", "2019-12-31"), "2019-06", "2019-12").set_index("month"),
         "in the index"),
        (lambda: per_month(between(ATTACKS, "2019-06-01", "2019-12-31"), "2019-06", "2019-12")
         .assign(month=lambda t: t["month"].dt.strftime("%B")), "each month needs its year"),
    ]),
    ("escalation", "q2"): (lambda: len(AUTUMN), [
        (lambda: int((AUTUMN["date_precision"] == "day").sum()), "known only to the month"),
        (lambda: len(between(ATTACKS, "2019-10-01", "2019-12-28")), "end of December"),
        (lambda: len(between(ATTACKS, "2019-11-01", "2019-12-31")), "October is part"),
        (lambda: len(between(ATTACKS, "2019-10-30", "2019-12-31")), "not in late October"),
        (lambda: float(len(AUTUMN)) + 0.5, "whole number"),
    ]),
    ("escalation", "q3"): (lambda: hurt_share(AUTUMN), [
        (lambda: hurt_share(AUTUMN) * 100, "percentage"),
        (lambda: hurt_share(AUTUMN, [c for c in CASUALTIES if c.startswith("killed")]), "wounded people count too"),
        (lambda: hurt_share(AUTUMN, ["killed_us", "wounded_us"]), "only US casualties"),
        (lambda: (AUTUMN[CASUALTIES].fillna(0) > 0).any(axis=1).sum() / len(INC), "every incident"),
    ]),
    ("escalation", "q4"): (lambda: finished(bars()), [
        (lambda: finished(bars(mark="line")), "mark_bar"),
        (lambda: finished(bars(y_title="Attacks")), "unit"),
        (lambda: bars(), "charts.finish"),
        (lambda: finished(bars(x="month:Q")), "temporal"),
        (lambda: finished(bars(y="mean(attacks)")), "not their mean"),
        (lambda: finished(bars(table=PER_MONTH.head(3))), "per_month table"),
        (lambda: PER_MONTH, "Altair chart"),
    ]),
    ("escalation", "q5"): (lambda: "B", [
        (lambda: "A", "rests on"), (lambda: "C", "only a sample"), (lambda: "D", "caution, not silence"),
    ]),
    ("deterrence", "q1"): (lambda: _tolls(), [
        (lambda: _tolls(("killed", "wounded")), "includes the wounded"),
        (lambda: _tolls(ascending=True), "highest toll to the lowest"),
        (lambda: EST.loc[EST["quantity"] == "killed", ["given_by", "value", "qualifier"]], "too many rows"),
        (lambda: _tolls()[["given_by", "value"]], "missing ['qualifier']"),
        (lambda: _tolls().astype({"value": str}), "a number for each toll"),
    ]),
    ("deterrence", "q2"): (lambda: len(between(ATTACKS, "2019-12-30", "2020-02-27")) / 60 * 30, [
        (lambda: len(between(ATTACKS, "2019-12-30", "2020-02-27")) / 60, "per day"),
        (lambda: len(between(ATTACKS, "2019-12-30", "2020-02-27")), "number of attacks in 60 days"),
        (lambda: len(between(INC, "2019-12-30", "2020-02-27")) / 60 * 30, "ballistic missiles"),
        (lambda: len(between(ATTACKS, "2019-12-29", "2020-02-27")) / 60 * 30, "day after the strikes"),
    ]),
    ("deterrence", "q3"): (lambda: "A", [
        (lambda: "B", "eviction argument"), (lambda: "C", "without public claims"), (lambda: "D", "other groups"),
    ]),
    ("deterrence", "q4"): (lambda: "B", [
        (lambda: "A", "does not say what caused"), (lambda: "C", "wanted heard"), (lambda: "D", "much else happened"),
    ]),
    ("deterrence", "q5"): (lambda: "A", [
        (lambda: "B", "risk of eviction"), (lambda: "C", "state strike"), (lambda: "D", "coalition decision"),
    ]),
    ("attribution", "q1"): (lambda: ATTR["incident_id"].nunique(), [
        (lambda: len(ATTR), "Count distinct incidents"),
        (lambda: ATTR["actor"].nunique(), "counts actors"),
        (lambda: ATTR.loc[ATTR["status"] == "alleged", "incident_id"].nunique(), "only some statuses"),
        (lambda: len(INC) - ATTR["incident_id"].nunique(), "no attribution"),
    ]),
    ("attribution", "q2"): (lambda: (~ATTR_WINDOW["id"].isin(ATTR["incident_id"])).mean(), [
        (lambda: (~ATTR_WINDOW["id"].isin(ATTR["incident_id"])).mean() * 100, "percentage"),
        (lambda: ATTR_WINDOW["id"].isin(ATTR["incident_id"]).mean(), "*with* an attribution"),
        (lambda: (~between(INC, "2019-10-01", "2020-12-31")["id"].isin(ATTR["incident_id"])).mean(), "every kind"),
        (lambda: (~ATTACKS["id"].isin(ATTR["incident_id"])).mean(), "every date"),
    ]),
    ("attribution", "q3"): (lambda: _blamed(["claimed", "alleged"]), [
        (lambda: ATTR["actor"].value_counts().rename("incidents").reset_index(), "counts every row"),
        (lambda: _blamed(["claimed"]), "only claims"),
        (lambda: _blamed(["alleged"]), "only accusations"),
        (lambda: _blamed(["claimed", "alleged"]).iloc[::-1], "sort from the most"),
    ]),
    ("attribution", "q4"): (lambda: "B", [
        (lambda: "A", "not the same as finding"), (lambda: "C", "swaps one"), (lambda: "D", "silence confirms nothing"),
    ]),
    ("attribution", "q5"): (lambda: "C", [
        (lambda: "A", "records an accusation"), (lambda: "B", "does not rank"), (lambda: "D", "does not count votes"),
    ]),
    ("eviction_risk", "q1"): (lambda: status_table(section_claims(EVICTION)), [
        (lambda: status_table(CLAIMS), "every section"),
        (lambda: status_table(section_claims(PRESENCE)), "that is the section"),
        (lambda: status_table(section_claims(EVICTION)).iloc[::-1], "sort from the most common"),
        (lambda: section_claims(EVICTION)["status"].value_counts(), "a DataFrame with columns"),
    ]),
    ("eviction_risk", "q2"): (lambda: (event_date("2020-01-05-parliament-resolution") - event_date("2019-12-29-us-strikes-kh")).days, [
        (lambda: (event_date("2020-01-05-parliament-resolution") - event_date("2020-01-03-soleimani-killed")).days,
         "Soleimani"),
        (lambda: (event_date("2020-01-05-parliament-resolution") - event_date("2019-12-29-us-strikes-kh")).days + 1,
         "both ends"),
        (lambda: (event_date("2019-12-29-us-strikes-kh") - event_date("2020-01-05-parliament-resolution")).days,
         "came after"),
    ]),
    ("eviction_risk", "q3"): (lambda: "C", [
        (lambda: "A", "reopening"), (lambda: "B", "at the time"), (lambda: "D", "how long it lasted"),
    ]),
    ("eviction_risk", "q4"): (lambda: "A", [
        (lambda: "B", "Iraqi politicians can agree"), (lambda: "C", "background"), (lambda: "D", "comes later"),
    ]),
    ("eviction_risk", "q5"): (lambda: "A", [
        (lambda: "B", "more than a vote"), (lambda: "C", "reverse"), (lambda: "D", "muddled"),
    ]),
    ("cult_of_presence", "q1"): (lambda: section_claims(PRESENCE)["status"].isin(["corroborated", "partly corroborated"]).sum(), [
        (lambda: len(section_claims(PRESENCE)), "every claim of the section"),
        (lambda: (section_claims(PRESENCE)["status"] == "corroborated").sum(), "supported in part"),
        (lambda: (section_claims(PRESENCE)["status"] != "not found").sum(), "judgements"),
        (lambda: CLAIMS["status"].isin(["corroborated", "partly corroborated"]).sum(), "every section"),
    ]),
    ("cult_of_presence", "q2"): (lambda: _drawdown(), [
        (lambda: _drawdown(("drawdown", "us-policy")), "too many rows"),
        (lambda: _drawdown().iloc[1:], "some drawdown events are missing"),
        (lambda: _drawdown().iloc[::-1], "sort them by date"),
        (lambda: _drawdown(("us-policy",)), "filter events on category"),
    ]),
    ("cult_of_presence", "q3"): (lambda: "A", [
        (lambda: "B", "worth it at one point"), (lambda: "C", "its bet"), (lambda: "D", "not that it cannot recover"),
    ]),
    ("cult_of_presence", "q4"): (lambda: "A", [
        (lambda: "B", "disputes a forecast"), (lambda: "C", "what happens if"), (lambda: "D", "threat that would return"),
    ]),
    ("willing_to_leave", "q1"): (lambda: (section_claims(LEAVE)["status"] == "not checkable").mean(), [
        (lambda: (section_claims(LEAVE)["status"] == "not checkable").mean() * 100, "percentage"),
        (lambda: (section_claims(LEAVE)["status"] == "not checkable").sum(), "that is a count"),
        (lambda: (section_claims(LEAVE)["status"] != "not checkable").mean(), "*can* be checked"),
        (lambda: (CLAIMS["status"] == "not checkable").mean(), "every section"),
    ]),
    ("willing_to_leave", "q2"): (lambda: ((EVENTS["category"] == "us-warning") & (EVENTS["date"] < k1_date())).sum(), [
        (lambda: (EVENTS["category"] == "us-warning").sum(), "any date"),
        (lambda: (EVENTS["category"].isin(["us-warning", "us-policy"]) & (EVENTS["date"] < k1_date())).sum(),
         "other US policy"),
        (lambda: ((EVENTS["category"] == "us-warning") & (EVENTS["date"] < k1_date())).sum() + 1, "strictly"),
        (lambda: ((EVENTS["category"] == "us-warning") & (EVENTS["date"] < k1_feb_2020())).sum(), "more than once"),
    ]),
    ("willing_to_leave", "q3"): (lambda: "A", [
        (lambda: "B", "deterrence argument"), (lambda: "C", "eviction risk"), (lambda: "D", "separate forecast"),
    ]),
    ("willing_to_leave", "q4"): (lambda: "A", [
        (lambda: "B", "opposite"), (lambda: "C", "what Iraq asks"), (lambda: "D", "why partners joined"),
    ]),
    ("epilogue", "q1"): (lambda: per_month(between(ATTACKS, "2020-01-01", "2020-12-31"), "2020-01", "2020-12"), [
        (lambda: per_month(between(INC, "2020-01-01", "2020-12-31"), "2020-01", "2020-12"), "every kind"),
        (lambda: per_month(between(ATTACKS, "2019-01-01", "2019-12-31"), "2019-01", "2019-12"), "twelve rows"),
        (lambda: per_month(between(ATTACKS, "2020-01-01", "2020-12-31"), "2020-01", "2020-12")
         .assign(attacks=lambda t: t["attacks"].where(t.index != 0, 0)), "some months are off"),
        (lambda: per_month(between(ATTACKS, "2020-01-01", "2020-12-31"), "2020-01", "2020-12").iloc[::-1],
         "put the months in order"),
    ]),
    ("epilogue", "q2"): (lambda: ((INC["kind"] == "convoy attack") & (INC["date"].dt.year == 2020)).sum(), [
        (lambda: (INC["kind"] == "convoy attack").sum(), "every year"),
        (lambda: ((INC["weapon"] == "IED") & (INC["date"].dt.year == 2020)).sum(), "roadside bombs"),
        (lambda: (INC["kind"].isin(["convoy attack", "indirect fire"]) & (INC["date"].dt.year == 2020)).sum(),
         "adds rocket attacks"),
    ]),
    ("epilogue", "q3"): (lambda: _deaths(IN_2020), [
        (lambda: _deaths(IN_2020[IN_2020["kind"] == "indirect fire"]), "only rocket attacks"),
        (lambda: _deaths(IN_2020, "wounded"), "wounded"),
        (lambda: _deaths(INC), "every year"),
        (lambda: _deaths(IN_2020).iloc[:3], "the groups should be"),
    ]),
    ("epilogue", "q4"): (lambda: finished(stacked()), [
        (lambda: finished(stacked(color=alt.Color("kind:O", title="Kind"))), "nominal"),
        (lambda: finished(stacked(color=alt.Undefined)), "colour the bars by kind"),
        (lambda: finished(stacked(y_title="Incidents")), "unit"),
        (lambda: stacked(), "charts.finish"),
        (lambda: finished(stacked(table=BY_KIND.head(4))), "by_kind table"),
        (lambda: finished(stacked(mark="line")), "mark_bar"),
        (lambda: finished(stacked(xOffset=alt.XOffset("kind:N"))), "side by side"),
        (lambda: finished(stacked(stack="normalize")), "share of the month"),
        (lambda: finished(stacked(stack=False)), "over one another"),
        (lambda: finished(stacked(stack=None)), "over one another"),
        (lambda: finished(stacked(y_type="O")), "quantitative"),
        (lambda: finished(stacked(y="mean(incidents)")), "not their mean"),
    ]),
    ("epilogue", "q5"): (lambda: "C", [
        (lambda: "A", "did the attacks end"), (lambda: "B", "expelled"), (lambda: "D", "recorded events"),
    ]),
}

# --- The questions that weigh the data: numbers and a reading in one dict ---------------------

def _est(subject, quantity, firm=False):
    rows = EST[(EST["subject"] == subject) & (EST["quantity"] == quantity)]
    if firm:
        rows = rows[rows["weakly_sourced"].isna()]
    return int(rows["value"].min()), int(rows["value"].max())


COMPLETE = between(ATTACKS, data.COMPLETE_FROM, data.COMPLETE_UNTIL)
STRIKES_ID = "2019-12-29-us-strikes-kh"
RADWANIYAH = "2020-09-28-baghdad-airport"
ASAD = "2020-01-08-ain-al-asad"
EVICTION_CLAIMS = section_claims(EVICTION)
SUPPORTED = EVICTION_CLAIMS["status"].isin(["corroborated", "partly corroborated"])
FIRM_ATTR = ATTR[ATTR["weakly_sourced"].isna()]


def _truce(kinds=("indirect fire",)):
    day = event_date("2020-10-10-militia-truce")
    rows = INC[INC["kind"].isin(kinds) & (INC["date_precision"] == "day")]
    before = rows["date"].between(day - pd.Timedelta(days=30), day - pd.Timedelta(days=1)).sum()
    after = rows["date"].between(day + pd.Timedelta(days=1), day + pd.Timedelta(days=30)).sum()
    return int(before), int(after)


def dict_with(right, **changes):
    return lambda: {**right(), **changes}


JUDGED = {
    ("reading_the_data", "q6"): lambda: {"inside": len(COMPLETE), "outside": len(ATTACKS) - len(COMPLETE),
                                         "reading": "B"},
    ("setting_the_scene", "q6"): lambda: dict(zip(("low", "high"), _est("2019-12-27-k-1", "projectiles")),
                                              reading="A"),
    ("escalation", "q6"): lambda: {"summer": len(between(ATTACKS, "2019-06-01", "2019-09-30")),
                                   "autumn": len(AUTUMN), "reading": "B"},
    ("deterrence", "q6"): lambda: {**dict(zip(("low", "high"), _est(STRIKES_ID, "killed"))),
                                   "high_firm": _est(STRIKES_ID, "killed", firm=True)[1], "reading": "A"},
    ("attribution", "q6"): lambda: {"attacks": len(COMPLETE),
                                    "attributed": int(COMPLETE["id"].isin(ATTR["incident_id"]).sum()),
                                    "attributed_firm": int(COMPLETE["id"].isin(FIRM_ATTR["incident_id"]).sum()),
                                    "reading": "A"},
    ("eviction_risk", "q6"): lambda: {"supported": int(SUPPORTED.sum()),
                                      "supported_firm": int((SUPPORTED & EVICTION_CLAIMS["weakly_sourced"].isna()).sum()),
                                      "reading": "A"},
    ("cult_of_presence", "q5"): lambda: {**dict(zip(("low", "high"), _est(RADWANIYAH, "killed_iraqi"))),
                                         "high_firm": _est(RADWANIYAH, "killed_iraqi", firm=True)[1], "reading": "A"},
    ("willing_to_leave", "q5"): lambda: {**dict(zip(("before", "after"), _truce())), "reading": "B"},
    ("epilogue", "q6"): lambda: {**dict(zip(("low", "high"), _est(ASAD, "wounded_us"))),
                                 "figures": int(((EST["subject"] == ASAD) & (EST["quantity"] == "wounded_us")).sum()),
                                 "reading": "A"},
}
J = JUDGED
CASES.update({
    ("reading_the_data", "q6"): (J["reading_the_data", "q6"], [
        (dict_with(J["reading_the_data", "q6"], reading="A"), "gap in the record"),
        (dict_with(J["reading_the_data", "q6"], reading="C"), "sourced like any other"),
        (dict_with(J["reading_the_data", "q6"], inside=len(ATTACKS)), "every attack in the table"),
        (dict_with(J["reading_the_data", "q6"], inside=len(between(ATTACKS, data.COMPLETE_FROM, "2019-12-31"))),
         "runs into 2020"),
        (dict_with(J["reading_the_data", "q6"], outside=len(ATTACKS)), "take away"),
    ]),
    ("setting_the_scene", "q6"): (J["setting_the_scene", "q6"], [
        (dict_with(J["setting_the_scene", "q6"], reading="C"), "no source gave"),
        (dict_with(J["setting_the_scene", "q6"], reading="D"), "contradicts them"),
        (dict_with(J["setting_the_scene", "q6"], low=int(EST.loc[EST["quantity"] == "projectiles", "value"].min())),
         "any incident"),
        (dict_with(J["setting_the_scene", "q6"], low=int(EST.loc[EST["subject"] == "2019-12-27-k-1", "value"].min())),
         "wounded"),
    ]),
    ("escalation", "q6"): (J["escalation", "q6"], [
        (dict_with(J["escalation", "q6"], reading="A"), "floors"),
        (dict_with(J["escalation", "q6"], reading="C"), "not how often"),
        (dict_with(J["escalation", "q6"], summer=len(between(ATTACKS, "2019-06-01", "2019-08-31"))), "September"),
        (dict_with(J["escalation", "q6"], autumn=len(between(ATTACKS, "2019-10-01", "2019-12-28"))), "31 December"),
    ]),
    ("deterrence", "q6"): (J["deterrence", "q6"], [
        (dict_with(J["deterrence", "q6"], reading="C"), "better-sourced"),
        (dict_with(J["deterrence", "q6"], reading="D"), "at least"),
        (dict_with(J["deterrence", "q6"], high_firm=_est(STRIKES_ID, "killed")[1]), "weakly sourced row"),
        (dict_with(J["deterrence", "q6"], high=int(EST.loc[EST["subject"] == STRIKES_ID, "value"].max())), "wounded"),
    ]),
    ("attribution", "q6"): (J["attribution", "q6"], [
        (dict_with(J["attribution", "q6"], reading="B"), "only attribution"),
        (dict_with(J["attribution", "q6"], reading="C"), "silence"),
        (dict_with(J["attribution", "q6"], reading="D"), "not a finding"),
        (dict_with(J["attribution", "q6"], attributed_firm=J["attribution", "q6"]()["attributed"]), "weakly_sourced"),
        (dict_with(J["attribution", "q6"], attacks=len(ATTACKS)), "every attack"),
    ]),
    ("eviction_risk", "q6"): (J["eviction_risk", "q6"], [
        (dict_with(J["eviction_risk", "q6"], reading="B"), "not that it is false"),
        (dict_with(J["eviction_risk", "q6"], reading="C"), "most supported claims remain"),
        (dict_with(J["eviction_risk", "q6"], reading="D"), "better source"),
        (dict_with(J["eviction_risk", "q6"], supported=int((EVICTION_CLAIMS["status"] == "corroborated").sum())),
         "supported in part"),
        (dict_with(J["eviction_risk", "q6"], supported_firm=int(SUPPORTED.sum())), "weakly_sourced"),
    ]),
    ("cult_of_presence", "q5"): (J["cult_of_presence", "q5"], [
        (dict_with(J["cult_of_presence", "q5"], reading="C"), "has to say so"),
        (dict_with(J["cult_of_presence", "q5"], reading="D"), "not on whether people died"),
        (dict_with(J["cult_of_presence", "q5"], high_firm=_est(RADWANIYAH, "killed_iraqi")[1]), "weakly sourced row"),
        (dict_with(J["cult_of_presence", "q5"],
                   low=int(INC.set_index("id").at[RADWANIYAH, "killed_iraqi"])), "incidents table carries"),
    ]),
    ("willing_to_leave", "q5"): (J["willing_to_leave", "q5"], [
        (dict_with(J["willing_to_leave", "q5"], reading="A"), "not a fall"),
        (dict_with(J["willing_to_leave", "q5"], reading="C"), "same pace"),
        (dict_with(J["willing_to_leave", "q5"], reading="D"), "separate"),
        (dict_with(J["willing_to_leave", "q5"], before=_truce()[1]), "count after the truce"),
    ]),
    ("epilogue", "q6"): (J["epilogue", "q6"], [
        (dict_with(J["epilogue", "q6"], reading="B"), "not a disagreement"),
        (dict_with(J["epilogue", "q6"], reading="C"), "same source"),
        (dict_with(J["epilogue", "q6"], reading="D"), "never gave"),
        (dict_with(J["epilogue", "q6"], figures=int((EST["subject"] == ASAD).sum())), "projectile figures"),
    ]),
})

CHECKS = [(name, q) for name in ("reading_the_data", "setting_the_scene", "escalation", "deterrence",
                                  "attribution", "eviction_risk", "cult_of_presence", "willing_to_leave",
                                  "epilogue")
          for q in getattr(checks, name).questions]
WRONG = [(name, q, i) for (name, q), (_, wrongs) in CASES.items() for i in range(len(wrongs))]


def run(name, question, answer):
    return getattr(getattr(checks, name), question)(answer)


def test_every_question_has_cases_with_three_wrong_answers():
    assert set(CASES) == set(CHECKS), "a check without test cases, or cases for a check that is gone"
    for key, (_, wrongs) in CASES.items():
        assert len(wrongs) >= 3, f"{key}: test at least three plausible wrong answers"
    assert len(checks.SETS) == 10 and all(3 <= len(s.questions) <= 6 for s in checks.SETS.values())


@pytest.mark.parametrize("name, question", CHECKS)
def test_right_answer_is_confirmed(name, question, capsys):
    run(name, question, CASES[name, question][0]())
    out = capsys.readouterr().out
    assert out.startswith(f"✓ {question}: correct."), out


@pytest.mark.parametrize("name, question, index", WRONG)
def test_wrong_answer_gets_its_hint(name, question, index):
    wrong, hint = CASES[name, question][1][index]
    with pytest.raises(NotYet) as raised:
        run(name, question, wrong())
    message = str(raised.value)
    assert message.startswith(f"{question}: "), message
    assert hint in message, f"expected the hint to mention {hint!r}, got: {message}"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__, "no chained traceback"


@pytest.mark.parametrize("name, question", CHECKS)
@pytest.mark.parametrize("blank", [None, ...])
def test_blank_answer_gets_a_plain_message(name, question, blank):
    with pytest.raises(NoAnswer) as raised:
        run(name, question, blank)
    message = str(raised.value)
    got = "None" if blank is None else "... (the placeholder)"
    assert message == f"{question}: no answer yet: expected {getattr(checks, name).questions[question].expects}, got {got}."


@pytest.mark.parametrize("name, question", CHECKS)
def test_wrong_kind_is_named_plainly(name, question):
    with pytest.raises(WrongKind) as raised:
        run(name, question, {"not": "an answer"})
    assert "expected" in str(raised.value) and "dict" in str(raised.value)


def test_a_right_answer_does_not_depend_on_dtype_or_row_labels(capsys):
    monthly = per_month(between(ATTACKS, "2019-06-01", "2019-12-31"), "2019-06", "2019-12")
    as_text = monthly.assign(month=monthly["month"].astype(str), attacks=monthly["attacks"].astype(float))
    checks.escalation.q1(as_text.set_axis(range(10, 17)))
    checks.escalation.q1(monthly.assign(month=monthly["month"].dt.start_time))
    assert capsys.readouterr().out.count("✓ q1") == 2


def test_a_month_without_its_year_gets_a_plain_hint_and_no_warning(capsys):
    monthly = per_month(between(ATTACKS, "2019-06-01", "2019-12-31"), "2019-06", "2019-12")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would point into the checks package
        with pytest.raises(WrongKind, match=r"^q1: each month needs its year, e\.g\. 'June 2019', "
                                            r"got values like 'June'\.$"):
            checks.escalation.q1(monthly.assign(month=monthly["month"].dt.strftime("%B")))
        checks.escalation.q1(monthly.assign(month=monthly["month"].dt.strftime("%B %Y")))
        checks.escalation.q1(monthly.assign(month=monthly["month"].dt.strftime("%b %Y")))
    assert capsys.readouterr().out.count("✓ q1") == 2


@pytest.mark.parametrize("name, question, wrong, hints", [
    ("escalation", "q2", lambda: len(between(ATTACKS, "2019-10-20", "2019-12-31")),
     ["the window runs to the end of December", "not in late October"]),
    ("willing_to_leave", "q2", lambda: ((EVENTS["category"] == "us-warning") & (EVENTS["date"] < k1_feb_2020())).sum(),
     ["one too many", "K-1 was attacked more than once"]),
])
def test_a_number_several_mistakes_give_names_each_of_them(name, question, wrong, hints):
    with pytest.raises(NotYet) as raised:
        run(name, question, wrong())
    message = str(raised.value)
    assert message.startswith(f"{question}: this could come from more than one mistake: (1) "), message
    assert all(hint in message for hint in hints), message


def test_an_answer_that_trips_the_comparison_gets_one_line():
    odd = checks.CheckSet("99-odd", "An odd set")
    try:
        @odd.question("q1", "a number")
        def _(answer):
            raise RuntimeError("cannot compare")
        with pytest.raises(WrongKind, match=r"^q1: could not check this answer \(RuntimeError: cannot compare\); "
                                            r"expected a number\.$") as raised:
            odd.q1(3)
        assert raised.value.__suppress_context__
    finally:
        del checks.SETS["99-odd"]


def test_notyet_is_an_assertion_error():
    assert issubclass(NotYet, AssertionError) and issubclass(NoAnswer, NotYet) and issubclass(WrongKind, NotYet)


def test_checks_follow_the_data(monkeypatch, capsys):
    """Expected values come from tightrope.data at check time, not from constants."""
    fewer = INC.iloc[:-1]
    monkeypatch.setattr(data, "incidents", lambda data_dir=None: fewer.copy())
    checks.reading_the_data.q1(len(fewer))
    assert "✓ q1" in capsys.readouterr().out
    with pytest.raises(NotYet):
        checks.reading_the_data.q1(len(INC))


def test_short_display_in_ipython():
    """In IPython a failed check shows as one line, not a traceback."""
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    try:
        shown = []
        shell._showtraceback = lambda etype, value, lines: shown.append(lines)
        checks._install_short_tracebacks.__globals__["_install_short_tracebacks"]()
        shell.set_custom_exc((NotYet,), checks._short_traceback)
        result = shell.run_cell("from tightrope.checks import reading_the_data as check\ncheck.q5('A')")
        assert isinstance(result.error_in_exec, NotYet)
        assert shown == [["NotYet: q5: a zero is written as 0 in the table. Look at the data dictionary: "
                          "what does a blank cell stand for?"]]
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.parametrize("name, question, letter", [
    ("setting_the_scene", "q6", "B"), ("deterrence", "q6", "B"), ("cult_of_presence", "q5", "B"),
])
def test_a_question_that_weighs_the_data_accepts_every_defensible_reading(name, question, letter, capsys):
    run(name, question, {**JUDGED[name, question](), "reading": letter.lower()})
    assert capsys.readouterr().out.startswith(f"✓ {question}: correct.")
