"""Attacks on US and coalition sites: counts, barrage sizes, casualties, places, attribution.

Every function takes the validated tables from :mod:`tightrope.data` (or small
frames with the same columns, as the tests use) and returns a plain DataFrame,
or, for the chart builders (``*_chart`` and ``bases_map``), a finished Altair chart. Pages call these
and glue the numbers; nothing here reads files.

Two conventions run through the module:

- An *attack* is an incident whose ``kind`` is one of ``kinds`` (by default
  indirect fire: rockets and mortars). Foiled plots and convoy bombs are kept
  out unless asked for, because the article's count is of rocket attacks on bases.
- A blank count means "not reported", never zero. Sums skip blanks, and the
  functions say how many incidents had a figure at all.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from tightrope import charts, sources

INDIRECT_FIRE = ("indirect fire",)
GROUPS = {
    "us": "US service members",
    "coalition": "Other coalition troops",
    "contractor": "Contractors",
    "iraqi": "Iraqi forces and civilians",
}
OUTCOMES = ("killed", "wounded")
# Strongest public attribution first: a group's own claim, then an accusation
# by someone else, then a denial with no accusation on record.
LEVELS = ("claimed", "alleged", "denied", "no public attribution")
LEVEL_COLOURS = [charts.PALETTE[5], charts.PALETTE[0], charts.PALETTE[1], "#bbbbbb"]
SOURCE = "The Tight Rope, annotated data package (incidents, estimates, bases, attributions)"


def day(date) -> str:
    """A date as "1 December 2019" (no leading zero), for text descriptions."""
    return f"{date.day} {date:%B %Y}"


def require(frame: pd.DataFrame, columns, name: str) -> None:
    """Raise ValueError naming the table and the columns it lacks."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} table is missing column(s): {', '.join(missing)}")


# --- Selecting and counting attacks ------------------------------------------

def attacks(incidents: pd.DataFrame, *, start=None, end=None, kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Incidents of the given kinds dated between ``start`` and ``end`` (inclusive).

    Month-only dates are stored as the 1st of the month, so they are selected by
    that day; :func:`tally_range` treats them more carefully.
    """
    require(incidents, ["id", "date", "kind"], "incidents")
    rows = incidents[incidents["kind"].astype("string").isin(kinds)]
    if start is not None:
        rows = rows[rows["date"] >= pd.Timestamp(start)]
    if end is not None:
        rows = rows[rows["date"] <= pd.Timestamp(end)]
    return rows.sort_values(["date", "id"]).reset_index(drop=True)


def attacks_per_period(incidents: pd.DataFrame, *, freq: str = "month", start, end,
                       kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Attacks per calendar month or per week (weeks start on Monday), zeros included.

    Returns columns ``period`` (first day of the month or week) and ``attacks``.
    A weekly count cannot place an attack known only to the month, so those are
    left out and their number is kept in ``result.attrs["month_only"]``.
    """
    codes = {"month": "M", "week": "W-SUN"}
    if freq not in codes:
        raise ValueError(f"freq must be 'month' or 'week', got {freq!r}")
    rows = attacks(incidents, start=start, end=end, kinds=kinds)
    month_only = 0
    if freq == "week":
        require(rows, ["date_precision"], "incidents")
        dated = rows["date_precision"].astype("string") == "day"
        month_only = int((~dated).sum())
        rows = rows[dated]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=codes[freq])
    counts = rows["date"].dt.to_period(codes[freq]).value_counts()
    result = pd.DataFrame({
        "period": periods.start_time,
        "attacks": [int(counts.get(p, 0)) for p in periods],
    })
    result.attrs["month_only"] = month_only
    return result


def tally_range(incidents: pd.DataFrame, *, start, end, kinds=INDIRECT_FIRE) -> dict:
    """How many attacks fall between ``start`` and ``end``, as a low-high range.

    ``low`` counts attacks dated to the day inside the window. ``high`` adds the
    attacks known only to a month that overlaps the window, since they may fall
    inside it. Returns ``{"low": int, "high": int}``.
    """
    require(incidents, ["date", "date_precision", "kind"], "incidents")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    rows = incidents[incidents["kind"].astype("string").isin(kinds)]
    by_day = rows["date_precision"].astype("string") == "day"
    low = rows[by_day & rows["date"].between(start, end)]
    month_start = rows["date"].dt.to_period("M").dt.start_time
    month_end = rows["date"].dt.to_period("M").dt.end_time
    maybe = rows[~by_day & (month_end >= start) & (month_start <= end)]
    return {"low": len(low), "high": len(low) + len(maybe)}


TALLY_COLUMNS = ["id", "as_of", "period_start", "period_end", "count", "qualifier", "what", "given_by"]
# The range of true counts each qualifier allows: (lowest, highest), None meaning no bound.
# "about" and "nearly" are read as the number given, since an outlet's rounding is unknown.
QUALIFIER_BOUNDS = {
    "exactly": lambda n: (n, n), "about": lambda n: (n, n), "nearly": lambda n: (n, n),
    "at least": lambda n: (n, None), "more than": lambda n: (n + 1, None), "up to": lambda n: (0, n),
}


def published_tallies(tallies: pd.DataFrame, *, what: str = "attacks", start=None, end=None) -> pd.DataFrame:
    """Running counts of one kind from the ``tallies`` table, in the order they were given.

    ``what`` is a value of the ``what`` column (``"attacks"``, ``"killed_in_protests"``, ...);
    ``start`` and ``end`` keep the counts whose period ends between them, so a
    comparison can stop where the incidents table stops being complete.
    Raises ValueError when ``what`` is not a kind of count the table knows, or
    when no count is left.
    """
    require(tallies, TALLY_COLUMNS, "tallies")
    what_column = tallies["what"].astype("string")
    known = (list(tallies["what"].cat.categories) if isinstance(tallies["what"].dtype, pd.CategoricalDtype)
             else sorted(set(what_column.dropna())))
    if what not in known:
        raise ValueError(f"published_tallies(): no kind of count {what!r}; known: {', '.join(known)}")
    rows = tallies[what_column == what]
    ends = rows["period_end"].fillna(rows["as_of"])  # a blank end: the count runs to the day it was given
    keep = pd.Series(True, index=rows.index)
    if start is not None:
        keep &= ends >= pd.Timestamp(start)
    if end is not None:
        keep &= ends <= pd.Timestamp(end)
    rows = rows[keep]
    if rows.empty:
        raise ValueError(f"published_tallies(): no {what!r} count with a period ending between {start} and {end}")
    return rows[TALLY_COLUMNS].sort_values(["as_of", "id"]).reset_index(drop=True)


def add_tally(tallies: pd.DataFrame, *, id: str, as_of, period_start, count: int, given_by: str,
              qualifier: str = "exactly", what: str = "attacks") -> pd.DataFrame:
    """``tallies`` with one more count that is not in the data package, such as the article's own.

    The period runs from ``period_start`` to ``as_of``. Returns a new frame in date order.
    """
    require(tallies, TALLY_COLUMNS, "tallies")
    if qualifier not in QUALIFIER_BOUNDS:
        raise ValueError(f"add_tally(): qualifier {qualifier!r} is not one of: {', '.join(QUALIFIER_BOUNDS)}")
    row = pd.DataFrame([{"id": id, "as_of": pd.Timestamp(as_of), "period_start": pd.Timestamp(period_start),
                         "period_end": pd.Timestamp(as_of), "count": int(count), "qualifier": qualifier,
                         "what": what, "given_by": given_by}])
    plain = tallies[TALLY_COLUMNS].astype({"qualifier": "string", "what": "string", "count": "Int64"})
    return (pd.concat([plain, row.astype({"count": "Int64"})], ignore_index=True)
            .sort_values(["as_of", "id"]).reset_index(drop=True))


def tally_comparison(incidents: pd.DataFrame, tallies: pd.DataFrame, *, kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Set each published count of attacks beside this data's count for the same period.

    ``tallies`` has the columns of :func:`published_tallies`. Adds ``data_low``
    and ``data_high`` (from :func:`tally_range`, over the tally's own period) and
    ``verdict``: "above" when even the lowest count the qualifier allows
    exceeds the data's upper end, "below" when even the highest it allows falls
    short of the lower end, else "within". Counts whose period has no start
    cannot be compared; they are left out and their ids kept in
    ``result.attrs["no_period"]``.
    """
    require(tallies, ["id", "as_of", "period_start", "period_end", "count", "qualifier", "given_by"], "tallies")
    unknown = sorted(set(tallies["qualifier"].astype("string")) - set(QUALIFIER_BOUNDS))
    if unknown:
        raise ValueError(f"tally_comparison(): unknown qualifier(s) {', '.join(unknown)}")
    dated = tallies["period_start"].notna()
    result = tallies[dated].copy()
    result["period_end"] = result["period_end"].fillna(result["as_of"])
    ranges = [tally_range(incidents, start=s, end=e, kinds=kinds)
              for s, e in zip(result["period_start"], result["period_end"])]
    result["data_low"] = [r["low"] for r in ranges]
    result["data_high"] = [r["high"] for r in ranges]
    verdicts = []
    for count, qualifier, low, high in zip(result["count"], result["qualifier"].astype("string"),
                                           result["data_low"], result["data_high"]):
        least, most = QUALIFIER_BOUNDS[qualifier](int(count))
        verdicts.append("above" if least > high else "below" if most is not None and most < low else "within")
    result["verdict"] = verdicts
    result = result.sort_values(["as_of", "id"]).reset_index(drop=True)
    result.attrs["no_period"] = list(tallies.loc[~dated, "id"].astype("string"))
    return result


def range_position(value: int, low: int, high: int) -> str:
    """Where ``value`` sits against a low-high range, in words ("at the top of that range", ...)."""
    if value > high:
        return "above that range"
    if value < low:
        return "below that range"
    if low == high:
        return "exactly that count"
    if value == high:
        return "at the top of that range"
    if value == low:
        return "at the bottom of that range"
    return "inside that range"


# --- Barrage size ------------------------------------------------------------

def projectile_ranges(incidents: pd.DataFrame, estimates: pd.DataFrame | None = None,
                      *, kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Projectiles fired per attack, as the low-high range the sources allow.

    Keeps attacks with at least one figure. ``low`` and ``high`` come from the
    incidents table, whose two columns already span the sources' disagreement
    (a blank end takes the other end's value). ``estimates`` (optional) adds the
    ``figures`` column, who said what, for tooltips; it does not move the range,
    because the data's compilers may have set a figure aside (see their notes).
    A ``cited`` column (short citations, ``sources.with_citations``) is kept for tooltips.
    """
    require(incidents, ["id", "date", "site", "projectiles_low", "projectiles_high"], "incidents")
    rows = attacks(incidents, kinds=kinds)
    result = rows[["id", "date", "site"] + (["cited"] if "cited" in rows else [])].copy()
    result["low"] = rows["projectiles_low"].fillna(rows["projectiles_high"]).astype("Int64")
    result["high"] = rows["projectiles_high"].fillna(rows["projectiles_low"]).astype("Int64")
    result["figures"] = ""
    if estimates is not None and len(estimates):
        require(estimates, ["subject", "quantity", "value", "qualifier", "given_by"], "estimates")
        est = estimates[estimates["quantity"].astype("string") == "projectiles"]
        for i, incident in result["id"].items():
            mine = est[est["subject"].astype("string") == str(incident)]
            result.loc[i, "figures"] = "; ".join(
                f"{g}: {q} {v}" for g, q, v in zip(mine["given_by"], mine["qualifier"], mine["value"]))
    result = result[result["low"].notna()].reset_index(drop=True)
    result["disputed"] = result["low"] != result["high"]
    return result


def median_projectiles(ranges: pd.DataFrame, *, start=None, end=None) -> dict:
    """Median low and high projectile counts for attacks in a window, and how many there were."""
    require(ranges, ["date", "low", "high"], "ranges")
    rows = ranges
    if start is not None:
        rows = rows[rows["date"] >= pd.Timestamp(start)]
    if end is not None:
        rows = rows[rows["date"] <= pd.Timestamp(end)]
    if rows.empty:
        return {"low": None, "high": None, "attacks": 0}
    return {"low": float(rows["low"].astype(float).median()),
            "high": float(rows["high"].astype(float).median()), "attacks": len(rows)}


# --- Casualties --------------------------------------------------------------

def casualties_by_group(incidents: pd.DataFrame, estimates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Killed and wounded by group, summed over the incidents given.

    One row per group and outcome: ``reported`` sums the figures in the
    incidents table; ``low`` and ``high`` replace each incident's figure by the
    lowest and highest any source gave (from ``estimates`` quantities such as
    ``wounded_us``), so disagreement shows as a range; ``incidents`` counts the
    incidents with any figure for that cell.
    """
    columns = [f"{o}_{g}" for o in OUTCOMES for g in GROUPS]
    require(incidents, ["id"] + columns, "incidents")
    est = None
    if estimates is not None and len(estimates):
        require(estimates, ["subject", "quantity", "value"], "estimates")
        est = estimates[estimates["quantity"].astype("string").isin(columns)
                        & estimates["subject"].astype("string").isin(incidents["id"].astype("string"))]
    rows = []
    for outcome in OUTCOMES:
        for group, label in GROUPS.items():
            column = f"{outcome}_{group}"
            values = incidents.set_index(incidents["id"].astype("string"))[column]
            low, high = values.copy().astype("Float64"), values.copy().astype("Float64")
            if est is not None:
                alt_values = est[est["quantity"].astype("string") == column]
                for subject, value in zip(alt_values["subject"].astype("string"), alt_values["value"]):
                    low[subject] = min(v for v in (low[subject], value) if pd.notna(v))
                    high[subject] = max(v for v in (high[subject], value) if pd.notna(v))
            rows.append({"group": label, "outcome": outcome,
                         "reported": int(values.sum()), "low": int(low.sum()), "high": int(high.sum()),
                         "incidents": int(high.notna().sum())})
    return pd.DataFrame(rows)


# --- Places ------------------------------------------------------------------

def attacks_by_site(incidents: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """Attacks per site with the base's name, province and coordinates.

    Columns: site, name, province, lat, lon, attacks, projectiles_low,
    projectiles_high, first, last. Attacks with no identified site are counted
    under site ``"unidentified"``. Sorted by attacks, most first.
    """
    require(incidents, ["id", "date", "site", "projectiles_low", "projectiles_high"], "incidents")
    require(bases, ["id", "name", "province", "lat", "lon"], "bases")
    rows = incidents.assign(site=incidents["site"].astype("string").fillna("unidentified"))
    grouped = rows.groupby("site", observed=True).agg(
        attacks=("id", "size"), projectiles_low=("projectiles_low", "sum"),
        projectiles_high=("projectiles_high", "sum"), first=("date", "min"), last=("date", "max"))
    places = bases.assign(id=bases["id"].astype("string")).set_index("id")[["name", "province", "lat", "lon"]]
    result = grouped.join(places, how="left").reset_index()
    result["name"] = result["name"].astype("string").fillna("Unidentified site")
    result = result[["site", "name", "province", "lat", "lon", "attacks", "projectiles_low",
                     "projectiles_high", "first", "last"]]
    return result.sort_values(["attacks", "site"], ascending=[False, True]).reset_index(drop=True)


# --- Attribution -------------------------------------------------------------

def attribution_level(incidents: pd.DataFrame, attributions: pd.DataFrame) -> pd.DataFrame:
    """Each incident with its strongest public attribution and who was named.

    ``level`` is the first of claimed, alleged, denied that any attribution row
    for the incident has, else "no public attribution". ``actors`` lists the
    actor ids named with that status.
    """
    require(incidents, ["id", "date", "site"], "incidents")
    require(attributions, ["incident_id", "actor", "status"], "attributions")
    unknown = set(attributions["incident_id"].astype("string")) - set(incidents["id"].astype("string"))
    rows = attributions[attributions["incident_id"].astype("string").isin(incidents["id"].astype("string"))]
    result = incidents[["id", "date", "site"]].copy()
    levels, actors = [], []
    for incident in result["id"].astype("string"):
        mine = rows[rows["incident_id"].astype("string") == incident]
        statuses = set(mine["status"].astype("string"))
        level = next((s for s in LEVELS[:-1] if s in statuses), LEVELS[-1])
        levels.append(level)
        named = mine[mine["status"].astype("string") == level]["actor"].astype("string")
        actors.append(", ".join(sorted(set(named))))
    result["level"] = pd.Categorical(levels, categories=LEVELS, ordered=True)
    result["actors"] = actors
    result.attrs["outside"] = sorted(unknown)  # attribution rows for incidents not passed in
    return result


def attribution_by_site(levels: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """Number of attacks per site and attribution level (zeros left out).

    ``levels`` is the output of :func:`attribution_level`. Adds the base name.
    """
    require(levels, ["site", "level"], "levels")
    site = levels["site"].astype("string").fillna("unidentified")
    counts = (levels.assign(site=site).groupby(["site", "level"], observed=True)
              .size().rename("attacks").reset_index())
    names = bases.assign(id=bases["id"].astype("string")).set_index("id")["name"].astype("string")
    counts["name"] = counts["site"].map(names).fillna("Unidentified site")
    return counts[counts["attacks"] > 0].reset_index(drop=True)


def geography_check(levels: pd.DataFrame, expected: dict, *, generic=()) -> pd.DataFrame:
    """Test a claim of the form "group X is the one that fires at sites S".

    ``expected`` maps an actor id to the site ids the claim gives it;
    ``generic`` lists actor ids that name no particular group (such as
    "Iran-backed militias"). For each pair, counts the attacks at those sites
    whose public attribution (claimed or alleged) names that actor, names only
    generic actors, names only others, or names no one.
    """
    require(levels, ["site", "level", "actors"], "levels")
    rows = []
    for actor, sites in expected.items():
        here = levels[levels["site"].astype("string").isin(sites)]
        named = here["level"].isin(["claimed", "alleged"])
        who = here["actors"].astype("string").fillna("").str.split(", ")
        to_actor = named & who.apply(lambda a: actor in a)
        only_generic = named & ~to_actor & who.apply(lambda a: all(x in generic for x in a))
        rows.append({"actor": actor, "sites": ", ".join(sites), "attacks": len(here),
                     "attributed_to_actor": int(to_actor.sum()),
                     "attributed_generally": int(only_generic.sum()),
                     "attributed_to_others": int((named & ~to_actor & ~only_generic).sum()),
                     "unattributed": int((~named).sum())})
    return pd.DataFrame(rows)


def attributions_by_source(attributions: pd.DataFrame, actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attribution statements counted by who made them and their status.

    ``by_whom`` holds actor ids; with ``actors`` they are replaced by names.
    """
    require(attributions, ["by_whom", "status"], "attributions")
    who = attributions["by_whom"].astype("string")
    if actors is not None:
        who = who.map(names_of(actors)).fillna(who)
    return (attributions.assign(by_whom=who.fillna("not stated"))
            .groupby(["by_whom", "status"], observed=True).size().rename("statements").reset_index())


def attribution_statements(attributions: pd.DataFrame, incidents: pd.DataFrame, actors: pd.DataFrame,
                           bases: pd.DataFrame, register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every attribution statement with readable names, in the date order of the incidents.

    Columns: Date, Site, Named, Status, Made by, Notes, and Sources (HTML
    citations) when the source ``register`` is given. Ids are replaced by
    names from ``actors`` and ``bases``.
    """
    require(attributions, ["incident_id", "actor", "by_whom", "status"], "attributions")
    require(incidents, ["id", "date", "site"], "incidents")
    who, where = names_of(actors), names_of(bases)
    merged = attributions.merge(incidents[["id", "date", "site"]], left_on="incident_id", right_on="id",
                                how="left").sort_values(["date", "incident_id"])
    notes = merged["notes"].astype("string").fillna("") if "notes" in merged else ""
    table = pd.DataFrame({
        "Date": [day(d) if pd.notna(d) else "" for d in merged["date"]],
        "Site": merged["site"].astype("string").map(where).fillna(merged["site"].astype("string")).values,
        "Named": merged["actor"].astype("string").map(who).fillna(merged["actor"].astype("string")).values,
        "Status": merged["status"].astype("string").values,
        "Made by": merged["by_whom"].astype("string").map(who).fillna(merged["by_whom"].astype("string")).values,
        "Notes": notes.values if hasattr(notes, "values") else notes,
    }).reset_index(drop=True)
    if register is not None:
        table["Sources"] = sources.cite_rows(merged, register).values
    return table


def names_of(table: pd.DataFrame) -> pd.Series:
    """A lookup from id to name for the actors or bases table."""
    require(table, ["id", "name"], "lookup")
    return pd.Series(table["name"].astype("string").values, index=table["id"].astype("string"))


def key_dates(spec: list[dict], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Dates to mark on a chart, taken from rows of the data, with the article's date where it differs.

    Each entry of ``spec`` has ``table``, ``row`` (an id), ``label`` and
    optionally ``article`` (the date the article gives, as text). Returns
    columns date, label, detail. Raises ValueError naming a missing row.
    """
    rows = []
    for entry in spec:
        table = tables.get(entry["table"])
        if table is None:
            raise ValueError(f"key_dates(): no table {entry['table']!r} was passed")
        match = table[table["id"].astype("string") == entry["row"]]
        if match.empty:
            raise ValueError(f"key_dates(): no row {entry['row']!r} in {entry['table']}")
        date = match.iloc[0]["date"]
        detail = f"{day(date)} in the data"
        if entry.get("article"):
            detail += f"; the article says {entry['article']}"
        rows.append({"date": date, "label": entry["label"], "detail": detail})
    return pd.DataFrame(rows)


# --- Words for the pages -----------------------------------------------------
# Lists that pages glue into their prose, so that a sentence naming places or
# groups is built from the data and cannot drift from it.

NOUNS = {"us": ("US service member", "US service members"), "coalition": ("other coalition soldier",
         "other coalition soldiers"), "contractor": ("contractor", "contractors"), "iraqi": ("Iraqi", "Iraqis")}


def join_words(items) -> str:
    """Items as an English list: "a", "a and b", "a, b and c"."""
    items = [str(i) for i in items]
    if not items:
        raise ValueError("join_words(): nothing to join")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def short_name(name: str) -> str:
    """A site's name without its bracketed gloss: "Green Zone (International Zone), Baghdad" -> "Green Zone"."""
    return str(name).split(" (")[0]


def harm_list(incidents: pd.DataFrame, bases: pd.DataFrame, *, outcome: str = "killed",
              groups=tuple(GROUPS)) -> str:
    """The incidents in which people of ``groups`` were killed (or wounded), in words.

    For example "K-1 Air Base, 27 December 2019: 1 contractor; ...", in date
    order, with the incidents table's figures. Returns "" when there are none.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise ValueError(f"unknown group(s) {', '.join(unknown)}; known: {', '.join(GROUPS)}")
    columns = [f"{outcome}_{g}" for g in groups]
    require(incidents, ["id", "date", "site"] + columns, "incidents")
    names = names_of(bases)
    parts = []
    for _, row in incidents.sort_values(["date", "id"]).iterrows():
        counts = [(int(row[c]), g) for c, g in zip(columns, groups) if pd.notna(row[c]) and row[c] > 0]
        if counts:
            site = short_name(names.get(str(row["site"]), "an unidentified site"))
            people = ", ".join(f"{n} {NOUNS[g][n != 1]}" for n, g in counts)
            parts.append(f"{site}, {day(row['date'])}: {people}")
    return "; ".join(parts)


def describe_tallies(comparison: pd.DataFrame) -> str:
    """Published counts beside this data's range, in words: "14 on 5 January 2020 (this data: 10 to 12); ..."

    ``comparison`` comes from :func:`tally_comparison`.
    """
    require(comparison, ["as_of", "count", "qualifier", "data_low", "data_high"], "comparison")
    return "; ".join(
        f"{'' if q == 'exactly' else q + ' '}{int(n)} on {day(d)} (this data: {lo} to {hi})"
        for d, n, q, lo, hi in zip(comparison["as_of"], comparison["count"],
                                   comparison["qualifier"].astype("string"),
                                   comparison["data_low"], comparison["data_high"]))


def claimants(attributions: pd.DataFrame, incidents: pd.DataFrame, actors: pd.DataFrame) -> str:
    """Who claimed attacks, for how many and when, in words, first claimant first.

    For example "Iran: 2 attacks (8 January 2020); Ashab al-Kahf: 2 attacks
    (1 October 2017 and 17 November 2020)". Dates are those of the attacks.
    """
    require(attributions, ["incident_id", "actor", "status"], "attributions")
    require(incidents, ["id", "date"], "incidents")
    claimed = attributions[attributions["status"].astype("string") == "claimed"].merge(
        incidents[["id", "date"]], left_on="incident_id", right_on="id", how="inner")
    who = names_of(actors)
    parts = []
    for actor, rows in sorted(claimed.groupby(claimed["actor"].astype("string")), key=lambda g: g[1]["date"].min()):
        dates = sorted(set(rows["date"]))
        when = " and ".join(day(d) for d in dates) if len(dates) <= 2 else f"{day(dates[0])} to {day(dates[-1])}"
        n = rows["incident_id"].nunique()
        parts.append(f"{who.get(actor, actor)}: {n} attack{'s' if n != 1 else ''} ({when})")
    return "; ".join(parts)


# --- Charts ------------------------------------------------------------------

def attacks_over_time_chart(counts: pd.DataFrame, marks: pd.DataFrame, *, freq: str = "month",
                            source: str = SOURCE) -> alt.LayerChart:
    """Bars of attacks per period, with vertical rules at key dates.

    ``counts`` comes from :func:`attacks_per_period`; ``marks`` has columns
    ``date``, ``label`` and ``detail`` (tooltip text).
    """
    require(counts, ["period", "attacks"], "counts")
    require(marks, ["date", "label", "detail"], "marks")
    unit = "month" if freq == "month" else "week"
    time_unit = "yearmonth" if freq == "month" else "yearmonthdate"
    x_title = f"{unit.capitalize()} (start date)"
    bars = alt.Chart(counts).mark_bar(color=charts.MAIN).encode(
        x=alt.X(f"{time_unit}(period):T", title=x_title,
                axis=alt.Axis(format="%b %Y" if unit == "month" else "%d %b %Y", labelAngle=0,
                              tickCount={"interval": "month", "step": 3} if unit == "month" else None)),
        y=alt.Y("attacks:Q", title=f"Attacks per {unit} (count)", axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("period:T", title=f"{unit.capitalize()} starting", format="%d %b %Y"),
                 alt.Tooltip("attacks:Q", title="Attacks")],
    )
    rules = alt.Chart(marks).mark_rule(color=charts.PALETTE[5], strokeDash=[4, 3]).encode(
        x=alt.X("date:T", title=x_title), tooltip=[alt.Tooltip("label:N", title="Key date"), alt.Tooltip("detail:N", title="Detail")])
    # Labels sit in four staggered rows so that close dates do not overprint.
    placed = marks.sort_values("date").reset_index(drop=True)
    placed["row"] = [10 + 14 * (i % 4) for i in range(len(placed))]
    labels = alt.Chart(placed).mark_text(align="left", dx=3, fontSize=12, color="#333333").encode(
        x=alt.X("date:T", title=x_title), y=alt.Y("row:Q", scale=None, axis=None), text="label:N")
    total = int(counts["attacks"].sum())
    busiest = counts.loc[counts["attacks"].idxmax()]
    description = (
        f"Bar chart of attacks per {unit} from {counts['period'].min():%B %Y} to "
        f"{counts['period'].max():%B %Y}: {total} attacks in all. The busiest {unit} starts "
        f"{day(busiest['period'])} with {int(busiest['attacks'])} attacks. "
        "Dashed lines mark: " + "; ".join(f"{l} ({day(d)})" for l, d in zip(marks["label"], marks["date"])) + "."
    )
    chart = alt.layer(bars, rules, labels).properties(width=charts.WIDTH, height=charts.HEIGHT)
    return charts.finish(chart, title=f"Rocket and mortar attacks per {unit}", source=source,
                         description=description,
                         subtitle="Dashed lines: key dates; hover over or tap a mark for details")


def tally_chart(comparison: pd.DataFrame, *, source: str = SOURCE) -> alt.LayerChart:
    """For each published tally, the count given (diamond) against this data's range for its period (bar).

    ``comparison`` comes from :func:`tally_comparison`.
    """
    require(comparison, ["as_of", "period_start", "period_end", "count", "qualifier", "given_by", "data_low",
                         "data_high"], "comparison")
    data = comparison.assign(
        label=[f"{g}, {d.day} {d:%b %Y}" for g, d in zip(comparison["given_by"], comparison["as_of"])],
        period=[f"{day(s)} to {day(e)}" for s, e in zip(comparison["period_start"], comparison["period_end"])],
        given=[f"{q} {int(n)}" if q != "exactly" else str(int(n))
               for q, n in zip(comparison["qualifier"].astype("string"), comparison["count"])],
        count=comparison["count"].astype(int))
    order = list(data["label"])
    tooltip = [alt.Tooltip("given_by:N", title="Given by"), alt.Tooltip("period:N", title="Period counted"),
               alt.Tooltip("given:N", title="Count given"), alt.Tooltip("data_low:Q", title="This data, at least"),
               alt.Tooltip("data_high:Q", title="This data, at most")]
    x_title = "Attacks in the period counted (count)"
    base = alt.Chart(data).encode(y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
                                  tooltip=tooltip)
    spans = base.mark_bar(color=charts.PALETTE[4], height=14, opacity=0.9).encode(
        x=alt.X("data_low:Q", title=x_title, axis=alt.Axis(tickMinStep=1)), x2="data_high:Q")
    ends = base.mark_tick(color=charts.MAIN, thickness=2, size=16).encode(x=alt.X("data_high:Q", title=x_title))
    starts = base.mark_tick(color=charts.MAIN, thickness=2, size=16).encode(x=alt.X("data_low:Q", title=x_title))
    given = base.mark_point(shape="diamond", size=140, filled=True, color=charts.PALETTE[5]).encode(
        x=alt.X("count:Q", title=x_title))
    chart = alt.layer(spans, starts, ends, given).properties(width=charts.WIDTH - 280, height=40 * len(order))
    description = "For each published count of attacks, the count given and this data's range for the same " \
        "period: " + "; ".join(
            f"{l} ({p}): {g} given, {lo} to {hi} in the data"
            for l, p, g, lo, hi in zip(data["label"], data["period"], data["given"],
                                       data["data_low"], data["data_high"])) + "."
    return charts.finish(chart, title="Published tallies against this data, period by period", source=source,
                         description=description,
                         subtitle=["Diamond: count given at the time; bar: this data, from attacks dated",
                                   "to the day (left) to those that may fall in the period (right)"])


def projectiles_chart(ranges: pd.DataFrame, bases: pd.DataFrame, *, source: str = SOURCE) -> alt.LayerChart:
    """Projectiles per attack over time: a vertical bar from low to high, a dot where sources agree.

    ``ranges`` comes from :func:`projectile_ranges`.
    """
    require(ranges, ["id", "date", "site", "low", "high", "disputed", "figures"], "ranges")
    names = bases.assign(id=bases["id"].astype("string")).set_index("id")["name"].astype("string")
    data = ranges.assign(name=ranges["site"].astype("string").map(names).fillna("Unidentified site"),
                         low=ranges["low"].astype(int), high=ranges["high"].astype(int),
                         agreement=ranges["disputed"].map({True: "Sources differ (range)",
                                                           False: "One figure"}))
    tooltip = [alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("name:N", title="Site"),
               alt.Tooltip("low:Q", title="Fewest reported"), alt.Tooltip("high:Q", title="Most reported"),
               alt.Tooltip("figures:N", title="Figures given")] + charts.cited_tooltip(data)
    colour = alt.Color("agreement:N", title=None, scale=alt.Scale(
        domain=["One figure", "Sources differ (range)"], range=[charts.MAIN, charts.PALETTE[5]]))
    base = alt.Chart(data).encode(x=alt.X("date:T", title="Date of attack",
                                          axis=alt.Axis(format="%b %Y", labelAngle=-45)))
    spans = base.mark_rule(strokeWidth=4).encode(
        y=alt.Y("low:Q", title="Projectiles fired (count)"), y2="high:Q", color=colour, tooltip=tooltip)
    points = base.mark_circle(size=50, opacity=1).encode(
        y=alt.Y("high:Q", title="Projectiles fired (count)"), color=colour, tooltip=tooltip)
    biggest = data.loc[data["high"].idxmax()]
    description = (
        f"Projectiles per attack for {len(data)} attacks with a reported figure, "
        f"{data['date'].min():%B %Y} to {data['date'].max():%B %Y}, {int(data['disputed'].sum())} with a range "
        f"because sources differ. The largest is {biggest['name']} on {day(biggest['date'])}: "
        f"{int(biggest['low'])} to {int(biggest['high'])}. Median: {data['low'].median():g} to "
        f"{data['high'].median():g}."
    )
    chart = alt.layer(spans, points).properties(width=charts.WIDTH, height=charts.HEIGHT)
    return charts.finish(chart, title="How many rockets or shells each attack fired", source=source,
                         description=description,
                         subtitle="Bars span the lowest to highest figure reported; dot at the highest")


def casualties_chart(table: pd.DataFrame, *, source: str = SOURCE) -> alt.LayerChart:
    """Horizontal bars of killed and wounded by group, with the range across sources as a line.

    ``table`` comes from :func:`casualties_by_group`.
    """
    require(table, ["group", "outcome", "reported", "low", "high", "incidents"], "table")
    order = list(GROUPS.values())
    base = alt.Chart(table).encode(
        y=alt.Y("group:N", title=None, sort=order),
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("outcome:N", title="Outcome"),
                 alt.Tooltip("reported:Q", title="Main figure"), alt.Tooltip("low:Q", title="Lowest"),
                 alt.Tooltip("high:Q", title="Highest"), alt.Tooltip("incidents:Q", title="Incidents with a figure")],
    )
    x_title = "People (count)"
    bars = base.mark_bar(color=charts.MAIN, opacity=0.8).encode(
        x=alt.X("reported:Q", title=x_title, axis=alt.Axis(tickMinStep=1)))
    spans = base.mark_rule(color="#000000", strokeWidth=2).encode(x=alt.X("low:Q", title=x_title), x2="high:Q")
    ends = base.mark_tick(color="#000000", thickness=2, size=14).encode(x=alt.X("high:Q", title=x_title))
    chart = (alt.layer(bars, spans, ends)
             .properties(width=charts.WIDTH - 200, height=120)
             .facet(row=alt.Row("outcome:N", title=None, sort=list(OUTCOMES),
                                header=alt.Header(labelFontSize=13, labelFontWeight="bold"))))
    parts = [f"{o} {g}: {r}" + (f" (sources range {lo}-{hi})" if lo != hi else "")
             for g, o, r, lo, hi in zip(table["group"], table["outcome"], table["reported"],
                                         table["low"], table["high"])]
    description = "Bar chart of people killed and wounded, by group. " + "; ".join(parts) + "."
    return charts.finish(chart, title="Who was killed and wounded", source=source, description=description,
                         subtitle="Bars: main figure; black lines: lowest to highest figure any source gave")


def bases_map(sites: pd.DataFrame, region: dict, *, colour: str | None = None, colour_title: str = "",
              source: str = SOURCE) -> alt.LayerChart:
    """Map of Iraq and its neighbours with a circle on each base, sized by attacks.

    ``sites`` comes from :func:`attacks_by_site` (rows without coordinates are
    left off the map; the description names them). ``region`` is a GeoJSON
    FeatureCollection. ``colour`` optionally names a column of ``sites`` to
    colour the circles by, with legend title ``colour_title``.
    """
    require(sites, ["name", "lat", "lon", "attacks", "province"], "sites")
    if not isinstance(region, dict) or "features" not in region:
        raise ValueError("region must be a GeoJSON FeatureCollection dict with a 'features' list")
    placed = sites[sites["lat"].notna() & sites["lon"].notna()].copy()
    placed["lat"], placed["lon"] = placed["lat"].astype(float), placed["lon"].astype(float)
    placed["attacks"] = placed["attacks"].astype(int)
    placed = placed.sort_values("attacks", ascending=False)  # small circles drawn last, on top
    projection = dict(type="mercator", center=[43.6, 33.2], scale=2500)
    features = alt.Data(values=region["features"])
    # Iraq a shade darker than its neighbours, so the eye finds it first. The
    # basemap is decorative: hidden from screen readers (the description names the sites).
    land = alt.Chart(features).mark_geoshape(stroke="#888888", strokeWidth=0.8, aria=False).encode(
        fill=alt.condition("datum.properties.name == 'Iraq'", alt.value("#e3e3e3"), alt.value("#f7f7f7"))
    ).project(**projection)
    # Neighbours are named at their centroids; Iraq's centroid would sit on Baghdad's sites.
    names = alt.Chart(features).transform_filter("datum.properties.name != 'Iraq'").transform_calculate(
        centroid_lon="geoCentroid(null, datum)[0]", centroid_lat="geoCentroid(null, datum)[1]"
    ).mark_text(fontSize=12, color="#666666", fontStyle="italic").encode(
        longitude="centroid_lon:Q", latitude="centroid_lat:Q", text="properties.name:N").project(**projection)
    tooltip = [alt.Tooltip("name:N", title="Site"), alt.Tooltip("province:N", title="Province"),
               alt.Tooltip("attacks:Q", title="Attacks")]
    fill = alt.value(charts.PALETTE[5])
    if colour is not None:
        require(sites, [colour], "sites")
        fill = alt.Color(f"{colour}:N", title=colour_title or colour, scale=alt.Scale(range=charts.PALETTE))
        tooltip.append(alt.Tooltip(f"{colour}:N", title=colour_title or colour))
    points = alt.Chart(placed).mark_circle(opacity=0.8, stroke="#000000", strokeWidth=0.6).encode(
        longitude="lon:Q", latitude="lat:Q", color=fill,
        size=alt.Size("attacks:Q", title="Attacks (count)", scale=alt.Scale(range=[60, 1400])),
        tooltip=tooltip,
    ).project(**projection)
    chart = alt.layer(land, names, points).properties(width=charts.WIDTH, height=480)
    missing = sites[sites["lat"].isna() | sites["lon"].isna()]
    labels = [f"{n}: {int(a)}" + (f" ({g})" if colour is not None else "")
              for n, a, g in zip(placed["name"], placed["attacks"],
                                 placed[colour] if colour is not None else placed["name"])]
    description = (
        "Map of Iraq and its neighbours with circles sized by the number of attacks at each site. "
        + "; ".join(labels)
        + (f". Not on the map for lack of coordinates: "
           + "; ".join(f"{n}: {int(a)}" for n, a in zip(missing["name"], missing["attacks"])) if len(missing) else "")
        + "."
    )
    return charts.finish(chart, title="Where the attacks fell", source=source + "; Natural Earth (borders)",
                         description=description, subtitle="Circle area: attacks at the site; hover over or tap a circle for details")


def attribution_chart(by_site: pd.DataFrame, *, source: str = SOURCE) -> alt.Chart:
    """Stacked bars: attacks per site, coloured by the strongest public attribution.

    ``by_site`` comes from :func:`attribution_by_site`.
    """
    require(by_site, ["site", "name", "level", "attacks"], "by_site")
    data = by_site.assign(level=by_site["level"].astype("string"), attacks=by_site["attacks"].astype(int))
    data["order"] = data["level"].map({l: i for i, l in enumerate(LEVELS)})
    totals = data.groupby("name")["attacks"].sum().sort_values(ascending=False)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("name:N", title=None, sort=list(totals.index), axis=alt.Axis(labelLimit=300)),
        x=alt.X("attacks:Q", title="Attacks (count)", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("level:N", title="Strongest public attribution",
                        scale=alt.Scale(domain=list(LEVELS), range=LEVEL_COLOURS)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("name:N", title="Site"), alt.Tooltip("level:N", title="Attribution"),
                 alt.Tooltip("attacks:Q", title="Attacks")],
    ).properties(width=charts.WIDTH - 300, height=max(160, 26 * len(totals)))
    shares = data.groupby("level")["attacks"].sum()
    description = (
        f"Stacked bar chart of {int(totals.sum())} attacks at {len(totals)} sites by the strongest public "
        "attribution on record. Overall: " + "; ".join(f"{l}: {int(shares.get(l, 0))}" for l in LEVELS)
        + ". By site: " + "; ".join(
            f"{n}: " + ", ".join(f"{int(a)} {l}" for l, a in zip(g["level"], g["attacks"]))
            for n, g in data.sort_values("order").groupby("name", sort=False)) + "."
    )
    return charts.finish(chart, title="Who was blamed, site by site", source=source, description=description,
                         subtitle="Each attack counted once, at its strongest level of attribution")


def attribution_sources_chart(table: pd.DataFrame, *, source: str = SOURCE) -> alt.Chart:
    """Bars of attribution statements by who made them, coloured by status.

    ``table`` comes from :func:`attributions_by_source`.
    """
    require(table, ["by_whom", "status", "statements"], "table")
    data = table.assign(status=table["status"].astype("string"), statements=table["statements"].astype(int))
    totals = data.groupby("by_whom")["statements"].sum().sort_values(ascending=False)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("by_whom:N", title=None, sort=list(totals.index), axis=alt.Axis(labelLimit=300)),
        x=alt.X("statements:Q", title="Attribution statements (count)", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title="Status", scale=alt.Scale(domain=list(LEVELS[:-1]),
                                                                     range=LEVEL_COLOURS[:-1])),
        tooltip=[alt.Tooltip("by_whom:N", title="Made by"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("statements:Q", title="Statements")],
    ).properties(width=charts.WIDTH - 300, height=max(140, 26 * len(totals)))
    description = ("Bar chart of attribution statements by who made them. " + "; ".join(
        f"{w}: " + ", ".join(f"{int(n)} {s}" for s, n in zip(g["status"], g["statements"]))
        for w, g in data.groupby("by_whom", sort=False)) + ".")
    return charts.finish(chart, title="Who does the attributing", source=source, description=description,
                         subtitle="Claims come from the groups themselves; allegations and denials from others")
