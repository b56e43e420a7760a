"""Events in time, and the reference tables of the appendices.

- Selecting events, and the charts that place them in time: a static timeline
  by category (chapter 1), a chart of periods such as the caretaker government,
  and an interactive timeline of events and attacks (appendix).
- The fact-check ledger (from the claims table) and the data dictionary (from
  ``datapackage.json``), rendered as accessible HTML tables.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd

from tightrope import charts, sources
from tightrope.attacks import day, require

SOURCE = "The Tight Rope, annotated data package (events, incidents)"
# Where claims have their anchored rows, relative to any page of the book.
LEDGER_PAGE = "../appendices/fact-check.html"
ATTACK_LANE = "Attack on a US or coalition site"
# Readable names for the event categories of the data package; others are shown as they are.
CATEGORY_LABELS = {
    "us-strike": "US strike", "iran-strike": "Iranian strike", "israel-strike": "Strike attributed to Israel",
    "unclaimed-strike": "Strike nobody claimed",
    "us-warning": "US warning", "us-policy": "US policy", "embassy-siege": "Embassy siege",
    "militia": "Militia statement or act", "iraqi-politics": "Iraqi politics",
    "iraqi-reaction": "Iraqi reaction", "iraqi-security": "Iraqi security decision", "drawdown": "US drawdown",
    "strategic-dialogue": "Strategic Dialogue", "casualties": "Casualty count", "attribution": "Attribution",
}
# Broad families of categories, few enough for distinct colour-blind-safe colours.
FAMILIES = {
    ATTACK_LANE: "Attacks", "US strike": "US actions", "US warning": "US actions", "US policy": "US actions",
    "US drawdown": "US actions", "Strategic Dialogue": "US actions",
    "Iranian strike": "Iran and armed groups", "Militia statement or act": "Iran and armed groups",
    "Embassy siege": "Iran and armed groups",
    "Strike attributed to Israel": "Other strikes", "Strike nobody claimed": "Other strikes",
    "Iraqi politics": "Iraqi politics and security", "Iraqi reaction": "Iraqi politics and security",
    "Iraqi security decision": "Iraqi politics and security",
    "Casualty count": "Counts and attributions", "Attribution": "Counts and attributions",
}


def events_between(events: pd.DataFrame, *, start=None, end=None, categories=None) -> pd.DataFrame:
    """Events dated from ``start`` to ``end`` (inclusive), optionally of some categories only."""
    require(events, ["id", "date", "title", "category"], "events")
    rows = events
    if start is not None:
        rows = rows[rows["date"] >= pd.Timestamp(start)]
    if end is not None:
        rows = rows[rows["date"] <= pd.Timestamp(end)]
    if categories is not None:
        unknown = set(categories) - set(events["category"].astype("string"))
        if unknown:
            raise ValueError(f"no events of category {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(set(events['category'].astype('string'))))}")
        rows = rows[rows["category"].astype("string").isin(categories)]
    return rows.sort_values(["date", "id"]).reset_index(drop=True)


def lanes(events: pd.DataFrame, incidents: pd.DataFrame | None = None,
          bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per item to place on a timeline: events, plus attacks if given.

    Columns: id, date, lane (the event category, or one lane for attacks), title,
    detail, precision, sources, weakly_sourced, and cited when the inputs carry short
    citations (``sources.with_citations``). Attacks are titled with their site's name when ``bases``
    is given.
    """
    require(events, ["date", "title", "category"], "events")
    detail = events["description"] if "description" in events else events["title"]
    category = events["category"].astype("string")
    items = pd.DataFrame({
        "id": events["id"].astype("string") if "id" in events else pd.NA,
        "date": events["date"], "lane": category.map(CATEGORY_LABELS).fillna(category),
        "title": events["title"].astype("string"), "detail": detail.astype("string"),
        "precision": events["date_precision"].astype("string") if "date_precision" in events else "day",
        "sources": events["sources"].astype("string") if "sources" in events else "",
        "weakly_sourced": events["weakly_sourced"].astype("string") if "weakly_sourced" in events else pd.NA,
    })
    if "cited" in events:
        items["cited"] = events["cited"].astype("string")
    if incidents is not None and len(incidents):
        require(incidents, ["date", "site", "kind"], "incidents")
        site = incidents["site"].astype("string")
        if bases is not None:
            names = bases.assign(id=bases["id"].astype("string")).set_index("id")["name"].astype("string")
            site = site.map(names).fillna(site)
        site = site.fillna("unidentified site")
        kind = incidents["kind"].astype("string")
        attacks = pd.DataFrame({
            "id": incidents["id"].astype("string") if "id" in incidents else pd.NA,
            "date": incidents["date"], "lane": ATTACK_LANE,
            "title": (kind.str.capitalize() + ": " + site),
            "detail": incidents["notes"].astype("string").fillna("") if "notes" in incidents else "",
            "precision": (incidents["date_precision"].astype("string")
                          if "date_precision" in incidents else "day"),
            "sources": incidents["sources"].astype("string") if "sources" in incidents else "",
            "weakly_sourced": (incidents["weakly_sourced"].astype("string")
                               if "weakly_sourced" in incidents else pd.NA),
        })
        if "cited" in incidents:
            attacks["cited"] = incidents["cited"].astype("string")
        items = pd.concat([items, attacks], ignore_index=True)
    return items.sort_values("date").reset_index(drop=True)


def timeline_chart(items: pd.DataFrame, *, title: str, source: str = SOURCE,
                   subtitle: str | None = None) -> alt.Chart:
    """A dot per event in a row per category; hover a dot for its title.

    ``items`` comes from :func:`lanes`. Month-only dates are drawn hollow.
    """
    require(items, ["date", "lane", "title", "detail", "precision"], "items")
    order = list(dict.fromkeys(items.sort_values("date")["lane"]))
    # One colour: each category has its own row, so colour would only repeat the row label.
    chart = alt.Chart(items).mark_point(size=90, strokeWidth=2, color=charts.MAIN, opacity=0.85).encode(
        x=alt.X("date:T", title="Date", scale=alt.Scale(padding=12),
                axis=alt.Axis(format="%b %Y", labelAngle=-45)),
        y=alt.Y("lane:N", title=None, sort=order),
        fill=alt.condition("datum.precision == 'month'", alt.value("white"), alt.value(charts.MAIN)),
        tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("title:N", title="What"),
                 alt.Tooltip("lane:N", title="Category")] + charts.cited_tooltip(items),
    ).properties(width=charts.WIDTH, height=max(160, 30 * len(order)))
    counts = items.groupby("lane", sort=False).size()
    description = (
        f"Timeline of {len(items)} dated items from {day(items['date'].min())} to "
        f"{day(items['date'].max())}, one row per category ("
        + "; ".join(f"{lane}: {int(counts[lane])}" for lane in order) + "). In date order: "
        + "; ".join(f"{d.day} {d:%b %Y} {t}" for d, t in zip(items["date"], items["title"])) + "."
    )
    return charts.finish(chart, title=title, source=source, description=description,
                         subtitle=subtitle or "Hover over or tap a mark for details; hollow marks are dated to the month only")


def spans(events: pd.DataFrame, pairs: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Periods between two events, e.g. from a resignation to the next government.

    ``pairs`` lists ``(label, start event id, end event id)``. Returns columns
    label, start, end, days, in the order given. Raises ValueError naming an
    unknown event id, or a pair whose end comes before its start.
    """
    require(events, ["id", "date"], "events")
    dates = events.set_index(events["id"].astype("string"))["date"]
    rows = []
    for label, first, last in pairs:
        for event in (first, last):
            if event not in dates.index:
                raise ValueError(f"spans(): no event with id {event!r} (for {label!r})")
        start, end = dates[first], dates[last]
        if end < start:
            raise ValueError(f"spans(): {label!r} ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
        rows.append({"label": label, "start": start, "end": end, "days": int((end - start).days)})
    return pd.DataFrame(rows)


def spans_chart(periods: pd.DataFrame, *, title: str, source: str = SOURCE,
                subtitle: str | None = None) -> alt.LayerChart:
    """Horizontal bars from start to end date, one per period, labelled with their length in days."""
    require(periods, ["label", "start", "end", "days"], "periods")
    order = list(periods["label"])
    base = alt.Chart(periods).encode(y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=280)))
    bars = base.mark_bar(color=charts.MAIN, height=18).encode(
        x=alt.X("start:T", title="Date", axis=alt.Axis(format="%b %Y", labelAngle=0,
                                                       tickCount={"interval": "month", "step": 1})),
        x2="end:T",
        tooltip=[alt.Tooltip("label:N", title="Period"), alt.Tooltip("start:T", title="From", format="%d %b %Y"),
                 alt.Tooltip("end:T", title="To", format="%d %b %Y"), alt.Tooltip("days:Q", title="Days")])
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#222222").encode(
        x=alt.X("end:T", title="Date"), text="length:N").transform_calculate(length="datum.days + ' days'")
    chart = alt.layer(bars, text).properties(width=charts.WIDTH - 220, height=40 * len(order))
    description = "Periods shown as bars: " + "; ".join(
        f"{l}: {day(s)} to {day(e)} ({d} days)"
        for l, s, e, d in zip(periods["label"], periods["start"], periods["end"], periods["days"])) + "."
    return charts.finish(chart, title=title, source=source, description=description,
                         subtitle=subtitle or "Each bar runs from the first event to the last; hover over or tap a bar for dates")


def interactive_timeline(items: pd.DataFrame, *, source: str = SOURCE) -> alt.VConcatChart:
    """An overview strip to brush a date range, and a detail view of what falls inside it.

    Rows are categories; colours are broader families of categories (see
    ``FAMILIES``), and clicking a family in the legend keeps only that family
    (shift-click for several). ``items`` comes from :func:`lanes`.
    """
    require(items, ["date", "lane", "title", "detail", "precision"], "items")
    items = items.assign(family=items["lane"].map(FAMILIES).fillna("Other"))
    order = list(dict.fromkeys(items.sort_values("date")["lane"]))
    families = list(dict.fromkeys(items.sort_values("date")["family"]))
    brush = alt.selection_interval(encodings=["x"], name="period")
    # Periods a reader can pick with one tap (a brush needs a drag, which a touch screen may not give).
    preset = alt.param(name="preset", value="all", bind=alt.binding_radio(
        options=["all"] + [key for key, *_ in _periods(items)],
        labels=["Whole record, or the period drawn on the strip"] + [label for _, label, *_ in _periods(items)],
        name="Show: "))
    pick = alt.selection_point(fields=["family"], bind="legend", name="category")
    colour = alt.Color("family:N", title="Kind of item", sort=families,
                       scale=alt.Scale(domain=families, range=charts.PALETTE[:len(families)]),
                       legend=alt.Legend(labelLimit=260, orient="bottom", columns=3))
    overview = alt.Chart(items).mark_tick(thickness=2, size=14).encode(
        x=alt.X("date:T", title="Date (drag to choose a period, or pick one below)", axis=alt.Axis(format="%b %Y")),
        color=colour, opacity=alt.condition(pick, alt.value(0.9), alt.value(0.1)),
    ).add_params(brush).properties(width=charts.WIDTH, height=50)
    detail = alt.Chart(items).mark_point(size=110, strokeWidth=2, filled=True, clip=True).encode(
        x=alt.X("date:T", title="Date", scale=alt.Scale(domain={"expr": _domain_expression(items)}),
                axis=alt.Axis(format="%d %b %Y", labelAngle=-45)),
        y=alt.Y("lane:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        color=colour,
        opacity=alt.condition(pick, alt.value(0.9), alt.value(0.08)),
        tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("title:N", title="What"),
                 alt.Tooltip("detail:N", title="Detail"), alt.Tooltip("lane:N", title="Category"),
                 alt.Tooltip("precision:N", title="Dated to the")] + charts.cited_tooltip(items),
    ).add_params(pick).properties(width=charts.WIDTH, height=max(200, 28 * len(order)))
    counts = items.groupby("lane", sort=False).size()
    description = (
        f"Interactive timeline of {len(items)} events and attacks from {items['date'].min():%B %Y} to "
        f"{items['date'].max():%B %Y}. The upper strip selects a period, the lower view shows it with one row "
        "per category; the legend filters by kind of item. Items per category: "
        + "; ".join(f"{lane}: {int(counts[lane])}" for lane in order)
        + ". The same items are listed in the table below the chart."
    )
    return charts.finish(alt.vconcat(overview, detail).add_params(preset), title="Timeline of events and attacks",
                         source=source, description=description,
                         subtitle=["Drag across the strip or pick a period below the chart to zoom;",
                                   "click or tap the legend to filter; hover over or tap a mark for details"])


# Periods of the interactive timeline's buttons: key, label, first and last day.
PERIODS = [
    ("y2019", "2019: the attacks build up", "2019-01-01", "2019-12-31"),
    ("crisis", "Dec 2019 to Jan 2020: strikes, embassy, Soleimani, the vote", "2019-12-01", "2020-01-31"),
    ("y2020", "2020: drawdown", "2020-01-01", "2020-12-31"),
    ("y2023", "Oct 2023 to Mar 2024: the Gaza war campaign", "2023-10-01", "2024-03-31"),
]


def _periods(items: pd.DataFrame) -> list[tuple[str, str, pd.Timestamp, pd.Timestamp]]:
    """The periods of PERIODS that hold at least one item."""
    dates = items["date"]
    found = []
    for key, label, first, last in PERIODS:
        start, end = pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(hours=23, minutes=59)
        if ((dates >= start) & (dates <= end)).any():
            found.append((key, label, start, end))
    return found


def _milliseconds(stamp: pd.Timestamp) -> int:
    """A date as Vega reads one: milliseconds since 1970 (UTC)."""
    return int(pd.Timestamp(stamp).tz_localize(None).value // 1_000_000)


def _domain_expression(items: pd.DataFrame) -> str:
    """The detail view's date range: the period picked with a button, else the one drawn on the strip,
    else the whole record."""
    margin = pd.Timedelta(days=15)
    whole = f"[{_milliseconds(items['date'].min() - margin)}, {_milliseconds(items['date'].max() + margin)}]"
    fallback = f"(period && period.date ? period.date : {whole})"
    for key, _, start, end in reversed(_periods(items)):
        fallback = f"(preset === '{key}' ? [{_milliseconds(start)}, {_milliseconds(end)}] : {fallback})"
    return fallback


def protest_tolls(tallies: pd.DataFrame) -> pd.DataFrame:
    """The protest death tolls of the ``tallies`` table, in the order they were given.

    Keeps the counts whose ``what`` is ``"killed_in_protests"`` and returns
    columns date (the day the toll was given), killed, given_by and id.
    Raises ValueError if there are none.
    """
    require(tallies, ["id", "as_of", "count", "what", "given_by"], "tallies")
    rows = tallies[tallies["what"].astype("string") == "killed_in_protests"]
    if rows.empty:
        raise ValueError("protest_tolls(): the tallies table has no count with what = 'killed_in_protests'")
    result = pd.DataFrame({"date": rows["as_of"], "killed": rows["count"].astype(int),
                           "given_by": rows["given_by"].astype("string"), "id": rows["id"].astype("string")})
    return result.sort_values(["date", "id"]).reset_index(drop=True)


# --- Reference tables for the appendices -------------------------------------

def html_table(frame: pd.DataFrame, *, caption: str, html_columns=(), row_ids=None) -> str:
    """An accessible HTML table: caption, header cells with scope, text escaped.

    Columns named in ``html_columns`` hold ready-made HTML (such as links) and
    are not escaped. Blank cells stay blank. ``row_ids`` gives each row an
    anchor (``id``) so pages can link to it.
    """
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    ids = list(row_ids) if row_ids is not None else [None] * len(frame)
    body = []
    for (_, row), anchor in zip(frame.iterrows(), ids):
        cells = []
        for column, value in row.items():
            text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            cells.append(f"<td>{text if column in html_columns else html.escape(text)}</td>")
        opening = f'<tr id="{html.escape(str(anchor))}">' if anchor else "<tr>"
        body.append(opening + "".join(cells) + "</tr>")
    # The table sits in a labelled region a keyboard can scroll, should it ever be wider than the
    # page; on a phone each row is shown as a card, on a desktop a wide table takes the page's width
    # (_static/tightrope.css, _static/tightrope-tables.js).
    wide = " tr-table-wide" if len(frame.columns) >= 4 else ""
    return (f'<div class="tr-table-scroll{wide}" role="region" tabindex="0" '
            f'aria-label="{html.escape(caption)} (table; scrolls sideways if it does not fit)">'
            f'<table class="table tr-table"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def items_table(items: pd.DataFrame, register: pd.DataFrame, *, caption: str) -> str:
    """The items of a timeline (from :func:`lanes`) as an HTML table with citations; each row anchored by its id."""
    require(items, ["id", "date", "lane", "title", "precision", "sources"], "items")
    shown = pd.DataFrame({
        "Date": [f"{d:%B %Y}" if p == "month" else day(d) for d, p in zip(items["date"], items["precision"])],
        "Category": items["lane"].astype("string"), "What": items["title"].astype("string"),
        "Sources": sources.cite_rows(items, register),
    })
    return html_table(shown, caption=caption, html_columns=["Sources"], row_ids=items["id"])


def native_name(name, language, transliteration=None) -> str:
    """A name in Arabic, Persian or Kurdish script as HTML, isolated right to left and tagged
    with its language (for screen readers and fonts), its transliteration after it in italics."""
    if name is None or pd.isna(name) or not str(name).strip():
        return ""
    text = sources.in_language(str(name), str(language))
    if transliteration is not None and not pd.isna(transliteration):
        text += f" <i>{html.escape(str(transliteration))}</i>"
    return text


def actors_table(actors: pd.DataFrame, register: pd.DataFrame) -> str:
    """The actors table as an HTML table: name, its own-language form, kind, one-line description, citations.

    The sources column cites the row's sources, then the ones that spell the native-script name.
    """
    require(actors, ["id", "name", "type", "description", "sources", "native_name", "native_language",
                     "transliteration", "native_sources"], "actors")
    spelled = sources.cite_rows(actors.assign(sources=actors["native_sources"], weakly_sourced=pd.NA)
                                .loc[actors["native_sources"].notna()], register)
    cited = sources.cite_rows(actors, register)
    cited[spelled.index] = cited[spelled.index] + " Name in its own script: " + spelled
    shown = pd.DataFrame({
        "Name": actors["name"].astype("string"),
        "In Arabic or Persian": [native_name(n, lang, t) for n, lang, t in
                                 zip(actors["native_name"], actors["native_language"], actors["transliteration"])],
        "Kind": actors["type"].astype("string"),
        "Who they are": actors["description"].astype("string"),
        "Sources": cited,
    })
    return html_table(shown, caption="Who is who: the actors table of the data package",
                      html_columns=["In Arabic or Persian", "Sources"], row_ids="actor-" + actors["id"].astype("string"))


def claims_table(claims: pd.DataFrame, ids: list[str], register: pd.DataFrame, *, caption: str) -> str:
    """Selected rows of the claims table, in the order given, as an HTML table.

    Each claim id links to its row in the fact-check ledger. Raises
    ValueError naming any id that is not in the table.
    """
    require(claims, ["id", "statement", "status", "finding", "sources"], "claims")
    indexed = claims.set_index(claims["id"].astype("string"))
    missing = [i for i in ids if i not in indexed.index]
    if missing:
        raise ValueError(f"claims_table(): no claim with id {', '.join(missing)}")
    rows = indexed.loc[ids]
    shown = pd.DataFrame({
        "Claim": [f'<a href="{LEDGER_PAGE}#{html.escape(i)}">{html.escape(i)}</a>' for i in ids],
        "What the article says (paraphrase)": rows["statement"].astype("string").values,
        "Verdict": rows["status"].astype("string").values,
        "What the sources say": rows["finding"].astype("string").values,
        "Sources": sources.cite_rows(rows, register).values,
    })
    return html_table(shown, caption=caption, html_columns=["Claim", "Sources"])


def claims_ledger(claims: pd.DataFrame, sections: list[str], register: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The claims table split by article section, in the article's order, ready to show.

    Each frame keeps the claim ids in its ``Claim`` column (use them as row
    anchors). ``sections`` lists the article's section locators in reading
    order; a claim whose section is not among them raises ValueError naming it.
    """
    require(claims, ["id", "section", "statement", "status", "finding", "checked", "sources"], "claims")
    unknown = sorted(set(claims["section"].astype("string")) - set(sections))
    if unknown:
        raise ValueError(f"claims with a section not in the article's list: {', '.join(unknown)}")
    shown = pd.DataFrame({
        "Claim": claims["id"].astype("string"), "section": claims["section"].astype("string"),
        "What the article says (paraphrase)": claims["statement"].astype("string"),
        "Verdict": claims["status"].astype("string"),
        "What the sources say": claims["finding"].astype("string"),
        "Checked against": claims["checked"].astype("string"),
        "Sources": sources.cite_rows(claims, register),
    })
    return {s: shown[shown["section"] == s].drop(columns="section").reset_index(drop=True)
            for s in sections if (shown["section"] == s).any()}


def data_dictionary(package: dict) -> list[dict]:
    """Every table of a Frictionless data package with its fields, as rows to show.

    Returns one dict per resource: ``name``, ``path``, ``title``,
    ``description``, ``primary_key``, ``foreign_keys``, ``provenance`` (its
    own sources and licences, if it lists any) and ``fields`` (a
    DataFrame of field, type, description, constraints). A resource without a
    ``schema`` (such as the GeoJSON map) has ``fields`` set to None.
    """
    if not isinstance(package, dict) or "resources" not in package:
        raise ValueError("data_dictionary() needs a datapackage.json dict with a 'resources' list")
    tables = []
    for resource in package["resources"]:
        schema = resource.get("schema")
        fields = None
        if isinstance(schema, dict):
            fields = pd.DataFrame([{
                "Field": f["name"], "Type": f.get("type", "string") + (
                    f" ({f['format']})" if f.get("format") not in (None, "default") else ""),
                "Description": f.get("description", ""),
                "Constraints": describe_constraints(f.get("constraints", {})),
            } for f in schema.get("fields", [])])
        keys = (schema or {}).get("primaryKey", []) if isinstance(schema, dict) else []
        foreign = (schema or {}).get("foreignKeys", []) if isinstance(schema, dict) else []
        tables.append({
            "name": resource.get("name", ""), "path": resource.get("path", ""),
            "title": resource.get("title", resource.get("name", "")),
            "description": resource.get("description", ""),
            "primary_key": ", ".join([keys] if isinstance(keys, str) else keys),
            "foreign_keys": "; ".join(describe_foreign_key(k) for k in foreign),
            "provenance": "; ".join(describe_source(x) for x in resource.get("sources", [])
                                    + resource.get("licenses", [])),
            "fields": fields,
        })
    return tables


def describe_constraints(constraints: dict) -> str:
    """Frictionless field constraints in plain words, e.g. "required; one of: a, b"."""
    words = {"required": "required", "unique": "unique"}
    parts = [words[k] for k in ("required", "unique") if constraints.get(k)]
    if "enum" in constraints:
        parts.append("one of: " + ", ".join(str(v) for v in constraints["enum"]))
    for key, text in (("minimum", "at least"), ("maximum", "at most"),
                      ("minLength", "length at least"), ("maxLength", "length at most")):
        if key in constraints:
            parts.append(f"{text} {constraints[key]}")
    if "pattern" in constraints:
        parts.append(f"matches {constraints['pattern']}")
    return "; ".join(parts)


def describe_source(entry: dict) -> str:
    """A Frictionless source or licence entry as "title (path)"."""
    title = entry.get("title") or entry.get("name", "")
    return f"{title} ({entry['path']})" if entry.get("path") else title


def describe_foreign_key(key: dict) -> str:
    """A Frictionless foreign key as "site → bases.id"."""
    fields = key.get("fields")
    ref = key.get("reference", {})
    ref_fields = ref.get("fields")
    as_text = lambda f: ", ".join([f] if isinstance(f, str) else f or [])  # noqa: E731
    return f"{as_text(fields)} → {ref.get('resource') or 'this table'}.{as_text(ref_fields)}"
