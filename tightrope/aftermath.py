"""What happened after the article: strikes and responses, 2019 against 2020, the drawdown.

Used by chapters 3 and 5 to 8. Every function takes tables from
:mod:`tightrope.data` (or small frames with the same columns, as the tests use)
and returns a plain DataFrame or value, or, for the ``*_chart`` functions, a
finished Altair chart. Nothing here reads files.

Conventions:

- An *attack* is an incident of one of ``kinds`` (by default indirect fire:
  rockets and mortars), as in the article's own count.
- Windows around a date count whole days. Attacks dated only to a month cannot
  be placed before or after a given day, so day-based counts leave them out and
  say how many were left out.
- A blank figure means "not reported", never zero.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from tightrope import charts
from tightrope.data import COMPLETE_FROM, COMPLETE_UNTIL
from tightrope.attacks import INDIRECT_FIRE, attacks, require
from tightrope.timeline import events_between

SOURCE = "The Tight Rope, annotated data package"
# The book's text column is about 700 px wide: plots leave room for their axis
# labels, and legends sit above the plot rather than beside it.
PLOT_WIDTH = 580          # plots whose y axis has short labels
LABELLED_PLOT_WIDTH = 380  # plots with long category labels on the y axis
# Lanes for the chapter 5 timelines: who acted in the fortnight after the strikes,
# and which earlier US or Israeli actions drew Iraqi calls for expulsion.
CRISIS_LANES = {
    "US strikes": ["us-strike"],
    "US warnings and policy": ["us-warning", "us-policy"],
    "Militias and the embassy siege": ["militia", "embassy-siege"],
    "Iraqi leaders' reactions": ["iraqi-reaction"],
    "Iraqi parliament and government": ["iraqi-politics"],
    "Iran": ["iran-strike"],
}
PROVOCATION_LANES = {
    "US or Israeli action": ["2018-12-26-trump-visits-al-asad", "2019-02-03-trump-watch-iran", "israel-strike",
                             "2019-12-29-us-strikes-kh", "2020-01-03-soleimani-killed"],
    "Iraqi protest or call to expel US forces": ["2018-12-27-iraqi-anger-at-visit", "2019-08-21-muhandis-blames-us",
                                      "2019-08-26-fatah-demands-withdrawal", "2019-12-30-fatah-urges-parliament",
                                      "2019-12-30-sadr-offers-cooperation"],
    "Parliament votes": ["2020-01-05-parliament-resolution"],
}
# Lanes for chapter 7: what Baghdad, Washington and the militias did in 2020.
BRANCH_LANES = {
    "US pressure and threats": ["us-warning"],
    "Iraqi government and parliament": ["iraqi-politics"],
    "Iraqi forces act against a militia": ["2020-06-25-cts-raids-kh"],
    "US-Iraqi negotiation": ["strategic-dialogue"],
    "Coalition drawdown": ["drawdown"],
    "Militias": ["militia"],
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --- Checking inputs ---------------------------------------------------------

def _day(value) -> pd.Timestamp:
    """A date given as text or timestamp, as a midnight Timestamp; clear error otherwise."""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a date: {value!r}") from exc
    if pd.isna(stamp):
        raise ValueError(f"not a date: {value!r}")
    return stamp.normalize()


def _legend(**options) -> alt.Legend:
    """A legend above the plot, laid out in a row."""
    settings = {"orient": "top", "direction": "horizontal", "titleOrient": "left", "labelLimit": 280}
    return alt.Legend(**{**settings, **options})


def _fmt(stamp) -> str:
    return f"{pd.Timestamp(stamp).day} {pd.Timestamp(stamp):%B %Y}"


# --- Selecting ---------------------------------------------------------------

def _dated_to_day(rows: pd.DataFrame) -> pd.Series:
    if "date_precision" not in rows.columns:
        return pd.Series(True, index=rows.index)
    return rows["date_precision"].astype("string").fillna("day") == "day"


def event_on(events: pd.DataFrame, date, *, category: str) -> pd.Series:
    """The one event of ``category`` on ``date``; ValueError if there is none or several."""
    rows = events_between(events, categories=[category], start=date, end=date)
    if len(rows) != 1:
        found = ", ".join(rows["id"].astype("string")) or "none"
        raise ValueError(f"expected one {category!r} event on {_day(date):%Y-%m-%d}, found {found}")
    return rows.iloc[0]


def strike_event(events: pd.DataFrame, date, *, category: str = "us-strike") -> pd.Series:
    """The US strike event on ``date`` (see :func:`event_on`)."""
    return event_on(events, date, category=category)


# --- Before and after a date -------------------------------------------------

def window_counts(incidents: pd.DataFrame, date, *, days: int = 30, kinds=INDIRECT_FIRE) -> dict:
    """Attacks in the ``days`` days before ``date``, on the day itself, and in the ``days`` days after.

    Returns ``{"before", "same_day", "after", "month_only"}``: the same-day count
    is kept apart because a day's reports rarely say whether an attack came
    before or after the event; ``month_only`` counts attacks in the span known
    only to the month, which cannot be placed and are left out.
    """
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValueError(f"days must be a positive whole number, got {days!r}")
    day = _day(date)
    first, last = day - pd.Timedelta(days=days), day + pd.Timedelta(days=days)
    rows = attacks(incidents, kinds=kinds)
    exact = _dated_to_day(rows)
    dated = rows[exact & (rows["date"] >= first) & (rows["date"] <= last)]
    # A month-only attack may fall in the window if its month overlaps it.
    months = rows.loc[~exact, "date"].dt.to_period("M")
    overlapping = (months.dt.end_time >= first) & (months.dt.start_time <= last)
    return {
        "before": int((dated["date"] < day).sum()),
        "same_day": int((dated["date"] == day).sum()),
        "after": int((dated["date"] > day).sum()),
        "month_only": int(overlapping.sum()),
    }


def days_to_next_attack(incidents: pd.DataFrame, date, *, kinds=INDIRECT_FIRE, include_same_day: bool = True):
    """Whole days from ``date`` to the next attack dated to the day (0 = the same day); None if none follows."""
    day = _day(date)
    rows = attacks(incidents, start=day, kinds=kinds)
    rows = rows[_dated_to_day(rows)]
    if not include_same_day:
        rows = rows[rows["date"] > day]
    if rows.empty:
        return None
    return int((rows["date"].iloc[0] - day).days)


def strike_response_table(incidents: pd.DataFrame, events: pd.DataFrame, *, days: int = 30,
                          categories=("us-strike",), start=None, end=None, kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """For each US strike: attacks in the ``days`` before and after, and the days to the next attack.

    Columns: id, date, title, before, same_day, after, change (after - before),
    next_attack_days. Strikes dated only to a month are left out.
    """
    strikes = events_between(events, categories=categories, start=start, end=end)
    strikes = strikes[_dated_to_day(strikes)]
    rows = []
    for strike in strikes.itertuples():
        counts = window_counts(incidents, strike.date, days=days, kinds=kinds)
        rows.append({"id": strike.id, "date": strike.date, "title": strike.title,
                     "before": counts["before"], "same_day": counts["same_day"], "after": counts["after"],
                     "change": counts["after"] - counts["before"],
                     "next_attack_days": days_to_next_attack(incidents, strike.date, kinds=kinds)})
    table = pd.DataFrame(rows, columns=["id", "date", "title", "before", "same_day", "after", "change",
                                        "next_attack_days"])
    table["next_attack_days"] = table["next_attack_days"].astype("Int64")
    table.attrs["days"] = days
    return table


# --- 2019 against 2020 -------------------------------------------------------

def monthly_attacks(incidents: pd.DataFrame, *, years=(2019, 2020), kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Attacks per calendar month for each year, zeros included.

    Columns: year (string, for colour), month (1-12), month_name, attacks,
    cumulative (running total within the year), coverage ("complete" inside the
    span the data cover in full, else "sample": a count found, not a total).
    Month-only dates count in their month.
    """
    require(incidents, ["id", "date", "kind"], "incidents")
    rows = attacks(incidents, kinds=kinds)
    out = []
    for year in years:
        mine = rows[rows["date"].dt.year == year]
        counts = mine["date"].dt.month.value_counts()
        running = 0
        for month in range(1, 13):
            n = int(counts.get(month, 0))
            running += n
            first_day = pd.Timestamp(year, month, 1)
            complete = pd.Timestamp(COMPLETE_FROM) <= first_day <= pd.Timestamp(COMPLETE_UNTIL)
            out.append({"year": str(year), "month": month, "month_name": MONTHS[month - 1],
                        "attacks": n, "cumulative": running, "coverage": "complete" if complete else "sample"})
    return pd.DataFrame(out)


def period_totals(incidents: pd.DataFrame, periods: dict, *, kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Attacks and reported deaths in named periods, e.g. ``{"2019": ("2019-01-01", "2019-12-31")}``.

    Columns: period, start, end, days, attacks, per_30_days, killed (sum of all
    killed_* columns that are present; blanks count as not reported), attacks_with_deaths.
    """
    require(incidents, ["id", "date", "kind"], "incidents")
    killed_cols = [c for c in incidents.columns if c.startswith("killed_")]
    out = []
    for name, (start, end) in periods.items():
        s, e = _day(start), _day(end)
        if e < s:
            raise ValueError(f"period {name!r} ends before it starts")
        rows = attacks(incidents, start=s, end=e, kinds=kinds)
        deaths = rows[killed_cols].astype("Float64").sum(axis=1, skipna=True) if killed_cols else pd.Series(0.0)
        days = int((e - s).days) + 1
        out.append({"period": name, "start": s, "end": e, "days": days, "attacks": len(rows),
                    "per_30_days": round(len(rows) * 30 / days, 2), "killed": int(deaths.sum()),
                    "attacks_with_deaths": int((deaths > 0).sum())})
    return pd.DataFrame(out)


# --- Competing figures ---------------------------------------------------------

def estimates_for(estimates: pd.DataFrame, subject: str, *, quantities=None) -> pd.DataFrame:
    """Every source's figure for one incident or event, optionally for some quantities only.

    Columns: subject, quantity, value, qualifier, given_by, sources, weakly_sourced. ValueError
    when the subject has no figures at all, so a typo in an id is not silently
    an empty chart.
    """
    require(estimates, ["subject", "quantity", "value", "qualifier", "given_by"], "estimates")
    rows = estimates[estimates["subject"].astype("string") == str(subject)]
    if rows.empty:
        raise ValueError(f"no estimates for subject {subject!r}")
    if quantities is not None:
        rows = rows[rows["quantity"].astype("string").isin(quantities)]
        if rows.empty:
            raise ValueError(f"no estimates of {', '.join(quantities)} for subject {subject!r}")
    keep = [c for c in ("subject", "quantity", "value", "qualifier", "given_by", "sources", "weakly_sourced", "notes",
                        "cited") if c in rows]
    out = rows[keep].copy()
    for column in ("quantity", "qualifier", "given_by"):
        out[column] = out[column].astype("string")
    out["value"] = out["value"].astype(int)
    return out.sort_values(["quantity", "value", "given_by"]).reset_index(drop=True)


def estimate_range(estimates: pd.DataFrame, subject: str, quantity: str) -> tuple[int, int]:
    """The lowest and highest figure the sources give for one quantity of one incident or event."""
    values = estimates_for(estimates, subject, quantities=(quantity,))["value"]
    return int(values.min()), int(values.max())


def weak_figures_note(estimates: pd.DataFrame, subject: str, quantity: str) -> str:
    """A clause for prose after a range: which of its figures rest on weakly sourced rows, and the
    range of the others. Empty when no figure is flagged, so a page can always append it."""
    rows = estimates_for(estimates, subject, quantities=(quantity,))
    if "weakly_sourced" not in rows:
        return ""
    weak = rows[rows["weakly_sourced"].notna()]
    if weak.empty:
        return ""
    strong = rows[rows["weakly_sourced"].isna()]["value"]
    values = " and ".join(str(v) for v in sorted(set(weak["value"])))
    text = f"; {values} {'rest' if weak['value'].nunique() > 1 else 'rests'} on weakly sourced reports"
    if not strong.empty:
        low, high = int(strong.min()), int(strong.max())
        text += f", and the better-sourced figures give {low}" + ("" if low == high else f" to {high}")
    return text


# --- Drawdown ------------------------------------------------------------------

def step_series(events: pd.DataFrame, *, categories=("drawdown",), start=None, end=None,
                id_contains: str | None = None) -> pd.DataFrame:
    """Events of some categories in date order with a running count (for step charts).

    ``id_contains`` keeps only events whose id contains that text (e.g. "handover").
    Columns: id, date, date_precision, title, step.
    """
    rows = events_between(events, categories=categories, start=start, end=end)
    if id_contains is not None:
        rows = rows[rows["id"].astype("string").str.contains(id_contains, regex=False)]
    keep = [c for c in ("id", "date", "date_precision", "title", "description") if c in rows.columns]
    out = rows[keep].copy()
    out["step"] = range(1, len(out) + 1)
    return out


def site_share(incidents: pd.DataFrame, sites, *, freq: str = "quarter", start=None, end=None,
               kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Per quarter (or half-year): attacks in all, attacks on ``sites``, and their share.

    Columns: period (first day), label (e.g. "2020 Q1"), attacks, on_sites, share
    (None when there were no attacks).
    """
    codes = {"quarter": "Q", "half": "2Q"}
    if freq not in codes:
        raise ValueError(f"freq must be 'quarter' or 'half', got {freq!r}")
    require(incidents, ["id", "date", "kind", "site"], "incidents")
    rows = attacks(incidents, start=start, end=end, kinds=kinds)
    if rows.empty:
        raise ValueError("no attacks in the requested span")
    first = _day(start) if start is not None else rows["date"].min()
    last = _day(end) if end is not None else rows["date"].max()
    periods = pd.period_range(first, last, freq="Q")
    if freq == "half":
        periods = periods[[p.quarter in (1, 3) for p in periods]]
    out = []
    for p in periods:
        p_end = (p + (1 if freq == "half" else 0)).end_time
        mine = rows[(rows["date"] >= p.start_time) & (rows["date"] <= p_end)]
        on = int(mine["site"].astype("string").isin(sites).sum())
        label = f"{p.year} Q{p.quarter}" if freq == "quarter" else f"{p.year} H{1 if p.quarter == 1 else 2}"
        out.append({"period": p.start_time, "label": label, "attacks": len(mine), "on_sites": on,
                    "share": round(on / len(mine), 3) if len(mine) else None})
    return pd.DataFrame(out)


# --- Charts --------------------------------------------------------------------

def attack_timeline_chart(incidents: pd.DataFrame, events: pd.DataFrame, *, start, end,
                          categories=("us-warning", "us-strike"), kinds=INDIRECT_FIRE,
                          source: str = SOURCE + " (incidents, events)") -> alt.VConcatChart:
    """Each attack as a point (height = projectiles reported), with US warnings and strikes as numbered lines.

    Attacks whose size was not reported are not drawn at zero: they sit in a strip of
    their own under the plot, on the same dates. A key under the chart lists the
    numbered events.
    """
    require(incidents, ["id", "date", "site", "kind", "projectiles_low", "projectiles_high"], "incidents")
    rows = attacks(incidents, start=start, end=end, kinds=kinds)
    if rows.empty:
        raise ValueError("no attacks in the requested span")
    size = rows["projectiles_high"].fillna(rows["projectiles_low"])
    points = pd.DataFrame({
        "date": rows["date"], "site": rows["site"].astype("string").fillna("unidentified"),
        "projectiles": size.astype("Float64").fillna(0).astype(float),
        "reported": size.notna().map({True: "size reported", False: "size not reported"}),
        "range": [(f"{int(lo)}" if pd.notna(lo) else "not reported") + ("" if pd.isna(hi) or lo == hi else f"-{int(hi)}")
                  for lo, hi in zip(rows["projectiles_low"], rows["projectiles_high"])],
        "when": [f"{d:%b %Y} (day not known)" if not exact else f"{d.day} {d:%b %Y}"
                 for d, exact in zip(rows["date"], _dated_to_day(rows))],
    })
    if "cited" in rows:
        points["cited"] = rows["cited"].values
    marks = events_between(events, categories=categories, start=start, end=end)
    marks = marks[_dated_to_day(marks)].reset_index(drop=True)
    names = {c: c.replace("us-", "US ").replace("-", " ") for c in categories}
    lines = pd.DataFrame({"date": marks["date"], "title": marks["title"].astype("string"),
                          "action": marks["category"].astype("string").map(names)})
    # Numbered markers (staggered in three rows) and a key below the chart keep
    # close dates readable.
    lines["n"] = [str(i + 1) for i in range(len(lines))]
    lines["row"] = [10 + 14 * (i % 3) for i in range(len(lines))]
    lines["key"] = [f"{n}. {d.day} {d:%b %Y}: {t}" for n, d, t in zip(lines["n"], lines["date"], lines["title"])]
    x_title = "Date"
    x = alt.X("date:T", title=x_title, axis=alt.Axis(format="%b %Y", labelAngle=-45),
              scale=alt.Scale(domain=[_day(start).isoformat(), _day(end).isoformat()]))
    y_title = "Projectiles per attack (highest reported figure)"
    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("site:N", title="Site"),
               alt.Tooltip("range:N", title="Projectiles reported")] + charts.cited_tooltip(points)
    sized = points[points["reported"] == "size reported"]
    unsized = points[points["reported"] == "size not reported"].assign(band="Size not reported")
    dots = alt.Chart(sized).mark_point(size=70, filled=False, strokeWidth=2, color=charts.PALETTE[0]).encode(
        x=x, y=alt.Y("projectiles:Q", title=y_title), tooltip=tooltip)
    actions = list(dict.fromkeys(lines["action"])) or list(names.values())
    strokes = alt.Chart(lines).mark_rule(strokeDash=[5, 3], strokeWidth=1.5).encode(
        x=alt.X("date:T", title=x_title),
        color=alt.Color("action:N", title="US action", scale=alt.Scale(domain=actions,
                                                                      range=[charts.PALETTE[5], charts.PALETTE[6]]),
                        legend=_legend(symbolType="stroke", symbolStrokeWidth=2)),
        tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("title:N", title="Event")])
    numbers = alt.Chart(lines).mark_text(fontSize=12, fontWeight="bold", dx=6, color="#222222").encode(
        x=alt.X("date:T", title=x_title), y=alt.Y("row:Q", scale=None, axis=None), text="n:N",
        tooltip=[alt.Tooltip("title:N", title="Event")])
    plot = alt.layer(strokes, dots, numbers).properties(width=PLOT_WIDTH, height=charts.HEIGHT)
    strip = alt.Chart(unsized).mark_point(shape="triangle-up", size=70, filled=False, strokeWidth=2,
                                          color=charts.PALETTE[1]).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-45, title=None),
                scale=alt.Scale(domain=[_day(start).isoformat(), _day(end).isoformat()])),
        y=alt.Y("band:N", title=None, axis=None), tooltip=tooltip,
    ).properties(width=PLOT_WIDTH, height=24,
                 title=alt.Title("Attacks whose size was not reported", fontSize=12, fontWeight="normal",
                                 anchor="start"))
    key = alt.Chart(lines.assign(i=range(len(lines)))).mark_text(align="left", fontSize=12, color="#222222").encode(
        x=alt.value(0), y=alt.Y("i:O", axis=None), text="key:N").properties(width=PLOT_WIDTH, height=17 * max(len(lines), 1))
    chart = alt.vconcat(plot, strip, key, spacing=6) if len(unsized) else alt.vconcat(plot, key, spacing=6)
    unknown = len(unsized)
    description = (
        f"Timeline from {_fmt(start)} to {_fmt(end)} with one point per attack ({len(points)} attacks); the "
        f"height of each point is the highest number of rockets or mortar rounds reported, and {unknown} attacks "
        "of unreported size are shown as triangles in a strip below the plot, not at zero. The largest reported attack is "
        f"{int(points['projectiles'].max())} projectiles on {_fmt(points.loc[points['projectiles'].idxmax(), 'date'])}. "
        "Numbered dashed lines mark US actions: " + "; ".join(lines["key"]) + "."
    )
    return charts.finish(chart, title="Attacks on US and coalition sites, and the US warnings and strikes",
                         subtitle=["Points: attacks, by the most projectiles reported; dashed lines: US actions",
                                   "Triangles below: attacks whose size was not reported"],
                         source=source, description=description)


def estimates_chart(table: pd.DataFrame, *, title: str, what: str,
                    source: str = SOURCE + " (estimates)") -> alt.Chart:
    """Dot plot of competing figures: one row per source, one colour per quantity.

    ``table`` comes from :func:`estimates_for`; ``what`` names the subject in the description.
    """
    require(table, ["quantity", "value", "qualifier", "given_by"], "estimates table")
    if table.empty:
        raise ValueError("no figures to chart")
    quantities = list(dict.fromkeys(table["quantity"]))
    chart = alt.Chart(table).mark_point(size=110, filled=True, opacity=0.9).encode(
        x=alt.X("value:Q", title="Reported figure (people)", scale=alt.Scale(zero=True)),
        y=alt.Y("given_by:N", title="Figure given by", sort=alt.SortField("given_by"),
                axis=alt.Axis(labelLimit=300)),
        color=alt.Color("quantity:N", title="Figure", legend=_legend(), scale=alt.Scale(domain=quantities,
                                                                     range=charts.PALETTE[:len(quantities)])),
        shape=alt.Shape("quantity:N", title="Figure", legend=_legend(), scale=alt.Scale(domain=quantities)),
        tooltip=[alt.Tooltip("given_by:N", title="Given by"), alt.Tooltip("quantity:N", title="Figure"),
                 alt.Tooltip("qualifier:N", title="Qualifier"), alt.Tooltip("value:Q", title="Value")]
        + charts.cited_tooltip(table),
    ).properties(width=LABELLED_PLOT_WIDTH, height=max(120, 34 * table["given_by"].nunique()))
    parts = []
    for quantity in quantities:
        mine = table[table["quantity"] == quantity]
        listed = ", ".join(f"{g} {q} {v}" for g, q, v in zip(mine["given_by"], mine["qualifier"], mine["value"]))
        parts.append(f"{quantity}: from {mine['value'].min()} to {mine['value'].max()} ({listed})")
    description = f"Dot plot of the figures different sources gave for {what}. " + "; ".join(parts) + "."
    return charts.finish(chart, title=title, source=source, description=description,
                         subtitle="One row per source; hover over or tap a mark for the exact wording (at least, about, ...)")


def year_comparison_chart(monthly: pd.DataFrame, *, source: str = SOURCE + " (incidents)") -> alt.Chart:
    """Attacks per month, one line per year, telling months the data cover in full from samples.

    Filled points are months inside the complete span; hollow points are sampled months, whose
    count is what was found (at least that many). A sampled month with none found is not drawn,
    because zero there would read as "no attacks"; lines break across it.
    """
    require(monthly, ["year", "month", "month_name", "attacks", "coverage"], "monthly")
    years = list(dict.fromkeys(monthly["year"]))
    data = monthly.assign(
        shown=[a if c == "complete" or a > 0 else None for a, c in zip(monthly["attacks"], monthly["coverage"])],
        coverage_label=monthly["coverage"].map({"complete": "covered in full", "sample": "sample (at least)"}))
    base = alt.Chart(data).encode(
        x=alt.X("month_name:N", title="Month", sort=MONTHS, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("shown:Q", title="Attacks found in the month (count)", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("year:N", title="Year", legend=_legend(),
                        scale=alt.Scale(domain=years, range=charts.PALETTE[:len(years)])))
    lines = base.mark_line(strokeWidth=2.5, invalid=None).encode(
        strokeDash=alt.StrokeDash("year:N", title="Year", legend=_legend(), scale=alt.Scale(domain=years)))
    points = base.mark_point(size=70, strokeWidth=2).encode(
        fill=alt.Fill("year:N", legend=None, scale=alt.Scale(domain=years, range=charts.PALETTE[:len(years)])),
        fillOpacity=alt.condition("datum.coverage == 'complete'", alt.value(1), alt.value(0)),
        shape=alt.Shape("coverage_label:N", title="Month", legend=_legend(),
                        scale=alt.Scale(domain=["covered in full", "sample (at least)"], range=["circle", "circle"])),
        tooltip=[alt.Tooltip("year:N", title="Year"), alt.Tooltip("month_name:N", title="Month"),
                 alt.Tooltip("attacks:Q", title="Attacks found"), alt.Tooltip("coverage_label:N", title="Coverage")])
    chart = alt.layer(lines, points).properties(width=PLOT_WIDTH, height=charts.HEIGHT)
    complete = data[data["coverage"] == "complete"]
    sampled = data[(data["coverage"] == "sample") & (data["attacks"] > 0)]
    left_out = data[(data["coverage"] == "sample") & (data["attacks"] == 0)]
    description = (
        "Attacks found per month, one line per year. Months the data cover in full: "
        + "; ".join(f"{r.month_name} {r.year}: {int(r.attacks)}" for r in complete.itertuples())
        + ". Sampled months, where the count is only what was found: "
        + ("; ".join(f"{r.month_name} {r.year}: at least {int(r.attacks)}" for r in sampled.itertuples()) or "none")
        + f". {len(left_out)} sampled months with none found are not drawn."
    )
    return charts.finish(chart, title="Attacks per month, 2019 and 2020", source=source, description=description,
                         subtitle=["Filled points: months the data cover in full; hollow: samples (at least this many)",
                                   "Sampled months with none found are left out, not drawn as zero"])


def strike_response_chart(table: pd.DataFrame, *, source: str = SOURCE + " (incidents, events)") -> alt.LayerChart:
    """Dumbbell chart: attacks in the window before and after each US strike."""
    require(table, ["date", "title", "before", "after", "same_day"], "strike table")
    if table.empty:
        raise ValueError("no strikes to chart")
    days = table.attrs.get("days", 30)
    labelled = table.assign(strike=[f"{d.day} {d:%b %Y}: {t}" for d, t in zip(table["date"], table["title"])])
    order = list(labelled.sort_values("date")["strike"])
    long = labelled.melt(id_vars=["strike", "date", "same_day"], value_vars=["before", "after"],
                         var_name="window", value_name="attacks")
    long["window"] = long["window"].map({"before": f"{days} days before", "after": f"{days} days after"})
    windows = [f"{days} days before", f"{days} days after"]
    # The axis title sits above the labels, which are long.
    y = alt.Y("strike:N", title="US strike", sort=order,
              axis=alt.Axis(labelLimit=320, titleAngle=0, titleAlign="right", titleAnchor="start", titleY=-10,
                            titleX=0))
    x = alt.X("attacks:Q", title=f"Attacks in the {days} days (count)", axis=alt.Axis(format="d", tickMinStep=1))
    bars = alt.Chart(labelled).mark_rule(color="#999999", strokeWidth=2).encode(
        y=y, x=alt.X("before:Q", title=f"Attacks in the {days} days (count)"), x2="after:Q")
    dots = alt.Chart(long).mark_point(size=130, filled=True, opacity=1).encode(
        y=y, x=x,
        color=alt.Color("window:N", title="Window", legend=_legend(orient="bottom"), scale=alt.Scale(domain=windows,
                                                                   range=[charts.PALETTE[0], charts.PALETTE[5]])),
        shape=alt.Shape("window:N", title="Window", legend=_legend(orient="bottom"),
                        scale=alt.Scale(domain=windows, range=["circle", "square"])),
        tooltip=[alt.Tooltip("strike:N", title="Strike"), alt.Tooltip("window:N", title="Window"),
                 alt.Tooltip("attacks:Q", title="Attacks"), alt.Tooltip("same_day:Q", title="Attacks the same day")])
    chart = alt.layer(bars, dots).properties(width=LABELLED_PLOT_WIDTH - 40, height=max(120, 40 * len(labelled)))
    description = (
        f"For each US strike, the number of attacks in the {days} days before (circle) and after (square). "
        + "; ".join(f"{r.strike}: {r.before} before, {r.after} after, {r.same_day} the same day"
                    for r in labelled.sort_values("date").itertuples()) + "."
    )
    return charts.finish(chart, title="Attacks before and after each US strike", source=source,
                         description=description,
                         subtitle="Attacks on the day of the strike are counted in neither window")


def step_chart(steps: pd.DataFrame, *, title: str, y_title: str, source: str,
               start=None, end=None) -> alt.LayerChart:
    """A running count of events (e.g. bases handed over) as a step line with labelled points."""
    require(steps, ["date", "title", "step"], "steps")
    if steps.empty:
        raise ValueError("no events to chart")
    domain = None
    if start is not None and end is not None:
        domain = [_day(start).isoformat(), _day(end).isoformat()]
    x = alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y", labelAngle=-45),
              scale=alt.Scale(domain=domain) if domain else alt.Undefined)
    y = alt.Y("step:Q", title=y_title, axis=alt.Axis(tickMinStep=1), scale=alt.Scale(domainMin=0))
    base = alt.Chart(steps)
    line = base.mark_line(interpolate="step-after", color=charts.PALETTE[2], strokeWidth=2.5).encode(x=x, y=y)
    tooltip = [alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("title:N", title="Event")]
    if "date_precision" in steps.columns:
        tooltip.append(alt.Tooltip("date_precision:N", title="Date known to the"))
    dots = base.mark_point(filled=True, size=80, color=charts.PALETTE[2]).encode(x=x, y=y, tooltip=tooltip)
    chart = alt.layer(line, dots).properties(width=PLOT_WIDTH, height=260)
    description = (f"Step line counting {len(steps)} events from {_fmt(steps['date'].min())} to "
                   f"{_fmt(steps['date'].max())}: " + "; ".join(
                       f"{_fmt(d)}: {t}" for d, t in zip(steps["date"], steps["title"])) + ".")
    return charts.finish(chart, title=title, source=source, description=description)


def published_counts_chart(tallies: pd.DataFrame, marks: pd.DataFrame, *, title: str,
                           source: str = SOURCE + " (tallies, events)") -> alt.LayerChart:
    """Running counts of attacks as published (a point per count, hollow where the count is only a
    floor), with numbered dashed lines for key events (``marks``: date, title)."""
    require(tallies, ["as_of", "count", "qualifier", "given_by"], "tallies")
    require(marks, ["date", "title"], "marks")
    if tallies.empty:
        raise ValueError("no published counts to chart")
    points = tallies.assign(
        count=tallies["count"].astype(int), qualifier=tallies["qualifier"].astype(str),
        given_by=tallies["given_by"].astype(str),
        when=[f"{d.day} {d:%b %Y}" for d in tallies["as_of"]],
        wording=[f"{q} {c}" for q, c in zip(tallies["qualifier"].astype(str), tallies["count"])])
    lines = marks.assign(n=[str(i + 1) for i in range(len(marks))])
    x = alt.X("as_of:T", title="Date the count was given", axis=alt.Axis(format="%b %Y", labelAngle=-45))
    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("wording:N", title="Count as given"),
               alt.Tooltip("given_by:N", title="Given by")] + charts.cited_tooltip(points)
    y = alt.Y("count:Q", title="Attacks on US forces counted so far (count)")
    line = alt.Chart(points).mark_line(color=charts.PALETTE[0], strokeWidth=2).encode(x=x, y=y)
    dots = alt.Chart(points).mark_point(size=80, strokeWidth=2, color=charts.PALETTE[0]).encode(
        x=x, y=y, tooltip=tooltip,
        fill=alt.condition("datum.qualifier == 'exactly'", alt.value(charts.PALETTE[0]), alt.value("white")))
    rules = alt.Chart(lines).mark_rule(strokeDash=[5, 3], color=charts.PALETTE[5]).encode(
        x=alt.X("date:T", title="Date the count was given"),
        tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("title:N", title="Event")])
    numbers = alt.Chart(lines).mark_text(dx=6, dy=-120, fontWeight="bold", color="#222222").encode(
        x=alt.X("date:T", title="Date the count was given"), text="n:N")
    chart = alt.layer(line, dots, rules, numbers).properties(width=PLOT_WIDTH, height=charts.HEIGHT)
    description = (
        "Published running counts of attacks on US forces in Iraq and Syria: "
        + "; ".join(f"{w}: {q} {c} ({g})" for w, q, c, g in zip(points["when"], points["qualifier"],
                                                                points["count"], points["given_by"]))
        + ". Dashed lines: " + "; ".join(f"{n}. {d.day} {d:%b %Y}: {t}" for n, d, t in
                                          zip(lines["n"], lines["date"], lines["title"])) + ".")
    return charts.finish(chart, title=title, source=source, description=description,
                         subtitle=["Each point is a count as published (hollow: 'at least', 'more than', 'about')",
                                   "Numbered dashed lines: " + "; ".join(f"{n}. {t}" for n, t in
                                                                        zip(lines["n"], lines["title"]))])


def site_share_chart(shares: pd.DataFrame, *, sites_label: str,
                     source: str = SOURCE + " (incidents)") -> alt.LayerChart:
    """Attacks per period as bars, split into those on the named sites and the rest."""
    require(shares, ["period", "label", "attacks", "on_sites", "share"], "shares")
    long = pd.concat([
        shares.assign(where=sites_label, n=shares["on_sites"]),
        shares.assign(where="elsewhere", n=shares["attacks"] - shares["on_sites"]),
    ])[["label", "period", "where", "n", "attacks", "share"]]
    order = [sites_label, "elsewhere"]
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("label:N", title="Quarter", sort=list(shares["label"]), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("n:Q", title="Attacks in the quarter (count)", stack="zero"),
        color=alt.Color("where:N", title="Target", legend=_legend(), scale=alt.Scale(domain=order,
                                                                  range=[charts.PALETTE[5], charts.PALETTE[4]])),
        order=alt.Order("where:N", sort="descending"),
        tooltip=[alt.Tooltip("label:N", title="Quarter"), alt.Tooltip("where:N", title="Target"),
                 alt.Tooltip("n:Q", title="Attacks"), alt.Tooltip("attacks:Q", title="All attacks in quarter"),
                 alt.Tooltip("share:Q", title=f"Share on {sites_label}", format=".0%")],
    ).properties(width=PLOT_WIDTH, height=charts.HEIGHT)
    description = (f"Stacked bars of attacks per quarter, split into attacks on {sites_label} and elsewhere. "
                   + "; ".join(f"{r.label}: {r.attacks} attacks, {r.on_sites} on {sites_label}"
                               for r in shares.itertuples()) + ".")
    return charts.finish(chart, title="Where the attacks landed, by quarter",
                         subtitle=f"Attacks on {sites_label}, and elsewhere",
                         source=source, description=description)


def event_lanes(events: pd.DataFrame, lanes: dict, *, start=None, end=None) -> pd.DataFrame:
    """Events sorted into named lanes for a swimlane chart.

    ``lanes`` maps a lane label to a list of event categories or event ids; an
    event goes in the first lane that names its id or its category. Events in no
    lane are left out. Columns: id, date, date_precision, lane, title, description, and cited when
    ``events`` carries short citations (``sources.with_citations``).
    """
    require(events, ["id", "date", "title", "category"], "events")
    known = set(events["id"].astype("string")) | set(events["category"].astype("string"))
    for label, members in lanes.items():
        missing = [m for m in members if m not in known]
        if missing:
            raise ValueError(f"lane {label!r} names unknown event ids or categories: {', '.join(missing)}")
    rows = events_between(events, start=start, end=end)
    out = []
    for row in rows.itertuples():
        lane = next((label for label, members in lanes.items()
                     if row.id in members or str(row.category) in members), None)
        if lane is not None:
            out.append({"id": row.id, "date": row.date,
                        "date_precision": getattr(row, "date_precision", "day"), "lane": lane,
                        "title": row.title, "description": getattr(row, "description", row.title),
                        "cited": getattr(row, "cited", pd.NA)})
    columns = ["id", "date", "date_precision", "lane", "title", "description"]
    return pd.DataFrame(out, columns=columns + ["cited"])[columns + (["cited"] if "cited" in events else [])]


def lanes_chart(items: pd.DataFrame, *, title: str, lanes: list[str], start, end,
                source: str = SOURCE + " (events)", subtitle: str | None = None) -> alt.VConcatChart:
    """Swimlane timeline: one row per lane, one numbered point per event, and a key below."""
    require(items, ["date", "lane", "title", "description"], "lane items")
    if items.empty:
        raise ValueError("no events to chart")
    unknown = set(items["lane"]) - set(lanes)
    if unknown:
        raise ValueError(f"items use lanes not listed in lanes: {', '.join(sorted(unknown))}")
    shapes = ["circle", "square", "diamond", "triangle-up", "cross", "triangle-down", "circle"]
    order = {label: i for i, label in enumerate(lanes)}
    placed = (items.assign(lane_order=items["lane"].map(order))
              .sort_values(["date", "lane_order"], kind="stable").reset_index(drop=True))
    placed["n"] = [str(i + 1) for i in range(len(placed))]
    # Events on the same day in the same lane are spread vertically within the lane.
    placed["slot"] = placed.groupby(["date", "lane"]).cumcount()
    placed["when"] = [f"{d:%b %Y}" if str(p) == "month" else f"{d.day} {d:%b %Y}"
                      for d, p in zip(placed["date"], placed["date_precision"])]
    placed["key"] = [f"{n}. {w}: {t}" for n, w, t in zip(placed["n"], placed["when"], placed["title"])]
    x = alt.X("date:T", title="Date", axis=alt.Axis(format="%d %b %Y", labelAngle=-45),
              scale=alt.Scale(domain=[_day(start).isoformat(), _day(end).isoformat()]))
    y = alt.Y("lane:N", title="Who acted", sort=lanes, axis=alt.Axis(labelLimit=260))
    offset = alt.YOffset("slot:O", scale=alt.Scale(paddingOuter=0.6))
    base = alt.Chart(placed)
    dots = base.mark_point(size=110, filled=True, opacity=0.9).encode(
        x=x, y=y, yOffset=offset,
        color=alt.Color("lane:N", title="Who acted", sort=lanes, legend=None,
                        scale=alt.Scale(domain=lanes, range=charts.PALETTE[:len(lanes)])),
        shape=alt.Shape("lane:N", sort=lanes, legend=None, scale=alt.Scale(domain=lanes, range=shapes[:len(lanes)])),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("description:N", title="What happened")] + charts.cited_tooltip(placed),
    )
    numbers = base.mark_text(align="left", dx=7, fontSize=12, color="#222222").encode(
        x=x, y=y, yOffset=offset, text="n:N")
    plot = alt.layer(dots, numbers).properties(width=PLOT_WIDTH - 160, height=48 * len(lanes))
    key = base.mark_text(align="left", fontSize=12, color="#222222").encode(
        x=alt.value(0), y=alt.Y("n:O", axis=None, sort=None), text="key:N").properties(
        width=PLOT_WIDTH - 160, height=17 * len(placed))
    chart = alt.vconcat(plot, key, spacing=6)
    listed = "; ".join(f"{r.when}, {r.lane}: {r.title}" for r in placed.itertuples())
    description = (f"Timeline with one row per actor from {_fmt(start)} to {_fmt(end)}, "
                   f"{len(placed)} events in all, numbered in date order: {listed}.")
    return charts.finish(chart, title=title, source=source, description=description, subtitle=subtitle)


# --- Who was hurt --------------------------------------------------------------

GROUPS = {"us": "US service members", "coalition": "Other coalition troops",
          "contractor": "Contractors", "iraqi": "Iraqi forces and civilians"}


def casualties_by_year(incidents: pd.DataFrame, *, years=(2019, 2020), kinds=INDIRECT_FIRE) -> pd.DataFrame:
    """Killed and wounded per group and year, summed over attacks of ``kinds``.

    Columns: year (string), group, outcome (killed|wounded), people, attacks_reporting
    (attacks with a figure for that group and outcome; blanks are not zeros).
    """
    columns = [f"{o}_{g}" for o in ("killed", "wounded") for g in GROUPS]
    require(incidents, ["id", "date", "kind"] + columns, "incidents")
    rows = attacks(incidents, kinds=kinds)
    out = []
    for year in years:
        mine = rows[rows["date"].dt.year == year]
        for outcome in ("killed", "wounded"):
            for key, label in GROUPS.items():
                values = mine[f"{outcome}_{key}"]
                out.append({"year": str(year), "group": label, "outcome": outcome,
                            "people": int(values.sum(skipna=True)), "attacks_reporting": int(values.notna().sum())})
    return pd.DataFrame(out)


def casualties_chart(table: pd.DataFrame, *, source: str = SOURCE + " (incidents)") -> alt.Chart:
    """Grouped bars of people killed and wounded, by group, one panel per outcome, one colour per year."""
    require(table, ["year", "group", "outcome", "people", "attacks_reporting"], "casualty table")
    years = list(dict.fromkeys(table["year"]))
    groups = list(GROUPS.values())
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("people:Q", title="People (count of reported figures)", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("group:N", title="Group", sort=groups, axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("year:N", sort=years),
        color=alt.Color("year:N", title="Year", legend=_legend(),
                        scale=alt.Scale(domain=years, range=charts.PALETTE[:len(years)])),
        tooltip=[alt.Tooltip("year:N", title="Year"), alt.Tooltip("group:N", title="Group"),
                 alt.Tooltip("outcome:N", title="Outcome"), alt.Tooltip("people:Q", title="People"),
                 alt.Tooltip("attacks_reporting:Q", title="Attacks with a figure")],
    ).properties(width=220, height=200).facet(
        column=alt.Column("outcome:N", title=None, sort=["killed", "wounded"],
                          header=alt.Header(labelFontSize=13, labelFontWeight="bold"))
    ).resolve_scale(x="independent")  # deaths are far fewer than injuries
    parts = []
    for (year, outcome), mine in table.groupby(["year", "outcome"], sort=False):
        parts.append(f"{year}, {outcome}: " + ", ".join(f"{g} {p}" for g, p in zip(mine["group"], mine["people"])))
    description = ("Bar charts of the people reported killed (left) and wounded (right) in rocket and mortar "
                   "attacks, by group and year. " + "; ".join(parts) + ". Blank figures are not counted as zero.")
    return charts.finish(chart, title="Who was hurt by the rocket and mortar attacks", source=source,
                         description=description, subtitle="Sums of the figures reported; blanks are left out")


# --- The drawdown and the attacks --------------------------------------------------

def attacks_by_kind_per_month(incidents: pd.DataFrame, *, start, end,
                              kinds=("indirect fire", "convoy attack")) -> pd.DataFrame:
    """Attacks per calendar month and kind, zeros included. Columns: month, kind, attacks."""
    require(incidents, ["id", "date", "kind"], "incidents")
    months = pd.period_range(_day(start), _day(end), freq="M")
    out = []
    for kind in kinds:
        rows = attacks(incidents, start=start, end=end, kinds=(kind,))
        counts = rows["date"].dt.to_period("M").value_counts()
        out += [{"month": m.start_time, "kind": kind, "attacks": int(counts.get(m, 0))} for m in months]
    return pd.DataFrame(out)


DRAWDOWN_MARKERS = {
    "Base handover or troop cut": ["drawdown"],
    "Strategic dialogue": ["strategic-dialogue"],
    "Militia truce declared or ended": ["2020-10-10-militia-truce", "2020-11-19-khazali-ends-truce"],
}


def drawdown_chart(incidents: pd.DataFrame, events: pd.DataFrame, *, start, end, markers=None,
                   source: str = SOURCE + " (incidents, events)") -> alt.VConcatChart:
    """Monthly attacks stacked by kind, with numbered events (by default :data:`DRAWDOWN_MARKERS`) and a key.

    ``markers`` maps a legend label to event categories or ids, as in :func:`event_lanes`.
    """
    counts = attacks_by_kind_per_month(incidents, start=start, end=end)
    kinds = list(dict.fromkeys(counts["kind"]))
    markers = markers or DRAWDOWN_MARKERS
    marks = event_lanes(events, markers, start=start, end=end).rename(columns={"lane": "category"})
    marks["n"] = [str(i + 1) for i in range(len(marks))]
    marks["row"] = [10 + 14 * (i % 3) for i in range(len(marks))]
    marks["when"] = [f"{d:%b %Y}" if p == "month" else f"{d.day} {d:%b %Y}"
                     for d, p in zip(marks["date"], marks["date_precision"].astype("string"))]
    marks["key"] = [f"{n}. {w}: {t}" for n, w, t in zip(marks["n"], marks["when"], marks["title"])]
    domain = [_day(start).isoformat(), (_day(end) + pd.Timedelta(days=1)).isoformat()]
    x_title = "Month"
    bars = alt.Chart(counts).mark_bar(opacity=0.85).encode(
        x=alt.X("yearmonth(month):T", title=x_title, scale=alt.Scale(domain=domain),
                axis=alt.Axis(format="%b %Y", labelAngle=-45)),
        y=alt.Y("attacks:Q", title="Attacks in the month (count)", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("kind:N", title="Kind of attack", legend=_legend(), scale=alt.Scale(domain=kinds,
                                                                         range=[charts.PALETTE[0], charts.PALETTE[1]])),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("attacks:Q", title="Attacks")])
    cats = [c for c in markers if c in set(marks["category"])]
    rules = alt.Chart(marks).mark_rule(strokeDash=[4, 3], strokeWidth=1.5).encode(
        x=alt.X("date:T", title=x_title),
        stroke=alt.Stroke("category:N", title="Event", scale=alt.Scale(
            domain=cats, range=[charts.PALETTE[2], charts.PALETTE[3], charts.PALETTE[6]][:len(cats)]),
            legend=_legend(symbolType="stroke", columns=1)),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("title:N", title="Event")])
    numbers = alt.Chart(marks).mark_text(fontSize=12, fontWeight="bold", dx=6, color="#222222").encode(
        x=alt.X("date:T", title=x_title), y=alt.Y("row:Q", scale=None, axis=None), text="n:N")
    plot = alt.layer(bars, rules, numbers).properties(width=PLOT_WIDTH, height=charts.HEIGHT)
    key = alt.Chart(marks).mark_text(align="left", fontSize=12, color="#222222").encode(
        x=alt.value(0), y=alt.Y("n:O", axis=None, sort=None), text="key:N").properties(
        width=PLOT_WIDTH, height=17 * max(len(marks), 1))
    chart = alt.vconcat(plot, key, spacing=6)
    totals = counts.groupby("kind")["attacks"].sum()
    description = (
        f"Stacked bars of attacks per month from {_fmt(start)} to {_fmt(end)}: "
        + ", ".join(f"{int(totals[k])} {k}" for k in kinds) + " in all. Monthly counts: "
        + "; ".join(f"{m:%b %Y} " + ", ".join(f"{k} {int(v)}" for k, v in zip(g["kind"], g["attacks"]))
                    for m, g in counts.groupby("month"))
        + ". Numbered dashed lines mark events: " + "; ".join(marks["key"]) + "."
    )
    return charts.finish(chart, title="Attacks per month as the coalition drew down", source=source,
                         description=description,
                         subtitle="Bars: attacks by kind; dashed lines: handovers, troop cuts, dialogue and truce")


def estimate_series_chart(table: pd.DataFrame, *, title: str, x_title: str, what: str,
                          source: str = SOURCE + " (estimates)") -> alt.Chart:
    """Bars of successive figures for one quantity, in the order the table lists them.

    Used for counts that were revised over time (e.g. injuries announced in stages);
    ``table`` comes from :func:`estimates_for` sorted as wanted.
    """
    require(table, ["value", "given_by"], "estimates table")
    if table.empty:
        raise ValueError("no figures to chart")
    order = list(table["given_by"])
    chart = alt.Chart(table).mark_bar(color=charts.PALETTE[0]).encode(
        x=alt.X("value:Q", title=x_title),
        y=alt.Y("given_by:N", title="Figure given by (in order of release)", sort=order,
                axis=alt.Axis(labelLimit=300)),
        tooltip=[alt.Tooltip("given_by:N", title="Given by"), alt.Tooltip("value:Q", title="Figure")]
        + charts.cited_tooltip(table),
    ).properties(width=LABELLED_PLOT_WIDTH, height=34 * len(table))
    text = chart.mark_text(align="left", dx=4, fontSize=12).encode(text="value:Q")
    description = (f"Bar chart of the successive figures given for {what}: "
                   + "; ".join(f"{g}: {v}" for g, v in zip(table["given_by"], table["value"])) + ".")
    return charts.finish(alt.layer(chart, text), title=title, source=source, description=description)
