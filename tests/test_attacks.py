"""tightrope.attacks on small hand-made tables whose answers are known by counting."""

import pandas as pd
import pytest

from tightrope import attacks as A

COUNTS = ["killed_us", "killed_coalition", "killed_contractor", "killed_iraqi",
          "wounded_us", "wounded_coalition", "wounded_contractor", "wounded_iraqi"]


def incident(id, date, site, kind="indirect fire", precision="day", low=None, high=None, **counts):
    row = {"id": id, "date": pd.Timestamp(date), "date_precision": precision, "site": site, "kind": kind,
           "projectiles_low": low, "projectiles_high": high, "notes": None}
    row.update({c: counts.get(c) for c in COUNTS})
    return row


@pytest.fixture
def incidents():
    rows = [
        incident("i1", "2019-10-15", "taji", low=3, high=3, killed_iraqi=0),
        incident("i2", "2019-11-01", "green-zone", precision="month"),
        incident("i3", "2019-11-08", "qayyarah-west", low=17, high=17),
        incident("i4", "2019-12-27", "k-1", low=30, high=31, killed_contractor=1, wounded_us=4, wounded_iraqi=2),
        incident("i5", "2019-12-29", "taji", kind="foiled"),
        incident("i6", "2020-01-08", "ain-al-asad", kind="ballistic missile", low=11, high=22),
        incident("i7", "2019-12-09", "baghdad-airport", low=4, high=4, wounded_iraqi=6),
        incident("i8", "2019-12-05", None, low=2, high=2),
    ]
    frame = pd.DataFrame(rows)
    for c in COUNTS + ["projectiles_low", "projectiles_high"]:
        frame[c] = frame[c].astype("Int64")
    for c in ["date_precision", "kind"]:
        frame[c] = frame[c].astype("category")
    frame["site"] = frame["site"].astype("string")
    return frame


@pytest.fixture
def estimates():
    return pd.DataFrame({
        "id": ["e1", "e2", "e3", "e4", "e5"],
        "subject": ["i4", "i4", "i4", "i7", "i7"],
        "quantity": ["projectiles", "projectiles", "wounded_us", "wounded_iraqi", "wounded_iraqi"],
        "value": pd.array([11, 36, 3, 6, 5], dtype="Int64"),
        "qualifier": ["about", "exactly", "exactly", "exactly", "exactly"],
        "given_by": ["Iraqi officials", "NY Post", "Washington Post", "Iraqi military", "Pompeo"],
    })


@pytest.fixture
def bases():
    return pd.DataFrame({
        "id": ["taji", "green-zone", "qayyarah-west", "k-1", "baghdad-airport", "ain-al-asad"],
        "name": ["Camp Taji", "Green Zone", "Qayyarah West", "K-1", "Baghdad airport", "Ain al-Asad"],
        "province": ["Baghdad", "Baghdad", "Nineveh", "Kirkuk", "Baghdad", "Anbar"],
        "lat": [33.53, None, 35.77, 35.51, 33.26, 33.80],
        "lon": [44.28, None, 43.12, 44.28, 44.23, 42.43],
    })


@pytest.fixture
def attributions():
    return pd.DataFrame({
        "incident_id": ["i4", "i4", "i1", "i3"],
        "actor": ["kataib-hezbollah", "kataib-hezbollah", "usbat-al-thaireen", "islamic-state"],
        "by_whom": ["US Department of Defense", "Kata'ib Hezbollah", "Usbat al-Thaireen", "Nineveh Operations Command"],
        "status": pd.Categorical(["alleged", "denied", "claimed", "alleged"],
                                 categories=["claimed", "alleged", "denied"]),
    })


def test_attacks_keeps_indirect_fire_only(incidents):
    assert list(A.attacks(incidents)["id"]) == ["i1", "i2", "i3", "i8", "i7", "i4"]
    assert list(A.attacks(incidents, kinds=("foiled",))["id"]) == ["i5"]
    assert list(A.attacks(incidents, start="2019-12-01", end="2019-12-27")["id"]) == ["i8", "i7", "i4"]


def test_attacks_per_month_includes_empty_months(incidents):
    months = A.attacks_per_period(incidents, freq="month", start="2019-09-01", end="2020-01-31")
    assert list(months["attacks"]) == [0, 1, 2, 3, 0]
    assert months["period"].iloc[0] == pd.Timestamp("2019-09-01")


def test_attacks_per_week_leaves_out_month_only_dates(incidents):
    weeks = A.attacks_per_period(incidents, freq="week", start="2019-10-01", end="2019-12-31")
    assert weeks.attrs["month_only"] == 1
    assert weeks["attacks"].sum() == 5
    assert weeks.set_index("period").loc[pd.Timestamp("2019-12-23"), "attacks"] == 1  # K-1, a Friday
    assert weeks["period"].dt.day_of_week.eq(0).all()  # weeks start on Monday


def test_attacks_per_period_rejects_unknown_frequency(incidents):
    with pytest.raises(ValueError, match="freq"):
        A.attacks_per_period(incidents, freq="year", start="2019-01-01", end="2019-12-31")


def test_tally_range_counts_month_only_dates_as_possible(incidents):
    assert A.tally_range(incidents, start="2019-10-21", end="2019-12-31") == {"low": 4, "high": 5}
    assert A.tally_range(incidents, start="2019-11-10", end="2019-11-30") == {"low": 0, "high": 1}
    assert A.tally_range(incidents, start="2020-01-01", end="2020-01-31") == {"low": 0, "high": 0}


def tally_table(*rows):
    """A tallies table like data.tallies(): (id, as_of, period_start, period_end, count, qualifier, what)."""
    frame = pd.DataFrame(rows, columns=["id", "as_of", "period_start", "period_end", "count", "qualifier", "what"])
    for c in ["as_of", "period_start", "period_end"]:
        frame[c] = pd.to_datetime(frame[c])
    frame["count"] = frame["count"].astype("Int64")
    frame["qualifier"] = pd.Categorical(frame["qualifier"], categories=list(A.QUALIFIER_BOUNDS))
    frame["what"] = pd.Categorical(frame["what"], categories=["attacks", "killed_us", "killed_in_protests"])
    frame["given_by"] = frame["id"].str.upper()
    return frame


@pytest.fixture
def tallies():
    return tally_table(
        ("state", "2019-12-30", "2019-10-30", "2019-12-30", 11, "exactly", "attacks"),
        ("cnn", "2019-12-10", "2019-11-05", "2019-12-10", 9, "exactly", "attacks"),
        ("wapo", "2020-11-17", None, "2020-11-17", 3, "exactly", "killed_us"),
        ("afp", "2020-06-22", "2019-10-01", "2020-06-22", 36, "nearly", "attacks"),
        ("ihchr", "2019-12-20", "2019-10-01", "2019-12-20", 485, "exactly", "killed_in_protests"))


def test_published_tallies_select_one_kind_in_date_order(tallies):
    counts = A.published_tallies(tallies)
    assert list(counts["id"]) == ["cnn", "state", "afp"]
    assert list(A.published_tallies(tallies, end="2020-03-31")["id"]) == ["cnn", "state"]
    assert list(A.published_tallies(tallies, start="2019-12-15")["id"]) == ["state", "afp"]
    assert list(A.published_tallies(tallies, what="killed_in_protests")["count"]) == [485]


def test_published_tallies_name_what_is_wrong(tallies):
    with pytest.raises(ValueError, match="no kind of count 'rockets'; known: attacks"):
        A.published_tallies(tallies, what="rockets")
    with pytest.raises(ValueError, match="no 'attacks' count"):
        A.published_tallies(tallies, end="2019-01-01")
    with pytest.raises(ValueError, match="missing column.*period_start"):
        A.published_tallies(tallies.drop(columns="period_start"))


def test_add_tally_puts_a_count_in_date_order(tallies):
    counts = A.add_tally(A.published_tallies(tallies, end="2020-03-31"), id="article", as_of="2020-01-02",
                         period_start="2019-10-21", count=11, given_by="The article")
    assert list(counts["id"]) == ["cnn", "state", "article"]
    assert counts.set_index("id").loc["article", "period_end"] == pd.Timestamp("2020-01-02")
    with pytest.raises(ValueError, match="qualifier 'roughly'"):
        A.add_tally(tallies, id="x", as_of="2020-01-02", period_start="2019-10-21", count=1, given_by="x",
                    qualifier="roughly")


def test_tally_comparison_uses_each_period(incidents, tallies):
    counts = A.add_tally(A.published_tallies(tallies, end="2020-03-31"), id="article", as_of="2020-01-02",
                         period_start="2019-10-21", count=11, given_by="The article")
    result = A.tally_comparison(incidents, counts).set_index("id")
    # cnn: 5 Nov-10 Dec holds i3, i8 and i7 for sure, and the month-only November attack i2 perhaps
    assert (result.loc["cnn", "data_low"], result.loc["cnn", "data_high"]) == (3, 4)
    assert (result.loc["article", "data_low"], result.loc["article", "data_high"]) == (4, 5)
    assert list(result["verdict"]) == ["above", "above", "above"]


def test_tally_comparison_reads_the_qualifier(incidents):
    counts = tally_table(
        ("low", "2019-12-31", "2019-10-21", "2019-12-31", 2, "at least", "attacks"),    # data: 4 to 5
        ("more", "2019-12-31", "2019-10-21", "2019-12-31", 5, "more than", "attacks"),  # claims 6 or more
        ("upto", "2019-12-31", "2019-10-21", "2019-12-31", 3, "up to", "attacks"),      # claims 3 or fewer
        ("near", "2019-12-31", "2019-10-21", "2019-12-31", 5, "nearly", "attacks"),
        ("undated", "2019-12-31", None, "2019-12-31", 5, "exactly", "attacks"))
    result = A.tally_comparison(incidents, counts).set_index("id")
    assert result["verdict"].to_dict() == {"low": "within", "more": "above", "upto": "below", "near": "within"}
    assert result.attrs["no_period"] == ["undated"]


def test_range_position_in_words():
    assert A.range_position(11, 8, 11) == "at the top of that range"
    assert A.range_position(8, 8, 11) == "at the bottom of that range"
    assert A.range_position(9, 8, 11) == "inside that range"
    assert A.range_position(12, 8, 11) == "above that range"
    assert A.range_position(7, 8, 11) == "below that range"
    assert A.range_position(8, 8, 8) == "exactly that count"


def test_harm_list_names_places_dates_and_groups(incidents, bases):
    assert A.harm_list(incidents, bases, outcome="killed") == "K-1, 27 December 2019: 1 contractor"
    wounded = A.harm_list(incidents, bases, outcome="wounded")
    assert wounded == ("Baghdad airport, 9 December 2019: 6 Iraqis; "
                       "K-1, 27 December 2019: 4 US service members, 2 Iraqis")
    assert A.harm_list(incidents, bases, outcome="wounded", groups=("coalition",)) == ""
    with pytest.raises(ValueError, match="unknown group"):
        A.harm_list(incidents, bases, groups=("british",))
    assert A.short_name("Green Zone (International Zone), Baghdad") == "Green Zone"


def test_join_words_reads_as_a_list():
    assert A.join_words(["K-1"]) == "K-1"
    assert A.join_words(["Taji", "Balad"]) == "Taji and Balad"
    assert A.join_words(["Taji", "Balad", "K-1"]) == "Taji, Balad and K-1"
    with pytest.raises(ValueError, match="nothing"):
        A.join_words([])


def test_describe_tallies_gives_qualifier_and_range(incidents):
    counts = tally_table(("a", "2020-01-05", "2019-11-05", "2020-01-05", 14, "exactly", "attacks"),
                         ("b", "2020-02-16", "2019-10-01", "2020-02-16", 9, "at least", "attacks"))
    text = A.describe_tallies(A.tally_comparison(incidents, counts))
    assert text == "14 on 5 January 2020 (this data: 4 to 5); at least 9 on 16 February 2020 (this data: 5 to 6)"


def test_claimants_list_who_claimed_what(incidents, attributions):
    actors = pd.DataFrame({"id": ["usbat-al-thaireen", "kataib-hezbollah"],
                           "name": ["Usbat al-Thaireen", "Kata'ib Hezbollah"]})
    assert A.claimants(attributions, incidents, actors) == "Usbat al-Thaireen: 1 attack (15 October 2019)"


def test_projectile_ranges_keep_the_table_range(incidents, estimates):
    ranges = A.projectile_ranges(incidents, estimates).set_index("id")
    assert "i2" not in ranges.index  # no figure reported
    assert (ranges.loc["i4", "low"], ranges.loc["i4", "high"]) == (30, 31)  # estimates do not move it
    assert bool(ranges.loc["i4", "disputed"]) and not bool(ranges.loc["i1", "disputed"])
    assert ranges.loc["i4", "figures"] == "Iraqi officials: about 11; NY Post: exactly 36"
    assert ranges.loc["i1", "figures"] == ""


def test_median_projectiles_in_window(incidents):
    ranges = A.projectile_ranges(incidents)
    assert A.median_projectiles(ranges, end="2019-11-30") == {"low": 10.0, "high": 10.0, "attacks": 2}
    assert A.median_projectiles(ranges, start="2020-02-01")["attacks"] == 0


def test_casualties_by_group_sums_and_ranges(incidents, estimates):
    table = A.casualties_by_group(A.attacks(incidents), estimates).set_index(["outcome", "group"])
    contractors = table.loc[("killed", "Contractors")]
    assert (contractors["reported"], contractors["incidents"]) == (1, 1)
    us = table.loc[("wounded", "US service members")]
    assert (us["reported"], us["low"], us["high"]) == (4, 3, 4)
    iraqi = table.loc[("wounded", "Iraqi forces and civilians")]
    assert (iraqi["reported"], iraqi["low"], iraqi["high"], iraqi["incidents"]) == (8, 7, 8, 2)
    # A reported zero is a figure; a blank is not.
    assert table.loc[("killed", "Iraqi forces and civilians"), "incidents"] == 1
    assert table.loc[("killed", "US service members"), "incidents"] == 0


def test_attacks_by_site_names_and_unidentified(incidents, bases):
    sites = A.attacks_by_site(A.attacks(incidents), bases).set_index("site")
    assert sites["attacks"].sum() == 6
    assert sites.loc["unidentified", "name"] == "Unidentified site"
    assert sites.loc["k-1", "projectiles_high"] == 31
    assert sites.loc["taji", "attacks"] == 1  # the foiled plot is not an attack


def test_attribution_level_takes_the_strongest(incidents, attributions):
    levels = A.attribution_level(A.attacks(incidents), attributions).set_index("id")
    assert levels.loc["i4", "level"] == "alleged"  # accused by the US, denied by KH
    assert levels.loc["i4", "actors"] == "kataib-hezbollah"
    assert levels.loc["i1", "level"] == "claimed"
    assert levels.loc["i7", "level"] == "no public attribution"


def test_attribution_level_notes_rows_for_other_incidents(incidents, attributions):
    extra = pd.concat([attributions, pd.DataFrame({"incident_id": ["zz"], "actor": ["x"],
                                                   "by_whom": ["y"], "status": ["alleged"]})])
    assert A.attribution_level(A.attacks(incidents), extra).attrs["outside"] == ["zz"]


def test_attribution_by_site_counts_each_attack_once(incidents, attributions, bases):
    levels = A.attribution_level(A.attacks(incidents), attributions)
    table = A.attribution_by_site(levels, bases)
    assert table["attacks"].sum() == 6
    k1 = table[table["site"] == "k-1"]
    assert list(k1["level"].astype(str)) == ["alleged"] and k1["name"].iloc[0] == "K-1"


def test_geography_check(incidents, attributions):
    levels = A.attribution_level(A.attacks(incidents), attributions)
    check = A.geography_check(levels, {"kataib-hezbollah": ["k-1", "qayyarah-west"],
                                       "asaib-ahl-al-haq": ["taji"]}).set_index("actor")
    assert check.loc["kataib-hezbollah"].to_dict() == {
        "sites": "k-1, qayyarah-west", "attacks": 2, "attributed_to_actor": 1, "attributed_generally": 0,
        "attributed_to_others": 1, "unattributed": 0}
    assert check.loc["asaib-ahl-al-haq", "attributed_to_others"] == 1
    # An allegation that names only a generic actor is counted apart from one that names another group.
    generic = A.geography_check(levels, {"kataib-hezbollah": ["qayyarah-west"]},
                                generic=("islamic-state",)).iloc[0]
    assert (generic["attributed_generally"], generic["attributed_to_others"]) == (1, 0)


def test_attributions_by_source(attributions):
    table = A.attributions_by_source(attributions)
    assert table["statements"].sum() == 4
    assert set(table["by_whom"]) >= {"Kata'ib Hezbollah", "US Department of Defense"}
    actors = pd.DataFrame({"id": ["Kata'ib Hezbollah"], "name": ["KH (by name)"]})
    named = A.attributions_by_source(attributions, actors)
    assert "KH (by name)" in set(named["by_whom"]) and "US Department of Defense" in set(named["by_whom"])


def test_missing_column_is_named(incidents):
    with pytest.raises(ValueError, match="incidents table is missing column.*kind"):
        A.attacks(incidents.drop(columns="kind"))
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        A.attacks([1, 2])


def test_charts_are_finished_with_computed_descriptions(incidents, estimates, bases, attributions):
    marks = pd.DataFrame({"date": pd.to_datetime(["2019-12-27"]), "label": ["K-1"], "detail": ["contractor killed"]})
    months = A.attacks_per_period(incidents, start="2019-10-01", end="2019-12-31")
    chart = A.attacks_over_time_chart(months, marks)
    assert "6 attacks in all" in chart.description and "K-1 (27 December 2019)" in chart.description

    table = A.casualties_by_group(A.attacks(incidents), estimates)
    assert "wounded US service members: 4 (sources range 3-4)" in A.casualties_chart(table).description

    ranges = A.projectile_ranges(incidents, estimates)
    described = A.projectiles_chart(ranges, bases).description
    assert "largest is K-1 on 27 December 2019: 30 to 31" in described and "1 with a range" in described

    sites = A.attacks_by_site(A.attacks(incidents), bases)
    described = A.bases_map(sites, {"type": "FeatureCollection", "features": []}).description
    assert "K-1: 1" in described and "Not on the map for lack of coordinates" in described
    with pytest.raises(ValueError, match="GeoJSON"):
        A.bases_map(sites, {"type": "Feature"})

    levels = A.attribution_level(A.attacks(incidents), attributions)
    described = A.attribution_chart(A.attribution_by_site(levels, bases)).description
    assert "claimed: 1; alleged: 2; denied: 0; no public attribution: 3" in described

    counts = tally_table(("article", "2020-01-02", "2019-10-21", "2020-01-02", 11, "exactly", "attacks"),
                         ("wapo", "2019-12-09", "2019-10-28", "2019-12-09", 9, "at least", "attacks"))
    described = A.tally_chart(A.tally_comparison(incidents, counts)).description
    assert "ARTICLE, 2 Jan 2020 (21 October 2019 to 2 January 2020): 11 given, 4 to 5 in the data" in described
    assert "WAPO, 9 Dec 2019 (28 October 2019 to 9 December 2019): at least 9 given, 3 to 4 in the data" in described

    sites = sites.assign(zone=["a"] * len(sites))
    described = A.bases_map(sites, {"type": "FeatureCollection", "features": []}, colour="zone").description
    assert "K-1: 1 (a)" in described

    described = A.attribution_sources_chart(A.attributions_by_source(attributions)).description
    assert "Kata'ib Hezbollah: 1 denied" in described


def test_key_dates_read_rows_and_note_the_article(incidents):
    marks = A.key_dates([{"table": "incidents", "row": "i4", "label": "K-1", "article": "28 December"},
                         {"table": "incidents", "row": "i3", "label": "Qayyarah"}], {"incidents": incidents})
    assert list(marks["date"]) == [pd.Timestamp("2019-12-27"), pd.Timestamp("2019-11-08")]
    assert marks["detail"].iloc[0] == "27 December 2019 in the data; the article says 28 December"
    assert marks["detail"].iloc[1] == "8 November 2019 in the data"
    with pytest.raises(ValueError, match="no row 'zz' in incidents"):
        A.key_dates([{"table": "incidents", "row": "zz", "label": "x"}], {"incidents": incidents})


def test_attribution_statements_use_names_and_dates(incidents, attributions, bases):
    actors = pd.DataFrame({"id": ["kataib-hezbollah", "islamic-state"], "name": ["Kata'ib Hezbollah", "Islamic State"]})
    table = A.attribution_statements(attributions, incidents, actors, bases)
    assert list(table["Date"]) == ["15 October 2019", "8 November 2019", "27 December 2019", "27 December 2019"]
    assert table["Site"].iloc[2] == "K-1" and table["Named"].iloc[2] == "Kata'ib Hezbollah"
    assert table["Named"].iloc[0] == "usbat-al-thaireen"  # no name known: the id is kept
