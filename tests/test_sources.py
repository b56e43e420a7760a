"""The source register: the loader's rules (each shown rejecting a broken copy) and citations as readers see them."""
import csv

import pandas as pd
import pytest

from tightrope import data, sources
from test_data import copy_dir, edit, expect_error, row_of, set_cell  # noqa: F401  (copy_dir is a fixture)

SEP = " | "


def rows_of(name, folder=data.DATA_DIR):
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def strong_row(table):
    """CSV row number of a row of `table` that is not flagged weak, and its first source id."""
    register = {r["id"]: r for r in rows_of("sources")}
    for n, row in enumerate(rows_of(table), 2):
        ids = row["sources"].split(SEP)
        if not row["weakly_sourced"] and any(register[i]["kind"] in sources.STRONG_KINDS for i in ids):
            return n, ids[0]
    raise AssertionError(f"no strongly sourced row in {table}")


# --------------------------------------------------------------------------- the real register

def test_register_entries_have_outlet_title_and_date_or_a_reason():
    for n, row in enumerate(rows_of("sources"), 2):
        assert row["outlet"].strip() and row["title"].strip(), f"sources.csv row {n}"
        assert row["published"] or row["notes"], f"sources.csv row {n}: undated without a note"


def test_no_register_link_is_refused():
    for n, row in enumerate(rows_of("sources"), 2):
        assert sources.link_problem(row["url"]) is None, f"sources.csv row {n}: {row['url']}"


def test_every_row_has_a_strong_source_or_says_why_not():
    kinds = {r["id"]: r["kind"] for r in rows_of("sources")}
    for name in data.CITING:
        for n, row in enumerate(rows_of(name), 2):
            found = {kinds[i] for i in row["sources"].split(SEP)}
            assert found & set(sources.STRONG_KINDS) or row["weakly_sourced"].strip(), f"{name}.csv row {n}"
            assert found != {"encyclopedia"}, f"{name}.csv row {n} rests on an encyclopedia alone"


def test_state_affiliated_outlets_are_named_in_the_readme():
    readme = (data.DATA_DIR / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- state-affiliated outlets: start -->")[1].split("<!-- state-affiliated outlets: end -->")[0]
    missing = sorted({r["outlet"] for r in rows_of("sources") if r["kind"] == "state-affiliated"
                      and r["outlet"] not in listed and r["original"] not in listed})
    assert not missing, f"data/README.md does not say whose outlet these are: {missing}"


# --------------------------------------------------------------------------- each rule rejects a broken copy

def test_unknown_source_id_names_file_row_and_id(copy_dir):
    edit(copy_dir, "incidents", lambda rows: set_cell(rows, 4, "sources", "reuters-1999-01-01"))
    expect_error(copy_dir, "incidents", "incidents.csv", "row 4", "'reuters-1999-01-01'", "not an id in sources.csv")


def test_one_unknown_id_among_known_ones_is_caught(copy_dir):
    n, first = strong_row("events")
    edit(copy_dir, "events", lambda rows: set_cell(rows, n, "sources", f"{first} | no-such-source-2020-01-01"))
    expect_error(copy_dir, "events", "events.csv", f"row {n}", "'no-such-source-2020-01-01'")


def test_row_with_only_weak_sources_must_be_flagged(copy_dir):
    n, _ = strong_row("claims")

    def weaken(rows):
        # make every source of that row self-published in the register
        ids = rows_of("claims", copy_dir)[n - 2]["sources"].split(SEP)
        for i in ids:
            set_cell(rows, row_of(rows, "id", i), "kind", "self-published")
    edit(copy_dir, "sources", weaken)
    # the first row left without a strong source fails, in whichever table comes first
    message = expect_error(copy_dir, "claims", "weakly_sourced", "no source of kind official, wire, outlet or specialist")
    assert "self-published" in message


def test_flagging_the_row_satisfies_the_rule(copy_dir, tmp_path):
    """The same weakening, with every affected row flagged, loads: the rule asks for the flag, nothing more."""
    weakened = {r["id"] for r in rows_of("sources") if r["kind"] == "outlet"}
    edit(copy_dir, "sources", lambda rows: [set_cell(rows, row_of(rows, "id", i), "kind", "partisan")
                                            for i in weakened])
    kinds = {r["id"]: ("partisan" if r["id"] in weakened else r["kind"]) for r in rows_of("sources")}
    for name in data.CITING:
        def flag(rows):
            col, wcol = rows[0].index("sources"), rows[0].index("weakly_sourced")
            for r in rows[1:]:
                if not {kinds[i] for i in r[col].split(SEP)} & set(sources.STRONG_KINDS) and not r[wcol]:
                    r[wcol] = "Rests on partisan reporting only."
        edit(copy_dir, name, flag)
    data.validate(copy_dir)


def add_register_entry(folder, **fields):
    """Append one entry to the register of a copied data folder (blank where not given)."""
    def add(rows):
        entry = dict.fromkeys(rows[0], "")
        entry.update(published="2020-01-01", language="en", **fields)
        rows.append([entry[h] for h in rows[0]])
    edit(folder, "sources", add)


def test_encyclopedia_alone_is_rejected_even_when_flagged(copy_dir):
    add_register_entry(copy_dir, id="wikipedia-2020-01-01", outlet="Wikipedia", title="Some article",
                       url="https://en.wikipedia.org/wiki/Some_article", kind="encyclopedia")
    n, _ = strong_row("bases")
    edit(copy_dir, "bases", lambda rows: (set_cell(rows, n, "sources", "wikipedia-2020-01-01"),
                                          set_cell(rows, n, "weakly_sourced", "Only an encyclopedia.")))
    expect_error(copy_dir, "bases", "bases.csv", f"row {n}", "encyclopedia alone")


@pytest.mark.parametrize("url, problem", [
    ("http://195.201.164.17/en/iraq-news/x", "bare IP address"),
    ("https://www.trtworld.com:443/mea/x", "explicit port"),
    ("https://it.qaz.wiki/wiki/Camp_Taji", "blocked host (qaz.wiki: Wikipedia mirror)"),
    ("https://diy-dekorations.club/aid-cut", "blocked host (diy-dekorations.club"),
])
def test_refused_links_are_named(copy_dir, url, problem):
    edit(copy_dir, "sources", lambda rows: set_cell(rows, 2, "url", url))
    expect_error(copy_dir, "sources", "sources.csv", "row 2", "column 'url'", problem)


def test_register_row_needs_outlet_and_title(copy_dir):
    edit(copy_dir, "sources", lambda rows: set_cell(rows, 3, "title", ""))
    expect_error(copy_dir, "sources", "sources.csv", "row 3", "title", "required")
    edit(copy_dir, "sources", lambda rows: (set_cell(rows, 3, "title", "A title"), set_cell(rows, 5, "outlet", "")))
    expect_error(copy_dir, "sources", "sources.csv", "row 5", "outlet", "required")


def test_undated_register_row_needs_a_note(copy_dir):
    edit(copy_dir, "sources", lambda rows: (set_cell(rows, 2, "published", ""), set_cell(rows, 2, "notes", "")))
    expect_error(copy_dir, "sources", "sources.csv", "row 2", "published", "notes must say why")
    edit(copy_dir, "sources", lambda rows: set_cell(rows, 2, "notes", "The page carries no date."))
    data.validate(copy_dir)


def test_unknown_kind_is_rejected(copy_dir):
    edit(copy_dir, "sources", lambda rows: set_cell(rows, 2, "kind", "blog"))
    expect_error(copy_dir, "sources", "sources.csv", "row 2", "kind", "'blog' is not one of")


def test_uncited_register_entry_is_rejected(copy_dir):
    add_register_entry(copy_dir, id="orphan-2020-01-01", outlet="Reuters", title="Unused",
                       url="https://www.reuters.com/unused", kind="wire")
    expect_error(copy_dir, "sources", "sources.csv", "'orphan-2020-01-01'", "cited by no row")


# --------------------------------------------------------------------------- link rules on their own

def test_link_problem_accepts_ordinary_news_links():
    assert sources.link_problem("https://www.reuters.com/article/us-iraq-security-idUSKBN1YV0F7") is None
    assert sources.link_problem("https://apnews.com/article/abc") is None


def test_link_problem_matches_subdomains_but_not_lookalike_suffixes():
    assert "qaz.wiki" in sources.link_problem("https://de.qaz.wiki/wiki/X")
    # a host that merely ends with the same letters is not the blocked host
    assert sources.link_problem("https://notqaz.wiki.example.org/x") is None


def test_blocked_hosts_each_have_a_reason():
    blocked = sources.blocked_hosts()
    assert len(blocked) > 20 and all(reason for reason in blocked.values())


# --------------------------------------------------------------------------- citations

REGISTER = pd.DataFrame({
    "id": ["ap-2020-01-05", "dod-2019-12-29"], "outlet": ["Hindustan Times", "US Department of Defense"],
    "original": ["Associated Press", pd.NA], "title": ["Rockets <hit> Baghdad", "Statement on strikes"],
    "author": [pd.NA, pd.NA], "published": pd.to_datetime(["2020-01-05", "2019-12-29"]),
    "url": ["https://www.hindustantimes.com/x?a=1&b=2", "https://www.defense.gov/y"],
    "kind": ["wire", "official"], "language": ["en", "en"], "notes": [pd.NA, pd.NA]})


def test_citation_names_the_agency_and_where_it_was_read():
    entry = REGISTER.iloc[0].to_dict()
    assert sources.citation_text(entry) == "Associated Press, “Rockets <hit> Baghdad”, 5 January 2020, via Hindustan Times"
    out = sources.citation_html(entry)
    assert '<a href="https://www.hindustantimes.com/x?a=1&amp;b=2">“Rockets &lt;hit&gt; Baghdad”</a>' in out
    assert out.count("via Hindustan Times") == 1 and "Associated Press, <a" in out


def test_untitled_document_is_cited_by_its_bracketed_description():
    entry = {**REGISTER.iloc[1].to_dict(), "title": "[Statement on the strikes]"}
    assert sources.citation_text(entry) == "US Department of Defense, [Statement on the strikes], 29 December 2019"


def test_citation_of_an_original_has_no_via():
    assert sources.citation_text(REGISTER.iloc[1].to_dict()) == \
        "US Department of Defense, “Statement on strikes”, 29 December 2019"


def test_cite_rows_adds_the_weak_note_and_rejects_unknown_ids():
    frame = pd.DataFrame({"sources": ["dod-2019-12-29 | ap-2020-01-05", "ap-2020-01-05"],
                          "weakly_sourced": [pd.NA, "Only <one> report."]})
    cells = sources.cite_rows(frame, REGISTER)
    assert cells[0].index("US Department of Defense") < cells[0].index("Associated Press")
    assert "weakly sourced: Only &lt;one&gt; report." in cells[1] and "weakly" not in cells[0]
    with pytest.raises(KeyError, match="no source with id nope"):
        sources.cite("nope", REGISTER)
    assert sources.cite_short("ap-2020-01-05", REGISTER) == "Associated Press via Hindustan Times, 5 January 2020"


def test_rows_by_strongest_kind_counts_each_row_once():
    tables = {"events": pd.DataFrame({"sources": ["dod-2019-12-29 | ap-2020-01-05", "ap-2020-01-05"]})}
    shares = sources.rows_by_strongest_kind(tables, REGISTER)
    assert dict(zip(shares["kind"], shares["rows"])) == {"official": 1, "wire": 1}
    assert shares["share"].sum() == pytest.approx(1.0)
    assert sources.citations_by_kind(tables, REGISTER)[["official", "wire", "outlet"]].tolist() == [1, 2, 0]


def test_with_citations_feeds_a_sources_tooltip_on_single_item_marks():
    from tightrope import aftermath, timeline
    events = pd.DataFrame({"id": ["e1"], "date": pd.to_datetime(["2020-01-05"]), "title": ["Vote"],
                           "category": ["iraqi-politics"], "sources": ["ap-2020-01-05"],
                           "weakly_sourced": ["Only one copy."]})
    cited = sources.with_citations(events, REGISTER)
    assert cited.loc[0, "cited"] == "Associated Press via Hindustan Times, 5 January 2020 (weakly sourced)"
    spec = timeline.timeline_chart(timeline.lanes(cited), title="t").to_dict()
    assert {"field": "cited", "type": "nominal", "title": "Sources"} in spec["layer"][0]["encoding"]["tooltip"] \
        if "layer" in spec else {"field": "cited", "type": "nominal", "title": "Sources"} in spec["encoding"]["tooltip"]
    # without citations there is no Sources tooltip at all
    plain = timeline.timeline_chart(timeline.lanes(events), title="t").to_dict()
    assert "cited" not in str(plain["encoding"]["tooltip"])
    lanes = aftermath.event_lanes(cited, {"Iraq": ["iraqi-politics"]})
    assert list(lanes["cited"]) == [cited.loc[0, "cited"]]
    with pytest.raises(ValueError, match="needs a 'sources' column"):
        sources.with_citations(events.drop(columns="sources"), REGISTER)


def test_a_citation_says_whose_outlet_a_weak_source_is():
    entry = {**REGISTER.iloc[1].to_dict(), "outlet": "Sputnik", "kind": "state-affiliated"}
    assert sources.citation_text(entry).endswith("29 December 2019 (state-affiliated media)")
    assert "(state-affiliated media)</span>" in sources.citation_html(entry)
    assert "(" not in sources.citation_text(REGISTER.iloc[1].to_dict())  # a strong source needs no note


def test_a_title_in_another_language_is_tagged_with_it():
    from tightrope import sources

    entry = {"id": "x", "outlet": "Outlet", "original": None, "title": "كتائب حزب الله", "url": "https://a.org/x",
             "published": None, "kind": "outlet", "language": "ar"}
    assert '“<bdi lang="ar" dir="rtl" class="tr-native">كتائب حزب الله</bdi>”' in sources.citation_html(entry)
    french = sources.citation_html({**entry, "title": "Roquettes sur Bagdad", "language": "fr"})
    assert '<bdi lang="fr" class="tr-native">Roquettes sur Bagdad</bdi>' in french
    ours = sources.citation_html({**entry, "title": "[An Arabic report on the strikes]"})
    assert "<bdi" not in ours and "[An Arabic report on the strikes]" in ours
    assert "<bdi" not in sources.citation_html({**entry, "title": "Rockets hit Baghdad", "language": "en"})
