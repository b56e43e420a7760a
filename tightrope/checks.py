"""Answer checks for the exercise notebooks, one set per notebook.

In a notebook::

    from tightrope.checks import escalation as check
    check.q1(attacks_per_month)

A right answer prints one line that starts with a tick. Anything else raises
:class:`NotYet` (an ``AssertionError``) whose message is a hint: it names what
looks wrong and where to look, without giving the answer away. Two kinds of
``NotYet`` say the answer is not there at all, so the message is plain:
:class:`NoAnswer` (still ``None`` or the ``...`` placeholder) and
:class:`WrongKind` (a list where a DataFrame was expected, and so on).

Expected values are computed from the data package (:mod:`tightrope.data`)
each time a check runs, so the checks follow the data when a row is corrected.
Only the argument questions, whose answers are choices among options, have
fixed keys.

In IPython and Jupyter, importing this module makes these exceptions display
as one line (``NotYet: q1: ...``) instead of a traceback.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Callable, Iterable

import pandas as pd

from tightrope import attacks, data


class NotYet(AssertionError):
    """The answer is not right yet; the message is the hint."""


class NoAnswer(NotYet):
    """There is no answer yet: the variable is still ``None`` or ``...``."""


class WrongKind(NotYet):
    """The answer is the wrong kind of object (type, columns, shape)."""


TICK = "✓"
SETS: dict[str, "CheckSet"] = {}  # notebook stem -> its checks


# --- The check sets ------------------------------------------------------------

class CheckSet:
    """The checks of one exercise notebook; ``check.q1(answer)`` runs question 1."""

    def __init__(self, notebook: str, title: str):
        self.notebook = notebook  # file stem, e.g. "02-escalation"
        self.title = title
        self.questions: dict[str, Callable] = {}
        SETS[notebook] = self

    def question(self, name: str, expects: str):
        """Register a check. ``expects`` describes the answer, for the plain messages.

        The decorated function receives the answer (never None or ``...``),
        raises :class:`NotYet` with a hint when it is wrong, and returns the
        confirmation shown when it is right.
        """
        def register(func):
            @functools.wraps(func)
            def check(answer=None):
                __tracebackhide__ = True  # pytest: show the message, not this frame
                if answer is None or answer is Ellipsis:
                    got = "None" if answer is None else "... (the placeholder)"
                    raise NoAnswer(f"{name}: no answer yet: expected {expects}, got {got}.")
                try:
                    confirmation = func(answer)
                except NotYet as problem:
                    raise type(problem)(f"{name}: {problem}") from None
                except Exception as problem:  # an odd answer tripped the comparison
                    raise WrongKind(f"{name}: could not check this answer "
                                    f"({type(problem).__name__}: {problem}); expected {expects}.") from None
                print(f"{TICK} {name}: correct. {confirmation}".rstrip())
            check.expects = expects
            self.questions[name] = check
            setattr(self, name, check)
            return check
        return register

    def __repr__(self) -> str:
        return f"<checks for {self.notebook}: {', '.join(self.questions)}>"


# --- Reading the answer: plain messages when it is the wrong kind -------------

def _kind(value) -> str:
    """A short, student-readable name for what was given."""
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame with columns {list(value.columns)}"
    if isinstance(value, pd.Series):
        return f"a Series named {value.name!r}" if value.name is not None else "a Series"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{type(value).__name__} {value!r}" if _is_scalar(value) else type(value).__name__


def _is_scalar(value) -> bool:
    return isinstance(value, (numbers.Number, str, bool)) or value is None


def _one_value(answer, expects: str) -> None:
    """WrongKind with the way out when the answer is a Series or DataFrame holding one value."""
    if isinstance(answer, (pd.Series, pd.DataFrame)) and answer.size == 1:
        raise WrongKind(f"expected {expects}, got {_kind(answer)} holding one value: "
                        "take the value out of it (e.g. with .item() or .iloc[0]).")


def _must_be_number(answer, expects: str) -> None:
    """WrongKind unless the answer is a single number (not a bool, not a one-cell table)."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Number):
        _one_value(answer, expects)
        raise WrongKind(f"expected {expects}, got {_kind(answer)}.")
    if pd.isna(answer) or math.isinf(float(answer)):
        raise WrongKind(f"expected {expects}, got {answer!r}.")


def whole_number(answer, expects: str) -> int:
    """The answer as an int, or WrongKind naming what was expected."""
    _must_be_number(answer, expects)
    if float(answer) != int(answer):
        raise WrongKind(f"expected {expects} (a whole number), got {answer!r}.")
    return int(answer)


def number(answer, expects: str) -> float:
    """The answer as a float, or WrongKind naming what was expected."""
    _must_be_number(answer, expects)
    return float(answer)


def frame(answer, columns: Iterable[str], expects: str) -> pd.DataFrame:
    """The answer as a DataFrame with (at least) these columns, or WrongKind."""
    columns = list(columns)
    if isinstance(answer, pd.Series):
        raise WrongKind(f"expected {expects}: a DataFrame with columns {columns}, got {_kind(answer)}; "
                        "a Series becomes a DataFrame with .reset_index() or .to_frame().")
    if not isinstance(answer, pd.DataFrame):
        raise WrongKind(f"expected {expects}: a DataFrame with columns {columns}, got {_kind(answer)}.")
    missing = [c for c in columns if c not in answer.columns]
    if missing:
        hint = ""
        if set(missing) & set(answer.index.names):
            hint = " (some are in the index: .reset_index() turns them into columns)"
        raise WrongKind(f"expected {expects}: a DataFrame with columns {columns}; "
                        f"missing {missing}{hint}, got columns {list(answer.columns)}.")
    return answer


def choice(answer, options: dict[str, str]) -> str:
    """The answer as one option letter (case and spaces ignored), or WrongKind."""
    letters = ", ".join(repr(k) for k in options)
    if not isinstance(answer, str):
        raise WrongKind(f"expected one of the letters {letters} as a string, got {_kind(answer)}.")
    letter = answer.strip().upper()
    if letter not in options:
        raise WrongKind(f"expected one of the letters {letters}, got {answer!r}.")
    return letter


def chart_spec(answer) -> dict:
    """The Vega-Lite spec of an Altair chart (or of a chart the grader read back as data), or WrongKind."""
    import altair as alt

    from tightrope.answers import ExportedChart
    if isinstance(answer, ExportedChart):
        return dict(answer)
    if not isinstance(answer, alt.TopLevelMixin):
        raise WrongKind(f"expected an Altair chart (alt.Chart(...)...), got {_kind(answer)}.")
    try:
        return answer.to_dict()
    except Exception as problem:  # an invalid spec: say why, in one line
        first = str(problem).strip().splitlines()[0] if str(problem).strip() else type(problem).__name__
        raise WrongKind(f"the chart is not a valid Vega-Lite spec yet: {first}") from None


# --- Comparing: hints for the mistakes people actually make ---------------------

def diagnose(value, expected, mistakes: Iterable[tuple[object, str]], otherwise: str,
             *, close: Callable[[object, object], bool] | None = None) -> None:
    """Raise NotYet unless ``value`` matches ``expected``.

    ``mistakes`` pairs the result of a known wrong method with the hint that
    explains it; every pair whose value matches gives its hint, so a value
    that several mistakes give names each of them (a mistake that happens to
    give the right value is skipped). ``otherwise`` is the hint for anything else.
    """
    same = close or (lambda a, b: a == b)
    if same(value, expected):
        return
    hints = list(dict.fromkeys(hint for wrong, hint in mistakes  # each hint once, in order
                               if wrong is not None and not same(wrong, expected) and same(value, wrong)))
    if len(hints) > 1:
        raise NotYet("this could come from more than one mistake: "
                     + " ".join(f"({n}) {hint}" for n, hint in enumerate(hints, start=1)))
    raise NotYet(hints[0] if hints else otherwise)


def near(tolerance: float = 0.01) -> Callable[[object, object], bool]:
    """Compare numbers allowing for rounding (absolute tolerance)."""
    return lambda a, b: a is not None and b is not None and abs(float(a) - float(b)) <= tolerance


# --- Showing failures briefly in IPython ------------------------------------------

def _short_traceback(shell, etype, value, tb, tb_offset=None):
    """Show a failed check as one line, ``NotYet: q1: hint``, not a traceback."""
    lines = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, lines)
    return lines


def _install_short_tracebacks() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: the normal traceback is fine
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "_showtraceback"):
        shell.set_custom_exc((NotYet,), _short_traceback)


_install_short_tracebacks()


# --- Shared helpers for the questions ------------------------------------------------

ATTACK = "indirect fire"  # the book's "attack": rockets and mortars fired at a site
CASUALTY_COLUMNS = [f"{outcome}_{group}" for outcome in ("killed", "wounded")
                    for group in ("us", "coalition", "contractor", "iraqi")]


def _attacks(start=None, end=None, kinds=(ATTACK,)) -> pd.DataFrame:
    """Incidents of these kinds dated from ``start`` to ``end`` (both inclusive)."""
    return attacks.attacks(data.incidents(), start=start, end=end, kinds=kinds)


MONTH_FORMATS = ("ISO8601", "%B %Y", "%b %Y")  # '2019-10' or a date, 'October 2019', 'Oct 2019'


def _month_labels(values) -> list[str]:
    """Months given as Periods, Timestamps or text, as 'YYYY-MM' labels."""
    series = pd.Series(list(values))
    if isinstance(series.dtype, pd.PeriodDtype):
        return series.astype(str).str[:7].tolist()
    text = series.astype(str).str.strip()
    months = pd.to_datetime(text, format=MONTH_FORMATS[0], errors="coerce")
    for form in MONTH_FORMATS[1:]:  # explicit formats: pandas never guesses a missing year
        months = months.fillna(pd.to_datetime(text, format=form, errors="coerce"))
    if months.notna().all():
        return months.dt.strftime("%Y-%m").tolist()
    odd = text[months.isna()].iloc[0]
    if not re.search(r"\d{4}", odd):
        raise WrongKind(f"each month needs its year, e.g. 'June 2019', got values like {odd!r}.")
    raise WrongKind("the month column should hold months (a Period, a date, or text such as "
                    f"'2019-10'), got values like {odd!r}.")


def _per_month(rows: pd.DataFrame, start: str, end: str) -> dict[str, int]:
    """Attacks per month label, every month from start to end included (zeros too)."""
    months = pd.period_range(start, end, freq="M").astype(str)
    counts = rows["date"].dt.strftime("%Y-%m").value_counts()
    return {m: int(counts.get(m, 0)) for m in months}


def _monthly_answer(answer, expects: str) -> dict[str, int]:
    """Read a month/attacks table into {month label: count}, in the answer's row order."""
    table = frame(answer, ["month", "attacks"], expects)
    months = _month_labels(table["month"])
    counts = [whole_number(v, "whole numbers in the attacks column") for v in table["attacks"]]
    if len(set(months)) != len(months):
        raise NotYet("a month appears more than once; group by month so each month has one row.")
    return dict(zip(months, counts))


def _plain(value):
    """A cell value in a form that compares simply (dates as text, NA as None)."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, numbers.Number) and float(value) == int(value):
        return int(value)
    return value if isinstance(value, (int, float)) else str(value)


def _records(table: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in table[columns].itertuples(index=False)]


def _option_hints(letter: str, options: dict[str, str], right: str, why: dict[str, str]) -> str:
    """The confirmation for the right option; NotYet with that option's hint otherwise."""
    if letter != right:
        raise NotYet(why[letter])
    return options[right]


def _spec_parts(spec: dict) -> tuple[str, dict, dict]:
    """(mark type, encoding, top-level spec) of a single-view chart."""
    if any(key in spec for key in ("layer", "hconcat", "vconcat", "concat", "facet")):
        raise WrongKind("expected a single chart (alt.Chart(...).mark_...().encode(...)), "
                        "not a layered or combined one.")
    mark = spec.get("mark")
    mark = mark.get("type") if isinstance(mark, dict) else mark
    return str(mark), spec.get("encoding", {}), spec


def _chart_data(spec: dict) -> list[dict]:
    """The rows a chart carries (Altair stores a DataFrame under spec['datasets'])."""
    name = spec.get("data", {}).get("name")
    return spec.get("datasets", {}).get(name, []) if name else spec.get("data", {}).get("values", [])


def _finished(spec: dict) -> None:
    """NotYet unless the chart went through charts.finish (title, source line, description)."""
    title = spec.get("title")
    subtitle = title.get("subtitle", []) if isinstance(title, dict) else []
    subtitle = [subtitle] if isinstance(subtitle, str) else subtitle
    if not title or not spec.get("description") or not any(str(s).startswith("Source:") for s in subtitle):
        raise NotYet("every chart in the book is finished with charts.finish(chart, title=..., source=..., "
                     "description=...): it adds the title, the source line and the text description.")


def _axis_title(encoding: dict, channel: str) -> str:
    enc = encoding.get(channel, {})
    return str(enc.get("title") or (enc.get("axis") or {}).get("title") or "")


def _counts_on_y(encoding: dict) -> None:
    """NotYet unless the y field, a count, is quantitative and shown as it is (or summed)."""
    y = encoding.get("y", {})
    if y.get("type") != "quantitative":
        raise NotYet(f"{y.get('field')} is a count: encode it as quantitative (:Q).")
    if y.get("aggregate", "sum") != "sum":
        raise NotYet(f"the bars should show the counts in the table, not their {y['aggregate']}: "
                     f"encode '{y.get('field')}:Q' without an aggregate.")


# === 00 Reading the data ==============================================================

reading_the_data = CheckSet("00-reading-the-data", "Reading the data package")


@reading_the_data.question("q1", "a whole number: how many incidents (rows) the incidents table holds")
def _(answer):
    value = whole_number(answer, "a whole number of incidents")
    table = data.incidents()
    diagnose(value, len(table), [
        (len(table) + 1, "one too many: a line count of the CSV file includes the header line. "
                         "Count the rows of the DataFrame instead."),
        (len(table.columns), "that is the number of columns (fields). Each row is one incident."),
        (table.size, "that counts every cell (rows × columns). Each row is one incident."),
        (int((table["kind"] == ATTACK).sum()), "that counts only the indirect-fire attacks; "
                                               "the question asks for every incident, whatever its kind."),
    ], "each row of the incidents table is one incident: count the rows (len() or .shape).")
    return "Each row is one incident, with its sources."


@reading_the_data.question("q2", "a DataFrame with columns kind and incidents, one row per kind")
def _(answer):
    table = frame(answer, ["kind", "incidents"], "one row per kind")
    got = {str(k): whole_number(n, "whole numbers in the incidents column")
           for k, n in zip(table["kind"], table["incidents"])}
    counts = data.incidents()["kind"].astype(str).value_counts()
    expected = {k: int(n) for k, n in counts.items() if n}
    got_nonzero = {k: n for k, n in got.items() if n}
    if set(got_nonzero) == set(data.incidents()["weapon"].astype(str).unique()) - {"nan"}:
        raise NotYet("those are weapons (rocket, IED, ...). The question asks about the kind column.")
    if got_nonzero != expected:
        missing = sorted(set(expected) - set(got_nonzero))
        if missing:
            raise NotYet(f"some kinds are missing ({', '.join(missing)}): count every incident, not a filtered subset.")
        raise NotYet("some counts are off: count the rows of each kind over the whole table "
                     "(value_counts() or groupby('kind').size()).")
    order = [k for k in got if got[k]]
    if order != sorted(order, key=lambda k: -expected[k]):
        raise NotYet("the counts are right; now sort the rows so the most common kind comes first.")
    return "Indirect fire (rockets and mortars) dominates; convoy attacks are a separate kind."


@reading_the_data.question("q3", "a DataFrame of the attacks at Taji with columns id, date, kind, projectiles_high")
def _(answer):
    columns = ["id", "date", "kind", "projectiles_high"]
    table = frame(answer, columns, "the attacks at Taji")
    incidents = data.incidents()
    expected = _attacks().query("site == 'taji'").sort_values(["date", "id"])
    got_ids = [str(i) for i in table["id"]]
    everything_at_taji = incidents[incidents["site"] == "taji"]
    if set(got_ids) == set(everything_at_taji["id"]) and len(everything_at_taji) != len(expected):
        raise NotYet("this includes incidents that are not attacks (foiled plots): keep only the kind "
                     "'indirect fire'.")
    if len(got_ids) > len(expected) and set(expected["id"]) <= set(got_ids):
        raise NotYet("too many rows: filter on the site column (the site id 'taji'); a province holds many sites.")
    if sorted(got_ids) != sorted(expected["id"]):
        raise NotYet("these are not the attacks at Taji: keep rows whose site is 'taji' and whose kind is "
                     "'indirect fire'.")
    if got_ids != list(expected["id"]):
        raise NotYet("the right rows; now sort them by date, earliest first.")
    if _records(table, columns) != _records(expected, columns):
        raise NotYet("the rows are right but some values differ from the table: keep the columns as they are.")
    return "One site, in date order: a small timeline of its own."


@reading_the_data.question("q4", "a whole number: US service members killed, over all incidents")
def _(answer):
    value = whole_number(answer, "a whole number of people killed")
    table = data.incidents()
    total = lambda cols: int(table[cols].sum().sum())  # blanks (not reported) are skipped
    diagnose(value, total(["killed_us"]), [
        (total(["killed_us", "killed_contractor"]), "that adds another group: contractors and other "
                                                    "coalition troops have their own columns."),
        (total(["killed_us", "killed_coalition"]), "that adds another group: contractors and other "
                                                   "coalition troops have their own columns."),
        (total(["killed_us", "killed_coalition", "killed_contractor"]),
         "that adds other groups: the question asks only about US service members (killed_us)."),
        (total([c for c in CASUALTY_COLUMNS if c.startswith("killed_")]),
         "that adds every group's deaths, Iraqis included: the question asks only about US service members "
         "(killed_us)."),
        (int((table["killed_us"].fillna(0) > 0).sum()), "that counts incidents with a death rather than people: "
                                                        "add up killed_us over all rows."),
        (int(_attacks()["killed_us"].sum()), "that leaves out incidents that are not rocket fire: "
                                             "add up killed_us over all rows."),
    ], "add up the killed_us column over the whole table; blanks mean 'not reported' and are skipped.")
    return "Blank cells were skipped by the sum: they mean 'not reported', not zero."


_BLANK_OPTIONS = {
    "A": "No one in that group was killed.",
    "B": "The sources read for this row did not report a figure.",
    "C": "The attack was foiled, so there were no casualties.",
    "D": "The figure is secret.",
}


@reading_the_data.question("q5", f"one of the letters {', '.join(_BLANK_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _BLANK_OPTIONS)
    return _option_hints(letter, _BLANK_OPTIONS, "B", {
        "A": "a zero is written as 0 in the table. Look at the data dictionary: what does a blank cell stand for?",
        "C": "foiled plots are a separate kind; blanks appear in many kinds of incident.",
        "D": "the table records what public sources say; a blank says nothing about secrecy.",
    })


# === 01 Setting the scene ================================================================

setting_the_scene = CheckSet("01-setting-the-scene", "Setting the scene")
STRIKES = "2019-12-29-us-strikes-kh"  # events id of the US strikes on Kata'ib Hezbollah


def _event_date(event_id: str) -> pd.Timestamp:
    events = data.events().set_index("id")
    return events.loc[event_id, "date"]


def _k1_attack() -> pd.Series:
    """The December 2019 attack on K-1 (the one that killed a US contractor)."""
    rows = _attacks("2019-12-01", "2019-12-31").query("site == 'k-1'")
    return rows.iloc[0]


@setting_the_scene.question("q1", "a whole number of days between the K-1 attack and the US strikes")
def _(answer):
    value = whole_number(answer, "a whole number of days")
    days = (_event_date(STRIKES) - _k1_attack()["date"]).days
    diagnose(value, days, [
        ((_event_date(STRIKES) - pd.Timestamp("2019-12-28")).days,
         "that uses the article's date for the K-1 attack. Take the date from the incidents table, "
         "which follows the reporting."),
        (-days, "the strikes came after the attack: subtract the attack's date from the strikes' date."),
        (days + 1, "one too many: count the days between the two dates (a difference of dates), "
                   "not the calendar days including both ends."),
    ], "find the K-1 attack of December 2019 in incidents and the strikes in events "
       f"(id {STRIKES!r}); subtract the dates and take .days.")
    return "The gap is short, and the article and the reporting date the attack differently."


@setting_the_scene.question("q2", "a DataFrame with columns date, category, title: the events of 27 Dec 2019 to 3 Jan 2020")
def _(answer):
    columns = ["date", "category", "title"]
    table = frame(answer, columns, "the week's events")
    events = data.events()
    window = events[events["date"].between("2019-12-27", "2020-01-03")].sort_values(["date", "id"])
    got = _records(table, columns)
    expected = _records(window, columns)
    if sorted(got, key=str) == sorted(expected, key=str):
        if [row[0] for row in got] != sorted(row[0] for row in got):
            raise NotYet("the right events; now sort them by date, earliest first.")
        return "Eight days, in order: the sequence the opening section compresses into a few lines."
    if len(got) < len(expected) and set(got) <= set(expected):
        last = window[window["date"] == window["date"].max()]
        if set(_records(last, columns)).isdisjoint(got):
            raise NotYet("the events of 3 January are missing: the window includes both end dates "
                         "(use <= for the end, or .between()).")
        raise NotYet("some events of the window are missing: keep every event dated from 27 December 2019 "
                     "to 3 January 2020.")
    if len(got) > len(expected):
        raise NotYet("too many rows: keep only the events dated from 27 December 2019 to 3 January 2020.")
    raise NotYet("these are not the events of that week: filter events on the date column.")


_OPENING = "opening section"


@setting_the_scene.question("q3", "a claim id as a string, e.g. 'C01'")
def _(answer):
    if not isinstance(answer, str):
        _one_value(answer, "a claim id as a string, e.g. 'C01'")
        raise WrongKind(f"expected a claim id as a string, e.g. 'C01', got {_kind(answer)}.")
    claims = data.claims().set_index("id")
    claim = answer.strip().upper()
    if claim not in claims.index:
        raise NotYet(f"there is no claim {answer!r}: look at the id column of the claims table.")
    differs = claims[(claims["section"] == _OPENING) & (claims["status"] == "differs")]
    if claim in differs.index:
        return "The reporting dates the K-1 attack a day earlier than the article."
    row = claims.loc[claim]
    if row["section"] != _OPENING:
        raise NotYet(f"{claim} belongs to the section {row['section']!r}; keep only the opening section's claims.")
    raise NotYet(f"{claim} is marked {row['status']!r}. Look for the opening-section claim whose status "
                 "says the reporting disagrees.")


_ABSENCE_OPTIONS = {
    "A": "The events table shows that Iraqi leaders condemned the strikes on 29 and 30 December.",
    "B": "A search of the same leaders' statements between the K-1 attack and the strikes, finding none about the killing.",
    "C": "The number of rockets fired at K-1.",
    "D": "The casualty figures for the US strikes.",
}


@setting_the_scene.question("q4", f"one of the letters {', '.join(_ABSENCE_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _ABSENCE_OPTIONS)
    return _option_hints(letter, _ABSENCE_OPTIONS, "B", {
        "A": "that supports the first half (they condemned the strikes). The claim also says they did "
             "*not* condemn the killing: what evidence can show that something was not said?",
        "C": "the size of the barrage says nothing about what Iraqi leaders said afterwards.",
        "D": "casualty figures describe the strikes, not the leaders' statements about the killing.",
    }) + " A claim that something did not happen needs a search for it, not one example."


_PERSPECTIVE_OPTIONS = {
    "A": "International law and Iraqi sovereignty",
    "B": "Critics of a US withdrawal",
    "C": "US officials defending the strikes",
    "D": "Supporters of the protest movement's reform agenda",
}


@setting_the_scene.question("q5", f"one of the letters {', '.join(_PERSPECTIVE_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _PERSPECTIVE_OPTIONS)
    return _option_hints(letter, _PERSPECTIVE_OPTIONS, "A", {
        "B": "critics of withdrawal worry about what happens if US forces leave; this objection is about "
             "who may use force on Iraqi soil.",
        "C": "US officials called the strikes defensive; the objection attacks that framing.",
        "D": "reformers may share the worry, but the objection's ground is legal: consent and sovereignty.",
    })


# === 02 Escalation =========================================================================

escalation = CheckSet("02-escalation", "Escalation")


@escalation.question("q1", "a DataFrame with columns month and attacks, June to December 2019")
def _(answer):
    got = _monthly_answer(answer, "attacks per month, June to December 2019")
    expected = _per_month(_attacks("2019-06-01", "2019-12-31"), "2019-06", "2019-12")
    if got == expected:
        if list(got) != sorted(got):
            raise NotYet("the right counts; now put the months in order.")
        return "Months with no attacks are part of the story: they show the summer lull."
    if {m: n for m, n in got.items() if n} == {m: n for m, n in expected.items() if n}:
        raise NotYet("months with no attacks are missing: every month from June to December 2019 needs a "
                     "row, with 0 where nothing happened (e.g. reindex on a full range of months).")
    if set(got) != set(expected):
        raise NotYet("the table should have one row per month from June to December 2019, no more, no fewer.")
    everything = _per_month(_attacks("2019-06-01", "2019-12-31", kinds=tuple(
        data.incidents()["kind"].cat.categories)), "2019-06", "2019-12")
    if got == everything:
        raise NotYet("that counts every kind of incident: keep only indirect-fire attacks.")
    raise NotYet("some months' counts are off: keep indirect-fire attacks dated in the window, "
                 "then count rows per calendar month.")


@escalation.question("q2", "a whole number of attacks from October to December 2019")
def _(answer):
    value = whole_number(answer, "a whole number of attacks")
    window = _attacks("2019-10-01", "2019-12-31")
    diagnose(value, len(window), [
        (int((window["date_precision"] == "day").sum()),
         "you dropped the attacks known only to the month: they happened in the window even if the day is unknown."),
        (len(_attacks("2019-10-01", "2019-12-28")), "the window runs to the end of December, "
                                                    "including the attack after the US strikes."),
        (len(_attacks("2019-10-20", "2019-12-31")), "the window starts on 1 October, not in late October: an "
                                                    "attack known only to its month is dated the 1st."),
        (len(_attacks("2019-11-01", "2019-12-31")), "October is part of the window."),
        (len(_attacks("2019-10-01", "2019-12-31", kinds=tuple(data.incidents()["kind"].cat.categories))),
         "keep only indirect-fire attacks."),
    ], "count the indirect-fire attacks dated from 1 October to 31 December 2019, both ends included.")
    return "Compare it with the article's count of eleven since late October."


def _hurt_anyone(rows: pd.DataFrame, columns=CASUALTY_COLUMNS) -> pd.Series:
    return (rows[columns].fillna(0) > 0).any(axis=1)


@escalation.question("q3", "a number between 0 and 1: the share of October–December 2019 attacks that killed or wounded anyone")
def _(answer):
    value = number(answer, "a share (a number between 0 and 1)")
    window = _attacks("2019-10-01", "2019-12-31")
    share = _hurt_anyone(window).mean()
    diagnose(value, share, [
        (share * 100, "that looks like a percentage: give the share as a fraction between 0 and 1."),
        (_hurt_anyone(window, [c for c in CASUALTY_COLUMNS if c.startswith("killed")]).mean(),
         "that counts only attacks that killed someone: wounded people count too."),
        (_hurt_anyone(window, ["killed_us", "wounded_us"]).mean(),
         "that counts only US casualties: the question asks about anyone (every group)."),
        (_hurt_anyone(window).sum(), "that is the number of attacks; divide by the number of attacks in the window."),
        (_hurt_anyone(window).sum() / len(data.incidents()), "divide by the attacks in the window, "
                                                             "not by every incident in the table."),
    ], "for each attack in the window, did any killed_ or wounded_ column exceed 0? The share is the "
       "mean of that True/False column.", close=near(0.005))
    return "Most attacks in those months hurt no one."


@escalation.question("q4", "an Altair bar chart of per_month (month on x, attacks on y), finished with charts.finish")
def _(answer):
    mark, encoding, spec = _spec_parts(chart_spec(answer))
    x, y = encoding.get("x", {}), encoding.get("y", {})
    if mark != "bar":
        raise NotYet(f"the chart uses mark '{mark}': monthly counts are separate totals, shown as bars (mark_bar).")
    if x.get("field") != "month" or y.get("field") != "attacks":
        raise NotYet("put month on the x axis and attacks on the y axis (alt.X('month:T', ...), alt.Y('attacks:Q', ...)).")
    if x.get("type") not in ("temporal", "ordinal"):
        raise NotYet("months are dates: encode month as temporal (:T) or ordinal (:O), not as a number or a name.")
    _counts_on_y(encoding)
    if "(count)" not in _axis_title(encoding, "y"):
        raise NotYet("the y axis title must name its unit, e.g. 'Attacks (count)'.")
    if not _axis_title(encoding, "x"):
        raise NotYet("the x axis needs a title too, e.g. 'Month'.")
    _finished(spec)
    rows = _chart_data(spec)
    if sum(int(r.get("attacks", 0) or 0) for r in rows) != len(_attacks("2019-06-01", "2020-03-31")):
        raise NotYet("the chart's data is not the per_month table given above the question: pass per_month to alt.Chart().")
    return "Titled axes with units, a source line and a text description: the book's chart rules."


_ESCALATION_OPTIONS = {
    "A": "Yes, fully: every month had more attacks, and deadlier ones, than the month before.",
    "B": "Partly: attacks became more frequent from October to December after a summer lull, "
         "but the numbers are small and most attacks hurt no one, so 'deadlier' rests on a few incidents.",
    "C": "No: the number of attacks fell over the autumn.",
    "D": "The chart cannot say anything about frequency.",
}


@escalation.question("q5", f"one of the letters {', '.join(_ESCALATION_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _ESCALATION_OPTIONS)
    return _option_hints(letter, _ESCALATION_OPTIONS, "B", {
        "A": "check the months one by one in your q1 table, and recall q3: were most attacks deadly?",
        "C": "compare October, November and December in your q1 table.",
        "D": "a count of attacks per month is exactly a measure of frequency; the question is how strong the trend is.",
    })


# === 03 Deterrence ===========================================================================

deterrence = CheckSet("03-deterrence", "Deterrence")
BEFORE = ("2019-10-30", "2019-12-28")  # the 60 days before the strikes of 29 December 2019
AFTER = ("2019-12-30", "2020-02-27")  # the 60 days after them
WINDOW_DAYS = 60


@deterrence.question("q1", "a DataFrame with columns given_by, value, qualifier: each source's death toll for the strikes")
def _(answer):
    columns = ["given_by", "value", "qualifier"]
    table = frame(answer, columns, "the death tolls given for the strikes")
    for value in table["value"]:
        number(value, "a number for each toll in the value column")
    estimates = data.estimates()
    strikes = estimates[estimates["subject"] == STRIKES]
    expected = strikes[strikes["quantity"] == "killed"]
    got = _records(table, columns)
    if sorted(got, key=str) == sorted(_records(expected, columns), key=str):
        values = [row[1] for row in got]
        if values != sorted(values, reverse=True):
            raise NotYet("the right figures; now sort them from the highest toll to the lowest.")
        return "Where sources give different figures, the book keeps them all, with who gave each."
    if sorted(got, key=str) == sorted(_records(strikes, columns), key=str):
        raise NotYet("this includes the wounded: keep only the rows whose quantity is 'killed'.")
    if len(got) > len(expected):
        raise NotYet(f"too many rows: keep only the estimates whose subject is {STRIKES!r} "
                     "and whose quantity is 'killed'.")
    raise NotYet(f"these are not the death tolls for the strikes: filter estimates on subject {STRIKES!r} "
                 "and quantity 'killed'.")


@deterrence.question("q2", "a number: indirect-fire attacks per 30 days in the 60 days after the strikes")
def _(answer):
    value = number(answer, "a rate: attacks per 30 days")
    after = _attacks(*AFTER)
    rate = len(after) / WINDOW_DAYS * 30
    all_kinds = tuple(data.incidents()["kind"].cat.categories)
    diagnose(value, rate, [
        (len(after) / WINDOW_DAYS, "that is a rate per day: the question asks per 30 days."),
        (len(after), "that is the number of attacks in 60 days; turn it into a rate per 30 days."),
        (len(_attacks(*AFTER, kinds=all_kinds)) / WINDOW_DAYS * 30,
         "that counts Iran's ballistic missiles too: the question is about militia rocket and mortar fire "
         "(indirect fire)."),
        (len(_attacks("2019-12-29", AFTER[1])) / WINDOW_DAYS * 30,
         "the window starts the day after the strikes (30 December); an attack on the day of the "
         "strikes cannot tell us how militias answered them."),
    ], f"count indirect-fire attacks from {AFTER[0]} to {AFTER[1]} (both included), divide by "
       f"{WINDOW_DAYS} days and multiply by 30.", close=near(0.01))
    return "Compare it with the rate before: the attacks did not stop."


_ASSUMPTION_OPTIONS = {
    "A": "Militia leaders weigh costs against gains, and can stop their fighters when the cost rises.",
    "B": "The Iraqi parliament supports the presence of US forces.",
    "C": "Every rocket attack is claimed by the group that fired it.",
    "D": "Kata'ib Hezbollah fired every rocket at US bases.",
}


@deterrence.question("q3", f"one of the letters {', '.join(_ASSUMPTION_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _ASSUMPTION_OPTIONS)
    return _option_hints(letter, _ASSUMPTION_OPTIONS, "A", {
        "B": "the deterrence argument is about what militias do when they pay a price; parliament belongs "
             "to the eviction argument.",
        "C": "deterrence does not need claims; the article says the US can identify attackers without them.",
        "D": "the article itself says other groups fire too; deterrence is aimed at Iran and its allies as a whole.",
    })


_CAUSE_OPTIONS = {
    "A": "More precise rocket counts for each attack.",
    "B": "Some idea of how many attacks there would have been without the strikes, such as a comparison "
         "with the trend or other events of the same weeks.",
    "C": "A longer list of the bases that were attacked.",
    "D": "Nothing more: a change in the rate after the strikes shows their effect.",
}


@deterrence.question("q4", f"one of the letters {', '.join(_CAUSE_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _CAUSE_OPTIONS)
    return _option_hints(letter, _CAUSE_OPTIONS, "B", {
        "A": "better counts sharpen the before and after numbers but cannot say what caused the change.",
        "C": "where attacks fell does not say why their number changed.",
        "D": "much else happened in those weeks (Soleimani's killing, Iran's missiles, the parliament vote): "
             "before and after alone cannot separate the strikes' effect from the rest.",
    })


_TEST_OPTIONS = {
    "A": "The barrages on Taji in March 2020 that killed US and British troops.",
    "B": "Parliament's vote of 5 January 2020 on foreign forces.",
    "C": "The protest death toll reported in December 2019.",
    "D": "The handover of K-1 to Iraqi forces in March 2020.",
}


@deterrence.question("q5", f"one of the letters {', '.join(_TEST_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _TEST_OPTIONS)
    return _option_hints(letter, _TEST_OPTIONS, "A", {
        "B": "the vote bears on the risk of eviction, a different step of the argument.",
        "C": "the protest toll matters to the reform argument, not to whether militias were deterred.",
        "D": "a handover is a coalition decision; the deterrence claim is about militia attacks.",
    })


# === 04 Attribution ===========================================================================

attribution = CheckSet("04-attribution", "Attribution")
ATTRIBUTION_WINDOW = ("2019-10-01", "2020-12-31")


@attribution.question("q1", "a whole number: how many incidents have at least one attribution")
def _(answer):
    value = whole_number(answer, "a whole number of incidents")
    table = data.attributions()
    diagnose(value, table["incident_id"].nunique(), [
        (len(table), "that counts attribution rows; an incident can have several (one per claim, "
                     "accusation or denial). Count distinct incidents."),
        (table["actor"].nunique(), "that counts actors; the question asks about incidents."),
        (table.loc[table["status"] == "alleged", "incident_id"].nunique(),
         "that counts only some statuses; claims, accusations and denials are all attributions."),
        (table.loc[table["status"] == "claimed", "incident_id"].nunique(),
         "that counts only some statuses; claims, accusations and denials are all attributions."),
        (len(data.incidents()) - table["incident_id"].nunique(),
         "that is the number of incidents with no attribution: the question asks for those with one."),
    ], "count the distinct incident ids in the attributions table (.nunique()).")
    return "Attribution is the exception, not the rule."


@attribution.question("q2", "a number between 0 and 1: the share of attacks from October 2019 to December 2020 with no public attribution")
def _(answer):
    value = number(answer, "a share (a number between 0 and 1)")
    blamed = set(data.attributions()["incident_id"])
    window = _attacks(*ATTRIBUTION_WINDOW)
    share = (~window["id"].isin(blamed)).mean()
    all_kinds = _attacks(*ATTRIBUTION_WINDOW, kinds=tuple(data.incidents()["kind"].cat.categories))
    diagnose(value, share, [
        (share * 100, "that looks like a percentage: give the share as a fraction between 0 and 1."),
        (1 - share, "that is the share *with* an attribution; the question asks for those without one."),
        ((~all_kinds["id"].isin(blamed)).mean(), "that includes every kind of incident: keep only "
                                                 "indirect-fire attacks."),
        ((~_attacks()["id"].isin(blamed)).mean(), "that uses every date: keep only attacks from "
                                                  "October 2019 to December 2020."),
    ], "take the indirect-fire attacks in the window; the share whose id is not in "
       "attributions['incident_id'] is the mean of a True/False column.", close=near(0.005))
    return "Most attacks were never publicly pinned on anyone: an absence of evidence, not evidence of absence."


@attribution.question("q3", "a DataFrame with columns actor and incidents: incidents each actor was blamed for or claimed, most first")
def _(answer):
    table = frame(answer, ["actor", "incidents"], "incidents per actor")
    got = {str(a): whole_number(n, "whole numbers in the incidents column")
           for a, n in zip(table["actor"], table["incidents"])}
    rows = data.attributions()

    def per_actor(statuses):
        kept = rows[rows["status"].isin(statuses)]
        return {str(a): int(n) for a, n in kept.groupby("actor")["incident_id"].nunique().items()}

    expected = per_actor(["claimed", "alleged"])
    if got == expected:
        counts = list(table["incidents"])
        if counts != sorted(counts, reverse=True):
            raise NotYet("the right counts; now sort from the most incidents to the fewest.")
        return "A long tail: umbrella labels, front groups, and a few named groups."
    if got == {str(a): int(n) for a, n in rows["actor"].value_counts().items() if n}:
        raise NotYet("that counts every row: a denial is neither a claim nor an accusation, and an incident "
                     "counts once per actor (nunique).")
    if got == per_actor(["claimed", "alleged", "denied"]):
        raise NotYet("a denial is not a claim or an accusation: leave out the rows whose status is 'denied'.")
    if got == per_actor(["claimed"]):
        raise NotYet("that counts only claims: accusations by others (status 'alleged') count too.")
    if got == per_actor(["alleged"]):
        raise NotYet("that counts only accusations: a group's own claim (status 'claimed') counts too.")
    raise NotYet("keep rows whose status is 'claimed' or 'alleged', then count distinct incidents per actor.")


_ABSENCE_OF_RECORD_OPTIONS = {
    "A": "The claim is false: Asa'ib Ahl al-Haq did not fire at Taji or Balad.",
    "B": "The public record neither confirms nor refutes it: the article rests on sources we cannot check, "
         "and an attack with no public attribution was not shown to be anyone's.",
    "C": "Kata'ib Hezbollah must have fired those rockets instead.",
    "D": "The claim is confirmed, because no other group is named at those bases.",
}


@attribution.question("q4", f"one of the letters {', '.join(_ABSENCE_OF_RECORD_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _ABSENCE_OF_RECORD_OPTIONS)
    return _option_hints(letter, _ABSENCE_OF_RECORD_OPTIONS, "B", {
        "A": "finding no public attribution is not the same as finding that a group did not fire.",
        "C": "nothing in the table names Kata'ib Hezbollah for most of those attacks; this swaps one "
             "unchecked claim for another.",
        "D": "silence confirms nothing: no group being named is exactly what an unattributed attack looks like.",
    })


_STATUS_OPTIONS = {
    "A": "Kata'ib Hezbollah fired at K-1, because the United States said so.",
    "B": "Islamic State fired at K-1, because an Iraqi body said so.",
    "C": "The table records who said what: an accusation, a denial and a rival accusation; "
         "weighing them needs the evidence behind each.",
    "D": "No one can ever know who fired.",
}


@attribution.question("q5", f"one of the letters {', '.join(_STATUS_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _STATUS_OPTIONS)
    return _option_hints(letter, _STATUS_OPTIONS, "C", {
        "A": "'alleged' records an accusation, not a finding. Who else speaks about K-1 in the table?",
        "B": "that accusation is one of several rows for K-1; the status column does not rank them.",
        "D": "too strong: attributions can be weighed by their evidence (weapons, intelligence, claims).",
    })


# === 05 Eviction risk ===========================================================================

eviction_risk = CheckSet("05-eviction-risk", "Eviction risk")
EVICTION_SECTION = "The cost-benefit of risking U.S. eviction from Iraq"
VOTE = "2020-01-05-parliament-resolution"


def _status_counts(section: str | None) -> dict[str, int]:
    claims = data.claims()
    if section is not None:
        claims = claims[claims["section"] == section]
    counts = claims["status"].astype(str).value_counts()
    return {s: int(n) for s, n in counts.items() if n}


@eviction_risk.question("q1", "a DataFrame with columns status and claims: the section's claims per status, most first")
def _(answer):
    table = frame(answer, ["status", "claims"], "claims per status")
    got = {str(s): whole_number(n, "whole numbers in the claims column")
           for s, n in zip(table["status"], table["claims"]) if n}
    expected = _status_counts(EVICTION_SECTION)
    if got == expected:
        counts = [n for n in table["claims"] if n]
        if counts != sorted(counts, reverse=True):
            raise NotYet("the right counts; now sort from the most common status to the least.")
        return "Counting statuses per section shows where the article's facts are firm and where they are not."
    if got == _status_counts(None):
        raise NotYet("that counts the claims of every section: keep only the section "
                     f"{EVICTION_SECTION!r}.")
    for section in data.claims()["section"].cat.categories:
        if got == _status_counts(section):
            raise NotYet(f"that is the section {section!r}; the question is about {EVICTION_SECTION!r}.")
    raise NotYet(f"keep the claims whose section is {EVICTION_SECTION!r}, then count them per status.")


@eviction_risk.question("q2", "a whole number of days from the US strikes to parliament's vote")
def _(answer):
    value = whole_number(answer, "a whole number of days")
    days = (_event_date(VOTE) - _event_date(STRIKES)).days
    diagnose(value, days, [
        ((_event_date(VOTE) - _event_date("2020-01-03-soleimani-killed")).days,
         "that counts from Soleimani's killing; the question counts from the strikes of 29 December."),
        (days + 1, "one too many: subtract the dates; don't count both ends."),
        (-days, "the vote came after the strikes: subtract the strikes' date from the vote's date."),
    ], f"take the dates of the events {STRIKES!r} and {VOTE!r} and subtract them (.days).")
    return "In between came the killing of Soleimani and Muhandis."


_BASRA_OPTIONS = {
    "A": "The article is wrong: the consulate reopened soon after.",
    "B": "The article is right: the State Department announced a permanent closure.",
    "C": "Reports at the time called the move temporary; the consulate stayed shut for a long time "
         "afterwards, with no formal permanent closure found.",
    "D": "The consulate was never closed.",
}


@eviction_risk.question("q3", f"one of the letters {', '.join(_BASRA_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _BASRA_OPTIONS)
    return _option_hints(letter, _BASRA_OPTIONS, "C", {
        "A": "read the claim's finding in the claims table: was a reopening found?",
        "B": "read the claim's finding: how did reports at the time describe the closure?",
        "D": "the events table records that the consulate's staff were ordered out.",
    })


_VOTE_OPTIONS = {
    "A": "Parliament's resolution of 5 January 2020 and what followed it.",
    "B": "Iran's missile strike of 8 January 2020.",
    "C": "The count of brain injuries after the missile strike.",
    "D": "Kadhimi's visit to the White House in August 2020.",
}


@eviction_risk.question("q4", f"one of the letters {', '.join(_VOTE_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _VOTE_OPTIONS)
    return _option_hints(letter, _VOTE_OPTIONS, "A", {
        "B": "Iran's strike is about Iran and the US; the claim is about what Iraqi politicians can agree on.",
        "C": "casualty counts do not show what Iraqi politicians could agree on.",
        "D": "the visit comes later and tests the relationship, not the January push to evict.",
    })


_RIGHT_OPTIONS = {
    "A": "Iraq may ask US forces to leave, if enough MPs want it and the cabinet and president agree.",
    "B": "Iraq's parliament has no say over foreign forces.",
    "C": "The United States should stay in Iraq whatever Iraq decides.",
    "D": "A caretaker government makes eviction impossible.",
}


@eviction_risk.question("q5", f"one of the letters {', '.join(_RIGHT_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _RIGHT_OPTIONS)
    return _option_hints(letter, _RIGHT_OPTIONS, "A", {
        "B": "reread the section's first paragraph: whose right does the article say eviction is?",
        "C": "the article's conclusion is the reverse: be willing to leave.",
        "D": "the article calls the caretaker situation muddled, but does not say it rules eviction out.",
    })


# === 06 The cult of presence ========================================================================

cult_of_presence = CheckSet("06-cult-of-presence", "The cult of presence")
PRESENCE_SECTION = "Securing U.S. interests or securing U.S. presence?"


@cult_of_presence.question("q1", "a whole number: the section's claims that reporting supports at least in part")
def _(answer):
    value = whole_number(answer, "a whole number of claims")
    counts = _status_counts(PRESENCE_SECTION)
    supported = counts.get("corroborated", 0) + counts.get("partly corroborated", 0)
    diagnose(value, supported, [
        (sum(counts.values()), "that counts every claim of the section: keep those marked 'corroborated' "
                               "or 'partly corroborated'."),
        (counts.get("corroborated", 0), "'partly corroborated' claims are supported in part: count them too."),
        (sum(counts.values()) - counts.get("not found", 0),
         "'not checkable' claims are judgements that no source can confirm: leave them out."),
        (sum(v for k, v in _status_counts(None).items() if k in ("corroborated", "partly corroborated")),
         f"that counts every section: keep only {PRESENCE_SECTION!r}."),
    ], f"keep the claims of the section {PRESENCE_SECTION!r} whose status is 'corroborated' or "
       "'partly corroborated', and count them.")
    return "This section leans on judgements more than on checkable facts."


@cult_of_presence.question("q2", "a DataFrame with columns date and title: the drawdown events of 2020 in date order")
def _(answer):
    columns = ["date", "title"]
    table = frame(answer, columns, "the drawdown events of 2020")
    events = data.events()
    in_2020 = events[events["date"].dt.year == 2020]
    expected = in_2020[in_2020["category"] == "drawdown"]
    got = _records(table, columns)
    if sorted(got, key=str) == sorted(_records(expected, columns), key=str):
        if [row[0] for row in got] != sorted(row[0] for row in got):
            raise NotYet("the right events; now sort them by date, earliest first.")
        return "Handovers and troop cuts followed one another through 2020."
    if set(_records(expected, columns)) < set(got):
        raise NotYet("too many rows: keep only events whose category is 'drawdown' and whose date is in 2020.")
    if set(got) < set(_records(expected, columns)):
        raise NotYet("some drawdown events are missing: keep every event of category 'drawdown' dated in 2020, "
                     "troop cuts as well as handovers.")
    raise NotYet("filter events on category 'drawdown' and on dates in 2020.")


_COST_OPTIONS = {
    "A": "That what presence bought (help against the Islamic State, a rebuilt officer corps) had shrunk, "
         "so the price paid for it no longer made sense.",
    "B": "That US forces never did any good in Iraq.",
    "C": "That every Iraqi leader wanted US forces to leave.",
    "D": "That the Islamic State had been destroyed for good.",
}


@cult_of_presence.question("q3", f"one of the letters {', '.join(_COST_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _COST_OPTIONS)
    return _option_hints(letter, _COST_OPTIONS, "A", {
        "B": "the article says the trade-off was arguably worth it at one point: it is about a change over time.",
        "C": "the article expects many leaders to value the US quietly; that is its bet, not this assumption.",
        "D": "the article says the Islamic State is years from a serious recovery, not that it is gone.",
    })


_CONTEST_OPTIONS = {
    "A": "That the Islamic State was years away from a serious recovery.",
    "B": "That Iraq had revoked flight permissions in its airspace.",
    "C": "That parliament voted on foreign forces in January 2020.",
    "D": "That a counter-terrorism commander was removed in September 2019.",
}


@cult_of_presence.question("q4", f"one of the letters {', '.join(_CONTEST_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _CONTEST_OPTIONS)
    return _option_hints(letter, _CONTEST_OPTIONS, "A", {
        "B": "the airspace order is a documented fact; the objection disputes a forecast.",
        "C": "the vote is a documented fact; the objection is about what happens if the US leaves.",
        "D": "the removal is a documented event; the objection is about the threat that would return.",
    })


# === 07 Be willing to leave =========================================================================

willing_to_leave = CheckSet("07-willing-to-leave", "Be willing to leave")
LEAVE_SECTION = "Be willing to leave so we don't have to"


@willing_to_leave.question("q1", "a number between 0 and 1: the share of the section's claims marked 'not checkable'")
def _(answer):
    value = number(answer, "a share (a number between 0 and 1)")
    counts = _status_counts(LEAVE_SECTION)
    share = counts.get("not checkable", 0) / sum(counts.values())
    every = _status_counts(None)
    diagnose(value, share, [
        (share * 100, "that looks like a percentage: give the share as a fraction between 0 and 1."),
        (counts.get("not checkable", 0), "that is a count; divide by the number of claims in the section."),
        (1 - share, "that is the share of claims that *can* be checked."),
        (every.get("not checkable", 0) / sum(every.values()), f"that uses every section: keep only {LEAVE_SECTION!r}."),
    ], f"keep the claims of {LEAVE_SECTION!r}; the share marked 'not checkable' is the mean of a True/False column.",
       close=near(0.005))
    return "The closing section mixes checkable facts with forecasts and bets."


@willing_to_leave.question("q2", "a whole number of US warning events before the K-1 attack")
def _(answer):
    value = whole_number(answer, "a whole number of events")
    events = data.events()
    warnings_before = lambda date: int(((events["date"] < date) & (events["category"] == "us-warning")).sum())
    k1 = _k1_attack()["date"]
    other_k1 = [date for date in _attacks().query("site == 'k-1'")["date"] if date != k1]
    before = events[events["date"] < k1]
    diagnose(value, warnings_before(k1), [
        (int((events["category"] == "us-warning").sum()), "that counts warnings at any date: keep those "
                                                          "dated before the K-1 attack."),
        (int(before["category"].isin(["us-warning", "us-policy"]).sum()),
         "that adds other US policy events: count only the category 'us-warning'."),
        (warnings_before(k1) + 1, "one too many: count events dated strictly before the attack."),
        *[(warnings_before(date), "K-1 was attacked more than once: take the attack of December 2019, "
                                  "the one that killed a US contractor.") for date in other_k1],
    ], "take the date of the K-1 attack from incidents; count events of category 'us-warning' dated before it.")
    return "The article's 'months after we warned' rests on warnings like these."


_BET_OPTIONS = {
    "A": "Who formed the next government, and whether it acted against the militias that fired on US sites.",
    "B": "The number of rockets fired at K-1.",
    "C": "The count of brain injuries after Iran's missile strike.",
    "D": "The size of the coalition in 2019.",
}


@willing_to_leave.question("q3", f"one of the letters {', '.join(_BET_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _BET_OPTIONS)
    return _option_hints(letter, _BET_OPTIONS, "A", {
        "B": "the bet is about Iraqi politics in the coming months, not about the attack that set things off.",
        "C": "casualty counts do not show which Iraqi actors prevailed.",
        "D": "the coalition's size is part of the argument's premise, not the outcome the bet is about.",
    })


_COALITION_OPTIONS = {
    "A": "That other countries stay in Iraq because US forces are there, more than for their own reasons "
         "or because Iraq asked them.",
    "B": "That coalition partners would send more troops if the US left.",
    "C": "That Iraq would ask the coalition to leave with the United States.",
    "D": "That the coalition has more members than any before it.",
}


@willing_to_leave.question("q4", f"one of the letters {', '.join(_COALITION_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _COALITION_OPTIONS)
    return _option_hints(letter, _COALITION_OPTIONS, "A", {
        "B": "that would be the opposite of unravelling.",
        "C": "the claim is about what partners do without the US, not about what Iraq asks.",
        "D": "that is a separate, checkable claim (see the claims table); the unravelling forecast needs more.",
    })


# === 08 Epilogue =====================================================================================

epilogue = CheckSet("08-epilogue", "Epilogue: what 2020 showed")
YEAR = ("2020-01-01", "2020-12-31")
GROUPS = ("us", "coalition", "contractor", "iraqi")


@epilogue.question("q1", "a DataFrame with columns month and attacks: indirect-fire attacks in each month of 2020")
def _(answer):
    got = _monthly_answer(answer, "attacks per month of 2020")
    expected = _per_month(_attacks(*YEAR), "2020-01", "2020-12")
    if got == expected:
        if list(got) != sorted(got):
            raise NotYet("the right counts; now put the months in order.")
        return "Compare the months with the events of 2020: strikes, a new government, a truce."
    if set(got) != set(expected):
        raise NotYet("the table should have one row per month of 2020: twelve rows.")
    every_kind = _per_month(_attacks(*YEAR, kinds=tuple(data.incidents()["kind"].cat.categories)),
                            "2020-01", "2020-12")
    if got == every_kind:
        raise NotYet("that counts every kind of incident (missiles, foiled plots, convoy bombs): keep only "
                     "indirect-fire attacks.")
    raise NotYet("some months are off: keep indirect-fire attacks dated in 2020 and count rows per calendar month.")


@epilogue.question("q2", "a whole number of convoy attacks in 2020")
def _(answer):
    value = whole_number(answer, "a whole number of attacks")
    incidents = data.incidents()
    convoys = incidents["kind"] == "convoy attack"
    in_2020 = incidents["date"].dt.year == 2020
    diagnose(value, int((convoys & in_2020).sum()), [
        (int(convoys.sum()), "that counts convoy attacks of every year: keep 2020 only."),
        (int(((incidents["weapon"] == "IED") & in_2020).sum()), "that counts roadside bombs (weapon IED); "
                                                                 "the question is about the kind 'convoy attack'."),
        (int((in_2020 & incidents["kind"].isin(["convoy attack", ATTACK])).sum()),
         "that adds rocket attacks: count only the kind 'convoy attack'."),
    ], "count incidents of kind 'convoy attack' dated in 2020.")
    return "Pressure shifted partly to the supply convoys, which the article does not discuss."


@epilogue.question("q3", "a DataFrame with columns group and killed: people killed in all 2020 incidents, per group")
def _(answer):
    table = frame(answer, ["group", "killed"], "deaths per group in 2020")
    got = {str(g).removeprefix("killed_"): whole_number(k, "whole numbers in the killed column")
           for g, k in zip(table["group"], table["killed"])}
    if set(got) != set(GROUPS):
        raise NotYet(f"the groups should be {list(GROUPS)} (one row each; names with or without 'killed_').")

    def tally(rows, outcome="killed"):
        return {g: int(rows[f"{outcome}_{g}"].sum()) for g in GROUPS}

    incidents = data.incidents()
    in_2020 = incidents[incidents["date"].dt.year == 2020]
    if got == tally(in_2020):
        return "Iraqis bore most of the deaths, among them civilians hit by rockets aimed at US sites."
    if got == tally(_attacks(*YEAR)):
        raise NotYet("that counts only rocket attacks: the question asks about all incidents of 2020, "
                     "convoy attacks included.")
    if got == tally(in_2020, "wounded"):
        raise NotYet("those are the wounded: use the killed_ columns.")
    if got == tally(incidents):
        raise NotYet("that counts every year: keep incidents dated in 2020.")
    raise NotYet("add up each killed_ column over the incidents dated in 2020 (blanks are skipped).")


@epilogue.question("q4", "an Altair stacked bar chart of by_kind (month on x, incidents on y, colour by kind), finished with charts.finish")
def _(answer):
    mark, encoding, spec = _spec_parts(chart_spec(answer))
    x, y, color = encoding.get("x", {}), encoding.get("y", {}), encoding.get("color", {})
    if mark != "bar":
        raise NotYet(f"the chart uses mark '{mark}': monthly counts are shown as bars (mark_bar).")
    if x.get("field") != "month" or y.get("field") != "incidents":
        raise NotYet("put month on the x axis and incidents on the y axis.")
    if x.get("type") not in ("temporal", "ordinal"):
        raise NotYet("months are dates: encode month as temporal (:T) or ordinal (:O).")
    _counts_on_y(encoding)
    if color.get("field") != "kind":
        raise NotYet("colour the bars by kind (color=alt.Color('kind:N', ...)) so the two kinds stack.")
    if color.get("type") != "nominal":
        raise NotYet("kinds are categories without an order: encode kind as nominal (:N).")
    if "xOffset" in encoding:
        raise NotYet("xOffset puts the kinds side by side (grouped bars): drop it so they stack into one bar "
                     "per month.")
    stack = y.get("stack", "zero")
    if stack is None or stack is False:
        raise NotYet("stack=False draws the kinds' bars over one another, so the shorter hides behind the taller: "
                     "leave stack out so they stack.")
    if stack == "normalize":
        raise NotYet("stack='normalize' shows each kind's share of the month, not counts: leave stack out so "
                     "each bar adds up to the month's incidents.")
    if "(count)" not in _axis_title(encoding, "y"):
        raise NotYet("the y axis title must name its unit, e.g. 'Incidents (count)'.")
    if not _axis_title(encoding, "x"):
        raise NotYet("the x axis needs a title too, e.g. 'Month'.")
    _finished(spec)
    rows = _chart_data(spec)
    expected = len(_attacks(*YEAR, kinds=(ATTACK, "convoy attack")))
    if sum(int(r.get("incidents", 0) or 0) for r in rows) != expected:
        raise NotYet("the chart's data is not the by_kind table given above the question: pass by_kind to alt.Chart().")
    return "The stack shows when convoy bombs joined the rockets."


_YEAR_OPTIONS = {
    "A": "Settled in the article's favour: the strikes ended the attacks.",
    "B": "Settled against it: US forces were expelled from Iraq in 2020.",
    "C": "Mixed: no eviction, and a new prime minister moved against a Kata'ib Hezbollah cell, but rocket "
         "and convoy attacks went on while the US cut troops and handed over bases.",
    "D": "Nothing changed in 2020.",
}


@epilogue.question("q5", f"one of the letters {', '.join(_YEAR_OPTIONS)} as a string")
def _(answer):
    letter = choice(answer, _YEAR_OPTIONS)
    return _option_hints(letter, _YEAR_OPTIONS, "C", {
        "A": "look at your q1 table: did the attacks end?",
        "B": "look at the drawdown events: bases were handed over and troops cut, but were US forces expelled?",
        "D": "a new government, handovers, troop cuts and a truce are all in the events table.",
    })
