"""Tests for tightrope.data: the real package, and one broken copy per kind of bad input."""
import csv
import shutil
import time

import pandas as pd
import pytest

from tightrope import data

SEP = " | "


# --------------------------------------------------------------------------- helpers

def raw(name, folder=data.DATA_DIR):
    """A table as plain strings, read without our loader (an independent check)."""
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def copy_dir(tmp_path):
    """A fresh copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, target)
    return target


def edit(folder, name, change):
    """Apply change(rows) to a CSV, where rows[0] is the header (CSV row 1)."""
    path = folder / f"{name}.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(rows, row_number, column, value):
    rows[row_number - 1][rows[0].index(column)] = value


def row_of(rows, column, value):
    """CSV row number (header = 1) of the first row whose `column` equals `value`."""
    col = rows[0].index(column)
    return next(n for n, r in enumerate(rows, 1) if n > 1 and r[col] == value)


def expect_error(folder, table, *parts):
    with pytest.raises(data.DataError) as info:
        data.load(table, data_dir=folder)
    message = str(info.value)
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    assert "Traceback" not in message
    return message


# --------------------------------------------------------------------------- the real package

@pytest.mark.parametrize("name", data.TABLES)
def test_real_tables_load(name):
    df = data.load(name)
    assert len(df) > 0
    assert list(df.columns) == list(raw(name)[0].keys())


def test_real_package_validates_with_frictionless_alone():
    from frictionless import Package
    report = Package(str(data.DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_dtypes_follow_the_contract():
    inc = data.incidents()
    assert pd.api.types.is_datetime64_any_dtype(inc["date"])
    for col in ["projectiles_low", "projectiles_high", "killed_us", "killed_coalition", "killed_contractor",
                "killed_iraqi", "wounded_us", "wounded_coalition", "wounded_contractor", "wounded_iraqi"]:
        assert inc[col].dtype == "Int64", col
    for col in ["date_precision", "kind", "weapon", "province"]:
        assert isinstance(inc[col].dtype, pd.CategoricalDtype), col
    assert set(inc["kind"].cat.categories) == {"indirect fire", "ballistic missile", "drone", "foiled", "convoy attack"}
    assert data.estimates()["value"].dtype == "Int64"
    assert isinstance(data.attributions()["status"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_datetime64_any_dtype(data.events()["date"])
    assert data.bases()["lat"].dtype == "Float64"
    tallies = data.tallies()
    for col in ["as_of", "period_start", "period_end"]:
        assert pd.api.types.is_datetime64_any_dtype(tallies[col]), col
    assert tallies["count"].dtype == "Int64"
    assert isinstance(tallies["qualifier"].dtype, pd.CategoricalDtype)
    assert "killed_in_protests" in set(tallies["what"].cat.categories)


@pytest.mark.parametrize("name", data.CITING)
def test_every_row_cites_register_ids(name):
    register = {r["id"] for r in raw("sources")}
    for n, row in enumerate(raw(name), 2):
        ids = [i.strip() for i in row["sources"].split(SEP) if i.strip()]
        assert ids and set(ids) <= register, f"{name}.csv row {n}: {set(ids) - register}"


def test_foreign_keys_hold():
    base_ids = {r["id"] for r in raw("bases")}
    incident_ids = {r["id"] for r in raw("incidents")}
    actor_ids = {r["id"] for r in raw("actors")}
    event_ids = {r["id"] for r in raw("events")}
    assert {r["site"] for r in raw("incidents")} <= base_ids
    for r in raw("attributions"):
        assert r["incident_id"] in incident_ids
        assert r["actor"] in actor_ids and r["by_whom"] in actor_ids
    tally_ids = {r["id"] for r in raw("tallies")}
    assert {r["subject"] for r in raw("estimates")} <= incident_ids | event_ids
    for r in raw("claims"):
        for ref in filter(None, r["related"].split(SEP)):
            assert ref in incident_ids | event_ids | tally_ids, (r["id"], ref)
    assert not tally_ids & (incident_ids | event_ids)


def test_tally_periods_end_by_the_day_the_count_was_given():
    # read as text, independently of the loader's own rule
    for n, r in enumerate(raw("tallies"), 2):
        start, end, as_of = r["period_start"], r["period_end"], r["as_of"]
        assert not end or end <= as_of, f"tallies.csv row {n}"
        assert not (start and end) or start <= end, f"tallies.csv row {n}"


def test_published_counts_are_data_not_prose():
    tallies = data.tallies().set_index("id")
    # the counts the book compares with its own data, as the outlets gave them
    assert tallies.loc["2019-12-10-cnn", "count"] == 9
    assert tallies.loc["2019-12-30-state-department", "count"] == 11
    assert tallies.loc["2019-12-09-washington-post", "qualifier"] == "at least"
    # protest tolls moved here from the events table: none left as event titles
    protests = tallies[tallies["what"] == "killed_in_protests"].sort_values("as_of")
    assert len(protests) >= 3 and protests["count"].is_monotonic_increasing
    assert not data.events()["title"].str.contains("Protest toll").any()


def test_k1_estimates_are_all_kept():
    est = data.estimates()
    k1 = est[(est["subject"] == "2019-12-27-k-1") & (est["quantity"] == "projectiles")]
    # the US counts (30 or more, 31) and the Iraqi count on the night (2) are all kept
    assert {30, 31, 2} <= set(k1["value"])
    inc = data.incidents().set_index("id").loc["2019-12-27-k-1"]
    assert inc["projectiles_low"] == k1["value"].min() and inc["projectiles_high"] == k1["value"].max()


def test_us_strikes_are_events_not_incidents():
    inc = data.incidents()
    assert not ((inc["date"] == "2020-01-03")).any(), "the 3 Jan drone strike is an event"
    assert {"2019-12-29-us-strikes-kh", "2020-01-03-soleimani-killed"} <= set(data.events()["id"])


def test_claims_are_numbered_from_c01_without_gaps():
    ids = list(data.claims()["id"])
    assert len(ids) >= 54 and ids == [f"C{n:02d}" for n in range(1, len(ids) + 1)]


def test_region_is_iraq_and_neighbours():
    geo = data.region()
    names = {f["properties"]["name"] for f in geo["features"]}
    assert "Iraq" in names and len(names) == 7


def test_loads_are_cached_and_return_copies():
    data.incidents()
    start = time.perf_counter()
    df = data.incidents()
    assert time.perf_counter() - start < 0.05
    df.loc[:, "notes"] = "changed"
    assert (data.incidents()["notes"] != "changed").any()


def test_edited_file_is_validated_again(copy_dir):
    data.load("incidents", data_dir=copy_dir)
    edit(copy_dir, "incidents", lambda rows: set_cell(rows, 2, "killed_us", "-1"))
    expect_error(copy_dir, "incidents", "incidents.csv", "row 2", "killed_us")


# --------------------------------------------------------------------------- broken copies

def test_missing_file(copy_dir):
    (copy_dir / "incidents.csv").unlink()
    expect_error(copy_dir, "incidents", "incidents.csv", "not found")


def test_missing_descriptor(copy_dir):
    (copy_dir / "datapackage.json").unlink()
    expect_error(copy_dir, "bases", "datapackage.json", "not found")


def test_unknown_table_name():
    with pytest.raises(data.DataError, match="unknown table"):
        data.load("rockets")


def test_row_without_a_source(copy_dir):
    edit(copy_dir, "incidents", lambda rows: set_cell(rows, 3, "sources", ""))
    expect_error(copy_dir, "incidents", "incidents.csv", "row 3", "sources")


def test_source_that_is_a_url_not_an_id(copy_dir):
    edit(copy_dir, "events", lambda rows: set_cell(rows, 4, "sources", "https://example.org/story"))
    expect_error(copy_dir, "events", "events.csv", "row 4", "sources", "ids of sources.csv")


def test_unknown_base(copy_dir):
    edit(copy_dir, "incidents", lambda rows: set_cell(rows, 5, "site", "atlantis"))
    expect_error(copy_dir, "incidents", "incidents.csv", "row 5", "site")


def test_impossible_date(copy_dir):
    edit(copy_dir, "incidents", lambda rows: set_cell(rows, 6, "date", "2019-02-30"))
    expect_error(copy_dir, "incidents", "incidents.csv", "row 6", "date", "2019-02-30")


def test_date_out_of_range(copy_dir):
    edit(copy_dir, "events", lambda rows: set_cell(rows, 2, "date", "2016-12-31"))
    expect_error(copy_dir, "events", "events.csv", "row 2", "date")


def test_negative_count(copy_dir):
    edit(copy_dir, "incidents", lambda rows: set_cell(rows, 7, "wounded_iraqi", "-3"))
    expect_error(copy_dir, "incidents", "incidents.csv", "row 7", "wounded_iraqi")


def test_non_integer_count(copy_dir):
    edit(copy_dir, "incidents", lambda rows: set_cell(rows, 8, "killed_us", "two"))
    expect_error(copy_dir, "incidents", "incidents.csv", "row 8", "killed_us", "two")


def test_fractional_count(copy_dir):
    edit(copy_dir, "estimates", lambda rows: set_cell(rows, 2, "value", "2.5"))
    expect_error(copy_dir, "estimates", "estimates.csv", "row 2", "value")


def test_duplicate_id(copy_dir):
    def duplicate(rows):
        set_cell(rows, 10, "id", rows[8][0])  # row 10 takes row 9's id (rows[8] is CSV row 9)
    edit(copy_dir, "incidents", duplicate)
    expect_error(copy_dir, "incidents", "incidents.csv", "row 10", "id")


def test_renamed_column(copy_dir):
    def rename(rows):
        rows[0][rows[0].index("killed_us")] = "killed_usa"
    edit(copy_dir, "incidents", rename)
    expect_error(copy_dir, "incidents", "incidents.csv", "row 1", "killed_us", "killed_usa")


def test_missing_column(copy_dir):
    def drop(rows):
        col = rows[0].index("weapon")
        for r in rows:
            del r[col]
    edit(copy_dir, "incidents", drop)
    expect_error(copy_dir, "incidents", "incidents.csv", "row 1", "weapon")


def test_value_outside_enum(copy_dir):
    edit(copy_dir, "attributions", lambda rows: set_cell(rows, 2, "status", "suspected"))
    expect_error(copy_dir, "attributions", "attributions.csv", "row 2", "status", "suspected")


def test_attribution_to_unknown_actor(copy_dir):
    edit(copy_dir, "attributions", lambda rows: set_cell(rows, 3, "actor", "spectre"))
    expect_error(copy_dir, "attributions", "attributions.csv", "row 3", "actor")


def test_attribution_to_unknown_incident(copy_dir):
    edit(copy_dir, "attributions", lambda rows: set_cell(rows, 2, "incident_id", "2019-13-01-nowhere"))
    expect_error(copy_dir, "attributions", "attributions.csv", "row 2", "incident_id")


def test_latitude_outside_iraq(copy_dir):
    edit(copy_dir, "bases", lambda rows: set_cell(rows, 2, "lat", "51.5"))
    expect_error(copy_dir, "bases", "bases.csv", "row 2", "lat")


def test_low_above_high(copy_dir):
    def swap(rows):
        n = row_of(rows, "id", "2019-12-27-k-1")
        set_cell(rows, n, "projectiles_low", "40")
    edit(copy_dir, "incidents", swap)
    # the schema accepts 40; our rule must catch low > high
    expect_error(copy_dir, "incidents", "incidents.csv", "projectiles_low", "more than projectiles_high")


def test_month_precision_needs_day_one(copy_dir):
    def shift(rows):
        n = row_of(rows, "date_precision", "month")
        date = rows[n - 1][rows[0].index("date")]
        set_cell(rows, n, "date", date[:8] + "15")
        shift.n = n
    edit(copy_dir, "incidents", shift)
    expect_error(copy_dir, "incidents", "incidents.csv", f"row {shift.n}", "date", "1st")


def test_estimate_subject_must_exist(copy_dir):
    edit(copy_dir, "estimates", lambda rows: set_cell(rows, 4, "subject", "2019-12-28-k-1"))
    expect_error(copy_dir, "estimates", "estimates.csv", "row 4", "subject", "2019-12-28-k-1")


def test_estimate_outside_incident_range(copy_dir):
    def inflate(rows):
        n = next(i for i, r in enumerate(rows, 1)
                 if i > 1 and r[rows[0].index("quantity")] == "projectiles"
                 and r[rows[0].index("subject")] == "2019-12-27-k-1")
        set_cell(rows, n, "value", "90")
        inflate.n = n
    edit(copy_dir, "estimates", inflate)
    expect_error(copy_dir, "estimates", "estimates.csv", f"row {inflate.n}", "value", "outside the range")


def test_claim_related_must_exist(copy_dir):
    edit(copy_dir, "claims", lambda rows: set_cell(rows, 2, "related", "2019-12-29-us-strikes-kh | no-such-thing"))
    expect_error(copy_dir, "claims", "claims.csv", "row 2", "related", "no-such-thing")


def test_half_a_coordinate(copy_dir):
    def blank_lon(rows):
        set_cell(rows, 2, "lon", "")
    edit(copy_dir, "bases", blank_lon)
    expect_error(copy_dir, "bases", "bases.csv", "row 2", "lat")


def test_broken_geojson(copy_dir):
    (copy_dir / "iraq_region.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(data.DataError, match="iraq_region.geojson"):
        data.region(data_dir=copy_dir)


# --------------------------------------------------------------------------- broken tallies

def test_tally_period_after_it_was_given(copy_dir):
    def late(rows):
        n = row_of(rows, "id", "2019-12-10-cnn")
        set_cell(rows, n, "period_end", "2019-12-31")
        late.n = n
    edit(copy_dir, "tallies", late)
    expect_error(copy_dir, "tallies", "tallies.csv", f"row {late.n}", "period_end", "after as_of")


def test_tally_period_backwards(copy_dir):
    def backwards(rows):
        n = row_of(rows, "id", "2020-01-05-afp")
        set_cell(rows, n, "period_start", "2020-01-04")
        set_cell(rows, n, "period_end", "2019-12-01")
        backwards.n = n
    edit(copy_dir, "tallies", backwards)
    expect_error(copy_dir, "tallies", "tallies.csv", f"row {backwards.n}", "period_start", "after period_end")


def test_tally_qualifier_outside_enum(copy_dir):
    edit(copy_dir, "tallies", lambda rows: set_cell(rows, 2, "qualifier", "roughly"))
    expect_error(copy_dir, "tallies", "tallies.csv", "row 2", "qualifier", "roughly")


def test_tally_count_in_words(copy_dir):
    edit(copy_dir, "tallies", lambda rows: set_cell(rows, 3, "count", "nine"))
    expect_error(copy_dir, "tallies", "tallies.csv", "row 3", "count", "nine")


def test_tally_without_a_date(copy_dir):
    edit(copy_dir, "tallies", lambda rows: set_cell(rows, 4, "as_of", ""))
    expect_error(copy_dir, "tallies", "tallies.csv", "row 4", "as_of", "blank")


def test_tally_id_that_is_also_an_event(copy_dir):
    edit(copy_dir, "tallies", lambda rows: set_cell(rows, 2, "id", "2019-12-30-state-briefing"))
    expect_error(copy_dir, "tallies", "tallies.csv", "row 2", "id", "also an id in events.csv")


# --------------------------------------------------------------------------- names in Arabic script

def _native(rows, **cells):
    values = {"native_name": "كتائب حزب الله", "native_language": "ar",
              "transliteration": "Kataʾib Hizb Allah", "native_sources": "rt-arabic-undated", **cells}
    for column, value in values.items():
        set_cell(rows, 2, column, value)


def test_a_native_name_with_its_language_and_sources_loads(copy_dir):
    edit(copy_dir, "actors", _native)
    actors = data.load("actors", data_dir=copy_dir)
    assert actors.loc[0, "native_name"] == "كتائب حزب الله"


@pytest.mark.parametrize("cells, column, words", [
    ({"transliteration": ""}, "transliteration", "needs all of"),
    ({"native_language": ""}, "native_language", "needs all of"),
    ({"native_name": "Kataib Hezbollah"}, "native_name", "Arabic script"),
    ({"native_sources": "afp-2019-12-09"}, "native_sources", "in 'en', not 'ar'"),
    ({"native_sources": "no-such-source"}, "native_sources", "not an id"),
])
def test_a_native_name_without_its_parts_is_refused(copy_dir, cells, column, words):
    edit(copy_dir, "actors", lambda rows: _native(rows, **cells))
    expect_error(copy_dir, "actors", "actors.csv", "row 2", column, words)


# Actors from outside Iraq and Iran, and generic descriptions, have no name in Arabic script.
NO_NATIVE_NAME = {"united-states", "coalition", "donald-trump", "israel", "mike-pompeo", "mark-esper",
                  "kenneth-mckenzie", "matthew-tueller", "iran-backed-militias", "iraqi-security-officials"}


def test_every_iraqi_and_iranian_actor_and_place_has_its_own_script_name():
    actors = data.actors()
    missing = set(actors.loc[actors["native_name"].isna(), "id"]) - NO_NATIVE_NAME
    assert not missing, f"actors without a native-script name: {sorted(missing)}"
    assert NO_NATIVE_NAME <= set(actors["id"])  # the exceptions are real rows
    bases = data.bases()
    # Union III: no Arabic spelling found in a citable source; the other two rows are not places
    assert set(bases.loc[bases["native_name"].isna(), "id"]) <= {"union-iii", "unidentified-base", "roads"}
    persian = actors.loc[actors["native_language"] == "fa", "id"]
    assert {"iran", "irgc-qods-force", "esmail-qaani"} <= set(persian)


def test_the_people_the_book_discusses_are_in_the_actors_table():
    wanted = {"hadi-al-amiri", "badr-organization", "falih-al-fayyadh", "abu-zainab-al-lami", "saraya-al-salam",
              "mohammed-al-halbousi", "esmail-qaani", "mike-pompeo", "mark-esper", "kenneth-mckenzie",
              "matthew-tueller", "mohammed-tawfiq-allawi", "adnan-al-zurfi"}
    assert wanted <= set(data.actors()["id"]), wanted - set(data.actors()["id"])
