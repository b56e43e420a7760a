"""Load and validate the book's data package (``data/``).

Every table is checked when it is first loaded: the Table Schemas in
``data/datapackage.json`` (types, required fields, enums, keys, ranges) through
Frictionless, then the cross-table rules that a Table Schema cannot express
(see ``_RULES``). Loading returns typed pandas DataFrames:

    from tightrope import data
    incidents = data.incidents()     # or data.load("incidents")
    tallies = data.tallies()         # running counts published at the time
    register = data.sources()        # the source register every row cites by id

Dates are ``datetime64``, counts ``Int64`` (blank = not reported), enum
columns ``category`` (categories in schema order), other text ``str``.
Bad input raises :class:`DataError`, whose message names the file, the row
(as in the CSV: the header is row 1) and the column.

Validation runs once per process for a given folder and file state; later
calls reuse the result, so pages stay fast. Between processes, a package whose
exact bytes (and the rules checking them) passed validation before is not
validated again: a marker named by their fingerprint sits in the user's cache
folder (``$TIGHTROPE_CACHE``, else ``$XDG_CACHE_HOME/tightrope`` or
``~/.cache/tightrope``), never in ``data/``; an edited file has a new
fingerprint, so it is validated again.

When ``$TIGHTROPE_READS`` names a file (the book's build sets it for each page
it executes), the tables loaded are written there with their fingerprints, so
a data edit re-executes only the pages that read the edited table.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import re
import sys
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tightrope import sources as register

DESCRIPTOR = "datapackage.json"
# An installed wheel carries the data inside the package; a checkout keeps it in data/.
_PACKAGED = Path(__file__).resolve().parent / "datapackage"
DATA_DIR = _PACKAGED if (_PACKAGED / DESCRIPTOR).is_file() else Path(__file__).resolve().parent.parent / "data"
REGISTER = "sources"  # the source register; every other table cites its ids
TABLES = (REGISTER, "bases", "incidents", "attributions", "estimates", "events", "actors", "claims", "tallies")
CITING = TABLES[1:]
REGION = "iraq_region.geojson"
SEP = " | "  # separates several ids in one cell
# The incidents are complete only from COMPLETE_FROM to COMPLETE_UNTIL; before and after they are a
# sample (data/README.md, "Coverage and known gaps"), so a zero there means "none found".
COMPLETE_FROM, COMPLETE_UNTIL = "2019-10-01", "2020-03-31"

__all__ = ["DataError", "DATA_DIR", "TABLES", "CITING", "load", "region", "validate", "sources", "bases",
           "incidents", "attributions", "estimates", "events", "actors", "claims", "tallies"]


class DataError(ValueError):
    """The data package is missing, malformed or breaks one of its rules."""


# --------------------------------------------------------------------------- public API

def load(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Return table `name` (one of TABLES) as a validated, typed DataFrame.

    `data_dir` defaults to the project's ``data/`` folder. The whole package is
    validated, because foreign keys link the tables.
    """
    if name not in TABLES:
        raise DataError(f"unknown table {name!r}; expected one of: {', '.join(TABLES)}")
    frame = _package(*_state(data_dir))[name].copy()
    _note_read(name, data_dir)
    return frame


def validate(data_dir: str | Path | None = None) -> None:
    """Check the whole package; raise DataError on the first problem found."""
    _package(*_state(data_dir))


def region(data_dir: str | Path | None = None) -> dict:
    """Return the Iraq-and-neighbours GeoJSON FeatureCollection as a dict."""
    geo = copy.deepcopy(_region(*_state(data_dir, [REGION])))
    _note_read("region", data_dir)
    return geo


def sources(data_dir=None) -> pd.DataFrame:
    """The source register: one row per document cited (outlet, original, title, date, URL, kind)."""
    return load("sources", data_dir)


def bases(data_dir=None) -> pd.DataFrame:
    """Sites attacked or hosting US/coalition personnel (see data/README.md)."""
    return load("bases", data_dir)


def incidents(data_dir=None) -> pd.DataFrame:
    """One row per attack, with projectile range and casualties by group."""
    return load("incidents", data_dir)


def attributions(data_dir=None) -> pd.DataFrame:
    """Who was blamed for each incident, by whom, and whether claimed, alleged or denied."""
    return load("attributions", data_dir)


def estimates(data_dir=None) -> pd.DataFrame:
    """One row per source's figure where sources disagree."""
    return load("estimates", data_dir)


def events(data_dir=None) -> pd.DataFrame:
    """Political and military events around the attacks."""
    return load("events", data_dir)


def actors(data_dir=None) -> pd.DataFrame:
    """Groups, people and institutions named in the article or in attributions."""
    return load("actors", data_dir)


def claims(data_dir=None) -> pd.DataFrame:
    """The article's checkable statements and what reporting says about them."""
    return load("claims", data_dir)


def tallies(data_dir=None) -> pd.DataFrame:
    """Running counts published at the time (attacks, deaths, protest deaths), with their periods."""
    return load("tallies", data_dir)


# --------------------------------------------------------------------------- cache key

def _state(data_dir, names=None) -> tuple:
    """(folder, file fingerprints): the cache key, so an edited file is re-validated."""
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    if not folder.is_dir():
        raise DataError(f"{folder}: data folder not found")
    names = names or [DESCRIPTOR] + [f"{t}.csv" for t in TABLES]
    stamps = []
    for n in names:
        p = folder / n
        if not p.is_file():
            raise DataError(f"{n}: file not found in {folder}")
        st = p.stat()
        stamps.append((n, st.st_mtime_ns, st.st_size))
    return str(folder.resolve()), tuple(stamps)


# --------------------------------------------------------------------------- loading

@lru_cache(maxsize=8)
def _package(folder: str, _stamps: tuple) -> dict[str, pd.DataFrame]:
    folder = Path(folder)
    descriptor = _descriptor(folder)
    # The tables are parsed from the very bytes the fingerprint is taken of.
    raw = {name: (folder / descriptor[name]["path"]).read_bytes() for name in TABLES}
    key = _fingerprint(folder, raw)
    known_good = _validated_before(key)
    if not known_good:
        for name in TABLES:
            _check_header(folder, descriptor[name])
        _check_schemas(folder, descriptor)
    frames = {name: _read(folder, descriptor[name], raw[name]) for name in TABLES}
    if not known_good:
        for rule in _RULES:
            rule(frames)
        # Remembered only if no file changed while it was being checked.
        if _fingerprint(folder, {name: (folder / descriptor[name]["path"]).read_bytes() for name in TABLES}) == key:
            _remember_validated(key)
    return frames


# --------------------------------------------------------------------------- cache between processes

def cache_dir() -> Path:
    """Where validated fingerprints are remembered: $TIGHTROPE_CACHE, else the user's cache folder."""
    if os.environ.get("TIGHTROPE_CACHE"):
        return Path(os.environ["TIGHTROPE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tightrope"


def _fingerprint(folder: Path, raw: dict[str, bytes]) -> str:
    """The package's bytes, the code of its rules and the validator's versions, as one digest."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    parts = [("descriptor", (folder / DESCRIPTOR).read_bytes()), ("data.py", Path(__file__).read_bytes()),
             ("sources.py", Path(register.__file__).read_bytes()),
             ("versions", f"{version('frictionless')} {pd.__version__}".encode())]
    for name, content in parts + sorted(raw.items()):
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _validated_before(key: str) -> bool:
    return (cache_dir() / "validated" / key).is_file()


def _remember_validated(key: str) -> None:
    marker = cache_dir() / "validated" / key
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("validated\n", encoding="utf-8")
    except OSError:  # a read-only or missing cache folder only costs time
        pass


# --------------------------------------------------------------------------- which tables a page reads

_READS: dict[str, str] = {}


def table_digest(name: str, data_dir: str | Path | None = None) -> str:
    """Fingerprint of what a read of table `name` (or "region") depends on: its file and the descriptor."""
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    file = REGION if name == "region" else f"{name}.csv"
    digest = hashlib.sha256()
    for part in (DESCRIPTOR, file):
        path = folder / part
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def code_digest() -> str:
    """Fingerprint of the tightrope package's own files (code and any data shipped with it), less the
    Sphinx extension, which the book's build runs and its pages never import."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix in {".py", ".csv", ".json", ".geojson"} and p.name != "sphinxext.py"):
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _note_read(name: str, data_dir) -> None:
    """Record a table read in $TIGHTROPE_READS (when set); a folder other than DATA_DIR is marked as such."""
    log = os.environ.get("TIGHTROPE_READS")
    if not log:
        return
    folder = Path(data_dir).resolve() if data_dir is not None else DATA_DIR.resolve()
    key = name if folder == DATA_DIR.resolve() else f"{name}@{folder}"
    if key in _READS:
        return
    _READS[key] = table_digest(name, folder)
    try:
        code = "untracked" if "tightrope.sphinxext" in sys.modules else code_digest()
        Path(log).write_text(json.dumps({"code": code, "tables": _READS}, sort_keys=True), encoding="utf-8")
    except OSError:  # no record means the page is re-executed after any data edit
        pass


@lru_cache(maxsize=8)
def _region(folder: str, _stamps: tuple) -> dict:
    try:
        geo = json.loads((Path(folder) / REGION).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DataError(f"{REGION}: not valid JSON ({exc})") from None
    if geo.get("type") != "FeatureCollection" or not geo.get("features"):
        raise DataError(f"{REGION}: expected a GeoJSON FeatureCollection with features")
    for i, feat in enumerate(geo["features"]):
        if "name" not in feat.get("properties", {}) or "geometry" not in feat:
            raise DataError(f"{REGION}: feature {i} lacks a name property or a geometry")
    return geo


def _descriptor(folder: Path) -> dict[str, dict]:
    """Table resources of datapackage.json, by name."""
    try:
        pkg = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DataError(f"{DESCRIPTOR}: not valid JSON ({exc})") from None
    found = {r.get("name"): r for r in pkg.get("resources", [])}
    missing = [t for t in TABLES if t not in found]
    if missing:
        raise DataError(f"{DESCRIPTOR}: no resource for table(s) {', '.join(missing)}")
    return found


def _check_header(folder: Path, resource: dict) -> None:
    """The CSV header must list the schema's columns, in order; name the first difference."""
    file = resource["path"]
    with open(folder / file, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f), [])
    expected = [f["name"] for f in resource["schema"]["fields"]]
    if header == expected:
        return
    for column in expected:
        if column not in header:
            return _header_error(file, column, "column is missing" +
                                 (f" (found {', '.join(repr(h) for h in header if h not in expected)})"
                                  if set(header) - set(expected) else ""))
    for column in header:
        if column not in expected:
            return _header_error(file, column, "column is not in the schema")
    _header_error(file, expected[0], f"columns are out of order; expected {', '.join(expected)}")


def _header_error(file: str, column: str, problem: str):
    raise DataError(f"{file}, row 1 (header), column '{column}': {problem}")


def _check_schemas(folder: Path, descriptor: dict) -> None:
    """Validate with Frictionless; turn its first error into a DataError."""
    # Imported here: frictionless is slow to import and only needed on a cold cache.
    from frictionless import Package

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = Package(str(folder / DESCRIPTOR)).validate()
        except Exception as exc:  # a broken descriptor, reported in our own words
            raise DataError(f"{DESCRIPTOR}: cannot be read as a data package ({exc})") from None
    for task in report.tasks:
        if task.errors:
            raise DataError(_describe(Path(task.place).name or task.name, task.errors[0], descriptor))
    if report.errors:
        raise DataError(f"{DESCRIPTOR}: {report.errors[0].message}")


def _describe(file: str, err, descriptor: dict) -> str:
    """One readable sentence for a Frictionless error: file, row, column, problem."""
    table = Path(file).stem
    schema = descriptor.get(table, {}).get("schema", {})
    row, col, cell = getattr(err, "row_number", None), getattr(err, "field_name", None), getattr(err, "cell", None)
    where = f"{file}, row {row}" if row else file
    if err.type == "foreign-key":
        for fk in schema.get("foreignKeys", []):
            if all(f'"{f}"' in err.note for f in fk["fields"]):
                ref = fk["reference"]
                value = ", ".join(repr(c) for c in re.findall(r'values "([^"]*)"', err.note)) or "value"
                return (f"{where}, column '{', '.join(fk['fields'])}': {value} is not an "
                        f"{ref['fields'][0]} in {ref['resource']}.csv")
        return f"{where}: {err.note}"
    if err.type == "primary-key":
        return f"{where}, column '{', '.join(schema.get('primaryKey', []))}': duplicate key ({err.note})"
    if not col:
        return f"{where}: {err.message}"
    field = next((f for f in schema.get("fields", []) if f["name"] == col), {})
    return f"{where}, column '{col}': {_problem(err, field, cell)}"


def _problem(err, field: dict, cell) -> str:
    """What is wrong with one cell, in words."""
    constraints = field.get("constraints", {})
    if err.type == "type-error":
        return f"{cell!r} is not a valid {field.get('type', 'value')}"
    if err.type == "unique-error":
        return f"{cell!r} is a duplicate ({err.note})"
    if err.type == "constraint-error":
        name = (re.findall(r'constraint "(\w+)"', err.note) or [""])[0]
        if name == "required":
            return "a value is required but the cell is blank"
        if name == "enum":
            return f"{cell!r} is not one of: {', '.join(constraints['enum'])}"
        if name in ("minimum", "maximum"):
            word = "below the minimum" if name == "minimum" else "above the maximum"
            return f"{cell!r} is {word} {constraints[name]}"
        if name == "pattern" and field.get("name") == "sources":
            return f"{cell!r} must be one or more ids of {REGISTER}.csv separated by '{SEP}'"
        if name == "pattern":
            return f"{cell!r} does not match the pattern {constraints['pattern']}"
        if name == "maxLength":
            return f"text is longer than {constraints['maxLength']} characters"
    return f"{cell!r}: {err.note}"


def _read(folder: Path, resource: dict, raw: bytes | None = None) -> pd.DataFrame:
    """Read one validated CSV (or its bytes, `raw`) and give each column the dtype its schema declares."""
    fields = resource["schema"]["fields"]
    df = pd.read_csv(io.BytesIO(raw) if raw is not None else folder / resource["path"], dtype=str,
                     keep_default_na=False, na_values=[""])
    for f in fields:
        name, kind = f["name"], f["type"]
        enum = f.get("constraints", {}).get("enum")
        if kind == "date":
            df[name] = pd.to_datetime(df[name], format="%Y-%m-%d")
        elif kind == "integer":
            df[name] = pd.to_numeric(df[name]).astype("Int64")
        elif kind == "number":
            df[name] = pd.to_numeric(df[name]).astype("Float64")
        elif enum:
            df[name] = pd.Categorical(df[name], categories=enum)
    df.attrs["source_file"] = resource["path"]
    return df


# --------------------------------------------------------------------------- cross-table rules

def _fail(table: str, index, column: str, problem: str):
    # pandas index 0 is CSV row 2 (row 1 is the header)
    raise DataError(f"{table}.csv, row {int(index) + 2}, column '{column}': {problem}")


def _rule_source_ids(frames):
    """Every row of every citing table names one or more register ids, each of which exists."""
    known = set(frames[REGISTER]["id"])
    for name in CITING:
        for i, cell in frames[name]["sources"].items():
            ids = register.ids_in(cell)
            if not ids:
                _fail(name, i, "sources", f"needs one or more ids of {REGISTER}.csv separated by '{SEP}'")
            for source_id in ids:
                if source_id not in known:
                    _fail(name, i, "sources", f"{source_id!r} is not an id in {REGISTER}.csv")


def _rule_weak_rows_flagged(frames):
    """A row with no official, wire, outlet or specialist source is flagged, with the reason, in weakly_sourced.

    An encyclopedia alone is never enough: it leads to sources, it is not one.
    """
    kinds = frames[REGISTER].set_index("id")["kind"].astype("string")
    strong = ", ".join(register.STRONG_KINDS[:-1]) + " or " + register.STRONG_KINDS[-1]
    for name in CITING:
        df = frames[name]
        for i, cell in df["sources"].items():
            found = [kinds[s] for s in register.ids_in(cell)]
            if all(k == "encyclopedia" for k in found):
                _fail(name, i, "sources", "rests on an encyclopedia alone; cite the reports it draws on")
            if not set(found) & set(register.STRONG_KINDS) and pd.isna(df.at[i, "weakly_sourced"]):
                _fail(name, i, "weakly_sourced", f"the row has no source of kind {strong} (only "
                      f"{', '.join(sorted(set(found)))}), so it must be flagged: say why in this column")


def _rule_register_entries(frames):
    """Register links are citable (no bare IP, port or blocked host); an undated entry says why; every entry is cited."""
    df = frames[REGISTER]
    cited = {s for name in CITING for column in ("sources", "native_sources") if column in frames[name]
             for cell in frames[name][column] for s in register.ids_in(cell)}
    for i in df.index:
        problem = register.link_problem(df.at[i, "url"])
        if problem:
            _fail(REGISTER, i, "url", f"{df.at[i, 'url']!r} {problem}")
        if pd.isna(df.at[i, "published"]) and pd.isna(df.at[i, "notes"]):
            _fail(REGISTER, i, "published", "the date is blank, so notes must say why")
        if df.at[i, "id"] not in cited:
            _fail(REGISTER, i, "id", f"{df.at[i, 'id']!r} is cited by no row of any table; cite it or remove it")


NATIVE_COLUMNS = ("native_name", "native_language", "transliteration", "native_sources")


def _rule_native_names(frames):
    """A name in Arabic script comes with its language, a transliteration and sources in that language."""
    languages = frames[REGISTER].set_index("id")["language"].astype("string")
    for name in CITING:
        df = frames[name]
        if "native_name" not in df:
            continue
        for i in df.index:
            given = [c for c in NATIVE_COLUMNS if pd.notna(df.at[i, c])]
            if not given:
                continue
            for column in NATIVE_COLUMNS:
                if column not in given:
                    _fail(name, i, column, f"is blank, but {given[0]} is filled: a native-script name needs "
                          f"all of {', '.join(NATIVE_COLUMNS)}")
            written = str(df.at[i, "native_name"])
            if not register.ARABIC_SCRIPT.search(written) or re.search(r"[A-Za-z]", written):
                _fail(name, i, "native_name", f"{written!r} should be written in Arabic script only")
            language = str(df.at[i, "native_language"])
            for source_id in register.ids_in(df.at[i, "native_sources"]):
                if source_id not in languages:
                    _fail(name, i, "native_sources", f"{source_id!r} is not an id in {REGISTER}.csv")
                if languages[source_id] != language:
                    _fail(name, i, "native_sources", f"{source_id!r} is in {languages[source_id]!r}, not "
                          f"{language!r}: cite a source that writes the name in its own language")


def _rule_projectile_range(frames):
    """projectiles_low <= projectiles_high."""
    df = frames["incidents"]
    bad = df["projectiles_low"].notna() & df["projectiles_high"].notna() & (df["projectiles_low"] > df["projectiles_high"])
    for i in df.index[bad]:
        _fail("incidents", i, "projectiles_low",
              f"{df.at[i, 'projectiles_low']} is more than projectiles_high {df.at[i, 'projectiles_high']}")


def _rule_month_precision(frames):
    """A month-only date is stored as the 1st of the month."""
    for name in ("incidents", "events"):
        df = frames[name]
        bad = (df["date_precision"] == "month") & (df["date"].dt.day != 1)
        for i in df.index[bad]:
            _fail(name, i, "date", f"date_precision is 'month', so the date must be the 1st, got {df.at[i, 'date'].date()}")


def _rule_unique_subject_ids(frames):
    """Incident, event and tally ids never collide, so a subject or a claim's link is unambiguous."""
    for name, other in (("events", "incidents"), ("tallies", "incidents"), ("tallies", "events")):
        df = frames[name]
        shared = set(df["id"]) & set(frames[other]["id"])
        if shared:
            i = df.index[df["id"].isin(shared)][0]
            _fail(name, i, "id", f"{df.at[i, 'id']!r} is also an id in {other}.csv")


def _rule_estimate_subjects(frames):
    """estimates.subject is an incident id or an event id."""
    known = set(frames["incidents"]["id"]) | set(frames["events"]["id"])
    df = frames["estimates"]
    for i, subject in df["subject"].items():
        if subject not in known:
            _fail("estimates", i, "subject", f"{subject!r} is neither an incident id nor an event id")


def _rule_claim_links(frames):
    """Every id in claims.related exists in incidents, events or tallies."""
    known = set(frames["incidents"]["id"]) | set(frames["events"]["id"]) | set(frames["tallies"]["id"])
    df = frames["claims"]
    for i, cell in df["related"].dropna().items():
        for ref in str(cell).split(SEP):
            if ref.strip() not in known:
                _fail("claims", i, "related", f"{ref.strip()!r} is not an incident, event or tally id")


def _rule_estimates_in_range(frames):
    """A projectile estimate lies within its incident's projectiles_low..projectiles_high."""
    inc = frames["incidents"].set_index("id")
    df = frames["estimates"]
    for i in df.index[(df["quantity"] == "projectiles") & df["subject"].isin(inc.index)]:
        subject, value = df.at[i, "subject"], df.at[i, "value"]
        low, high = inc.at[subject, "projectiles_low"], inc.at[subject, "projectiles_high"]
        if (pd.notna(low) and value < low) or (pd.notna(high) and value > high):
            _fail("estimates", i, "value", f"{value} lies outside the range {low}..{high} of incident {subject!r}")


def _rule_coordinates_paired(frames):
    """A base has both lat and lon, or neither."""
    df = frames["bases"]
    for i in df.index[df["lat"].isna() != df["lon"].isna()]:
        _fail("bases", i, "lat", "lat and lon must both be given or both be blank")


def _rule_tally_periods(frames):
    """A tally's period runs forwards and ends no later than the day the count was given."""
    df = frames["tallies"]
    for i in df.index:
        start, end, as_of = df.at[i, "period_start"], df.at[i, "period_end"], df.at[i, "as_of"]
        if pd.notna(start) and pd.notna(end) and start > end:
            _fail("tallies", i, "period_start", f"{start.date()} is after period_end {end.date()}")
        for column, day in (("period_start", start), ("period_end", end)):
            if pd.notna(day) and day > as_of:
                _fail("tallies", i, column, f"{day.date()} is after as_of {as_of.date()}: a count cannot cover "
                                            "days after it was given")


_RULES = (_rule_source_ids, _rule_weak_rows_flagged, _rule_register_entries, _rule_native_names,
          _rule_projectile_range, _rule_month_precision, _rule_unique_subject_ids,
          _rule_estimate_subjects, _rule_claim_links, _rule_estimates_in_range, _rule_coordinates_paired,
          _rule_tally_periods)
