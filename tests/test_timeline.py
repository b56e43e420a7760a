"""tightrope.timeline on small hand-made tables whose answers are known by counting."""

import pandas as pd
import pytest

from tightrope import timeline as T


@pytest.fixture
def events():
    return pd.DataFrame({
        "id": ["resign", "accept", "allawi", "kadhimi", "protests"],
        "date": pd.to_datetime(["2019-11-29", "2019-12-01", "2020-02-01", "2020-05-07", "2019-10-01"]),
        "date_precision": ["day", "day", "day", "day", "day"],
        "title": ["PM says he will resign", "Resignation accepted", "Allawi named", "Kadhimi approved",
                  "Protests begin"],
        "description": ["a", "b", "c", "d", "e"],
        "category": pd.Categorical(["iraq-politics"] * 4 + ["protests"]),
    })


@pytest.fixture
def incidents():
    return pd.DataFrame({
        "id": ["i1", "i2"], "date": pd.to_datetime(["2019-12-27", "2019-11-01"]),
        "date_precision": ["day", "month"], "site": pd.array(["k-1", None], dtype="string"),
        "kind": ["indirect fire", "indirect fire"], "notes": ["30+ rockets", None],
    })


def test_events_between_dates_and_categories(events):
    assert list(T.events_between(events, start="2019-12-01")["id"]) == ["accept", "allawi", "kadhimi"]
    assert list(T.events_between(events, categories=["protests"])["id"]) == ["protests"]
    with pytest.raises(ValueError, match="no events of category elections"):
        T.events_between(events, categories=["elections"])


def test_lanes_adds_attacks_with_site_names(events, incidents):
    bases = pd.DataFrame({"id": ["k-1"], "name": ["K-1 Air Base"]})
    items = T.lanes(events, incidents, bases)
    assert len(items) == 7
    attacks = items[items["lane"] == T.ATTACK_LANE]
    assert set(attacks["title"]) == {"Indirect fire: K-1 Air Base", "Indirect fire: unidentified site"}
    assert list(attacks.sort_values("date")["precision"]) == ["month", "day"]


def test_spans_measure_days(events):
    periods = T.spans(events, [("Caretaker", "accept", "kadhimi"), ("Before acceptance", "resign", "accept")])
    assert list(periods["days"]) == [158, 2]
    with pytest.raises(ValueError, match="no event with id 'zurfi'"):
        T.spans(events, [("Zurfi", "zurfi", "kadhimi")])
    with pytest.raises(ValueError, match="ends .* before it starts"):
        T.spans(events, [("Backwards", "kadhimi", "accept")])


def test_timeline_charts_are_finished(events, incidents):
    items = T.lanes(events, incidents)
    chart = T.timeline_chart(items, title="Test")
    assert "Timeline of 7 dated items" in chart.description and "iraq-politics: 4" in chart.description
    interactive = T.interactive_timeline(items)
    spec = interactive.to_dict()
    assert {p["name"] for p in spec["params"]} == {"period", "category", "preset"}  # preset: the period buttons
    periods = T.spans(events, [("Caretaker", "accept", "kadhimi")])
    assert "(158 days)" in T.spans_chart(periods, title="Test").description


REGISTER = pd.DataFrame({
    "id": ["a-2020-01-01", "b-2020-01-02"], "outlet": ["Outlet A", "Outlet B"], "original": [pd.NA, "Reuters"],
    "title": ["Story A", "Story B"], "author": [pd.NA, pd.NA], "published": pd.to_datetime(["2020-01-01", "2020-01-02"]),
    "url": ["https://a.org/x", "https://b.org/y"], "kind": ["outlet", "wire"], "language": ["en", "en"],
    "notes": [pd.NA, pd.NA]})


def test_html_table_escapes_text_but_not_html_columns():
    frame = pd.DataFrame({"Text": ["<b>x</b>"], "Links": ['<a href="u">u</a>'], "Blank": [None]})
    out = T.html_table(frame, caption="Cap & co", html_columns=["Links"])
    assert "<caption>Cap &amp; co</caption>" in out and '<th scope="col">Text</th>' in out
    assert "<tr><td>" in out
    assert '<tr id="C&lt;1&gt;">' in T.html_table(frame, caption="x", row_ids=["C<1>"])
    assert "<td>&lt;b&gt;x&lt;/b&gt;</td>" in out and '<td><a href="u">u</a></td>' in out
    assert "<td></td>" in out


def test_claims_ledger_orders_sections_and_rejects_unknown():
    claims = pd.DataFrame({
        "id": ["C02", "C01"], "section": ["Later", "Opening"], "statement": ["s2", "s1"],
        "status": ["differs", "corroborated"], "finding": ["f2", "f1"], "checked": ["c2", "c1"],
        "sources": ["a-2020-01-01", "b-2020-01-02"],
    })
    ledger = T.claims_ledger(claims, ["Opening", "Later", "Unused"], REGISTER)
    assert list(ledger) == ["Opening", "Later"]
    assert 'Outlet A, <a href="https://a.org/x">“Story A”</a>, 1 January 2020' in ledger["Later"]["Sources"].iloc[0]
    assert list(ledger["Later"]["Claim"]) == ["C02"]
    with pytest.raises(ValueError, match="not in the article's list: Later"):
        T.claims_ledger(claims, ["Opening"], REGISTER)


def test_data_dictionary_reads_schema():
    package = {"resources": [
        {"name": "bases", "path": "bases.csv", "schema": {
            "primaryKey": ["id"],
            "fields": [{"name": "id", "type": "string", "description": "slug",
                        "constraints": {"required": True, "unique": True, "pattern": "[a-z-]+"}},
                       {"name": "lat", "type": "number", "constraints": {"minimum": -90, "maximum": 90}}]}},
        {"name": "incidents", "path": "incidents.csv", "schema": {
            "fields": [{"name": "site", "type": "string", "constraints": {"enum": ["a", "b"]}}],
            "foreignKeys": [{"fields": "site", "reference": {"resource": "bases", "fields": "id"}}]}},
        {"name": "region", "path": "iraq_region.geojson",
         "sources": [{"title": "Natural Earth", "path": "http://ne.example/x"}, {"title": "a wheel"}],
         "licenses": [{"name": "other-pd", "title": "Public domain"}]},
    ]}
    tables = T.data_dictionary(package)
    assert [t["name"] for t in tables] == ["bases", "incidents", "region"]
    assert tables[0]["fields"]["Constraints"].tolist() == ["required; unique; matches [a-z-]+",
                                                           "at least -90; at most 90"]
    assert tables[0]["primary_key"] == "id"
    assert tables[1]["foreign_keys"] == "site → bases.id"
    assert tables[2]["fields"] is None
    assert tables[2]["provenance"] == "Natural Earth (http://ne.example/x); a wheel; Public domain"
    assert tables[0]["provenance"] == ""
    with pytest.raises(ValueError, match="resources"):
        T.data_dictionary({"name": "x"})


def test_lanes_use_readable_category_names():
    events = pd.DataFrame({"id": ["a", "b"], "date": pd.to_datetime(["2019-12-29", "2019-12-31"]),
                           "title": ["Strikes", "Siege"], "category": ["us-strike", "new-kind"]})
    assert list(T.lanes(events)["lane"]) == ["US strike", "new-kind"]


def test_protest_tolls_come_from_the_tallies_table_in_date_order():
    tallies = pd.DataFrame({
        "id": ["t2", "t1", "x"], "as_of": pd.to_datetime(["2020-02-07", "2019-12-20", "2019-12-10"]),
        "count": pd.array([543, 485, 9], dtype="Int64"),
        "what": pd.Categorical(["killed_in_protests", "killed_in_protests", "attacks"]),
        "given_by": ["IHCHR", "IHCHR", "CNN"]})
    tolls = T.protest_tolls(tallies)
    assert list(tolls["killed"]) == [485, 543] and list(tolls["id"]) == ["t1", "t2"]
    assert list(tolls["date"]) == list(pd.to_datetime(["2019-12-20", "2020-02-07"]))
    with pytest.raises(ValueError, match="killed_in_protests"):
        T.protest_tolls(tallies[tallies["id"] == "x"])
    with pytest.raises(ValueError, match="missing column"):
        T.protest_tolls(tallies.drop(columns="what"))


def test_actors_table_links_sources_and_tags_native_names():
    actors = pd.DataFrame({"id": ["kh", "us"], "name": ["Kata'ib Hezbollah", "United States"],
                           "native_name": ["كتائب حزب الله", pd.NA], "native_language": ["ar", pd.NA],
                           "transliteration": ["Kataʾib Hizb Allah", pd.NA], "native_sources": ["b-2020-01-02", pd.NA],
                           "type": ["militia", "state"], "description": ["A <group>", "B"],
                           "sources": ["a-2020-01-01 | b-2020-01-02", "a-2020-01-01"]})
    out = T.actors_table(actors, REGISTER)
    assert "<td>A &lt;group&gt;</td>" in out and '<tr id="actor-kh">' in out
    assert ('<a href="https://a.org/x">“Story A”</a>, 1 January 2020</span>; <span' in out
            and "Reuters, <a" in out and "via Outlet B" in out)
    # the Arabic name is isolated right to left, tagged with its language, its sources cited
    assert ('<td><bdi lang="ar" dir="rtl" class="tr-native">كتائب حزب الله</bdi> <i>Kataʾib Hizb Allah</i></td>'
            in out)
    assert out.count("Name in its own script:") == 1
    us_row = out[out.index('<tr id="actor-us">'):]
    assert "<td>United States</td><td></td>" in us_row
    with pytest.raises(ValueError, match="native_name"):
        T.actors_table(actors.drop(columns="native_name"), REGISTER)


def test_claims_table_keeps_order_and_names_missing_ids():
    claims = pd.DataFrame({"id": ["C01", "C02"], "statement": ["s1", "s2"], "status": ["corroborated", "differs"],
                           "finding": ["f1", "f2"], "sources": ["a-2020-01-01", "b-2020-01-02"],
                           "weakly_sourced": [pd.NA, "One blog."]})
    out = T.claims_table(claims, ["C02", "C01"], REGISTER, caption="Two claims")
    assert out.index(">C02</a>") < out.index(">C01</a>")
    assert '<a href="../appendices/fact-check.html#C02">C02</a>' in out
    assert '<a href="https://b.org/y">“Story B”</a>' in out and "(weakly sourced: One blog.)" in out
    with pytest.raises(ValueError, match="no claim with id C09"):
        T.claims_table(claims, ["C01", "C09"], REGISTER, caption="x")


def test_items_table_shows_month_only_dates_as_months(events, incidents):
    events = events.assign(sources="a-2020-01-01")
    incidents = incidents.assign(sources="b-2020-01-02")
    out = T.items_table(T.lanes(events, incidents), REGISTER, caption="All")
    assert "<td>November 2019</td>" in out and "<td>27 December 2019</td>" in out
    assert '<a href="https://b.org/y">“Story B”</a>' in out
    assert all(f'<tr id="{i}">' in out for i in incidents["id"])
