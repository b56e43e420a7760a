"""The source register (``data/sources.csv``): what counts as a source, and how a source is cited.

Every row of every other table cites register ids in its ``sources`` cell. A
register entry names the document: the outlet where it was read, the agency
or paper that wrote it (for syndicated copy), its title, author, date, URL,
kind and language. This module holds:

- the kinds of source and which of them can carry a fact on their own;
- the links the register refuses (bare IP addresses, explicit ports, and the
  hosts in ``blocked_hosts.csv``: known content farms, scrapers, look-alike
  domains and encyclopedia mirrors);
- citations as readers see them, "Outlet, “Title”, 5 January 2020", linked,
  with "via X" for syndicated copy, in HTML for tables and as plain text for
  chart tooltips;
- how much of the data rests on each kind (the "How we know" appendix).

The loader (:mod:`tightrope.data`) applies the rules when the package loads.
"""
from __future__ import annotations

import csv
import html
import ipaddress
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

SEP = " | "
# Kinds, from most to least authoritative for a fact. Definitions: data/README.md.
KINDS = ("official", "wire", "outlet", "specialist", "state-affiliated", "partisan",
         "encyclopedia", "self-published")
# A row with no source of these kinds must be flagged as weakly sourced.
STRONG_KINDS = ("official", "wire", "outlet", "specialist")
KIND_LABELS = {
    "official": "Official document or statement", "wire": "Wire service", "outlet": "News outlet",
    "specialist": "Specialist or research", "state-affiliated": "State-affiliated media",
    "partisan": "Partisan or advocacy", "encyclopedia": "Encyclopedia", "self-published": "Self-published",
}
# What each kind means, for the data's README and the "How we know" appendix.
KIND_DEFINITIONS = {
    "official": "a document or statement of a government, armed force, parliament or UN body, read in its own "
                "publication or an official record",
    "wire": "a news agency's report (Reuters, the Associated Press, Agence France-Presse), read on the agency's "
            "site or carried in full by another paper",
    "outlet": "a newspaper, broadcaster or news site with editorial standards that reported the fact itself",
    "specialist": "a research institute, specialist tracker, academic work or recognised researcher",
    "state-affiliated": "media under a government's editorial control (for example RT, Sputnik, Press TV, "
                        "Tasnim, Xinhua): cited alone only for what that government or its allies said",
    "partisan": "a party, militia, advocacy or activist outlet: cited for its own side's claims",
    "encyclopedia": "a general encyclopedia such as Wikipedia: it leads to sources and never stands alone",
    "self-published": "a blog, personal site or social-media post without editorial review",
}
BLOCKED_HOSTS_FILE = Path(__file__).with_name("blocked_hosts.csv")


# --------------------------------------------------------------------------- links the register refuses

@lru_cache(maxsize=1)
def blocked_hosts() -> dict[str, str]:
    """Hosts never to be cited, with the reason: {host: reason} from blocked_hosts.csv."""
    with open(BLOCKED_HOSTS_FILE, newline="", encoding="utf-8") as f:
        return {row["host"].strip().lower(): row["reason"].strip() for row in csv.DictReader(f)}


def link_problem(url: str) -> str | None:
    """Why ``url`` may not be cited, or None when it may.

    Refused: a bare IP address, an explicit port, or a host (or a subdomain of
    a host) on the blocked list.
    """
    parts = urlparse(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) link"
    host = parts.hostname.lower()
    try:
        ipaddress.ip_address(host)
        return f"links to a bare IP address ({host})"
    except ValueError:
        pass
    try:
        port = parts.port
    except ValueError:
        return "has a malformed port"
    if port is not None:
        return f"names an explicit port ({parts.netloc})"
    blocked = blocked_hosts()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in blocked:
            return f"is on a blocked host ({candidate}: {blocked[candidate]})"
    return None


# --------------------------------------------------------------------------- citations

def ids_in(cell) -> list[str]:
    """The register ids in one ``sources`` cell, in order."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).split(SEP) if part.strip()]


def _date(value) -> str:
    if value is None or pd.isna(value):
        return "undated"
    return f"{pd.Timestamp(value).day} {pd.Timestamp(value):%B %Y}"


def _present(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and str(value).strip() != ""


def _quoted(title: str) -> str:
    """A headline in quotation marks; a [bracketed description] of an untitled document as it is."""
    title = str(title)
    return title if title.startswith("[") and title.endswith("]") else f"“{title}”"


def _kind_note(entry) -> str:
    """Whose outlet it is, for a source that cannot carry a fact alone: " (state-affiliated media)"."""
    kind = str(entry.get("kind", ""))
    return "" if kind in STRONG_KINDS or kind not in KIND_LABELS else f" ({KIND_LABELS[kind].lower()})"


def citation_text(entry) -> str:
    """One register entry as plain text: Original, “Title”, date, via Outlet, and the kind where weak."""
    writer = entry["original"] if _present(entry.get("original")) else entry["outlet"]
    text = f"{writer}, {_quoted(entry['title'])}, {_date(entry.get('published'))}"
    if _present(entry.get("original")):
        text += f", via {entry['outlet']}"
    return text + _kind_note(entry)


# Arabic, Persian and Kurdish letters (the Arabic blocks and presentation forms).
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def _title_html(entry) -> str:
    """The quoted title; a title in another language is tagged with it (right to left for Arabic script),
    so screen readers pronounce it in that language. A bracketed description is ours, in English."""
    title, language = str(entry["title"]), str(entry.get("language") or "en")
    if language == "en" or (title.startswith("[") and title.endswith("]")):
        return html.escape(_quoted(title))
    return f"“{in_language(title, language)}”"


def in_language(text: str, language: str) -> str:
    """Text in another language as HTML, tagged with it (for screen readers) and, in Arabic script,
    isolated right to left so that the English around it keeps its order."""
    direction = ' dir="rtl"' if ARABIC_SCRIPT.search(text) else ""
    return f'<bdi lang="{html.escape(language)}"{direction} class="tr-native">{html.escape(text)}</bdi>'


def citation_html(entry) -> str:
    """One register entry as HTML, the title linked to where it was read; every part escaped."""
    writer = entry["original"] if _present(entry.get("original")) else entry["outlet"]
    quoted = _title_html(entry)
    title = f'<a href="{html.escape(str(entry["url"]))}">{quoted}</a>'
    text = f"{html.escape(str(writer))}, {title}, {_date(entry.get('published'))}"
    if _present(entry.get("original")):
        text += f", via {html.escape(str(entry['outlet']))}"
    text += html.escape(_kind_note(entry))
    return f'<span class="tr-cite" data-kind="{html.escape(str(entry["kind"]))}">{text}</span>'


def _entries(cell, register: pd.DataFrame) -> list[dict]:
    indexed = register.set_index("id", drop=False)
    missing = [i for i in ids_in(cell) if i not in indexed.index]
    if missing:
        raise KeyError(f"no source with id {', '.join(missing)} in the register")
    return [indexed.loc[i].to_dict() for i in ids_in(cell)]


def cite(cell, register: pd.DataFrame) -> str:
    """HTML citations for one ``sources`` cell of register ids, separated by semicolons."""
    return "; ".join(citation_html(e) for e in _entries(cell, register))


def cite_rows(frame: pd.DataFrame, register: pd.DataFrame) -> pd.Series:
    """Each row's ``sources`` as HTML citations, with the weak-sourcing note where the row is flagged."""
    if "sources" not in frame:
        raise ValueError(f"cite_rows() needs a 'sources' column; got {', '.join(map(str, frame.columns))}")
    weak = frame["weakly_sourced"] if "weakly_sourced" in frame else pd.Series(pd.NA, index=frame.index)
    out = []
    for cell, note in zip(frame["sources"], weak):
        text = cite(cell, register)
        if _present(note):
            text += f' <span class="tr-weak">(weakly sourced: {html.escape(str(note))})</span>'
        out.append(text)
    return pd.Series(out, index=frame.index, dtype="object")


def with_citations(frame: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with a ``cited`` column: each row's short citations, for chart tooltips."""
    if "sources" not in frame:
        raise ValueError(f"with_citations() needs a 'sources' column; got {', '.join(map(str, frame.columns))}")
    weak = frame["weakly_sourced"] if "weakly_sourced" in frame else pd.Series(pd.NA, index=frame.index)
    cited = [cite_short(cell, register) + (" (weakly sourced)" if _present(note) else "")
             for cell, note in zip(frame["sources"], weak)]
    return frame.assign(cited=pd.Series(cited, index=frame.index, dtype="string"))


def cite_short(cell, register: pd.DataFrame) -> str:
    """Plain-text short citations for a tooltip: "Reuters, 27 December 2019; AP via ABC, ..."."""
    parts = []
    for e in _entries(cell, register):
        writer = e["original"] if _present(e.get("original")) else e["outlet"]
        via = f" via {e['outlet']}" if _present(e.get("original")) else ""
        parts.append(f"{writer}{via}, {_date(e.get('published'))}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- what the data rests on

def strongest_kind(cell, register: pd.DataFrame) -> str:
    """The most authoritative kind among a row's sources (in the order of KINDS)."""
    kinds = set(register.set_index("id").loc[ids_in(cell), "kind"].astype("string"))
    return next(k for k in KINDS if k in kinds)


def rows_by_strongest_kind(tables: dict[str, pd.DataFrame], register: pd.DataFrame) -> pd.DataFrame:
    """For each table, how many rows have each kind as their strongest source.

    Columns: table, kind, label, rows, share (of the table's rows). Kinds with
    no rows are left out.
    """
    records = []
    for name, df in tables.items():
        counts = df["sources"].map(lambda cell: strongest_kind(cell, register)).value_counts()
        for kind in KINDS:
            if counts.get(kind, 0):
                records.append({"table": name, "kind": kind, "label": KIND_LABELS[kind],
                                "rows": int(counts[kind]), "share": counts[kind] / len(df)})
    return pd.DataFrame.from_records(records, columns=["table", "kind", "label", "rows", "share"])


def citations_by_kind(tables: dict[str, pd.DataFrame], register: pd.DataFrame) -> pd.Series:
    """How many citations (a row citing a source) fall on each kind, in the order of KINDS."""
    kinds = register.set_index("id")["kind"].astype("string")
    cited = [kinds[i] for df in tables.values() for cell in df["sources"] for i in ids_in(cell)]
    return pd.Series(cited, dtype="string").value_counts().reindex(list(KINDS), fill_value=0)


def weak_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every row flagged as weakly sourced: table, id (or key), and the reason given."""
    records = []
    for name, df in tables.items():
        flagged = df[df["weakly_sourced"].notna()] if "weakly_sourced" in df else df.iloc[0:0]
        for _, row in flagged.iterrows():
            key = row["id"] if "id" in row else f"{row['incident_id']} / {row['actor']}"
            records.append({"table": name, "row": str(key), "reason": str(row["weakly_sourced"])})
    return pd.DataFrame.from_records(records, columns=["table", "row", "reason"])


def kinds_chart(shares: pd.DataFrame, *, source: str) -> "alt.Chart":
    """Stacked bars, one per table: the share of its rows whose strongest source is of each kind.

    ``shares`` comes from :func:`rows_by_strongest_kind`.
    """
    import altair as alt  # here, not at the top: loading data should not pay for the chart library

    from tightrope import charts

    colours = dict(zip(KINDS, charts.PALETTE))
    if not {"table", "kind", "label", "rows", "share"} <= set(shares.columns):
        raise ValueError("kinds_chart() needs the output of rows_by_strongest_kind()")
    present = [k for k in KINDS if k in set(shares["kind"])]
    order = {k: i for i, k in enumerate(KINDS)}
    data = shares.assign(order=shares["kind"].map(order))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("table:N", title=None, sort=list(dict.fromkeys(shares["table"]))),
        x=alt.X("share:Q", title="Rows of the table (share)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("label:N", title="Strongest source", sort=[KIND_LABELS[k] for k in present],
                        scale=alt.Scale(domain=[KIND_LABELS[k] for k in present],
                                        range=[colours[k] for k in present]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("table:N", title="Table"), alt.Tooltip("label:N", title="Strongest source"),
                 alt.Tooltip("rows:Q", title="Rows"), alt.Tooltip("share:Q", title="Share", format=".0%")],
    ).properties(width=charts.WIDTH - 100, height=max(160, 28 * shares["table"].nunique()))
    parts = []
    for table, group in shares.groupby("table", sort=False):
        parts.append(f"{table}: " + ", ".join(f"{int(r)} {KIND_LABELS[k].lower()}"
                                              for k, r in zip(group["kind"], group["rows"])))
    description = ("Stacked bar chart, one bar per table of the data package, split by the most authoritative "
                   "kind of source each row cites. " + "; ".join(parts) + ".")
    return charts.finish(chart, title="What each table rests on", source=source, description=description,
                         subtitle="Each row counted once, at the strongest kind of source it cites")
